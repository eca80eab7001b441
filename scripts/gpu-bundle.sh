#!/usr/bin/env bash
# Builds the binaries for the lent GPU machine and packs them into .gpu/ (git-ignored), so that
# the whole GPU check is one device-tool call. Run on the development machine (Debian 12 with
# nvcc 13, Armadillo, GoogleTest, OpenBLAS), from anywhere:
#
#     bash scripts/gpu-bundle.sh [extra CMake arguments]
#
# then call the device tool's `run` with
#     command: bash bench/gpu.sh            timeout_s: 600            carry: [".gpu"]
# and read $OUT/summary.txt (plus tests.log, sanitizer.log, fit.log, nn.log, bench.log) from the reply.
#
# What it does:
#  - configures build-gpu/ (MOE_GPU_BUILD_DIR overrides) with -DMOE_PORTABLE_BLAS=ON (Armadillo
#    header-only, OpenBLAS linked directly: the GPU machine has libopenblas.so.0 but no
#    libarmadillo), -DMOE_WITH_CUDA=ON (sm_90 + PTX), Release, tests, CLI and benchmarks; builds
#    with `nice -n 10` and JOBS jobs (default 2);
#  - copies into .gpu/, stripped: moe_tests, moe (the CLI), libmoe_cuda.so (the CUDA plugin, which
#    both open from their own folder), the benchmark programs of
#    build-gpu/bench/, and bench/gpu.sh; datasets/*.csv into .gpu/datasets/; Fashion-MNIST
#    (/usr/share/datasets/fashion-mnist, 30 MB) into .gpu/fashion-mnist/ unless MOE_GPU_NO_FASHION=1;
#    a MANIFEST (commit, source path, date, checksums);
#  - checks that the binaries need only libraries the GPU machine has (Ubuntu 24.04: libopenblas,
#    the CUDA 13 runtime, cuBLAS, cuSOLVER, zlib, libgomp, the C/C++ runtime) and glibc <= 2.39, and start
#    here (moe --help, the Backend tests);
#  - fails when .gpu/ exceeds 60 MiB, or .gpu/ plus the rest of the working tree that travels
#    (tracked and untracked, not ignored files) exceeds the tool's 64 MiB.
# The normal build (scripts/build.sh, build/) is not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${MOE_GPU_BUILD_DIR:-build-gpu}
JOBS=${JOBS:-2}
DEST=$ROOT/.gpu
MIB=$((1024 * 1024))

echo "== configure $BUILD"
mkdir -p "$BUILD"
nice -n 10 cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DMOE_PORTABLE_BLAS=ON -DMOE_WITH_CUDA=ON \
  -DMOE_BUILD_TESTS=ON -DMOE_BUILD_CLI=ON -DMOE_BUILD_BENCH=ON "$@" >"$BUILD/gpu-configure.log" 2>&1 ||
  { cat "$BUILD/gpu-configure.log"; exit 1; }
grep -E 'moe: (CUDA|portable)' "$BUILD/gpu-configure.log" | sed 's/^-- /  /'
echo "== build ($JOBS jobs)"
nice -n 10 cmake --build "$BUILD" -j"$JOBS"

echo "== pack $DEST"
rm -rf "$DEST"
mkdir -p "$DEST/datasets"
# libmoe_cuda.so: the CUDA backend, a plugin that moe and moe_tests open from their own folder
BINARIES=("$BUILD/tests/cpp/moe_tests" "$BUILD/moe" "$BUILD/libmoe_cuda.so")
while IFS= read -r f; do BINARIES+=("$f"); done < <(find "$BUILD/bench" -maxdepth 1 -type f -perm -u+x | sort)
for b in "${BINARIES[@]}"; do
  install -m 755 "$b" "$DEST/"
  strip --strip-all "$DEST/$(basename "$b")"
done
install -m 755 bench/gpu.sh "$DEST/gpu.sh"
cp datasets/*.csv "$DEST/datasets/"
FASHION=/usr/share/datasets/fashion-mnist
if [ "${MOE_GPU_NO_FASHION:-0}" != 1 ] && [ -f "$FASHION/t10k-images-idx3-ubyte.gz" ]; then
  mkdir -p "$DEST/fashion-mnist"
  cp "$FASHION"/*-ubyte.gz "$DEST/fashion-mnist/"
else
  echo "(no Fashion-MNIST in the bundle: nn-fashion will SKIP on the GPU machine)"
fi
{
  echo "commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)$(git diff-index --quiet HEAD -- 2>/dev/null ||
    echo ' + uncommitted changes of the working tree')"
  echo "source_dir=$ROOT"
  echo "built=$(date -u '+%Y-%m-%d %H:%M:%S UTC') on $(hostname)"
  echo "cuda_code=$(grep -ho 'code=\[[a-z_0-9]*\]' "$BUILD/CMakeFiles/moe.dir/flags.make" | tr '\n' ' ')"
  echo "nvcc=$(sed -n 's/^CMAKE_CUDA_COMPILER:[A-Z]*=//p' "$BUILD/CMakeCache.txt")"
  (cd "$DEST" && sha256sum "${BINARIES[@]##*/}" | sed 's/^/sha256 /')
} >"$DEST/MANIFEST"

echo "== check the libraries"
# Direct dependencies the GPU machine has: OpenBLAS (LAPACK inside), the CUDA 13 libraries, zlib,
# the C/C++ runtime, GCC's OpenMP runtime (libgomp1 comes with its g++ 13; the search's threads).
# Anything else (libarmadillo, libgtest, ...) is an error.
ALLOWED='^(libopenblas\.so\.0|libcudart\.so\.13|libcublas\.so\.13|libcublasLt\.so\.13|libcusolver\.so\.12|libz\.so\.1|libgomp\.so\.1|libstdc\+\+\.so\.6|libm\.so\.6|libgcc_s\.so\.1|libc\.so\.6|ld-linux-x86-64\.so\.2)$'
bad=0
for b in "${BINARIES[@]}"; do
  f=$DEST/$(basename "$b")
  needed=$(objdump -p "$f" | awk '/NEEDED/ {print $2}')
  glibc=$(objdump -T "$f" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)
  glibcxx=$(objdump -T "$f" | grep -o 'GLIBCXX_[0-9.]*' | sort -uV | tail -1)
  printf '  %-16s %6s KiB  needs %s  (%s, %s)\n' "$(basename "$f")" $(($(stat -c %s "$f") / 1024)) \
    "$(echo "$needed" | tr '\n' ' ')" "${glibc:-no GLIBC}" "${glibcxx:-no GLIBCXX}"
  for n in $needed; do
    if ! [[ $n =~ $ALLOWED ]]; then echo "  !! $(basename "$f") needs $n, which the GPU machine lacks"; bad=1; fi
  done
  if ldd "$f" | grep -Ei 'armadillo|gtest|not found'; then echo "  !! $(basename "$f"): see the line above"; bad=1; fi
  # Ubuntu 24.04: glibc 2.39, libstdc++ of GCC 14 (GLIBCXX_3.4.33)
  if [ -n "$glibc" ] && [ "$(printf '%s\n' "$glibc" GLIBC_2.39 | sort -V | tail -1)" != GLIBC_2.39 ]; then
    echo "  !! $(basename "$f") needs $glibc > 2.39"; bad=1
  fi
  if [ -n "$glibcxx" ] && [ "$(printf '%s\n' "$glibcxx" GLIBCXX_3.4.33 | sort -V | tail -1)" != GLIBCXX_3.4.33 ]; then
    echo "  !! $(basename "$f") needs $glibcxx > 3.4.33"; bad=1
  fi
done
if objdump -p "$DEST/moe" | awk '/NEEDED/ {print $2}' | grep -q '^libcu'; then
  echo "  !! moe links a CUDA library: the backend must come from the plugin"; bad=1
fi
[ $bad -eq 0 ] || { echo "the bundle would not run on the GPU machine"; exit 1; }
echo "  full closure of moe_tests (ldd):"
ldd "$DEST/moe_tests" | awk '{print "    " $1 " => " $3}'

echo "== smoke test here"
"$DEST/moe" --help >/dev/null
GTEST_COLOR=no "$DEST/moe_tests" --gtest_filter='Backend.*' --gtest_brief=1 | tail -2

echo "== sizes"
du -sh "$DEST"/* | sed 's/^/  /'
gpu_bytes=$(du -sb "$DEST" | awk '{print $1}')
tree_bytes=$({ git ls-files -z --cached --others --exclude-standard | xargs -0 -r stat -c %s 2>/dev/null || true; } |
  awk '{s += $1} END {print s + 0}')
total=$((gpu_bytes + tree_bytes))
awk -v g="$gpu_bytes" -v t="$tree_bytes" -v m=$MIB \
  'BEGIN {printf "  .gpu/ %.1f MiB + working tree %.1f MiB = %.1f MiB that travel (limit 64 MiB)\n", g/m, t/m, (g+t)/m}'
if [ "$gpu_bytes" -gt $((60 * MIB)) ]; then echo ".gpu/ exceeds 60 MiB"; exit 1; fi
if [ "$total" -gt $((64 * MIB)) ]; then
  echo "more than 64 MiB would travel: set MOE_GPU_NO_FASHION=1 or shrink the tree"; exit 1
fi
cat <<EOF
== ready. Device tool call:
  run(command="bash bench/gpu.sh", carry=[".gpu"], timeout_s=600)
Dry run here (no GPU: the CUDA steps report SKIP/FAIL): bash bench/gpu.sh
EOF
