# test_gen_ocds.sh - `ferret gen --ocds` and `--tenders N`:
#  1. tenders.csv and bids.csv are byte-identical with and without --ocds (plain
#     and zstd), and the other tables too;
#  2. ocds.jsonl holds one JSON object per tender, in tenders.csv's order, each an
#     OCDS compiled release whose bids are exactly that tender's bids.csv rows
#     (bidder, amount, date), whose award is its won bid, with ISO 8601 Z dates and
#     two-decimal amounts (checked with python3's json);
#  3. the files are byte-identical at --threads 1 and 2, and ocds.jsonl.gz / .zst
#     decompress to the plain file;
#  4. --tenders N writes N background tenders (plus the planted ones); bad values
#     are refused with exit 2 and a message naming --tenders;
#  5. `ferret ingest --format ocds` stores the releases and `ferret detect
#     cardinal` reports some indicator on them.
# FERRET_GEN_OCDS_ROWS (default 20000) sizes the data.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed to read the JSON" >&2; exit 77; }
rows=${FERRET_GEN_OCDS_ROWS:-20000}
export LC_ALL=C

# 1. --ocds changes nothing else
expect_rc 0 "gen without --ocds" ferret gen plain --rows "$rows" --seed 5 --compress none --threads 2
expect_rc 0 "gen with --ocds" ferret gen ocds2 --rows "$rows" --seed 5 --compress none --threads 2 --ocds
contains out.txt "(and as OCDS releases)" "the summary mentions the OCDS file"
check "no ocds.jsonl without --ocds" test ! -e plain/ocds.jsonl
check "ocds.jsonl written" test -s ocds2/ocds.jsonl
for f in plain/*.csv; do
  check "$(basename "$f") identical with --ocds" cmp -s "$f" "ocds2/$(basename "$f")"
done
expect_rc 0 "gen zst without --ocds" ferret gen zplain --rows "$rows" --seed 5 --threads 2
expect_rc 0 "gen zst with --ocds" ferret gen zocds --rows "$rows" --seed 5 --threads 2 --ocds
for t in tenders bids; do
  check "$t.csv.zst identical with --ocds" cmp -s "zplain/$t.csv.zst" "zocds/$t.csv.zst"
done
check "ocds.jsonl.zst written" test -s zocds/ocds.jsonl.zst

# 2. the releases against the CSV tables
check_releases() {
  python3 - "$1" <<'PY'
import csv, json, re, sys
d = sys.argv[1]
tenders = list(csv.DictReader(open(d + "/tenders.csv", newline="")))
bids = {}
for b in csv.DictReader(open(d + "/bids.csv", newline="")):
    bids.setdefault(b["tender_id"], []).append(b)
lines = open(d + "/ocds.jsonl", encoding="utf-8").read().split("\n")
errors = []
def err(msg):
    if len(errors) < 20: errors.append(msg)
if lines[-1] != "": err("the file does not end with a newline")
lines = lines[:-1]
if len(lines) != len(tenders): err("%d lines for %d tenders" % (len(lines), len(tenders)))
iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")
def ts(s):  # CSV timestamp -> the OCDS form
    return s.replace(" ", "T") + "Z"
def amount_ok(line, v):
    return isinstance(v, float) and re.search(r'"amount":%s\b' % re.escape("%.2f" % v), line)
methods = {"open": "open", "selective": "selective", "negotiated": "limited", "single_source": "direct"}
for n, (line, t) in enumerate(zip(lines, tenders), 1):
    try:
        r = json.loads(line)
    except ValueError as e:
        err("line %d: not JSON: %s" % (n, e)); continue
    if not isinstance(r, dict): err("line %d: not an object" % n); continue
    tid = t["tender_id"]
    if r.get("id") != tid or r.get("ocid") != "ocds-ferret-" + tid:
        err("line %d: id %r / ocid %r, wanted %s" % (n, r.get("id"), r.get("ocid"), tid)); continue
    tn = r["tender"]
    if r["tag"] != ["compiled"] or r["buyer"]["id"] != t["org"] or tn["procuringEntity"]["id"] != t["org"]:
        err("%s: tag, buyer or procuring entity" % tid)
    if tn["procurementMethod"] != methods[t["method"]] or tn["procurementMethodDetails"] != t["method"]:
        err("%s: method %s -> %s / %s" % (tid, t["method"], tn["procurementMethod"], tn["procurementMethodDetails"]))
    if "%.2f" % tn["value"]["amount"] != t["reserve_price"] or tn["value"]["currency"] != "CNY":
        err("%s: value %r, reserve %s" % (tid, tn["value"], t["reserve_price"]))
    per = tn["tenderPeriod"]
    if per["startDate"] != ts(t["published"]) or not iso.match(per["endDate"]) or per["endDate"] < per["startDate"][:19] + "Z":
        err("%s: tenderPeriod %r, published %s" % (tid, per, t["published"]))
    if not tn["items"] or not all(i["classification"]["id"] for i in tn["items"]):
        err("%s: no classified items" % tid)
    if tn["status"] not in (("complete",) if t["awarded"] else ("cancelled", "active")):
        err("%s: status %s, awarded %r" % (tid, tn["status"], t["awarded"]))
    rows = bids.get(tid, [])
    det = r["bids"]["details"]
    got = [(b["tenderers"][0]["id"], "%.2f" % b["value"]["amount"], b["date"]) for b in det]
    want = [(b["bidder"], b["amount"], ts(b["ts"])) for b in rows]
    if got != want: err("%s: bids %r, bids.csv %r" % (tid, got, want))
    for b in det:
        if not amount_ok(line, b["value"]["amount"]) or not iso.match(b["date"]):
            err("%s: bid amount or date not in the expected form: %r" % (tid, b))
        if b["status"] not in ("valid", "disqualified", "withdrawn"): err("%s: bid status %s" % (tid, b["status"]))
    if tn["numberOfTenderers"] != sum(b["status"] != "withdrawn" for b in det):
        err("%s: numberOfTenderers %r" % (tid, tn["numberOfTenderers"]))
    won = [(b["bidder"], b["amount"]) for b in rows if b["won"] == "true"]
    aw = [(a["suppliers"][0]["id"], "%.2f" % a["value"]["amount"]) for a in r["awards"]]
    if aw != won: err("%s: awards %r, won bids %r" % (tid, aw, won))
    for a in r["awards"]:
        if a["status"] != "active" or a["date"] != ts(t["awarded"]) or not a.get("items"):
            err("%s: award %r" % (tid, a))
        wb = [b for b in det if b["tenderers"][0]["id"] == a["suppliers"][0]["id"]]
        if not wb or wb[0]["status"] != "valid": err("%s: the winning bid is not valid" % tid)
    ids = [p["id"] for p in r["parties"]]
    if ids[0] != t["org"] or sorted(ids[1:]) != sorted(set(b["bidder"] for b in rows)):
        err("%s: parties %r" % (tid, ids))
for e in errors: print(e)
sys.exit(1 if errors else 0)
PY
}
if check_releases ocds2 >rel.txt 2>&1; then pass; else fail "releases vs tenders.csv/bids.csv: $(head -c 1500 rel.txt)"; fi
python3 - ocds2/ocds.jsonl >stat.txt <<'PY'
import json, sys
st = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    for b in r["bids"]["details"]: st[b["status"]] = st.get(b["status"], 0) + 1
print(" ".join("%s=%d" % kv for kv in sorted(st.items())))
PY
contains stat.txt "disqualified=" "some bids are disqualified"
contains stat.txt "valid=" "most bids are valid"

# 3. threads and compression
expect_rc 0 "gen --threads 1" ferret gen t1 --rows "$rows" --seed 5 --compress none --threads 1 --ocds
for f in ocds2/*; do
  check "$(basename "$f") identical at 1 and 2 threads" cmp -s "$f" "t1/$(basename "$f")"
done
if command -v zstd >/dev/null; then
  zstd -dcq zocds/ocds.jsonl.zst >z.jsonl
  check "ocds.jsonl.zst decompresses to ocds.jsonl" cmp -s z.jsonl ocds2/ocds.jsonl
fi
expect_rc 0 "gen gz --ocds" ferret gen gz --rows "$rows" --seed 5 --compress gz --threads 2 --ocds
gzip -dc gz/ocds.jsonl.gz >g.jsonl
check "ocds.jsonl.gz decompresses to ocds.jsonl" cmp -s g.jsonl ocds2/ocds.jsonl

# 4. --tenders
ntenders() { echo $(($(wc -l <"$1/tenders.csv") - 1)); }
expect_rc 0 "--tenders 1234, no planted rows" ferret gen n0 --rows 5000 --tenders 1234 --anomaly-rate 0 --compress none --ocds
check "--tenders 1234 writes 1234 tenders" test "$(ntenders n0)" = 1234
check "--tenders 1234 writes 1234 releases" test "$(wc -l <n0/ocds.jsonl)" = 1234
expect_rc 0 "--tenders 3000 with planted tenders" ferret gen n1 --rows 5000 --tenders 3000 --compress none
planted=$(sed -n 's/.* \([0-9]*\) planted tenders.*/\1/p' out.txt)
check "--tenders 3000: 3000 + $planted planted" test "$(ntenders n1)" = $((3000 + ${planted:-0}))
check "some planted tenders" test "${planted:-0}" -gt 0
expect_rc 0 "default tender count" ferret gen n2 --rows 5000 --anomaly-rate 0 --compress none
check "default: rows / 100, at least 50" test "$(ntenders n2)" = 50
for bad in 0 -5 abc 1.5 100000001 ""; do
  expect_rc 2 "--tenders '$bad' refused" ferret gen bad --rows 1000 --tenders "$bad"
  contains err.txt "--tenders: '$bad' is not an integer from 1 to 100000000" "--tenders '$bad': the message"
done
expect_rc 2 "--tenders without a value" ferret gen bad --rows 1000 --tenders
contains err.txt "--tenders needs a value" "--tenders without a value: the message"
expect_rc 2 "--ocds takes no value" ferret gen bad --rows 1000 --ocds=yes
check "nothing written for bad usage" test ! -e bad
expect_rc 0 "--help" ferret gen --help
contains out.txt "--tenders N" "--help lists --tenders"
contains out.txt "--ocds" "--help lists --ocds"

# 5. ingest and cardinal
expect_rc 0 "ingest ocds.jsonl.zst --format ocds" ferret ingest st ocds zocds/ocds.jsonl.zst --format ocds --quiet
ferret query st "select count(*) from ocds_processes" --format csv >n.csv
check "one process per tender" test "$(tail -n 1 n.csv)" = "$(ntenders ocds2)"
expect_rc 0 "detect cardinal" ferret detect st cardinal
cp out.txt cardinal.json
if python3 - cardinal.json >ind.txt <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
inds = sorted({i for grp in d.values() for key in grp.values() for i in key})
print(" ".join(inds))
sys.exit(0 if inds else 1)
PY
then pass; else fail "cardinal found nothing: $(head -c 300 cardinal.json)"; fi
echo "cardinal indicators reported: $(cat ind.txt)"
contains ind.txt "R003" "R003 (short submission period) fires"
finish
