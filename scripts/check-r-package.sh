#!/usr/bin/env bash
# Builds the R package from the repository root and runs R CMD check on it
# (documentation, examples, testthat tests). Fails on any ERROR or WARNING.
#   bash scripts/check-r-package.sh [REPO_ROOT] [WORK_DIR]
set -euo pipefail
root="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
work="${2:-$(mktemp -d)}"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
R CMD build --no-build-vignettes "$root" >build.log 2>&1 || { cat build.log; exit 1; }
tarball=$(ls moe_*.tar.gz)
export _R_CHECK_FORCE_SUGGESTS_=false _R_CHECK_FUTURE_FILE_TIMESTAMPS_=false
export OPENBLAS_NUM_THREADS=1 MOE_CLI="${MOE_CLI:-}"
R CMD check --no-manual "$tarball" >check.log 2>&1 || true
log=moe.Rcheck/00check.log
[ -f "$log" ] || { cat check.log; exit 1; }
grep -E "^\* (checking|DONE)|^Status" "$log" | tail -n 3
if grep -qE "^Status: .*(ERROR|WARNING)" "$log" || ! grep -q "^Status: " "$log"; then
  grep -B2 -A25 -E "\.\.\. (ERROR|WARNING)" "$log" || true
  [ -f moe.Rcheck/tests/testthat.Rout.fail ] && tail -n 60 moe.Rcheck/tests/testthat.Rout.fail
  exit 1
fi
