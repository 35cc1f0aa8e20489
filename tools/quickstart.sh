#!/usr/bin/env bash
# quickstart.sh - the README's first command: installs dependencies, builds ferret
# (Release), generates a sample audit log, ingests it, shows `ferret info` and
# `ferret verify`, and ends with the nightly scan's default rule pack over the
# sample, pointing at its report.html.  Usage: bash tools/quickstart.sh [ROWS]
# (default 200000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-200000}
bash "$root/tools/install_deps.sh"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build"
ferret="$root/build/tools/ferret"
sample="$root/build/sample"
store="$root/build/sample-store"
rm -rf "$sample" "$store"
if "$ferret" gen --help >/dev/null 2>&1; then
  "$ferret" gen "$sample" --rows "$rows" --seed 1
else
  mkdir -p "$sample"
  bash "$root/tools/sample_payments.sh" "$rows" | zstd -q -3 > "$sample/payments.csv.zst"
fi
for file in "$sample"/*.csv.zst; do
  table=$(basename "$file" .csv.zst)
  "$ferret" ingest "$store" "$table" "$file"
done
"$ferret" info "$store" payments
"$ferret" verify "$store"
echo
# The nightly scan with the default rule pack (every detector): its findings store
# goes to $store/findings/, its report to $store/report/.
"$ferret" scan "$store"
echo
echo "Store ready at $store. Open the scan's report: $store/report/report.html"
echo "Try:"
echo "  $ferret export $store payments --format csv | head"
echo "  $ferret scan $store        # again: nothing new is reported twice"
echo "  $ferret query $store \"SELECT org, count(*) AS n, sum(amount) AS total FROM payments GROUP BY org ORDER BY total DESC LIMIT 10\""
echo "  $ferret detect $store split_payment --explain"
echo "  $ferret shell $store"
