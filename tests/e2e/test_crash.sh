#!/usr/bin/env bash
# test_crash.sh - an ingest killed with SIGKILL at any instant leaves the store at
# the previous or the new version, never between (DESIGN.md "The store";
# fr_store.h: atomic commit, leftovers removed by the next writer).
#
# 20 batch files (.csv.zst) of distinct sizes, every row tagged with its batch id
# and its 1-based sequence number in the batch.  Each round starts
# `ferret ingest STORE t batch_K` in the background and either lets it finish or
# kill -9s it after a random delay spread over the whole expected run time (the
# duration is learnt from the ingests that finish; a third of the delays fall in
# its last fifth), so kills land in start-up, reading, encoding, segment writing
# and around the commit.  After every round:
#   - verify exits 0 (notes about files left by an interrupted ingest allowed;
#     when the first ingest into a new store was killed, "no store" is fine);
#   - the export holds, for every batch, exactly (times committed) x its rows,
#     with the sequence numbers complete: a batch is never partly visible; a
#     killed ingest may have committed entirely (killed after its commit point);
#   - info --format json "rows" is the sum of the committed batches;
#   - after an ingest that finished, no leftover file remains in data/ (the
#     writer removed what killed ingests left) and verify prints no note.
# The store starts afresh when it passes ~600k rows, to keep exports short.
# FERRET_CRASH_KILLS (default 120) sets the number of kills, FERRET_CRASH_SEED the
# random seed.
source "$(dirname "$0")/lib.sh"

want_kills=${FERRET_CRASH_KILLS:-120}
seed=${FERRET_CRASH_SEED:-$$}
RANDOM=$seed
echo "seed $seed (FERRET_CRASH_SEED=$seed reproduces the delays)"

now_us() { local t=${EPOCHREALTIME/./}; echo $((10#$t)); }

# --- batches ------------------------------------------------------------------
n_batches=20
declare -a size=()
printf 'batch int64\nseq int64\nts timestamp\norg string\npayee string\namount decimal(18,2)\nmemo string\n' >t.schema
t0=$SECONDS
for ((k = 1; k <= n_batches; k++)); do
  size[k]=$((40000 + k * 6007))
  awk -v b="$k" -v n="${size[k]}" 'BEGIN {
    srand(b); print "batch,seq,ts,org,payee,amount,memo"
    for (i = 1; i <= n; i++)
      printf "%d,%d,2024-%02d-%02d %02d:%02d:%02d,org%d,payee%d,%d.%02d,memo %d-%d %x\n", b, i,
        (i % 12) + 1, (i % 28) + 1, i % 24, i % 60, (i * 7) % 60, int(rand() * 50),
        int(rand() * 5000), int(rand() * 100000), int(rand() * 100), b, i, int(rand() * 1e9)
  }' | zstd -q -1 -o "batch_$k.csv.zst"
done
echo "generated $n_batches batches ($((SECONDS - t0)) s), ${size[1]}..${size[n_batches]} rows each"

# --- state --------------------------------------------------------------------
store_no=0
store=""
declare -a committed=()  # committed[k]: times batch k is in the current store
expected_rows=0
new_store() {
  store_no=$((store_no + 1))
  store=store_$store_no
  rm -rf "$store"
  for ((k = 1; k <= n_batches; k++)); do committed[k]=0; done
  expected_rows=0
}
new_store

# check_store ROUND_DESC KILLED_BATCH: verify and export; KILLED_BATCH (0 = none)
# may show up whole once more than recorded, which then counts as committed.
# Sets visible_extra=1 when it did.
check_store() {
  local what=$1 killed=$2 rc=0
  visible_extra=0
  local no_store=0
  ferret verify "$store" >verify.txt 2>&1 || rc=$?
  if [ "$rc" = 2 ] && [ "$expected_rows" = 0 ] && grep -Eq 'no store at|not a ferret store' verify.txt; then
    no_store=1  # the first ingest into a new store was killed while creating it
  elif [ "$rc" != 0 ]; then
    fail "$what: verify exit $rc: $(head -c 800 verify.txt)"
    return
  fi
  pass
  rc=0
  ferret export "$store" t >export.csv 2>export.err || rc=$?
  if [ "$rc" = 2 ] && [ "$expected_rows" = 0 ] && { [ "$no_store" = 1 ] || grep -q 'no table' export.err; }; then
    : >export.csv  # nothing committed yet, and the killed ingest did not commit
  elif [ "$rc" != 0 ]; then
    fail "$what: export exit $rc: $(head -c 600 export.err)"
    return
  fi
  # per batch: rows, sum of seq, min and max seq
  awk -F, 'NR > 1 { n[$1]++; s[$1] += $2; if (!($1 in lo) || $2 < lo[$1]) lo[$1] = $2; if ($2 > hi[$1]) hi[$1] = $2 }
    END { for (b in n) printf "%s %d %.0f %d %d\n", b, n[b], s[b], lo[b], hi[b] }' export.csv | sort -n >counts.txt
  local b n s lo hi want_n want_s problems="" seen=" "
  while read -r b n s lo hi; do
    seen+="$b "
    if [ "$b" -lt 1 ] || [ "$b" -gt "$n_batches" ]; then
      problems+=" unknown batch '$b' ($n rows);"
      continue
    fi
    local c=${committed[b]} sz=${size[b]}
    want_n=$((c * sz))
    want_s=$((c * sz * (sz + 1) / 2))
    if [ "$n" = "$want_n" ] && [ "$s" = "$want_s" ]; then continue; fi
    if [ "$b" = "$killed" ] && [ "$n" = $(((c + 1) * sz)) ] && [ "$s" = $(((c + 1) * sz * (sz + 1) / 2)) ]; then
      visible_extra=1
      continue
    fi
    problems+=" batch $b: $n rows (seq $lo..$hi, sum $s), want $want_n (committed $c x ${size[b]})$([ "$b" = "$killed" ] && echo " or $(((c + 1) * sz))");"
  done <counts.txt
  for ((b = 1; b <= n_batches; b++)); do
    if [ "${committed[b]}" -gt 0 ] && [[ $seen != *" $b "* ]]; then
      problems+=" batch $b: missing, committed ${committed[b]} time(s);"
    fi
  done
  if [ -n "$problems" ]; then
    fail "$what: export does not hold whole committed batches:$problems"
    return
  fi
  pass
  local want_rows=$expected_rows
  if [ "$visible_extra" = 1 ]; then want_rows=$((want_rows + size[killed])); fi
  local rows
  rows=$( (ferret info "$store" t --format json 2>/dev/null || true) | grep -o '"rows":[0-9]*' | head -n 1 | cut -d: -f2 || true)
  if [ -z "$rows" ] && [ ! -s export.csv ]; then rows=0; fi
  if [ "$rows" = "$want_rows" ]; then pass; else fail "$what: info rows $rows, want $want_rows"; fi
}

# no_leftovers WHAT: after a finished ingest, data/ holds only the table's segments
# and verify notes nothing.
no_leftovers() {
  local what=$1 segs files
  segs=$(ferret info "$store" t --format json | grep -o '"segments":[0-9]*' | head -n 1 | cut -d: -f2)
  files=$(find "$store/data" -type f | wc -l)
  if [ "$segs" = "$files" ] && ! grep -q '^note:' verify.txt && [ ! -e "$store/MANIFEST.tmp" ]; then
    pass
  else
    fail "$what: leftovers after a finished ingest: $files files in data/ for $segs segments; $(ls "$store" "$store/data" | tr '\n' ' '); $(grep '^note:' verify.txt | head -n 3)"
  fi
}

# --- rounds -------------------------------------------------------------------
kills=0 finished=0 kills_before_commit=0 kills_after_commit=0 kills_left_files=0 kills_exited_first=0 kills_before_history=0
ns_per_row=2000   # learnt from finished ingests
rows_timed=0 us_timed=0
round=0 next=1
t0=$SECONDS
while [ "$kills" -lt "$want_kills" ]; do
  round=$((round + 1))
  k=$next
  if [ "$round" -gt $((want_kills * 3)) ]; then
    fail "gave up after $round rounds with only $kills kills"
    break
  fi
  # wait while the binary is being rebuilt, so that the background job runs it
  for ((w = 0; w < 120; w++)); do
    if [ -x "$FERRET" ]; then break; fi
    sleep 0.5
  done
  mode="kill"
  if [ "$round" = 1 ] || [ $((RANDOM % 4)) = 0 ]; then
    mode=finish
  elif [ $((RANDOM % 5)) = 0 ]; then
    mode=commit  # kill as soon as the new MANIFEST appears (after the commit point)
  fi
  predicted_us=$((size[k] * ns_per_row / 1000))
  # two kills in three anywhere in [0, 115%] of the expected run time, one in
  # three in [80%, 115%], around the commit point
  delay_us=$((RANDOM * 32768 + RANDOM))
  if [ $((RANDOM % 3)) = 0 ]; then
    delay_us=$((predicted_us * 80 / 100 + delay_us % (predicted_us * 35 / 100 + 1)))
  else
    delay_us=$((delay_us % (predicted_us * 115 / 100 + 1)))
  fi
  touch marker  # for mode commit: MANIFEST -nt marker once the new one is in place
  start=$(now_us)
  "$FERRET" ingest "$store" t "batch_$k.csv.zst" --schema t.schema --quiet >ingest.out 2>ingest.err &
  pid=$!
  if [ "$mode" = commit ]; then
    while kill -0 "$pid" 2>/dev/null && ! [ "$store/MANIFEST" -nt marker ]; do :; done
    kill -9 "$pid" 2>/dev/null || true
  elif [ "$mode" = kill ]; then
    sleep "$((delay_us / 1000000)).$(printf %06d $((delay_us % 1000000)))"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rc=0
  { wait "$pid"; } 2>/dev/null || rc=$?
  elapsed=$(($(now_us) - start))
  what="round $round (batch $k, $mode)"
  if [ "$mode" = kill ]; then what="round $round (batch $k, kill after $((delay_us / 1000)) ms)"; fi
  case $rc in
    0)
      if [ "$mode" != finish ]; then kills_exited_first=$((kills_exited_first + 1)); fi
      finished=$((finished + 1))
      committed[k]=$((committed[k] + 1))
      expected_rows=$((expected_rows + size[k]))
      if [ "$mode" = finish ]; then rows_timed=$((rows_timed + size[k])) us_timed=$((us_timed + elapsed)); fi
      if [ "$rows_timed" -gt 0 ]; then ns_per_row=$((us_timed * 1000 / rows_timed)); fi
      check_store "$what: finished" 0
      no_leftovers "$what"
      next=$((k % n_batches + 1))
      ;;
    137)
      kills=$((kills + 1))
      check_store "$what: killed" "$k"
      if [ "$visible_extra" = 1 ]; then
        kills_after_commit=$((kills_after_commit + 1))
        version=$(ferret info "$store" --format json | grep -o '"version":[0-9]*' | head -n 1 | cut -d: -f2 || true)
        if [ ! -e "$store/history/MANIFEST.$version" ]; then kills_before_history=$((kills_before_history + 1)); fi
        committed[k]=$((committed[k] + 1))
        expected_rows=$((expected_rows + size[k]))
        next=$((k % n_batches + 1))
      else
        kills_before_commit=$((kills_before_commit + 1))
        if grep -q '^note:' verify.txt; then kills_left_files=$((kills_left_files + 1)); fi
        # the next round retries the same batch
      fi
      ;;
    *)
      fail "$what: ingest exit $rc: $(head -c 600 ingest.err)"
      next=$((k % n_batches + 1))
      ;;
  esac
  if [ "$expected_rows" -gt 600000 ]; then new_store; fi
done
echo "rounds $round in $((SECONDS - t0)) s: $kills kills ($kills_before_commit before the commit point, of which" \
  "$kills_left_files left an uncommitted segment behind; $kills_after_commit after it, $kills_before_history of these before history/MANIFEST.N was written), $finished ingests" \
  "finished ($kills_exited_first of them before their kill), $store_no stores; a finished ingest took ~$ns_per_row ns per row"
# The default (120) gives the 100+ kills the store's contract asks for; a smaller
# FERRET_CRASH_KILLS (the sanitizer stage) checks that many.
min_kills=$((want_kills < 100 ? want_kills : 100))
check "at least $min_kills kills ($kills)" test "$kills" -ge "$min_kills"
check "some ingests finished between kills ($finished)" test "$finished" -ge 10
check "some kills landed mid-ingest, after the segment writing began ($kills_left_files)" test "$kills_left_files" -ge 1

finish
