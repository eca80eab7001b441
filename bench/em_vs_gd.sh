#!/usr/bin/env bash
# EM vs gradient descent on synthetic mixtures of experts (the setting of
# Fruytier, Mokhtari & Sanghavi, "Learning Mixtures of Experts with EM"):
#  - symmetric mixtures of 2 linear experts and of 2 logistic experts,
#    experts ±β*, gate log-odds w*·x, x ~ N(0, I_2), no intercepts, over a grid
#    of SNR = ‖β*‖/σ (σ = 1; logistic: ‖β*‖ on the logit scale);
#  - random models with K = 4 and K = 8 (p = q = 2, with intercepts).
# Every method starts from the same k-means initialization in `moe compare`;
# the target is ℓ within 1e-6 (relative) of the best ℓ any method found.
#
#   bash bench/em_vs_gd.sh [BUILD_DIR] [OUT_DIR]
# writes OUT_DIR/em_vs_gd.csv (one row per configuration, seed and method),
# OUT_DIR/em_vs_gd.md (medians over seeds) and OUT_DIR/em_vs_gd.png.
set -euo pipefail
# shellcheck source=bench/script_setup.sh
source "$(dirname "$0")/script_setup.sh"
methods="em,gd,gd:0.1,gd:0.3,gd:1,gd:3,mirror:0.5"
common=(--methods "$methods" --tol 1e-12 --max-iter 5000 --quiet)
n=5000
csv="$out/em_vs_gd.csv"
echo "family,K,snr,seed,method,iterations,reached,iterations_to_target,seconds_to_target,final_loglik,final_param_error,linear_rate" >"$csv"

# collect FAMILY K SNR SEED DIR: rows of DIR/summary.csv into the CSV.
collect() {
  awk -F, -v OFS=, -v f="$1" -v k="$2" -v s="$3" -v seed="$4" 'NR > 1 {
    print f, k, s, seed, $1, $2, $5, $6, $7, $4, $11, $8 }' "$5/summary.csv" >>"$csv"
}

for family in gaussian binomial; do
  for snr in 0.5 1 2 4 8; do
    for seed in 1 2 3; do
      symmetric_truth "$family" "$snr" "$work/truth.json"
      "$moe" simulate --model "$work/truth.json" -n "$n" --seed "$seed" --out "$work/data.csv"
      "$moe" compare --data "$work/data.csv" --response y --x x1,x2 --z x1,x2 --no-intercept -K 2 \
        --family "$family" --truth "$work/truth.json" --seed "$seed" "${common[@]}" --out-dir "$work/run"
      collect "$family" 2 "$snr" "$seed" "$work/run"
      echo "done: $family K=2 snr=$snr seed=$seed" >&2
    done
  done
done
for K in 4 8; do
  for seed in 1 2 3; do
    "$moe" compare --simulate -n "$n" -K "$K" --p 2 --q 2 --separation 2 --seed "$seed" \
      "${common[@]}" --out-dir "$work/run"
    collect gaussian "$K" random "$seed" "$work/run"
    echo "done: gaussian K=$K seed=$seed" >&2
  done
done

# Medians over seeds; "gd best fixed" is, per run, the fixed step that reached
# the target in the fewest iterations.
awk -F, -v out="$out/em_vs_gd.md" -f "$root/bench/em_vs_gd_table.awk" "$csv" >"$out/em_vs_gd.md"
gnuplot -e "csv='$out/em_vs_gd.md.dat'; png='$out/em_vs_gd.png'" "$root/bench/em_vs_gd.gp"
echo "wrote $csv, $out/em_vs_gd.md, $out/em_vs_gd.png" >&2
