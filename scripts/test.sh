#!/usr/bin/env bash
# Installs dependencies (with R), builds, and runs every test through CTest:
# the GoogleTest suite, the command-line end-to-end tests, the find_package(moe)
# example, and R CMD check of the R package with its testthat tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --with-r
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
