# predict(), fitted(), residuals(), logLik(), AIC(), BIC(), nobs(), summary(),
# coef(), print() and plot() of a fitted model.

fit_mcycle <- function(...) {
  set.seed(1)
  moe(accel ~ times | times, moe_data("mcycle"), K = 3, starts = 3, ...)
}

test_that("the reported log-likelihood is the one of the reported parameters", {
  fit <- fit_mcycle(control = moe_control(se = FALSE))
  ll <- loglik_in_r(fit$y, fit$X, fit$Z, fit$model$experts, fit$model$gate, fit$model$sigma)
  expect_equal(fit$loglik, ll, tolerance = 1e-10)
  # and the trace ends there, never decreasing (EM)
  expect_equal(fit$trace$loglik[nrow(fit$trace)], fit$loglik, tolerance = 1e-12)
  expect_true(all(diff(fit$trace$loglik) >= -1e-8 * abs(fit$loglik)))
})

test_that("predict(): gate rows sum to 1, response = rowSums(gate * experts)", {
  fit <- fit_mcycle(control = moe_control(se = FALSE))
  mc <- moe_data("mcycle")
  gate <- predict(fit, type = "gate")
  experts <- predict(fit, type = "experts")
  expect_identical(dim(gate), c(nrow(mc), 3L))
  expect_identical(colnames(gate), c("expert1", "expert2", "expert3"))
  expect_lt(max(abs(rowSums(gate) - 1)), 1e-12)
  expect_true(all(gate >= 0))
  # gate = softmax(Z W), experts = X B
  eta <- fit$Z %*% fit$model$gate
  expect_equal(unname(gate), unname(exp(eta) / rowSums(exp(eta))), tolerance = 1e-10)
  expect_equal(unname(experts), unname(fit$X %*% fit$model$experts), tolerance = 1e-12)
  expect_equal(predict(fit), rowSums(gate * experts), tolerance = 1e-12)
  expect_equal(predict(fit, newdata = mc), predict(fit), tolerance = 1e-12)
  # on new covariates only
  new <- data.frame(times = c(5, 20, 40))
  expect_length(predict(fit, newdata = new), 3L)
  expect_equal(predict(fit, newdata = new),
               rowSums(predict(fit, newdata = new, type = "gate") * predict(fit, newdata = new, type = "experts")),
               tolerance = 1e-12)
})

test_that("predict(type = 'posterior') is Bayes' rule and needs the response", {
  fit <- fit_mcycle(control = moe_control(se = FALSE))
  mc <- moe_data("mcycle")
  post <- predict(fit, type = "posterior")
  joint <- predict(fit, type = "gate") *
    sapply(1:3, function(k) dnorm(mc$accel, predict(fit, type = "experts")[, k], fit$model$sigma[k]))
  expect_equal(unname(post), unname(joint / rowSums(joint)), tolerance = 1e-8)
  expect_lt(max(abs(rowSums(post) - 1)), 1e-12)
  expect_equal(predict(fit, newdata = mc, type = "posterior"), post, tolerance = 1e-12)
  expect_equal(unname(fit$posterior), unname(post), tolerance = 1e-12)
  expect_error(predict(fit, newdata = data.frame(times = c(5, 20)), type = "posterior"),
               "needs the response")
})

test_that("fitted() and residuals() are consistent with predict() and the data", {
  fit <- fit_mcycle(control = moe_control(se = FALSE))
  mc <- moe_data("mcycle")
  expect_equal(fitted(fit), predict(fit), tolerance = 1e-14)
  expect_equal(residuals(fit), mc$accel - fitted(fit), tolerance = 1e-14)
  expect_length(fitted(fit), nrow(mc))
})

test_that("logLik, AIC, BIC and nobs agree with df", {
  fit <- fit_mcycle(control = moe_control(se = FALSE))
  n <- nrow(moe_data("mcycle"))
  # 3 experts x (2 coefficients + sigma) + 2 x 2 gate coefficients
  expect_identical(fit$df, 13L)
  ll <- logLik(fit)
  expect_s3_class(ll, "logLik")
  expect_identical(as.numeric(ll), fit$loglik)
  expect_identical(attr(ll, "df"), 13L)
  expect_identical(nobs(fit), n)
  expect_identical(attr(ll, "nobs"), n)
  expect_equal(AIC(fit), -2 * fit$loglik + 2 * 13, tolerance = 1e-12)
  expect_equal(BIC(fit), -2 * fit$loglik + log(n) * 13, tolerance = 1e-12)
  # binomial experts have no sigma
  pm <- moe_data("pima")
  set.seed(1)
  fb <- moe(diabetes ~ glu + bmi | age, pm, K = 2, family = binomial(), starts = 1,
            control = moe_control(se = FALSE))
  expect_identical(fb$df, 2L * 3L + 2L)
  expect_equal(BIC(fb), -2 * fb$loglik + log(nrow(pm)) * 8, tolerance = 1e-12)
  expect_null(coef(fb)$sigma)
  expect_length(fb$model$sigma, 0L)
})

test_that("binomial experts: predictions are probabilities and the log-likelihood is Bernoulli", {
  pm <- moe_data("pima")
  set.seed(1)
  fb <- moe(diabetes ~ glu + bmi | age, pm, K = 2, family = binomial(), starts = 2,
            control = moe_control(se = FALSE))
  p <- predict(fb)
  expect_true(all(p > 0 & p < 1))
  experts <- predict(fb, type = "experts")
  expect_equal(unname(experts), unname(plogis(fb$X %*% fb$model$experts)), tolerance = 1e-12)
  expect_equal(p, rowSums(predict(fb, type = "gate") * experts), tolerance = 1e-12)
  ll <- sum(log(ifelse(pm$diabetes == 1, p, 1 - p)))
  expect_equal(fb$loglik, ll, tolerance = 1e-10)
})

test_that("saveRDS()/readRDS() round trip gives identical predictions", {
  fit <- fit_mcycle(control = moe_control(se = FALSE))
  file <- tempfile(fileext = ".rds")
  on.exit(unlink(file))
  saveRDS(fit, file)
  back <- readRDS(file)
  new <- data.frame(times = seq(1, 60, by = 0.5))
  for (type in c("response", "gate", "experts"))
    expect_identical(predict(back, newdata = new, type = type), predict(fit, newdata = new, type = type))
  expect_identical(predict(back, type = "posterior"), predict(fit, type = "posterior"))
  expect_identical(coef(back), coef(fit))
})

test_that("summary() has standard errors from the observed information; coef(), print() and plot() work", {
  fit <- fit_mcycle()
  s <- summary(fit)
  expect_s3_class(s, "summary.moe")
  expect_length(s$experts, 3L)
  expect_length(s$gate, 2L)
  tab <- s$experts[[1]]
  expect_identical(colnames(tab), c("Estimate", "Std. Error", "z value", "Pr(>|z|)"))
  expect_identical(unname(tab[, "Estimate"]), unname(fit$model$experts[, 1]))
  expect_true(all(is.finite(tab[, "Std. Error"]) & tab[, "Std. Error"] > 0))
  expect_equal(unname(tab[, "z value"]), unname(tab[, "Estimate"] / tab[, "Std. Error"]))
  expect_equal(s$mixing, colMeans(predict(fit, type = "gate")))
  expect_equal(s$aic, AIC(fit))
  expect_output(print(s), "log-likelihood")
  expect_output(print(fit), "Mixture of 3 gaussian experts")
  co <- coef(fit)
  expect_named(co, c("experts", "gate", "sigma"))
  expect_identical(co$experts, fit$model$experts)
  # no standard errors asked for: NA, and a note
  s0 <- summary(fit_mcycle(control = moe_control(se = FALSE)))
  expect_true(all(is.na(s0$experts[[1]][, "Std. Error"])))
  expect_false(is.null(s0$se_note))
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_silent(plot(fit))
  expect_silent(plot(fit, which = "fit"))
})

test_that("K = 1 is the ordinary (maximum likelihood) regression", {
  mc <- moe_data("mcycle")
  f1 <- moe(accel ~ times, mc, K = 1, starts = 1, control = moe_control(se = FALSE))
  ols <- lm(accel ~ times, mc)
  expect_equal(f1$loglik, as.numeric(logLik(ols)), tolerance = 1e-10)
  # the M-step adds a ridge of 1e-10 x mean(diag(X'WX)) to the Gram matrix: on
  # mcycle (times up to 57.6) that moves the intercept by 2e-7 relative
  expect_equal(unname(f1$model$experts[, 1]), unname(coef(ols)), tolerance = 1e-6)
  expect_equal(unname(f1$model$sigma), sqrt(mean(residuals(ols)^2)), tolerance = 1e-8)
  expect_equal(unname(predict(f1, type = "gate")[, 1]), rep(1, nrow(mc)))
  pm <- moe_data("pima")
  b1 <- moe(diabetes ~ glu + bmi, pm, K = 1, family = binomial(), starts = 1,
            control = moe_control(tol = 1e-12, se = FALSE))
  lr <- glm(diabetes ~ glu + bmi, binomial, pm)
  expect_equal(b1$loglik, as.numeric(logLik(lr)), tolerance = 1e-9)
  expect_equal(unname(b1$model$experts[, 1]), unname(coef(lr)), tolerance = 1e-6)
})

test_that("a fit started from a fitted model stays there", {
  fit <- fit_mcycle(control = moe_control(tol = 1e-12, max_iter = 5000, se = FALSE))
  again <- moe(accel ~ times | times, moe_data("mcycle"), start = fit$model,
               control = moe_control(tol = 1e-12, max_iter = 5000, se = FALSE))
  expect_identical(again$K, 3L)
  expect_lte(again$iterations, 5L)
  expect_equal(again$loglik, fit$loglik, tolerance = 1e-12)
  expect_equal(coef(again), coef(fit), tolerance = 1e-5)
  expect_error(moe(accel ~ times | times, moe_data("mcycle"), K = 2, start = fit$model), "'K' must equal")
})

test_that("predict() needs the response only for posteriors (binomial, NA and factor responses)", {
  pm <- moe_data("pima")
  set.seed(1)
  fb <- moe(diabetes ~ glu + bmi | age, pm, K = 2, family = binomial(), starts = 1,
            control = moe_control(se = FALSE))
  nd <- pm[1:5, ]
  nd$diabetes[1] <- NA
  gate <- predict(fb, newdata = nd, type = "gate")
  expect_equal(unname(rowSums(gate)), rep(1, 5), tolerance = 1e-12)
  post <- predict(fb, newdata = nd, type = "posterior")
  expect_true(all(is.na(post[1, ])))
  expect_equal(unname(rowSums(post[-1, ])), rep(1, 4), tolerance = 1e-12)
  set.seed(1)
  ff <- moe(factor(diabetes) ~ glu + bmi | age, pm, K = 2, family = binomial(), starts = 1,
            control = moe_control(se = FALSE))
  expect_equal(ff$loglik, fb$loglik)
  ones <- pm[pm$diabetes == 1, ][1:3, ]
  expect_equal(predict(ff, newdata = ones), predict(fb, newdata = ones))
  expect_equal(predict(ff, newdata = ones, type = "posterior"),
               predict(fb, newdata = ones, type = "posterior"))
})
