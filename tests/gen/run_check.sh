#!/bin/sh
# run_check.sh GEN CHECK WORKDIR: end-to-end test of `ferret gen`.
# GEN is a `ferret gen` command (ferret_gen_driver, or "ferret gen" via a wrapper),
# CHECK is check_gen. Generates a data set of GEN_CHECK_ROWS (default 60,000) rows and
# checks that
#  1. check_gen accepts it (all planted detectors F1-F12, A1-A7, P12-P14, W1-W3 against
#     truth.csv; referential integrity), and truth.csv plants and decoys every one of
#     them (F4 needs >= 50,000 rows, F9 >= 5,000);
#  2. check_gen accepts a high anomaly rate (0.05, many planted sets) and rate 0 (an
#     empty truth.csv, so no detector may find anything);
#  3. --threads 1 and --threads 3 give byte-identical files;
#  4. the .gz and .zst files decompress to exactly the uncompressed CSVs.
set -eu
GEN=$1
CHECK=$2
WORK=$3
ROWS=${GEN_CHECK_ROWS:-60000}
rm -rf "$WORK"
mkdir -p "$WORK"
"$GEN" "$WORK/none" --rows "$ROWS" --seed 7 --compress none --threads 3 >/dev/null
"$CHECK" "$WORK/none"
if [ "$ROWS" -ge 50000 ]; then
  for d in F1 F2 F3 F4 F5 F6 F7 F8 F9 F10 F11 F12 A1 A2 A3 A4 A5 A6 A7 P12 P13 P14 W1 W2 W3; do
    for k in planted decoy; do
      grep -q "^$d,$k," "$WORK/none/truth.csv" || { echo "run_check: truth.csv has no $k row for $d"; exit 1; }
    done
  done
fi
"$GEN" "$WORK/high" --rows 100000 --seed 3 --anomaly-rate 0.05 --compress none --threads 2 >/dev/null
"$CHECK" "$WORK/high" >"$WORK/high.log" || { cat "$WORK/high.log"; exit 1; }
"$GEN" "$WORK/zero" --rows 20000 --seed 5 --anomaly-rate 0 --compress none --threads 2 >/dev/null
[ "$(wc -l <"$WORK/zero/truth.csv")" -eq 1 ] || { echo "run_check: --anomaly-rate 0 wrote truth rows"; exit 1; }
"$CHECK" "$WORK/zero" >"$WORK/zero.log" || { cat "$WORK/zero.log"; exit 1; }
rm -rf "$WORK/high" "$WORK/zero"
"$GEN" "$WORK/none1" --rows "$ROWS" --seed 7 --compress none --threads 1 >/dev/null
for f in "$WORK"/none/*.csv; do
  cmp "$f" "$WORK/none1/$(basename "$f")"
done
"$GEN" "$WORK/gz" --rows "$ROWS" --seed 7 --compress gz --threads 2 >/dev/null
for f in "$WORK"/none/*.csv; do
  b=$(basename "$f")
  if [ "$b" = truth.csv ]; then cmp "$f" "$WORK/gz/$b"; else gzip -dc "$WORK/gz/$b.gz" | cmp - "$f"; fi
done
if command -v zstd >/dev/null 2>&1; then
  "$GEN" "$WORK/zst" --rows "$ROWS" --seed 7 --threads 2 >/dev/null
  for f in "$WORK"/none/*.csv; do
    b=$(basename "$f")
    [ "$b" = truth.csv ] || zstd -dcq "$WORK/zst/$b.zst" | cmp - "$f"
  done
fi
echo "run_check: ok"
