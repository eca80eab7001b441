#!/usr/bin/env bash
# End-to-end tests of the command line, part compare: compare, --start, the other methods, standard errors, predicted rates, select.
#   usage: cli_compare.sh MOE_BINARY REPOSITORY_ROOT   (see lib.sh)
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

fixture_mcycle_fit

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
expect_fail "has other covariates or groups than --x/--x-fixed/--z/--group" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel --x times -K 3 --start fit.json
expect_fail "has another K or family" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel --x times --z times -K 2 --start fit.json
# fit with other methods, and standard errors.
expect_ok "$MOE" fit "${MCYCLE[@]}" --method gd --starts 1 --max-iter 50 --quiet --out gd.json
check "fit --method gd records the method" grep -q '"method": "gd"' gd.json
check "fit writes standard errors" grep -q '"se": {' fit.json
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 1 --no-se --quiet --out nose.json
check_not "fit --no-se writes no standard errors" grep -q '"se": {' nose.json
# Predicted rates: EM's, from the fraction of missing information, against the rate it showed
# on a long run from afar (as compare's above: the search's returned run can start near its
# maximum, as a move's run does: 9 iterations on fit.json, too short to show the asymptotic rate).
expect_ok "$MOE" fit "${MCYCLE[@]}" --tol 1e-10 --seed 9 --init kmeans --starts 1 --no-split-merge --quiet --out rates.json
check "rates.json is a finite maximum (no boundary warning)" grep -q '"boundary_warning": ""' rates.json
check "rates.json has local_rates.em" json_has_nested local_rates em rates.json
em_predicted=$(awk '/^  "local_rates": [{]/ { inside = 1 } inside && $1 == "\"em\":" { v = $2; sub(/,$/, "", v); print v; exit }' rates.json)
em_observed=$(json_top linear_rate rates.json)
check "fit: EM's predicted rate ($em_predicted) is within 0.05 of its observed one ($em_observed)" \
  awk -v a="$em_predicted" -v b="$em_observed" 'BEGIN { d = a - b; exit !(a > 0 && a < 1 && d < 0.05 && d > -0.05) }'
check_not "fit --no-se writes no predicted rates" grep -q '"local_rates"' nose.json

# the fit's JSON names the parameters of its covariance matrix
check "rates.json: the covariance's parameter names" grep -q '"gate.expert1:times"' rates.json
check "rates.json: the covariance matrix" grep -q '"covariance"' rates.json
# The search's best on mcycle (K = 3, gate on the times) is a supremum: the gate separates an
# expert's rows (RESULTS 10d). At such a boundary neither standard errors nor rates are given.
check "fit.json: the search's best is at the gate's separation" grep -q '"boundary_warning": "the gate splits the experts' fit.json
check "fit.json: no covariance at a boundary" test "$(grep -c '"covariance"' fit.json)" = 0
check "fit.json: standard errors and rates say why not" \
  test "$(grep -c '"note": "the fit is at a boundary of the parameter space' fit.json)" = 2
# --prefer-finite: the best fit found away from such a boundary, lower, and a warning that says so.
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 10 --prefer-finite --quiet --out finite.json
check "--prefer-finite: no boundary warning" grep -q '"boundary_warning": ""' finite.json
check "--prefer-finite: below the supremum" num_gt "$(json_top loglik fit.json)" "$(json_top loglik finite.json)"
check "--prefer-finite: the search says which it returned" grep -q '"prefer_finite: the best fit found (' finite.json
check "--prefer-finite is recorded" grep -q '"prefer_finite": true' finite.json

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
check "select: --out holds the chosen fit's predicted rates (or why not), as fit does" json_has_nested local_rates valid chosen.json
expect_ok "$MOE" predict --model chosen.json --data "$DATA/mcycle.csv"
expect_ok "$MOE" "${SELECT[@]}" -K 2,1 --criterion icl --starts 2 --table - -q
check "select --table -: CSV on standard output" test "$(head -n 1 "$WORK/out")" = "K,loglik,df,aic,bic,icl,iterations,chosen"
expect_fail "K = 2 is listed twice" "$MOE" "${SELECT[@]}" -K 2,3,2
expect_fail "--experts: 0 is out of range" "$MOE" "${SELECT[@]}" -K 0,2
expect_fail "--criterion" "$MOE" "${SELECT[@]}" --criterion BIC
expect_fail "too few for K = 200 experts" "$MOE" "${SELECT[@]}" -K 1,200 -q
expect_fail "cannot write '/nonexistent/select.csv'" "$MOE" "${SELECT[@]}" -K 1,2 -q --table /nonexistent/select.csv

finish
