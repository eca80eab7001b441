#!/usr/bin/env bash
# Installs dependencies and builds the library, the `moe` command line, the
# tests and the benchmarks into build/ (Release).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build -j"$(nproc)"
