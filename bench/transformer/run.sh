#!/usr/bin/env bash
# First light of the transformer language model (issue 21): next-character
# prediction on the Austen novels (Persuasion held out) by the MLP over a
# one-hot window and by the causal transformer (dense and sigma-MoE blocks), at
# the same budget of training predictions (about 500 000) and width 64, one
# seed. Writes bench/transformer/results.md and the JSON logs beside it.
#
# Usage, from anywhere:  bash bench/transformer/run.sh [MOE_BINARY]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
moe="${1:-build/moe}"
export OPENBLAS_NUM_THREADS=1
common=(--data austen --width 64 --layers 2 --experts 8 --k 2 --expert-size 32 --lr 3e-3 --precision fp32 --quiet)
seconds() { local t0 t1; t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N); printf "%.1f" "$(echo "$t1 - $t0" | bc)"; }
# the MLP: 250 000 windows of 32 characters, 2 epochs = 500 000 predictions; 20 000 held out
mlp=$(seconds "$moe" nn-train "${common[@]}" --router sigma --context 32 --train-size 250000 --test-size 20000 \
  --epochs 2 --batch-size 128 --out "$here/mlp_sigma.json")
# the transformer: 490 steps of 16 windows of 64 characters = 501 760 predictions; 313 windows = 20 032 held out
tfm() {  # router, steps, log name
  seconds "$moe" nn-train "${common[@]}" --arch transformer --heads 4 --context 64 --steps "$2" --batch-size 16 \
    --test-size 313 --router "$1" --out "$here/$3.json"
}
sigma=$(tfm sigma 490 transformer_sigma)
dense=$(tfm dense 490 transformer_dense)
# and with 4 times the budget (1960 steps): where the transformer stands when it is trained longer
longer=$(tfm sigma 1960 transformer_sigma_4x)
bits() { grep -o '"test_nll_bits": [0-9.]*\|"test_bits_per_character": [0-9.]*' "$1" | tail -1 | awk '{ printf "%.3f", $2 }'; }
params() { grep -o '"parameters": [0-9]*' "$1" | awk '{ print $2 }'; }
{
  echo "# Transformer against MLP on Austen, first light"
  echo
  echo "\`bash bench/transformer/run.sh\`, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD),"
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), fp32, one seed (1), OPENBLAS_NUM_THREADS=1."
  echo "Budget: about 500 000 training predictions each; held out: about 20 000 characters of Persuasion."
  echo
  echo "| model | parameters | held-out bits per character | seconds (whole process) |"
  echo "|---|--:|--:|--:|"
  echo "| MLP, sigma-MoE blocks, one-hot window of 32 | $(params "$here/mlp_sigma.json") | $(bits "$here/mlp_sigma.json") | $mlp |"
  echo "| transformer, sigma-MoE blocks, context 64 | $(params "$here/transformer_sigma.json") | $(bits "$here/transformer_sigma.json") | $sigma |"
  echo "| transformer, dense blocks (d_ff = E G), context 64 | $(params "$here/transformer_dense.json") | $(bits "$here/transformer_dense.json") | $dense |"
  echo "| transformer, sigma-MoE blocks, context 64, 4× the budget | $(params "$here/transformer_sigma_4x.json") | $(bits "$here/transformer_sigma_4x.json") | $longer |"
} >"$here/results.md"
echo "wrote $here/results.md"
