#!/usr/bin/env bash
# One run (one start, no split-and-merge moves) on 1 and on 2 threads, as a
# user runs it: the threads then work inside the run, on its passes over the
# rows. N rows drawn by `moe simulate` (Gaussian experts, p = q = 10
# covariates, seed 1) for each K given; ITER iterations (--tol 0). Prints the
# whole process's seconds, the seconds per iteration (from fit.json's trace:
# the last row's time less the first's, over ITER) and ℓ, which must be equal
# on 1 and 2 threads. The runs alternate (1, 2, 1, 2) so that a shared
# machine's noise falls on both.
#   usage: bash bench/threads_one_run.sh [N] [ITER] [K ...]   (defaults: 1000000, 10, 4 16)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=${1:-1000000}
iterations=${2:-10}
shift $(($# < 2 ? $# : 2))
experts=("$@")
[ $# -eq 0 ] && experts=(4 16)
moe=${MOE:-$root/build/moe}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export OPENBLAS_NUM_THREADS=1
x=$(seq -s, -f 'x%g' 1 10)
z=$(seq -s, -f 'z%g' 1 10)
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, n = $n, p = q = 10, $iterations iterations"
printf '%-4s %-8s %5s %10s %14s %24s\n' K threads run seconds s/iteration loglik
for K in "${experts[@]}"; do
  "$moe" simulate -n "$n" -K "$K" --p 10 --q 10 --seed 1 --out "$work/data.csv"
  for run in 1 2; do
    for t in 1 2; do
      start=$(date +%s%N)
      "$moe" fit --data "$work/data.csv" -y y --x "$x" --z "$z" -K "$K" --starts 1 --no-split-merge --tol 0 \
        --max-iter "$iterations" --threads "$t" --no-se -q --out "$work/fit.json"
      end=$(date +%s%N)
      python3 - "$work/fit.json" "$K" "$t" "$run" "$(echo "($end - $start) / 1000000000" | bc -l)" "$iterations" <<'PY'
import json, sys
fit = json.load(open(sys.argv[1]))
trace = fit["trace"]
seconds = trace["seconds"] if isinstance(trace, dict) else [row["seconds"] for row in trace]
per = (seconds[-1] - seconds[0]) / float(sys.argv[6])
print("%-4s %-8s %5s %10.2f %14.4f %24r" % (sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), per, fit["loglik"]))
PY
    done
  done
done
