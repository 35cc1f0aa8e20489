#!/usr/bin/env bash
# test_malformed.sh - malformed input never loses a valid row and is always
# reported with its place (DESIGN.md "The store": nothing is lost; "Command line":
# messages name the file, line and column of bad input; exit 2 for bad input).
#
# A corpus of malformed CSV / JSON-lines / compressed inputs, generated here into
# $FERRET_TEST_TMP/case_N (one fresh store per case; the tiny checked-in fixtures
# live in tests/e2e/malformed/).  Every input mixes good rows with the bad one(s).
# For each bad case the test checks:
#   1. the exit status of `ferret ingest` (2 for bad input);
#   2. the place: stderr and the rejects file name FILE:LINE[:COL] and the reason;
#   3. nothing valid was lost: `ferret export` equals want.csv (the good rows,
#      exactly), and the reconciliation line reads READ = STORED + REJECTED with
#      the expected numbers;
#   4. with --strict, nothing is stored (no table, or the row count unchanged).
# Errors that stop the whole ingest (no header, a file that is not what its name
# says, nothing decodable) must commit nothing.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
FIXTURES=$HERE/malformed
export LC_ALL=C

ncase=0
CASE=
STORE=
SCHEMAS=$FERRET_TEST_TMP/schemas
mkdir -p "$SCHEMAS"
printf 'id int64\nn int64\n' >"$SCHEMAS/int64.txt"
printf 'id string\nx float64\n' >"$SCHEMAS/float64.txt"
printf 'id string\nd date\n' >"$SCHEMAS/date.txt"

# --- helpers ----------------------------------------------------------------
# begin NAME: a new case in a fresh directory with a fresh store.
begin() {
  ncase=$((ncase + 1))
  CASE="case_$ncase ($1)"
  local dir=$FERRET_TEST_TMP/case_$ncase
  mkdir -p "$dir"
  cd "$dir" || exit 3
  STORE=$dir/store
  echo "$CASE" >name.txt
}
# ingest WANT_RC TABLE FILE... [OPTIONS]: ingest into the case's store, rejects to rej.csv.
ingest() {
  local want=$1
  shift
  rm -f rej.csv
  expect_rc "$want" "$CASE: exit status of ingest $*" "$FERRET" ingest "$STORE" "$@" --rejects rej.csv
}
# said TEXT: stderr of the last command holds TEXT.
said() { contains err.txt "$1" "$CASE: stderr"; }
# rejected FILE:LINE:COL REASON: stderr names the place, and the rejects file has a
# row for it (file,line,col,...) whose text holds REASON.  A place ending in ':'
# (FILE:LINE:) checks the line only.
rejected() {
  local loc=$1 reason=$2 csvloc
  said "$loc"
  csvloc=${loc//:/,}
  [ "${csvloc: -1}" = , ] || csvloc="$csvloc,"
  if [ -f rej.csv ] && grep -aF -- "$csvloc" rej.csv | grep -aqF -- "$reason"; then
    pass
  else
    fail "$CASE: rejects file has no row '$csvloc...' with reason '$reason': $(head -c 600 rej.csv 2>/dev/null || echo '(no rejects file)')"
  fi
}
# counts READ STORED REJECTED: the reconciliation line of the last ingest.
counts() {
  if grep -Eq "reconciliation +$1 += +$2 +\+ +$3 +ok" out.txt; then
    pass
  else
    fail "$CASE: wanted reconciliation $1 = $2 + $3 ok, got: $(grep -E 'rows|reconciliation' out.txt | tr -s ' ' | tr '\n' ';')"
  fi
}
# exported TABLE [WANT]: `ferret export` of TABLE equals WANT (default want.csv)
# byte for byte, and the store verifies.
exported() {
  local want=${2:-want.csv} rc=0
  "$FERRET" export "$STORE" "$1" >got.csv 2>export_err.txt || rc=$?
  if [ "$rc" = 0 ] && cmp -s "$want" got.csv; then
    pass
  else
    fail "$CASE: export of $1 (exit $rc) differs from $want: $(head -c 300 export_err.txt) $(diff "$want" got.csv | head -c 600 | cat -v)"
  fi
  rc=0
  "$FERRET" verify "$STORE" >verify_out.txt 2>&1 || rc=$?
  if [ "$rc" = 0 ]; then pass; else fail "$CASE: verify exit $rc: $(head -c 300 verify_out.txt)"; fi
}
# absent TABLE: the store has no such table (nothing was committed).
absent() {
  if "$FERRET" info "$STORE" "$1" --format json >info.txt 2>&1; then
    fail "$CASE: table $1 exists but nothing should have been stored: $(head -c 300 info.txt)"
  else
    pass
  fi
}
# colof STRING NEEDLE: the 1-based byte column where NEEDLE first occurs in STRING.
colof() {
  local pre=${1%%"$2"*}
  echo $((${#pre} + 1))
}
# xs N: N letters x (no newline).
xs() { head -c "$1" /dev/zero | tr '\0' x; }
# bounded COMMAND...: runs under a 1.5 GB address-space limit and, when GNU time
# is there, records the peak RSS (KiB) in rss.txt.
bounded() {
  (
    # AddressSanitizer reserves terabytes of address space for its shadow, so
    # under it (ASAN_OPTIONS set by tests/run.sh) only the peak RSS bounds memory.
    [ -n "${ASAN_OPTIONS:-}" ] || ulimit -v 1500000
    if [ -x /usr/bin/time ]; then
      exec /usr/bin/time -f %M -o rss.txt "$@"
    else
      exec "$@"
    fi
  )
}
# rss_below KIB: the peak RSS of the last `bounded` command stayed under KIB.
rss_below() {
  if [ ! -s rss.txt ]; then pass; return; fi
  local kib
  kib=$(tail -n 1 rss.txt)
  # ASan's shadow memory and quarantine add a constant few hundred MiB.
  [ -n "${ASAN_OPTIONS:-}" ] && set -- $(($1 + 600000))
  if [ "$kib" -lt "$1" ] 2>/dev/null; then pass; else fail "$CASE: peak RSS ${kib} KiB, wanted < $1 KiB"; fi
}

# csv_mixed NAME TABLE COL REASON HEADER GOOD_A BAD GOOD_B [INGEST OPTIONS...]:
# in.csv is HEADER, GOOD_A, BAD (line 3), GOOD_B; the bad row is rejected at
# in.csv:3:COL with REASON, the export is exactly HEADER, GOOD_A, GOOD_B (so the
# good rows are written in ferret's export form).
csv_mixed() {
  local name=$1 table=$2 col=$3 reason=$4 header=$5 good_a=$6 bad=$7 good_b=$8
  shift 8
  begin "$name"
  printf '%s\n' "$header" "$good_a" "$bad" "$good_b" >in.csv
  printf '%s\n' "$header" "$good_a" "$good_b" >want.csv
  ingest 2 "$table" in.csv "$@"
  rejected "in.csv:3:$col" "$reason"
  counts 3 2 1
  exported "$table"
}

# json_mixed NAME COL REASON BAD [INGEST OPTIONS...]: in.jsonl is a good line,
# BAD (line 2), a good line, for table payments; BAD is rejected at in.jsonl:2:COL
# (COL empty: the line only) with REASON, the two good rows are stored.
JGOOD_A='{"txn_id":"J1","amount":"1.50","memo":"a"}'
JGOOD_B='{"txn_id":"J3","amount":2,"memo":null}'
json_mixed() {
  local name=$1 col=$2 reason=$3 bad=$4
  shift 4
  begin "$name"
  printf '%s\n' "$JGOOD_A" "$bad" "$JGOOD_B" >in.jsonl
  printf '%s\n' 'txn_id,amount,memo' 'J1,1.50,a' 'J3,2.00,' >want.csv
  ingest 2 payments in.jsonl "$@"
  rejected "in.jsonl:2:$col" "$reason"
  counts 3 2 1
  exported payments
}

# =============================================================================
# CSV structure
# =============================================================================

begin "unterminated quote in the middle of the file"
printf 'txn_id,org,memo\nT1,O1,"ok"\nT2,O2,"unterminated\nT3,O3,fine\nT4,O4,also fine\n' >in.csv
printf 'txn_id,org,memo\nT1,O1,ok\nT3,O3,fine\nT4,O4,also fine\n' >want.csv
ingest 2 payments in.csv
rejected in.csv:3:7 "unterminated quoted field"
counts 4 3 1
exported payments

# The stray quote pairs with the opening quote of a later row: read strictly by
# RFC 4180, lines 3-5 are one record that then fails.  The reader should resync
# as it does at end of input (reject line 3 alone) so that T3 and T4 are kept.
begin "unterminated quote in the middle, a quoted field later"
printf 'txn_id,org,memo\nT1,O1,"ok"\nT2,O2,"unterminated\nT3,O3,fine\nT4,O4,"quoted, with comma"\n' >in.csv
printf 'txn_id,org,memo\nT1,O1,ok\nT3,O3,fine\nT4,O4,"quoted, with comma"\n' >want.csv
ingest 2 payments in.csv
rejected in.csv:3:7 "quote"
counts 4 3 1
exported payments

begin "unterminated quote on the last line (with newline)"
printf 'txn_id,org,memo\nT1,O1,a\nT2,O2,b\nT3,O3,"never closed\n' >in.csv
printf 'txn_id,org,memo\nT1,O1,a\nT2,O2,b\n' >want.csv
ingest 2 payments in.csv
rejected in.csv:4:7 "unterminated quoted field"
counts 3 2 1
exported payments

begin "unterminated quote at end of file (no final newline)"
printf 'txn_id,org,memo\nT1,O1,a\nT2,"O2,b' >in.csv
printf 'txn_id,org,memo\nT1,O1,a\n' >want.csv
ingest 2 payments in.csv
rejected in.csv:3:4 "unterminated quoted field"
counts 2 1 1
exported payments

csv_mixed "too few fields" payments 1 "wrong number of fields" \
  'txn_id,org,memo' 'T1,O1,a' 'T2,O2' 'T3,O3,c'
csv_mixed "too many fields" payments 1 "wrong number of fields" \
  'txn_id,org,memo' 'T1,O1,a' 'T2,O2,b,extra' 'T3,O3,c'
csv_mixed "text after a closing quote" payments 11 "after a closing quote" \
  'txn_id,org,memo' 'T1,O1,a' 'T2,O2,"ok"x' 'T3,O3,c'
csv_mixed "quote inside an unquoted field" payments 9 "quote inside an unquoted field" \
  'txn_id,org,memo' 'T1,O1,a' 'T2,O2,ab"c' 'T3,O3,c'
begin "wrong field count with ; delimiter"
printf 'a;b\n1;2\n3;4;5\n6;7\n' >in.csv
printf 'a,b\n1,2\n6,7\n' >want.csv
ingest 2 other in.csv --delimiter ';'
rejected in.csv:3:1 "wrong number of fields"
counts 3 2 1
exported other

begin "unterminated quote in a tab-separated file"
printf 'a\tb\nx\t1\ny\t"2\nz\t3\n' >in.tsv
printf 'a,b\nx,1\nz,3\n' >want.csv
ingest 2 other in.tsv --delimiter '\t'
rejected in.tsv:3:3 "unterminated quoted field"
counts 3 2 1
exported other

begin "line numbers count blank lines"
printf 'txn_id,amount\nT1,1.00\n\n\nT2,bad\nT3,2.00\n' >in.csv
printf 'txn_id,amount\nT1,1.00\nT3,2.00\n' >want.csv
ingest 2 payments in.csv
rejected in.csv:5:4 "not a decimal number"
counts 3 2 1
exported payments

begin "line numbers count newlines inside quoted fields"
printf 'txn_id,memo,amount\nT1,"two\nlines",1.00\nT2,x,bad\nT3,y,2.00\n' >in.csv
printf 'txn_id,memo,amount\nT1,"two\nlines",1.00\nT3,y,2.00\n' >want.csv
ingest 2 payments in.csv
rejected in.csv:4:6 "not a decimal number"
counts 3 2 1
exported payments

begin "CRLF file with a bad row"
printf 'txn_id,amount,memo\r\nT1,1.00,a\r\nT2,1.001,b\r\nT3,2.00,c\r\n' >in.csv
printf 'txn_id,amount,memo\nT1,1.00,a\nT3,2.00,c\n' >want.csv
ingest 2 payments in.csv
rejected in.csv:3:4 "decimal places"
counts 3 2 1
exported payments

begin "bad row in the second of two files"
printf 'txn_id,amount\nA1,1.00\nA2,2.00\n' >a.csv
printf 'txn_id,amount\nB1,3.00\nB2,x\nB3,4.00\n' >b.csv
printf 'txn_id,amount\nA1,1.00\nA2,2.00\nB1,3.00\nB3,4.00\n' >want.csv
ingest 2 payments a.csv b.csv
rejected b.csv:3:4 "not a decimal number"
counts 5 4 1
exported payments

begin "bad row read from standard input"
printf 'txn_id,amount\nT1,1.00\nT2,x\nT3,2.00\n' >in.csv
printf 'txn_id,amount\nT1,1.00\nT3,2.00\n' >want.csv
ingest 2 payments - <in.csv
rejected '<stdin>:3:4' "not a decimal number"
counts 3 2 1
exported payments

begin "bad row in gzip from standard input"
printf 'txn_id,amount\nT1,1.00\nT2,1.2.3\nT3,2.00\n' | gzip -n -c >in.gz
printf 'txn_id,amount\nT1,1.00\nT3,2.00\n' >want.csv
ingest 2 payments - <in.gz
rejected '<stdin>:3:4' "not a decimal number"
counts 3 2 1
exported payments

begin "checked-in fixture with several kinds of bad rows"
cp "$FIXTURES/mixed.csv" in.csv
cp "$FIXTURES/mixed.want.csv" want.csv
ingest 2 payments in.csv
rejected in.csv:3:30 "not a decimal number"
rejected in.csv:5:1 "wrong number of fields"
rejected in.csv:7:4 "month out of range"
rejected in.csv:10:25 "quote inside an unquoted field"
rejected in.csv:12:31 "unterminated quoted field"
counts 10 5 5
exported payments

# =============================================================================
# Numbers
# =============================================================================

csv_mixed "bad int64 (letters)" nums 3 "not an integer" \
  'id,n' '1,10' '2,12x' '3,30' --schema "$SCHEMAS/int64.txt"
csv_mixed "bad int64 (fraction)" nums 3 "not an integer" \
  'id,n' '1,10' '2,1.5' '3,30' --schema "$SCHEMAS/int64.txt"
csv_mixed "int64 overflow (--schema)" nums 3 "overflow" \
  'id,n' '1,9223372036854775807' '2,9223372036854775808' '3,-9223372036854775808' --schema "$SCHEMAS/int64.txt"
csv_mixed "int64 negative overflow (--schema)" nums 3 "overflow" \
  'id,n' '1,-9223372036854775808' '2,-9223372036854775809' '3,0' --schema "$SCHEMAS/int64.txt"
csv_mixed "int64 overflow, 20 digits (--schema)" nums 3 "overflow" \
  'id,n' '1,1' '2,99999999999999999999' '3,3' --schema "$SCHEMAS/int64.txt"

begin "int64 overflow appended to an inferred int64 table"
printf 'id,n\n1,10\n2,20\n' >first.csv
ingest 0 nums first.csv
"$FERRET" info "$STORE" nums --format json >info.txt
contains info.txt '{"name":"n","type":"int64"' "$CASE: column n inferred as int64"
printf 'id,n\n3,9223372036854775807\n4,9223372036854775808\n5,-9223372036854775808\n' >in.csv
printf 'id,n\n1,10\n2,20\n3,9223372036854775807\n5,-9223372036854775808\n' >want.csv
ingest 2 nums in.csv
rejected in.csv:3:3 "overflow"
counts 3 2 1
exported nums

csv_mixed "bad float64" other 3 "not a number" \
  'id,x' 'a,1.5' 'b,1.2.3' 'c,-2' --schema "$SCHEMAS/float64.txt"
csv_mixed "bad decimal (letters)" payments 4 "not a decimal number" \
  'txn_id,amount' 'T1,12.50' 'T2,12a.00' 'T3,-0.01'
csv_mixed "bad decimal (exponent)" payments 4 "not a decimal number" \
  'txn_id,amount' 'T1,12.50' 'T2,1e5' 'T3,0.00'
csv_mixed "bad decimal (two points)" payments 4 "not a decimal number" \
  'txn_id,amount' 'T1,12.50' 'T2,1.2.3' 'T3,0.10'
csv_mixed "bad decimal (3 decimal places)" payments 4 "decimal places" \
  'txn_id,amount' 'T1,12.50' 'T2,1.234' 'T3,0.10'
csv_mixed "decimal overflow (17 integer digits)" payments 4 "overflow" \
  'txn_id,amount' 'T1,9999999999999999.99' 'T2,12345678901234567.00' 'T3,-9999999999999999.99'
csv_mixed "decimal overflow (30 digits)" payments 4 "overflow" \
  'txn_id,amount' 'T1,1.00' 'T2,123456789012345678901234567890' 'T3,2.00'

# =============================================================================
# Dates and timestamps
# =============================================================================

csv_mixed "bad date (Feb 30)" dates 3 "day out of range" \
  'id,d' 'A,2024-02-29' 'B,2024-02-30' 'C,2024-12-31' --schema "$SCHEMAS/date.txt"
csv_mixed "bad date (month 0)" dates 3 "month out of range" \
  'id,d' 'A,2024-01-01' 'B,2024-00-10' 'C,2024-12-31' --schema "$SCHEMAS/date.txt"
csv_mixed "bad date (no dashes)" dates 3 "not a date" \
  'id,d' 'A,2024-01-01' 'B,20240101' 'C,2024-12-31' --schema "$SCHEMAS/date.txt"
csv_mixed "bad date (April 31)" dates 3 "day out of range" \
  'id,d' 'A,2024-04-30' 'B,2024-04-31' 'C,2024-12-31' --schema "$SCHEMAS/date.txt"

TSH='txn_id,ts,org'
TSA='T1,2024-01-01 00:00:00,O1'
TSB='T3,2024-12-31 23:59:59.999999,O3'
csv_mixed "timestamp month 13" payments 4 "month out of range" \
  "$TSH" "$TSA" 'T2,2024-13-01 10:00:00,O2' "$TSB"
csv_mixed "timestamp day 32" payments 4 "day out of range" \
  "$TSH" "$TSA" 'T2,2024-01-32 10:00:00,O2' "$TSB"
csv_mixed "timestamp Feb 30" payments 4 "day out of range" \
  "$TSH" "$TSA" 'T2,2024-02-30 10:00:00,O2' "$TSB"
csv_mixed "timestamp Feb 29 of a common year" payments 4 "day out of range" \
  "$TSH" 'T1,2024-02-29 00:00:00,O1' 'T2,2023-02-29 10:00:00,O2' "$TSB"
csv_mixed "timestamp hour 24" payments 4 "time of day out of range" \
  "$TSH" "$TSA" 'T2,2024-01-01 24:00:00,O2' "$TSB"
csv_mixed "timestamp minute 60" payments 4 "time of day out of range" \
  "$TSH" "$TSA" 'T2,2024-01-01 10:60:00,O2' "$TSB"
csv_mixed "timestamp bad fraction (letter)" payments 4 "fractional seconds" \
  "$TSH" "$TSA" 'T2,2024-01-01 10:00:00.12x,O2' "$TSB"
csv_mixed "timestamp bad fraction (7 digits)" payments 4 "fractional seconds" \
  "$TSH" "$TSA" 'T2,2024-01-01 10:00:00.1234567,O2' "$TSB"
csv_mixed "timestamp bad fraction (empty)" payments 4 "fractional seconds" \
  "$TSH" "$TSA" 'T2,2024-01-01 10:00:00.,O2' "$TSB"
csv_mixed "timestamp with a Z" payments 4 "time zone offset not accepted" \
  "$TSH" "$TSA" 'T2,2024-01-01T10:00:00Z,O2' "$TSB"
csv_mixed "timestamp with an offset" payments 4 "time zone offset not accepted" \
  "$TSH" "$TSA" 'T2,2024-01-01 10:00:00.5+08:00,O2' "$TSB"
csv_mixed "timestamp with a spaced offset" payments 4 "time zone offset not accepted" \
  "$TSH" "$TSA" 'T2,2024-01-01 10:00:00 -0500,O2' "$TSB"
csv_mixed "timestamp with trailing text" payments 4 "unexpected text after the time" \
  "$TSH" "$TSA" 'T2,2024-01-01 10:00:00am,O2' "$TSB"
csv_mixed "not a timestamp" payments 4 "not a timestamp" \
  "$TSH" "$TSA" 'T2,yesterday,O2' "$TSB"

# =============================================================================
# Encoding: UTF-8 and NUL
# =============================================================================

csv_mixed "invalid UTF-8: lone continuation byte" payments 5 "invalid UTF-8" \
  'txn_id,memo' $'T1,caf\xc3\xa9' $'T2,a\x80b' $'T3,\xf0\x9f\x98\x80'
csv_mixed "invalid UTF-8: overlong encoding" payments 4 "invalid UTF-8" \
  'txn_id,memo' 'T1,a' $'T2,\xc0\xafx' 'T3,c'
csv_mixed "invalid UTF-8: overlong 3-byte NUL" payments 4 "invalid UTF-8" \
  'txn_id,memo' 'T1,a' $'T2,\xe0\x80\x80' 'T3,c'
csv_mixed "invalid UTF-8: truncated sequence at field end" payments 6 "invalid UTF-8" \
  'txn_id,memo' 'T1,a' $'T2,ab\xe2\x82' 'T3,c'
csv_mixed "invalid UTF-8: truncated sequence before a delimiter" payments 4 "invalid UTF-8" \
  'txn_id,memo,org' 'T1,a,O1' $'T2,\xe2\x82,O2' 'T3,c,O3'
csv_mixed "invalid UTF-8: UTF-16 surrogate" payments 4 "invalid UTF-8" \
  'txn_id,memo' 'T1,a' $'T2,\xed\xa0\x80z' 'T3,c'
csv_mixed "invalid UTF-8: code point above U+10FFFF" payments 4 "invalid UTF-8" \
  'txn_id,memo' 'T1,a' $'T2,\xf4\x90\x80\x80' 'T3,c'
csv_mixed "invalid UTF-8 inside a quoted field" payments 7 "invalid UTF-8" \
  'txn_id,memo' 'T1,a' $'T2,"ab\xff,c"' 'T3,c'

begin "invalid UTF-8 in the header"
printf 'id,m\xc0\xafo\n1,a\n2,b\n' >in.csv
ingest 2 other in.csv
said "in.csv:1:5"
contains err.txt "UTF-8" "$CASE: reason"
absent other

# Lines ended by CR alone (classic Mac): the splitter takes only LF as a line end,
# so the whole file would be one header row and every data row lost with exit 0.
begin "CR-only line ends"
printf 'txn_id,memo\rT1,a\rT2,b\r' >in.csv
ingest 2 payments in.csv
said "in.csv:1:12"
contains err.txt "carriage return" "$CASE: reason"
absent payments

begin "embedded NUL in an unquoted field"
printf 'txn_id,memo\nT1,a\nT2,a\000b\nT3,c\n' >in.csv
printf 'txn_id,memo\nT1,a\nT3,c\n' >want.csv
ingest 2 payments in.csv
rejected in.csv:3:5 "NUL"
counts 3 2 1
exported payments

begin "embedded NUL in a quoted field"
printf 'txn_id,memo\nT1,a\nT2,"x\000"\nT3,c\n' >in.csv
printf 'txn_id,memo\nT1,a\nT3,c\n' >want.csv
ingest 2 payments in.csv
rejected in.csv:3:6 "NUL"
counts 3 2 1
exported payments

# =============================================================================
# Record size and decompression bombs
# =============================================================================

begin "record over --max-record 1K"
{ printf 'txn_id,memo\nT1,a\nT2,'; xs 5000; printf '\nT3,c\n'; } >in.csv
printf 'txn_id,memo\nT1,a\nT3,c\n' >want.csv
ingest 2 payments in.csv --max-record 1K
rejected in.csv:3:1 "maximum record size"
counts 3 2 1
exported payments

begin "record over the default --max-record (4M)"
{ printf 'txn_id,memo\nT1,a\nT2,'; xs 5000000; printf '\nT3,c\n'; } >in.csv
printf 'txn_id,memo\nT1,a\nT3,c\n' >want.csv
ingest 2 payments in.csv
rejected in.csv:3:1 "maximum record size"
counts 3 2 1
exported payments

begin "decompression bomb: 250 MB single line without newline in a small .zst"
{ printf 'txn_id,memo\nT1,a\nT2,b\nT3,'; xs 250000000; } | zstd -q -c >in.csv.zst
printf 'txn_id,memo\nT1,a\nT2,b\n' >want.csv
rm -f rej.csv
expect_rc 2 "$CASE: exit status under ulimit -v 1.5 GB" \
  bounded "$FERRET" ingest "$STORE" payments in.csv.zst --threads 2 --rejects rej.csv
rss_below 400000
rejected in.csv.zst:4:1 "maximum record size"
counts 3 2 1
exported payments

begin "decompression bomb followed by a good row"
{ printf 'txn_id,memo\nT1,a\nT2,b\nT3,'; xs 250000000; printf '\nT4,d\n'; } | zstd -q -c >in.csv.zst
printf 'txn_id,memo\nT1,a\nT2,b\nT4,d\n' >want.csv
rm -f rej.csv
expect_rc 2 "$CASE: exit status under ulimit -v 1.5 GB" \
  bounded "$FERRET" ingest "$STORE" payments in.csv.zst --threads 2 --rejects rej.csv
rss_below 400000
rejected in.csv.zst:4:1 "maximum record size"
counts 4 3 1
exported payments

begin "decompression bomb: 250 MB single line in a 1 MB .gz"
{ printf 'txn_id,memo\nT1,a\nT2,b\nT3,'; xs 250000000; } | gzip -1 -n -c >in.csv.gz
printf 'txn_id,memo\nT1,a\nT2,b\n' >want.csv
rm -f rej.csv
expect_rc 2 "$CASE: exit status under ulimit -v 1.5 GB" \
  bounded "$FERRET" ingest "$STORE" payments in.csv.gz --threads 2 --rejects rej.csv
rss_below 400000
rejected in.csv.gz:4:1 "maximum record size"
counts 3 2 1
exported payments

# =============================================================================
# Compressed inputs
# =============================================================================

# part1.csv is the header and two good rows; part2.csv is two more rows, the
# first long and compressible so that a cut inside its frame/member yields no
# complete line.
make_parts() {
  printf 'txn_id,memo\nT1,a\nT2,b\n' >part1.csv
  { printf 'T3,'; printf 'cdcdcdcdcd%.0s' $(seq 1 40); printf '\nT4,d\n'; } >part2.csv
  printf 'txn_id,memo\nT1,a\nT2,b\n' >want.csv
}

begin "truncated .zst (cut inside the second frame)"
make_parts
zstd -q -c part1.csv >in.csv.zst
zstd -q -c part2.csv >part2.zst
head -c $(($(stat -c %s part2.zst) / 2)) part2.zst >>in.csv.zst
ingest 2 payments in.csv.zst
rejected in.csv.zst:4:1 "input ends early:"
contains rej.csv "truncated" "$CASE: reason says truncated"
counts 3 2 1
exported payments

begin "truncated .gz (cut inside the second member)"
make_parts
gzip -n -c part1.csv >in.csv.gz
gzip -n -c part2.csv >part2.gz
head -c 16 part2.gz >>in.csv.gz
ingest 2 payments in.csv.gz
rejected in.csv.gz:4:1 "input ends early:"
contains rej.csv "truncated" "$CASE: reason says truncated"
counts 3 2 1
exported payments

begin "truncated .gz (single member, cut near its end)"
{ printf 'txn_id,memo\n'; seq 1 3000 | sed 's/.*/T&,memo &/'; } >full.csv
gzip -n -c full.csv >full.gz
head -c $(($(stat -c %s full.gz) - 12)) full.gz >in.csv.gz
ingest 2 payments in.csv.gz
contains err.txt "in.csv.gz:" "$CASE: stderr names the file"
contains err.txt "input ends early:" "$CASE: stderr"
stored=$(sed -n 's/^ *rows stored *\([0-9]*\).*/\1/p' out.txt)
if [ -n "$stored" ] && [ "$stored" -gt 2500 ]; then
  pass
  counts $((stored + 1)) "$stored" 1
else
  fail "$CASE: only '${stored}' rows stored of ~3000 before the cut"
fi
if "$FERRET" export "$STORE" payments >got.csv 2>/dev/null && cmp -s got.csv <(head -n "$(wc -l <got.csv)" full.csv); then
  pass
else
  fail "$CASE: export is not a prefix of the input"
fi

# 1M rows (~19 MB of text): more than one 16 MB read block and more rows than
# one record block holds, so the cut is met after some blocks went through.
begin "truncated .zst after 19 MB of good rows"
make_parts
{ printf 'txn_id,memo\n'; seq 1 1000000 | sed 's/.*/T&,memo &/'; } >want.csv
zstd -q -c want.csv >in.csv.zst
zstd -q -c part2.csv >part2.zst
head -c $(($(stat -c %s part2.zst) / 2)) part2.zst >>in.csv.zst
ingest 2 payments in.csv.zst
rejected in.csv.zst:1000002:1 "input ends early:"
counts 1000001 1000000 1
exported payments

begin "truncated .zst with nothing decodable (whole ingest fails)"
printf 'txn_id,memo\nT1,a\nT2,b\n' | zstd -q -c >full.zst
head -c 8 full.zst >in.csv.zst
ingest 2 payments in.csv.zst
said "in.csv.zst"
contains err.txt "truncated" "$CASE: reason"
absent payments

begin "corrupt .zst bytes (second frame damaged)"
make_parts
zstd -q -c part1.csv >in.csv.zst
{ printf '\050\265\057\375'; head -c 24 /dev/zero | tr '\0' '\377'; } >>in.csv.zst
ingest 2 payments in.csv.zst
rejected in.csv.zst:4:1 "input ends early:"
contains rej.csv "corrupt" "$CASE: reason says corrupt"
counts 3 2 1
exported payments

begin "corrupt .gz bytes (second member damaged)"
make_parts
gzip -n -c part1.csv >in.csv.gz
gzip -n -c part2.csv >part2.gz && head -c 10 part2.gz >>in.csv.gz
head -c 24 /dev/zero | tr '\0' '\377' >>in.csv.gz
ingest 2 payments in.csv.gz
rejected in.csv.gz:4:1 "input ends early:"
counts 3 2 1
exported payments

begin "trailing garbage after a .gz member"
printf 'txn_id,memo\nT1,a\nT2,b\nT3,c\n' >want.csv
gzip -n -c want.csv >in.csv.gz
printf 'GARBAGE\n' >>in.csv.gz
ingest 2 payments in.csv.gz
rejected in.csv.gz:5: "garbage"
counts 4 3 1
exported payments

begin "trailing garbage after a .zst frame"
printf 'txn_id,memo\nT1,a\nT2,b\nT3,c\n' >want.csv
zstd -q -c want.csv >in.csv.zst
printf 'GARBAGE\n' >>in.csv.zst
ingest 2 payments in.csv.zst
rejected in.csv.zst:5: "input ends early:"
counts 4 3 1
exported payments

begin "plain text named .zst"
printf 'txn_id,memo\nT1,a\n' >in.csv.zst
ingest 2 payments in.csv.zst
said "in.csv.zst"
contains err.txt "zstd" "$CASE: reason"
absent payments

begin "plain text named .gz"
printf 'txn_id,memo\nT1,a\n' >in.csv.gz
ingest 2 payments in.csv.gz
said "in.csv.gz"
contains err.txt "gzip" "$CASE: reason"
absent payments

begin "truncated .gz first, a good file second"
make_parts
gzip -n -c part1.csv >a.csv.gz
gzip -n -c part2.csv >part2.gz && head -c 16 part2.gz >>a.csv.gz
printf 'txn_id,memo\nB1,x\nB2,y\n' >b.csv
printf 'txn_id,memo\nT1,a\nT2,b\nB1,x\nB2,y\n' >want.csv
ingest 2 payments a.csv.gz b.csv
rejected a.csv.gz:4:1 "input ends early:"
counts 5 4 1
exported payments

# =============================================================================
# Headers and whole-file errors
# =============================================================================

begin "empty file"
: >in.csv
ingest 2 payments in.csv
said "in.csv"
contains err.txt "header" "$CASE: reason"
absent payments

begin "empty file after a good file (whole ingest fails)"
printf 'txn_id,memo\nT1,a\n' >a.csv
: >b.csv
ingest 2 payments a.csv b.csv
said "b.csv"
absent payments

begin "header-only file"
printf 'txn_id,memo\n' >in.csv
printf 'txn_id,memo\n' >want.csv
ingest 0 payments in.csv
counts 0 0 0
exported payments

begin "duplicate header names"
printf 'txn_id,memo,memo\nT1,a,b\n' >in.csv
ingest 2 payments in.csv
said "in.csv:1:13"
contains err.txt "duplicate" "$CASE: reason"
absent payments

begin "unterminated quote in the header"
printf 'txn_id,"memo\nT1,a\n' >in.csv
ingest 2 payments in.csv
said "in.csv:1:8"
absent payments

begin "header mismatch when appending"
printf 'txn_id,memo\nT1,a\nT2,b\n' >want.csv
ingest 0 payments want.csv
printf 'txn_id,note\nT3,c\n' >in.csv
ingest 2 payments in.csv
said "in.csv:1"
contains err.txt "note" "$CASE: the unexpected column is named"
exported payments

# =============================================================================
# Valid inputs that look unusual: must ingest clean
# =============================================================================

begin "CRLF line endings (valid)"
printf 'txn_id,ts,amount,memo\r\nT1,2024-01-01 10:00:00,1.00,a\r\nT2,2024-01-02T11:00:00,2.50,"multi\r\nline"\r\n\r\nT3,2024-01-03,,\r\n' >in.csv
printf 'txn_id,ts,amount,memo\nT1,2024-01-01 10:00:00,1.00,a\nT2,2024-01-02 11:00:00,2.50,"multi\r\nline"\nT3,2024-01-03 00:00:00,,\n' >want.csv
ingest 0 payments in.csv
counts 3 3 0
exported payments

begin "UTF-8 BOM (valid)"
printf '\357\273\277txn_id,amount\nT1,1.00\nT2,2.00\n' >in.csv
printf 'txn_id,amount\nT1,1.00\nT2,2.00\n' >want.csv
ingest 0 payments in.csv
counts 2 2 0
exported payments

begin "UTF-8 BOM and CRLF in a .gz (valid)"
printf '\357\273\277txn_id,amount\r\nT1,1.00\r\nT2,2.00\r\n' | gzip -n -c >in.csv.gz
printf 'txn_id,amount\nT1,1.00\nT2,2.00\n' >want.csv
ingest 0 payments in.csv.gz
counts 2 2 0
exported payments

begin "several .gz members and .zst frames (valid)"
make_parts
gzip -n -c part1.csv >a.csv.gz
gzip -n -c part2.csv >>a.csv.gz
zstd -q -c part1.csv >b.csv.zst
zstd -q -c part2.csv >>b.csv.zst
{ cat part1.csv part2.csv; tail -n +2 part1.csv; cat part2.csv; } >want.csv
ingest 0 payments a.csv.gz b.csv.zst
counts 8 8 0
exported payments

# =============================================================================
# --strict
# =============================================================================

begin "--strict stores nothing (new table)"
printf 'txn_id,amount\nT1,1.00\nT2,x\nT3,2.00\n' >in.csv
ingest 2 payments in.csv --strict
rejected in.csv:3:4 "not a decimal number"
absent payments

begin "--strict leaves an existing table unchanged"
printf 'txn_id,amount\nT0,5.00\n' >want.csv
ingest 0 payments want.csv
printf 'txn_id,amount\nT1,1.00\nT2,1.234\nT3,2.00\n' >in.csv
ingest 2 payments in.csv --strict
rejected in.csv:3:4 "decimal places"
exported payments

begin "--strict with a truncated .gz"
make_parts
gzip -n -c part1.csv >in.csv.gz
gzip -n -c part2.csv >part2.gz && head -c 16 part2.gz >>in.csv.gz
ingest 2 payments in.csv.gz --strict
said "in.csv.gz"
absent payments

begin "--strict with a bad JSON line"
printf '%s\n' "$JGOOD_A" '[1]' "$JGOOD_B" >in.jsonl
ingest 2 payments in.jsonl --strict
rejected in.jsonl:2:1 "not a JSON object"
absent payments

# =============================================================================
# JSON lines
# =============================================================================

bad='{"txn_id" "J2","amount":1}'
json_mixed "JSON: missing colon" "$(colof "$bad" '"J2"')" "malformed JSON" "$bad"
bad='{"txn_id":J2}'
json_mixed "JSON: unquoted string" "$(colof "$bad" 'J2')" "malformed JSON" "$bad"
bad='{"txn_id":"J2","amount":1,}'
json_mixed "JSON: trailing comma" "" "JSON" "$bad"
bad='{"txn_id":"J2","memo":"a\qb"}'
json_mixed "JSON: bad escape" "$(colof "$bad" 'qb')" "malformed JSON" "$bad"
bad='{"txn_id":"J2","amount":1.00'
json_mixed "JSON: line ends inside the object" $((${#bad} + 1)) "JSON" "$bad"
json_mixed "JSON: array line" 1 "not a JSON object" '[1,2,3]'
# json-c reads an integer beyond int64 as the nearest int64 / uint64 bound and -0 as
# 0: the literal as written is what a text column keeps and what a number column parses
begin "JSON: integers json-c would change"
printf '%s\n' '{"id":"a","acct":62220212345678901234}' '{"id":"b","acct":-0,"n":{"acct":0}}' \
  '{"id":"c","acct":-92233720368547758080}' '{"id":"d","acct":"x"}' '{"id":"e","acct":0}' >in.jsonl
printf '%s\n' 'id,acct,n' 'a,62220212345678901234,' 'b,-0,"{""acct"":0}"' 'c,-92233720368547758080,' 'd,x,' \
  'e,0,' >want.csv
ingest 0 accounts in.jsonl
counts 5 5 0
exported accounts
begin "JSON: an integer beyond decimal(18,2) is rejected, not clamped"
printf '%s\n' '{"txn_id":"J1","amount":1}' '{"txn_id":"J2","amount":62220212345678901234}' '{"txn_id":"J3","amount":0}' >in.jsonl
printf '%s\n' 'txn_id,amount' 'J1,1.00' 'J3,0.00' >want.csv
ingest 2 payments in.jsonl
rejected "in.jsonl:2:25" "numeric overflow"
counts 3 2 1
exported payments
bad='{"txn_id":"J2","ts":1704067200}'
begin "JSON: epoch number for a timestamp"
printf '%s\n' '{"txn_id":"J1","ts":"2024-01-01 10:00:00"}' "$bad" '{"txn_id":"J3","ts":null}' >in.jsonl
printf '%s\n' 'txn_id,ts' 'J1,2024-01-01 10:00:00' 'J3,' >want.csv
ingest 2 payments in.jsonl
rejected "in.jsonl:2:$(colof "$bad" '1704067200')" "a JSON number or boolean is not a timestamp (write it as a string"
counts 3 2 1
exported payments
json_mixed "JSON: string line" 1 "not a JSON object" '"J2"'
json_mixed "JSON: number line" 1 "not a JSON object" '42'
json_mixed "JSON: null line" 1 "not a JSON object" 'null'
bad='{"txn_id":"J2","amount":1.00} trailing'
json_mixed "JSON: trailing text" "$(colof "$bad" 'trailing')" "trailing text" "$bad"
bad='{"txn_id":"J2"}{"txn_id":"J4"}'
json_mixed "JSON: two objects on one line" 16 "trailing text" "$bad"
# json-c keeps only the last value of a repeated key: the row must be rejected
# (as DuckDB does), not stored with the first value silently dropped.
bad='{"txn_id":"J2","amount":1,"txn_id":"J4"}'
json_mixed "JSON: duplicate key" $(($(colof "$bad" ',"txn_id":"J4"') + 1)) "duplicate key (txn_id)" "$bad"
bad='{"txn_id":"J2","memo":"x","memo":null}'
json_mixed "JSON: duplicate key, the last value null" $(($(colof "$bad" ',"memo":null') + 1)) "duplicate key (memo)" "$bad"
bad='{"txn_id":"J2","amount":{"v":1}}'
json_mixed "JSON: nested object into a decimal column" "$(colof "$bad" '{"v"')" "nested" "$bad"
bad='{"txn_id":"J2","amount":[1]}'
json_mixed "JSON: nested array into a decimal column" "$(colof "$bad" '[1]')" "nested" "$bad"
bad='{"txn_id":"J2","amount":1.234}'
json_mixed "JSON: 3 decimal places" "$(colof "$bad" '1.234')" "decimal places" "$bad"
bad='{"txn_id":"J2","amount":"12a"}'
json_mixed "JSON: letters in a decimal" "$(colof "$bad" '"12a"')" "not a decimal number" "$bad"
bad='{"txn_id":"J2","amount":99999999999999999}'
json_mixed "JSON: decimal overflow" "$(colof "$bad" '999')" "overflow" "$bad"
bad='{"txn_id":"J2","amount":true}'
json_mixed "JSON: boolean into a decimal column" "$(colof "$bad" 'true')" "not a decimal number" "$bad"
bad='{"txn_id":"J2\u0000x","amount":1}'
json_mixed "JSON: \\u0000 escape in a string" "$(colof "$bad" '"J2')" "NUL" "$bad"
bad=$'{"txn_id":"J2","memo":"a\x80b"}'
json_mixed "JSON: invalid UTF-8 in a string" "$(colof "$bad" $'\x80')" "invalid UTF-8" "$bad"
bad='{"txn_id":"J2","memo":"\ud800"}'
json_mixed "JSON: lone surrogate escape" "" "" "$bad"
begin "JSON: timestamp month 13"
bad='{"txn_id":"J2","ts":"2024-13-01 00:00:00"}'
printf '%s\n' '{"txn_id":"J1","ts":"2024-01-01T10:00:00"}' "$bad" '{"txn_id":"J3","ts":"2024-02-29"}' >in.jsonl
printf '%s\n' 'txn_id,ts' 'J1,2024-01-01 10:00:00' 'J3,2024-02-29 00:00:00' >want.csv
ingest 2 payments in.jsonl
rejected "in.jsonl:2:$(colof "$bad" '"2024')" "month out of range"
counts 3 2 1
exported payments

begin "JSON: raw NUL byte after the object"
printf '%s\n{"txn_id":"J2","amount":1}\000\n%s\n' "$JGOOD_A" "$JGOOD_B" >in.jsonl
printf '%s\n' 'txn_id,amount,memo' 'J1,1.50,a' 'J3,2.00,' >want.csv
ingest 2 payments in.jsonl
rejected in.jsonl:2:27 "NUL"
counts 3 2 1
exported payments

begin "JSON: raw NUL byte inside a string"
printf '%s\n{"txn_id":"J2","memo":"a\000b"}\n%s\n' "$JGOOD_A" "$JGOOD_B" >in.jsonl
printf '%s\n' 'txn_id,amount,memo' 'J1,1.50,a' 'J3,2.00,' >want.csv
ingest 2 payments in.jsonl
rejected in.jsonl:2:25 "NUL"
counts 3 2 1
exported payments

begin "JSON: malformed first line, schema from the next"
printf 'not json\n%s\n%s\n' "$JGOOD_A" "$JGOOD_B" >in.jsonl
printf '%s\n' 'txn_id,amount,memo' 'J1,1.50,a' 'J3,2.00,' >want.csv
ingest 2 payments in.jsonl
rejected in.jsonl:1: "malformed JSON"
counts 3 2 1
exported payments

begin "JSON: unknown key when appending"
printf '%s\n' "$JGOOD_A" >first.jsonl
ingest 0 payments first.jsonl
bad='{"txn_id":"J2","amount":"1.00","zzz":"q"}'
printf '%s\n' "$bad" "$JGOOD_B" >in.jsonl
printf '%s\n' 'txn_id,amount,memo' 'J1,1.50,a' 'J3,2.00,' >want.csv
ingest 2 payments in.jsonl
rejected "in.jsonl:1:$(colof "$bad" '"zzz"')" "zzz"
counts 2 1 1
exported payments

begin "JSON: line over --max-record"
{ printf '%s\n{"txn_id":"J2","memo":"' "$JGOOD_A"; xs 3000; printf '"}\n%s\n' "$JGOOD_B"; } >in.jsonl
printf '%s\n' 'txn_id,amount,memo' 'J1,1.50,a' 'J3,2.00,' >want.csv
ingest 2 payments in.jsonl --max-record 1K
rejected in.jsonl:2:1 "maximum record size"
counts 3 2 1
exported payments

begin "JSON: truncated .zst"
printf '%s\n%s\n' "$JGOOD_A" "$JGOOD_B" | zstd -q -c >in.jsonl.zst
{ printf '{"txn_id":"J9","memo":"'; printf 'abababab%.0s' $(seq 1 50); printf '"}\n'; } | zstd -q -c >part2.zst
head -c $(($(stat -c %s part2.zst) / 2)) part2.zst >>in.jsonl.zst
printf '%s\n' 'txn_id,amount,memo' 'J1,1.50,a' 'J3,2.00,' >want.csv
ingest 2 payments in.jsonl.zst
rejected in.jsonl.zst:3:1 "input ends early:"
counts 3 2 1
exported payments

begin "JSON: CRLF lines and blank lines (valid)"
printf '%s\r\n\r\n%s\r\n' "$JGOOD_A" "$JGOOD_B" >in.jsonl
printf '%s\n' 'txn_id,amount,memo' 'J1,1.50,a' 'J3,2.00,' >want.csv
ingest 0 payments in.jsonl
counts 2 2 0
exported payments

echo "$ncase cases"
finish
