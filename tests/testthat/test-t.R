# Student-t experts: family = "t", nu estimated or given, through moe(),
# summary(), residuals(), moe_write()/moe_read() and the errors.

t_data <- function(n = 400) {
  set.seed(3)
  x <- runif(n, 0, 3)
  y <- 1 + 2 * x + rnorm(n, sd = 0.3)
  y[seq(1, n, by = 20)] <- y[seq(1, n, by = 20)] + 25  # 5 % gross outliers
  data.frame(x = x, y = y)
}

test_that("t experts keep the line that gross outliers pull Gaussian experts off", {
  d <- t_data()
  tfit <- moe(y ~ x, d, K = 1, family = "t", starts = 3)
  gfit <- moe(y ~ x, d, K = 1, starts = 3)
  expect_equal(unname(tfit$model$experts[, 1]), c(1, 2), tolerance = 0.05)
  expect_gt(max(abs(gfit$model$experts[, 1] - c(1, 2))), 0.5)
  expect_length(tfit$model$nu, 1)
  expect_lt(tfit$model$nu[[1]], 5)  # heavy tails for the outliers
  expect_false(tfit$model$nu_fixed)
  expect_equal(tfit$df, 4L)  # intercept, slope, sigma, nu
  expect_output(print(summary(tfit)), "nu = ")
  expect_true(all(is.finite(residuals(tfit, type = "quantile"))))
  u <- predict(tfit, type = "scale_weights")
  outlier <- seq_along(u) %% 20 == 1
  expect_lt(max(u[outlier]), 0.05)
  expect_gt(median(u[!outlier]), 0.5)
  expect_equal(unname(predict(tfit, newdata = d[1:3, ], type = "scale_weights")), unname(u[1:3]))
  expect_error(predict(tfit, newdata = d["x"], type = "scale_weights"), "needs the response")
  expect_error(predict(gfit, type = "scale_weights"), "for t experts only")
})

test_that("a given nu is held and is not a parameter", {
  d <- t_data()
  fit <- moe(y ~ x, d, K = 2, family = "t", nu = 4, starts = 3)
  expect_equal(unname(fit$model$nu), c(4, 4))
  expect_true(fit$model$nu_fixed)
  expect_equal(fit$df, 2L * 3L + 1L)  # 2 x (intercept, slope, sigma) + the gate's intercept
  path <- tempfile(fileext = ".json")
  moe_write(fit, path)
  back <- moe_read(path)
  expect_equal(back$model$nu, fit$model$nu)
  expect_true(back$model$nu_fixed)
})

test_that("a bad nu is refused clearly", {
  d <- t_data(50)
  expect_error(moe(y ~ x, d, K = 1, family = "t", nu = 0), "'nu' must be NULL \\(estimated\\) or one positive number")
  expect_error(moe(y ~ x, d, K = 1, family = "t", nu = c(3, 4)), "'nu' must be NULL")
  expect_error(moe(y ~ x, d, K = 1, nu = 4), "'nu' is for t experts only")
  expect_error(moe(y ~ x, d, K = 2, family = "t", method = "mirror"), "scale weights")
})
