# Agreement with mixtools, whose EM functions run exact maximum-likelihood EM
# (weighted least squares and the weighted MLE of sigma; glm.fit to
# convergence for logistic experts), so that from the same starting parameters
# moe and mixtools run the same iteration and must reach the same
# log-likelihood. mixtools stops when one iteration gains less than 'epsilon'
# (absolute), moe when it gains less than 'tol' relative; both are set so that
# the two stop well within 1e-9 relative of the maximum.
# mixtools prints "number of iterations= ..." on every fit: captured here.

quietly <- function(expr) {
  utils::capture.output(value <- expr)
  value
}

tight <- moe_control(tol = 1e-13, max_iter = 100000, se = FALSE)

# Starting experts: least squares on each true class.
class_start <- function(data, formula, cls) {
  fits <- lapply(sort(unique(cls)), function(k) stats::lm(formula, data[cls == k, ]))
  list(beta = sapply(fits, stats::coef), sigma = sapply(fits, function(f) summary(f)$sigma),
       lambda = as.numeric(table(cls)) / nrow(data))
}

test_that("NPreg, yn ~ x, K = 2, constant gate: moe and regmixEM reach the same logLik", {
  skip_if_not_installed("mixtools")
  np <- moe_data("NPreg")
  st <- class_start(np, yn ~ x, np$class)
  mx <- quietly(mixtools::regmixEM(np$yn, np$x, lambda = st$lambda, beta = st$beta, sigma = st$sigma,
                                   k = 2, epsilon = 1e-12, maxit = 100000))
  gate <- matrix(c(log(st$lambda[1] / st$lambda[2]), 0), 1, 2)
  fm <- moe(yn ~ x, np, start = list(experts = st$beta, gate = gate, sigma = st$sigma), control = tight)
  expect_true(fm$converged)
  expect_equal(mx$restarts, 0)
  # observed: -704.054682163815 (moe) and -704.054682162662 (mixtools)
  expect_lt(rel_diff(fm$loglik, mx$loglik), 1e-9)
  expect_gte(fm$loglik, mx$loglik - 1e-9)
  # same start, same labels; the likelihood is flat to 1e-9 over ~1e-4 in the parameters
  expect_equal(unname(fm$model$experts), unname(mx$beta), tolerance = 1e-3)
  expect_equal(unname(fm$model$sigma), mx$sigma, tolerance = 1e-3)
  expect_equal(unname(colMeans(fm$posterior)), mx$lambda, tolerance = 1e-3)
})

test_that("NPreg, yn ~ x | x, K = 2: moe and hmeEM reach the same logLik, moe in far fewer iterations", {
  skip_if_not_installed("mixtools")
  np <- moe_data("NPreg")
  st <- class_start(np, yn ~ x, np$class)
  # hmeEM's gate is plogis(w[1] + w[2] x) for expert 1: moe's gate with expert 2 the reference
  hm <- quietly(mixtools::hmeEM(np$yn, np$x, beta = st$beta, sigma = st$sigma, w = c(0, 0), k = 2,
                                epsilon = 1e-12, maxit = 100000))
  fm <- moe(yn ~ x | x, np, start = list(experts = st$beta, gate = matrix(0, 2, 2), sigma = st$sigma),
            control = tight)
  expect_true(fm$converged)
  expect_equal(hm$restarts, 0)
  # observed: -701.10403816805 (moe) and -701.104038166418 (mixtools)
  expect_lt(rel_diff(fm$loglik, hm$loglik), 1e-9)
  expect_gte(fm$loglik, hm$loglik - 1e-9)
  expect_equal(unname(fm$model$gate[, 1]), hm$w, tolerance = 1e-4)
  expect_equal(unname(fm$model$experts), unname(hm$beta), tolerance = 1e-3)
  # hmeEM's gate M-step stops its Newton-like loop at sum |change| <= 0.001 per
  # coefficient, a partial M-step: it needed 1642 iterations, moe's exact one 72
  expect_lt(5 * fm$iterations, length(hm$all.loglik))
})

test_that("simulated logistic experts, K = 2, constant gate: moe and logisregmixEM reach the same logLik", {
  skip_if_not_installed("mixtools")
  set.seed(2)
  n <- 1000
  d <- data.frame(x = stats::rnorm(n))
  first <- stats::runif(n) < 0.5
  d$y <- as.numeric(stats::runif(n) < stats::plogis(ifelse(first, 1 + 3 * d$x, -1 - 3 * d$x)))
  # start: two EM iterations of moe from k-means
  st <- moe(y ~ x, d, K = 2, family = binomial(), starts = 1, control = moe_control(max_iter = 2, se = FALSE))$model
  lambda <- exp(st$gate[1, ]) / sum(exp(st$gate[1, ]))
  lx <- quietly(mixtools::logisregmixEM(d$y, d$x, lambda = lambda, beta = unname(st$experts), k = 2,
                                        epsilon = 1e-10, maxit = 100000))
  fm <- moe(y ~ x, d, family = binomial(), start = st, control = tight)
  expect_true(fm$converged)
  expect_equal(lx$restarts, 0)
  # observed: -687.186169530258 (moe, 511 iterations), -687.186169530713 (mixtools, 505)
  expect_lt(rel_diff(fm$loglik, lx$loglik), 1e-9)
  expect_equal(unname(fm$model$experts), unname(lx$beta), tolerance = 1e-4)
  expect_lt(max(abs(fm$model$experts)), 20)  # a proper maximum, not separated experts running off
})
