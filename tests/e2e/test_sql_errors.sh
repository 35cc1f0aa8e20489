# test_sql_errors.sh - every error path of `ferret query` ends with a message a person
# can act on (issue 4, DESIGN.md "Command line"): a syntax error names the line and
# column and puts a caret under the offending token (exit 2); an unknown table or
# column suggests the nearest name; a construct outside the subset is named as
# unsupported (exit 2); bad options and a missing store are usage/I-O errors; a
# query over --memory-limit stops with a clear message instead of being killed.
# The substrings asserted here are listed in tests/sql/README.md ("Error messages").
if [ -n "${FERRET:-}" ] && [[ "$FERRET" != /* ]]; then FERRET="$PWD/$FERRET"; fi
source "$(dirname "$0")/lib.sh"

# icontains FILE TEXT DESCRIPTION: like contains, ignoring case.
icontains() { if grep -qiF -- "$2" "$1"; then pass; else fail "$3: '$2' not in $1: $(head -c 600 "$1")"; fi; }
# matches FILE ERE DESCRIPTION: a line of the file matches the extended regex (any case).
matches() { if grep -qiE -- "$2" "$1"; then pass; else fail "$3: /$2/ not in $1: $(head -c 600 "$1")"; fi; }
# caret_under FILE SQL_LINE COLUMN DESCRIPTION: stderr echoes SQL_LINE (a line of the
# statement) and, on the next line, a '^' under character COLUMN (1-based) of it.
caret_under() {
  local file=$1 sql_line=$2 col=$3 what=$4
  if perl -CSD -e '
      my ($file, $sql, $col) = @ARGV;
      utf8::decode($sql);
      open(my $f, "<:encoding(UTF-8)", $file) or exit 1;
      my @l = <$f>; chomp @l;
      for my $i (0 .. $#l - 1) {
        my $at = index($l[$i], $sql);
        next if $at < 0;
        my $caret = index($l[$i + 1], "^");
        exit 0 if $caret >= 0 && $caret - $at == $col - 1;
      }
      exit 1;' "$file" "$sql_line" "$col"; then pass
  else fail "$what: no '^' under column $col of '$sql_line' in $file: $(head -c 600 "$file")"; fi
}

"$FERRET" gen gen --rows 20000 --seed 7 --compress none >/dev/null
for t in payments entities bids tenders; do
  expect_rc 0 "ingest $t" ferret ingest st "$t" "gen/$t.csv" --quiet
done
expect_rc 0 "a plain query runs" ferret query st "SELECT count(*) AS n FROM payments" --format csv
contains out.txt "20000" "count(*) of payments"

# ---- syntax errors: line, column, caret, exit 2 ------------------------------
sql='SELECT txn_id FROM payments WHERE amount > > 5'
expect_rc 2 "syntax error exits 2" ferret query st "$sql"
icontains err.txt "line 1" "syntax error names the line"
matches err.txt 'column 44([^0-9]|$)' "syntax error names the column of the second '>'"
caret_under err.txt "$sql" 44 "caret under the second '>'"
[ -s out.txt ] && fail "syntax error: nothing goes to standard output: $(head -c 200 out.txt)" || pass

sql='SELEC txn_id FROM payments'
expect_rc 2 "misspelled keyword exits 2" ferret query st "$sql"
matches err.txt 'line 1, column 1([^0-9]|$)|line 1 column 1([^0-9]|$)|line 1.*column 1([^0-9]|$)' "misspelled keyword at line 1, column 1"
caret_under err.txt "$sql" 1 "caret under SELEC"

sql=$'SELECT txn_id,\n       amount\nFROM payments\nWHERE amount >\nORDER BY txn_id'
expect_rc 2 "multi-line syntax error exits 2" ferret query st "$sql"
icontains err.txt "line 5" "multi-line syntax error names line 5"
matches err.txt 'column 1([^0-9]|$)' "multi-line syntax error names column 1"
caret_under err.txt "ORDER BY txn_id" 1 "caret under ORDER on line 5"

sql="SELECT txn_id FROM payments WHERE org = 'ORG-0001"
expect_rc 2 "unterminated string exits 2" ferret query st "$sql"
icontains err.txt "line 1" "unterminated string names the line"
icontains err.txt "column" "unterminated string names the column"
icontains err.txt "^" "unterminated string shows a caret"

sql='SELECT count(* FROM payments'
expect_rc 2 "missing parenthesis exits 2" ferret query st "$sql"
caret_under err.txt "$sql" 16 "caret under FROM after 'count(*'"

sql="SELECT '中文', amount FROM payments WHERE amount >= AND org = 'x'"
expect_rc 2 "syntax error after UTF-8 text exits 2" ferret query st "$sql"
matches err.txt 'column 51([^0-9]|$)' "column counts characters, not bytes"
caret_under err.txt "$sql" 51 "caret under AND after UTF-8 text"

# a chain of thousands of operators (built in a loop, but a tree as deep as it
# is long) is refused with a position, not a stack overflow; 999 still runs
chain=$(printf '+1%.0s' $(seq 999))
expect_rc 0 "999 chained additions run" ferret query st "SELECT 1$chain AS n" --format csv
contains out.txt "1000" "999 chained additions add up"
chain=$(printf " OR amount = 1%.0s" $(seq 20000))
printf 'SELECT count(*) FROM payments WHERE amount = 1%s;\n' "$chain" >deep.sql
expect_rc 2 "20000 OR-ed conditions exit 2" ferret shell st <deep.sql
contains err.txt "expression nested too deeply (more than 1000 levels of operators or functions)" "deep chain message"
nest=$(printf 'abs(%.0s' $(seq 320))
expect_rc 2 "320 nested calls exit 2" ferret query st "SELECT ${nest}1$(printf ')%.0s' $(seq 320))"
contains err.txt "expression nested too deeply (more than 600 levels)" "deep nesting message"
expect_rc 2 "trailing garbage exits 2" ferret query st "SELECT txn_id FROM payments LIMIT 5 garbage"
icontains err.txt "column" "trailing garbage: column named"

# ---- unknown names: did you mean --------------------------------------------
expect_rc 2 "unknown column exits 2" ferret query st "SELECT amout FROM payments"
icontains err.txt "amout" "unknown column is named"
icontains err.txt "did you mean" "unknown column suggests"
icontains err.txt "amount" "unknown column suggests amount"

expect_rc 2 "unknown table exits 2" ferret query st "SELECT count(*) FROM payment"
icontains err.txt "payment" "unknown table is named"
icontains err.txt "did you mean" "unknown table suggests"
icontains err.txt "payments" "unknown table suggests payments"

expect_rc 2 "unknown qualified column exits 2" ferret query st \
  "SELECT p.txn_id, e.knd FROM payments p JOIN entities e ON e.id = p.payee"
icontains err.txt "knd" "unknown qualified column is named"
icontains err.txt "did you mean" "unknown qualified column suggests"
icontains err.txt "kind" "unknown qualified column suggests kind"

expect_rc 2 "unknown column in WHERE exits 2" ferret query st "SELECT txn_id FROM payments WHERE approvr IS NULL"
icontains err.txt "approver" "unknown column in WHERE suggests approver"
icontains err.txt "^" "unknown column shows where (caret)"

expect_rc 2 "unknown column in GROUP BY exits 2" ferret query st "SELECT count(*) FROM payments GROUP BY orgg"
icontains err.txt "did you mean" "unknown GROUP BY column suggests"

expect_rc 2 "unknown CTE name exits 2" ferret query st "WITH big AS (SELECT * FROM payments) SELECT count(*) FROM bigg"
icontains err.txt "big" "unknown table suggests the CTE name"

expect_rc 2 "unknown function exits 2" ferret query st "SELECT sum_of(amount) FROM payments"
icontains err.txt "sum_of" "unknown function is named"

expect_rc 2 "ambiguous column exits 2" ferret query st "SELECT amount FROM payments p JOIN bids b ON p.payee = b.bidder"
icontains err.txt "ambiguous" "ambiguous column is called ambiguous"
icontains err.txt "amount" "ambiguous column is named"

# ---- semantic errors ---------------------------------------------------------
expect_rc 2 "column outside GROUP BY exits 2" ferret query st "SELECT org, payee, sum(amount) FROM payments GROUP BY org"
icontains err.txt "payee" "ungrouped column is named"
icontains err.txt "GROUP BY" "ungrouped column: mentions GROUP BY"

expect_rc 2 "sum of a string exits 2" ferret query st "SELECT sum(org) FROM payments"
icontains err.txt "sum" "type error names the function"

expect_rc 2 "aggregate in WHERE exits 2" ferret query st "SELECT org FROM payments WHERE sum(amount) > 10 GROUP BY org"
icontains err.txt "WHERE" "aggregate in WHERE: names WHERE"

expect_rc 2 "bad cast exits 2" ferret query st "SELECT CAST(org AS INTEGER) FROM payments"
icontains err.txt "ORG-" "bad cast names the value that does not convert"

# ---- unsupported constructs: named, exit 2 -----------------------------------
unsupported() {  # unsupported WHAT SQL: exit 2, "not supported", and WHAT named
  local what=$1 sql=$2
  expect_rc 2 "unsupported $what exits 2" ferret query st "$sql"
  icontains err.txt "not supported" "unsupported $what: says not supported"
  icontains err.txt "$what" "unsupported $what: names it"
}
unsupported "subquer" "SELECT txn_id FROM payments WHERE amount > (SELECT avg(amount) FROM payments)"
unsupported "RIGHT JOIN" "SELECT p.txn_id FROM payments p RIGHT JOIN entities e ON e.id = p.payee"
unsupported "FULL" "SELECT p.txn_id FROM payments p FULL OUTER JOIN entities e ON e.id = p.payee"
unsupported "EXCLUDE" "SELECT txn_id, sum(amount) OVER (ORDER BY ts ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) FROM payments"
unsupported "IN (subquery)" "SELECT txn_id FROM payments WHERE payee IN (SELECT id FROM entities)"
unsupported "EXISTS" "SELECT txn_id FROM payments p WHERE EXISTS (SELECT 1 FROM entities e WHERE e.id = p.payee)"
unsupported "INTERSECT in a chain with UNION or EXCEPT" "SELECT org FROM payments UNION SELECT org FROM tenders INTERSECT SELECT org FROM payments"
unsupported "INTERSECT in a chain with UNION or EXCEPT" "SELECT org FROM payments INTERSECT SELECT org FROM tenders EXCEPT SELECT org FROM payments"
expect_rc 2 "EXCEPT of 2 and 1 columns exits 2" ferret query st "SELECT org, payee FROM payments EXCEPT SELECT org FROM tenders"
icontains err.txt "EXCEPT operand 2 has 1 columns, the first has 2" "EXCEPT column counts: both named"
unsupported "UNION BY NAME" "SELECT org FROM payments UNION BY NAME SELECT org FROM tenders"
# UNION operands: the same number of columns (exit 2, both counts named) and
# the same types (named, with the column)
expect_rc 2 "UNION of 2 and 1 columns exits 2" ferret query st "SELECT org, payee FROM payments UNION ALL SELECT org FROM tenders"
icontains err.txt "UNION operand 2 has 1 columns, the first has 2" "UNION column counts: both named"
icontains err.txt "^" "UNION column counts: caret"
unsupported "UNION of BOOLEAN and BIGINT in column 1" "SELECT amount > 5 FROM payments UNION SELECT 1"
expect_rc 2 "UNION without SELECT after it exits 2" ferret query st "SELECT org FROM payments UNION (SELECT org FROM tenders)"
icontains err.txt "SELECT after UNION" "UNION then a parenthesis: says what it expected"
unsupported "RECURSIVE" "WITH RECURSIVE r AS (SELECT 1 AS x) SELECT x FROM r"
unsupported "GROUPS" "SELECT txn_id, count(*) OVER (ORDER BY ts GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM payments"
# a LEFT JOIN condition relating the two sides other than by equality (one side
# alone is a filter, and is supported); the refusal points at the ON clause
unsupported "LEFT JOIN condition" "SELECT p.txn_id FROM payments p LEFT JOIN entities e ON e.id = p.payee AND e.registered < p.ts"
icontains err.txt "one side only" "unsupported LEFT JOIN condition: says what ON may hold"
icontains err.txt "^" "unsupported LEFT JOIN condition: caret"
unsupported "GROUP BY ALL with a window" "SELECT org, count(*) AS n, row_number() OVER (ORDER BY org) AS r FROM payments GROUP BY ALL"
# date parts: an unknown one is named with the parts there are; century and
# millennium are not among date_diff's (DuckDB counts their boundaries its own way)
for part in fortnight century; do
  expect_rc 2 "date_diff('$part') exits 2" ferret query st "SELECT date_diff('$part', ts, ts) FROM payments"
  icontains err.txt "unknown date part '$part' for date_diff()" "date_diff('$part'): names the part"
  icontains err.txt "quarter, month, week" "date_diff('$part'): lists the parts"
done
expect_rc 2 "date_part('fortnight') exits 2" ferret query st "SELECT date_part('fortnight', ts) FROM payments"
icontains err.txt "unknown date part 'fortnight' for date_part()" "date_part('fortnight'): names the part"
expect_rc 2 "date_diff with a column as its part exits 2" ferret query st "SELECT date_diff(org, ts, ts) FROM payments"
icontains err.txt "must be a constant part name" "date_diff with a column part: says what it needs"
expect_rc 2 "QUALIFY without a window exits 2" ferret query st "SELECT txn_id FROM payments QUALIFY amount > 10"
icontains err.txt "QUALIFY needs a window function" "QUALIFY without a window: says what it needs"
icontains err.txt "^" "QUALIFY without a window: caret"
expect_rc 2 "QUALIFY on a number exits 2" ferret query st "SELECT txn_id, row_number() OVER () AS r FROM payments QUALIFY r"
icontains err.txt "QUALIFY needs a boolean condition, not BIGINT" "QUALIFY on a number: names the type"
unsupported "ROLLUP" "SELECT org, count(*) FROM payments GROUP BY ROLLUP (org)"
expect_rc 2 "ORDER BY ALL with more items exits 2" ferret query st "SELECT org FROM payments ORDER BY ALL, org"
icontains err.txt "syntax error" "ORDER BY ALL with more items: a syntax error"
caret_under err.txt "SELECT org FROM payments ORDER BY ALL, org" 38 "ORDER BY ALL with more items: caret under the comma"
a_join_no_equality="SELECT p.txn_id FROM payments p JOIN entities e ON e.registered < p.ts"
unsupported "non-equi" "$a_join_no_equality"
expect_rc 2 "unsupported construct shows where" ferret query st "SELECT p.txn_id FROM payments p RIGHT JOIN entities e ON e.id = p.payee"
icontains err.txt "^" "unsupported RIGHT JOIN: caret"
expect_rc 2 "more than one statement exits 2" ferret query st "SELECT 1; SELECT 2"

# ---- options and store -------------------------------------------------------
expect_rc 2 "bad --format exits 2" ferret query st "SELECT 1" --format xml
icontains err.txt "xml" "bad --format names the value"
icontains err.txt "format" "bad --format names the option"

expect_rc 2 "missing SQL exits 2" ferret query st
icontains err.txt "usage" "missing SQL prints usage"

expect_rc 2 "empty SQL exits 2" ferret query st "   "

rc=0; ferret query "$PWD/no-such-store" "SELECT 1" >out.txt 2>err.txt || rc=$?
if [ "$rc" = 2 ] || [ "$rc" = 3 ]; then pass; else fail "missing store: exit $rc, wanted 2 or 3; stderr: $(head -c 400 err.txt)"; fi
icontains err.txt "no-such-store" "missing store is named"

expect_rc 2 "bad --memory-limit value exits 2" ferret query st "SELECT 1" --memory-limit lots
icontains err.txt "memory-limit" "bad --memory-limit names the option"

expect_rc 2 "bad --threads value exits 2" ferret query st "SELECT 1" --threads zero

# ---- memory limit: a clear stop, not a kill ----------------------------------
"$FERRET" gen big --rows 300000 --seed 11 --compress none >/dev/null
expect_rc 0 "ingest big payments" ferret ingest bigst payments big/payments.csv --quiet
for sql in "SELECT txn_id, count(*) AS n, sum(amount) AS s FROM payments GROUP BY txn_id" \
           "SELECT txn_id, memo, payee FROM payments ORDER BY memo, payee, txn_id" \
           "SELECT a.txn_id, b.txn_id FROM payments a JOIN payments b ON a.payee = b.payee"; do
  rc=0; ferret query bigst "$sql" --memory-limit 1M --format csv >out.txt 2>err.txt || rc=$?
  if [ "$rc" = 2 ] || [ "$rc" = 3 ]; then pass; else
    fail "--memory-limit 1M on '$sql': exit $rc, wanted 2 or 3 (a clear stop); stderr: $(head -c 400 err.txt)"; fi
  icontains err.txt "memory" "--memory-limit 1M: the message speaks of memory ($sql)"
  icontains err.txt "limit" "--memory-limit 1M: the message names the limit ($sql)"
done
expect_rc 0 "the same GROUP BY fits the default limit" ferret query bigst \
  "SELECT count(*) AS n FROM (SELECT txn_id, count(*) AS c FROM payments GROUP BY txn_id) t" --format csv
contains out.txt "300000" "GROUP BY txn_id under the default limit"
finish
