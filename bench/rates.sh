#!/usr/bin/env bash
# Predicted against observed linear rates (ratios of successive gaps ℓ* − ℓ_t)
# of EM, mirror descent (η = 0.5) and gradient ascent with the fixed step 1, on
# the symmetric two-expert mixtures of bench/em_vs_gd.sh (n = 5000, seed 1) and
# on a random K = 4 Gaussian model. `moe compare` prints both: the observed rate
# is the median ratio over the gaps above 1e-9 of |ℓ*|, the predicted one comes
# from the information matrices at the best fit (include/moe/local_rates.hpp).
#
#   bash bench/rates.sh [BUILD_DIR] [OUT_DIR]
# writes OUT_DIR/rates.csv (one row per configuration and method) and
# OUT_DIR/rates.md (the table of bench/RESULTS.md).
set -euo pipefail
# shellcheck source=bench/script_setup.sh
source "$(dirname "$0")/script_setup.sh"
common=(--methods em,mirror:0.5,gd:1 --tol 1e-12 --max-iter 5000 --seed 1 --quiet)
csv="$out/rates.csv"
echo "family,K,snr,method,iterations,converged,linear_rate,predicted_linear_rate" >"$csv"

# json_number KEY FILE: a top-level number of summary.json (one "KEY": value line).
json_number() { awk -v key="\"$1\":" '$1 == key { v = $2; sub(/,$/, "", v); print v; exit }' "$2"; }

# collect FAMILY K SNR DIR: the rates of DIR/summary.csv, by header name, and a
# row "gd:best" for the best fixed gradient step predicted at the best fit
# (not run: observed NaN).
collect() {
  awk -F, -v OFS=, -v f="$1" -v k="$2" -v s="$3" '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { print f, k, s, $1, $c["iterations"], $c["converged"], $c["linear_rate"], $c["predicted_linear_rate"] }' \
    "$4/summary.csv" >>"$csv"
  echo "$1,$2,$3,gd:best $(json_number predicted_gradient_best_step "$4/summary.json"),,,nan,$(json_number predicted_gradient_best "$4/summary.json")" >>"$csv"
}

for family in gaussian binomial; do
  for snr in 0.5 1 2 4 8; do
    symmetric_truth "$family" "$snr" "$work/truth.json"
    "$moe" simulate --model "$work/truth.json" -n 5000 --seed 1 --out "$work/data.csv"
    "$moe" compare --data "$work/data.csv" --response y --x x1,x2 --z x1,x2 --no-intercept -K 2 \
      --family "$family" "${common[@]}" --out-dir "$work/run"
    collect "$family" 2 "$snr" "$work/run"
    echo "done: $family snr=$snr" >&2
  done
done
"$moe" compare --simulate -n 5000 -K 4 --p 2 --q 2 --separation 2 "${common[@]}" --out-dir "$work/run"
collect gaussian 4 random "$work/run"

# One row per configuration: observed / predicted per method (4 decimals).
awk -F, '
  NR == 1 { next }
  { key = $1 " | " $2 " | " $3; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    cell[key, $4] = sprintf("%.4f / %.4f", $7, $8)
    if ($4 ~ /^gd:best/) cell[key, "gd:best"] = sprintf("%.4f (step %.3g)", $8, substr($4, 9)) }
  END {
    print "| family | K | SNR | EM observed / predicted | mirror η=0.5 observed / predicted | gd:1 observed / predicted | best fixed gd step: predicted |"
    print "|---|---|---|---|---|---|---|"
    for (i = 1; i <= n; i++)
      print "| " order[i] " | " cell[order[i], "em"] " | " cell[order[i], "mirror:0.5"] " | " cell[order[i], "gd:1"] " | " cell[order[i], "gd:best"] " |"
  }' "$csv" >"$out/rates.md"
echo "wrote $csv and $out/rates.md" >&2
