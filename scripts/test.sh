#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test (GoogleTest suite, CLI
# end-to-end tests, the find_package(moe) example) through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
