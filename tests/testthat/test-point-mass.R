# Point-mass experts: point_mass = 0 with count experts is a zero-inflated model
# whose zero state follows the gate (pscl's zeroinfl(y ~ x | z)).

zip_data <- function(n, seed) {
  set.seed(seed)
  d <- data.frame(x = rnorm(n), z = rnorm(n))
  zero <- runif(n) < plogis(-0.3 - 1.5 * d$z)
  d$y <- ifelse(zero, 0, rpois(n, exp(1.2 + 0.5 * d$x)))
  d
}

# minus the ZIP log-likelihood written out, in pscl's parameters: count
# coefficients, then the zero state's logit coefficients
zip_minus_loglik <- function(par, y, X, Z) {
  p <- ncol(X)
  mu <- exp(X %*% par[seq_len(p)])
  zero <- plogis(Z %*% par[-seq_len(p)])
  -sum(log((1 - zero) * dpois(y, mu) + ifelse(y == 0, zero, 0)))
}

test_that("a Poisson expert and a point mass at 0 reach the maximum of the ZIP likelihood written out", {
  d <- zip_data(1500, 1)
  fit <- moe(y ~ x | z, data = d, K = 2, family = poisson(), point_mass = 0, control = moe_control(tol = 1e-13))
  expect_equal(fit$model$point_mass, 0)
  X <- cbind(1, d$x)
  Z <- cbind(1, d$z)
  best <- NULL
  for (s in 1:5) {  # a direct maximization from several starts
    set.seed(s)
    o <- optim(rnorm(4, sd = 0.5), zip_minus_loglik, y = d$y, X = X, Z = Z, method = "BFGS",
               control = list(maxit = 1000, reltol = 1e-14))
    if (is.null(best) || o$value < best$value) best <- o
  }
  expect_gte(fit$loglik, -best$value - 1e-6)
  expect_equal(fit$loglik, -best$value, tolerance = 1e-8)
  expect_equal(unname(fit$model$experts[, 1]), best$par[1:2], tolerance = 1e-4)
  expect_equal(unname(-fit$model$gate[, 1]), best$par[3:4], tolerance = 1e-4)
  expect_equal(fit$df, 4L)
  expect_true(all(is.na(fit$se$experts[, 2])))
  expect_true(all(is.finite(fit$se$experts[, 1])))
  expect_true(all(diff(fit$trace$loglik) > -1e-8 * abs(fit$loglik)))
})

test_that("zero-inflated Poisson and negative binomial equal pscl::zeroinfl on bioChemists", {
  skip_if_not_installed("pscl")
  data("bioChemists", package = "pscl", envir = environment())
  f <- art ~ fem + mar + kid5 + phd + ment | fem + mar + kid5 + phd + ment
  zip <- pscl::zeroinfl(f, data = bioChemists, control = pscl::zeroinfl.control(reltol = 1e-12))
  fit <- moe(f, data = bioChemists, K = 2, family = poisson(), point_mass = 0, control = moe_control(tol = 1e-13))
  expect_equal(as.numeric(logLik(fit)), as.numeric(logLik(zip)), tolerance = 1e-7)
  expect_equal(attr(logLik(fit), "df"), attr(logLik(zip), "df"))
  expect_equal(unname(fit$model$experts[, 1]), unname(zip$coefficients$count), tolerance = 1e-4)
  expect_equal(unname(-fit$model$gate[, 1]), unname(zip$coefficients$zero), tolerance = 1e-3)
  expect_equal(unname(fit$se$experts[, 1]), unname(sqrt(diag(vcov(zip)))[1:6]), tolerance = 1e-3)
  zinb <- pscl::zeroinfl(f, data = bioChemists, dist = "negbin", control = pscl::zeroinfl.control(reltol = 1e-12))
  nfit <- moe(f, data = bioChemists, K = 2, family = "negbin", point_mass = 0, control = moe_control(tol = 1e-13))
  expect_equal(as.numeric(logLik(nfit)), as.numeric(logLik(zinb)), tolerance = 1e-7)
  expect_equal(unname(nfit$model$theta[1]), zinb$theta, tolerance = 1e-3)
})

test_that("predict, simulate, residuals, compare and the model file carry the point mass", {
  d <- zip_data(600, 2)
  fit <- moe(y ~ x | z, data = d, K = 2, family = poisson(), point_mass = 0)
  experts <- predict(fit, type = "experts")
  expect_true(all(experts[, 2] == 0))
  set.seed(3)
  sims <- simulate(fit, nsim = 20)
  labels <- attr(sims, "experts")
  expect_true(all(as.matrix(sims)[labels == 2] == 0))
  expect_equal(mean(as.matrix(sims) == 0), mean(predict(fit, type = "gate")[, 2] +
                                                  predict(fit, type = "gate")[, 1] * exp(-experts[, 1])),
               tolerance = 0.03)
  expect_true(all(is.finite(residuals(fit, "pearson"))))
  expect_true(all(is.finite(residuals(fit, "quantile"))))
  expect_output(print(fit), "a point mass at 0")
  expect_output(print(summary(fit)), "a point mass at 0")
  path <- tempfile(fileext = ".json")
  moe_write(fit, path)
  back <- moe_read(path)
  expect_equal(back$model$point_mass, 0)
  expect_equal(predict(back, newdata = d), predict(fit, newdata = d), tolerance = 1e-12)
  cmp <- moe_compare(y ~ x | z, data = d, K = 2, family = poisson(), point_mass = 0,
                     methods = c("em", "gd"), control = moe_control(se = FALSE, max_iter = 2000, tol = 1e-12))
  expect_equal(max(cmp$loglik[cmp$method == "gd"]), fit$loglik, tolerance = 1e-6)
})

test_that("the bootstrap LRT and moe_select keep the point mass in every fit", {
  d <- zip_data(300, 5)
  set.seed(6)
  lrt <- moe_boot_lrt(y ~ x | z, data = d, K = 2, B = 3, family = poisson(), point_mass = 0, starts = 3,
                      control = moe_control(se = FALSE))
  expect_equal(lrt$h0$model$point_mass, 0)
  expect_equal(lrt$h1$model$point_mass, 0)
  expect_equal(ncol(lrt$h1$model$experts), 3L)
  expect_gte(lrt$statistic, -1e-6)
  sel <- moe_select(y ~ x | z, data = d, K = 2:3, family = poisson(), point_mass = 0, starts = 3)
  expect_equal(sel$table$df, c(4L, 8L))
})

test_that("groups in the zero state and frequency weights work with a point mass", {
  set.seed(7)
  G <- 150
  id <- rep(seq_len(G), each = 4)
  z <- rep(rnorm(G), each = 4)
  x <- rnorm(4 * G)
  zero_state <- rep(runif(G) < plogis(-0.5 + z[seq(1, 4 * G, 4)]), each = 4)  # a whole group at 0
  d <- data.frame(y = ifelse(zero_state, 0, rpois(4 * G, exp(0.8 + 0.5 * x))), x = x, z = z, id = id)
  fit <- moe(y ~ x | z, data = d, K = 2, family = poisson(), point_mass = 0, group = ~ id)
  expect_lt(max(abs(fit$model$experts[, 1] - c(0.8, 0.5))), 0.15)
  expect_lt(max(abs(-fit$model$gate[, 1] - c(-0.5, 1))), 0.6)
  post <- predict(fit, type = "posterior")
  expect_true(all(post[d$y > 0, 2] == 0))  # a group with a count is never the point mass's
  w <- rep(c(1, 2), length.out = nrow(d))
  weighted <- moe(y ~ x | z, data = d, K = 2, family = poisson(), point_mass = 0, weights = w)
  repeated <- moe(y ~ x | z, data = d[rep(seq_len(nrow(d)), w), ], K = 2, family = poisson(), point_mass = 0)
  expect_equal(weighted$loglik, repeated$loglik, tolerance = 1e-8)
})

test_that("bad point masses give clear errors", {
  d <- zip_data(200, 4)
  expect_error(moe(y ~ x, data = d, K = 2, point_mass = 0), "a family of counts")
  expect_error(moe(y ~ x, data = d, K = 1, family = poisson(), point_mass = 0), "K >= 2")
  expect_error(moe(y ~ x, data = d, K = 2, family = poisson(), point_mass = 0.5), "never takes")
  expect_error(moe(y ~ x, data = d, K = 2, family = poisson(), point_mass = "0"), "one finite number")
  expect_error(moe(y ~ x, data = d, K = 2, family = poisson(), point_mass = c(0, 1)), "one finite number")
})
