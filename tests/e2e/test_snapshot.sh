#!/usr/bin/env bash
# test_snapshot.sh - readers see a whole committed version while an ingest
# appends (DESIGN.md "The store"; fr_store.h: readers load MANIFEST once).
#
# A writer appends batches 2..N (batch 1 first, alone) of known, different sizes
# to table t, one ingest each, with random pauses.  Meanwhile two readers loop:
#   reader A: `ferret export STORE t`, counted per batch id: the batches seen must
#             be exactly 1..j for some j, each with all its rows;
#   reader B: `ferret info STORE t --format json` rows (five times per round),
#             `ferret export STORE t | wc -l`, and every tenth round
#             `ferret verify STORE` (exit 0; notes about the segment being written
#             are allowed).
# Every count must be a prefix sum of the batch sizes (a committed version),
# never in between; every read must succeed.  FERRET_SNAPSHOT_BATCHES (default
# 150) sets the number of batches.
source "$(dirname "$0")/lib.sh"

n_batches=${FERRET_SNAPSHOT_BATCHES:-150}
seed=${FERRET_SNAPSHOT_SEED:-$$}
RANDOM=$seed
echo "seed $seed"


# --- batches: batch k has size[k] rows, distinct sizes -----------------------
declare -a size=() prefix=()
declare -A prefix_index=()  # prefix sum -> j
prefix[0]=0
for ((k = 1; k <= n_batches; k++)); do
  size[k]=$((1000 + (k * 7919) % 14000 + k))
  prefix[k]=$((prefix[k - 1] + size[k]))
  prefix_index[${prefix[k]}]=$k
done
printf 'batch int64\nseq int64\nts timestamp\norg string\namount decimal(18,2)\nmemo string\n' >t.schema
mkdir -p batches
for ((k = 1; k <= n_batches; k++)); do echo "${size[k]}"; done | awk '
  { k = NR; n = $1; f = "batches/batch_" k ".csv"
    print "batch,seq,ts,org,amount,memo" > f
    for (i = 1; i <= n; i++)
      printf "%d,%d,2024-%02d-%02d %02d:%02d:00,org%d,%d.%02d,memo %d/%d\n", k, i, (i % 12) + 1, (i % 28) + 1,
        i % 24, i % 60, (i * 31 + k) % 97, (i * 7919) % 100000, i % 100, k, i > f
    close(f) }'
echo "$n_batches batches, ${prefix[n_batches]} rows in all"

expect_rc 0 "ingest batch 1" ferret ingest S t batches/batch_1.csv --schema t.schema --quiet

# --- writer ---------------------------------------------------------------------
(
  set +e
  for ((k = 2; k <= n_batches; k++)); do
    sleep "0.$(printf %03d $((RANDOM % 200)))"
    ferret ingest S t "batches/batch_$k.csv" --schema t.schema --quiet >"writer_$k.out" 2>&1
    echo "$k $?" >>writer.log
  done
  touch writer.done
) &
writer_pid=$!

# --- reader A: export counted per batch ---------------------------------------
(
  set +e
  while [ ! -e writer.done ]; do
    ferret export S t 2>reader_a.err | awk -F, '
      NR > 1 { n[$1]++; if ($1 + 0 > max) max = $1 + 0 }
      END {
        printf "%d", NR - 1
        for (b in n) if (b !~ /^[0-9]+$/ || b + 0 < 1) printf " BAD:%s:%d", b, n[b]
        for (b = 1; b <= max; b++) printf " %d:%d", b, n[b] + 0
        print ""
      }' >reader_a.obs
    rcs="${PIPESTATUS[0]}"
    echo "$rcs $(cat reader_a.obs)$( [ "$rcs" = 0 ] || echo " ERR $(head -c 300 reader_a.err | tr '\n' ' ')")" >>reader_a.log
  done
) &
reader_a_pid=$!

# --- reader B: info rows, export | wc -l, verify ------------------------------
(
  set +e
  i=0
  while [ ! -e writer.done ]; do
    i=$((i + 1))
    for _ in 1 2 3 4 5; do
      json=$(ferret info S t --format json 2>reader_b.err)
      rc=$?
      rows=$(echo "$json" | grep -o '"rows":[0-9]*' | head -n 1 | cut -d: -f2)
      echo "info $rc ${rows:-none}" >>reader_b.log
      sleep 0.01
    done
    lines=$(set -o pipefail; ferret export S t 2>reader_b.err | wc -l)
    rc=$?
    echo "wc $rc $((lines - 1))" >>reader_b.log
    if [ $((i % 10)) = 0 ]; then
      ferret verify S >reader_b_verify.txt 2>&1
      rc=$?
      echo "verify $rc $(head -c 300 reader_b_verify.txt | tr '\n' ' ')" >>reader_b.log
    fi
  done
) &
reader_b_pid=$!

t0=$SECONDS
wait "$writer_pid" || true
wait "$reader_a_pid" || true
wait "$reader_b_pid" || true
echo "writer and readers done in $((SECONDS - t0)) s"

# --- checks ---------------------------------------------------------------------
bad_writer=$(awk '$2 != 0' writer.log | head -n 5 | tr '\n' ';')
check "every ingest succeeded ($bad_writer)" test -z "$bad_writer"
check "the writer ran every ingest" test "$(wc -l <writer.log)" = $((n_batches - 1))

# reader A: "rc rows b:c b:c ..." - batches 1..j, each whole
n_obs=0 n_bad=0 bad_list=""
declare -A seen_a=()
while read -r rc rows items; do
  n_obs=$((n_obs + 1))
  ok=1 j=0
  if [ "$rc" != 0 ]; then ok=0; fi
  for item in $items; do
    j=$((j + 1))
    if [ "$item" != "$j:${size[j]:-x}" ]; then ok=0; fi
  done
  if [ "$ok" = 1 ] && [ "$rows" = "${prefix[j]}" ]; then
    seen_a[$j]=1
  else
    n_bad=$((n_bad + 1))
    if [ "$n_bad" -le 5 ]; then bad_list+=" [exit $rc, $rows rows: $(echo "$items" | head -c 300)]"; fi
  fi
done <reader_a.log
echo "reader A: $n_obs exports, ${#seen_a[@]} distinct versions"
check "reader A: every export holds batches 1..j, each whole ($n_bad of $n_obs bad:$bad_list)" test "$n_bad" = 0
check "reader A: saw at least 5 different versions (${#seen_a[@]})" test "${#seen_a[@]}" -ge 5

# reader B
declare -A seen_b=()
n_info=0 n_wc=0 n_verify=0 n_bad=0 bad_list=""
while read -r kind rc rest; do
  value=${rest%% *}
  case $kind in
    info | wc)
      if [ "$kind" = info ]; then n_info=$((n_info + 1)); else n_wc=$((n_wc + 1)); fi
      if [ "$rc" = 0 ] && [ -n "${prefix_index[$value]:-}" ]; then
        seen_b[${prefix_index[$value]}]=1
        continue
      fi
      ;;
    verify)
      n_verify=$((n_verify + 1))
      if [ "$rc" = 0 ]; then continue; fi
      ;;
  esac
  n_bad=$((n_bad + 1))
  if [ "$n_bad" -le 5 ]; then bad_list+=" [$kind exit $rc: $(echo "$rest" | head -c 300)]"; fi
done <reader_b.log
echo "reader B: $n_info info, $n_wc export | wc -l, $n_verify verify; ${#seen_b[@]} distinct versions"
check "reader B: every count is a committed version's and every verify passes ($n_bad bad:$bad_list)" test "$n_bad" = 0
check "reader B: saw at least 5 different versions (${#seen_b[@]})" test "${#seen_b[@]}" -ge 5

# the end state: every batch, whole
expect_rc 0 "final verify" ferret verify S
expect_rc 0 "final export" ferret export S t
awk -F, 'NR > 1 { n[$1]++ } END { for (b in n) print b, n[b] }' out.txt | sort -n >final_counts.txt
for ((k = 1; k <= n_batches; k++)); do echo "$k ${size[k]}"; done >want_counts.txt
check "final export holds every batch whole" cmp -s final_counts.txt want_counts.txt

finish
