#!/usr/bin/env bash
# Installs dependencies (with R), builds, and runs every test through CTest:
# the GoogleTest suite, the command-line end-to-end tests, the find_package(moe)
# example, and R CMD check of the R package with its testthat tests. Then runs
# the CUDA backend's tests (suites Cuda*) on the host emulation of CUDA
# (tests/cuda_emulation, build-emulation/): the backend's code and kernels on
# the CPU against the CPU reference, under AddressSanitizer and UBSan — a check
# of the code, not a GPU run — and the command line opening that backend as a
# plugin (tests/cli/cli_plugin.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --with-r
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"

# AddressSanitizer and UBSan watch the emulated device memory, so an out-of-bounds
# access or undefined behaviour in a kernel fails the run (as compute-sanitizer would).
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S . -B build-emulation -DCMAKE_BUILD_TYPE=Release -DMOE_CUDA_EMULATION=ON -DMOE_WITH_CUDA=OFF \
  -DMOE_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS="$sanitize" -DCMAKE_EXE_LINKER_FLAGS="$sanitize" \
  -DCMAKE_MODULE_LINKER_FLAGS="$sanitize"
cmake --build build-emulation -j"$(nproc)" --target moe_tests moe_cli
echo "== CUDA backend tests on the host emulation of CUDA (no GPU involved) =="
build-emulation/tests/cpp/moe_tests --gtest_filter='Cuda*:Backend.*' --gtest_brief=1
echo "== the CUDA plugin (libmoe_cuda.so) opened by the command line, on the host emulation =="
bash tests/cli/cli_plugin.sh build-emulation/moe .
