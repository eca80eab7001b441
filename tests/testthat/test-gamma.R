# Gamma experts with the log link: family = "gamma" (or Gamma(link = "log")), a shape per expert.

gamma_data <- function(n, seed) {
  set.seed(seed)
  d <- data.frame(x = rnorm(n), z = rnorm(n))
  k <- rbinom(n, 1, plogis(2 * d$z))
  shape <- ifelse(k == 1, 3, 12)
  d$y <- rgamma(n, shape = shape, rate = shape / exp(ifelse(k == 1, 1.5 - 0.5 * d$x, 0.6 + 0.7 * d$x)))
  d
}

test_that("one gamma expert is glm's Gamma(log) fit with the shape's MLE (MASS::gamma.shape)", {
  d <- gamma_data(400, 1)
  # glm's IRLS stops on the change of the deviance, which is flat near the root:
  # at epsilon = 1e-15 its slope is still about 1e-8 from it, so the comparison
  # is to 1e-7, and moe's own score equations are checked to round-off
  g <- glm(y ~ x, family = Gamma(link = "log"), data = d, control = glm.control(epsilon = 1e-15, maxit = 1000))
  shape <- MASS::gamma.shape(g, it.lim = 100, eps.max = 1e-12)$alpha
  fit <- moe(y ~ x, data = d, K = 1, family = "gamma")
  expect_equal(as.numeric(fit$model$experts), as.numeric(coef(g)), tolerance = 1e-7)
  X <- cbind(1, d$x)
  expect_lt(max(abs(colSums(X * as.vector(d$y / fitted(fit) - 1)))), 1e-10)
  expect_equal(as.numeric(fit$model$shape), shape, tolerance = 1e-6)
  loglik <- sum(dgamma(d$y, shape = shape, rate = shape / fitted(g), log = TRUE))
  expect_equal(as.numeric(logLik(fit)), loglik, tolerance = 1e-9)
  expect_equal(attr(logLik(fit), "df"), 3L)
  # standard errors from the observed information, against R's numerical Hessian
  minus_loglik <- function(par) -sum(dgamma(d$y, shape = exp(par[3]), rate = exp(par[3]) / exp(X %*% par[1:2]), log = TRUE))
  cov <- solve(optimHess(c(coef(g), log(shape)), minus_loglik))
  expect_equal(as.numeric(fit$se$experts), unname(sqrt(diag(cov))[1:2]), tolerance = 1e-4)
  expect_equal(as.numeric(fit$se$shape), shape * sqrt(cov[3, 3]), tolerance = 1e-4)
  expect_equal(as.numeric(fitted(fit)), as.numeric(fitted(g)), tolerance = 1e-7)
  # R's own family object with the log link is the same family
  expect_equal(moe(y ~ x, data = d, K = 1, family = Gamma(link = "log"))$loglik, fit$loglik)
  expect_error(moe(y ~ x, data = d, K = 1, family = Gamma()), "log link")
})

test_that("two gamma experts with a gate are recovered, and predict, simulate and the model file work", {
  d <- gamma_data(3000, 2)
  fit <- moe(y ~ x | z, data = d, K = 2, family = "gamma")
  o <- order(fit$model$experts[1, ], decreasing = TRUE)
  expect_lt(max(abs(fit$model$experts[, o] - cbind(c(1.5, -0.5), c(0.6, 0.7)))), 0.1)
  log_shape_se <- fit$se$shape[o] / fit$model$shape[o]
  expect_true(all(abs(log(fit$model$shape[o]) - log(c(3, 12))) < 3 * log_shape_se))
  expect_true(all(diff(fit$trace$loglik) > -1e-8 * abs(fit$loglik)))
  other <- moe(y ~ x | z, data = d, K = 2, family = "gamma", method = "squarem", start = fit$model,
               control = moe_control(tol = 1e-12))
  expect_equal(other$loglik, fit$loglik, tolerance = 1e-7)
  expect_named(coef(fit), c("experts", "gate", "shape"))
  expect_true(all(c("shape.expert1", "shape.expert2") %in% rownames(confint(fit))))
  expect_output(print(summary(fit)), "shape = ")
  q <- predict(fit, newdata = d[1:20, ], type = "quantile", probs = c(0.1, 0.5, 0.9))
  expect_true(all(q[, 1] > 0 & q[, 1] < q[, 2] & q[, 2] < q[, 3]))
  # quantile residuals of the model's own draws are standard normal
  expect_lt(abs(mean(residuals(fit, "quantile"))), 0.1)
  expect_lt(abs(sd(residuals(fit, "quantile")) - 1), 0.1)
  sims <- simulate(fit, nsim = 1, seed = 3)
  expect_true(all(sims$sim_1 > 0))
  path <- tempfile(fileext = ".json")
  moe_write(fit, path)
  back <- moe_read(path)
  expect_equal(back$model$shape, fit$model$shape)
  expect_equal(predict(back, newdata = d[1:5, ]), predict(fit, newdata = d[1:5, ]))
})

test_that("gamma refuses what it cannot fit, with clear messages", {
  d <- gamma_data(100, 6)
  d$y[4] <- 0
  expect_error(moe(y ~ x, data = d, K = 1, family = "gamma"), "positive for gamma experts \\(row 4 is 0\\)")
  d$y[4] <- 1
  expect_error(moe(y ~ x, data = d, K = 2, family = "gamma", method = "mirror", control = moe_control(step = 0.5)),
               "gamma expert's shape")
})
