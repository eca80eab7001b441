# Multivariate Gaussian experts: moe(cbind(y1, y2) ~ x | z, covariance = ...),
# against mclust's EM on the same model and start, against lm() for one
# expert, predict(), moe_select() over K and structure, and the errors.

test_that("intercept-only fits are mclust's, structure by structure, from mclust's start", {
  skip_if_not_installed("mclust")
  # mclust's functions find one another on the search path
  suppressPackageStartupMessages(library(mclust))
  on.exit(detach("package:mclust"))
  Y <- as.matrix(datasets::faithful)
  # mclust's own start: its hierarchical clustering (VVV on the SVD-transformed data), cut at 2 groups
  z0 <- mclust::unmap(mclust::hclass(mclust::hc(Y, modelName = "VVV", use = "SVD"), 2))
  for (structure in c("EII", "VII", "EEI", "VVI", "EEE", "VVV")) {
    ref <- mclust::me(Y, modelName = structure, z = z0, control = mclust::emControl(tol = c(1e-12, 1e-12)))
    fit <- moe(cbind(eruptions, waiting) ~ 1, datasets::faithful, covariance = structure, responsibilities = z0,
               control = moe_control(tol = 1e-13, max_iter = 5000))
    expect_equal(fit$loglik, ref$loglik, tolerance = 1e-8, info = structure)
    expect_equal(unname(fit$coef[1, , ]), unname(ref$parameters$mean), tolerance = 1e-5, info = structure)
    expect_equal(unname(fit$sigma), unname(ref$parameters$variance$sigma), tolerance = 1e-5, info = structure)
    expect_equal(unname(colMeans(fit$posterior)), unname(ref$parameters$pro), tolerance = 1e-6, info = structure)
    # the number of parameters and BIC as mclust counts them (mclust's BIC has the other sign)
    expect_equal(fit$df, mclust::nMclustParams(structure, 2, 2))
    expect_equal(-fit$bic, mclust::bic(structure, ref$loglik, nrow(Y), 2, 2), tolerance = 1e-8)
  }
  # and Mclust() from its own start ends at the same maximum as moe's search
  best <- mclust::Mclust(Y, G = 2, modelNames = "VVV", verbose = FALSE)
  fit <- moe(cbind(eruptions, waiting) ~ 1, datasets::faithful, K = 2, covariance = "VVV", starts = 10)
  expect_gte(fit$loglik, best$loglik - 1e-6)
})

test_that("one expert is lm()'s multivariate regression with the ML covariance", {
  d <- datasets::mtcars
  ref <- lm(cbind(mpg, qsec) ~ wt + hp, d)
  fit <- moe(cbind(mpg, qsec) ~ wt + hp, d, K = 1, starts = 1)
  expect_equal(unname(fit$coef[, , 1]), unname(coef(ref)), tolerance = 1e-8)
  expect_equal(unname(fit$sigma[, , 1]), unname(crossprod(residuals(ref)) / nrow(d)), tolerance = 1e-8)
  expect_equal(unname(fitted(fit)), unname(fitted(ref)), tolerance = 1e-8)
  expect_equal(dimnames(fit$coef)[1:2], list(c("(Intercept)", "wt", "hp"), c("mpg", "qsec")))
  # observed-information standard errors of the coefficients: lm()'s with the ML variance (n, not n - p)
  se <- summary(fit)$table[c("expert1.mpg:wt", "expert1.qsec:hp"), "se"]
  ml <- sqrt(diag(vcov(ref)) * (nrow(d) - 3) / nrow(d))[c("mpg:wt", "qsec:hp")]
  expect_equal(se, unname(ml), tolerance = 1e-4)
  expect_equal(dim(vcov(fit)), c(9L, 9L))
})

two_responses <- function(n = 800) {
  set.seed(3)
  x <- rnorm(n)
  k <- runif(n) < plogis(2 * x)
  e1 <- rnorm(n)
  e2 <- rnorm(n)
  data.frame(x = x, y1 = ifelse(k, 1 + 2 * x + 0.3 * e1, -1 - x + 0.5 * e1),
             y2 = ifelse(k, -1 + 0.2 * e1 + 0.2 * e2, 2 + x + 0.4 * e2))
}

test_that("a gated bivariate regression mixture: fit, predict, select over K and structure", {
  d <- two_responses()
  set.seed(1)
  fit <- moe(cbind(y1, y2) ~ x | x, d, K = 2, starts = 6)
  expect_s3_class(fit, "moe_mv")
  expect_true(fit$converged)
  expect_equal(fit$df, 2 + 2 * 4 + 6)
  expect_equal(BIC(fit), fit$bic, tolerance = 1e-10)
  first <- which.max(fit$coef["x", "y1", ])  # the expert y1 = 1 + 2x
  expect_equal(unname(fit$coef[, "y1", first]), c(1, 2), tolerance = 0.1)
  expect_equal(unname(fit$sigma[, , first]), diag(c(0.09, 0.08)) + c(0, 0.06, 0.06, 0), tolerance = 0.25)
  expect_equal(predict(fit, d[1:5, ]), fitted(fit)[1:5, ], tolerance = 1e-12, ignore_attr = TRUE)
  post <- predict(fit, d[1:5, ], type = "posterior")
  expect_equal(unname(rowSums(post)), rep(1, 5))
  expect_equal(unname(post), unname(fit$posterior[1:5, ]), tolerance = 1e-12)
  expect_error(predict(fit, d[, "x", drop = FALSE], type = "posterior"), "needs the responses")
  expect_equal(dim(residuals(fit)), c(nrow(d), 2L))
  set.seed(2)
  s <- moe_select(cbind(y1, y2) ~ x | x, d, K = 1:3, covariance = c("EII", "VVV"), starts = 3)
  expect_equal(nrow(s$table), 6L)
  expect_equal(s$best$K, 2L)
  expect_identical(s$best$structure, "VVV")
  expect_output(print(s), "<- smallest BIC")
})

test_that("simulate() and moe_boot() of a multivariate fit", {
  d <- two_responses(300)
  set.seed(1)
  fit <- moe(cbind(y1, y2) ~ x | x, d, K = 2, starts = 4)
  sims <- simulate(fit, nsim = 2, seed = 5)
  expect_length(sims, 2L)
  expect_equal(dim(sims$sim_1), c(300L, 2L))
  expect_identical(colnames(sims$sim_1), c("y1", "y2"))
  expect_identical(simulate(fit, nsim = 2, seed = 5)$sim_2, sims$sim_2)
  refit <- moe(cbind(y1, y2) ~ x | x, transform(d, y1 = sims$sim_1[, 1], y2 = sims$sim_1[, 2]), K = 2, starts = 4)
  expect_equal(sort(refit$coef["x", "y1", ]), sort(fit$coef["x", "y1", ]), tolerance = 0.3)
  set.seed(2)
  b <- moe_boot(fit, B = 20, threads = 1)
  set.seed(2)
  b2 <- moe_boot(fit, B = 20, threads = 2)
  expect_identical(b$replicates, b2$replicates)
  expect_equal(nrow(b$table), 2 + 2 * 2 * 2 + 2 * 3)
  expect_true(all(b$table$se_bootstrap > 0))
  expect_equal(b$table$se_information, unname(summary(fit)$table$se), tolerance = 1e-10)
  expect_true("expert1.y1:x" %in% rownames(b$table))
  expect_output(print(b), "nonparametric bootstrap of 20 replicates")
})

test_that("moe_compare() of several responses: every method from one start, rates predicted", {
  d <- two_responses(500)
  set.seed(3)
  cmp <- moe_compare(cbind(y1, y2) ~ x | x, d, K = 2, methods = c("em", "squarem", "gd", "gd:0.05", "adam"),
                     starts = 4, control = moe_control(tol = 1e-12, max_iter = 3000, se = FALSE))
  expect_s3_class(cmp, "moe_compare")
  expect_identical(unique(cmp$method), c("em", "squarem", "gd", "gd:0.05", "adam"))
  first <- cmp[cmp$iteration == 0, ]
  expect_equal(first$loglik, rep(first$loglik[1], 5))  # one start for all
  final <- function(m) tail(cmp$loglik[cmp$method == m], 1)
  expect_equal(final("squarem"), final("em"), tolerance = 1e-9)
  # the same maximum as moe()'s search with the same seed
  set.seed(3)
  fit <- moe(cbind(y1, y2) ~ x | x, d, K = 2, starts = 4, control = moe_control(tol = 1e-12, max_iter = 3000))
  expect_equal(final("em"), fit$loglik, tolerance = 1e-9)
  rates <- attr(cmp, "rates")
  expect_identical(attr(rates, "note"), "")
  predicted <- setNames(rates$predicted_linear_rate, rates$method)
  expect_true(is.finite(predicted[["em"]]) && is.finite(predicted[["gd:0.05"]]))
  expect_true(all(is.nan(predicted[c("squarem", "gd", "adam")])))
  # the fixed step's gaps shrink at its predicted rate
  expect_equal(rates$linear_rate[rates$method == "gd:0.05"], predicted[["gd:0.05"]], tolerance = 0.01)
  expect_output(print(cmp), "Best log-likelihood")
  expect_error(moe_compare(cbind(y1, y2) ~ x, d, K = 2, methods = c("em", "mirror:0.5"), starts = 2),
               "'mirror:0.5' does not fit experts of several responses")
})

test_that("frequency weights of several responses fit as the rows repeated, through every function", {
  d <- two_responses(200)
  d$w <- rep(c(1, 2, 0, 3), 50)
  rep_rows <- d[rep(seq_len(nrow(d)), d$w), ]
  z0 <- cbind(d$x > 0, d$x <= 0) + 0.1  # one start for both
  fit <- moe(cbind(y1, y2) ~ x | x, d, weights = w, responsibilities = z0,
             control = moe_control(tol = 1e-13, max_iter = 5000))
  ref <- moe(cbind(y1, y2) ~ x | x, rep_rows, responsibilities = z0[rep(seq_len(nrow(d)), d$w), ],
             control = moe_control(tol = 1e-13, max_iter = 5000))
  expect_equal(fit$loglik, ref$loglik, tolerance = 1e-10)
  expect_equal(fit$coef, ref$coef, tolerance = 1e-6)
  expect_equal(fit$sigma, ref$sigma, tolerance = 1e-6)
  expect_equal(nobs(fit), 300)
  expect_equal(BIC(fit), ref$bic, tolerance = 1e-10)
  expect_equal(summary(fit)$table$se, summary(ref)$table$se, tolerance = 1e-5)
  set.seed(4)
  cmp <- moe_compare(cbind(y1, y2) ~ x | x, d, K = 2, weights = w, methods = c("em", "squarem"), starts = 3,
                     control = moe_control(tol = 1e-12, se = FALSE))
  expect_equal(attr(cmp, "best_loglik"), ref$loglik, tolerance = 1e-8)
  set.seed(5)
  b <- moe_boot(fit, B = 6, type = "parametric", threads = 1)
  expect_true(all(is.finite(b$table$se_bootstrap)))
  expect_error(moe_boot(fit, B = 6), "takes no weights")
  expect_error(moe(cbind(y1, y2) ~ x, d, K = 2, weights = -w), "'weights' must be finite numbers >= 0")
})

test_that("what does not apply to several responses is refused clearly", {
  d <- two_responses(60)
  expect_error(moe(cbind(y1, y2) ~ x, d, K = 2, covariance = "VEV"), "mclust's structures")
  expect_error(moe(y1 ~ x, d, K = 2, covariance = "VVV"), "needs several responses")
  expect_error(moe(cbind(y1, y2) ~ x, d, K = 2, method = "gd"), "method other than")
  expect_error(moe(cbind(y1, y2) ~ x, d, K = 20), "too few rows")
  d$y3 <- 2 * d$y1
  expect_error(moe(cbind(y1, y3) ~ x, d, K = 2, covariance = "EEE"), "cannot support 2 experts with covariance structure EEE")
  tiny <- d[1:2, ]
  expect_error(moe(cbind(y1, y2, y3) ~ 1, tiny, K = 1), "m > n")
})
