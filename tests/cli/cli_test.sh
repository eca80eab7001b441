#!/usr/bin/env bash
# End-to-end tests of the `moe` command line: fit / predict / simulate on the
# shipped data sets, determinism, and the error message of every kind of bad
# input. Needs only bash, awk, grep, cmp and coreutils (no python, no jq).
#
#   usage: cli_test.sh MOE_BINARY REPOSITORY_ROOT
#
# Prints each failing case, then exactly one line "N passed, M failed"; exits
# non-zero when any case failed.
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
# ("epoch e  batch b/B  train_loss l").
expect_ok() {
  run "$@"
  if [ "$rc" -ne 0 ]; then
    fail "$(show "$@")" "expected success, got exit code $rc" "stderr: $(err_text)"
  elif grep -Evq '^(start [0-9]+/[0-9]+  iteration [0-9]+  loglik |running [a-z:.0-9-]+$|every method starts from the search.s best start |fitting K = [0-9]+$|epoch [0-9]+  batch [0-9]+/[0-9]+  train_loss )' "$WORK/err"; then
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

# =============================================================================
# End to end on mcycle: fit, the JSON it writes, the summary.
# =============================================================================
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 10 --out fit.json
check "fit.json was written" test -s fit.json
for key in loglik aic bic iterations converged stop_reason family K experts gate trace; do
  check "fit.json has the top-level key '$key'" grep -q "^  \"$key\": " fit.json
done
check "fit.json has experts.coef" json_has_nested experts coef fit.json
check "fit.json has experts.sigma" json_has_nested experts sigma fit.json
check "fit.json has gate.coef" json_has_nested gate coef fit.json
loglik=$(json_top loglik fit.json)
check "mcycle loglik '$loglik' is a finite number" is_number "$loglik"
check "mcycle loglik $loglik > -600 (optimum about -580.5)" num_gt "$loglik" -600
check "mcycle loglik $loglik < 0" num_gt 0 "$loglik"
for key in aic bic; do
  value=$(json_top $key fit.json)
  check "mcycle $key '$value' is a finite number" is_number "$value"
done
check "fit.json: family is gaussian" test "$(json_top family fit.json)" = '"gaussian"'
check "fit.json: K is 3" test "$(json_top K fit.json)" = 3
check "fit.json: converged is true or false" grep -Eq '^  "converged": (true|false),?$' fit.json
check "fit.json: stop_reason is a string" grep -Eq '^  "stop_reason": "[a-z_]+",?$' fit.json
check "fit.json: experts.coef has 3 columns of 2" \
  test "$(json_columns experts fit.json | awk 'NF == 2 { n++ } END { print n + 0 }')" = 3
check "fit.json: gate.coef has 3 columns of 2" \
  test "$(json_columns gate fit.json | awk 'NF == 2 { n++ } END { print n + 0 }')" = 3
iterations=$(json_top iterations fit.json)
check "fit.json: the trace has iterations + 1 = $((iterations + 1)) rows" \
  test "$(grep -c '^      "iteration": ' fit.json)" = $((iterations + 1))

expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 2 --quiet --out quiet.json
check "fit --quiet prints nothing on stdout" test ! -s "$WORK/out"
check "fit --quiet still writes --out" test -s quiet.json
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 2
check "the fit summary mentions the log-likelihood" grep -q "log-likelihood" "$WORK/out"
check "the fit summary lists the local maxima the search found" \
  grep -Eq "^local maxima \(log-likelihood: finalists, moves\):  -[0-9.]+: [0-9]+, [0-9]+" "$WORK/out"
check "the fit summary says how the search went" \
  grep -Eq "^search: 2 screened \(0 redrawn as degenerate\), 2 finalists, split-and-merge" "$WORK/out"

# --- The search (search.hpp): strategies, the report in fit.json, threads ---
for init in kmeans random hard residual segments mixed; do
  expect_ok "$MOE" fit "${MCYCLE[@]}" --init "$init" --starts 3 --no-se --quiet --out "init_$init.json"
  check "fit --init $init records its strategy" grep -q "\"init\": \"$init\"" "init_$init.json"
done
check "fit.json has the search's local maxima" json_has_nested search maxima init_mixed.json
check "fit.json's search names the winning start's strategy" json_has_nested search best_init init_mixed.json
expect_fail "init 'segments' needs a single covariate" \
  "$MOE" fit --data "$DATA/pima.csv" --response diabetes --x glu --z age,bmi -K 2 --family binomial --init segments
expect_fail "--init: " "$MOE" fit "${MCYCLE[@]}" --init best
expect_fail "--finalists: 0 is out of range" "$MOE" fit "${MCYCLE[@]}" --finalists 0
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 6 --threads 1 --no-se --quiet --out threads1.json
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 6 --threads 2 --no-se --quiet --out threads2.json
check "the fit does not depend on --threads (all but the timings)" \
  cmp -s <(grep -v '"seconds"' threads1.json) <(grep -v '"seconds"' threads2.json)
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 1 --no-split-merge --no-se --quiet --out no_moves.json
check "--no-split-merge tries no move" grep -q '"moves_tried": 0' no_moves.json
check_not "the fit summary has no NaN or Inf" grep -qiw -e nan -e inf "$WORK/out"

# =============================================================================
# predict: the CSV it writes (reading fit.json also checks that it is valid JSON).
# =============================================================================
expect_ok "$MOE" predict --model fit.json --data "$DATA/mcycle.csv"
cp "$WORK/out" pred.csv
check "predict header is prediction,gate_1..3,expert_1..3,posterior_1..3,pit" \
  test "$(head -n 1 pred.csv)" = "$(predict_header 3 posterior)"
check "predict writes 133 data rows" test "$(csv_rows pred.csv)" = 133
check "predict cells are all finite numbers" csv_all_finite pred.csv
check "predict: gate_ columns of each row sum to 1 within 1e-9" csv_sums_to_one pred.csv gate_
check "predict: posterior_ columns of each row sum to 1 within 1e-9" csv_sums_to_one pred.csv posterior_
check "predict: pit is in [0, 1] with a median near 1/2" \
  awk -F, 'NR > 1 { if ($NF < 0 || $NF > 1) bad = 1; below += ($NF < 0.5); n++ } END { exit bad || below < 0.3 * n || below > 0.7 * n }' pred.csv
expect_ok "$MOE" predict --model fit.json --data "$DATA/mcycle.csv" --out pred2.csv
check "predict --out writes the same CSV as standard output" cmp -s pred.csv pred2.csv
# Without the response column there are no posteriors.
awk -F, '{ print $1 }' "$DATA/mcycle.csv" >times_only.csv
expect_ok "$MOE" predict --model fit.json --data times_only.csv --out pred3.csv
check "predict without the response: header without posterior_" \
  test "$(head -n 1 pred3.csv)" = "$(predict_header 3)"
# Predictive quantiles: ordered, and a 90% interval that holds about 90% of the rows.
expect_ok "$MOE" predict --model fit.json --data "$DATA/mcycle.csv" --quantiles 0.05,0.5,0.95 --out predq.csv
check "predict --quantiles adds q0.05,q0.5,q0.95 before the posteriors" \
  test "$(head -n 1 predq.csv | sed 's/,posterior_1.*//; s/.*expert_3,//')" = "q0.05,q0.5,q0.95"
check "predict --quantiles: q0.05 < q0.5 < q0.95 on every row" awk -F, 'NR > 1 && !($8 < $9 && $9 < $10) { bad = 1 } END { exit bad }' predq.csv
covered=$(paste -d, "$DATA/mcycle.csv" predq.csv | awk -F, 'NR > 1 { n++; if ($2 >= $10 && $2 <= $12) in_++ } END { printf "%.3f", in_ / n }')
check "predict --quantiles: the 90% interval holds $covered of mcycle's rows (0.8 to 0.97)" \
  awk -v c="$covered" 'BEGIN { exit !(c >= 0.8 && c <= 0.97) }'
expect_fail "is not a probability in (0, 1)" "$MOE" predict --model fit.json --data "$DATA/mcycle.csv" --quantiles 0.5,1

# Posteriors on a few new rows: the fit-time checks (rows per parameter,
# constant columns) do not apply to prediction.
head -n 3 "$DATA/mcycle.csv" >two_rows.csv
expect_ok "$MOE" predict --model fit.json --data two_rows.csv --out pred_two.csv
check "predict on 2 rows with the response: 2 rows with posteriors" \
  test "$(csv_rows pred_two.csv)" = 2 -a "$(head -n 1 pred_two.csv)" = "$(predict_header 3 posterior)"
expect_fail "column 'accel' appears twice in the header" "$MOE" fit --data <(echo accel,accel; echo 1,2; echo 2,3) \
  --response accel -K 1
expect_fail "is a directory" "$MOE" predict --model . --data "$DATA/mcycle.csv"
# A UTF-8 byte order mark before the header (as spreadsheets write) is skipped.
{ printf '\357\273\277'; cat "$DATA/mcycle.csv"; } >bom.csv
expect_ok "$MOE" fit --data bom.csv --response accel --x times -K 2 --starts 1
# A response too large for sums of squares is refused, not fitted into NaN.
{ head -n 40 "$DATA/mcycle.csv"; echo '5,-1e300'; } >huge_y.csv
expect_fail "the response has values as large as 1e+300" "$MOE" fit --data huge_y.csv --response accel -K 2
# A gradient step so long that a parameter overflows stops the run with the last
# finite model, which --out writes as a readable model.
expect_ok "$MOE" fit "${MCYCLE[@]}" --method gd:100 --starts 1 --out gd_overflow.json
check "gd:100 stops on a numerical error" grep -q "stop: numerical_error" "$WORK/out"
expect_ok "$MOE" predict --model gd_overflow.json --data "$DATA/mcycle.csv" --out gd_overflow.csv
check "the model it wrote predicts finite numbers" csv_all_finite gd_overflow.csv

# =============================================================================
# Binomial experts on pima.
# =============================================================================
expect_ok "$MOE" fit --data "$DATA/pima.csv" --response diabetes --x glu,bmi --z age -K 2 \
  --family binomial --starts 3 --out pima.json
check "pima.json: family is binomial" test "$(json_top family pima.json)" = '"binomial"'
check_not "pima.json: no experts.sigma for binomial" json_has_nested experts sigma pima.json
pima_loglik=$(json_top loglik pima.json)
check "pima loglik '$pima_loglik' is a finite number" is_number "$pima_loglik"
check "pima loglik $pima_loglik < 0" num_gt 0 "$pima_loglik"
check_not "pima: no separation warning" grep -q "numerically 0 or 1" "$WORK/out"
# Perfectly separated classes: the fit stops, with a warning like R's glm.
awk 'BEGIN { print "x,y"; for (i = 1; i <= 60; i++) { x = (i - 30.5) / 10; print x "," (x > 0) } }' >separated.csv
expect_ok "$MOE" fit --data separated.csv --response y --x x -K 1 --family binomial --starts 1
check "separated classes: a warning" grep -q "fitted probabilities numerically 0 or 1 occurred" "$WORK/out"
expect_ok "$MOE" predict --model pima.json --data "$DATA/pima.csv" --out pima_pred.csv
check "pima predict: 532 rows" test "$(csv_rows pima_pred.csv)" = 532
check "pima predict: header" test "$(head -n 1 pima_pred.csv)" = "$(predict_header 2 posterior)"
check "pima predict: all cells finite" csv_all_finite pima_pred.csv
check "pima predict: prediction in [0, 1]" csv_column_in pima_pred.csv prediction 0 1
check "pima predict: expert_1 in [0, 1]" csv_column_in pima_pred.csv expert_1 0 1
check "pima predict: expert_2 in [0, 1]" csv_column_in pima_pred.csv expert_2 0 1
check "pima predict: gates sum to 1" csv_sums_to_one pima_pred.csv gate_

# =============================================================================
# simulate, then fit what was simulated.
# =============================================================================
SIM=(simulate -n 500 -K 2 --p 2 --q 1 --seed 3)
expect_ok "$MOE" "${SIM[@]}" --out sim.csv --truth truth.json
check "simulate: header y,x1,x2,z1" test "$(head -n 1 sim.csv)" = "y,x1,x2,z1"
check "simulate: 500 rows" test "$(csv_rows sim.csv)" = 500
check "simulate: all cells finite" csv_all_finite sim.csv
check "simulate: truth.json has experts.coef" json_has_nested experts coef truth.json
expect_ok "$MOE" "${SIM[@]}" --out sim_again.csv --truth truth_again.json
check "simulate with the same seed twice: identical CSV" cmp -s sim.csv sim_again.csv
check "simulate with the same seed twice: identical truth" cmp -s truth.json truth_again.json
expect_ok "$MOE" simulate -n 500 -K 2 --p 2 --q 1 --seed 4 --out sim_other.csv
check_not "simulate with another seed: a different CSV" cmp -s sim.csv sim_other.csv
expect_ok "$MOE" fit --data sim.csv --response y --x x1,x2 --z z1 -K 2 --starts 3 --quiet \
  --out simfit.json
simfit_loglik=$(json_top loglik simfit.json)
check "fit of simulated data: loglik '$simfit_loglik' is finite" is_number "$simfit_loglik"
check "fit of simulated data recovers the expert coefficients within 0.3" \
  recovers simfit.json truth.json 0.3
check "fit of simulated data: sigma near the true 1" \
  awk '/^    "sigma": \[/ && !seen { s = 1; seen = 1; next } s && /^    \]/ { s = 0 }
       s { v = $1 + 0; n++; if (v < 0.8 || v > 1.25) bad = 1 } END { exit bad || n != 2 }' simfit.json
expect_ok "$MOE" simulate --model truth.json -n 100
check "simulate --model truth.json -n 100: 100 rows" test "$(csv_rows "$WORK/out")" = 100
check "simulate --model: the model's column names" test "$(head -n 1 "$WORK/out")" = "y,x1,x2,z1"
expect_ok "$MOE" simulate -n 50 -K 3 --family binomial --seed 5 --out simb.csv
check "simulate --family binomial: y is 0 or 1" csv_column_in simb.csv y 0 1
check "simulate --family binomial: y is integer" \
  awk -F, 'NR > 1 && $1 != 0 && $1 != 1 { bad = 1 } END { exit bad }' simb.csv

# =============================================================================
# Poisson experts on the patent data (counts), and simulated counts.
# =============================================================================
expect_ok "$MOE" fit --data "$DATA/patent.csv" --response Patents --x lgRD --z RDS -K 3 \
  --family poisson --starts 10 --out patent.json
check "patent.json: family is poisson" test "$(json_top family patent.json)" = '"poisson"'
check_not "patent.json: no experts.sigma for poisson" json_has_nested experts sigma patent.json
patent_loglik=$(json_top loglik patent.json)
check "patent loglik '$patent_loglik' is a finite number" is_number "$patent_loglik"
# flexmix's best of 10 seeds on the same model is -197.6752 (tests/testthat/test-flexmix.R)
check "patent loglik $patent_loglik >= -197.6752" num_gt "$patent_loglik" -197.6752
expect_ok "$MOE" predict --model patent.json --data "$DATA/patent.csv" --out patent_pred.csv
check "patent predict: 70 rows" test "$(csv_rows patent_pred.csv)" = 70
check "patent predict: all cells finite" csv_all_finite patent_pred.csv
check "patent predict: mean counts are positive" csv_column_in patent_pred.csv prediction 1e-300 1e300
expect_fail "the response must be a count (a whole number, 0 or more) for the poisson family" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel --x times -K 2 --family poisson
# An offset: one Poisson expert with an intercept and offset lgRD has the MLE
# intercept log(Σ y / Σ exp(lgRD)).
expect_ok "$MOE" fit --data "$DATA/patent.csv" --response Patents -K 1 --family poisson --offset lgRD \
  --out offset.json
expected_intercept=$(awk -F, 'NR > 1 { y += $1; e += exp($3) } END { printf "%.12f", log(y / e) }' "$DATA/patent.csv")
fitted_intercept=$(awk '/"coef": \[/ && !seen { seen = 1; getline; getline; v = $1; sub(/,$/, "", v); print v; exit }' offset.json)
check "offset: intercept $fitted_intercept = log(sum y / sum exp(lgRD)) = $expected_intercept" \
  awk -v a="$fitted_intercept" -v b="$expected_intercept" 'BEGIN { d = a - b; exit !(d < 1e-8 && d > -1e-8) }'
check "offset.json records the offset" test "$(json_top offset offset.json)" = '"lgRD"'
expect_ok "$MOE" predict --model offset.json --data "$DATA/patent.csv" --out offset_pred.csv
check "offset: predictions are exp(intercept + lgRD)" \
  awk -F, -v b="$fitted_intercept" 'NR == FNR { if (FNR > 1) o[FNR] = $3; next }
    FNR > 1 { m = exp(b + o[FNR]); d = $1 - m; if (d < 0) d = -d; if (d > 1e-9 * m) bad = 1 } END { exit bad }' \
  "$DATA/patent.csv" offset_pred.csv
expect_ok "$MOE" simulate --model offset.json -n 20 --out offset_sim.csv
check "simulate --model with an offset writes its column" test "$(head -n 1 offset_sim.csv)" = "Patents,lgRD"
# An expert's counts all 0 in one group: the rate runs off to 0, with glm's warning.
awk 'BEGIN { print "x,y"; for (i = 1; i <= 80; i++) { x = i % 2; print x "," (x ? 0 : 1 + i % 5) } }' >zero_group.csv
expect_ok "$MOE" fit --data zero_group.csv --response y --x x -K 1 --family poisson
check "a group of zero counts: a warning" grep -q "fitted rates numerically 0 occurred" "$WORK/out"
# A run that fails leaves --out and --table as they were (and creates no file).
cp patent.json keep.json
expect_fail "for the poisson family" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel -K 2 --family poisson --out keep.json
check "a failed fit leaves --out unchanged" cmp -s keep.json patent.json
expect_fail "for the poisson family" \
  "$MOE" select --data "$DATA/mcycle.csv" --response accel -K 1,2 --family poisson --out keep.json --table new_table.csv
check "a failed select leaves --out unchanged" cmp -s keep.json patent.json
check_not "a failed select creates no --table file" test -e new_table.csv
expect_fail "a common sigma is for gaussian experts only" \
  "$MOE" fit --data "$DATA/patent.csv" --response Patents -K 2 --family poisson --common-sigma
expect_fail "no column 'exposure'" \
  "$MOE" fit --data "$DATA/patent.csv" --response Patents -K 1 --family poisson --offset exposure
expect_ok "$MOE" simulate -n 200 -K 2 --family poisson --separation 1 --seed 6 --out simp.csv
check "simulate --family poisson: y is a whole number >= 0" \
  awk -F, 'NR > 1 && ($1 < 0 || $1 != int($1)) { bad = 1 } END { exit bad }' simp.csv
expect_ok "$MOE" fit --data simp.csv --response y --x x1 --z z1 -K 2 --family poisson --starts 3

# =============================================================================
# Frequency weights: weights 0..3 fit as the rows repeated that often.
# =============================================================================
awk -F, 'NR == 1 { print $0 ",w"; next } { print $0 "," NR % 4 }' "$DATA/mcycle.csv" >mc_weighted.csv
awk -F, 'NR == 1 { print; next } { for (c = 0; c < NR % 4; c++) print }' "$DATA/mcycle.csv" >mc_repeated.csv
expect_ok "$MOE" fit "${MCYCLE[@]}" --quiet --out mc_start.json
expect_ok "$MOE" fit --data mc_weighted.csv --response accel --x times --z times -K 3 --weights w \
  --start mc_start.json --out weighted.json
check "the summary names the weights and their total" grep -q "weights w (total 200)" "$WORK/out"
expect_ok "$MOE" fit --data mc_repeated.csv --response accel --x times --z times -K 3 \
  --start mc_start.json --out repeated.json
rel_close() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-9 * (b < 0 ? -b : b)) }'; }
check "weighted and repeated rows: the same loglik" \
  rel_close "$(json_top loglik weighted.json)" "$(json_top loglik repeated.json)"
check "weighted and repeated rows: the same BIC (n = total weight)" \
  rel_close "$(json_top bic weighted.json)" "$(json_top bic repeated.json)"
check "weighted.json records the weights" test "$(json_top weights weighted.json)" = '"w"'
check_not "unweighted fits record no weights" grep -q '"weights"' repeated.json
expect_ok "$MOE" select --data mc_weighted.csv --response accel --x times --z times -K 1,2 --weights w --no-se
expect_ok "$MOE" compare --data mc_weighted.csv --response accel --x times --z times -K 2 --weights w \
  --methods em,gem --out-dir weighted_compare
check "compare's summary.json records the weights" grep -q '"total_weight": 200' weighted_compare/summary.json
awk -F, -v OFS=, 'NR == 3 { $3 = -1 } { print }' mc_weighted.csv >mc_negative.csv
# A row of weight 0 is left out, even one whose covariate would overflow exp(x·β).
{ cat "$DATA/patent.csv" | awk -F, 'NR == 1 { print $0 ",w"; next } { print $0 ",1" }'; echo "5,0.1,1e6,0"; } >patent_far.csv
expect_ok "$MOE" fit --data patent_far.csv --response Patents --x lgRD -K 1 --family poisson --weights w --out far.json
expect_ok "$MOE" fit --data "$DATA/patent.csv" --response Patents --x lgRD -K 1 --family poisson --out near.json
check "a far row of weight 0 changes nothing" rel_close "$(json_top loglik far.json)" "$(json_top loglik near.json)"
expect_fail "the weights must be finite and non-negative" \
  "$MOE" fit --data mc_negative.csv --response accel --x times -K 2 --weights w
expect_fail "no column 'weight'" "$MOE" fit --data mc_weighted.csv --response accel --x times -K 2 --weights weight
expect_fail "--weights needs --data" "$MOE" compare --simulate -K 2 --weights w --out-dir sim_weighted

# =============================================================================
# Determinism and iteration control.
# =============================================================================
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 4 --seed 11 --quiet --out det1.json
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 4 --seed 11 --quiet --out det2.json
check "fit writes timing fields (\"seconds\")" grep -q '"seconds"' det1.json
check "two fits with the same --seed are identical but for the timings" \
  cmp -s <(grep -v '"seconds"' det1.json) <(grep -v '"seconds"' det2.json)
expect_ok "$MOE" fit "${MCYCLE[@]}" --tol 0 --max-iter 7 --quiet --out iter7.json
check "--tol 0 --max-iter 7 gives \"iterations\": 7" test "$(json_top iterations iter7.json)" = 7
check "--tol 0 --max-iter 7: the trace has 8 rows" test "$(grep -c '^      "iteration": ' iter7.json)" = 8

# =============================================================================
# --device: where the kernels run.
# =============================================================================
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 4 --seed 11 --device cpu --quiet --out device_cpu.json
check "--device cpu is the default: the same fit" \
  cmp -s <(grep -v '"seconds"' det1.json) <(grep -v '"seconds"' device_cpu.json)
expect_fail "--device: nope not in {cpu,cuda}" "$MOE" fit "${MCYCLE[@]}" --device nope
# With a GPU (and a CUDA build) the same fit; otherwise one clear error line.
run "$MOE" fit "${MCYCLE[@]}" --starts 4 --seed 11 --device cuda --quiet --out device_cuda.json
if [ "$rc" -eq 0 ]; then
  check "--device cuda reaches the CPU's log-likelihood within 1e-8 (relative)" \
    awk -v a="$(json_top loglik device_cuda.json)" -v b="$(json_top loglik det1.json)" \
    'BEGIN { d = a - b; s = b; if (d < 0) d = -d; if (s < 0) s = -s; exit !(a != "" && d <= 1e-8 * s) }'
else
  expect_fail "moe::kernels_for(): " "$MOE" fit "${MCYCLE[@]}" --starts 1 --device cuda --quiet
fi

# =============================================================================
# Bad input: each fails with one clear message, never a crash.
# =============================================================================
printf 'y,a,b\n1,2,3\n2,abc,4\n3,4,5\n4,1,1\n' >nonnumeric.csv
printf 'y,a,b\n1,2,3\n2,NaN,4\n3,4,5\n4,1,1\n' >nan.csv
printf 'y,a,b\n1,2,3\n2,Inf,4\n3,4,5\n4,1,1\n' >inf.csv
printf 'y,a,b\n1,2,3\n2,,4\n3,4,5\n4,1,1\n' >emptycell.csv
printf 'y,a,b\n1,2,3\n2,3\n3,4,5\n4,1,1\n' >ragged.csv
printf 'y,a,b\n1,2,3\n2,3,4\n3,4,1\n5,1,2\n4,7,7\n' >five.csv
printf 'y,a\n' >header_only.csv
: >empty.csv
awk -F, 'NR == 1 { print $0 ",c" } NR > 1 { print $0 ",5" }' "$DATA/mcycle.csv" >constant.csv
awk -F, 'NR == 1 { print $0 ",t2" } NR > 1 { print $0 "," $1 }' "$DATA/mcycle.csv" >twin.csv

expect_fail "cannot open 'missing.csv'" "$MOE" fit --data missing.csv --response y -K 2
expect_fail "no column 'nope'" "$MOE" fit --data "$DATA/mcycle.csv" --response accel --x nope -K 2
expect_fail "no column 'nope'" "$MOE" fit --data "$DATA/mcycle.csv" --response nope -K 2
expect_fail "nonnumeric.csv:3: column 'a' has 'abc', which is not a finite number" \
  "$MOE" fit --data nonnumeric.csv --response y --x a -K 1
expect_fail "nan.csv:3: column 'a' has 'NaN', which is not a finite number" \
  "$MOE" fit --data nan.csv --response y --x a -K 1
expect_fail "inf.csv:3: column 'a' has 'Inf', which is not a finite number" \
  "$MOE" fit --data inf.csv --response y --x a -K 1
expect_fail "emptycell.csv:3: column 'a' has an empty cell" \
  "$MOE" fit --data emptycell.csv --response y --x a -K 1
expect_fail "nan.csv:3: column 'a' has 'NaN'" "$MOE" fit --data nan.csv --response a -K 1
expect_ok "$MOE" fit --data nan.csv --response y --x b -K 1 --quiet  # a bad cell in an unused column
expect_fail "ragged.csv:3: 2 cells, the header has 3" "$MOE" fit --data ragged.csv --response y -K 1
expect_fail "'header_only.csv' has no data rows" "$MOE" fit --data header_only.csv --response y -K 1
expect_fail "'empty.csv' is empty" "$MOE" fit --data empty.csv --response y -K 1
expect_fail "the response must be 0 or 1 for the binomial family" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel --x times -K 2 --family binomial
expect_fail "--experts: 0 is out of range (1 to 1000)" "$MOE" fit --data "$DATA/mcycle.csv" --response accel --x times -K 0
expect_fail "--experts: -1 is out of range" "$MOE" fit --data "$DATA/mcycle.csv" --response accel --x times -K -1
expect_fail "n = 5 rows is too few for K = 3 experts" \
  "$MOE" fit --data five.csv --response y --x a,b -K 3
expect_fail "column 'c' of the expert design is constant" \
  "$MOE" fit --data constant.csv --response accel --x times,c -K 2
expect_fail "column 'c' of the gate design is constant" \
  "$MOE" fit --data constant.csv --response accel --x times --z c -K 2
expect_fail "columns 'times' and 't2' of the expert design are identical" \
  "$MOE" fit --data twin.csv --response accel --x times,t2 -K 2
expect_fail "columns 'times' and 't2' of the gate design are identical" \
  "$MOE" fit --data twin.csv --response accel --x times --z times,t2 -K 2
awk -F, -v OFS=, 'NR > 1 { $2 = 3 } { print }' "$DATA/mcycle.csv" >flat.csv
expect_fail "the response is constant" "$MOE" fit --data flat.csv --response accel --x times -K 2
expect_fail "is a directory" "$MOE" fit --data "$DATA" --response accel -K 2
expect_fail "the expert design X has no columns" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel -K 2 --no-intercept
expect_fail "cannot write 'no/such/dir/fit.json'" \
  "$MOE" fit "${MCYCLE[@]}" --starts 1 --quiet --out no/such/dir/fit.json
"$MOE" fit "${MCYCLE[@]}" --starts 1 --out no/such/dir/fit.json >unwritable.out 2>/dev/null
check "an unwritable --out fails before the fit prints anything" test ! -s unwritable.out
# A missing response cell only drops the posterior columns of predict.
awk -F, -v OFS=, 'NR == 5 { $2 = "NA" } { print }' "$DATA/mcycle.csv" >mcycle_na.csv
"$MOE" predict --model fit.json --data mcycle_na.csv >na_pred.csv 2>na_pred.err
check "predict with an NA response still predicts" test "$(csv_rows na_pred.csv)" -eq 133
check_not "predict with an NA response leaves out the posteriors" grep -q posterior_ na_pred.csv
check "predict says why the posteriors are missing" grep -q "posterior columns are left out" na_pred.err
# Usage errors (CLI11).
expect_fail "--family: gamma not in {gaussian,binomial,poisson}" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel -K 2 --family gamma
expect_fail "--data is required" "$MOE" fit --response accel -K 2
expect_fail "A subcommand is required" "$MOE"
expect_fail "--experts: 'abc' is not a whole number" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel -K abc
expect_fail "--starts: 0 is out of range (1 to 100000)" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel -K 2 --starts 0
expect_fail "--bogus" "$MOE" predict --model fit.json --data "$DATA/mcycle.csv" --bogus
# predict with a bad model or bad data.
printf '{"K": 3, "x": [' >truncated.json
printf '{"K": 2}' >incomplete.json
sed 's/29\.29[0-9]*/-1/' fit.json >negsigma.json
awk -F, 'NR == 1 { print "accel" } NR > 1 { print $2 }' "$DATA/mcycle.csv" >accel_only.csv
expect_fail "cannot open 'missing.json'" "$MOE" predict --model missing.json --data "$DATA/mcycle.csv"
expect_fail "'truncated.json' is not valid JSON" \
  "$MOE" predict --model truncated.json --data "$DATA/mcycle.csv"
expect_fail "key 'x' not found" "$MOE" predict --model incomplete.json --data "$DATA/mcycle.csv"
if grep -q '"sigma"' negsigma.json && ! cmp -s fit.json negsigma.json; then
  expect_fail "sigma must hold K = 3 positive finite values" \
    "$MOE" predict --model negsigma.json --data "$DATA/mcycle.csv"
fi
expect_fail "no column 'times' in 'accel_only.csv'" \
  "$MOE" predict --model fit.json --data accel_only.csv
awk -F, -v OFS=, 'NR == 2 { $8 = 2 } { print }' "$DATA/pima.csv" >pima_bad_y.csv
expect_fail "the response must be 0 or 1 for the binomial family" \
  "$MOE" predict --model pima.json --data pima_bad_y.csv
# simulate.
expect_fail "--rows: 0 is out of range" "$MOE" simulate -n 0
expect_fail "--p: -1 is out of range (0 to 10000)" "$MOE" simulate --p -1
expect_fail "--sigma: 0 is not positive" "$MOE" simulate --sigma 0
expect_fail "--tol: -1 is negative" "$MOE" fit --data "$DATA/mcycle.csv" --response accel -K 2 --tol -1
expect_fail "--experts: 0 is out of range" "$MOE" simulate -K 0
expect_fail "cannot open 'missing.json'" "$MOE" simulate --model missing.json

# compare: several methods from one start.
# (one k-means start without moves, so that the rates below are those of a long run from afar)
expect_ok "$MOE" compare "${MCYCLE[@]}" --methods em,gd,mirror:0.5 --max-iter 200 --tol 1e-10 --seed 9 --out-dir cmp \
  --init kmeans --starts 1 --no-split-merge
check "compare: trace.csv header" test "$(head -n 1 cmp/trace.csv)" = \
  "method,iteration,seconds,loglik,gap,grad_norm,param_error"
for m in em gd mirror:0.5; do
  check "compare: trace.csv has rows of $m" grep -q "^$m,1," cmp/trace.csv
done
check "compare: summary.json lists the methods" grep -q '"method": "mirror:0.5"' cmp/summary.json
check "compare: the table names every method" grep -q "^mirror:0.5" "$WORK/out"
# column VALUE of METHOD's row in summary.csv, by header name
summary_value() {
  awk -F, -v m="$1" -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $1 == m { print $c[col] }' "$3"
}
for m in em mirror:0.5; do
  observed=$(summary_value "$m" linear_rate cmp/summary.csv)
  predicted=$(summary_value "$m" predicted_linear_rate cmp/summary.csv)
  check "compare: $m's predicted rate ($predicted) is within 0.05 of its observed one ($observed)" \
    awk -v a="$predicted" -v b="$observed" 'BEGIN { d = a - b; exit !(a > 0 && a < 1 && d < 0.05 && d > -0.05) }'
done
check "compare: gd (Armijo steps) has no predicted rate" test "$(summary_value gd predicted_linear_rate cmp/summary.csv)" = nan
best_step=$(json_top predicted_gradient_best_step cmp/summary.json)
check "compare: summary.json predicts the best fixed gradient step ($best_step)" \
  awk -v s="$best_step" 'BEGIN { exit !(s > 0) }'
check "compare: the table names the best fixed gradient step" grep -q "^predicted at the best fit: the best fixed gradient step, gd:" "$WORK/out"
expect_ok "$MOE" fit "${MCYCLE[@]}" --method squarem --starts 3 --tol 1e-10 --quiet --out squarem.json
check "fit --method squarem reaches EM's maximum ($(json_top loglik squarem.json))" \
  awk -v a="$(json_top loglik squarem.json)" -v b="$(json_top loglik fit.json)" 'BEGIN { d = a - b; exit !(d < 1e-4 && d > -1e-4) }'
check "compare: the plot script draws em's and mirror:0.5's predicted rates, not gd's" \
  test "$(grep -o "title '[^']*predicted'" cmp/convergence.gp | tr '\n' ' ')" = "title 'em predicted' title 'mirror:0.5 predicted' "
if command -v gnuplot >/dev/null 2>&1; then
  check "compare: convergence.png is a PNG" \
    test "$(head -c 4 cmp/convergence.png | od -An -c | tr -d ' ')" = "211PNG"
fi
expect_ok "$MOE" compare --simulate -n 1000 -K 2 --methods em,mirror:1 --tol 0 --max-iter 10 \
  --seed 2 --out-dir cmp2
check "compare: mirror:1 has EM's log-likelihoods" test \
  "$(awk -F, '$1 == "em" { print $2, $4 }' cmp2/trace.csv)" = \
  "$(awk -F, '$1 == "mirror:1" { print $2, $4 }' cmp2/trace.csv)"
check "compare --simulate: finite parameter errors" \
  awk -F, 'NR > 1 { if ($7 == "nan" || $7 == "") bad = 1 } END { exit bad }' cmp2/trace.csv
check "compare --simulate: the truth's SNR in summary.json" grep -q '"truth_snr"' cmp2/summary.json
expect_fail "unknown method 'newton'" "$MOE" compare "${MCYCLE[@]}" --methods em,newton --out-dir cmp3
expect_fail "use either --data or --simulate" "$MOE" compare "${MCYCLE[@]}" --simulate --out-dir cmp3
expect_fail "--methods lists no method" "$MOE" compare "${MCYCLE[@]}" --methods "" --out-dir cmp3
expect_fail "--truth is a model of 3 gaussian experts" "$MOE" compare --simulate -K 5 --truth fit.json --out-dir cmp3
expect_fail "--separation: 'nan' is not a finite number" "$MOE" simulate -n 3 --separation nan
expect_fail "'-5' is not a whole number from 0 to" "$MOE" simulate -n 3 --seed -5
expect_fail "excludes --experts" "$MOE" simulate -n 3 --model fit.json -K 5
expect_fail "is not a whole number from 0 to" "$MOE" fit "${MCYCLE[@]}" --seed 99999999999999999999999
expect_fail "--gate-scale: 'inf' is not a finite number" "$MOE" simulate -n 3 --gate-scale inf
expect_fail "the step η must be in (0, 1]" "$MOE" fit "${MCYCLE[@]}" --method mirror:2
expect_fail "'x' in 'gd:x' is not a number" "$MOE" fit "${MCYCLE[@]}" --method gd:x
# fit from given parameters (--start).
expect_ok "$MOE" fit "${MCYCLE[@]}" --start fit.json --tol 1e-12 --quiet --out restart.json
check "fit --start continues from the saved fit: loglik does not fall" \
  num_gt "$(json_top loglik restart.json)" "$(awk -v l="$(json_top loglik fit.json)" 'BEGIN { printf "%.17g", l - 1e-9 }')"
check "fit --start runs one start" test "$(json_top starts restart.json)" = 1
expect_fail "has other covariates than --x/--z" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel --x times -K 3 --start fit.json
expect_fail "has another K or family" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel --x times --z times -K 2 --start fit.json
# fit with other methods, and standard errors.
expect_ok "$MOE" fit "${MCYCLE[@]}" --method gd --starts 1 --max-iter 50 --quiet --out gd.json
check "fit --method gd records the method" grep -q '"method": "gd"' gd.json
check "fit writes standard errors" grep -q '"se": {' fit.json
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 1 --no-se --quiet --out nose.json
check_not "fit --no-se writes no standard errors" grep -q '"se": {' nose.json
# Predicted rates: EM's, from the fraction of missing information, against the rate it showed.
check "fit.json has local_rates.em" json_has_nested local_rates em fit.json
em_predicted=$(awk '/^  "local_rates": [{]/ { inside = 1 } inside && $1 == "\"em\":" { v = $2; sub(/,$/, "", v); print v; exit }' fit.json)
em_observed=$(json_top linear_rate fit.json)
check "fit: EM's predicted rate ($em_predicted) is within 0.05 of its observed one ($em_observed)" \
  awk -v a="$em_predicted" -v b="$em_observed" 'BEGIN { d = a - b; exit !(a > 0 && a < 1 && d < 0.05 && d > -0.05) }'
check_not "fit --no-se writes no predicted rates" grep -q '"local_rates"' nose.json

# nn-train / nn-eval on Fashion-MNIST (Debian's dataset-fashion-mnist).
FASHION=/usr/share/datasets/fashion-mnist
if [ -f "$FASHION/t10k-labels-idx1-ubyte.gz" ]; then
  NN=(nn-train --data fashion-mnist --train-size 600 --test-size 300 --experts 4 --k 2 --expert-size 8
      --width 16 --layers 1 --epochs 2 --batch-size 50)
  expect_ok "$MOE" "${NN[@]}" --router sigma --out nn.json --save nn.bin
  check "nn-train prints one progress line per epoch" test "$(grep -c '^epoch [12]/2  train_loss ' out)" = 2
  check "nn-train log: two epochs with test accuracy" test "$(grep -c '"test_accuracy"' nn.json)" = 2
  check "nn-train log: expert usage and seconds" grep -q '"expert_usage"' nn.json
  check "nn-train log: tokens per expert, none dropped" grep -q '"dropped_tokens": 0' nn.json
  check "nn-train learns: test accuracy above chance" \
    awk '/"test_accuracy"/ { v = $2 } END { exit !(v + 0 > 0.4) }' nn.json
  expect_ok "$MOE" "${NN[@]}" --router sigma --quiet --out nn2.json
  check "nn-train is deterministic (same seed, same log apart from times)" \
    cmp -s <(grep -v seconds nn.json) <(grep -v seconds nn2.json)
  expect_ok "$MOE" "${NN[@]}" --router dense --quiet --out dense.json
  check "nn-train --router dense has no expert usage" grep -q '"expert_usage": \[\]' dense.json
  expect_ok "$MOE" "${NN[@]}" --router softmax --balance 0.01 --expert-dropout 0.1 --quiet
  expect_ok "$MOE" nn-eval -c nn.bin --data fashion-mnist --test-size 300 --out eval.json
  check "nn-eval reproduces the last epoch's test accuracy" test \
    "$(awk '/"test_accuracy"/ { v = $2 } END { sub(/,$/, "", v); print v }' nn.json)" = \
    "$(awk '/"test_accuracy"/ { v = $2; sub(/,$/, "", v); print v }' eval.json)"
  check "nn-eval reports the calibration error" grep -q '"ece"' eval.json
  expect_ok "$MOE" "${NN[@]}" --router sigma --precision fp32 --quiet --out fp32.json --save fp32.bin
  check "nn-train --precision fp32 is recorded" grep -q '"precision": "fp32"' fp32.json
  check "nn-train fp32 learns like fp64 (test accuracies within 0.05)" awk \
    -v a="$(awk '/"test_accuracy"/ { v = $2 } END { print v + 0 }' nn.json)" \
    -v b="$(awk '/"test_accuracy"/ { v = $2 } END { print v + 0 }' fp32.json)" 'BEGIN { d = a - b; exit !(d < 0.05 && d > -0.05) }'
  expect_ok "$MOE" nn-eval -c fp32.bin -c nn.bin --data fashion-mnist --test-size 300
  # The seed methods: SimSMoE, E3 ensembles, SCMoE, deep ensembles.
  expect_ok "$MOE" "${NN[@]}" --router sigma --simsmoe 0.5 --simsmoe-threshold 0 --quiet --out sim.json
  check "nn-train --simsmoe logs a collapse score per epoch" test "$(grep -c '"collapse"' sim.json)" = 2
  check "nn-train --simsmoe adds its penalty to the auxiliary loss" \
    awk '/"auxiliary_loss"/ { v = $2 } END { exit !(v + 0 > 0) }' sim.json
  expect_ok "$MOE" "${NN[@]}" --router sigma --simsmoe 0.5 --simsmoe-kernel rbf --quiet
  expect_ok "$MOE" "${NN[@]}" --router sigma --ensemble 2 --quiet --out e3.json --save e3.bin
  check "nn-train --ensemble 2 counts each member's FLOPs after the input projection" \
    awk -v one="$(first_value flops_per_example nn.json)" -v two="$(first_value flops_per_example e3.json)" \
    'BEGIN { input = 2 * 784 * 16; exit !(two - input == 2 * (one - input)) }'
  expect_fail "must split into equal groups" "$MOE" "${NN[@]}" --ensemble 3
  expect_ok "$MOE" nn-eval -c nn.bin --data fashion-mnist --test-size 300 --scmoe --scmoe-beta 0 --out sc0.json
  check "SCMoE with beta 0 has the accuracy of plain top-2 inference" test \
    "$(awk '/"accuracy"/ && !/strong/ { v = $2 } END { print v }' sc0.json | tr -d ,)" = \
    "$(awk '/"strong_accuracy"/ { v = $2 } END { print v }' sc0.json | tr -d ,)"
  expect_ok "$MOE" nn-eval -c nn.bin --data fashion-mnist --test-size 300 --scmoe --scmoe-rank 3 --out sc.json
  check "nn-eval --scmoe reports the latency ratio" grep -q '"latency_ratio"' sc.json
  expect_fail "exceeds the number of experts per member" \
    "$MOE" nn-eval -c nn.bin --data fashion-mnist --test-size 300 --scmoe --scmoe-rank 5
  expect_fail "--scmoe evaluates one network" "$MOE" nn-eval -c nn.bin -c e3.bin --data fashion-mnist --scmoe
  expect_ok "$MOE" nn-eval -c nn.bin -c e3.bin --data fashion-mnist --test-size 300 --out ens.json
  check "nn-eval of two networks adds their FLOPs" awk -v a="$(first_value flops_per_example nn.json)" \
    -v b="$(first_value flops_per_example e3.json)" -v c="$(first_value flops_per_example ens.json)" \
    'BEGIN { exit !(a + b == c) }'
  expect_fail "k = 5 must be between 1 and the number of experts (4)" \
    "$MOE" nn-train --data fashion-mnist --train-size 100 --experts 4 --k 5
  expect_fail "mnist not in {fashion-mnist,austen}" "$MOE" nn-train --data mnist
  expect_fail "test size 20000 exceeds the 10000 examples available" \
    "$MOE" nn-train --data fashion-mnist --train-size 100 --test-size 20000
  expect_fail "cannot open '/nonexistent/train-images-idx3-ubyte.gz'" "$MOE" "${NN[@]}" --data-dir /nonexistent
  expect_fail "is not a moe network checkpoint" "$MOE" nn-eval -c nn.json --data fashion-mnist
  expect_fail "cannot read 'missing.bin'" "$MOE" nn-eval -c missing.bin --data fashion-mnist
  expect_fail "device" "$MOE" "${NN[@]}" --device tpu
  expect_fail "cannot write" "$MOE" "${NN[@]}" --out /nonexistent/log.json
fi

# nn-train on a CSV file: the Pima data, diabetes as the class.
PIMA_NN=(--data "$DATA/pima.csv" --label diabetes --features npreg,glu,bp,skin,bmi,ped,age)
expect_ok "$MOE" nn-train "${PIMA_NN[@]}" --experts 4 --k 2 --expert-size 16 --width 32 --layers 1 --epochs 30 \
  --batch-size 32 --quiet --out pima_nn.json --save pima_nn.bin
check "nn-train on pima.csv beats the majority class (0.67) on held-out rows" \
  awk '/"test_accuracy"/ { v = $2 } END { exit !(v + 0 > 0.7) }' pima_nn.json
expect_ok "$MOE" nn-eval -c pima_nn.bin "${PIMA_NN[@]}" --out pima_eval.json
expect_fail "was trained with split_seed 1, not 2" "$MOE" nn-eval -c pima_nn.bin "${PIMA_NN[@]}" --split-seed 2
check "nn-eval on the same CSV split reproduces the accuracy" test \
  "$(awk '/"test_accuracy"/ { v = $2 } END { sub(/,$/, "", v); print v }' pima_nn.json)" = \
  "$(awk '/"test_accuracy"/ { v = $2; sub(/,$/, "", v); print v }' pima_eval.json)"
expect_fail "name its class column with --label" "$MOE" nn-train --data "$DATA/pima.csv"
expect_fail "is not a whole number" "$MOE" nn-train --data "$DATA/pima.csv" --label bmi
expect_fail "the label column 'diabetes' cannot also be a feature" "$MOE" nn-train --data "$DATA/pima.csv" \
  --label diabetes --features glu,diabetes
expect_fail "training diverged in epoch 1" "$MOE" nn-train --data "$DATA/pima.csv" --label diabetes --epochs 2 \
  -E 4 --k 2 --expert-size 4 --width 8 --layers 1 --batch-size 32 --lr 1e4 --precision fp32
expect_fail "not a .csv file" "$MOE" nn-train --data "$DATA/README.md" --label x

# the fit's JSON names the parameters of its covariance matrix
check "fit.json: the covariance's parameter names" grep -q '"gate.expert1:times"' fit.json
check "fit.json: the covariance matrix" grep -q '"covariance"' fit.json

# select: the number of experts by BIC, AIC or ICL.
SELECT=(select --data "$DATA/mcycle.csv" --response accel --x times --z times)
expect_ok "$MOE" "${SELECT[@]}" -K 1,2,3,4 --table select.csv --out chosen.json
check "select: one table row per K" test "$(awk 'END { print NR }' select.csv)" = 5
check "select: exactly one K chosen, the one of smallest BIC" awk -F, '
  NR > 1 { if (best == "" || $5 < best) { best = $5; k = $1 } if ($8 == 1) { chosen = $1; n++ } }
  END { exit !(n == 1 && chosen == k) }' select.csv
check "select: the printed table marks it" grep -q "<- smallest bic" "$WORK/out"
check "select: ICL >= BIC, equal for K = 1" awk -F, '
  NR > 1 { if ($6 < $5 - 1e-9) bad = 1 } NR == 2 { if ($6 != $5) bad = 1 } END { exit bad }' select.csv
chosen_K=$(awk -F, '$8 == 1 { print $1 }' select.csv)
check "select: --out holds the chosen fit" grep -q "\"K\": $chosen_K," chosen.json
expect_ok "$MOE" predict --model chosen.json --data "$DATA/mcycle.csv"
expect_ok "$MOE" "${SELECT[@]}" -K 2,1 --criterion icl --starts 2 --table - -q
check "select --table -: CSV on standard output" test "$(head -n 1 "$WORK/out")" = "K,loglik,df,aic,bic,icl,iterations,chosen"
expect_fail "K = 2 is listed twice" "$MOE" "${SELECT[@]}" -K 2,3,2
expect_fail "--experts: 0 is out of range" "$MOE" "${SELECT[@]}" -K 0,2
expect_fail "--criterion" "$MOE" "${SELECT[@]}" --criterion BIC
expect_fail "too few for K = 200 experts" "$MOE" "${SELECT[@]}" -K 1,200 -q
expect_fail "cannot write '/nonexistent/select.csv'" "$MOE" "${SELECT[@]}" -K 1,2 -q --table /nonexistent/select.csv

# The character-level language model on Jane Austen's novels (datasets/austen).
AUSTEN=(nn-train --data austen --context 8 --train-size 3000 --test-size 500
        --experts 4 --k 2 --expert-size 8 --width 16 --layers 1 --epochs 1)
expect_ok "$MOE" "${AUSTEN[@]}" --data-dir "$DATA/austen" --out lm.json --save lm.bin
check "austen: bits per character in the log" grep -q '"test_nll_bits"' lm.json
expect_ok "$MOE" nn-eval -c lm.bin --data austen --data-dir "$DATA/austen" --context 8 --test-size 500 --scmoe
expect_fail "takes 656 inputs" "$MOE" nn-eval -c lm.bin --data austen --data-dir "$DATA/austen" --context 4
expect_fail "cannot open '/nonexistent/sense_and_sensibility.txt.gz'" "$MOE" "${AUSTEN[@]}" --data-dir /nonexistent
mkdir -p austen_cut && cp "$DATA"/austen/*.gz austen_cut/
head -c 20000 "$DATA/austen/emma.txt.gz" >austen_cut/emma.txt.gz
expect_fail "'austen_cut/emma.txt.gz' is not a complete gzip file" "$MOE" "${AUSTEN[@]}" --data-dir austen_cut

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
