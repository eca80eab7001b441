#!/usr/bin/env bash
# The whole GPU check of moe in one command, run ON the lent GPU machine (Ubuntu 24.04, CUDA 13,
# OpenBLAS; no Armadillo, GoogleTest or network there) from the repository root, with the
# portable binaries in .gpu/ that scripts/gpu-bundle.sh built on the development machine.
#
# On the development machine, once per code change:
#     bash scripts/gpu-bundle.sh            # build-gpu/ -> .gpu/ (binaries, datasets, Fashion-MNIST)
# then one device-tool call (the tool's `run`):
#     command: bash bench/gpu.sh            timeout_s: 600            carry: [".gpu"]
# (`bash .gpu/gpu.sh` is the same script, copied by the bundle.) Settings go in front of it in the
# command, e.g. `MOE_GPU_BENCH=0 bash bench/gpu.sh`.
#
# Steps, in this order, each with its own time limit and all inside a budget of
# MOE_GPU_BUDGET_S seconds (default 540, under the tool's 600-second limit); a step that fails
# does not stop the next one, a step that no longer fits the budget is a SKIP:
#   env        nvidia-smi -L, driver, and the libraries the binaries resolve (ldd)
#   cuda-tests moe_tests --gtest_filter='Cuda*:Backend.*' (every Cuda* test must RUN:
#              skipped ones are a FAIL when a GPU is visible)
#   all-tests  the whole GoogleTest suite
#   memcheck   compute-sanitizer --tool memcheck on the Cuda* tests but the largest (SKIP without
#              compute-sanitizer)
#   fit-mcycle moe fit on datasets/mcycle.csv, --device cpu vs cuda, same seed: |dl|/|l| <= 1e-9
#   fit-sim    the same on 200 000 simulated rows, 50 EM iterations (--tol 0); times both
#   nn-fashion moe nn-train on Fashion-MNIST (2000 train, 1000 test, 1 epoch), cpu vs cuda
#              (needs .gpu/fashion-mnist): test accuracy within 0.002
#   initcheck, racecheck, synccheck   compute-sanitizer on moe's own kernels (name contains "moe")
#   bench      configs A and B (T = 16 384): nn_layer_cuda_bench (DEVICE cuda-layer: the device-resident
#              layer against a cuBLAS dense FFN, fp32 and bf16), then nn_layer_bench through the Layer
#              interface on cuda and on the cpu in fp32 (MOE_GPU_BENCH=0 skips it;
#              MOE_GPU_BENCH_RUNS="CONFIG PRECISION DEVICE;..." replaces the list, e.g.
#              "2048,1024,64,4,1024 bf16 cuda-layer;A fp32 cuda")
#   torch-peer bench/nn/torch_layer.py on cuda: its --check, then configs A and B in fp32 and bf16
#              (a dense FFN and a looped top-k MoE in PyTorch), into bench.log (MOE_GPU_BENCH=0 skips it)
#   extra      the shell command in MOE_GPU_EXTRA, if set (e.g. a PyTorch baseline), into extra.log
# MOE_GPU_CHECKS=0 leaves out every step from cuda-tests to synccheck (a call that only benchmarks:
#     MOE_GPU_CHECKS=0 bash bench/gpu.sh).
# Output: one PASS / FAIL / SKIP / INFO line per step on the console and in $OUT/summary.txt;
# details in $OUT/{tests,sanitizer,fit,nn,bench,extra}.log (7 files at most: the tool returns 8).
# $OUT is the device tool's output folder; without it (e.g. a dry run on the development
# machine, where every CUDA step reports SKIP or FAIL) the logs go to ./gpu-out.
# Exit status: 0 when no step failed, 1 otherwise.
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD
G=$ROOT/.gpu
OUT=${OUT:-$ROOT/gpu-out}
mkdir -p "$OUT" || exit 2
BUDGET=${MOE_GPU_BUDGET_S:-540}
START=$SECONDS
SUMMARY=$OUT/summary.txt
WORK=$(mktemp -d "${TMPDIR:-/tmp}/moe-gpu.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export GTEST_COLOR=no
FAILS=0
: >"$SUMMARY"

say() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }
result() {  # STATUS NAME DETAIL...
  local status=$1 name=$2
  shift 2
  [ "$status" = FAIL ] && FAILS=$((FAILS + 1))
  local line
  line=$(printf '%-4s %-11s %s' "$status" "$name" "$*")
  printf '%s\n' "$line" | tee -a "$SUMMARY" >>"$WORK/results"
  printf '%s\n' "$line"
}
left() { echo $((BUDGET - (SECONDS - START))); }
# limit WANTED: the seconds a step may take, WANTED or what is left of the budget; 0 when too little.
limit() {
  local l
  l=$(left)
  if [ "$l" -lt 20 ]; then echo 0; elif [ "$l" -lt "$1" ]; then echo "$l"; else echo "$1"; fi
}
# run_to LOG SECONDS CMD...: runs CMD with a time limit, output appended to LOG; returns its status.
run_to() {
  local log=$1 t=$2
  shift 2
  echo "\$ $*" >>"$log"
  timeout -k 10 "$t" "$@" >>"$log" 2>&1
  local rc=$?
  [ $rc -eq 124 ] || [ $rc -eq 137 ] && echo "!! timed out after ${t}s" >>"$log"
  echo "(exit $rc)" >>"$log"
  return $rc
}
py() { python3 -c "$@"; }

say "moe GPU check, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), host $(hostname), budget ${BUDGET}s, logs in $OUT"
if [ ! -x "$G/moe_tests" ] || [ ! -x "$G/moe" ]; then
  say "no $G/moe_tests or $G/moe: run scripts/gpu-bundle.sh on the development machine and carry .gpu"
  result FAIL bundle "missing .gpu binaries"
  cat "$WORK/results"
  exit 1
fi
[ -f "$G/MANIFEST" ] && sed 's/^/  /' "$G/MANIFEST" | tee -a "$SUMMARY"
DATA=$G/datasets
[ -f "$DATA/mcycle.csv" ] || DATA=$ROOT/datasets

# --- env: GPU, driver, and where the CUDA libraries come from ---------------------------------
HAVE_GPU=0
SMI=$(command -v nvidia-smi 2>/dev/null)
for c in /usr/local/nvidia/bin/nvidia-smi /usr/bin/nvidia-smi; do [ -z "$SMI" ] && [ -x "$c" ] && SMI=$c; done
: >"$WORK/smi"
if [ -n "$SMI" ] && timeout 30 "$SMI" -L >"$WORK/smi" 2>&1 && grep -q '^GPU ' "$WORK/smi"; then
  HAVE_GPU=1
elif [ -e /dev/nvidia0 ]; then
  HAVE_GPU=1
  echo "GPU device /dev/nvidia0 present (no working nvidia-smi)" >>"$WORK/smi"
fi
tee -a "$SUMMARY" <"$WORK/smi"
if [ $HAVE_GPU -eq 1 ] && [ -n "$SMI" ]; then
  timeout 30 "$SMI" --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader 2>&1 |
    sed 's/^/  /' | tee -a "$SUMMARY"
fi
# The binaries need libcudart/libcublas/libcusolver: add the usual CUDA folders when the loader
# does not find them by itself.
missing() { ldd "$G/moe_tests" 2>&1 | grep -c 'not found'; }
if [ "$(missing)" -gt 0 ]; then
  for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib /usr/local/cuda/lib \
    /usr/local/cuda-13*/targets/x86_64-linux/lib /usr/local/cuda-13*/lib64; do
    [ -d "$d" ] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  done
fi
if [ "$(missing)" -gt 0 ]; then  # last resort: wheels of the NVIDIA libraries next to PyTorch
  for f in $(find /usr /opt -name 'libcudart.so.1*' -o -name 'libcublas.so.1*' -o -name 'libcusolver.so.1*' \
    -o -name 'libcublasLt.so.1*' -o -name 'libcusparse.so.1*' -o -name 'libnvJitLink.so.1*' 2>/dev/null); do
    d=$(dirname "$f")
    case ":${LD_LIBRARY_PATH:-}:" in *":$d:"*) ;; *) export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ;; esac
  done
fi
{
  echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
  echo "ldd $G/moe_tests:"
  ldd "$G/moe_tests" 2>&1 | sed 's/^/  /'
} >>"$SUMMARY"
MISSING=$(ldd "$G/moe_tests" "$G/moe" 2>&1 | grep 'not found' | awk '{print $1}' | sort -u | tr '\n' ' ')
if [ -n "$MISSING" ]; then
  result FAIL env "libraries not found: $MISSING"
elif [ $HAVE_GPU -eq 1 ]; then
  result PASS env "$(grep -c '^GPU ' "$WORK/smi") GPU(s); every library found"
else
  result FAIL env "no GPU visible (nvidia-smi -L lists none); every library found; CUDA steps will SKIP"
fi
echo

# Gtest counts from a log: "ran passed skipped failed".
gtest_counts() {
  local log=$1 ran passed skipped failed
  ran=$(grep -o '^\[==========\] [0-9]* tests\? from .* ran' "$log" | tail -1 | awk '{print $2}')
  passed=$(grep -o '^\[  PASSED  \] [0-9]*' "$log" | tail -1 | awk '{print $4}')
  skipped=$(grep -o '^\[  SKIPPED \] [0-9]* test' "$log" | tail -1 | awk '{print $4}')
  failed=$(grep -o '^\[  FAILED  \] [0-9]* test' "$log" | tail -1 | awk '{print $4}')
  echo "${ran:-0} ${passed:-0} ${skipped:-0} ${failed:-0}"
}

# The correctness steps (cuda-tests .. synccheck); MOE_GPU_CHECKS=0 leaves them out, e.g. for a
# second call that only benchmarks.
if [ "${MOE_GPU_CHECKS:-1}" = 0 ]; then
  result SKIP checks "MOE_GPU_CHECKS=0: cuda-tests, all-tests, sanitizers, fits and nn-fashion left out"
else

# --- cuda-tests -----------------------------------------------------------------------------
TESTS_LOG=$OUT/tests.log
: >"$TESTS_LOG"
t=$(limit 240)
if [ "$t" -eq 0 ]; then
  result SKIP cuda-tests "out of budget"
else
  s0=$SECONDS
  run_to "$TESTS_LOG" "$t" "$G/moe_tests" --gtest_filter='Cuda*:Backend.*'
  rc=$?
  read -r ran passed skipped failed < <(gtest_counts "$TESTS_LOG")
  detail="$ran ran, $passed passed, $skipped skipped, $failed failed, exit $rc, $((SECONDS - s0))s"
  if [ $rc -ne 0 ] || [ "$ran" -eq 0 ]; then
    result FAIL cuda-tests "$detail"
  elif [ "$skipped" -gt 0 ] && [ $HAVE_GPU -eq 1 ]; then
    result FAIL cuda-tests "$detail: CUDA tests skipped although a GPU is visible"
  elif [ "$skipped" -gt 0 ]; then
    result SKIP cuda-tests "$detail (no GPU: only the Backend tests ran)"
  else
    result PASS cuda-tests "$detail"
  fi
fi

# --- all-tests: the whole suite (one test reads datasets/austen under the build's source path) ---
SRC_DIR=$(sed -n 's/^source_dir=//p' "$G/MANIFEST" 2>/dev/null)
if [ -n "$SRC_DIR" ] && [ ! -e "$SRC_DIR" ]; then
  mkdir -p "$(dirname "$SRC_DIR")" 2>/dev/null && ln -s "$ROOT" "$SRC_DIR" 2>/dev/null &&
    echo "linked $SRC_DIR -> $ROOT (tests read datasets/ there)" >>"$TESTS_LOG"
fi
t=$(limit 300)
if [ "$t" -eq 0 ]; then
  result SKIP all-tests "out of budget"
else
  s0=$SECONDS
  echo >>"$TESTS_LOG"
  run_to "$TESTS_LOG" "$t" "$G/moe_tests"
  rc=$?
  # counts of the second run only
  awk '/^\$ .*moe_tests$/{f=1} f' "$TESTS_LOG" >"$WORK/all.log"
  read -r ran passed skipped failed < <(gtest_counts "$WORK/all.log")
  detail="$ran ran, $passed passed, $skipped skipped, $failed failed, exit $rc, $((SECONDS - s0))s"
  if [ $rc -eq 0 ] && [ "$ran" -gt 0 ]; then
    result PASS all-tests "$detail"
  else
    result FAIL all-tests "$detail: $(grep '^\[  FAILED  \] [A-Za-z]' "$WORK/all.log" | awk '{print $4}' | sort -u | tr '\n' ' ')"
  fi
fi

# --- compute-sanitizer ------------------------------------------------------------------------
SAN=$(command -v compute-sanitizer 2>/dev/null)
for c in /usr/local/cuda/bin/compute-sanitizer /usr/local/cuda/compute-sanitizer/compute-sanitizer; do
  [ -z "$SAN" ] && [ -x "$c" ] && SAN=$c
done
SAN_LOG=$OUT/sanitizer.log
# every Cuda* test but the 18 000-row Hessian one, which is slow under the sanitizers
SAN_FILTER='Cuda*:-CudaPosterior.GateHessianOverSeveralBlocksOfRows'
: >"$SAN_LOG"
# sanitize NAME SECONDS TOOL-ARGS...: one compute-sanitizer run over the Cuda* tests.
sanitize() {
  local name=$1 want=$2
  shift 2
  if [ -z "$SAN" ]; then result SKIP "$name" "no compute-sanitizer"; return; fi
  if [ $HAVE_GPU -eq 0 ]; then result SKIP "$name" "no GPU"; return; fi
  local t
  t=$(limit "$want")
  if [ "$t" -eq 0 ]; then result SKIP "$name" "out of budget"; return; fi
  local s0=$SECONDS rc errors note=""
  echo "=== $name" >>"$SAN_LOG"
  run_to "$WORK/san" "$t" "$SAN" "$@" --error-exitcode 99 "$G/moe_tests" --gtest_filter="$SAN_FILTER"
  rc=$?
  errors=$(grep -o 'ERROR SUMMARY: [0-9]* error' "$WORK/san" | tail -1 | awk '{print $3}')
  if [ -z "$errors" ] && [ "$3" = --kernel-name ]; then
    # this compute-sanitizer did not take the kernel filter: again over every kernel
    cat "$WORK/san" >>"$SAN_LOG"
    rm -f "$WORK/san"
    note=" (kernel filter refused: all kernels, cuBLAS/cuSOLVER too)"
    t=$(limit "$want")
    [ "$t" -eq 0 ] && { result SKIP "$name" "out of budget$note"; return; }
    run_to "$WORK/san" "$t" "$SAN" "$1" "$2" --error-exitcode 99 "$G/moe_tests" --gtest_filter="$SAN_FILTER"
    rc=$?
    errors=$(grep -o 'ERROR SUMMARY: [0-9]* error' "$WORK/san" | tail -1 | awk '{print $3}')
  fi
  cat "$WORK/san" >>"$SAN_LOG"
  rm -f "$WORK/san"
  local detail="${errors:-?} errors, exit $rc, $((SECONDS - s0))s$note"
  if [ $rc -eq 0 ] && [ "${errors:-x}" = 0 ]; then result PASS "$name" "$detail"; else result FAIL "$name" "$detail"; fi
}
sanitize memcheck 240 --tool memcheck

# --- fit: cpu vs cuda ----------------------------------------------------------------------
FIT_LOG=$OUT/fit.log
: >"$FIT_LOG"
loglik() { py 'import json,sys; print(repr(json.load(open(sys.argv[1]))["loglik"]))' "$1" 2>/dev/null; }
# fit_compare NAME SECONDS TOL ARGS...: moe fit ARGS on cpu and on cuda; compares the log-likelihoods.
fit_compare() {
  local name=$1 want=$2 tol=$3
  shift 3
  local t dev rc_cpu rc_cuda s0 sec_cpu sec_cuda
  t=$(limit "$want")
  if [ "$t" -eq 0 ]; then result SKIP "$name" "out of budget"; return; fi
  echo "=== $name" >>"$FIT_LOG"
  for dev in cpu cuda; do
    s0=$(date +%s.%N)
    t=$(limit "$want")
    [ "$t" -eq 0 ] && t=1  # out of budget: a 1-second limit makes it a time-out
    run_to "$WORK/$name-$dev.log" "$t" "$G/moe" fit "$@" --device $dev --out "$WORK/$name-$dev.json"
    eval "rc_$dev=\$?"
    eval "sec_$dev=$(py "print(round($(date +%s.%N) - $s0, 3))")"
    cat "$WORK/$name-$dev.log" >>"$FIT_LOG"
  done
  local l_cpu l_cuda
  l_cpu=$(loglik "$WORK/$name-cpu.json")
  l_cuda=$(loglik "$WORK/$name-cuda.json")
  echo "loglik cpu ${l_cpu:-none} (${sec_cpu}s), cuda ${l_cuda:-none} (${sec_cuda}s)" >>"$FIT_LOG"
  if [ "$rc_cpu" -ne 0 ] || [ -z "$l_cpu" ]; then
    result FAIL "$name" "the cpu fit failed (exit $rc_cpu)"
  elif [ "$rc_cuda" -ne 0 ] || [ -z "$l_cuda" ]; then
    local why
    why=$(grep -v '^(exit\|^\$ ' "$WORK/$name-cuda.log" | tail -1)
    if [ $HAVE_GPU -eq 0 ]; then
      result SKIP "$name" "cpu loglik $l_cpu (${sec_cpu}s); cuda: exit $rc_cuda without a GPU: $why"
    else
      result FAIL "$name" "cpu loglik $l_cpu; cuda fit failed (exit $rc_cuda): $why"
    fi
  else
    local rel verdict
    rel=$(py "a,b=$l_cpu,$l_cuda; print('%.3g' % (abs(a-b)/abs(a)))")
    verdict=$(py "print('PASS' if $rel <= $tol else 'FAIL')")
    result "$verdict" "$name" "loglik cpu $l_cpu cuda $l_cuda rel.diff $rel (<= $tol); cpu ${sec_cpu}s cuda ${sec_cuda}s"
  fi
}
fit_compare fit-mcycle 120 1e-9 --data "$DATA/mcycle.csv" --response accel --x times --z times -K 3 \
  --starts 10 --seed 1 -q
t=$(limit 60)
if [ "$t" -gt 0 ] && run_to "$FIT_LOG" "$t" "$G/moe" simulate -n 200000 -K 3 --p 2 --q 1 --seed 7 \
  --out "$WORK/sim.csv" --truth "$WORK/truth.json"; then
  fit_compare fit-sim 240 1e-9 --data "$WORK/sim.csv" --response y --x x1,x2 --z z1 -K 3 --seed 1 \
    --tol 0 --max-iter 50 --no-se -q
else
  result FAIL fit-sim "moe simulate failed or out of budget (see fit.log)"
fi

# --- nn-train on Fashion-MNIST: cpu vs cuda ---------------------------------------------------
NN_LOG=$OUT/nn.log
: >"$NN_LOG"
if [ ! -f "$G/fashion-mnist/t10k-images-idx3-ubyte.gz" ]; then
  result SKIP nn-fashion "no .gpu/fashion-mnist in the bundle"
else
  t=$(limit 150)
  if [ "$t" -eq 0 ]; then
    result SKIP nn-fashion "out of budget"
  else
    declare -A acc sec rcs
    for dev in cpu cuda; do
      s0=$SECONDS
      t=$(limit 150)
      [ "$t" -eq 0 ] && t=1  # out of budget: a 1-second limit makes it a time-out
      run_to "$NN_LOG" "$t" "$G/moe" nn-train --data fashion-mnist --data-dir "$G/fashion-mnist" --device $dev --precision fp64 \
        --train-size 2000 --test-size 1000 --epochs 1 --seed 1 --out "$WORK/nn-$dev.json"
      rcs[$dev]=$?
      sec[$dev]=$((SECONDS - s0))
      acc[$dev]=$(py 'import json,sys; print(json.load(open(sys.argv[1]))["epochs"][-1]["test_accuracy"])' \
        "$WORK/nn-$dev.json" 2>/dev/null)
      [ ${rcs[$dev]} -ne 0 ] && acc[$dev]=""
    done
    if [ ${rcs[cpu]} -ne 0 ] || [ -z "${acc[cpu]}" ]; then
      result FAIL nn-fashion "the cpu run failed (exit ${rcs[cpu]})"
    elif [ ${rcs[cuda]} -ne 0 ] || [ -z "${acc[cuda]}" ]; then
      why=$(grep -v '^(exit' "$NN_LOG" | tail -1)
      if [ $HAVE_GPU -eq 0 ]; then
        result SKIP nn-fashion "cpu test_accuracy ${acc[cpu]} (${sec[cpu]}s); cuda: exit ${rcs[cuda]} without a GPU"
      else
        result FAIL nn-fashion "cpu test_accuracy ${acc[cpu]}; the cuda run failed (exit ${rcs[cuda]}): $why"
      fi
    else
      d=$(py "print('%.4g' % abs(${acc[cpu]} - ${acc[cuda]}))")
      verdict=$(py "print('PASS' if $d <= 0.002 else 'FAIL')")
      result "$verdict" nn-fashion "test_accuracy cpu ${acc[cpu]} (${sec[cpu]}s) cuda ${acc[cuda]} (${sec[cuda]}s), |diff| $d (<= 0.002)"
    fi
  fi
fi

# --- more sanitizers, on moe's own kernels only (cuBLAS/cuSOLVER internals are not ours) --------
sanitize initcheck 120 --tool initcheck --kernel-name kns=moe
sanitize racecheck 120 --tool racecheck --kernel-name kns=moe
sanitize synccheck 120 --tool synccheck --kernel-name kns=moe

fi  # MOE_GPU_CHECKS

# --- bench: the sparse layer against a dense FFN of equal FLOPs --------------------------------
BENCH_LOG=$OUT/bench.log
if [ "${MOE_GPU_BENCH:-1}" = 0 ]; then
  result SKIP bench "MOE_GPU_BENCH=0"
elif [ ! -x "$G/nn_layer_bench" ]; then
  result SKIP bench "no .gpu/nn_layer_bench"
else
  : >"$BENCH_LOG"
  nb=0
  nfail=0
  IFS=';' read -r -a RUNS <<<"${MOE_GPU_BENCH_RUNS:-A fp32 cuda-layer;B fp32 cuda-layer;A bf16 cuda-layer;B bf16 cuda-layer;A fp32 cuda;B fp32 cuda;A fp32 cpu;B fp32 cpu}"
  for run in "${RUNS[@]}"; do
    set -- $run
    if [ "$3" != cpu ] && [ $HAVE_GPU -eq 0 ]; then continue; fi
    t=$(limit 120)
    [ "$t" -eq 0 ] && break
    if [ "$3" = cuda-layer ]; then
      run_to "$BENCH_LOG" "$t" "$G/nn_layer_cuda_bench" "$1" "$2" 5 || nfail=$((nfail + 1))
    else
      run_to "$BENCH_LOG" "$t" "$G/nn_layer_bench" "$1" "$2" "$3" 5 || nfail=$((nfail + 1))
    fi
    nb=$((nb + 1))
  done
  grep '^{' "$BENCH_LOG" | sed 's/^/  /' >>"$SUMMARY"
  if [ $nfail -gt 0 ]; then
    result FAIL bench "$nfail of $nb runs failed (bench.log)"
  elif [ $nb -eq 0 ]; then
    result SKIP bench "nothing ran (no GPU or out of budget)"
  else
    result INFO bench "$nb runs, JSON lines in bench.log and summary.txt"
  fi
fi

# --- torch-peer: the PyTorch peer of the bench (bench/nn/torch_layer.py), into bench.log --------
TORCH_PY=$ROOT/bench/nn/torch_layer.py
# torch_peer: the loop MoE's check against its reference on cuda, then configs A and B in fp32 and
# bf16; the JSON lines go to summary.txt like the bench's.
torch_peer() {
  if [ "${MOE_GPU_BENCH:-1}" = 0 ]; then result SKIP torch-peer "MOE_GPU_BENCH=0"; return; fi
  if ! command -v python3 >/dev/null 2>&1; then result SKIP torch-peer "no python3"; return; fi
  if [ ! -f "$TORCH_PY" ]; then result SKIP torch-peer "no $TORCH_PY"; return; fi
  local version
  version=$(timeout 120 python3 -c 'import torch; print(torch.__version__, "(CUDA %s%s)" % (torch.version.cuda,
    "" if torch.cuda.is_available() else ", no CUDA device"))' 2>/dev/null)
  if [ -z "$version" ]; then result SKIP torch-peer "python3 has no torch"; return; fi
  say "torch $version"
  if [ $HAVE_GPU -eq 0 ]; then result SKIP torch-peer "no GPU; torch $version"; return; fi
  case $version in *"no CUDA device)") result SKIP torch-peer "torch $version"; return ;; esac
  local log=$WORK/torch.log s0=$SECONDS t rc_check rc_bench
  t=$(limit 60)
  if [ "$t" -eq 0 ]; then result SKIP torch-peer "out of budget"; return; fi
  run_to "$log" "$t" python3 "$TORCH_PY" --device cuda --check
  rc_check=$?
  t=$(limit 240)
  [ "$t" -eq 0 ] && t=1  # out of budget: a 1-second limit makes it a time-out
  run_to "$log" "$t" python3 "$TORCH_PY" --device cuda --configs A,B --dtypes fp32,bf16
  rc_bench=$?
  cat "$log" >>"$OUT/bench.log"
  grep '^{"config"' "$log" | sed 's/^/  /' >>"$SUMMARY"
  local lines oom
  lines=$(grep -c '^{"config"' "$log")
  oom=$(grep -c '"out_of_memory": true' "$log")
  local detail="torch ${version%% *}: $lines JSON lines ($oom out of memory), $((SECONDS - s0))s"
  if [ $rc_check -ne 0 ]; then
    result FAIL torch-peer "$detail; the loop MoE's --check failed on cuda (exit $rc_check, bench.log)"
  elif [ $rc_bench -ne 0 ]; then
    result FAIL torch-peer "$detail; exit $rc_bench (bench.log)"
  else
    result INFO torch-peer "$detail; check passed; JSON lines in bench.log and summary.txt"
  fi
}
torch_peer

# --- extra: a command of the caller's ---------------------------------------------------------
if [ -n "${MOE_GPU_EXTRA:-}" ]; then
  t=$(limit 600)
  if [ "$t" -eq 0 ]; then
    result SKIP extra "out of budget"
  elif run_to "$OUT/extra.log" "$t" bash -c "$MOE_GPU_EXTRA"; then
    result PASS extra "MOE_GPU_EXTRA (extra.log)"
  else
    result FAIL extra "MOE_GPU_EXTRA failed (extra.log)"
  fi
fi

echo
echo "=== summary ($((SECONDS - START))s; logs in $OUT)" | tee -a "$SUMMARY"
tee -a "$SUMMARY" <"$WORK/results"
[ $FAILS -eq 0 ] || { echo "$FAILS step(s) failed"; exit 1; }
echo "all steps passed or were skipped"
