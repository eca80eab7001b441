#!/usr/bin/env bash
# End-to-end tests of the command line, part plugin: the CUDA backend is a plugin
# (libmoe_cuda.so beside the binary) that moe opens only for --device cuda.
#   usage: cli_plugin.sh MOE_BINARY REPOSITORY_ROOT   (see lib.sh)
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MCYCLE=(--data "$DATA/mcycle.csv" --response accel --x times -K 2 --starts 2 --seed 5 --quiet)
PLUGIN=$(dirname "$MOE")/libmoe_cuda.so

# The executable itself needs no CUDA library at load time.
if command -v ldd >/dev/null 2>&1; then
  check "ldd moe lists no CUDA library" \
    bash -c "! ldd '$MOE' | grep -Eq 'lib(cudart|cublas|cublasLt|cusolver|cusparse|nvJitLink)\.so'"
fi
expect_ok "$MOE" --version
expect_ok "$MOE" fit "${MCYCLE[@]}" --out cpu.json

if [ -f "$PLUGIN" ]; then
  # Built with the plugin: --device cuda fits where a device (or the host emulation
  # of CUDA) is there, and fails with one line otherwise.
  run "$MOE" fit "${MCYCLE[@]}" --device cuda --out cuda.json
  if [ "$rc" -eq 0 ]; then
    check "--device cuda reaches the CPU's log-likelihood within 1e-8 (relative)" \
      awk -v a="$(json_top loglik cuda.json)" -v b="$(json_top loglik cpu.json)" \
      'BEGIN { d = a - b; s = b; if (d < 0) d = -d; if (s < 0) s = -s; exit !(a != "" && d <= 1e-8 * s) }'
  else
    expect_fail "moe::kernels_for(): no usable CUDA device" "$MOE" fit "${MCYCLE[@]}" --device cuda
  fi
  # A plugin that is not there, or not a plugin: one clear line each.
  MOE_CUDA_PLUGIN=$WORK/none.so expect_fail "the CUDA plugin cannot be loaded: $WORK/none.so does not exist" \
    "$MOE" fit "${MCYCLE[@]}" --device cuda
  echo "not a shared library" >fake.so
  MOE_CUDA_PLUGIN=$WORK/fake.so expect_fail "the CUDA plugin cannot be loaded: $WORK/fake.so" \
    "$MOE" fit "${MCYCLE[@]}" --device cuda
  MOE_CUDA_PLUGIN=$WORK/none.so expect_ok "$MOE" fit "${MCYCLE[@]}" --device cpu --out cpu_again.json
  check "--device cpu never opens the plugin: the same fit without it" \
    cmp -s <(grep -v '"seconds"' cpu.json) <(grep -v '"seconds"' cpu_again.json)
else
  expect_fail "moe::kernels_for(): this build of moe has no CUDA backend" "$MOE" fit "${MCYCLE[@]}" --device cuda
fi

finish
