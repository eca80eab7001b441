# Frequency weights: integer weights fit as the rows repeated that often.

test_that("weights 0..3 give the fit, logLik, BIC, vcov and ICL of the repeated rows", {
  mc <- moe_data("NPreg")
  mc$w <- seq_len(nrow(mc)) %% 4
  repeated <- mc[rep(seq_len(nrow(mc)), mc$w), ]
  set.seed(1)
  start <- moe(yn ~ x | x, mc, K = 2, control = moe_control(se = FALSE))$model
  fw <- moe(yn ~ x | x, mc, start = start, weights = w, control = moe_control(tol = 1e-12))
  fr <- moe(yn ~ x | x, repeated, start = start, control = moe_control(tol = 1e-12))
  expect_equal(fw$loglik, fr$loglik, tolerance = 1e-10)
  expect_equal(fw$iterations, fr$iterations)
  expect_equal(coef(fw), coef(fr), tolerance = 1e-7)
  expect_equal(nobs(fw), sum(mc$w))
  expect_equal(BIC(fw), BIC(fr), tolerance = 1e-10)
  expect_equal(vcov(fw), vcov(fr), tolerance = 1e-5)
  expect_equal(fw$icl, fr$icl, tolerance = 1e-8)
  expect_equal(unname(weights(fw)), mc$w)
  # rows of weight 0 still get fitted values and posteriors, as in lm
  expect_length(fitted(fw), nrow(mc))
  # a vector from the formula's environment works as well as a column
  v <- mc$w
  fv <- moe(yn ~ x | x, mc, start = start, weights = v, control = moe_control(tol = 1e-12, se = FALSE))
  expect_equal(fv$loglik, fw$loglik)
})

test_that("moe_select passes weights on", {
  mc <- moe_data("mcycle")
  mc$w <- seq_len(nrow(mc)) %% 3
  set.seed(2)
  s <- moe_select(accel ~ times | times, mc, K = 1:2, weights = w, control = moe_control(se = FALSE))
  expect_equal(nobs(s$best), sum(mc$w))
  expect_equal(s$table$BIC, -2 * s$table$loglik + s$table$df * log(sum(mc$w)))
})

test_that("bad weights are refused; missing ones follow na.action", {
  mc <- moe_data("mcycle")
  mc$w <- 1
  mc$w[5] <- -1
  expect_error(moe(accel ~ times, mc, K = 2, weights = w), "'weights' must be finite numbers >= 0")
  mc$w[5] <- Inf
  expect_error(moe(accel ~ times, mc, K = 2, weights = w), "'weights' must be finite numbers >= 0")
  mc$w <- 0
  expect_error(moe(accel ~ times, mc, K = 2, weights = w), "not all zero")
  expect_error(moe(accel ~ times, mc, K = 2, weights = nothing_here), "nothing_here")
  mc$w <- 1
  mc$w[7] <- NA
  set.seed(3)
  f <- moe(accel ~ times, mc, K = 2, weights = w, starts = 1, control = moe_control(se = FALSE))
  expect_equal(nobs(f), nrow(mc) - 1)
  expect_equal(as.integer(f$na.action), 7L)
})

test_that("an offset() in the experts' part: K = 1 is glm's, predictions and simulations use it", {
  d <- moe_data("patent")
  d$t <- exp(d$RDS)  # an exposure
  g <- stats::glm(Patents ~ lgRD + offset(log(t)), poisson(), d)
  f <- moe(Patents ~ lgRD + offset(log(t)), d, K = 1, family = poisson(), control = moe_control(tol = 1e-12))
  expect_equal(unname(f$model$experts[, 1]), unname(coef(g)), tolerance = 1e-8)
  expect_equal(f$loglik, as.numeric(logLik(g)), tolerance = 1e-10)
  expect_equal(unname(sqrt(diag(vcov(f)))), unname(sqrt(diag(vcov(g)))), tolerance = 1e-4)  # finite differences
  expect_equal(unname(fitted(f)), unname(fitted(g)), tolerance = 1e-8)
  nd <- data.frame(lgRD = c(0, 1), t = c(1, 10))
  expect_equal(unname(predict(f, nd)), unname(predict(g, nd, type = "response")), tolerance = 1e-8)
  s <- simulate(f, nsim = 2000, seed = 1)
  expect_true(all(abs(rowMeans(s) - fitted(f)) < 5 * sqrt(fitted(f) / 2000)))
  expect_error(moe(Patents ~ lgRD | RDS + offset(RDS), d, K = 2, family = poisson()),
               "offset\\(\\) terms belong to the experts' part")
})

test_that("a row of weight 0 is left out even when its values would overflow; its fitted value is still given", {
  pt <- moe_data("patent")
  pt$w <- 1
  far <- rbind(pt, data.frame(Patents = 5, RDS = 0.1, lgRD = 1e6, w = 0))
  a <- moe(Patents ~ lgRD, far, K = 1, family = poisson(), weights = w)
  b <- moe(Patents ~ lgRD, pt, K = 1, family = poisson())
  expect_equal(a$loglik, b$loglik)
  expect_equal(coef(a), coef(b))
  expect_length(fitted(a), nrow(far))
  expect_equal(nobs(a), nrow(pt))
})
