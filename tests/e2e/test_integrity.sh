#!/usr/bin/env bash
# shellcheck disable=SC2154  # exit codes are set through run_rc's nameref
# test_integrity.sh - damage to a store is always detected, never read as
# silently wrong data (DESIGN.md "The store"; fr_segment.h, fr_store.h).
#
#   (a) one flipped bit at every byte offset of a segment file (every bit of its
#       header and trailer) and at every byte of MANIFEST: verify exits 3 naming
#       the segment (and the column, for a chunk byte), export fails naming the
#       table and column; for MANIFEST also info fails and ingest refuses without
#       touching the store;
#   (b) truncated (and grown) segment files; MANIFEST truncated, emptied, deleted;
#   (c) swapped chunks of equal length (two columns of one segment, one column of
#       two segments), a chunk copied over another, two segment files of the same
#       table and size swapped, one copied over the other;
#   (d) a replayed old MANIFEST: verify, export, info and ingest refuse it;
#   (e) a deleted segment file.
#
# Bytes are patched with od and dd only (no python, perl or xxd).  The per-byte
# checks are summarised: one pass/fail per check, listing the first
# offsets that failed.  FERRET_FLIP_STRIDE (default 1) tests every Nth byte only,
# for quick runs while developing; FERRET_FLIP_BUDGET (default 150 s) caps the
# segment bit-flip loop on a slow or busy machine (it says so when it stops).
source "$(dirname "$0")/lib.sh"

stride=${FERRET_FLIP_STRIDE:-1}
flip_budget=${FERRET_FLIP_BUDGET:-150}


# --- byte helpers ---------------------------------------------------------
put_byte() {  # put_byte FILE OFFSET VALUE
  local esc
  printf -v esc '\\%03o' "$3"
  printf "$esc" >onebyte.bin
  dd if=onebyte.bin of="$1" bs=1 seek="$2" count=1 conv=notrunc status=none
}
# load_bytes FILE: the file's bytes (decimal) into the array file_bytes, so that a
# flip costs one dd and no od.
load_bytes() { read -r -d '' -a file_bytes < <(od -A n -t u1 -v "$1") || true; }
# flip_bit FILE OFFSET BIT, with file_bytes holding FILE's original bytes; the
# same call again puts the original byte back.
flip_bit() {
  local v=${file_bytes[$2]}
  if [ -n "${flipped[$2]:-}" ]; then unset "flipped[$2]"; put_byte "$1" "$2" "$v"; return; fi
  flipped[$2]=1
  put_byte "$1" "$2" $((v ^ (1 << $3)))
}
declare -A flipped=()
u64_at() { od -A n -t u8 --endian=little -j "$2" -N 8 "$1" | tr -d ' \n'; }
file_size() { stat -c %s "$1"; }
# copy_bytes SRC SRC_OFF LEN DST DST_OFF
copy_bytes() {
  dd if="$1" iflag=skip_bytes,count_bytes skip="$2" count="$3" bs=65536 status=none |
    dd of="$4" oflag=seek_bytes seek="$5" conv=notrunc bs=65536 status=none
}
# swap_bytes FILE_A OFF_A FILE_B OFF_B LEN
swap_bytes() {
  dd if="$1" iflag=skip_bytes,count_bytes skip="$2" count="$5" bs=65536 status=none >swap_a.bin
  copy_bytes "$3" "$4" "$5" "$1" "$2"
  dd if=swap_a.bin of="$3" oflag=seek_bytes seek="$4" conv=notrunc bs=65536 status=none
}
# column_chunks STORE TABLE: "name stored_bytes" per column, from info --format json.
column_chunks() {
  ferret info "$1" "$2" --format json | awk '
    { text = text $0 }
    END {
      start = index(text, "\"columns\":[")
      if (start == 0) exit 1
      rest = substr(text, start + 11)
      rest = substr(rest, 1, index(rest, "]") - 1)
      n = split(rest, objs, "},{")
      for (i = 1; i <= n; i++) {
        if (!match(objs[i], /"name":"[^"]*"/)) exit 1
        name = substr(objs[i], RSTART + 8, RLENGTH - 9)
        if (!match(objs[i], /"stored_bytes":[0-9]+/)) exit 1
        print name, substr(objs[i], RSTART + 15, RLENGTH - 15)
      }
    }'
}
# run_rc VAR COMMAND...: runs COMMAND (stdout > out.txt, stderr > err.txt), stores
# its exit status in VAR.
# shellcheck disable=SC2034,SC2154  # rc_ref is a nameref to the caller's variable
run_rc() {
  local -n rc_ref=$1
  shift
  rc_ref=0
  "$@" >out.txt 2>err.txt || rc_ref=$?
}
# A failure at a byte offset is tallied per check; report_checks turns the
# tallies into one pass or fail per check.
declare -A nbad=() badlist=()
note_bad() {
  nbad[$1]=$((${nbad[$1]:-0} + 1))
  if [ "${nbad[$1]}" -le 10 ]; then badlist[$1]+=" $2"; fi
}
report_checks() {  # report_checks WHAT TOTAL CHECK...
  local what=$1 total=$2 check
  shift 2
  for check in "$@"; do
    if [ "${nbad[$check]:-0}" = 0 ]; then
      pass
    else
      fail "$what: '$check' failed at ${nbad[$check]} of $total damaged copies; first (offset.bit:exit):${badlist[$check]}"
    fi
    unset "nbad[$check]" "badlist[$check]"
  done
}
# rc_is_clean_error RC: a non-zero exit of ferret itself, not a crash (signal) or
# a failure to run it.
rc_is_clean_error() { [ "$1" -ge 1 ] && [ "$1" -le 125 ]; }

# --- test data --------------------------------------------------------------
# payments: the canonical schema, 300 rows, one segment of a few KB.
awk 'BEGIN {
  print "txn_id,ts,org,payee,amount,memo"
  for (i = 1; i <= 300; i++)
    printf "%d,2024-01-%02d 10:%02d:00,org%d,payee%d,%d.%02d,memo %d\n", i, (i % 28) + 1, i % 60, i % 5, i % 17, i * 3, i % 100, i
}' >payments.csv
# pairs: two int64 columns of random 20-bit values, so that x and y (and the same
# column of two ingests) encode to chunks of equal length but different bytes.
printf 'id int64\nx int64\ny int64\n' >pairs.schema
make_pairs() {
  awk -v seed="$1" 'BEGIN {
    srand(seed); print "id,x,y"
    for (i = 1; i <= 300; i++) printf "%d,%d,%d\n", i, int(rand() * 1048576), int(rand() * 1048576)
  }'
}
make_pairs 11 >pairs1.csv
make_pairs 12 >pairs2.csv

expect_rc 0 "ingest payments" ferret ingest pristine payments payments.csv
expect_rc 0 "ingest pairs 1" ferret ingest pristine pairs pairs1.csv --schema pairs.schema
pairs_v1_json=$(column_chunks pristine pairs)
pairs_seg1=$(cd pristine && ls data/pairs-*.fseg)
expect_rc 0 "ingest pairs 2" ferret ingest pristine pairs pairs2.csv --schema pairs.schema
pairs_seg2=""
for f in pristine/data/pairs-*.fseg; do
  if [ "${f#pristine/}" != "$pairs_seg1" ]; then pairs_seg2=${f#pristine/}; fi
done
pay_seg=$(cd pristine && ls data/payments-*.fseg)
check "one payments segment" test "$(echo "$pay_seg" | wc -l)" = 1
check "two pairs segments" test "$(echo "$pairs_seg1 $pairs_seg2" | wc -w)" = 2

expect_rc 0 "verify intact store" ferret verify pristine
contains out.txt "ok" "verify intact store"
expect_rc 0 "export intact payments" ferret export pristine payments
check "export intact payments = input" cmp -s out.txt payments.csv
expect_rc 0 "export intact pairs" ferret export pristine pairs
check "export intact pairs = inputs" cmp -s out.txt <(cat pairs1.csv; tail -n +2 pairs2.csv)

# Layout of the payments segment: one row group, so column c's chunk is
# [16 + sum of the earlier columns' stored bytes, + its stored bytes).
seg_size=$(file_size "pristine/$pay_seg")
footer_off=$(u64_at "pristine/$pay_seg" $((seg_size - 32)))
mapfile -t pay_cols < <(column_chunks pristine payments)
chunk_starts=() chunk_ends=() chunk_names=()
pos=16
for line in "${pay_cols[@]}"; do
  read -r name bytes <<<"$line"
  chunk_names+=("$name") chunk_starts+=("$pos") chunk_ends+=($((pos + bytes)))
  pos=$((pos + bytes))
done
check "payments chunk layout (info stored_bytes) ends at the footer offset in the trailer ($pos = $footer_off)" test "$pos" = "$footer_off"
echo "payments segment: $seg_size bytes, ${#chunk_names[@]} chunks in [16, $footer_off), footer [$footer_off, $((seg_size - 32))), trailer [$((seg_size - 32)), $seg_size)"

# region_of OFFSET: sets region to "header", "footer", "trailer" or "chunk:COLUMN".
region_of() {
  local off=$1 idx
  region=gap
  if [ "$off" -lt 16 ]; then region=header; return; fi
  if [ "$off" -ge $((seg_size - 32)) ]; then region=trailer; return; fi
  if [ "$off" -ge "$footer_off" ]; then region=footer; return; fi
  for idx in "${!chunk_names[@]}"; do
    if [ "$off" -ge "${chunk_starts[$idx]}" ] && [ "$off" -lt "${chunk_ends[$idx]}" ]; then
      region="chunk:${chunk_names[$idx]}"
      return
    fi
  done
}

# --- (a) one flipped bit in the payments segment ---------------------------
rm -rf work && cp -a pristine work
seg=work/$pay_seg
seg_base=$(basename "$pay_seg")
load_bytes "$seg"
check "od read the whole segment" test "${#file_bytes[@]}" = "$seg_size"
# Every byte (bit offset%8), in 13 interleaved passes so that a run cut short by
# the time budget still covers the whole file evenly; then every other bit of the
# header and trailer.
flip_targets=()  # "offset bit"
for ((pass_no = 0; pass_no < 13; pass_no++)); do
  for ((off = pass_no * stride; off < seg_size; off += 13 * stride)); do flip_targets+=("$off $((off % 8))"); done
done
for ((off = 0; off < seg_size; off++)); do
  if [ "$off" -lt 16 ] || [ "$off" -ge $((seg_size - 32)) ]; then
    for bit in 0 1 2 3 4 5 6 7; do
      if [ "$bit" != $((off % 8)) ]; then flip_targets+=("$off $bit"); fi
    done
  fi
done
nl=$'\n'
t0=$SECONDS
n_flips=0
for target in "${flip_targets[@]}"; do
  if [ $((SECONDS - t0)) -ge "$flip_budget" ]; then
    echo "NOTE: segment bit flips stopped by the time budget (FERRET_FLIP_BUDGET=$flip_budget s) after $n_flips of ${#flip_targets[@]}"
    break
  fi
  read -r off bit <<<"$target"
  region_of "$off"
  tag="$off.$bit"
  flip_bit "$seg" "$off" "$bit"
  n_flips=$((n_flips + 1))
  vrc=0
  ferret verify work >verify.txt 2>&1 || vrc=$?
  read -r -d '' vtxt <verify.txt || true
  [ "$vrc" = 3 ] || note_bad "verify exits 3" "$tag:$vrc"
  [[ $vtxt =~ (^|$nl)DAMAGED:\ [^$nl]*$seg_base ]] || note_bad "verify prints DAMAGED naming the segment" "$tag"
  if [[ $region == chunk:* ]]; then
    col=${region#chunk:}
    [[ $vtxt =~ (^|$nl)DAMAGED:\ table\ payments,\ [^$nl]*column\ $col([^A-Za-z0-9_]|$) ]] ||
      note_bad "verify names table payments and the chunk's column" "$tag($col)"
  fi
  erc=0
  ferret export work payments >/dev/null 2>err.txt || erc=$?
  read -r -d '' etxt <err.txt || true
  rc_is_clean_error "$erc" || note_bad "export fails (non-zero, no crash)" "$tag:$erc"
  if [[ $region == chunk:* ]]; then
    [[ $etxt =~ payments.*column\ $col([^A-Za-z0-9_]|$) ]] || note_bad "export error names the table and the chunk's column" "$tag($col)"
  else
    [[ $etxt == *"$seg_base"* ]] || note_bad "export error names the segment" "$tag"
  fi
  flip_bit "$seg" "$off" "$bit"
done
check "segment restored after the bit flips" cmp -s "$seg" "pristine/$pay_seg"
report_checks "bit flips in $pay_seg" "$n_flips" "verify exits 3" "verify prints DAMAGED naming the segment" \
  "verify names table payments and the chunk's column" "export fails (non-zero, no crash)" \
  "export error names the table and the chunk's column" "export error names the segment"
echo "segment bit flips: $n_flips damaged copies checked in $((SECONDS - t0)) s"

# --- (a) one flipped bit in MANIFEST ----------------------------------------
rm -rf work && cp -a pristine work
man_size=$(file_size work/MANIFEST)
load_bytes work/MANIFEST
check "od read the whole MANIFEST" test "${#file_bytes[@]}" = "$man_size"
ls work/data >data_listing.txt
t0=$SECONDS
n_flips=0
for ((off = 0; off < man_size; off += stride)); do
  bit=$((off % 8))
  tag="$off.$bit"
  flip_bit work/MANIFEST "$off" "$bit"
  n_flips=$((n_flips + 1))
  cp work/MANIFEST damaged_manifest.bin
  run_rc vrc ferret verify work
  [ "$vrc" = 3 ] || note_bad "verify exits 3" "$tag:$vrc"
  cat out.txt err.txt | grep -q MANIFEST || note_bad "verify names MANIFEST" "$tag"
  run_rc erc ferret export work payments
  rc_is_clean_error "$erc" || note_bad "export fails (non-zero, no crash)" "$tag:$erc"
  run_rc irc ferret info work
  rc_is_clean_error "$irc" || note_bad "info fails (non-zero, no crash)" "$tag:$irc"
  run_rc jrc ferret info work pairs --format json
  rc_is_clean_error "$jrc" || note_bad "info --format json fails (non-zero, no crash)" "$tag:$jrc"
  run_rc grc ferret ingest work pairs pairs1.csv --schema pairs.schema --quiet
  rc_is_clean_error "$grc" || note_bad "ingest refuses a damaged MANIFEST" "$tag:$grc"
  if ! cmp -s work/MANIFEST damaged_manifest.bin || ! ls work/data | cmp -s - data_listing.txt; then
    note_bad "a refused ingest leaves MANIFEST and data/ alone" "$tag"
    rm -rf work && cp -a pristine work
    unset "flipped[$off]"
  else
    flip_bit work/MANIFEST "$off" "$bit"
  fi
done
check "store restored after the MANIFEST bit flips" cmp -s work/MANIFEST pristine/MANIFEST
report_checks "bit flips in MANIFEST" "$n_flips" "verify exits 3" "verify names MANIFEST" \
  "export fails (non-zero, no crash)" "info fails (non-zero, no crash)" \
  "info --format json fails (non-zero, no crash)" "ingest refuses a damaged MANIFEST" \
  "a refused ingest leaves MANIFEST and data/ alone"
echo "MANIFEST bit flips: $n_flips damaged copies checked in $((SECONDS - t0)) s"

# damaged_case WHAT TABLE SEGMENT [MESSAGE_REGEX]: verify exits 3 with a DAMAGED
# line naming the segment (and matching MESSAGE_REGEX), export of TABLE fails.
damaged_case() {
  local what=$1 table=$2 segname=$3 regex=${4:-}
  expect_rc 3 "$what: verify" ferret verify work
  cat out.txt err.txt >verify.txt
  check "$what: verify prints DAMAGED naming table $table and $segname ($(head -c 400 verify.txt))" \
    grep -q "^DAMAGED: table $table, .*$(basename "$segname")" verify.txt
  if [ -n "$regex" ]; then
    check "$what: verify message matches /$regex/ ($(head -c 400 verify.txt))" grep -Eqi "$regex" verify.txt
  fi
  local erc
  run_rc erc ferret export work "$table"
  check "$what: export $table fails (exit $erc)" rc_is_clean_error "$erc"
  if [ -n "$regex" ]; then
    check "$what: export message matches /$regex/ ($(head -c 400 err.txt))" grep -Eqi "$regex" err.txt
  fi
}

# --- (b) truncated and grown segments --------------------------------------
for cut in 1 31 100 half all; do
  rm -rf work && cp -a pristine work
  case $cut in
    half) new_size=$((seg_size / 2)) ;;
    all) new_size=0 ;;
    *) new_size=$((seg_size - cut)) ;;
  esac
  truncate -s "$new_size" "work/$pay_seg"
  damaged_case "segment truncated to $new_size of $seg_size bytes" payments "$pay_seg" "truncat"
done
rm -rf work && cp -a pristine work
printf 'X' >>"work/$pay_seg"
damaged_case "segment with one byte appended" payments "$pay_seg"

# MANIFEST truncated, emptied or deleted: every command refuses, and ingest does
# not start a fresh store over the committed data.
for cut in half empty deleted; do
  rm -rf work && cp -a pristine work
  case $cut in
    half) truncate -s $(($(file_size work/MANIFEST) / 2)) work/MANIFEST ;;
    empty) : >work/MANIFEST ;;
    deleted) rm work/MANIFEST ;;
  esac
  for cmd in "verify work" "export work payments" "info work" "ingest work payments payments.csv"; do
    # shellcheck disable=SC2086
    run_rc rc ferret $cmd
    check "MANIFEST $cut: '$cmd' fails (exit $rc)" rc_is_clean_error "$rc"
  done
  check "MANIFEST $cut: the refused ingest left the segments alone" cmp -s <(ls work/data) <(ls pristine/data)
  if [ "$cut" = deleted ]; then
    check "MANIFEST deleted: the refused ingest wrote no new MANIFEST" test ! -e work/MANIFEST
  fi
done

# --- (c) swapped chunks and segment files -----------------------------------
# pairs: segment 1's chunks from the info of version 1, segment 2's = totals - those.
read -r _ id1 <<<"$(echo "$pairs_v1_json" | sed -n 1p)"
read -r _ x1 <<<"$(echo "$pairs_v1_json" | sed -n 2p)"
read -r _ y1 <<<"$(echo "$pairs_v1_json" | sed -n 3p)"
pairs_all=$(column_chunks pristine pairs)
read -r _ id_all <<<"$(echo "$pairs_all" | sed -n 1p)"
read -r _ x_all <<<"$(echo "$pairs_all" | sed -n 2p)"
x2=$((x_all - x1)) id2=$((id_all - id1))
x_off1=$((16 + id1)) y_off1=$((16 + id1 + x1)) x_off2=$((16 + id2))
check "precondition: pairs x and y chunks of segment 1 have equal length ($x1, $y1)" test "$x1" = "$y1"
check "precondition: pairs x chunks of both segments have equal length ($x1, $x2)" test "$x1" = "$x2"
check "precondition: pairs segment files have equal size" \
  test "$(file_size "pristine/$pairs_seg1")" = "$(file_size "pristine/$pairs_seg2")"
check "precondition: x and y chunks differ" \
  test "$(dd if="pristine/$pairs_seg1" iflag=skip_bytes,count_bytes skip="$x_off1" count="$x1" status=none | cksum)" != \
  "$(dd if="pristine/$pairs_seg1" iflag=skip_bytes,count_bytes skip="$y_off1" count="$x1" status=none | cksum)"

rm -rf work && cp -a pristine work
swap_bytes "work/$pairs_seg1" "$x_off1" "work/$pairs_seg1" "$y_off1" "$x1"
damaged_case "chunks of columns x and y swapped in one segment" pairs "$pairs_seg1" "column (x|y)\b"
check "swapped x/y: verify names column x" grep -q "^DAMAGED: table pairs, .*column x\b" verify.txt
check "swapped x/y: verify names column y" grep -q "^DAMAGED: table pairs, .*column y\b" verify.txt

rm -rf work && cp -a pristine work
swap_bytes "work/$pairs_seg1" "$x_off1" "work/$pairs_seg2" "$x_off2" "$x1"
damaged_case "column x chunks swapped between two segments" pairs "$pairs_seg1" "column x\b"
check "swapped x between segments: verify names both segments" \
  grep -q "^DAMAGED: table pairs, .*$(basename "$pairs_seg2").*column x\b" verify.txt

rm -rf work && cp -a pristine work
copy_bytes "work/$pairs_seg1" "$x_off1" "$x1" "work/$pairs_seg1" "$y_off1"
damaged_case "chunk of column x copied over column y" pairs "$pairs_seg1" "column y\b"

rm -rf work && cp -a pristine work
mv "work/$pairs_seg1" work/swap.tmp && mv "work/$pairs_seg2" "work/$pairs_seg1" && mv work/swap.tmp "work/$pairs_seg2"
damaged_case "two segment files of table pairs swapped (renamed)" pairs "$pairs_seg1" "swapped|replaced|not the segment"

rm -rf work && cp -a pristine work
cp "work/$pairs_seg2" "work/$pairs_seg1"
damaged_case "segment file replaced by a copy of another segment of the table" pairs "$pairs_seg1" "swapped|replaced|not the segment"

# --- (d) replayed old MANIFEST ----------------------------------------------
rm -rf replay
expect_rc 0 "replay: ingest 1" ferret ingest replay payments payments.csv --quiet
cp replay/MANIFEST manifest.v1
expect_rc 0 "replay: ingest 2" ferret ingest replay pairs pairs1.csv --schema pairs.schema --quiet
cp replay/MANIFEST manifest.v2
expect_rc 0 "replay: ingest 3" ferret ingest replay pairs pairs2.csv --schema pairs.schema --quiet
cp replay/MANIFEST manifest.v3
for old in v1 v2; do
  cp "manifest.$old" replay/MANIFEST
  ls -R replay >replay_before.txt
  for cmd in "verify replay" "export replay payments" "info replay" "info replay payments --format json" \
    "ingest replay payments payments.csv"; do
    # shellcheck disable=SC2086
    run_rc rc ferret $cmd
    check "MANIFEST $old replayed over v3: '$cmd' fails (exit $rc)" rc_is_clean_error "$rc"
    check "MANIFEST $old replayed over v3: '$cmd' says replayed/rolled back ($(head -c 300 err.txt))" \
      grep -Eqi "replay|roll(ed)? ?back" out.txt err.txt
  done
  check "MANIFEST $old replayed: the refused ingest changed nothing" cmp -s replay/MANIFEST "manifest.$old"
  check "MANIFEST $old replayed: no file added or removed" cmp -s <(ls -R replay) replay_before.txt
done
cp manifest.v3 replay/MANIFEST
expect_rc 0 "newest MANIFEST put back: verify passes again" ferret verify replay
expect_rc 0 "newest MANIFEST put back: ingest works again" ferret ingest replay payments payments.csv --quiet

# --- (e) deleted segment file -----------------------------------------------
rm -rf work && cp -a pristine work
rm "work/$pairs_seg2"
damaged_case "segment file deleted" pairs "$pairs_seg2"
rm -rf work && cp -a pristine work
rm "work/$pay_seg"
damaged_case "the only segment of payments deleted" payments "$pay_seg"

finish
