#!/usr/bin/env bash
# Start-up of the command line as a user runs it: the wall time of `moe
# --version` and of a fit that does no iteration (reading mcycle, the search's
# one start, writing fit.json: `--max-iter 0 --starts 1`), for each binary
# given: the median over RUNS samples, each the mean of 10 runs in a row (so
# that the clock's own cost is spread over them); and the CUDA libraries each
# binary loads at start (ldd).
#   usage: bash bench/startup.sh [RUNS] MOE_BINARY...      (default: build/moe)
# Binaries measured in the same call are interleaved run by run, so that a
# shared machine's noise falls on all of them alike.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=11
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then runs=$1; shift; fi
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=("$root/build/moe")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

seconds() {  # seconds CMD...: the mean wall time of 10 runs, output discarded
  local start end i
  start=$(date +%s%N)
  for i in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null 2>&1; done
  end=$(date +%s%N)
  echo "scale=5; ($end - $start) / 10000000000" | bc
}
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.4f", v[int((NR + 1) / 2)] }'; }

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(hostname), $(nproc) cores, $runs runs each"
printf '%-40s %12s %16s  %s\n' binary "--version s" "fit --max-iter 0 s" "CUDA libraries loaded at start"
for b in "${binaries[@]}"; do "$b" --version >/dev/null; done  # page cache warm for all
for i in $(seq "$runs"); do
  for j in "${!binaries[@]}"; do
    seconds "${binaries[$j]}" --version >>"$work/version.$j"
    seconds "${binaries[$j]}" fit --data "$root/datasets/mcycle.csv" --response accel --x times -K 3 \
      --max-iter 0 --starts 1 --no-se --quiet --out "$work/fit.json" >>"$work/fit.$j"
  done
done
for j in "${!binaries[@]}"; do
  cuda=$(ldd "${binaries[$j]}" | awk '/libcu|libnvJitLink/ {print $1}' | tr '\n' ' ')
  printf '%-40s %12s %16s  %s\n' "${binaries[$j]}" "$(median <"$work/version.$j")" "$(median <"$work/fit.$j")" \
    "${cuda:-none}"
done
