#!/usr/bin/env bash
# End-to-end tests of the command line, part predict: predict from a fit of mcycle.
#   usage: cli_predict.sh MOE_BINARY REPOSITORY_ROOT   (see lib.sh)
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

fixture_mcycle_fit

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

finish
