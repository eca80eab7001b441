#!/usr/bin/env bash
# EM against EM accelerated by SQUAREM (`--methods em,squarem` of `moe compare`,
# one k-means start, --tol 1e-12): on the symmetric two-expert mixtures of
# bench/em_vs_gd.sh (n = 5000, seed 1) and on the shipped data sets. Per run:
# iterations and seconds to reach ℓ within 1e-6 (relative) of the best ℓ, and to
# stop. Single-threaded BLAS, as everywhere in bench/RESULTS.md.
#
#   bash bench/squarem.sh [BUILD_DIR] [OUT_DIR]
# writes OUT_DIR/squarem.csv and OUT_DIR/squarem.md.
set -euo pipefail
# shellcheck source=bench/script_setup.sh
source "$(dirname "$0")/script_setup.sh"
export OPENBLAS_NUM_THREADS=1
common=(--methods em,squarem --tol 1e-12 --max-iter 5000 --quiet)
csv="$out/squarem.csv"
echo "problem,method,iterations,seconds,iterations_to_target,seconds_to_target,final_loglik,loglik_decreases" >"$csv"

# collect PROBLEM DIR: the rows of DIR/summary.csv, by header name, with each
# method's count of ℓ decreases from DIR/summary.json (methods in the same order).
collect() {
  awk -F, -v OFS=, -v p="$1" '
    FNR == NR { if ($0 ~ /"loglik_decreases":/) { v = $0; gsub(/[^0-9]/, "", v); dec[++m] = v }; next }
    FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { print p, $1, $c["iterations"], $c["seconds"], $c["iterations_to_target"], $c["seconds_to_target"], $c["final_loglik"],
        dec[FNR - 1] }' "$2/summary.json" "$2/summary.csv" >>"$csv"
}

for family in gaussian binomial; do
  for snr in 0.5 1 2 4; do
    symmetric_truth "$family" "$snr" "$work/truth.json"
    "$moe" simulate --model "$work/truth.json" -n 5000 --seed 1 --out "$work/data.csv"
    "$moe" compare --data "$work/data.csv" --response y --x x1,x2 --z x1,x2 --no-intercept -K 2 \
      --family "$family" --seed 1 "${common[@]}" --out-dir "$work/run"
    collect "$family SNR $snr" "$work/run"
  done
done
data="$root/datasets"
"$moe" compare --data "$data/mcycle.csv" --response accel --x times --z times -K 3 --seed 9 "${common[@]}" --out-dir "$work/run"
collect "mcycle K=3" "$work/run"
"$moe" compare --data "$data/pima.csv" --response diabetes --x glu,bmi --z age -K 2 --family binomial --seed 1 \
  "${common[@]}" --out-dir "$work/run"
collect "pima K=2 binomial" "$work/run"
"$moe" compare --data "$data/patent.csv" --response Patents --x lgRD --z RDS -K 3 --family poisson --seed 2 \
  "${common[@]}" --out-dir "$work/run"
collect "patent K=3 poisson" "$work/run"

awk -F, '
  NR == 1 { next }
  { if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
    it[$1, $2] = $3; s[$1, $2] = $4; it_t[$1, $2] = $5; s_t[$1, $2] = $6; ll[$1, $2] = $7 }
  END {
    print "| problem | EM iter (to target) | SQUAREM iter (to target) | EM s to target (to stop) | SQUAREM s to target (to stop) | speed-up to target (to stop) | final ℓ EM − SQUAREM |"
    print "|---|---|---|---|---|---|---|"
    for (i = 1; i <= n; i++) {
      p = order[i]
      printf "| %s | %d (%d) | %d (%d) | %.3g (%.3g) | %.3g (%.3g) | %.1f× (%.1f×) | %.2g |\n", p, it[p, "em"], it_t[p, "em"],
        it[p, "squarem"], it_t[p, "squarem"], s_t[p, "em"], s[p, "em"], s_t[p, "squarem"], s[p, "squarem"],
        s_t[p, "em"] / s_t[p, "squarem"], s[p, "em"] / s[p, "squarem"], ll[p, "em"] - ll[p, "squarem"]
    }
  }' "$csv" >"$out/squarem.md"
echo "wrote $csv and $out/squarem.md" >&2
