# test_shell.sh - `ferret shell`: scripts on stdin (dot commands, multi-line and
# several-per-line statements, .mode table/csv/json, .timer, errors that report and
# go on, exit status), usage errors, a snapshot per statement, and the interactive
# prompt with history through a pseudo-terminal (script(1)).  The SQL results
# follow engine/sql/fr_sql.h's contract (DuckDB's rendering).
source "$(dirname "$0")/lib.sh"

# shell_run NAME [OPTIONS...] < script: runs the shell over store st, leaving
# stdout in NAME.out, stderr in NAME.err and the exit status in $rc.
shell_run() {
  local name=$1; shift
  rc=0
  ferret shell st "$@" >"$name.out" 2>"$name.err" || rc=$?
}
# expect_exit WANT WHAT: checks $rc from the last shell_run.
expect_exit() { if [ "$rc" = "$1" ]; then pass; else fail "$2: exit $rc, wanted $1"; fi; }
# same FILE EXPECTED WHAT: FILE holds exactly the text EXPECTED (plus a newline).
same() {
  if printf '%s\n' "$2" | diff -u - "$1" >diff.txt; then pass; else fail "$3: $(head -c 800 diff.txt)"; fi
}

# --help and usage errors.
expect_rc 0 "shell --help" "$FERRET" shell --help
contains out.txt "usage: ferret shell STORE" "shell help shows usage"
contains out.txt ".mode table|csv|json" "shell help lists the dot commands"
contains out.txt "--memory-limit" "shell help documents --memory-limit"
expect_rc 2 "shell without a store" "$FERRET" shell
contains err.txt "expected STORE" "shell usage explained"
expect_rc 2 "shell on no store" "$FERRET" shell nostore </dev/null
contains err.txt "nostore" "missing store named"
expect_rc 2 "shell unknown option" "$FERRET" shell st --bogus
contains err.txt "unknown option --bogus" "unknown shell option named"

ferret gen gen --rows 2000 --compress none >/dev/null
expect_rc 0 "ingest payments" "$FERRET" ingest st payments gen/payments.csv
expect_rc 0 "ingest entities" "$FERRET" ingest st entities gen/entities.csv
expect_rc 2 "bad --memory-limit" "$FERRET" shell st --memory-limit lots </dev/null
contains err.txt "--memory-limit" "bad memory limit explained"

# Dot commands.
shell_run dots <<'SQL'
.tables
.schema payments
.help
.mode
.mode csv
.mode
.mode table
SQL
expect_exit 0 "dot commands"
check ".tables lists both tables, sorted" grep -qx entities dots.out
check ".tables lists payments" grep -qx payments dots.out
[ "$(grep -nx entities dots.out | cut -d: -f1)" -lt "$(grep -nx payments dots.out | cut -d: -f1)" ] && pass || fail ".tables sorted"
contains dots.out "CREATE TABLE payments (" ".schema names the table"
contains dots.out "  txn_id VARCHAR," ".schema shows string columns as VARCHAR"
contains dots.out "  ts TIMESTAMP," ".schema shows timestamps"
contains dots.out "  amount DECIMAL(18,2)," ".schema shows decimals"
contains dots.out "  memo VARCHAR" ".schema shows the last column"
contains dots.out "2000 rows" ".schema shows the row count"
contains dots.out ".timer on|off" ".help lists .timer"
contains dots.out ".quit" ".help lists .quit"
check ".mode with no argument prints the mode" grep -qx table dots.out
check ".mode csv took effect" grep -qx csv dots.out
check "nothing on stderr for good dot commands" test ! -s dots.err

shell_run schema_all <<<'.schema'
expect_exit 0 ".schema without a table"
contains schema_all.out "CREATE TABLE entities (" ".schema shows every table"
contains schema_all.out "  registered DATE," ".schema shows dates"
contains schema_all.out "CREATE TABLE payments (" ".schema shows payments too"

# A bad dot command is reported with its line, and the script goes on.
shell_run baddot <<'SQL'
.tables
.frobnicate now
.schema paymnts
.mode xml
.timer maybe
.tables
SQL
expect_exit 2 "bad dot commands fail the script"
contains baddot.err "line 2: unknown command .frobnicate" "unknown dot command named with its line"
contains baddot.err "line 3:" "bad .schema located"
contains baddot.err 'did you mean "payments"' ".schema suggests the nearest table"
contains baddot.err "usage: .mode table|csv|json" "bad .mode explained"
contains baddot.err "usage: .timer on|off" "bad .timer explained"
[ "$(grep -cx payments baddot.out)" = 2 ] && pass || fail "the script went on after bad dot commands"

# Statements: several on one line, across lines, ';' in strings and comments,
# comment-only lines, empty statements, and a last one without ';'.
shell_run stmts <<'SQL'
.mode csv
SELECT count(*) AS n FROM payments;
SELECT 1 AS a; SELECT 2 AS b;
-- a comment line
SELECT count(*)
  AS n2
FROM payments
WHERE amount >= 0 OR amount < 0;
SELECT 'x;y' AS s; ;
/* a block; comment */ SELECT 3 AS c -- trailing; comment
;
SELECT 4 AS last
SQL
expect_exit 0 "statements script"
same stmts.out "n
2000
a
1
b
2
n2
2000
s
x;y
c
3
last
4" "statements run in order with csv output"
check "no errors for good statements" test ! -s stmts.err

# csv and json render DuckDB's text: first row of the export as the reference.
first=$(ferret export st payments | sed -n 2p | cut -d, -f1,2,6)
IFS=, read -r txn ts amount <<<"$first"
shell_run modes <<SQL
.mode csv
SELECT txn_id, ts, amount FROM payments ORDER BY txn_id LIMIT 1;
.mode json
SELECT txn_id, ts, amount FROM payments ORDER BY txn_id LIMIT 1;
SELECT count(*) AS n, NULL AS nothing FROM payments;
.mode table
SELECT count(*) AS total_rows FROM payments;
SQL
expect_exit 0 "modes script"
same <(head -2 modes.out) "txn_id,ts,amount
$txn,$ts,$amount" ".mode csv: header and DuckDB's text of string, timestamp, decimal"
same <(sed -n 3p modes.out) "{\"txn_id\":\"$txn\",\"ts\":\"$ts\",\"amount\":$amount}" ".mode json: one object per row"
same <(sed -n 4p modes.out) '{"n":2000,"nothing":null}' ".mode json: numbers unquoted, NULL as null"
contains modes.out "total_rows" ".mode table shows the header"
check ".mode table shows the value" grep -q '2000' <(sed -n '5,$p' modes.out)
if command -v node >/dev/null; then
  check "json lines parse" node -e 'for (const l of require("fs").readFileSync(0, "utf8").trim().split("\n")) JSON.parse(l)' < <(sed -n 3,4p modes.out)
fi

# .timer prints the elapsed time after each statement, only while on.
shell_run timer <<'SQL'
.mode csv
.timer on
SELECT 1 AS a;
.timer off
SELECT 2 AS b;
SQL
expect_exit 0 "timer script"
[ "$(grep -c '^Run Time (s): real [0-9.]*' timer.out)" = 1 ] && pass || fail ".timer on prints one time: $(cat timer.out)"
case "$(grep -A1 -x 1 timer.out | tail -1)" in 'Run Time (s): real '*) pass ;; *) fail ".timer line follows the result" ;; esac

# SQL errors: reported with the statement's line, a caret for syntax errors, the
# nearest name for unknown ones; the next statement still runs; exit 2.
shell_run sqlerr <<'SQL'
.mode csv
SELECT 1 AS before;
SELEC 2;
SELECT amout
  FROM payments;
SELECT count(*) FROM paymnts;
SELECT 3 AS after;
SQL
expect_exit 2 "a failed statement fails the script"
contains sqlerr.err "line 3:" "syntax error located at the statement's line"
contains sqlerr.err "^" "syntax error shows a caret"
contains sqlerr.err "line 4:" "unknown column error at the statement's first line"
contains sqlerr.err "amount" "unknown column suggests the nearest"
contains sqlerr.err "line 6:" "unknown table located"
contains sqlerr.err "payments" "unknown table suggests the nearest"
same sqlerr.out "before
1
after
3" "statements around the failures still run"

# An unfinished statement at the end of input is still run (and fails here).
shell_run unfinished <<<"SELECT 'open string"
expect_exit 2 "unterminated string at end of input"
check "unterminated string reported" test -s unfinished.err

# .quit stops reading; nothing after it runs.
shell_run quit <<'SQL'
.mode csv
SELECT 1 AS a;
.quit
SELECT 2 AS b;
SQL
expect_exit 0 ".quit"
same quit.out "a
1" ".quit stops the script"
shell_run exit_cmd <<'SQL'
.exit
SELEC broken;
SQL
expect_exit 0 ".exit stops before a bad statement"

# Same answers at 1 and 2 threads.
grouped=".mode csv
SELECT org, count(*) AS n, sum(amount) AS total FROM payments GROUP BY org ORDER BY org;"
shell_run t1 --threads 1 <<<"$grouped"
shell_run t2 --threads 2 --memory-limit 1G <<<"$grouped"
check "grouped query has rows" test "$(wc -l <t1.out)" -gt 1
check "1 and 2 threads agree" cmp -s t1.out t2.out

# A query over --memory-limit stops with a message, not a crash; exit 3.
shell_run memlimit --memory-limit 64K <<<"SELECT payee, count(*) AS n FROM payments GROUP BY payee ORDER BY n DESC, payee LIMIT 2;"
expect_exit 3 "a query over the memory limit"
contains memlimit.err "memory" "memory limit explained"

# Each statement sees the latest committed version: an ingest while the shell
# is open shows up in the next statement.
mkfifo in.fifo
ferret shell st <in.fifo >live.out 2>live.err &
shell_pid=$!
exec 3>in.fifo
printf '.mode csv\nSELECT count(*) AS n FROM payments;\n' >&3
for ((try = 0; try < 100; try++)); do grep -qx 2000 live.out && break; sleep 0.1; done
"$FERRET" ingest st payments gen/payments.csv >/dev/null
printf 'SELECT count(*) AS n FROM payments;\n' >&3
exec 3>&-
live_rc=0
wait "$shell_pid" || live_rc=$?
[ "$live_rc" = 0 ] && pass || fail "live shell exit $live_rc: $(cat live.err)"
rm -f in.fifo
same live.out "n
2000
n
4000" "a statement after an ingest sees the new version"

# The interactive prompt, through a pseudo-terminal: prompts, continuation,
# error messages, and history in ~/.ferret_history.
if command -v script >/dev/null; then
  mkdir -p home
  printf '.tables\nSELECT count(*)\n  AS n FROM payments;\nSELEC 1;\n.quit\n' |
    HOME="$PWD/home" script -qec "$FERRET shell st" /dev/null >tty.out 2>&1 || true
  contains tty.out "ferret> " "interactive prompt"
  contains tty.out "   ...> " "continuation prompt"
  contains tty.out "payments" "interactive .tables"
  contains tty.out "4000" "interactive multi-line statement"
  contains tty.out "Error: " "interactive error reported"
  check "history file written" test -s home/.ferret_history
  contains home/.ferret_history "count(*)" "a multi-line statement is one history entry"
else
  echo "note: script(1) absent, interactive prompt not tested" >&2
fi

finish
