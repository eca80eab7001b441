#!/usr/bin/env bash
# The command line's fit on 1 and on 2 threads, as a user runs it (reading the
# CSV and writing fit.json included), on an E-step-heavy problem: N rows
# drawn by `moe simulate` (K = 8 Gaussian experts, p = q = 2 covariates,
# seed 1), fitted with the defaults (30 starts screened, 15 finalists,
# split-and-merge) and --no-se. The runs alternate (1, 2, 1, 2, ...) so that
# a shared machine's noise falls on both; the fits must be equal (the same ℓ
# and iterations: the result does not depend on the thread count).
#   usage: bash bench/threads.sh [RUNS] [N] [MOE_BINARY]      (defaults: 3, 50000, build/moe)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=${1:-3}
n=${2:-50000}
moe=${3:-$root/build/moe}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export OPENBLAS_NUM_THREADS=1

"$moe" simulate -n "$n" -K 8 --p 2 --q 2 --seed 1 --out "$work/data.csv"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, n = $n, K = 8, $runs runs each"
printf '%-8s %5s %10s %22s %11s\n' threads run seconds loglik iterations
for ((r = 1; r <= runs; r++)); do
  for t in 1 2; do
    start=$(date +%s%N)
    "$moe" fit --data "$work/data.csv" -y y --x x1,x2 --z z1,z2 -K 8 --threads "$t" --no-se -q \
      --out "$work/fit$t.json"
    end=$(date +%s%N)
    loglik=$(awk '$1 == "\"loglik\":" { v = $2; sub(/,$/, "", v); print v; exit }' "$work/fit$t.json")
    iterations=$(awk '$1 == "\"iterations\":" { v = $2; sub(/,$/, "", v); print v; exit }' "$work/fit$t.json")
    printf '%-8s %5d %10.2f %22s %11s\n' "$t" "$r" "$(echo "($end - $start) / 1000000000" | bc -l)" "$loglik" \
      "$iterations"
  done
  cmp -s <(grep -v '"seconds"' "$work/fit1.json") <(grep -v '"seconds"' "$work/fit2.json") ||
    echo "note: the two fits' JSON differ beyond their times"
done
