#!/usr/bin/env bash
# Multinomial experts on real data: moe's default fit against flexmix's best of
# 30 seeds (FLXMRmultinom experts, FLXPmultinom gate) and, for K = 1, against
# nnet::multinom. Writes bench/multinomial/real_data.md and real_data.csv.
#
# Usage, from anywhere:  bash bench/multinomial/run.sh [LIB]
# LIB: the R library holding the moe build to test (default /tmp/rlib_mn).
# Needs Rscript with MASS, nnet and flexmix (Debian's r-cran-* packages).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 Rscript bench/multinomial/real_data.R "${1:-/tmp/rlib_mn}"
