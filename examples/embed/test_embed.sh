#!/usr/bin/env bash
# Installs moe from an existing build directory into a temporary prefix, then
# configures, builds and runs examples/embed (EM, and a sparse MoE network)
# against that installation, as a
# user of the installed package would (find_package(moe) + moe::moe).
#   usage: test_embed.sh REPOSITORY_ROOT BUILD_DIR
set -u
if [ $# -ne 2 ]; then
  echo "usage: $0 REPOSITORY_ROOT BUILD_DIR" >&2
  exit 2
fi
root=$(cd "$1" && pwd) || exit 2
build=$(cd "$2" && pwd) || exit 2

work=$(mktemp -d "${TMPDIR:-/tmp}/moe-embed.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

step() {  # step DESCRIPTION COMMAND...: runs the command, logging to $work/log
  echo "== $1"
  shift
  if ! "$@" >"$work/log" 2>&1; then
    cat "$work/log"
    echo "test_embed: FAILED at: $*" >&2
    exit 1
  fi
}

config=()
if [ -f "$build/CMakeCache.txt" ]; then  # build the example with the same compiler and type
  cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
  type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
  [ -n "$cxx" ] && config+=("-DCMAKE_CXX_COMPILER=$cxx")
  [ -n "$type" ] && config+=("-DCMAKE_BUILD_TYPE=$type")
fi

step "install $build into $work/prefix" cmake --install "$build" --prefix "$work/prefix"
step "configure examples/embed" cmake -S "$root/examples/embed" -B "$work/build" \
  -DCMAKE_PREFIX_PATH="$work/prefix" ${config[@]+"${config[@]}"}
step "build examples/embed" cmake --build "$work/build"
for program in embed embed_nn; do
  echo "== run $program"
  "$work/build/$program"
  status=$?
  if [ $status -ne 0 ]; then
    echo "test_embed: $program exited with status $status" >&2
    exit 1
  fi
done
echo "test_embed: passed"
