#!/bin/sh
# run_check.sh GEN CHECK WORKDIR: end-to-end test of `ferret gen`.
# GEN is a `ferret gen` command (ferret_gen_driver, or "ferret gen" via a wrapper),
# CHECK is check_gen. Generates a small data set three ways and checks that
#  1. check_gen accepts it (F1, F2, F3, F5 against truth.csv; referential integrity),
#  2. --threads 1 and --threads 3 give byte-identical files,
#  3. the .gz and .zst files decompress to exactly the uncompressed CSVs.
set -eu
GEN=$1
CHECK=$2
WORK=$3
ROWS=${GEN_CHECK_ROWS:-30000}
rm -rf "$WORK"
mkdir -p "$WORK"
"$GEN" "$WORK/none" --rows "$ROWS" --seed 7 --compress none --threads 3 >/dev/null
"$CHECK" "$WORK/none"
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
