# Multinomial experts: family = "multinomial", a factor response, through
# moe(), predict(), residuals(), simulate(), moe_write()/moe_read(), against
# nnet::multinom for one expert, and the errors.

test_that("one multinomial expert is nnet::multinom's fit (weights and factor covariates too)", {
  skip_if_not_installed("nnet")
  skip_if_not_installed("MASS")
  housing <- MASS::housing
  ref <- nnet::multinom(Sat ~ Infl + Type + Cont, data = housing, weights = Freq, trace = FALSE,
                        reltol = 1e-15, abstol = 1e-15, maxit = 2000)
  fit <- moe(Sat ~ Infl + Type + Cont, housing, K = 1, family = "multinomial", weights = Freq, starts = 1)
  expect_equal(fit$loglik, as.numeric(logLik(ref)), tolerance = 1e-8)
  expect_identical(fit$response_levels, levels(housing$Sat))
  B <- coef(ref)  # (C - 1) x p, level 1 the reference
  ours <- matrix(fit$model$experts[, 1], ncol = ncol(B), byrow = TRUE)  # level by level
  expect_equal(ours, unname(B), tolerance = 1e-6)
  expect_identical(rownames(fit$model$experts)[1:2], c("Medium:(Intercept)", "Medium:InflMedium"))
  expect_equal(unname(fitted(fit)), unname(fitted(ref)), tolerance = 1e-6)
  expect_equal(fit$df, length(B))
})

mixed_levels <- function(n = 1500) {
  set.seed(7)
  x <- rnorm(n)
  z <- rnorm(n)
  k <- 1 + (runif(n) < plogis(3 * z))  # the gate follows z
  eta2 <- ifelse(k == 1, 1 + 2 * x, -1 - 2 * x)
  eta3 <- ifelse(k == 1, -1 + 3 * x, 2 - 2 * x)
  p <- cbind(1, exp(eta2), exp(eta3))
  y <- apply(p / rowSums(p), 1, function(pr) sample(c("a", "b", "c"), 1, prob = pr))
  data.frame(y = y, x = x, z = z, stringsAsFactors = FALSE)
}

test_that("two multinomial experts: predictions, residuals, simulation and the model file", {
  d <- mixed_levels()
  fit <- moe(y ~ x | z, d, K = 2, family = "multinomial", starts = 5)  # a character response is made a factor
  expect_identical(fit$response_levels, c("a", "b", "c"))
  expect_false(is.unsorted(fit$trace$loglik))
  p <- predict(fit)
  expect_identical(dim(p), c(nrow(d), 3L))
  expect_identical(colnames(p), c("a", "b", "c"))
  expect_equal(unname(rowSums(p)), rep(1, nrow(d)), tolerance = 1e-12)
  expect_equal(p, fitted(fit))
  cls <- predict(fit, type = "class")
  expect_true(is.factor(cls))
  expect_gt(mean(cls == d$y), 0.6)
  expect_identical(dim(predict(fit, type = "experts")), c(nrow(d), 3L, 2L))
  r <- residuals(fit)
  expect_equal(unname(rowSums(r)), rep(0, nrow(d)), tolerance = 1e-12)
  expect_true(all(is.finite(residuals(fit, type = "pearson"))))
  expect_error(residuals(fit, type = "quantile"), "no quantile residuals")
  expect_error(predict(fit, type = "quantile"), "no distribution function")
  s <- simulate(fit, nsim = 2, seed = 1)
  expect_true(is.factor(s[[1]]))
  expect_identical(levels(s[[1]]), c("a", "b", "c"))
  expect_output(print(summary(fit)), "b:x")
  expect_true(all(c("expert1.b:x", "expert2.c:(Intercept)") %in% fit$se$parameters))
  path <- tempfile(fileext = ".json")
  moe_write(fit, path)
  back <- moe_read(path)
  expect_equal(unname(predict(back, newdata = d[1:5, ])), unname(p[1:5, ]), tolerance = 1e-12)
  expect_equal(unname(predict(fit, newdata = d[1:5, ], type = "posterior")),
               unname(predict(fit, type = "posterior")[1:5, ]), tolerance = 1e-12)
  expect_error(predict(fit, newdata = transform(d[1:3, ], y = "d"), type = "posterior"), "not levels of the fit")
})

test_that("a categorical response with one level, or bad options, are refused clearly", {
  d <- mixed_levels(200)
  expect_error(moe(y ~ x, transform(d, y = "a"), K = 2, family = "multinomial"), "one level")
  expect_error(moe(y ~ x, d, K = 2, family = "multinomial", method = "mirror", control = list(step = 0.5)),
               "level probabilities")
  expect_error(moe(y ~ x + offset(z), d, K = 2, family = "multinomial"), "offsets are not for multinomial")
  few <- data.frame(y = c("a", "b", "c", "a", "b"), x = c(0.1, -1, 2, 0.5, 1.5))
  expect_error(moe(y ~ x, few, K = 2, family = "multinomial"), "too few")
})
