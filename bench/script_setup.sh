# Sourced by the bench scripts that run the command line on simulated data, with
# the caller's arguments [BUILD_DIR] [OUT_DIR]: sets root (the repository),
# build, out (created), moe (the binary), work (a scratch directory removed on
# exit), and symmetric_truth (bench/symmetric_truth.sh).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
out="${2:-$root/bench/results}"
moe="$build/moe"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
# shellcheck source=bench/symmetric_truth.sh
source "$root/bench/symmetric_truth.sh"
