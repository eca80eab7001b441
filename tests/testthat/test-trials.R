# Binomial experts with trials: cbind(successes, failures) as glm's.

test_that("one expert with cbind(successes, failures) is glm's binomial fit", {
  set.seed(1)
  d <- data.frame(x = rnorm(150), m = sample(1:15, 150, replace = TRUE))
  d$s <- rbinom(150, d$m, plogis(-0.5 + 1.2 * d$x))
  g <- glm(cbind(s, m - s) ~ x, family = binomial, data = d)
  fit <- moe(cbind(s, m - s) ~ x, data = d, K = 1, family = binomial())
  expect_equal(as.numeric(fit$model$experts), as.numeric(coef(g)), tolerance = 1e-8)
  expect_equal(as.numeric(logLik(fit)), as.numeric(logLik(g)), tolerance = 1e-8)
  expect_equal(as.numeric(fit$se$experts), as.numeric(summary(g)$coefficients[, 2]), tolerance = 1e-5)
  expect_equal(as.numeric(fitted(fit)), as.numeric(fitted(g)), tolerance = 1e-7)
  expect_equal(as.numeric(residuals(fit, "pearson")), as.numeric(residuals(g, "pearson")), tolerance = 1e-6)
})

test_that("two experts with trials recover their coefficients, predict and simulate", {
  set.seed(2)
  n <- 2000
  d <- data.frame(x = rnorm(n), m = sample(5:20, n, replace = TRUE))
  k <- rbinom(n, 1, 0.4)
  d$s <- rbinom(n, d$m, plogis(ifelse(k == 1, -2 + 2 * d$x, 1.5 - d$x)))
  set.seed(3)
  fit <- moe(cbind(s, m - s) ~ x, data = d, K = 2, family = "binomial")
  truth <- cbind(c(-2, 2), c(1.5, -1))
  est <- fit$model$experts[, order(fit$model$experts[2, ], decreasing = TRUE)]
  expect_lt(max(abs(est - truth)), 0.2)
  q <- predict(fit, newdata = d[1:5, ], type = "quantile", probs = c(0.05, 0.95))
  expect_true(all(q[, 2] <= d$m[1:5]) && all(q[, 1] <= q[, 2]))
  sims <- simulate(fit, nsim = 2, seed = 4)
  expect_true(all(sims$sim_1 <= d$m) && all(sims$sim_1 >= 0))
  post <- predict(fit, newdata = d[1:5, ], type = "posterior")
  expect_equal(unname(post), unname(fit$posterior[1:5, ]), tolerance = 1e-10)
  expect_error(predict(fit, newdata = d[1:5, c("x", "m")], type = "quantile"), "binomial trials")
  expect_error(moe_write(fit, tempfile()), "cbind\\(successes")
})

test_that("bad counts and unknown families give clear errors", {
  d <- data.frame(x = rnorm(20), s = c(-1, rep(1, 19)), f = 2)
  expect_error(moe(cbind(s, f) ~ x, data = d, K = 1, family = "binomial"), "whole numbers, 0 or more")
  d$s[1] <- 0.5
  expect_error(moe(cbind(s, f) ~ x, data = d, K = 1, family = "binomial"), "whole numbers, 0 or more")
  d$s[1] <- 0; d$f[1] <- 0
  expect_error(moe(cbind(s, f) ~ x, data = d, K = 1, family = "binomial"), "row 1 .* has no trials")
  expect_error(moe(cbind(s, f) ~ x, data = d, K = 1, family = "poisson"), "one column")
  expect_error(moe(s ~ x, data = d, K = 1, family = "weibull"), "not one of moe's families")
})
