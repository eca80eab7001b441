#!/usr/bin/env bash
# Installs the Debian packages moe builds with (skipped when present);
# --with-r adds R and the packages the R package and its tests need.
set -euo pipefail
packages=(cmake make g++ libarmadillo-dev libopenblas-dev liblapack-dev
          libgtest-dev libcli11-dev nlohmann-json3-dev zlib1g-dev gnuplot-nox
          dataset-fashion-mnist)
if [ "${1:-}" = "--with-r" ]; then
  packages+=(r-base-core r-cran-rcpp r-cran-rcpparmadillo r-cran-testthat r-cran-flexmix r-cran-mixtools r-cran-mass r-cran-pscl r-cran-nnet r-cran-mclust)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
