# Expert coefficients shared by all experts: moe(..., fixed = ~ x2), flexmix's
# FLXMRglmfix(fixed = ~ x2).

# Two Poisson experts with their own intercepts and slopes in x, and one slope
# in w that both share.
sim_fixed_poisson <- function(n, seed) {
  set.seed(seed)
  d <- data.frame(x = rnorm(n), w = rnorm(n))
  k <- rbinom(n, 1, 0.4)
  d$y <- rpois(n, exp(ifelse(k == 1, 1.5 + 0.3 * d$x, -0.5 - 0.6 * d$x) + 0.5 * d$w))
  d
}

test_that("one expert with fixed terms is glm's fit", {
  d <- sim_fixed_poisson(300, 1)
  g <- glm(y ~ x + w, family = poisson, data = d)
  fit <- moe(y ~ x, data = d, K = 1, family = poisson(), fixed = ~ w)
  expect_equal(as.numeric(fit$model$experts), as.numeric(coef(g)), tolerance = 1e-8)
  expect_equal(as.numeric(logLik(fit)), as.numeric(logLik(g)), tolerance = 1e-10)
  expect_equal(as.numeric(fit$se$experts), as.numeric(summary(g)$coefficients[, 2]), tolerance = 1e-5)
  expect_equal(fit$model$shared, 3L)
})

test_that("two experts share the fixed slope, recover it, and count it once", {
  d <- sim_fixed_poisson(3000, 2)
  set.seed(3)
  fit <- moe(y ~ x, data = d, K = 2, family = poisson(), fixed = ~ w)
  expect_equal(rownames(fit$model$experts)[fit$model$shared], "w")
  expect_equal(fit$model$experts["w", 1], fit$model$experts["w", 2])
  expect_lt(abs(fit$model$experts["w", 1] - 0.5), 0.05)
  own <- fit$model$experts[c("(Intercept)", "x"), order(fit$model$experts[1, ], decreasing = TRUE)]
  expect_lt(max(abs(own - cbind(c(1.5, 0.3), c(-0.5, -0.6)))), 0.15)
  expect_equal(fit$df, 2L * 2L + 1L + 1L)
  expect_equal(fit$se$experts["w", 1], fit$se$experts["w", 2])
  expect_true(all(diff(fit$trace$loglik) >= -1e-8 * abs(fit$loglik)))  # EM never goes down
  free <- moe(y ~ x + w, data = d, K = 2, family = poisson(), start = list(
    experts = unname(fit$model$experts), gate = unname(fit$model$gate)))
  expect_gte(free$loglik, fit$loglik - 1e-8)  # the unrestricted model from the same point is at least as good
  expect_output(print(fit), "Shared by all experts \\(fixed\\): w")
})

test_that("a fixed fit predicts, simulates, restarts, compares and round-trips through a model file", {
  d <- sim_fixed_poisson(400, 4)
  set.seed(5)
  fit <- moe(y ~ x, data = d, K = 2, family = poisson(), fixed = ~ w)
  expect_equal(unname(predict(fit, newdata = d[1:6, ])), unname(fitted(fit)[1:6]), tolerance = 1e-12)
  sims <- simulate(fit, nsim = 2, seed = 6)
  expect_true(all(sims$sim_1 >= 0))
  again <- moe(y ~ x, data = d, K = 2, family = poisson(), fixed = ~ w, start = fit$model)
  expect_equal(again$loglik, fit$loglik, tolerance = 1e-8)
  cmp <- moe_compare(y ~ x, data = d, K = 2, family = poisson(), fixed = ~ w, methods = c("em", "mirror:0.5"))
  expect_equal(attr(cmp, "best_loglik"), fit$loglik, tolerance = 1e-6)
  path <- tempfile(fileext = ".json")
  moe_write(fit, path)
  read <- moe_read(path)
  expect_equal(read$model$shared, 3L)
  expect_equal(unname(predict(read, newdata = d[1:6, ])), unname(fitted(fit)[1:6]), tolerance = 1e-10)
})

test_that("a model file keeps the fixed columns after the experts' own, and reading restores R's order", {
  d <- sim_fixed_poisson(300, 7)
  set.seed(8)
  fit <- moe(y ~ x:w, data = d, K = 2, family = poisson(), fixed = ~ x)  # x's column before x:w's
  expect_equal(rownames(fit$model$experts)[fit$model$shared], "x")
  path <- tempfile(fileext = ".json")
  moe_write(fit, path)
  expect_match(paste(readLines(path), collapse = ""), '"x": \\[\\s*"x:w"\\s*\\],\\s*"x_fixed": \\[\\s*"x"')
  read <- moe_read(path)
  expect_equal(unname(read$model$experts), unname(fit$model$experts))
  expect_equal(rownames(read$model$experts), rownames(fit$model$experts))
  expect_equal(read$model$shared, fit$model$shared)
  expect_equal(unname(predict(read, newdata = d[1:6, ])), unname(fitted(fit)[1:6]), tolerance = 1e-10)
})

test_that("bad fixed terms give clear errors", {
  d <- sim_fixed_poisson(100, 9)
  expect_error(moe(y ~ x + w, data = d, K = 2, family = poisson(), fixed = ~ w),
               "'w' is both in the formula .* and in 'fixed'")
  expect_error(moe(y ~ x, data = d, K = 2, family = poisson(), fixed = "w"), "one-sided formula")
  expect_error(moe(y ~ x, data = d, K = 2, family = poisson(), fixed = y ~ w), "one-sided formula")
  expect_error(moe(y ~ x, data = d, K = 2, family = poisson(), fixed = ~ 1), "one or more terms")
  expect_error(moe(y ~ 0 + x | 0 + w, data = d, K = 2, family = poisson(), fixed = ~ x), "both in the formula")
})

# Against flexmix's FLXMRglmfix on its own examples, in the same run: moe's
# default fit must reach flexmix's best of several seeds (both M-steps are
# exact here: glm families, and Gaussian with one sigma, varFix = TRUE).
flexmix_fixed_best <- function(formula, data, K, family, fixed, seeds, varFix = FALSE) {
  best <- -Inf
  for (s in seq_len(seeds)) {
    set.seed(s)
    f <- flexmix::flexmix(formula, data = data, k = K, control = list(minprior = 0),
                          model = flexmix::FLXMRglmfix(family = family, fixed = fixed, varFix = varFix))
    best <- max(best, f@logLik)
  }
  best
}

test_that("fabricfault, trypanosome and NPreg with fixed terms reach flexmix's best", {
  skip_if_not_installed("flexmix")
  fabricfault <- get(utils::data("fabricfault", package = "flexmix", envir = environment()))
  set.seed(1)
  fit <- moe(Faults ~ 1, data = fabricfault, K = 2, family = poisson(), fixed = ~ log(Length))
  best <- flexmix_fixed_best(Faults ~ 1, fabricfault, 2, "poisson", ~ log(Length), 10)
  expect_gte(fit$loglik, best - 1e-6 * abs(best))

  trypanosome <- get(utils::data("trypanosome", package = "flexmix", envir = environment()))
  set.seed(1)
  fit <- moe(Dead ~ 1, data = trypanosome, K = 2, family = binomial(), fixed = ~ log(Dose))
  best <- flexmix_fixed_best(cbind(Dead, 1 - Dead) ~ 1, trypanosome, 2, "binomial", ~ log(Dose), 10)
  expect_gte(fit$loglik, best - 1e-6 * abs(best))

  NPreg <- get(utils::data("NPreg", package = "flexmix", envir = environment()))
  set.seed(1)
  fit <- moe(yn ~ x, data = NPreg, K = 2, fixed = ~ I(x^2), control = moe_control(common_sigma = TRUE))
  best <- flexmix_fixed_best(yn ~ x, NPreg, 2, "gaussian", ~ I(x^2), 10, varFix = TRUE)
  expect_gte(fit$loglik, best - 1e-6 * abs(best))
  expect_equal(fit$df, 2L * 2L + 1L + 1L + 1L)
})
