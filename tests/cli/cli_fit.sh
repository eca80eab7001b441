#!/usr/bin/env bash
# End-to-end tests of the command line, part fit: fit on mcycle, its JSON and summary, the search, weights, determinism, --device.
#   usage: cli_fit.sh MOE_BINARY REPOSITORY_ROOT   (see lib.sh)
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# =============================================================================
# End to end on mcycle: fit, the JSON it writes, the summary.
# =============================================================================
fixture_mcycle_fit
check "fit.json was written" test -s fit.json
for key in format_version loglik aic bic icl boundary_warning iterations converged stop_reason family K experts gate trace; do
  check "fit.json has the top-level key '$key'" grep -q "^  \"$key\": " fit.json
done
check "fit.json has experts.coef" json_has_nested experts coef fit.json
check "fit.json has experts.sigma" json_has_nested experts sigma fit.json
check "fit.json has gate.coef" json_has_nested gate coef fit.json
loglik=$(json_top loglik fit.json)
check "mcycle loglik '$loglik' is a finite number" is_number "$loglik"
check "mcycle loglik $loglik > -600 (optimum about -580.5)" num_gt "$loglik" -600
check "mcycle loglik $loglik < 0" num_gt 0 "$loglik"
for key in aic bic icl; do
  value=$(json_top $key fit.json)
  check "mcycle $key '$value' is a finite number" is_number "$value"
done
check "mcycle: ICL >= BIC" num_gt "$(awk -v v="$(json_top icl fit.json)" 'BEGIN { printf "%.17g", v + 1e-9 }')" \
  "$(json_top bic fit.json)"
check "fit.json: boundary_warning is a string" grep -Eq '^  "boundary_warning": ".*",?$' fit.json
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
expect_fail "--finalists: -1 is out of range" "$MOE" fit "${MCYCLE[@]}" --finalists -1
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 6 --threads 1 --no-se --quiet --out threads1.json
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 6 --threads 2 --no-se --quiet --out threads2.json
check "the fit does not depend on --threads (all but the timings)" \
  cmp -s <(grep -v '"seconds"' threads1.json) <(grep -v '"seconds"' threads2.json)
expect_ok "$MOE" fit "${MCYCLE[@]}" --starts 1 --no-split-merge --no-se --quiet --out no_moves.json
check "--no-split-merge tries no move" grep -q '"moves_tried": 0' no_moves.json
check_not "the fit summary has no NaN or Inf" grep -qiw -e nan -e inf "$WORK/out"


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

# =============================================================================
# boot: bootstrap standard errors and percentile intervals of a fit.
# =============================================================================
BOOT=(--data "$DATA/mcycle.csv" --response accel --x times -K 2 --starts 4 --seed 3 -B 30)
expect_ok "$MOE" boot "${BOOT[@]}" --threads 1 --out boot1.json --replicates-out reps1.csv
check "boot prints the table with both standard errors" grep -q "se (info.)  *se (boot.)" out
check "boot --replicates-out: 30 rows, finite" test "$(csv_rows reps1.csv)" = 30
check "boot --replicates-out: every cell finite" csv_all_finite reps1.csv
check "boot --replicates-out: one column per parameter and loglik" \
  test "$(head -n 1 reps1.csv)" = "gate.expert1:(Intercept),expert1:(Intercept),expert1:times,expert2:(Intercept),expert2:times,sigma.expert1,sigma.expert2,loglik"
expect_ok "$MOE" boot "${BOOT[@]}" --threads 2 --quiet --out boot2.json --replicates-out reps2.csv
check "boot: the same replicates for a seed on 1 and 2 threads" cmp -s reps1.csv reps2.csv
check "boot: the same JSON for a seed on 1 and 2 threads" cmp -s boot1.json boot2.json
check "boot --out: the type and the replicates" \
  test "$(json_top type boot1.json)/$(json_top replicates boot1.json)" = '"nonparametric"/30'
check "boot --out: a bootstrap standard error is a finite number" is_number "$(first_value se_bootstrap boot1.json)"
expect_ok "$MOE" boot "${BOOT[@]}" --type parametric --level 0.9 --quiet --replicates-out reps3.csv
check_not "boot --type parametric draws other replicates" cmp -s reps1.csv reps3.csv
awk -F, 'NR == 1 { print $0 ",w"; next } { print $0 "," (NR % 3 == 0 ? 1.5 : 1) }' "$DATA/mcycle.csv" >mc_fractional.csv
expect_fail "weights must be whole numbers" "$MOE" boot --data mc_fractional.csv --response accel --x times -K 2 --weights w -B 5
expect_ok "$MOE" boot --data mc_fractional.csv --response accel --x times -K 2 --weights w -B 5 --type parametric --quiet
expect_fail "--type: jackknife not in" "$MOE" boot "${BOOT[@]}" --type jackknife
expect_fail "--replicates" "$MOE" boot "${BOOT[@]}" -B 0
expect_fail "--level" "$MOE" boot "${BOOT[@]}" --level 1.5

finish
