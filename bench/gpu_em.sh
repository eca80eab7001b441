#!/usr/bin/env bash
# The EM benchmark of bench/RESULTS.md on the lent GPU machine: iteration times of EM and
# generalized EM for n = 10^6 and 10^7, p = q = 32, K = 16, Gaussian and logistic experts, on the
# CUDA device (with its measured floor) and, for n = 10^6, on the CPU restricted to 2 cores (the
# development machine's and CI's size). Uses .gpu/em_device_bench from scripts/gpu-bundle.sh;
# a second device-tool call after bench/gpu.sh:
#     command: bash bench/gpu_em.sh         timeout_s: 600            carry: [".gpu"]
# JSON lines in $OUT/em_bench.log (./gpu-out without $OUT) and on the console.
# MOE_GPU_EM_RUNS="DEVICE N FAMILY ITERATIONS METHODS;..." replaces the list of runs.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
BENCH=$PWD/.gpu/em_device_bench
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT"
LOG=$OUT/em_bench.log
: >"$LOG"
[ -x "$BENCH" ] || { echo "no $BENCH: run scripts/gpu-bundle.sh first" | tee -a "$LOG"; exit 1; }
DEFAULT_RUNS="cuda 1000000 gaussian 5 em,gem;cuda 1000000 binomial 5 em,gem;cuda 10000000 gaussian 3 em,gem"
DEFAULT_RUNS+=";cuda 10000000 binomial 3 em,gem;cpu 1000000 gaussian 2 gem;cpu 1000000 binomial 2 gem"
IFS=';' read -r -a RUNS <<<"${MOE_GPU_EM_RUNS:-$DEFAULT_RUNS}"
failed=0
START=$SECONDS
for run in "${RUNS[@]}"; do
  read -r device n family iterations methods <<<"$run"
  left=$((560 - (SECONDS - START)))
  [ $left -gt 10 ] || { echo "out of time before: $run" | tee -a "$LOG"; failed=1; break; }
  # the CPU path as on a 2-core machine: two threads on two cores
  pin=()
  [ "$device" = cpu ] && pin=(env OPENBLAS_NUM_THREADS=2 taskset -c 0,1)
  echo "\$ $run" >>"$LOG"
  timeout "$left" "${pin[@]}" "$BENCH" "$device" "$n" 32 32 16 "$family" "$iterations" 1 "$methods" 2>&1 |
    tee -a "$LOG" || failed=1
done
exit $failed
