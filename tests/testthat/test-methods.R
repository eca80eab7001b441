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

test_that("na.exclude pads fitted(), residuals() and predict() with NA in the dropped rows, like lm", {
  mc <- moe_data("mcycle")
  mc$accel[c(3, 50, 100)] <- NA
  fit <- moe(accel ~ times, mc, K = 2, starts = 1, na.action = na.exclude, control = moe_control(se = FALSE))
  expect_equal(nobs(fit), nrow(mc) - 3L)
  for (v in list(fitted(fit), residuals(fit), residuals(fit, type = "pearson"), predict(fit)))
    expect_equal(unname(which(is.na(v))), c(3L, 50L, 100L))
  expect_equal(nrow(predict(fit, type = "gate")), nrow(mc))
  expect_equal(unname(fitted(fit)[-c(3, 50, 100)]), unname(fit$fitted))
  expect_equal(unname(residuals(fit)[-c(3, 50, 100)]), unname(fit$y - fit$fitted))
  # summary's mean gate weights ignore the padding
  expect_false(anyNA(summary(fit)$mixing))
  omitted <- moe(accel ~ times, mc, K = 2, starts = 1, control = moe_control(se = FALSE))
  expect_length(fitted(omitted), nrow(mc) - 3L)
})

test_that("Pearson residuals divide by the mixture's standard deviation: K = 1 gives lm's and glm's", {
  mc <- moe_data("mcycle")
  one <- moe(accel ~ times, mc, K = 1, control = moe_control(se = FALSE))
  expect_equal(unname(residuals(one, type = "pearson")), unname(residuals(one) / one$model$sigma[[1]]))
  pm <- moe_data("pima")
  logistic <- moe(diabetes ~ glu + bmi, pm, K = 1, family = binomial(), control = moe_control(tol = 1e-12, se = FALSE))
  g <- stats::glm(diabetes ~ glu + bmi, binomial(), pm)
  expect_equal(unname(residuals(logistic, type = "pearson")), unname(residuals(g, type = "pearson")), tolerance = 1e-6)
  # K = 2: by hand from the experts' means and the gate
  two <- moe(accel ~ times | times, mc, K = 2, starts = 1, control = moe_control(se = FALSE))
  mu <- predict(two, type = "experts")
  pi <- predict(two, type = "gate")
  m <- rowSums(pi * mu)
  sd <- sqrt(rowSums(pi * (sweep(mu^2, 2, two$model$sigma^2, "+"))) - m^2)
  expect_equal(unname(residuals(two, type = "pearson")), unname((mc$accel - m) / sd))
  expect_error(residuals(two, type = "deviance"), "should be one of")
  # Poisson: K = 1 is glm's; K = 2 by hand, the experts' variances being their means
  pt <- moe_data("patent")
  counts <- moe(Patents ~ lgRD, pt, K = 1, family = poisson(), control = moe_control(tol = 1e-12, se = FALSE))
  g <- stats::glm(Patents ~ lgRD, poisson(), pt)
  expect_equal(unname(residuals(counts, type = "pearson")), unname(residuals(g, type = "pearson")), tolerance = 1e-6)
  set.seed(1)
  mixed <- moe(Patents ~ lgRD | RDS, pt, K = 2, family = poisson(), starts = 1, control = moe_control(se = FALSE))
  mu <- predict(mixed, type = "experts")
  pi <- predict(mixed, type = "gate")
  m <- rowSums(pi * mu)
  expect_equal(unname(fitted(mixed)), unname(m))
  expect_equal(unname(residuals(mixed, type = "pearson")), unname((pt$Patents - m) / sqrt(rowSums(pi * (mu + mu^2)) - m^2)))
})

test_that("vcov() is the inverse observed information; confint() its Wald intervals", {
  np <- moe_data("NPreg")
  set.seed(1)
  fit <- moe(yn ~ x | x, np, K = 2, starts = 2)
  V <- vcov(fit)
  expect_equal(rownames(V), c("gate.expert1:(Intercept)", "gate.expert1:x", "expert1:(Intercept)", "expert1:x",
                              "expert2:(Intercept)", "expert2:x", "log_sigma.expert1", "log_sigma.expert2"))
  expect_true(isSymmetric(V))
  expect_equal(unname(sqrt(diag(V))[1:6]), unname(c(fit$se$gate[, 1], as.vector(fit$se$experts))))
  # delta method: se(sigma) = sigma * se(log sigma)
  expect_equal(unname(sqrt(diag(V))[7:8] * fit$model$sigma), unname(fit$se$sigma))
  ci <- confint(fit, level = 0.9)
  expect_equal(colnames(ci), c("5 %", "95 %"))
  z <- stats::qnorm(0.95)
  expect_equal(unname(ci["expert2:x", ]), fit$model$experts["x", 2] + c(-1, 1) * z * fit$se$experts["x", 2])
  expect_equal(unname(ci["sigma.expert1", ]), fit$model$sigma[[1]] * exp(c(-1, 1) * z * sqrt(V[7, 7])))
  expect_equal(confint(fit, "gate.expert1:x"), confint(fit)[2, , drop = FALSE])
  expect_error(confint(fit, "slope"), "no parameter 'slope'")
  # K = 1 Gaussian: the experts' block is sigma_MLE^2 (X'X)^-1
  one <- moe(yn ~ x, np, K = 1)
  X <- cbind(1, np$x)
  expect_equal(unname(vcov(one)[1:2, 1:2]), one$model$sigma[[1]]^2 * solve(crossprod(X)), tolerance = 1e-5)
  expect_error(vcov(moe(yn ~ x, np, K = 1, control = moe_control(se = FALSE))), "no standard errors")
})

test_that("standard errors do not depend on the covariates' units", {
  mc <- moe_data("mcycle")
  set.seed(1)
  a <- moe(accel ~ times | times, mc, K = 2, starts = 2)
  mc$times <- mc$times * 1e4
  set.seed(1)
  b <- moe(accel ~ times | times, mc, K = 2, starts = 2)
  expect_true(b$se$valid)
  expect_equal(b$se$gate["times", 1] * 1e4, a$se$gate["times", 1], tolerance = 1e-4)
  expect_equal(b$se$experts["times", ] * 1e4, a$se$experts["times", ], tolerance = 1e-4)
})

test_that("plot() arguments replace the defaults", {
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  np <- moe_data("NPreg")
  fit <- moe(yn ~ x, np, K = 2, starts = 1, control = moe_control(se = FALSE))
  expect_error(plot(fit, main = "mine", col = "red"), NA)
  expect_error(plot(fit, which = "fit", main = "mine", xlab = "x"), NA)
  expect_error(plot(moe_compare(yn ~ x, np, K = 2), main = "mine"), NA)
  expect_warning(expect_error(plot(moe(yn ~ 1, np, K = 2, starts = 1), which = "fit"), "exactly one"), NA)
})

test_that("fitted values, residuals, predictions and simulations keep the data's row names", {
  mc <- moe_data("mcycle")
  rownames(mc) <- paste0("run", seq_len(nrow(mc)))
  mc$accel[5] <- NA
  fit <- moe(accel ~ times, mc, K = 2, starts = 1, control = moe_control(se = FALSE))
  kept <- rownames(mc)[-5]
  expect_equal(names(fitted(fit)), kept)
  expect_equal(names(residuals(fit)), kept)
  expect_equal(rownames(predict(fit, type = "gate")), kept)
  expect_equal(rownames(simulate(fit, seed = 1)), kept)
  expect_equal(rownames(fit$posterior), kept)
  ex <- moe(accel ~ times, mc, K = 2, starts = 1, na.action = na.exclude, control = moe_control(se = FALSE))
  expect_equal(names(fitted(ex)), rownames(mc))
  expect_true(is.na(fitted(ex)[["run5"]]))
  expect_error(confint(moe(accel ~ times, mc, K = 1), 100), "'parm' indices must be from 1 to 3")
})

test_that("predict(type = \"quantile\") gives the predictive mixture's quantiles", {
  # one expert: the normal and Poisson quantiles of the fitted model (a peer: R's qnorm, qpois)
  d <- data.frame(x = seq(-1, 1, length.out = 60))
  set.seed(6)
  d$y <- 1 + 2 * d$x + rnorm(60, sd = 0.5)
  d$n <- rpois(60, exp(1 + 0.5 * d$x))
  one <- moe(y ~ x, d, K = 1)
  mu <- fitted(one)
  q <- predict(one, type = "quantile", probs = c(0.1, 0.9))
  expect_identical(colnames(q), c("q0.1", "q0.9"))
  expect_equal(unname(q[, 1]), unname(qnorm(0.1, mu, one$model$sigma)), tolerance = 1e-10)
  counts <- moe(n ~ x, d, K = 1, family = poisson())
  expect_equal(unname(predict(counts, type = "quantile", probs = c(0.2, 0.5, 0.97))),
               outer(unname(fitted(counts)), c(0.2, 0.5, 0.97), function(m, p) qpois(p, m)))
  # a mixture: the quantile where the mixture's distribution function says it is
  mc <- moe_data("mcycle")
  set.seed(1)
  fit <- moe(accel ~ times | times, mc, K = 3, starts = 5)
  new <- data.frame(times = c(10, 25, 40))
  q <- predict(fit, new, type = "quantile", probs = 0.3)
  gate <- predict(fit, new, type = "gate")
  experts <- predict(fit, new, type = "experts")
  cdf <- rowSums(gate * pnorm(q[, 1], experts, rep(fit$model$sigma, each = 3)))
  expect_equal(unname(cdf), rep(0.3, 3), tolerance = 1e-10)
  expect_error(predict(fit, new, type = "quantile", probs = c(0.5, 1)), "'probs' must be probabilities")
})

test_that("quantile residuals are standard normal when the model is right", {
  set.seed(7)
  n <- 3000
  d <- data.frame(x = rnorm(n), z = rnorm(n))
  first <- runif(n) < plogis(1.5 * d$z)
  d$y <- ifelse(first, 2 + d$x, -1 - d$x) + rnorm(n, sd = ifelse(first, 0.5, 1))
  d$n <- rpois(n, exp(ifelse(first, 2 + 0.5 * d$x, 0.3 - 0.5 * d$x)))
  for (fit in list(moe(y ~ x | z, d, K = 2), moe(n ~ x | z, d, K = 2, family = poisson()))) {
    r <- residuals(fit, type = "quantile")
    expect_length(r, n)
    expect_lt(abs(mean(r)), 0.06)
    expect_lt(abs(sd(r) - 1), 0.05)
    expect_lt(max(abs(quantile(r, c(0.05, 0.25, 0.75, 0.95)) - qnorm(c(0.05, 0.25, 0.75, 0.95)))), 0.1)
  }
  # the discrete ones are randomized: set.seed() repeats them
  set.seed(1); a <- residuals(fit, type = "quantile")
  set.seed(1); b <- residuals(fit, type = "quantile")
  expect_identical(a, b)
  # one Gaussian expert: (y - mu) / sigma
  one <- moe(y ~ x, d, K = 1)
  expect_equal(residuals(one, type = "quantile"), residuals(one) / one$model$sigma[[1]], tolerance = 1e-10)
})
