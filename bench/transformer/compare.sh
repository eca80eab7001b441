#!/usr/bin/env bash
# Issue 21, items 2, 3 and 5: at one small budget of training predictions
# (300 000 positions of the first five Austen novels; held out: 20 000
# characters of Persuasion), 3 seeds each:
#   - the MLP over a one-hot window (sigma-MoE blocks), 1 epoch of 300 000 windows;
#   - the causal transformer (width 96, 3 blocks, context 32, learned positions
#     + ALiBi) with dense blocks at equal parameters (d_ff = E G = 256) and at
#     equal FLOPs (d_ff = k G = 64), sigma-MoE, softmax top-2, and sigma-MoE +
#     SimSMoE as its authors' scripts run it (counters past 16, RBF CKA with
#     sigma 0.8, threshold 0.5, weight 1 x 0.01);
#   - SCMoE on the sigma-MoE transformers across beta (0: the strong pass on the
#     plausible bytes alone) and the weak rank r; greedy text from a prompt.
# Writes the JSON logs and bench/transformer/compare.md (summarize.py).
#
# Usage, from anywhere:  bash bench/transformer/compare.sh [MOE_BINARY]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
moe="${1:-build/moe}"
out="$here/compare"
mkdir -p "$out"
models="$(mktemp -d)"  # the sigma-MoE checkpoints, for SCMoE
trap 'rm -rf "$models"' EXIT
export OPENBLAS_NUM_THREADS=1
budget=300000
context=32
batch=2
steps=$((budget / (context * batch)))  # 4687 steps of 2 windows of 32: 299 968 predictions
held_out=$((20000 / context))         # 625 windows of 32: 20 000 characters
moe_shape=(--experts 8 --k 2 --expert-size 32)
transformer=(nn-train --data austen --arch transformer --width 96 --layers 3 --heads 4 --context "$context"
             --batch-size "$batch" --steps "$steps" --eval-every $((steps / 4)) --lr 4e-3 --warmup 100
             --test-size "$held_out" --precision fp32 --quiet)
timed() {  # name, command...: runs it, appends "name seconds" to the times file
  local name=$1 t0 t1
  shift
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  echo "$name $(echo "$t1 - $t0" | bc)" >>"$out/times.txt"
}
: >"$out/times.txt"
for seed in 1 2 3; do
  echo "seed $seed"
  timed "mlp_seed$seed" "$moe" nn-train --data austen --context 32 --train-size "$budget" --test-size 20000 --epochs 1 \
    --batch-size 128 --width 64 --layers 2 "${moe_shape[@]}" --router sigma --lr 3e-3 --precision fp32 --quiet \
    --seed "$seed" --out "$out/mlp_seed$seed.json"
  run() {  # name, options...
    local name=$1
    shift
    timed "${name}_seed$seed" "$moe" "${transformer[@]}" "$@" --seed "$seed" --out "$out/${name}_seed$seed.json"
  }
  run dense_params --router dense --experts 8 --expert-size 32
  run dense_flops --router dense --experts 2 --expert-size 32
  run sigma "${moe_shape[@]}" --router sigma --save "$models/sigma_seed$seed.bin"
  run softmax "${moe_shape[@]}" --router softmax --balance 0.01
  run simsmoe "${moe_shape[@]}" --router sigma --simsmoe 0.01 --simsmoe-rule counted --simsmoe-frequency 16 \
    --simsmoe-kernel rbf --simsmoe-sigma 0.8 --simsmoe-threshold 0.5
  for beta in 0 0.25 0.5 1; do  # beta 0: the strong pass restricted to the plausible bytes
    for rank in 2 3; do
      "$moe" nn-eval -c "$models/sigma_seed$seed.bin" --data austen --test-size "$held_out" --scmoe --scmoe-beta "$beta" \
        --scmoe-rank "$rank" --out "$out/scmoe_b${beta}_r${rank}_seed$seed.json" >/dev/null
    done
  done
  "$moe" nn-eval -c "$models/sigma_seed$seed.bin" --data austen --test-size 20 --scmoe --generate 120 \
    --prompt "It was a truth" --out "$out/generate_seed$seed.json" >/dev/null
done
/usr/bin/python3 "$here/summarize.py" "$out" >"$here/compare.md"
echo "wrote $here/compare.md"
