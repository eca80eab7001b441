#!/usr/bin/env bash
# The estimators of several responses side by side (`moe compare --response ...`):
# EM, SQUAREM, Armijo gradient ascent and Adam from the search's start, with the
# rates predicted at the best fit, on faithful (n = 272) and on mclust's GvHD
# (CD4, CD8b, positive and control samples: n = 15 892).
# Writes bench/multivariate/estimators.md.
#
# Usage, from anywhere:  bash bench/multivariate/estimators.sh [MOE_BINARY]
# Needs Rscript with mclust (Debian's r-cran-mclust) for the data.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
moe="${1:-build/moe}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
Rscript -e 'suppressPackageStartupMessages(library(mclust)); data(GvHD); out <- commandArgs(TRUE)
  write.csv(rbind(GvHD.pos, GvHD.control)[, c("CD4", "CD8b")], out[1], row.names = FALSE)
  write.csv(datasets::faithful, out[2], row.names = FALSE)' "$work/gvhd.csv" "$work/faithful.csv"

out="$here/estimators.md"
{
  echo "# Estimators of multivariate Gaussian experts side by side"
  echo
  echo "\`bash bench/multivariate/estimators.sh\`, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD),"
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), OPENBLAS_NUM_THREADS=1."
  echo "Every method starts where the search's best run started; tol 1e-10, at most 2000 iterations."
  echo "rate: the observed median ratio of successive gaps; predicted: ρ² from I_obs and I_c at the best fit."
} >"$out"
run() {  # name, data, responses, K, structure
  OPENBLAS_NUM_THREADS=1 "$moe" compare --data "$2" --response "$3" -K "$4" --covariance "$5" --seed 1 \
    --methods em,squarem,gd,adam --tol 1e-10 --max-iter 2000 --out-dir "$work/$1" --quiet
  {
    echo
    echo "## $1: \`moe compare --data $(basename "$2") --response $3 -K $4 --covariance $5 --methods em,squarem,gd,adam --tol 1e-10 --max-iter 2000\`"
    echo
    echo "| method | iterations | seconds | final ℓ | iterations to 1e-6 | rate | predicted | stop |"
    echo "|---|--:|--:|--:|--:|--:|--:|---|"
    awk -F, 'NR > 1 { printf "| %s | %s | %.3g | %.10g | %s | %.4f | %s | %s |\n", $1, $2, $3, $4, ($5 == 1 ? $6 : "-"), $8, ($9 == "nan" ? "-" : sprintf("%.4f", $9)), $11 }' \
      "$work/$1/summary.csv"
  } >>"$out"
}
run faithful_VVV_K2 "$work/faithful.csv" eruptions,waiting 2 VVV
run faithful_EEE_K3 "$work/faithful.csv" eruptions,waiting 3 EEE
run GvHD_VVV_K3 "$work/gvhd.csv" CD4,CD8b 3 VVV
run GvHD_VII_K4 "$work/gvhd.csv" CD4,CD8b 4 VII
echo "wrote $out"
