#!/usr/bin/env bash
# Fashion-MNIST: dense FFN vs softmax top-k MoE vs sigma-MoE at equal parameter
# count (dense d_ff = E*G), 3 seeds, the same training budget for all.
# Usage: bash bench/nn/fashion_quality.sh [MOE_BINARY] [OUT_DIR]
# Writes one JSON log per run and summary.md (needs python3 for the summary).
set -euo pipefail
moe=${1:-build/moe}
out=${2:-bench/results/nn/fashion_quality}
mkdir -p "$out"
common=(--precision fp64 --data fashion-mnist --experts 16 --k 4 --expert-size 64 --width 128 --layers 2
        --epochs 15 --batch-size 128 --lr 0.001 --warmup 100 --weight-decay 0.01 --clip 1 --quiet)
declare -A extra=([dense]="--router dense"
                  [softmax]="--router softmax --balance 0.01"
                  [sigma]="--router sigma --entropy 0.001")
for seed in 1 2 3; do
  for model in dense softmax sigma; do
    echo "$model seed $seed"
    # shellcheck disable=SC2086
    "$moe" nn-train "${common[@]}" ${extra[$model]} --seed "$seed" --out "$out/${model}_seed$seed.json"
  done
done
python3 "$(dirname "$0")/summarize.py" "$out" > "$out/summary.md"
cat "$out/summary.md"
