# Formula parsing: 'y ~ x | z' into expert and gate designs.

fast <- moe_control(se = FALSE)

test_that("'y ~ x | z' gives expert columns from x and gate columns from z", {
  d <- sim_two_experts()
  fit <- moe(y ~ x | z, d, K = 2, control = fast, starts = 1)
  expect_identical(colnames(fit$X), c("(Intercept)", "x"))
  expect_identical(colnames(fit$Z), c("(Intercept)", "z"))
  expect_identical(rownames(fit$model$experts), c("(Intercept)", "x"))
  expect_identical(rownames(fit$model$gate), c("(Intercept)", "z"))
  expect_identical(colnames(fit$model$experts), c("expert1", "expert2"))
  expect_equal(unname(fit$X[, "x"]), d$x)
  expect_equal(unname(fit$Z[, "z"]), d$z)
  expect_equal(fit$y, d$y)
  # the last expert is the gate's reference: its column is zero
  expect_identical(unname(fit$model$gate[, 2]), c(0, 0))
  # K experts with p coefficients and a sigma each, (K - 1) q gate coefficients
  expect_identical(fit$df, 2L * (2L + 1L) + 1L * 2L)
})

test_that("several gate variables and several expert variables", {
  d <- sim_two_experts()
  d$w <- d$x * d$z
  fit <- moe(y ~ x + w | z + x, d, K = 2, control = fast, starts = 1)
  expect_identical(colnames(fit$X), c("(Intercept)", "x", "w"))
  expect_identical(colnames(fit$Z), c("(Intercept)", "z", "x"))
})

test_that("no '|' gives an intercept-only gate (constant mixing weights)", {
  d <- sim_two_experts()
  fit <- moe(y ~ x, d, K = 2, control = moe_control(tol = 1e-13, max_iter = 5000, se = FALSE),
             starts = 1)
  expect_identical(colnames(fit$Z), "(Intercept)")
  expect_equal(unname(fit$Z[, 1]), rep(1, nrow(d)))
  gate <- predict(fit, type = "gate")
  # every row has the same gate probabilities, and at convergence they are
  # the mean posterior (the exact M-step of a constant gate)
  expect_lt(max(abs(sweep(gate, 2, gate[1, ]))), 1e-14)
  expect_lt(max(abs(gate[1, ] - colMeans(fit$posterior))), 1e-6)
  expect_identical(fit$df, 2L * 3L + 1L)
})

test_that("factors, interactions and I(x^2) go through model.matrix", {
  d <- sim_two_experts()
  fit <- moe(y ~ f * x + I(x^2) | z + f, d, K = 2, control = fast, starts = 1)
  mm_x <- model.matrix(~ f * x + I(x^2), d)
  mm_z <- model.matrix(~ z + f, d)
  expect_identical(colnames(fit$X), colnames(mm_x))
  expect_identical(colnames(fit$X), c("(Intercept)", "fb", "fc", "x", "I(x^2)", "fb:x", "fc:x"))
  expect_identical(colnames(fit$Z), c("(Intercept)", "z", "fb", "fc"))
  expect_equal(unname(fit$X), unname(mm_x))
  expect_equal(unname(fit$Z), unname(mm_z))
  expect_identical(fit$df, 2L * (7L + 1L) + 1L * 4L)
  # predictions on new data rebuild the same designs (factor levels, I(x^2))
  expect_equal(predict(fit, newdata = d[1:20, ]), predict(fit)[1:20], tolerance = 1e-12)
  expect_equal(predict(fit, newdata = d[d$f == "c", ], type = "gate"),
               predict(fit, type = "gate")[d$f == "c", ], tolerance = 1e-12, ignore_attr = TRUE)
})

test_that("data-dependent transformations keep their parameters for new data", {
  d <- sim_two_experts()
  fit <- moe(y ~ poly(x, 2) | scale(z), d, K = 2, control = fast, starts = 1)
  expect_identical(ncol(fit$X), 3L)
  # poly() and scale() on 10 rows alone would give other columns; the terms
  # keep the coefficients of the full data
  expect_equal(predict(fit, newdata = d[1:10, ], type = "gate"), predict(fit, type = "gate")[1:10, ],
               tolerance = 1e-12)
  expect_equal(predict(fit, newdata = d[1:10, ]), predict(fit)[1:10], tolerance = 1e-12)
})

test_that("'- 1' removes the expert intercept but not the gate's", {
  d <- sim_two_experts()
  fit <- moe(y ~ x - 1 | z, d, K = 2, control = fast, starts = 1)
  expect_identical(colnames(fit$X), "x")
  expect_identical(colnames(fit$Z), c("(Intercept)", "z"))
  expect_identical(fit$df, 2L * 2L + 2L)
  fit0 <- moe(y ~ x | z - 1, d, K = 2, control = fast, starts = 1)
  expect_identical(colnames(fit0$X), c("(Intercept)", "x"))
  expect_identical(colnames(fit0$Z), "z")
})

test_that("rows with NA in any used variable are dropped by na.omit", {
  d <- sim_two_experts()
  d$unused <- 1
  d$unused[20] <- NA
  d$x[3] <- NA      # expert variable
  d$z[7] <- NA      # gate-only variable
  d$y[11] <- NA     # response
  fit <- moe(y ~ x | z, d, K = 2, control = fast, starts = 1)
  expect_identical(nobs(fit), nrow(d) - 3L)
  expect_identical(as.integer(fit$na.action), c(3L, 7L, 11L))
  expect_length(fitted(fit), nrow(d) - 3L)
  expect_length(residuals(fit), nrow(d) - 3L)
  expect_identical(nrow(fit$posterior), nrow(d) - 3L)
  # the same fit as on the complete rows
  set.seed(5)
  a <- moe(y ~ x | z, d, K = 2, control = fast, starts = 2)
  set.seed(5)
  b <- moe(y ~ x | z, d[-c(3, 7, 11), ], K = 2, control = fast, starts = 2)
  expect_identical(a$loglik, b$loglik)
  # without the gate, the row with only z missing is kept
  fit_nogate <- moe(y ~ x, d, K = 2, control = fast, starts = 1)
  expect_identical(nobs(fit_nogate), nrow(d) - 2L)
  # na.fail refuses
  expect_error(moe(y ~ x | z, d, K = 2, control = fast, starts = 1, na.action = na.fail),
               "missing values")
})

test_that("the response may be an expression, and binomial accepts factors and logicals", {
  d <- sim_two_experts()
  fit <- moe(exp(y) ~ x, d, K = 2, control = fast, starts = 1)
  expect_equal(fit$y, exp(d$y))
  # within each expert the sign of y is almost a function of x: the logistic
  # experts separate, and moe says so as glm does
  set.seed(3)
  expect_warning(a <- moe(y > 0 ~ x | z, d, K = 2, family = binomial(), control = fast, starts = 2),
                 "numerically 0 or 1")
  set.seed(3)
  b <- suppressWarnings(moe(factor(y > 0) ~ x | z, d, K = 2, family = "binomial", control = fast, starts = 2))
  set.seed(3)
  d$y01 <- as.numeric(d$y > 0)
  c01 <- suppressWarnings(moe(y01 ~ x | z, d, K = 2, family = binomial, control = fast, starts = 2))
  expect_identical(a$y, d$y01)
  expect_identical(b$y, d$y01)
  expect_identical(a$loglik, b$loglik)
  expect_identical(a$loglik, c01$loglik)
})

test_that("constants from the formula's environment are not taken for columns", {
  np <- moe_data("NPreg")
  degree <- 2
  threshold <- 5
  f1 <- moe(yn ~ poly(x, degree) | I(x > threshold), np, K = 2, starts = 1, control = moe_control(se = FALSE))
  set.seed(3)
  a <- moe(yn ~ poly(x, degree) | I(x > threshold), np, K = 2, starts = 2, control = moe_control(se = FALSE))
  set.seed(3)
  b <- moe(yn ~ poly(x, 2) | I(x > 5), np, K = 2, starts = 2, control = moe_control(se = FALSE))
  expect_equal(a$loglik, b$loglik)
  expect_equal(unname(a$model$experts), unname(b$model$experts))
  expect_equal(nrow(f1$X), nrow(np))
  # a per-row vector from the environment is still a variable
  weight_kg <- np$x * 2
  fit <- moe(yn ~ weight_kg, np, K = 2, starts = 1, control = moe_control(se = FALSE))
  expect_equal(colnames(fit$X), c("(Intercept)", "weight_kg"))
})
