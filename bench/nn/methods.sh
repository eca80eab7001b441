#!/usr/bin/env bash
# The seed methods on the sparse layer, 3 seeds each, the same budget per run:
#  (a) sigma-MoE vs sigma-MoE + SimSMoE: accuracy / bits per character and the
#      collapse score per epoch;
#  (b) SCMoE vs plain top-2 inference on (a)'s sigma-MoE networks, across beta
#      and the weak rank r (accuracy and latency ratio);
#  (c) Fashion-MNIST: E3 (M = 2, 4) vs one MoE vs a deep ensemble of M dense
#      networks: accuracy, NLL, ECE, FLOPs per example.
# Usage: bash bench/nn/methods.sh fashion|austen [MOE_BINARY] [OUT_DIR]
set -euo pipefail
data=$1
moe=${2:-build/moe}
out=${3:-bench/results/nn/methods_$data}
mkdir -p "$out"
if [ "$data" = fashion ]; then
  dataset=(--data fashion-mnist)
  shape=(--experts 16 --k 2 --expert-size 64 --width 128 --layers 2 --epochs 6 --batch-size 128)
else
  dataset=(--data austen --context 32 --train-size 500000 --test-size 100000)
  shape=(--experts 16 --k 2 --expert-size 64 --width 128 --layers 2 --epochs 2 --batch-size 128)
fi
train=(nn-train --precision fp64 "${dataset[@]}" "${shape[@]}" --lr 0.001 --warmup 100 --quiet)
eval_on=(nn-eval "${dataset[@]}")
for seed in 1 2 3; do
  echo "(a) seed $seed"
  "$moe" "${train[@]}" --router sigma --entropy 0.001 --seed "$seed" \
    --out "$out/sigma_seed$seed.json" --save "$out/sigma_seed$seed.bin"
  "$moe" "${train[@]}" --router sigma --entropy 0.001 --simsmoe 0.5 --simsmoe-threshold 0.5 --simsmoe-rule batch --simsmoe-tokens 64 --seed "$seed" \
    --out "$out/simsmoe_seed$seed.json"
  echo "(b) seed $seed"
  for beta in 0.25 0.5 1; do
    for rank in 2 3; do
      "$moe" "${eval_on[@]}" -c "$out/sigma_seed$seed.bin" --scmoe --scmoe-beta $beta --scmoe-rank $rank \
        --out "$out/scmoe_b${beta}_r${rank}_seed$seed.json" > /dev/null
    done
  done
done
if [ "$data" = fashion ]; then
  for seed in 1 2 3; do
    echo "(c) seed $seed"
    for m in 2 4; do
      "$moe" "${train[@]}" --router sigma --entropy 0.001 --ensemble $m --seed "$seed" \
        --out "$out/e3m${m}_seed$seed.json" --save "$out/e3m${m}_seed$seed.bin"
    done
    for member in 1 2; do  # dense networks 1-6 form the deep ensembles
      s=$(( (seed - 1) * 2 + member ))
      "$moe" "${train[@]}" --router dense --seed "$s" --out "$out/dense_seed$s.json" --save "$out/dense_seed$s.bin"
    done
  done
  for seed in 1 2 3; do
    a=$(( (seed - 1) * 2 + 1 )); b=$((a + 1)); c=$(( (a + 1) % 6 + 1 )); d=$(( (a + 2) % 6 + 1 ))
    "$moe" "${eval_on[@]}" -c "$out/sigma_seed$seed.bin" --out "$out/eval_moe_seed$seed.json" > /dev/null
    for m in 2 4; do
      "$moe" "${eval_on[@]}" -c "$out/e3m${m}_seed$seed.bin" --out "$out/eval_e3m${m}_seed$seed.json" > /dev/null
    done
    "$moe" "${eval_on[@]}" -c "$out/dense_seed$a.bin" --out "$out/eval_dense_seed$seed.json" > /dev/null
    "$moe" "${eval_on[@]}" -c "$out/dense_seed$a.bin" -c "$out/dense_seed$b.bin" \
      --out "$out/eval_deep2_seed$seed.json" > /dev/null
    "$moe" "${eval_on[@]}" -c "$out/dense_seed$a.bin" -c "$out/dense_seed$b.bin" -c "$out/dense_seed$c.bin" \
      -c "$out/dense_seed$d.bin" --out "$out/eval_deep4_seed$seed.json" > /dev/null
  done
fi
rm -f "$out"/*.bin
python3 "$(dirname "$0")/methods_summary.py" "$out" > "$out/summary.md"
cat "$out/summary.md"
