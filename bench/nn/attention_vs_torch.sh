#!/usr/bin/env bash
# Issue 21, item 4, for attention: forward + backward seconds of moe's causal
# self-attention (`nn_layer_bench attention`) against PyTorch's, written the plain
# way (bench/nn/torch_attention.py), fp32 on the CPU, at the transformer shapes
# of bench/transformer/speed.sh (S: 2 sequences of 32 tokens, width 96, 4 heads;
# M: 8 of 128, width 256, 4 heads) and a larger L (4 of 512, width 512, 8 heads),
# on 1 and 2 threads, one after the other in one run (OPENBLAS_NUM_THREADS for
# both; OMP_NUM_THREADS for PyTorch). Medians of 9 repeats after one warm-up.
# Writes bench/nn/attention_vs_torch.md.
#
# Usage, from anywhere:  bash bench/nn/attention_vs_torch.sh [BUILD_DIR]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
bench="${1:-build}/bench/nn_layer_bench"
# shellcheck source=bench/nn/torch_peer.sh
source "$here/torch_peer.sh"
{
  peer_header bench/nn/attention_vs_torch.sh "Causal self-attention against PyTorch on the CPU (fp32, seconds of forward + backward)"
  echo "| shape (B,T,d,H) | threads | moe | PyTorch | moe / PyTorch |"
  echo "|---|--:|--:|--:|--:|"
} >"$here/attention_vs_torch.md"
for shape in "S 2,32,96,4" "M 8,128,256,4" "L 4,512,512,8"; do
  read -r name dims <<<"$shape"
  for threads in 1 2; do
    ours=$(OPENBLAS_NUM_THREADS=$threads "$bench" attention "$dims" fp32 9)
    theirs=$(OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads /usr/bin/python3 "$here/torch_attention.py" \
      --shape "$dims" --runs 9 --warmup 1)
    moe_seconds=$(field "$ours" attention_seconds)
    torch_seconds=$(echo "$(field "$theirs" ms_median) / 1000" | bc -l)
    printf "| %s (%s) | %d | %.5f | %.5f | %.2f |\n" "$name" "$dims" "$threads" "$moe_seconds" "$torch_seconds" \
      "$(echo "$moe_seconds / $torch_seconds" | bc -l)" >>"$here/attention_vs_torch.md"
  done
done
echo "wrote $here/attention_vs_torch.md"
