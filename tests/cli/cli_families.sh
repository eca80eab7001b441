#!/usr/bin/env bash
# End-to-end tests of the command line, part families: logistic and Poisson experts, simulate and refit.
#   usage: cli_families.sh MOE_BINARY REPOSITORY_ROOT   (see lib.sh)
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# =============================================================================
# Binomial experts on pima.
# =============================================================================
fixture_pima_fit
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
expect_fail "a common sigma is for gaussian and t experts only" \
  "$MOE" fit --data "$DATA/patent.csv" --response Patents -K 2 --family poisson --common-sigma
expect_fail "no column 'exposure'" \
  "$MOE" fit --data "$DATA/patent.csv" --response Patents -K 1 --family poisson --offset exposure
expect_ok "$MOE" simulate -n 200 -K 2 --family poisson --separation 1 --seed 6 --out simp.csv
check "simulate --family poisson: y is a whole number >= 0" \
  awk -F, 'NR > 1 && ($1 < 0 || $1 != int($1)) { bad = 1 } END { exit bad }' simp.csv
expect_ok "$MOE" fit --data simp.csv --response y --x x1 --z z1 -K 2 --family poisson --starts 3

# =============================================================================
# Binomial experts with trials: successes out of m, as glm's cbind(s, f).
# =============================================================================
expect_ok "$MOE" simulate -n 400 -K 2 --family binomial --trials 12 --seed 8 --out simt.csv --truth trials_truth.json
check "simulate --trials: header y,x1,z1,m" test "$(head -n 1 simt.csv)" = "y,x1,z1,m"
check "simulate --trials: 0 <= y <= m" \
  awk -F, 'NR > 1 && ($1 < 0 || $1 > $4 || $1 != int($1)) { bad = 1 } END { exit bad }' simt.csv
expect_ok "$MOE" fit --data simt.csv --response y --x x1 --z z1 --trials m -K 2 --family binomial --out trials.json
check "trials.json names the trials column" test "$(json_top trials trials.json)" = '"m"'
expect_ok "$MOE" predict --model trials.json --data simt.csv -q 0.05,0.95 --out trials_pred.csv
check "trials predict: all cells finite" csv_all_finite trials_pred.csv
check "trials predict: pit in [0, 1]" csv_column_in trials_pred.csv pit 0 1
check "trials predict: q0.95 in [0, 12]" csv_column_in trials_pred.csv q0.95 0 12
awk -F, 'NR == 1 { print; next } NR == 2 { $1 = $4 + 1 } { print }' OFS=, simt.csv >too_many.csv
expect_fail "the successes must be whole numbers from 0 to the trials (row 1" \
  "$MOE" fit --data too_many.csv --response y --x x1 --trials m -K 2 --family binomial
expect_fail "trials are for the binomial family only" \
  "$MOE" fit --data simt.csv --response y --x x1 --trials m -K 2 --family poisson
expect_fail "--trials needs a binomial model with a trials column" \
  "$MOE" simulate --model pima.json -n 10 --trials 3

# Coefficients shared by all experts (--x-fixed, flexmix's FLXMRglmfix fixed).
expert_column() {  # expert_column FILE J: field J of every expert's coefficient column, one per line
  json_columns experts "$1" | awk -v j="$2" '{ print $j }'
}
expect_ok "$MOE" fit --data "$DATA/patent.csv" --response Patents --x lgRD --x-fixed RDS -K 2 --family poisson \
  --seed 3 --out fixed.json
check "--x-fixed: the model file names x_fixed" grep -q '"x_fixed": \[' fixed.json
check "--x-fixed: the fixed row is one value in every expert" test "$(expert_column fixed.json 3 | sort -u | wc -l)" = 1
check "--x-fixed: its own rows differ between experts" test "$(expert_column fixed.json 2 | sort -u | wc -l)" = 2
check "--x-fixed: df counts the shared coefficient once (2 + 2 + 1 + 1)" test "$(json_top df fixed.json)" = 6
expect_ok "$MOE" fit --data "$DATA/patent.csv" --response Patents --x lgRD,RDS -K 2 --family poisson --seed 3 \
  --out varying.json
check "--x-fixed: the restricted fit is at most the unrestricted one" \
  num_gt "$(json_top loglik varying.json)" "$(json_top loglik fixed.json)"
expect_ok "$MOE" fit --data "$DATA/patent.csv" --response Patents --x lgRD --x-fixed RDS -K 2 --family poisson \
  --start fixed.json --out fixed_again.json
check "--x-fixed --start: the fit's own maximum again" \
  awk -v a="$(json_top loglik fixed.json)" -v b="$(json_top loglik fixed_again.json)" \
  'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 1e-6) }'
expect_ok "$MOE" predict --model fixed.json --data "$DATA/patent.csv" --out fixed_pred.csv
check "--x-fixed predict: all cells finite" csv_all_finite fixed_pred.csv
expect_ok "$MOE" simulate --model fixed.json -n 50 --seed 2 --out fixed_sim.csv
check "--x-fixed simulate: draws the fixed covariate too" test "$(head -n 1 fixed_sim.csv)" = "Patents,lgRD,RDS"
expect_fail "'RDS' is both an expert covariate of its own (x) and a fixed one (x_fixed)" \
  "$MOE" fit --data "$DATA/patent.csv" --response Patents --x lgRD,RDS --x-fixed RDS -K 2 --family poisson
expect_fail "has other covariates or groups than --x/--x-fixed/--z/--group" \
  "$MOE" fit --data "$DATA/patent.csv" --response Patents --x lgRD,RDS -K 2 --family poisson --start fixed.json
expect_fail "leave at least one (such as the intercept) to each expert's own coefficients" \
  "$MOE" fit --data "$DATA/patent.csv" --response Patents --x-fixed lgRD --z RDS --no-intercept -K 2 --family poisson

# Grouped rows (--group): NPreg's id2 gives 50 groups of 4 rows, each group one expert.
expect_ok "$MOE" fit --data "$DATA/NPreg.csv" --response yn --x x --group id2 -K 2 --seed 4 --out grouped.json
check "--group: the model file names the group column" test "$(json_top group grouped.json)" = '"id2"'
check "--group: 50 groups" test "$(json_top n_groups grouped.json)" = 50
check "--group: BIC's n is the 200 rows" test "$(json_top n grouped.json)" = 200
expect_ok "$MOE" predict --model grouped.json --data "$DATA/NPreg.csv" --out grouped_pred.csv
check "--group predict: a group's rows share their posterior" \
  awk -F, 'NR == 1 { for (j = 1; j <= NF; j++) if ($j == "posterior_1") c = j; next }
           { g = int((NR - 2) / 4); if (g in seen && seen[g] != $c) bad = 1; seen[g] = $c }
           END { exit bad || c == 0 }' grouped_pred.csv
expect_ok "$MOE" simulate --model grouped.json -n 40 --group-size 5 --seed 3 --out grouped_sim.csv
check "--group simulate: the group column comes last, 8 groups of 5" \
  awk -F, 'NR == 1 { ok = $NF == "id2"; next } { if ($NF != int((NR - 2) / 5) + 1) ok = 0 } END { exit !ok }' grouped_sim.csv
expect_fail "the gate's covariates vary within group '1' (rows 1 and 2)" \
  "$MOE" fit --data "$DATA/NPreg.csv" --response yn --x x --z x --group id2 -K 2
expect_fail "frequency weights and groups together are not supported" \
  "$MOE" fit --data "$DATA/NPreg.csv" --response yn --x x --group id2 --weights class -K 2
expect_fail "has other covariates or groups than" \
  "$MOE" fit --data "$DATA/NPreg.csv" --response yn --x x -K 2 --start grouped.json
expect_fail "--group-size needs a model with a group column" \
  "$MOE" simulate --model fixed.json -n 10 --group-size 2

# =============================================================================
# Negative binomial experts (NB2): counts with a size theta per expert.
# =============================================================================
expect_ok "$MOE" simulate -n 1500 -K 2 --family negbin --theta 3 --separation 1 --seed 9 --out simnb.csv \
  --truth negbin_truth.json
check "simulate --family negbin: y is a whole number >= 0" \
  awk -F, 'NR > 1 && ($1 < 0 || $1 != int($1)) { bad = 1 } END { exit bad }' simnb.csv
check "negbin_truth.json has experts.theta" json_has_nested experts theta negbin_truth.json
expect_ok "$MOE" fit --data simnb.csv --response y --x x1 --z z1 -K 2 --family negbin --out negbin.json
check "negbin.json: family is negbin" test "$(json_top family negbin.json)" = '"negbin"'
check "negbin.json has experts.theta" json_has_nested experts theta negbin.json
check "negbin.json has se.theta" json_has_nested se theta negbin.json
check "negbin fit recovers the simulated experts within 0.3" recovers negbin.json negbin_truth.json 0.3
check "the summary prints the sizes" grep -q "^theta" "$WORK/out"
expect_ok "$MOE" predict --model negbin.json --data simnb.csv -q 0.1,0.9 --out negbin_pred.csv
check "negbin predict: all cells finite" csv_all_finite negbin_pred.csv
check "negbin predict: pit in [0, 1]" csv_column_in negbin_pred.csv pit 0 1
expect_ok "$MOE" compare --data simnb.csv --response y --x x1 --z z1 -K 2 --family negbin --methods em,squarem,gd \
  --out-dir compare_nb
expect_fail "do not determine a negbin expert's theta" \
  "$MOE" compare --data simnb.csv --response y --x x1 --z z1 -K 2 --family negbin --methods em,mirror:0.5 \
  --out-dir compare_nb2
expect_fail "for the negbin family" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel --x times -K 2 --family negbin
expect_fail "trials are for the binomial family only" \
  "$MOE" fit --data simt.csv --response y --x x1 --trials m -K 2 --family negbin

# =============================================================================
# Gamma experts (log link): positive responses with a shape per expert.
# =============================================================================
expect_ok "$MOE" simulate -n 1500 -K 2 --family gamma --shape 6 --separation 1 --seed 10 --out simg.csv \
  --truth gamma_truth.json
check "simulate --family gamma: y > 0" awk -F, 'NR > 1 && $1 <= 0 { bad = 1 } END { exit bad }' simg.csv
expect_ok "$MOE" fit --data simg.csv --response y --x x1 --z z1 -K 2 --family gamma --out gamma.json
check "gamma.json: family is gamma" test "$(json_top family gamma.json)" = '"gamma"'
check "gamma.json has experts.shape" json_has_nested experts shape gamma.json
check "gamma.json has se.shape" json_has_nested se shape gamma.json
check "gamma fit recovers the simulated experts within 0.2" recovers gamma.json gamma_truth.json 0.2
check "the summary prints the shapes" grep -q "^shape" "$WORK/out"
expect_ok "$MOE" predict --model gamma.json --data simg.csv -q 0.1,0.9 --out gamma_pred.csv
check "gamma predict: all cells finite" csv_all_finite gamma_pred.csv
check "gamma predict: q0.1 > 0" csv_column_in gamma_pred.csv q0.1 1e-300 1e300
awk -F, 'NR == 3 { $1 = 0 } { print }' OFS=, simg.csv >zero_gamma.csv
expect_fail "the response must be positive for the gamma family" \
  "$MOE" fit --data zero_gamma.csv --response y --x x1 -K 2 --family gamma

# =============================================================================
# Point-mass experts: a Poisson expert and a point mass at 0 (zero inflation).
# =============================================================================
expect_ok "$MOE" simulate -n 2000 -K 2 --family poisson --point-mass 0 --separation 0.6 --seed 11 --out simzip.csv \
  --truth zip_truth.json
check "zip_truth.json: point_mass 0" test "$(json_top point_mass zip_truth.json)" = 0.0
check "simulate --point-mass 0: more zeros than a Poisson's" \
  awk -F, 'NR > 1 { n++; z += ($1 == 0) } END { exit !(z / n > 0.2) }' simzip.csv
expect_ok "$MOE" fit --data simzip.csv --response y --x x1 --z z1 -K 2 --family poisson --point-mass 0 --out zip.json
check "zip.json: point_mass 0" test "$(json_top point_mass zip.json)" = 0.0
check "zip.json: df 4 (the point mass has no parameters)" test "$(json_top df zip.json)" = 4
check "zip fit recovers the simulated model within 0.2" recovers zip.json zip_truth.json 0.2
check "the summary names the point mass" grep -q "the last a point mass at 0" "$WORK/out"
expect_ok "$MOE" predict --model zip.json --data simzip.csv -q 0.5 --out zip_pred.csv
check "zip predict: expert_2 is 0" csv_column_in zip_pred.csv expert_2 0 0
check "zip predict: pit in [0, 1]" csv_column_in zip_pred.csv pit 0 1
expect_ok "$MOE" compare --data simzip.csv --response y --x x1 --z z1 -K 2 --family poisson --point-mass 0 \
  --methods em,gd,squarem --out-dir compare_zip
expect_ok "$MOE" select --data simzip.csv --response y --x x1 --z z1 -K 2,3 --family poisson --point-mass 0
expect_fail "a family of counts" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel --x times -K 2 --point-mass 0
expect_fail "a value the response never takes" \
  "$MOE" fit --data simzip.csv --response y --x x1 -K 2 --family poisson --point-mass 0.5
expect_fail "K >= 2" \
  "$MOE" fit --data simzip.csv --response y --x x1 -K 1 --family poisson --point-mass 0

# =============================================================================
# Student-t experts: estimated and given degrees of freedom, outliers' scale weights.
# =============================================================================
awk 'BEGIN { print "y,x"; for (i = 0; i < 300; i++) { x = (i % 30) / 10; y = 1 + 2 * x + sin(i * 7.3) / 2;
             if (i % 25 == 0) y += 30; print y "," x } }' >outliers.csv
expect_ok "$MOE" fit --data outliers.csv --response y --x x -K 1 --family t --starts 3 --out tfit.json
check "t fit: family t" test "$(json_top family tfit.json)" = '"t"'
check "t fit: experts.nu" json_has_nested experts nu tfit.json
check "t fit: the summary prints nu" grep -q "^nu " "$WORK/out"
t_slope=$(json_columns experts tfit.json | awk '{ print $2 }')
check "t fit: slope $t_slope within 0.05 of 2 despite the outliers" awk -v b="$t_slope" 'BEGIN { exit !(b > 1.95 && b < 2.05) }'
expect_ok "$MOE" predict --model tfit.json --data outliers.csv --out tpred.csv
check "t predict: a scale_weight column" grep -q "scale_weight" tpred.csv
check "t predict: the outliers' scale weights below 0.05" \
  awk -F, 'NR == 1 { for (j = 1; j <= NF; j++) if ($j == "scale_weight") c = j; next }
           (NR - 2) % 25 == 0 && $c >= 0.05 { bad = 1 } END { exit bad }' tpred.csv
expect_ok "$MOE" fit --data outliers.csv --response y --x x -K 1 --family t --nu 4 --starts 3 --out tfit4.json
check "t fit --nu 4: nu_fixed" grep -q '"nu_fixed": true' tfit4.json
check "t fit --nu 4: the summary marks nu fixed" grep -q "^nu (fixed)" "$WORK/out"
expect_fail "--nu" "$MOE" fit --data outliers.csv --response y --x x -K 1 --family t --nu 0
expect_fail "nu is for t experts only" "$MOE" fit --data outliers.csv --response y --x x -K 1 --nu 4
expect_fail "scale weights" "$MOE" fit --data outliers.csv --response y --x x -K 2 --family t --method mirror
expect_ok "$MOE" simulate -n 300 -K 2 --family t --shape 3 --seed 7 --out simt.csv --truth simt_truth.json
check "simulate --family t: the truth has nu" grep -q '"nu"' simt_truth.json
expect_ok "$MOE" fit --data simt.csv --response y --x x1 --z z1 -K 2 --family t --starts 3

# =============================================================================
# Multinomial experts: levels named in the response's text, their probabilities.
# =============================================================================
awk 'BEGIN { print "kind,x,z"; split("low,mid,high", name, ",");
             for (i = 0; i < 400; i++) { x = (i % 40) / 10 - 2; z = (i % 7) - 3;
               c = (z > 0) ? (x > 0.5 ? 3 : (x > -0.5 ? 2 : 1)) : (x > 0.5 ? 1 : (x > -0.5 ? 3 : 2));
               if (i % 9 == 0) c = c % 3 + 1; print name[c] "," x "," z } }' >levels.csv
expect_ok "$MOE" fit --data levels.csv --response kind --x x --z z -K 2 --family multinomial --starts 5 --out mfit.json
check "multinomial fit: family multinomial" test "$(json_top family mfit.json)" = '"multinomial"'
check "multinomial fit: the levels in R's order" grep -q '"high",' mfit.json
check "multinomial fit: the summary names level:column rows" grep -q "^low:x " "$WORK/out"
expect_ok "$MOE" predict --model mfit.json --data levels.csv --out mpred.csv
check "multinomial predict: level columns" test "$(head -n 1 mpred.csv | cut -d, -f1-3)" = "prob_high,prob_low,prob_mid"
check "multinomial predict: the levels' probabilities sum to 1" csv_sums_to_one mpred.csv prob_
check "multinomial predict: posteriors with the response" grep -q "posterior_2" mpred.csv
expect_fail "no distribution function" "$MOE" predict --model mfit.json --data levels.csv -q 0.5
sed 's/^mid,/top,/' levels.csv >newlevel.csv
expect_fail "not one of the model's 3 levels" "$MOE" predict --model mfit.json --data newlevel.csv
sed '2,$ s/^[a-z]*,/low,/' levels.csv >onelevel.csv
expect_fail "one level" "$MOE" fit --data onelevel.csv --response kind --x x -K 2 --family multinomial
expect_fail "level probabilities" "$MOE" fit --data levels.csv --response kind --x x -K 2 --family multinomial --method mirror
expect_ok "$MOE" simulate -n 500 -K 2 --family multinomial --levels 4 --seed 3 --out simm.csv --truth simm_truth.json
check "simulate --family multinomial: the truth names 4 levels" grep -q '"3"' simm_truth.json
expect_ok "$MOE" fit --data simm.csv --response y --x x1 --z z1 -K 2 --family multinomial --starts 3

# =============================================================================
# Several responses: multivariate Gaussian experts.
# =============================================================================
awk 'BEGIN { srand(4); print "x,y1,y2"
  for (i = 1; i <= 400; i++) { x = 2 * rand() - 1; k = rand() < 1 / (1 + exp(-3 * x))
    e1 = sqrt(-2 * log(rand())) * cos(6.2831853 * rand()); e2 = sqrt(-2 * log(rand())) * cos(6.2831853 * rand())
    if (k) print x "," (1 + 2 * x + 0.3 * e1) "," (-1 + 0.2 * e1 + 0.2 * e2)
    else print x "," (-1 - x + 0.5 * e1) "," (2 + x + 0.4 * e2) } }' >two.csv
expect_ok "$MOE" fit --data two.csv --response y1,y2 --x x --z x -K 2 --starts 4 --out mv.json
check "two responses: the fit names its structure" test "$(json_top covariance mv.json)" = '"VVV"'
check "two responses: 2 + 2*2*2 + 6 parameters" test "$(json_top df mv.json)" = 16
check "two responses: the summary prints the covariances" grep -q "^cov y2 " "$WORK/out"
expect_ok "$MOE" predict --model mv.json --data two.csv --out mvpred.csv
check "two responses: predict writes means, gates and posteriors" \
  test "$(head -n 1 mvpred.csv)" = "mean_y1,mean_y2,gate_1,gate_2,posterior_1,posterior_2"
check "two responses: posteriors sum to 1" csv_sums_to_one mvpred.csv posterior_
cut -d, -f1 two.csv >xonly.csv
expect_ok "$MOE" predict --model mv.json --data xonly.csv --out mvpred2.csv
check "two responses: without them, no posterior" test "$(head -n 1 mvpred2.csv)" = "mean_y1,mean_y2,gate_1,gate_2"
expect_fail "--quantiles is for one response" "$MOE" predict --model mv.json --data two.csv -q 0.5
expect_ok "$MOE" simulate --model mv.json -n 300 --seed 2 --out mvsim.csv
check "two responses: simulate writes the responses and the covariate" test "$(head -n 1 mvsim.csv)" = "y1,y2,x"
check "two responses: 300 simulated rows" test "$(csv_rows mvsim.csv)" = 300
check "two responses: simulated cells finite" csv_all_finite mvsim.csv
expect_ok "$MOE" boot --data two.csv --response y1,y2 --x x --z x -K 2 --starts 3 -B 12 --seed 4 --out mvboot.json
check "two responses: boot names the covariance parameters" grep -q '"sigma.expert1:y2,y1"' mvboot.json
check_not "two responses: boot reports observed-information SEs" grep -q '"se_information": null' mvboot.json
check "two responses: fit.json lists the parameters with standard errors" grep -q '"name": "sigma.expert2:y2,y1"' mv.json
expect_ok "$MOE" select --data two.csv --response y1,y2 --x x --z x -K 1,2 --covariance EII,VVV --starts 4 --table sel.csv
check "select over K and structure: 4 candidates" test "$(csv_rows sel.csv)" = 4
check "select over K and structure: K = 2 chosen" grep -q "^2,[A-Z]*,.*,1$" sel.csv
expect_fail "--covariance needs several responses" "$MOE" fit --data two.csv --response y1 --x x -K 2 --covariance VVV
expect_fail "unknown covariance structure 'VEV'" "$MOE" fit --data two.csv --response y1,y2 -K 2 --covariance VEV
expect_ok "$MOE" compare --data two.csv --response y1,y2 --x x --z x -K 2 --starts 3 --methods em,squarem,gd,adam \
  --out-dir cmpmv --quiet
check "two responses: compare runs every method" test "$(csv_rows cmpmv/summary.csv)" = 4
check "two responses: compare's em converges" grep -q "^em,.*,1,converged," cmpmv/summary.csv
check "two responses: compare predicts em's rate" grep -q '^em,\([^,]*,\)\{7\}[0-9]' cmpmv/summary.csv
check "two responses: summary.json names the structure" grep -q '"covariance": "VVV"' cmpmv/summary.json
expect_fail "'mirror' does not fit experts of several responses" \
  "$MOE" compare --data two.csv --response y1,y2 -K 2 --methods em,mirror --out-dir cmpmv2
check_not "two responses: a refused method runs nothing" test -e cmpmv2/summary.csv
expect_fail "--simulate and --truth are not available with several responses" \
  "$MOE" compare --data two.csv --response y1,y2 -K 2 --truth mv.json --out-dir cmpmv2
awk -F, 'NR == 1 { print $0 ",w"; next } { print $0 "," ((NR % 3 == 0) ? 2 : 1) }' two.csv >twow.csv
awk -F, 'NR == 1 { print "x,y1,y2"; next } { print $1 "," $2 "," $3; if ($4 == 2) print $1 "," $2 "," $3 }' twow.csv >tworep.csv
expect_ok "$MOE" fit --data twow.csv --response y1,y2 --x x --z x -K 2 --weights w --starts 4 --out mvw.json
expect_ok "$MOE" fit --data tworep.csv --response y1,y2 --x x --z x -K 2 --starts 4 --out mvrep.json
check "two responses: weights fit as the rows repeated" \
  awk -v a="$(json_top loglik mvw.json)" -v b="$(json_top loglik mvrep.json)" 'BEGIN { d = a - b; exit !(d < 1e-6 && d > -1e-6) }'
check "two responses: fit.json gives the total weight" test "$(json_top total_weight mvw.json)" = 533.0
expect_fail "the weights must be finite and non-negative" "$MOE" fit --data two.csv --response y1,y2 -K 2 --weights x
expect_fail "the nonparametric bootstrap of several responses takes no weights" \
  "$MOE" boot --data twow.csv --response y1,y2 --x x -K 2 --weights w -B 3
expect_ok "$MOE" boot --data twow.csv --response y1,y2 --x x -K 2 --weights w -B 3 --type parametric --starts 2
head -n 3 two.csv >tiny.csv
expect_fail "3 columns but only 2 rows (m > n)" "$MOE" fit --data tiny.csv --response x,y1,y2 -K 1

# =============================================================================

finish

