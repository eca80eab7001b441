#!/usr/bin/env bash
# What every part of the command line's end-to-end tests shares: the argument
# parsing, a scratch directory, the case helpers (expect_ok, expect_fail, check,
# check_not), small readers for the JSON and CSV that moe writes, and the
# fixtures that several parts start from. Sourced by the cli_*.sh parts:
#   usage: cli_PART.sh MOE_BINARY REPOSITORY_ROOT
# Each part prints each failing case, then exactly one line "N passed, M
# failed", and exits non-zero when any case failed. Needs only bash, awk, grep,
# cmp and coreutils (no python, no jq).
# shellcheck disable=SC2016  # awk programs are passed in single quotes
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 MOE_BINARY REPOSITORY_ROOT" >&2
  exit 2
fi
MOE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$2" && pwd)
DATA=$ROOT/datasets
if [ ! -x "$MOE" ]; then
  echo "cli_test: '$1' is not an executable" >&2
  exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/moe-cli-test.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2

# Each command gets at most this long; a hang is reported as a failure.
TIMEOUT=()
command -v timeout >/dev/null 2>&1 && TIMEOUT=(timeout 300)

passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() {  # fail CASE DETAIL...
  failed=$((failed + 1))
  echo "FAIL: $1"
  shift
  local line
  for line in "$@"; do echo "      $line"; done
}

# run CMD...: runs a command with stdout in $WORK/out and stderr in $WORK/err;
# sets $rc.
run() {
  ${TIMEOUT[@]+"${TIMEOUT[@]}"} "$@" >"$WORK/out" 2>"$WORK/err"
  rc=$?
}

show() { printf '%q ' "$@" | sed "s#$DATA/#datasets/#g; s#$MOE#moe#g; s/ \$//"; }
err_text() { head -c 600 "$WORK/err" | tr '\n' '|'; }

# expect_ok CMD...: the command succeeds (exit 0) and writes nothing to stderr
# but progress lines: of a slow fit ("start s/S  iteration i  loglik l"), of
# compare ("running METHOD"), of select ("fitting K = k") and of a long nn-train epoch
# ("epoch e  batch b/B  train_loss l") and of boot ("bootstrap replicate b/B"),
# and notes ("moe: note: ...", e.g. compare's "no predicted rates" at a boundary).
expect_ok() {
  run "$@"
  if [ "$rc" -ne 0 ]; then
    fail "$(show "$@")" "expected success, got exit code $rc" "stderr: $(err_text)"
  elif grep -Evq '^(start [0-9]+/[0-9]+  iteration [0-9]+  loglik |running [a-z:.0-9-]+$|every method starts from the search.s best start |fitting K = [0-9]+$|bootstrap replicate [0-9]+/[0-9]+$|epoch [0-9]+  batch [0-9]+/[0-9]+  train_loss |moe: note: )' "$WORK/err"; then
    fail "$(show "$@")" "succeeded but wrote to stderr: $(err_text)"
  else
    pass
  fi
}

# expect_fail FRAGMENT CMD...: the command fails cleanly: exit code 1 with one
# stderr line "moe: error: ..." or a CLI11 usage error (exit code 100-127, the
# message then "Run with --help for more information."); never a crash or a
# signal (exit code >= 128); and stderr contains FRAGMENT.
expect_fail() {
  local fragment=$1
  shift
  run "$@"
  local lines
  lines=$(($(wc -l <"$WORK/err")))
  if [ "$rc" -eq 0 ]; then
    fail "$(show "$@")" "expected failure, got exit code 0"
  elif [ "$rc" -ge 128 ] || [ "$rc" -eq 124 ]; then
    fail "$(show "$@")" "crashed, was killed or timed out: exit code $rc" "stderr: $(err_text)"
  elif ! grep -qF -- "$fragment" "$WORK/err"; then
    fail "$(show "$@")" "stderr does not contain: $fragment" "stderr: $(err_text)"
  elif [ "$rc" -eq 1 ]; then
    if [ "$lines" -ne 1 ] || ! head -n 1 "$WORK/err" | grep -q '^moe: error: .'; then
      fail "$(show "$@")" "expected a single line 'moe: error: ...' on stderr" "stderr: $(err_text)"
    else
      pass
    fi
  elif [ "$rc" -ge 100 ] && [ "$rc" -le 127 ]; then  # CLI11 ParseError
    if [ "$lines" -gt 2 ] || ! head -n 1 "$WORK/err" | grep -q '.' ||
      { [ "$lines" -eq 2 ] && [ "$(sed -n 2p "$WORK/err")" != "Run with --help for more information." ]; }; then
      fail "$(show "$@")" "unexpected CLI11 usage error format" "stderr: $(err_text)"
    else
      pass
    fi
  else
    fail "$(show "$@")" "unexpected exit code $rc (want 1 or a CLI11 code 100-127)" "stderr: $(err_text)"
  fi
}

# check DESCRIPTION CMD...: a condition that must hold (CMD exits 0).
check() {
  local description=$1
  shift
  if "$@"; then pass; else fail "$description"; fi
}

# check_not DESCRIPTION CMD...: a condition that must not hold (CMD exits non-zero).
check_not() {
  local description=$1
  shift
  if "$@"; then fail "$description"; else pass; fi
}

# --- Small readers for the JSON that `moe fit --out` writes (nlohmann dump(2)) ---

# json_top KEY FILE: the value of a top-level scalar KEY, without a trailing comma.
json_top() {
  awk -v key="\"$1\":" '$1 == key && /^  "/ { v = $2; sub(/,$/, "", v); print v; exit }' "$2"
}

# json_has_nested PARENT CHILD FILE: PARENT is a top-level object holding CHILD.
json_has_nested() {
  awk -v parent="  \"$1\": {" -v child="    \"$2\": " '
    $0 == parent { inside = 1; next }
    inside && /^  [}]/ { inside = 0 }
    inside && index($0, child) == 1 { found = 1 }
    END { exit !found }' "$3"
}

# json_columns SECTION FILE: the columns of SECTION.coef, one per line.
json_columns() {
  awk -v parent="  \"$1\": {" '
    $0 == parent { inside = 1; next }
    inside && /^  [}]/ { inside = 0 }
    inside && /^    "coef": \[/ { coef = 1; next }
    coef && /^    \]/ { coef = 0 }
    coef && /^      \[/ { line = ""; next }
    coef && /^      \]/ { print line; next }
    coef { v = $1; sub(/,$/, "", v); line = line (line == "" ? "" : " ") v }' "$2"
}

# first_value KEY FILE: the value of the first "KEY": line anywhere in FILE.
first_value() {
  awk -v key="\"$1\":" '$1 == key { v = $2; sub(/,$/, "", v); print v; exit }' "$2"
}

is_number() {  # a finite JSON number (NaN and infinities are written as null)
  [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]]
}
num_gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }

# recovers FITTED_JSON TRUTH_JSON TOL: every true expert coefficient column has
# its own fitted column within TOL (max absolute difference).
recovers() {
  awk -v tol="$3" '
    FNR == 1 { file++ }
    file == 1 { f[++nf] = $0 }
    file == 2 { t[++nt] = $0 }
    END {
      if (nf != nt || nt == 0) exit 1
      for (i = 1; i <= nt; i++) {
        split(t[i], tv, " ")
        best = -1; bestd = 1e300
        for (j = 1; j <= nf; j++) {
          if (used[j]) continue
          split(f[j], fv, " "); d = 0
          for (c in tv) { e = fv[c] - tv[c]; if (e < 0) e = -e; if (e > d) d = e }
          if (d < bestd) { bestd = d; best = j }
        }
        if (best < 0 || bestd > tol) exit 1
        used[best] = 1
      }
    }' <(json_columns experts "$1") <(json_columns experts "$2")
}

# csv_ok FILE K ROWS: a predict CSV with the expected header and row count, all
# cells finite numbers, and gate_ (and posterior_, when present) rows summing to
# 1 within 1e-9.
predict_header() {  # predict_header K [posterior]: with posterior, also pit
  local h=prediction k prefix
  for prefix in gate_ expert_ ${2:+posterior_}; do
    for ((k = 1; k <= $1; k++)); do h+=",$prefix$k"; done
  done
  echo "$h${2:+,pit}"
}
csv_rows() { awk 'END { print NR - 1 }' "$1"; }
csv_all_finite() {
  awk -F, 'NR > 1 { for (j = 1; j <= NF; j++)
             if ($j !~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) exit 1 }' "$1"
}
csv_sums_to_one() {  # csv_sums_to_one FILE PREFIX
  awk -F, -v prefix="$2" '
    NR == 1 { for (j = 1; j <= NF; j++) if (index($j, prefix) == 1) { cols[j] = 1; ncols++ }; next }
    { s = 0; for (j in cols) s += $j; d = s - 1; if (d < 0) d = -d; if (d > 1e-9) bad = 1 }
    END { exit bad || ncols == 0 }' "$1"
}
csv_column_in() {  # csv_column_in FILE COLUMN LO HI
  awk -F, -v col="$2" -v lo="$3" -v hi="$4" '
    NR == 1 { for (j = 1; j <= NF; j++) if ($j == col) c = j; next }
    !c || $c + 0 < lo || $c + 0 > hi { bad = 1 }
    END { exit bad || !c }' "$1"
}

MCYCLE=(--data "$DATA/mcycle.csv" --response accel --x times --z times -K 3)


# fixture_mcycle_fit: fit.json, three Gaussian experts on mcycle (10 starts).
fixture_mcycle_fit() { expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 10 --out fit.json; }

# fixture_pima_fit: pima.json, two logistic experts on pima.
fixture_pima_fit() {
  expect_ok "$MOE" fit --data "$DATA/pima.csv" --response diabetes --x glu,bmi --z age -K 2 \
    --family binomial --starts 3 --out pima.json
}

# finish: the summary line and the exit status of a part.
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
