# Negative binomial (NB2) experts: family = "negbin", a size theta per expert.

nb_data <- function(n, seed) {
  set.seed(seed)
  d <- data.frame(x = rnorm(n), z = rnorm(n))
  k <- rbinom(n, 1, plogis(2 * d$z))
  d$y <- rnbinom(n, mu = exp(ifelse(k == 1, 2 + 0.5 * d$x, 0.3 - 0.8 * d$x)), size = ifelse(k == 1, 2, 8))
  d
}

test_that("one negbin expert is MASS::glm.nb's fit (coefficients, theta, logLik)", {
  d <- nb_data(400, 1)
  g <- MASS::glm.nb(y ~ x, data = d, control = glm.control(epsilon = 1e-12, maxit = 200))
  fit <- moe(y ~ x, data = d, K = 1, family = "negbin")
  expect_equal(as.numeric(fit$model$experts), as.numeric(coef(g)), tolerance = 1e-6)
  expect_equal(as.numeric(fit$model$theta), g$theta, tolerance = 1e-6)
  expect_equal(as.numeric(logLik(fit)), as.numeric(logLik(g)), tolerance = 1e-6)
  expect_equal(attr(logLik(fit), "df"), attr(logLik(g), "df"))
  # moe's standard errors are from the observed information of (beta, log theta);
  # glm.nb's are from beta's expected information at a fixed theta (the log link is
  # not canonical for the negative binomial, so the two differ): check moe's against
  # the numerical Hessian of the log-likelihood written out in R
  X <- cbind(1, d$x)
  minus_loglik <- function(par) -sum(dnbinom(d$y, size = exp(par[3]), mu = exp(X %*% par[1:2]), log = TRUE))
  cov <- solve(optimHess(c(coef(g), log(g$theta)), minus_loglik))
  expect_equal(as.numeric(fit$se$experts), unname(sqrt(diag(cov))[1:2]), tolerance = 1e-4)
  expect_equal(as.numeric(fit$se$theta), g$theta * sqrt(cov[3, 3]), tolerance = 1e-4)
  expect_equal(as.numeric(fitted(fit)), as.numeric(fitted(g)), tolerance = 1e-6)
  expect_equal(as.numeric(residuals(fit, "pearson")), as.numeric(residuals(g, "pearson")), tolerance = 1e-5)
})

test_that("two negbin experts with a gate are recovered, and every method reaches EM's maximum", {
  d <- nb_data(3000, 2)
  fit <- moe(y ~ x | z, data = d, K = 2, family = "negbin")
  o <- order(fit$model$experts[1, ], decreasing = TRUE)
  expect_lt(max(abs(fit$model$experts[, o] - cbind(c(2, 0.5), c(0.3, -0.8)))), 0.1)
  log_theta_se <- fit$se$theta[o] / fit$model$theta[o]
  expect_true(all(abs(log(fit$model$theta[o]) - log(c(2, 8))) < 3 * log_theta_se))
  expect_true(all(diff(fit$trace$loglik) > -1e-8 * abs(fit$loglik)))
  for (method in c("squarem", "gd")) {
    other <- moe(y ~ x | z, data = d, K = 2, family = "negbin", method = method, start = fit$model,
                 control = moe_control(tol = 1e-12, max_iter = 5000))
    expect_equal(other$loglik, fit$loglik, tolerance = 1e-6, info = method)
  }
  expect_named(coef(fit), c("experts", "gate", "theta"))
  expect_true(all(c("theta.expert1", "theta.expert2") %in% rownames(confint(fit))))
  expect_output(print(fit), "theta")
  expect_output(print(summary(fit)), "theta = ")
  q <- predict(fit, newdata = d[1:20, ], type = "quantile", probs = c(0.1, 0.9))
  expect_true(all(q[, 1] <= q[, 2]) && all(q == floor(q)))
  sims <- simulate(fit, nsim = 1, seed = 3)
  expect_true(all(sims$sim_1 >= 0 & sims$sim_1 == floor(sims$sim_1)))
  # over-dispersed counts: the sizes' variance above the Poisson mixture's
  expect_gt(var(sims$sim_1), mean(sims$sim_1))
  path <- tempfile(fileext = ".json")
  moe_write(fit, path)
  back <- moe_read(path)
  expect_equal(back$model$theta, fit$model$theta)
  expect_equal(predict(back, newdata = d[1:5, ]), predict(fit, newdata = d[1:5, ]))
})

test_that("negbin nests the Poisson: its fit is at least the Poisson fit's", {
  set.seed(5)
  d <- data.frame(x = rnorm(1000))
  d$y <- rpois(1000, exp(ifelse(runif(1000) < 0.5, 2 + 0.5 * d$x, 0.2 - 0.7 * d$x)))
  p <- moe(y ~ x, data = d, K = 2, family = "poisson")
  nb <- moe(y ~ x, data = d, K = 2, family = "negbin")
  expect_gte(nb$loglik, p$loglik - 1e-6 * abs(p$loglik))
  expect_equal(attr(logLik(nb), "df"), attr(logLik(p), "df") + 2)
})

test_that("negbin refuses what it cannot fit, with clear messages", {
  d <- nb_data(100, 6)
  d$bad <- d$y + 0.5
  expect_error(moe(bad ~ x, data = d, K = 1, family = "negbin"), "counts \\(whole numbers, 0 or more\\) for negbin")
  expect_error(moe(y ~ x, data = d, K = 2, family = "negbin", method = "mirror", control = moe_control(step = 0.5)),
               "theta")
  expect_error(moe(y ~ x, data = d, K = 2, family = "negbin", control = moe_control(common_sigma = TRUE)),
               "common_sigma")
})

test_that("moe_compare runs negbin experts from the search's start, and refuses mirror descent before any fit", {
  d <- nb_data(300, 7)
  cmp <- moe_compare(y ~ x, data = d, K = 2, methods = c("em", "squarem"), family = "negbin")
  expect_setequal(unique(cmp$method), c("em", "squarem"))
  expect_equal(max(cmp$loglik[cmp$method == "squarem"]), max(cmp$loglik[cmp$method == "em"]), tolerance = 1e-6)
  expect_error(moe_compare(y ~ x, data = d, K = 2, methods = c("em", "mirror:0.5"), family = "negbin"),
               "moe_compare\\(\\): .*expert's theta")
})
