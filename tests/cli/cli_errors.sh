#!/usr/bin/env bash
# End-to-end tests of the command line, part errors: bad input and usage errors: one clear message each, never a crash.
#   usage: cli_errors.sh MOE_BINARY REPOSITORY_ROOT   (see lib.sh)
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

fixture_mcycle_fit
fixture_pima_fit

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
expect_fail "--family: weibull not in {gaussian,binomial,poisson,negbin,gamma,t,multinomial}" \
  "$MOE" fit --data "$DATA/mcycle.csv" --response accel -K 2 --family weibull
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

finish
