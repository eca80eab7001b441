#!/usr/bin/env bash
# Multivariate Gaussian experts against mclust on a 2-D real data set with
# n >= 10 000 (mclust's GvHD flow cytometry data, CD4 and CD8b, positive and
# control samples together: n = 15 892), and on faithful (n = 272).
# Writes bench/multivariate/results.md and results.csv.
#
# Usage, from anywhere:  bash bench/multivariate/run.sh [LIB] [MOE_BINARY]
# LIB: the R library holding the moe build (default /tmp/rlib_mv);
# MOE_BINARY: the command line (default build/moe). Needs Rscript with mclust
# (Debian's r-cran-mclust).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
lib="${1:-/tmp/rlib_mv}"
moe="${2:-build/moe}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
Rscript -e 'suppressPackageStartupMessages(library(mclust)); data(GvHD)
  write.csv(rbind(GvHD.pos, GvHD.control)[, c("CD4", "CD8b")], commandArgs(TRUE)[1], row.names = FALSE)' "$work/gvhd.csv"
OPENBLAS_NUM_THREADS=1 Rscript bench/multivariate/compare.R "$lib" "$work/gvhd.csv" "$root/bench/multivariate"

# The whole process as a user runs it (start-up and reading the CSV included), K = 3, VVV.
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
cli=$(OPENBLAS_NUM_THREADS=1 seconds "$moe" fit --data "$work/gvhd.csv" --response CD4,CD8b -K 3 --covariance VVV --starts 10 --threads 2)
cli1=$(OPENBLAS_NUM_THREADS=1 seconds "$moe" fit --data "$work/gvhd.csv" --response CD4,CD8b -K 3 --covariance VVV --starts 1)
mcl=$(OPENBLAS_NUM_THREADS=1 seconds Rscript -e 'suppressPackageStartupMessages(library(mclust)); set.seed(1)
  X <- read.csv(commandArgs(TRUE)[1]); m <- Mclust(X, G = 3, modelNames = "VVV", verbose = FALSE); cat(m$loglik, "\n")' "$work/gvhd.csv")
{
  echo
  echo "Whole process, GvHD (n = 15 892), K = 3, VVV, seconds (\`date\` around each command):"
  echo
  echo "| command | seconds |"
  echo "|---|---|"
  echo "| \`moe fit --response CD4,CD8b -K 3 --covariance VVV --starts 10 --threads 2\` | $cli |"
  echo "| \`moe fit ... --starts 1\` | $cli1 |"
  echo "| \`Rscript -e 'library(mclust); Mclust(read.csv(...), G = 3, modelNames = \"VVV\")'\` | $mcl |"
} >>"$here/results.md"
echo "wrote $here/results.md"
