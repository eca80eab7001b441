# Shared helpers for the moe tests (loaded by testthat before the test files).

# Simulated two-expert data with a gate on z: expert 1 is y = 1 + 2x, expert 2
# y = -1 - x, chosen with probability plogis(2z); plus a factor f.
sim_two_experts <- function(n = 300, seed = 42) {
  set.seed(seed)
  d <- data.frame(x = stats::rnorm(n), z = stats::rnorm(n),
                  f = factor(sample(c("a", "b", "c"), n, replace = TRUE)))
  d$y <- ifelse(stats::runif(n) < stats::plogis(2 * d$z), 1 + 2 * d$x, -1 - d$x) +
    stats::rnorm(n, sd = 0.3)
  d
}

# Soft starting responsibilities from a hard assignment, exactly as flexmix
# builds them from an integer 'cluster' (0.9 on the assigned component, 0.1
# elsewhere, rows normalised).
soft_start <- function(cluster, K) {
  P <- matrix(0.1, length(cluster), K)
  P[cbind(seq_along(cluster), cluster)] <- 0.9
  P / rowSums(P)
}

# Log-likelihood of a Gaussian gated mixture computed in plain R, in log space,
# from the coefficient matrices (columns = experts).
loglik_in_r <- function(y, X, Z, experts, gate, sigma) {
  eta <- Z %*% gate
  lse <- function(M) { m <- apply(M, 1, max); m + log(rowSums(exp(M - m))) }
  log_gate <- eta - lse(eta)
  mu <- X %*% experts
  log_dens <- sapply(seq_along(sigma), function(k) stats::dnorm(y, mu[, k], sigma[k], log = TRUE))
  sum(lse(log_gate + log_dens))
}

rel_diff <- function(a, b) abs(a - b) / abs(b)

# flexmix drivers whose M-steps are exact, so that flexmix runs the same EM
# iteration as moe:
# - flexmix's FLXMRglm(gaussian) estimates sigma^2 as sum(w r^2) / mean(w) /
#   (n - rank), a degrees-of-freedom corrected value, not the weighted MLE
#   sum(w r^2) / sum(w) that maximises the expected complete log-likelihood;
# - FLXPmultinom fits the gate by nnet's BFGS with maxit = 100 and
#   reltol = 1e-8, an inexact M-step.
flexmix_mle_gaussian <- function() {
  m <- flexmix::FLXMRglm(family = "gaussian")
  m@fit <- function(x, y, w, component) {
    fit <- stats::lm.wfit(x, y, w = w)
    m@defineComponent(para = list(coef = stats::coef(fit), df = ncol(x) + 1,
                                  sigma = sqrt(sum(w * fit$residuals^2) / sum(w))))
  }
  m
}

flexmix_exact_multinom <- function(formula) {
  z <- flexmix::FLXPmultinom(formula)
  multinom_fit <- get("multinom.fit", envir = environment(z@fit))
  z@fit <- function(x, y, w, ...)
    multinom_fit(x, y, w, maxit = 100000, reltol = 1e-15, abstol = 0)$fitted.values
  z
}

# Root of the source tree when the tests run from tests/testthat of a checkout.
repo_root <- function() normalizePath(testthat::test_path("..", ".."), mustWork = FALSE)
