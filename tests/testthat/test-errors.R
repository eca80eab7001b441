# Bad input gives an R error with a message that says what is wrong.

test_that("an unsupported family is refused", {
  mc <- moe_data("mcycle")
  expect_error(moe(accel ~ times, mc, K = 2, family = poisson()), "family.*gaussian.*binomial")
  expect_error(moe(accel ~ times, mc, K = 2, family = "poisson"), "family.*gaussian.*binomial")
  expect_error(moe(accel ~ times, mc, K = 2, family = gaussian(link = "log")), "identity link")
  expect_error(moe(accel ~ times, mc, K = 2, family = binomial(link = "probit")), "logit link")
})

test_that("K must be a whole number >= 1", {
  mc <- moe_data("mcycle")
  expect_error(moe(accel ~ times, mc, K = 0), "'K' must be a whole number >= 1")
  expect_error(moe(accel ~ times, mc, K = -1), "'K' must be a whole number >= 1")
  expect_error(moe(accel ~ times, mc, K = 2.5), "'K' must be a whole number >= 1")
  expect_error(moe(accel ~ times, mc, K = NA), "'K' must be a whole number >= 1")
})

test_that("binomial experts need a 0/1 response", {
  pm <- moe_data("pima")
  expect_error(moe(glu ~ bmi | age, pm, K = 2, family = binomial()), "0/1")
  expect_error(moe(factor(npreg) ~ bmi, pm, K = 2, family = binomial()), "exactly 2 levels")
})

test_that("too few rows for K experts are refused", {
  mc <- moe_data("mcycle")
  # K = 3 Gaussian experts with 2 coefficients and a sigma each need 9 rows
  expect_error(moe(accel ~ times, mc[1:8, ], K = 3), "8 rows are too few for K = 3")
  expect_error(moe(accel ~ times | times, mc[1:5, ], K = 2), "too few")
})

test_that("a formula without a response is refused", {
  mc <- moe_data("mcycle")
  expect_error(moe(~ times, mc, K = 2), "formula")
  expect_error(moe(~ times | times, mc, K = 2), "formula")
  expect_error(moe("accel ~ times", mc, K = 2), "formula")
})

test_that("inconsistent starting values are refused", {
  mc <- moe_data("mcycle")
  expect_error(moe(accel ~ times, mc, responsibilities = matrix(0.5, 10, 2)), "one row per observation")
  expect_error(moe(accel ~ times, mc, K = 2, method = "newton"), "should be one of")
  expect_error(moe_data("iris"), "should be one of")
})
