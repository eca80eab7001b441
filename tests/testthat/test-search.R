# The search for the best maximum (moe_control(init =, finalists =, ...)):
# flexmix's own seizure example, the strategies, the report, threads.

test_that("the default fit of flexmix's seizure example reaches flexmix's best", {
  skip_if_not_installed("flexmix")
  data("seizure", package = "flexmix", envir = environment())
  f <- Seizures ~ Treatment * log(Day) + offset(log(Hours))
  set.seed(1)
  fit <- moe(f, data = seizure, K = 2, family = "poisson", control = moe_control(se = FALSE))
  expect_gt(fit$loglik, -376.18)  # flexmix (offset given to FLXMRglm), best of 30 seeds: -376.1762
  one <- moe(f, data = seizure, K = 1, family = "poisson", control = moe_control(se = FALSE))
  expect_gt(fit$loglik, one$loglik + 200)
  # k-means splits the rows by treatment, where the design is saturated: identical
  # experts, a fixed point of EM; the search redraws such starts
  set.seed(1)
  km <- moe(f, data = seizure, K = 2, family = "poisson", starts = 5,
            control = moe_control(init = "kmeans", se = FALSE))
  expect_gt(km$multistart$redrawn, 0)
  expect_gt(km$loglik, -376.18)
})

test_that("every strategy is seeded by set.seed()", {
  mc <- moe_data("mcycle")
  for (init in c("kmeans", "random", "hard", "residual", "segments", "mixed")) {
    ctl <- moe_control(init = init, se = FALSE)
    set.seed(3); a <- moe(accel ~ times | times, mc, K = 3, starts = 4, control = ctl)
    set.seed(3); b <- moe(accel ~ times | times, mc, K = 3, starts = 4, control = ctl)
    expect_identical(a$start_logliks, b$start_logliks, info = init)
    expect_identical(a$model, b$model, info = init)
  }
  expect_error(moe(accel ~ times | times, mc, K = 3, control = moe_control(init = "best")), "should be one of")
})

test_that("the report lists the local maxima, and summary() prints them", {
  mc <- moe_data("mcycle")
  set.seed(2)
  fit <- moe(accel ~ times | times, mc, K = 3, starts = 12, control = moe_control(se = FALSE, finalists = 4))
  r <- fit$multistart
  expect_equal(r$screened, 12L)
  expect_gte(r$finalists, 4L)
  expect_true(is.data.frame(r$maxima))
  expect_equal(sum(r$maxima$starts), r$finalists)
  expect_true(all(diff(r$maxima$loglik) < 0))
  expect_equal(r$maxima$loglik[1L], fit$loglik, tolerance = 1e-6)  # the same maximum (1e-6 relative)
  expect_gt(fit$loglik, -580.52)  # flexmix's best of 30 seeds: -580.5258
  expect_output(print(summary(fit)), "local maxima \\(log-likelihood: finalists, moves\\)")
  # a fit from given parameters has no search
  again <- moe(accel ~ times | times, mc, K = 3, start = fit$model, control = moe_control(se = FALSE))
  expect_null(again$multistart)
})

test_that("the fit does not depend on the number of threads", {
  mc <- moe_data("mcycle")
  fits <- lapply(1:2, function(t) {
    set.seed(5)
    moe(accel ~ times | times, mc, K = 3, starts = 8, control = moe_control(threads = t, se = FALSE))
  })
  expect_identical(fits[[1]]$start_logliks, fits[[2]]$start_logliks)
  expect_identical(fits[[1]]$model, fits[[2]]$model)
  expect_error(moe_control(finalists = -1), "'finalists' must be a whole number from 0")
})

test_that("moe_compare starts every method from the search's best start", {
  mc <- moe_data("mcycle")
  set.seed(1)
  cmp <- moe_compare(accel ~ times | times, mc, K = 3, methods = c("em", "mirror:0.5"), starts = 10)
  # on mcycle a single k-means start left EM 44 units below the best maximum
  expect_gt(attr(cmp, "best_loglik"), -580.52)
})

test_that("an expert on the variance floor (tied responses) gives a warning", {
  set.seed(4)
  d <- data.frame(y = c(rep(50, 20), rnorm(100, 20, 6)))
  expect_warning(fit <- moe(y ~ 1, d, K = 2, starts = 10, control = moe_control(se = FALSE)), "variance floor")
  expect_equal(min(fit$model$sigma)^2, 1e-5 * var(d$y), tolerance = 1e-6)
  d$y[1:20] <- 50 + seq(-0.5, 0.5, length.out = 20)
  expect_no_warning(moe(y ~ 1, d, K = 2, starts = 10, control = moe_control(se = FALSE)))
})

test_that("at a boundary there are no standard errors; prefer_finite returns the best finite maximum", {
  mc <- moe_data("mcycle")
  set.seed(1)
  expect_warning(sup <- moe(accel ~ times | times, mc, K = 3), "numerically 0 or 1 at every row")
  expect_false(sup$se$valid)
  expect_match(sup$se$note, "at a boundary of the parameter space")
  expect_output(print(summary(sup)), "No standard errors: the fit is at a boundary")
  expect_error(vcov(sup), "no covariance")
  set.seed(1)
  expect_warning(fin <- moe(accel ~ times | times, mc, K = 3, control = moe_control(prefer_finite = TRUE)),
                 "prefer_finite: the best fit found \\(-577")
  expect_lt(fin$loglik, sup$loglik)
  expect_gt(fin$loglik, -580.52)  # flexmix's best of 30 seeds: -580.5258
})
