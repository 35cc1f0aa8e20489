#!/usr/bin/env bash
# test_xes.sh - XES event logs: `ferret ingest STORE TABLE log.xes[.gz|.zst]`.
#
# 1. Small generated logs check the mapping (case_id, ts with its zone offset
#    dropped, activity, actor, the org/service/applicant/amount fallback from the
#    trace, event: and case: columns, typed extras), standard input, .zst, several
#    files with different attributes, and appending.
# 2. Bad input keeps every good event and names the place (DESIGN.md "nothing is
#    lost"; file, line and column; exit 2): malformed XML in the middle, a
#    timestamp that does not parse, a truncated .gz, a duplicated attribute; input
#    that is not XES or breaks before its first event commits nothing; --strict
#    stores nothing.
# 3. The real logs of ../shared/data/pm4py-eventlogs: zero rejects, and the event
#    and trace counts equal an independent count (grep on the uncompressed XML),
#    the export's row count and its distinct case_id count; where pm4py's CSV of
#    the same log exists, ferret's export equals it row for row on every column
#    (timestamps compared as the local time written, numbers as numbers).  Skipped
#    (exit 77) when the shared data is absent, after parts 1 and 2 ran.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
export LC_ALL=C

# ingest_rc WANT WHAT ARGS...: runs `ferret ingest ARGS...` and checks its exit status.
ingest_rc() { local want=$1 what=$2; shift 2; expect_rc "$want" "$what" ferret ingest "$@"; }
# counts READ STORED REJECTED: the reconciliation line of the last ingest (out.txt).
counts() {
  if grep -Eq "reconciliation +$1 += +$2 +\+ +$3 +ok" out.txt; then pass; else
    fail "wanted reconciliation $1 = $2 + $3, got: $(grep -E 'reconciliation' out.txt)"; fi
}
# same FILE WANT WHAT: the file equals the text WANT.
same() { if [ "$(cat "$1")" = "$2" ]; then pass; else fail "$3: got [$(head -c 800 "$1")] wanted [$2]"; fi; }

# --- 1. mapping ---------------------------------------------------------------
cat >map.xes <<'EOF'
<?xml version="1.0" encoding="UTF-8" ?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
  <string key="concept:name" value="log-level name, not stored"/>
  <global scope="event"><string key="concept:name" value="__INVALID__"/></global>
  <trace>
    <string key="concept:name" value="C1"/>
    <string key="amount" value="10.50"/>
    <string key="org" value="ORG-1"/>
    <event>
      <string key="concept:name" value="submit &amp; pay"/>
      <string key="org:resource" value="alice"/>
      <date key="time:timestamp" value="2020-03-01T09:15:00.123456789+01:00"/>
      <int key="pages" value="3"/>
      <boolean key="urgent" value="true"/>
      <string key="Activity" value="Submit"/>
    </event>
    <event>
      <string key="concept:name" value="approve"/>
      <string key="org:resource" value="bob"/>
      <date key="time:timestamp" value="2020-03-02T10:00:00Z"/>
      <float key="amount" value="99.5"/>
      <float key="pages" value="2.5"/>
      <list key="tags"><values><string key="t" value="x"/></values></list>
    </event>
    <string key="late" value="trace attribute after the events"/>
  </trace>
  <trace>
    <string key="concept:name" value="C2"/>
    <event>
      <string key="concept:name" value="submit"/>
      <date key="time:timestamp" value="2020-03-03T08:00:00"/>
      <string key="service" value="permits"/>
    </event>
  </trace>
  <trace><string key="concept:name" value="C3 (no events)"/></trace>
</log>
EOF
ingest_rc 0 "ingest map.xes" map.store t map.xes --rejects rej.csv
counts 3 3 0
contains out.txt "3 traces, 3 events" "trace/event counts"
ferret export map.store t --format csv >map.csv
same map.csv 'case_id,ts,activity,actor,org,service,applicant,amount,case:amount,case:org,pages,urgent,event:Activity,case:late
C1,2020-03-01 09:15:00.123456,submit & pay,alice,ORG-1,,,10.50,10.50,ORG-1,3,true,Submit,trace attribute after the events
C1,2020-03-02 10:00:00,approve,bob,ORG-1,,,99.50,10.50,ORG-1,2.5,,,trace attribute after the events
C2,2020-03-03 08:00:00,submit,,,permits,,,,,,,,' "mapped rows"
ferret info map.store t --format json >info.json
contains info.json '"name":"pages","type":"float64"' "int + float attribute -> float64"
contains info.json '"name":"urgent","type":"bool"' "boolean attribute -> bool"
contains info.json '"name":"ts","type":"timestamp"' "ts is a timestamp"

# standard input (--format xes), and .zst; the same rows
ingest_rc 0 "ingest - --format xes" stdin.store t - --format xes <map.xes
ferret export stdin.store t --format csv >stdin.csv
check "stdin rows equal file rows" cmp -s map.csv stdin.csv
zstd -q -c map.xes >map.xes.zst
ingest_rc 0 "ingest .xes.zst" zst.store t map.xes.zst
ferret export zst.store t --format csv >zst.csv
check ".zst rows equal plain rows" cmp -s map.csv zst.csv
ingest_rc 2 "--format with an unknown name" x.store t map.xes --format xml

# two files with different attributes: the columns are the union
cat >second.xes <<'EOF'
<log><trace><string key="concept:name" value="D1"/>
<event><string key="concept:name" value="a"/><int key="only_here" value="7"/></event>
</trace><event><string key="concept:name" value="outside any trace"/></event></log>
EOF
ingest_rc 0 "two files" two.store t map.xes second.xes
counts 5 5 0
ferret export two.store t --format csv >two.csv
contains two.csv ",only_here" "column of the second file"
contains two.csv "D1,,a,,,,,,,,,,,,7" "row of the second file"
contains two.csv ",,outside any trace," "event outside a trace (case_id NULL)"
# appending: same columns are fine; a column the table lacks is refused up front
ingest_rc 0 "append the same log" map.store t map.xes
counts 3 3 0
ingest_rc 2 "append a log with a new column" map.store t second.xes
contains err.txt 'only_here' "names the missing column"

# --- 2. bad input -------------------------------------------------------------
good_event() { printf '    <event><string key="concept:name" value="%s"/><date key="time:timestamp" value="2021-01-0%sT10:00:00+02:00"/></event>\n' "$1" "$2"; }
{
  echo '<log>'
  echo '  <trace><string key="concept:name" value="T1"/>'
  good_event e1 1; good_event e2 2
  echo '  </trace>'
  echo '  <trace><string key="concept:name" value="T2"/>'
  good_event e3 3
  echo '    <event><string key="concept:name" value="e4"></event>'
  good_event e5 5
  echo '  </trace>'
  echo '</log>'
} >broken.xes
ingest_rc 2 "malformed XML in the middle" broken.store t broken.xes --rejects rej.csv
counts 4 3 1
contains err.txt "broken.xes:8:52: malformed XML: mismatched tag" "stderr names file:line:col"
contains rej.csv "broken.xes,8,52,\"\",malformed XML: mismatched tag" "rejects file names the place"
ferret export broken.store t --format csv | cut -d, -f1,3 >broken.csv
same broken.csv 'case_id,activity
T1,e1
T1,e2
T2,e3' "the events before the error are stored"
ingest_rc 2 "malformed XML with --strict" strict.store t broken.xes --strict
check "--strict stores nothing" test ! -e strict.store/data/t-v1-*.fseg

{
  echo '<log><trace><string key="concept:name" value="T1"/>'
  good_event ok1 1
  echo '<event><string key="concept:name" value="bad"/>'
  echo '  <date key="time:timestamp" value="2021-13-45T10:00:00+01:00"/></event>'
  good_event ok2 2
  echo '<event><string key="concept:name" value="twice"/><string key="concept:name" value="again"/></event>'
  echo '</trace></log>'
} >badts.xes
ingest_rc 2 "bad timestamp" badts.store t badts.xes --rejects rej.csv
counts 4 2 2
contains rej.csv "badts.xes,4,3,ts," "bad timestamp: file, line and column of its attribute, field ts"
contains rej.csv '2021-13-45T10:00:00+01:00' "the rejected event's XML is in the rejects file"
contains rej.csv "attribute key appears twice in the event" "duplicated attribute"
contains err.txt "badts.xes:4:3:" "stderr names the place"

# truncated .gz: events before the cut stored, the cut rejected
{ echo '<log>'; for i in $(seq 1 3000); do printf '<trace><string key="concept:name" value="T%s"/>' "$i"; good_event "e$i" 1; echo '</trace>'; done; echo '</log>'; } >big.xes
gzip -n -c big.xes >full.gz
head -c $(($(stat -c %s full.gz) - 40)) full.gz >cut.xes.gz
ingest_rc 2 "truncated .gz" cut.store t cut.xes.gz --rejects rej.csv
contains err.txt "input ends early:" "stderr says the input ends early"
contains rej.csv "cut.xes.gz," "rejects file names the file"
stored=$(grep -Eo 'rows stored +[0-9]+' out.txt | grep -Eo '[0-9]+$' || echo 0)
check "most events of the truncated file are stored ($stored)" test "${stored:-0}" -gt 2900

# nothing is committed when the file is not XES or breaks before its first event
printf 'case_id,ts\nC1,2020-01-01\n' >notxes.xes
ingest_rc 2 "not XML" none.store t notxes.xes
contains err.txt "notxes.xes:1:1: malformed XML" "names the place"
check "nothing committed (not XML)" test ! -e none.store/data/t-v1-*.fseg
printf '<html><body/></html>\n' >html.xes
ingest_rc 2 "root is not <log>" none2.store t html.xes
contains err.txt "not an XES log" "says why"
printf '<log><trace><string key="concept:name" value="T"/></trace><oops></log>\n' >early.xes
ingest_rc 2 "XML error before the first event" none3.store t early.xes
contains err.txt "early.xes:1:" "names the line"
contains err.txt "nothing was stored" "says nothing was stored"

# --- 3. the real logs -----------------------------------------------------------
need_shared
D=$FERRET_SHARED_DATA/pm4py-eventlogs
[ -d "$D" ] || { echo "SKIP: $D is absent" >&2; finish; exit 77; }
# distinct FILE COLUMN: number of rows and of distinct values of the first column.
rows_and_cases() { awk -F, 'NR > 1 { n++; if (!($1 in seen)) { seen[$1] = 1; c++ } } END { print n + 0, c + 0 }' "$1"; }
n_logs=0
for log in "$D"/*.xes "$D"/*.xes.gz; do
  [ -f "$log" ] || continue
  n_logs=$((n_logs + 1))
  name=$(basename "$log")
  events=$(zcat -f "$log" | grep -o '<event[ >/]' | wc -l)
  traces=$(zcat -f "$log" | grep -o '<trace[ >/]' | wc -l)
  store=real_$n_logs
  ingest_rc 0 "$name: ingest" "$store" log "$log" --threads 2 --rejects rej.csv
  counts "$events" "$events" 0
  contains out.txt "$traces traces, $events events" "$name: XES counts equal grep's"
  ferret export "$store" log --format csv >real.csv
  # case ids of these logs hold no comma, so the first CSV field is the case id
  same_rc=$(rows_and_cases real.csv)
  if [ "$same_rc" = "$events $traces" ]; then pass; else fail "$name: export has rows/cases $same_rc, grep counts $events $traces"; fi
done
check "real logs found" test "$n_logs" -ge 3

# pm4py's CSV of the same log: equal rows on every column it has
cat >cmp.pl <<'EOF'
# cmp.pl PM4PY_CSV FERRET_CSV: writes the rows of each, on pm4py's columns mapped
# to ferret's names and normalised, sorted, to a.txt (pm4py) and b.txt (ferret).
use strict; use warnings;
sub fields { my ($l) = @_; my @f;
  while ($l =~ /\G(?:"((?:[^"]|"")*)"|([^,]*))(,|$)/g) {
    my $v = defined $1 ? $1 : $2; $v =~ s/""/"/g if defined $1; push @f, $v; last if $3 eq ''; }
  return @f; }
sub read_csv { my ($p) = @_; open(my $fh, '<', $p) or die "$p: $!";
  my $h = <$fh>; $h =~ s/\r?\n$//; my @h = fields($h); my @rows;
  while (my $l = <$fh>) { $l =~ s/\r?\n$//; my %r; @r{@h} = fields($l); push @rows, \%r; }
  return (\@h, \@rows); }
# timestamps: the local time as written (offset dropped), to the microsecond;
# numbers as numbers (pm4py writes 157.0 for the int 157, ferret 35.00 for 35.0)
sub norm { my ($v) = @_; return '' unless defined $v;
  if ($v =~ /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d+))?(?:Z|[+-]\d\d:?\d\d)?$/) {
    return "$1 $2." . substr((defined $3 ? $3 : '') . '000000', 0, 6); }
  return 0 + $v if $v =~ /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
  return $v; }
my %fixed = ('case:concept:name' => 'case_id', 'concept:name' => 'activity',
             'time:timestamp' => 'ts', 'org:resource' => 'actor');
my %approvals = map { $_ => 1 } qw(case_id ts activity actor org service applicant amount);
sub ferret_name { my ($h) = @_; return $fixed{$h} if exists $fixed{$h};
  return $h if $h =~ /^case:/ || $h =~ /^(org|service|applicant|amount)$/;
  return $approvals{lc $h} ? "event:$h" : $h; }
my ($ph, $prows) = read_csv($ARGV[0]); my ($fh, $frows) = read_csv($ARGV[1]);
my %have = map { $_ => 1 } @$fh;
my @cols = grep { $_ ne '' } @$ph;   # pandas' unnamed index column is not data
for my $c (@cols) { die "ferret has no column " . ferret_name($c) . " for $c\n" unless $have{ferret_name($c)}; }
open(my $a, '>', 'a.txt') or die; open(my $b, '>', 'b.txt') or die;
print $a "$_\n" for sort map { my $r = $_; join("\x1f", map { norm($r->{$_}) } @cols) } @$prows;
print $b "$_\n" for sort map { my $r = $_; join("\x1f", map { norm($r->{ferret_name($_)}) } @cols) } @$frows;
EOF
for pair in running-example:running-example.xes roadtraffic100traces:roadtraffic100traces.xes receipt:08_receipt.xes.gz; do
  csv=$D/${pair%%:*}.csv xes=$D/${pair#*:}
  [ -f "$csv" ] && [ -f "$xes" ] || continue
  rm -rf pair.store
  ingest_rc 0 "$(basename "$xes"): ingest for the CSV comparison" pair.store log "$xes" --quiet
  ferret export pair.store log --format csv >pair.csv
  if perl cmp.pl "$csv" pair.csv 2>cmp.err && cmp -s a.txt b.txt && [ -s a.txt ]; then pass; else
    fail "$(basename "$xes") differs from $(basename "$csv"): $(cat cmp.err) $(diff a.txt b.txt 2>/dev/null | head -4)"; fi
done

finish
