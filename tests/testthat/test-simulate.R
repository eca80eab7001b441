# Responses drawn from a fit, and the bootstrap test of the number of experts.

test_that("simulate() draws from the fitted mixture at the fit's rows, reproducibly", {
  mc <- moe_data("mcycle")
  set.seed(1)
  fit <- moe(accel ~ times | times, mc, K = 3, control = moe_control(se = FALSE))
  before <- .Random.seed
  s <- simulate(fit, nsim = 2000, seed = 5)
  expect_identical(.Random.seed, before)  # a given seed leaves the session's stream alone
  expect_equal(dim(s), c(nrow(mc), 2000L))
  expect_identical(simulate(fit, nsim = 2, seed = 5)[[2]], s[[2]])
  # the mean of the draws is the mixture mean, within 5 standard errors
  mu <- predict(fit, type = "experts")
  pi <- predict(fit, type = "gate")
  sd <- sqrt(rowSums(pi * sweep(mu^2, 2, fit$model$sigma^2, "+")) - fitted(fit)^2)
  expect_true(all(abs(rowMeans(s) - fitted(fit)) < 5 * sd / sqrt(2000)))
  # each draw's expert follows the gate
  experts <- attr(s, "experts")
  expect_equal(dim(experts), dim(s))
  share <- tabulate(experts, 3) / length(experts)
  expect_equal(share, unname(colMeans(pi)), tolerance = 0.01)
  pm <- moe_data("pima")
  set.seed(2)
  logistic <- moe(diabetes ~ glu | age, pm, K = 2, family = binomial(), control = moe_control(se = FALSE))
  b <- simulate(logistic, nsim = 500, seed = 1)
  expect_true(all(unlist(b) %in% c(0, 1)))
  expect_lt(max(abs(rowMeans(b) - fitted(logistic))), 5 * 0.5 / sqrt(500))
  pt <- moe_data("patent")
  set.seed(3)
  counts <- moe(Patents ~ lgRD | RDS, pt, K = 2, family = poisson(), starts = 2, control = moe_control(se = FALSE))
  p <- simulate(counts, nsim = 2000, seed = 2)
  expect_true(all(unlist(p) >= 0 & unlist(p) == floor(unlist(p))))
  mu <- predict(counts, type = "experts")
  pi <- predict(counts, type = "gate")
  sd <- sqrt(rowSums(pi * (mu + mu^2)) - fitted(counts)^2)
  expect_true(all(abs(rowMeans(p) - fitted(counts)) < 5 * sd / sqrt(2000)))
  expect_error(simulate(fit, nsim = 0), "'nsim' must be a whole number")
})

test_that("moe_boot_lrt: NPreg's two experts are found, one-expert data keeps one", {
  np <- moe_data("NPreg")
  set.seed(3)
  two <- moe_boot_lrt(yn ~ x, np, K = 1, B = 19)
  expect_s3_class(two, "htest")
  expect_equal(unname(two$statistic), 2 * (two$h1$loglik - two$h0$loglik))
  expect_length(two$boot, 19)
  expect_equal(two$p.value, 1 / 20)  # every bootstrap statistic is below the observed one
  set.seed(4)
  d <- data.frame(x = stats::rnorm(200))
  d$y <- 1 + 2 * d$x + stats::rnorm(200)
  one <- moe_boot_lrt(y ~ x, d, K = 1, B = 19)
  expect_equal(one$p.value, (1 + sum(one$boot >= one$statistic)) / 20)
  expect_gt(one$p.value, 0.05)
  expect_error(moe_boot_lrt(log(yn + 100) ~ x, np, K = 1, B = 5), "not an expression")
  expect_error(moe_boot_lrt(yn ~ x, np, K = 1, B = 0), "'B' must be a whole number")
})

test_that("a factor response is simulated as a factor with the fit's levels", {
  pm <- moe_data("pima")
  pm$outcome <- factor(ifelse(pm$diabetes == 1, "yes", "no"))
  set.seed(1)
  fit <- moe(outcome ~ glu | age, pm, K = 2, family = binomial(), starts = 1, control = moe_control(se = FALSE))
  s <- simulate(fit, nsim = 2, seed = 3)
  expect_true(is.factor(s$sim_1))
  expect_equal(levels(s$sim_1), c("no", "yes"))
  set.seed(1)
  numeric_fit <- moe(diabetes ~ glu | age, pm, K = 2, family = binomial(), starts = 1,
                     control = moe_control(se = FALSE))
  expect_equal(as.numeric(s$sim_1 == "yes"), simulate(numeric_fit, nsim = 2, seed = 3)$sim_1)
})

test_that("moe_boot_lrt with frequency weights tests the rows repeated", {
  np <- moe_data("NPreg")[1:60, ]
  np$w <- rep(c(0, 1, 2), 20)
  repeated <- np[rep(seq_len(nrow(np)), np$w), ]
  set.seed(5)
  weighted <- moe_boot_lrt(yn ~ x, np, K = 1, B = 3, weights = w)
  set.seed(5)
  plain <- moe_boot_lrt(yn ~ x, repeated, K = 1, B = 3)
  expect_identical(weighted$statistic, plain$statistic)
  expect_identical(weighted$boot, plain$boot)
  expect_equal(nobs(weighted$h0), 60)
  set.seed(5)
  expect_identical(moe_boot_lrt(yn ~ x, np, K = 1, B = 3, weights = np$w)$boot, plain$boot)  # a vector
  expect_error(moe_boot_lrt(yn ~ x, np, K = 1, B = 3, weights = rep(0.5, 60)), "whole numbers >= 0")
  expect_error(moe_boot_lrt(yn ~ x, np, K = 1, B = 3, weights = 1:3), "one per row")
})
