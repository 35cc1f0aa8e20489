# test_detect_procure.sh - `ferret detect` P12-P14 and W1-W3 on generated data at
# two seeds:
#  1. every planted case of truth.csv is one finding with exactly its keys, every
#     finding is planted (the background meets no rule), no decoy key is flagged;
#  2. the reference SQL of each detector (tests/detect/{p,w}N_*.sql), run by DuckDB
#     on the same CSV files, flags exactly the same key sets;
#  3. the findings are byte-identical at 1 and 2 threads;
#  4. parameters: a bad W1 period and an unknown name are errors (exit 2), P13's
#     threshold and P14's share move the findings as the definitions say.
# FERRET_DETECT_ROWS (default 30000) sizes the data.
source "$(dirname "$0")/lib.sh"
find_duckdb_peer
rows=${FERRET_DETECT_ROWS:-30000}
export LC_ALL=C

keys_of() { perl -ne 'print "$1\n" if /"values":\[([^\]]*)\]/' "$1" | tr -d '"' | tr ',' ' ' | sort; }

tables="tenders bids entities relations subsidies posts"
for seed in 7 11; do
  dir=gen$seed store=store$seed
  ferret gen "$dir" --rows "$rows" --seed "$seed" --compress none >/dev/null
  for t in $tables; do
    expect_rc 0 "seed $seed: ingest $t" ferret ingest "$store" "$t" "$dir/$t.csv" --quiet
  done
  loads=()
  for t in $tables; do loads+=(--load "$t=$PWD/$dir/$t.csv" --types "$t=canonical"); done
  for det in P12 P13 P14 W1 W2 W3; do
    lc=$(echo "$det" | tr PW pw)
    if ! ferret detect "$store" "$det" --format json --threads 2 >"$lc.json" 2>err.txt; then
      fail "seed $seed $det: ferret failed: $(head -c 300 err.txt)"; continue
    fi
    ferret detect "$store" "$det" --format json --threads 1 >"$lc.t1.json"
    check "seed $seed $det: identical at 1 and 2 threads" cmp -s "$lc.json" "$lc.t1.json"
    keys_of "$lc.json" >found.txt
    grep "^$det,planted," "$dir/truth.csv" | cut -d, -f3 | sort >planted.txt
    if [ ! -s planted.txt ]; then fail "seed $seed $det: truth.csv plants nothing"; fi
    if diff -q planted.txt found.txt >/dev/null; then pass; else
      fail "seed $seed $det: findings differ from the planted cases: $(diff planted.txt found.txt | head -c 600)"
    fi
    hit=0
    for key in $(grep "^$det,decoy," "$dir/truth.csv" | cut -d, -f3 | tr -d '"'); do
      grep -qw -- "$key" found.txt && { hit=1; fail "seed $seed $det: decoy key $key flagged"; }
    done
    [ "$hit" = 0 ] && pass
    [ "$have_duckdb" = 1 ] || continue
    sql=$(ls "$src"/tests/detect/${lc}_*.sql)
    if ! node "$peer" query --threads 2 "${loads[@]}" --sql-file "$sql" --format csv >ref.csv 2>duck.err; then
      fail "seed $seed $det: DuckDB: $(head -c 300 duck.err)"; continue
    fi
    tail -n +2 ref.csv | tr -d '"' | sort >ref_keys.txt
    if diff -q ref_keys.txt found.txt >/dev/null; then pass; else
      fail "seed $seed $det: DuckDB reference differs: $(diff ref_keys.txt found.txt | head -c 600)"
    fi
  done
done

# parameters (seed 11's store)
store=store11
expect_rc 2 "W1 period=week is refused" ferret detect "$store" W1 --set period=week
contains err.txt "period" "W1 bad period names the parameter"
expect_rc 2 "unknown parameter" ferret detect "$store" P13 --set window=3
contains err.txt "window_days" "the error lists the valid names"
expect_rc 0 "W1 by year" ferret detect "$store" W1 --set period=year --format json
n_month=$(ferret detect "$store" W1 --format json | wc -l)
n_year=$(wc -l <out.txt)
check "W1 by year finds at least the monthly findings ($n_year >= $n_month)" test "$n_year" -ge "$n_month"
# non-default parameters against the reference SQL with the same substitution
if [ "$have_duckdb" = 1 ]; then
  loads=()
  for t in $tables; do loads+=(--load "$t=$PWD/gen11/$t.csv" --types "$t=canonical"); done
  while IFS='|' read -r det lc set subst; do
    expect_rc 0 "$det --set $set" ferret detect "$store" "$det" --set "$set" --format json
    keys_of out.txt >found.txt
    sed -e "$subst" "$src"/tests/detect/${lc}_*.sql >q.sql
    node "$peer" query --threads 2 "${loads[@]}" --sql-file q.sql --format csv >ref.csv 2>duck.err ||
      fail "$det --set $set: DuckDB: $(head -c 300 duck.err)"
    tail -n +2 ref.csv | tr -d '"' | sort >ref_keys.txt
    if diff -q ref_keys.txt found.txt >/dev/null; then pass; else
      fail "$det --set $set: DuckDB reference differs: $(diff ref_keys.txt found.txt | head -c 600)"
    fi
  done <<'CASES'
P13|p13|threshold=1150000.00|s/1000000\.00/1150000.00/g
P13|p13|window_days=45|s/90 \* 86400000000/45 * 86400000000/g
P14|p14|share=0.6|s/0\.5 \* g\.n/0.6 * g.n/
P14|p14|min_tenders=11|s/>= 10)/>= 11)/
W1|w1|period=year|s/%Y-%m/%Y/
CASES
fi
expect_rc 0 "P13 with methods=open" ferret detect "$store" P13 --set methods=open --format json
expect_rc 2 "P12 with a missing table" ferret detect "$store" P12 --set relations=nosuch
contains err.txt "relations" "the error names the parameter"
finish
