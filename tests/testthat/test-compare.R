# moe_compare(): several estimators from one initialization.

test_that("moe_compare returns one block per method, all from the same start", {
  mc <- moe_data("mcycle")
  methods <- c("em", "gem", "gd", "mirror:0.5")
  set.seed(1)
  cmp <- moe_compare(accel ~ times | times, mc, K = 3, methods = methods,
                     control = moe_control(max_iter = 60, se = FALSE))
  expect_s3_class(cmp, "data.frame")
  expect_s3_class(cmp, "moe_compare")
  expect_true(all(c("method", "iteration", "loglik", "seconds", "gap") %in% names(cmp)))
  # one contiguous block per method, in the order given
  expect_identical(rle(cmp$method)$values, methods)
  firsts <- cmp[!duplicated(cmp$method), ]
  expect_identical(firsts$iteration, rep(0L, 4L))
  # the same start: identical first log-likelihoods
  expect_identical(length(unique(firsts$loglik)), 1L)
  # each block's iterations run 0, 1, 2, ... and stay within max_iter
  for (m in methods) {
    it <- cmp$iteration[cmp$method == m]
    expect_identical(it, seq(0L, length(it) - 1L))
    expect_lte(max(it), 60L)
  }
  # EM and GEM never decrease the log-likelihood
  for (m in c("em", "gem"))
    expect_true(all(diff(cmp$loglik[cmp$method == m]) >= -1e-8 * abs(attr(cmp, "best_loglik"))))
  expect_identical(attr(cmp, "best_loglik"), max(cmp$loglik))
  expect_equal(cmp$gap, (max(cmp$loglik) - cmp$loglik) / abs(max(cmp$loglik)))
  expect_true(all(cmp$gap >= 0))
  expect_output(print(cmp), "Best log-likelihood")
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_silent(plot(cmp))
  expect_silent(plot(cmp, xvar = "seconds"))
})

test_that("moe_compare from given responsibilities starts where moe() does", {
  mc <- moe_data("mcycle")
  set.seed(209)
  P <- soft_start(sample(1:3, nrow(mc), replace = TRUE), 3)
  cmp <- moe_compare(accel ~ times | times, mc, K = 3, methods = c("em", "gem"), responsibilities = P,
                     control = moe_control(max_iter = 20, se = FALSE))
  fit <- moe(accel ~ times | times, mc, responsibilities = P, method = "em",
             control = moe_control(max_iter = 20, se = FALSE))
  em <- cmp[cmp$method == "em", ]
  expect_equal(em$loglik, fit$trace$loglik, tolerance = 1e-12)
  expect_identical(cmp$loglik[cmp$method == "gem"][1], em$loglik[1])
})

test_that("moe_compare passes weights on: weighted runs are those of the repeated rows", {
  np <- moe_data("NPreg")
  np$w <- seq_len(nrow(np)) %% 3
  repeated <- np[rep(seq_len(nrow(np)), np$w), ]
  set.seed(4)
  P <- moe(yn ~ x | x, repeated, K = 2, control = moe_control(max_iter = 0, se = FALSE))$posterior
  first <- !duplicated(rep(seq_len(nrow(np)), np$w))  # one row of responsibilities per weighted row
  R <- matrix(0.5, nrow(np), 2)
  R[np$w > 0, ] <- P[first, ]
  a <- moe_compare(yn ~ x | x, np, methods = c("em", "gd"), weights = w, responsibilities = R,
                   control = moe_control(max_iter = 30, se = FALSE))
  b <- moe_compare(yn ~ x | x, repeated, methods = c("em", "gd"), responsibilities = P,
                   control = moe_control(max_iter = 30, se = FALSE))
  expect_equal(a$loglik, b$loglik, tolerance = 1e-10)
})
