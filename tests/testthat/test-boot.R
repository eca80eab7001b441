# moe_boot(): bootstrap standard errors and percentile intervals of a fit.

test_that("moe_boot is reproducible with set.seed and does not depend on the threads", {
  d <- sim_two_experts(300)
  fit <- moe(y ~ x | z, data = d, K = 2)
  set.seed(3)
  a <- moe_boot(fit, B = 20, threads = 1)
  set.seed(3)
  b <- moe_boot(fit, B = 20, threads = 2)
  expect_identical(a$replicates, b$replicates)
  expect_identical(a$table, b$table)
  set.seed(4)
  expect_false(identical(moe_boot(fit, B = 20)$replicates, a$replicates))
  expect_equal(rownames(a$table), rownames(confint(fit)))
  expect_equal(a$table$estimate, unname(c(fit$model$gate[, 1], fit$model$experts, fit$model$sigma)))
  expect_equal(dim(a$replicates), c(20L, nrow(a$table)))
  expect_equal(a$failed, 0)
  expect_output(print(a), "nonparametric bootstrap of 20 replicates")
  expect_output(print(a), "97.5 %")
})

test_that("moe_boot's standard errors agree with the observed information's on a well-identified fit", {
  d <- sim_two_experts(800, seed = 7)
  fit <- moe(y ~ x | z, data = d, K = 2)
  info <- sqrt(diag(vcov(fit)))
  for (type in c("nonparametric", "parametric")) {
    set.seed(1)
    b <- moe_boot(fit, B = 300, type = type)
    expect_equal(b$table$se_information[1:6], unname(info[1:6]), tolerance = 1e-8)  # gate and coefficients
    ratio <- b$table$se_bootstrap / b$table$se_information
    expect_true(all(ratio > 0.8 & ratio < 1.2), info = paste(type, paste(round(ratio, 3), collapse = " ")))
    inside <- b$table$lower < b$table$estimate & b$table$estimate < b$table$upper
    expect_true(all(inside))
    expect_equal(b$relabelled, 0)  # started from the fit, well separated experts keep their labels
  }
})

test_that("with one expert the nonparametric bootstrap is lm's, resampled by hand", {
  d <- moe_data("NPreg")
  fit <- moe(yn ~ x, data = d, K = 1)
  set.seed(10)
  b <- moe_boot(fit, B = 400)
  set.seed(11)
  by_hand <- t(replicate(400, coef(lm(yn ~ x, data = d[sample(nrow(d), replace = TRUE), ]))))
  # two bootstraps of B = 400: each SD within about 1/sqrt(2 * 400) = 3.5 % of the truth
  expect_equal(b$table$se_bootstrap[1:2], unname(apply(by_hand, 2, sd)), tolerance = 0.15)
  expect_equal(b$table$estimate[1:2], unname(coef(lm(yn ~ x, data = d))), tolerance = 1e-6)
})

test_that("moe_boot keeps groups, weights and a point mass", {
  d <- sim_two_experts(200)
  d$w <- rep(1:2, 100)
  fit <- moe(y ~ x | z, data = d, K = 2, weights = w)
  set.seed(1)
  b <- moe_boot(fit, B = 10)
  expect_equal(b$failed, 0)
  d$w2 <- d$w + 0.5
  fit2 <- moe(y ~ x | z, data = d, K = 2, weights = w2)
  expect_error(moe_boot(fit2, B = 5), "moe_boot\\(\\): .*whole numbers")
  expect_equal(moe_boot(fit2, B = 5, type = "parametric")$failed, 0)

  set.seed(2)
  g <- data.frame(id = rep(1:60, each = 3), x = rnorm(180))
  g$y <- rpois(180, exp(ifelse(g$id %% 2 == 0, 1.5, 0.2) + 0.3 * g$x))
  fit3 <- moe(y ~ x, data = g, K = 2, family = poisson(), group = ~ id)
  expect_equal(moe_boot(fit3, B = 10)$failed, 0)
  expect_equal(moe_boot(fit3, B = 10, type = "parametric")$failed, 0)

  z <- data.frame(x = rnorm(300))
  z$y <- ifelse(runif(300) < 0.3, 0, rpois(300, exp(1 + 0.4 * z$x)))
  fit4 <- moe(y ~ x, data = z, K = 2, family = poisson(), point_mass = 0)
  b4 <- moe_boot(fit4, B = 30)
  expect_equal(rownames(b4$table), c("gate.expert1:(Intercept)", "expert1:(Intercept)", "expert1:x"))
  ratio <- b4$table$se_bootstrap / b4$table$se_information
  expect_true(all(ratio > 0.5 & ratio < 1.6))
})

test_that("moe_boot refuses bad input with clear errors", {
  fit <- moe(yn ~ x, data = moe_data("NPreg"), K = 2)
  expect_error(moe_boot(lm(yn ~ x, data = moe_data("NPreg"))), "must be a fit of moe")
  expect_error(moe_boot(fit, B = 0), "'B' must be a whole number")
  expect_error(moe_boot(fit, B = 2.5), "'B' must be a whole number")
  expect_error(moe_boot(fit, level = 1), "'level' must be one number")
  expect_error(moe_boot(fit, type = "jackknife"), "should be one of")
  expect_error(moe_boot(fit, threads = -1), "'threads'")
  path <- tempfile(fileext = ".json")
  moe_write(fit, path)
  expect_error(moe_boot(moe_read(path)), "holds no data")
})
