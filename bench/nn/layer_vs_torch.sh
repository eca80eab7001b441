#!/usr/bin/env bash
# Issue 21, item 4, at the layer: forward + backward seconds of moe's dense FFN
# (d_ff = k G) and sparse MoE layer (bench/nn_layer_bench) against PyTorch's
# dense FFN and its plain per-expert loop (bench/nn/torch_layer.py), fp32 on the
# CPU, configs A′ (T = 2048, d = 1024, E = 64, k = 4, G = 1024) and B′ (T = 2048,
# d = 1024, E = 512, k = 8, G = 128), on 1 and 2 threads, one after the other in
# one run (OPENBLAS_NUM_THREADS for both; OMP_NUM_THREADS for PyTorch). moe:
# median of 5 repeats after one warm-up; PyTorch: median of 5 after one.
# Writes bench/nn/layer_vs_torch.md.
#
# Usage, from anywhere:  bash bench/nn/layer_vs_torch.sh [BUILD_DIR]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
bench="${1:-build}/bench/nn_layer_bench"
# shellcheck source=bench/nn/torch_peer.sh
source "$here/torch_peer.sh"
{
  peer_header bench/nn/layer_vs_torch.sh "The layer against PyTorch on the CPU (fp32, seconds of forward + backward)"
  echo "| config | threads | moe dense | moe MoE | PyTorch dense | PyTorch loop MoE | moe dense / PyTorch dense | moe MoE / PyTorch dense |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|"
} >"$here/layer_vs_torch.md"
for config in "A′ 2048,1024,64,4,1024 A" "B′ 2048,1024,512,8,128 B"; do
  read -r name shape torch_config <<<"$config"
  for threads in 1 2; do
    ours=$(OPENBLAS_NUM_THREADS=$threads "$bench" "$shape" fp32 cpu 5)
    theirs=$(OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads /usr/bin/python3 "$here/torch_layer.py" \
      --device cpu --configs "$torch_config" --tokens 2048 --dtypes fp32 --runs 5 --warmup 1)
    dense=$(field "$(echo "$theirs" | grep torch-dense)" ms_median)
    loop=$(field "$(echo "$theirs" | grep torch-moe-loop)" ms_median)
    moe_dense=$(field "$ours" dense_seconds)
    moe_moe=$(field "$ours" moe_seconds)
    printf "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.2f | %.2f |\n" "$name" "$threads" "$moe_dense" "$moe_moe" \
      "$(echo "$dense / 1000" | bc -l)" "$(echo "$loop / 1000" | bc -l)" \
      "$(echo "$moe_dense * 1000 / $dense" | bc -l)" "$(echo "$moe_moe * 1000 / $dense" | bc -l)" >>"$here/layer_vs_torch.md"
  done
done
echo "wrote $here/layer_vs_torch.md"
