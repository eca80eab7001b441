#!/usr/bin/env bash
# Issue 21, item 4: training tokens per second of the same causal transformer
# in moe (`moe nn-train --arch transformer`, fp32) and in PyTorch written the
# plain way (bench/transformer/torch_lm.py: nn.Linear, a Python loop over the
# experts), dense and sigma-MoE blocks, on 1 and 2 threads, one after the other
# in one run. moe's seconds are its training steps (the records' "seconds",
# evaluation excluded); PyTorch's are its timed steps after two warm-up steps.
# Both processes get OPENBLAS_NUM_THREADS (and PyTorch OMP_NUM_THREADS and
# set_num_threads) equal to the threads of the row: PyTorch's own setting does
# not reach the OpenBLAS that Debian's build calls.
# Writes bench/transformer/speed.md.
#
# Usage, from anywhere:  bash bench/transformer/speed.sh [MOE_BINARY]
# Needs python3-torch (apt-get install --no-install-recommends python3-torch).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
moe="${1:-build/moe}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# name: width layers heads context batch experts k expert_size steps
configs=("S 96 3 4 32 2 8 2 32 400"     # the model of compare.sh (RESULTS §19)
         "M 256 2 4 128 8 8 2 128 40")  # wider, longer windows, bigger batches
{
  echo "# Training tokens per second: moe against PyTorch"
  echo
  echo "\`bash bench/transformer/speed.sh\`, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD),"
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), fp32,"
  echo "PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') (Debian's python3-torch). S: width 96, 3 blocks, 4 heads,"
  echo "context 32, 2 windows per step, 8 experts of 32 (k = 2; dense: d_ff = 256); M: width 256, 2 blocks,"
  echo "4 heads, context 128, 8 windows per step, 8 experts of 128 (dense: d_ff = 1024)."
  echo
  echo "| config | blocks | threads | moe tokens/s | PyTorch tokens/s | moe / PyTorch |"
  echo "|---|---|--:|--:|--:|--:|"
} >"$here/speed.md"
for config in "${configs[@]}"; do
  read -r name width layers heads context batch experts k size steps <<<"$config"
  for router in dense sigma; do
    for threads in 1 2; do
      OPENBLAS_NUM_THREADS=$threads "$moe" nn-train --data austen --arch transformer --router "$router" \
        --width "$width" --layers "$layers" --heads "$heads" --context "$context" --batch-size "$batch" \
        --experts "$experts" --k "$k" --expert-size "$size" --steps "$steps" --test-size 1 --precision fp32 --quiet \
        --out "$work/moe.json"
      ours=$(/usr/bin/python3 -c "import json, sys; j = json.load(open(sys.argv[1])); \
print(j['config']['steps'] * j['config']['batch_size'] * j['config']['context'] / j['records'][-1]['seconds'])" \
        "$work/moe.json")
      theirs=$(OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads /usr/bin/python3 "$here/torch_lm.py" --router "$router" --width "$width" --layers "$layers" \
        --heads "$heads" --context "$context" --batch-size "$batch" --experts "$experts" --k "$k" \
        --expert-size "$size" --steps "$steps" --threads "$threads" |
        /usr/bin/python3 -c "import json, sys; print(json.loads(sys.stdin.read())['tokens_per_second'])")
      printf "| %s | %s | %d | %.0f | %.0f | %.2f |\n" "$name" "$router" "$threads" "$ours" "$theirs" \
        "$(echo "$ours / $theirs" | bc -l)" >>"$here/speed.md"
    done
  done
done
echo "wrote $here/speed.md"
