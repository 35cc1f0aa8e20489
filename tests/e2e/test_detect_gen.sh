# test_detect_gen.sh - `ferret detect` F1-F12 on generated data at two seeds:
#  1. every planted case of truth.csv is one finding with exactly its keys, every
#     finding is planted (the background meets no rule), no decoy key is flagged;
#  2. the reference SQL of each detector (tests/detect/fN_*.sql), run by DuckDB on
#     the same CSV files, flags exactly the same key sets (F4: the same groups, MAD
#     within 1e-12);
#  3. the findings are byte-identical at 1 and 2 threads;
#  4. the graph rules (F5-F7) find the same on the payments stored in reverse
#     order (every account's payments out of time order), and on one account
#     with 70,001 payments stored newest first (the graph orders such a payer
#     apart, in parallel) they agree with DuckDB's reference query.
# FERRET_DETECT_ROWS (default 60000; F4 is planted from 50000 rows) sizes the data.
source "$(dirname "$0")/lib.sh"
find_duckdb_peer
rows=${FERRET_DETECT_ROWS:-60000}
export LC_ALL=C

# keys_of JSONL: one line per finding, its evidence keys space-separated, sorted.
keys_of() { perl -ne 'print "$1\n" if /"values":\[([^\]]*)\]/' "$1" | tr -d '"' | tr ',' ' ' | sort; }

for seed in 7 11; do
  dir=gen$seed store=store$seed
  ferret gen "$dir" --rows "$rows" --seed "$seed" --compress none >/dev/null
  for t in payments entities relations; do
    expect_rc 0 "seed $seed: ingest $t" ferret ingest "$store" "$t" "$dir/$t.csv" --quiet
  done
  for n in 1 2 3 4 5 6 7 8 9 10 11 12; do
    det=F$n
    if ! ferret detect "$store" "$det" --format json --threads 2 >"f$n.json" 2>err.txt; then
      fail "seed $seed $det: ferret failed: $(head -c 300 err.txt)"; continue
    fi
    ferret detect "$store" "$det" --format json --threads 1 >"f$n.t1.json"
    check "seed $seed $det: identical at 1 and 2 threads" cmp -s "f$n.json" "f$n.t1.json"
    keys_of "f$n.json" >found.txt
    grep "^$det,planted," "$dir/truth.csv" | cut -d, -f3 | sort >planted.txt
    if [ ! -s planted.txt ]; then fail "seed $seed $det: truth.csv plants nothing"; fi
    if diff -q planted.txt found.txt >/dev/null; then pass; else
      fail "seed $seed $det: findings differ from the planted cases: $(diff planted.txt found.txt | head -c 600)"
    fi
    hit=0
    for key in $(grep "^$det,decoy," "$dir/truth.csv" | cut -d, -f3); do
      grep -qw -- "$key" found.txt && { hit=1; fail "seed $seed $det: decoy key $key flagged"; }
    done
    [ "$hit" = 0 ] && pass
    [ "$have_duckdb" = 1 ] || continue
    sql=$(ls "$src"/tests/detect/f${n}_*.sql)
    if ! node "$peer" query --threads 2 --load "payments=$PWD/$dir/payments.csv" \
        --load "entities=$PWD/$dir/entities.csv" --load "relations=$PWD/$dir/relations.csv" \
        --types payments=canonical --types entities=canonical --types relations=canonical \
        --sql-file "$sql" --format csv >ref.csv 2>duck.err; then
      fail "seed $seed $det: DuckDB: $(head -c 300 duck.err)"; continue
    fi
    if [ "$n" = 4 ]; then
      # grp,mad,keys: compare key sets, then MAD per group
      tail -n +2 ref.csv | cut -d, -f3 | sort >ref_keys.txt
      tail -n +2 ref.csv | cut -d, -f1,2 | sort >ref_mad.txt
      perl -ne 'print "$1,$2\n" if /"subject":"([^"]*)".*"mad":([0-9.eE+-]+)/' "f$n.json" | sort >our_mad.txt
      if [ "$(wc -l <ref_mad.txt)" = "$(wc -l <our_mad.txt)" ] && [ -s our_mad.txt ] &&
         join -t, ref_mad.txt our_mad.txt | awk -F, '{ d = $2 - $3; if (d < 0) d = -d; if (d > 1e-12) bad = 1 } END { exit bad }'; then
        pass
      else
        fail "seed $seed F4: MAD differs from DuckDB: ours $(cat our_mad.txt) DuckDB $(cat ref_mad.txt)"
      fi
    else
      tail -n +2 ref.csv | tr -d '"' | sort >ref_keys.txt
    fi
    if diff -q ref_keys.txt found.txt >/dev/null; then pass; else
      fail "seed $seed $det: DuckDB reference differs: $(diff ref_keys.txt found.txt | head -c 600)"
    fi
  done
  # 4. the same payments stored newest first: F5-F7 find the same
  ferret query "$store" "SELECT * FROM payments ORDER BY txn_id DESC" --format csv >rev.csv
  expect_rc 0 "seed $seed: ingest reversed payments" ferret ingest "rev$seed" payments rev.csv --quiet
  for n in 5 6 7; do
    ferret detect "rev$seed" "F$n" --format json --threads 2 >"r$n.json"
    keys_of "r$n.json" >rkeys.txt
    keys_of "f$n.json" >fkeys.txt
    check "seed $seed F$n: same findings on the payments stored in reverse" cmp -s rkeys.txt fkeys.txt
    [ -s fkeys.txt ] || fail "seed $seed F$n: nothing found, nothing compared"
  done
done
# 4. one conduit with 70,001 payments, stored newest first: Z pays A 100000.00, A
# pays 40.00 a minute onwards (2880 of them within 48 h: 115200.00 >= 0.9 x 100000.00)
perl -e 'print "txn_id,ts,org,payer,payee,amount\n";
  for (my $i = 70000; $i >= 1; $i--) {
    my $t = 1704067200 + 60 * $i; my @g = gmtime($t);
    printf "T%06d,%04d-%02d-%02d %02d:%02d:%02d,ORG-1,A,V-%d,40.00\n", $i, $g[5] + 1900, $g[4] + 1, @g[3, 2, 1, 0], $i % 7;
  }
  print "T000000,2024-01-01 00:00:30,ORG-1,Z,A,100000.00\n";' >big.csv
expect_rc 0 "big payer: ingest" ferret ingest bigstore payments big.csv --quiet
ferret detect bigstore F6 --format json --threads 2 >big6.json
ferret detect bigstore F6 --format json --threads 1 >big6.t1.json
check "big payer F6: identical at 1 and 2 threads" cmp -s big6.json big6.t1.json
keys_of big6.json >found.txt
check "big payer F6: one finding of 2881 payments" test "$(wc -l <found.txt) $(wc -w <found.txt)" = "1 2881"
if [ "$have_duckdb" = 1 ]; then
  node "$peer" query --threads 2 --load "payments=$PWD/big.csv" --types payments=canonical \
    --sql-file "$(ls "$src"/tests/detect/f6_*.sql)" --format csv >ref.csv
  tail -n +2 ref.csv | tr -d '"' | sort >ref_keys.txt
  check "big payer F6: DuckDB reference agrees" cmp -s ref_keys.txt found.txt
fi
finish
