# Bad input gives an R error with a message that says what is wrong.

test_that("an unsupported family is refused", {
  mc <- moe_data("mcycle")
  expect_error(moe(accel ~ times, mc, K = 2, family = inverse.gaussian()), "family.*gaussian.*binomial.*poisson")
  expect_error(moe(accel ~ times, mc, K = 2, family = Gamma()), "gamma experts use the log link")
  expect_error(moe(accel ~ times, mc, K = 2, family = "quasipoisson"), "family.*gaussian.*binomial.*poisson")
  expect_error(moe(accel ~ times, mc, K = 2, family = gaussian(link = "log")), "identity link")
  expect_error(moe(accel ~ times, mc, K = 2, family = binomial(link = "probit")), "logit link")
  expect_error(moe(accel ~ times, mc, K = 2, family = poisson(link = "sqrt")), "log link")
})

test_that("K must be a whole number >= 1", {
  mc <- moe_data("mcycle")
  expect_error(moe(accel ~ times, mc, K = 0), "'K' must be a whole number >= 1")
  expect_error(moe(accel ~ times, mc, K = -1), "'K' must be a whole number >= 1")
  expect_error(moe(accel ~ times, mc, K = 2.5), "'K' must be a whole number >= 1")
  expect_error(moe(accel ~ times, mc, K = NA), "'K' must be a whole number >= 1")
})

test_that("binomial experts need a 0/1 response", {
  pm <- moe_data("pima")
  expect_error(moe(glu ~ bmi | age, pm, K = 2, family = binomial()), "0/1")
  expect_error(moe(factor(npreg) ~ bmi, pm, K = 2, family = binomial()), "exactly 2 levels")
})

test_that("common_sigma is refused for experts without a sigma", {
  expect_error(moe(Patents ~ lgRD, moe_data("patent"), K = 2, family = poisson(),
                   control = moe_control(common_sigma = TRUE)), "'common_sigma' is for gaussian and t experts only")
})

test_that("poisson experts need counts", {
  mc <- moe_data("mcycle")
  expect_error(moe(accel ~ times, mc, K = 2, family = poisson()), "counts .*for poisson experts")
  pt <- moe_data("patent")
  expect_error(moe(I(Patents + 0.5) ~ lgRD, pt, K = 2, family = poisson()), "counts")
  expect_error(moe(factor(Patents) ~ lgRD, pt, K = 2, family = poisson()), "must be numeric")
  set.seed(1)
  fit <- moe(Patents ~ lgRD, pt, K = 2, family = poisson(), starts = 1, control = moe_control(se = FALSE))
  bad <- pt
  bad$Patents[3] <- -1
  expect_error(predict(fit, bad, type = "posterior"), "predict.moe\\(\\): the response must be counts")
})

test_that("too few rows for K experts are refused", {
  mc <- moe_data("mcycle")
  # K = 3 Gaussian experts with 2 coefficients and a sigma each need 9 rows
  expect_error(moe(accel ~ times, mc[1:8, ], K = 3), "8 rows are too few for K = 3")
  expect_error(moe(accel ~ times | times, mc[1:5, ], K = 2), "too few")
})

test_that("a formula without a response is refused", {
  mc <- moe_data("mcycle")
  expect_error(moe(~ times, mc, K = 2), "formula")
  expect_error(moe(~ times | times, mc, K = 2), "formula")
  expect_error(moe("accel ~ times", mc, K = 2), "formula")
  expect_error(moe(accel ~ ., mc, K = 2), "'.' shorthand is not supported")
  expect_error(moe(accel ~ times | ., mc, K = 2), "'.' shorthand is not supported")
})

test_that("inconsistent starting values are refused", {
  mc <- moe_data("mcycle")
  expect_error(moe(accel ~ times, mc, responsibilities = matrix(0.5, 10, 2)), "one row per observation")
  expect_error(moe(accel ~ times, mc, K = 2, method = "newton"), "unknown method .newton. \\(use em, ")
  expect_error(moe_data("iris"), "should be one of")
})

test_that("a malformed 'start' is refused with a message, and a partial one is completed", {
  np <- moe_data("NPreg")
  fit <- moe(yn ~ x, np, K = 2, starts = 1, control = moe_control(se = FALSE))
  m <- fit$model
  with_start <- function(...) moe(yn ~ x, np, start = list(...), control = moe_control(se = FALSE))
  # family and common_sigma may be left out: the fit goes on from its own end point
  again <- with_start(experts = m$experts, gate = m$gate, sigma = m$sigma)
  expect_gte(again$loglik, fit$loglik)
  expect_equal(again$loglik, fit$loglik, tolerance = 1e-7)
  expect_error(with_start(experts = m$experts, gate = m$gate), "'start\\$sigma' must hold")
  expect_error(with_start(experts = m$experts[1, , drop = FALSE], gate = m$gate, sigma = m$sigma),
               "'start\\$experts' must be a numeric matrix with 2 rows.*\\(Intercept\\), x")
  expect_error(with_start(experts = m$experts, gate = m$gate + 1, sigma = m$sigma),
               "last gate column is the reference")
  expect_error(with_start(experts = m$experts, gate = m$gate, sigma = c(1, -1)), "K = 2 positive finite")
  expect_error(with_start(experts = m$experts, gate = m$gate, sigma = c(NA, 1)), "K = 2 positive finite")
  expect_error(with_start(experts = m$experts, gate = cbind(m$gate, 0), sigma = m$sigma),
               "one column per expert \\(2 and 3\\)")
  expect_error(moe(yn ~ x, np, start = "a"), "'start' must be a list")
  expect_error(moe(yn ~ x, np, start = m, control = moe_control(common_sigma = TRUE)), NA)
  expect_error(moe(yn ~ x, np, start = m[c("experts", "gate", "sigma")], control = moe_control(common_sigma = TRUE)),
               "all K values of sigma must be equal")
})

test_that("bad arguments are R errors that say what to fix, not hangs or C++ messages", {
  np <- moe_data("NPreg")
  pm <- moe_data("pima")
  expect_error(moe(yn ~ x | x + offset(x), np, K = 2), "offset\\(\\) terms belong to the experts. part")
  for (bad in list(-1, NA, 1e10, 2.5))
    expect_error(moe(yn ~ x, np, K = 2, starts = bad), "'starts' must be a whole number from 1 to 100000")
  expect_error(moe_control(max_iter = Inf), "'max_iter' must be a whole number")
  expect_error(moe_control(max_iter = 1e10), "'max_iter' must be a whole number")
  expect_error(moe_control(tol = NA), "'tol' must be one finite number")
  expect_error(moe_control(step = c(0.1, 0.2)), "'step' must be NULL or one positive number")
  R <- matrix(0.5, nrow(np), 2)
  expect_error(moe(yn ~ x, np, K = 3, responsibilities = R), "'K' must equal the number of columns")
  expect_error(moe(yn ~ x, np, responsibilities = rep(0.5, 10)), "'responsibilities' must be a numeric matrix")
  expect_equal(moe(yn ~ x, np, responsibilities = as.data.frame(R), control = moe_control(se = FALSE))$K, 2L)
  expect_error(moe(yn ~ x, np), "'K' is missing")
  # cbind(y, 1 - y) is y with one trial per row: the 0/1 fit
  set.seed(5)
  # (the fit separates one expert's classes, which the equality does not need: its warning is muffled)
  counts <- suppressWarnings(moe(cbind(diabetes, 1 - diabetes) ~ glu, pm, K = 2, family = binomial(),
                                 control = moe_control(se = FALSE)))
  set.seed(5)
  zero_one <- suppressWarnings(moe(diabetes ~ glu, pm, K = 2, family = binomial(), control = moe_control(se = FALSE)))
  expect_equal(as.numeric(logLik(counts)), as.numeric(logLik(zero_one)), tolerance = 1e-10)
  expect_error(moe(cbind(glu, bmi, age) ~ ped, pm, K = 2, family = binomial()), "the response must be one column")
  pm$answer <- ifelse(pm$diabetes == 1, "yes", "no")
  expect_error(moe(answer ~ glu, pm, K = 2, family = binomial()), "the response is character")
  # the core's checks name the user's columns and speak as moe()
  np$constant <- 1
  expect_error(moe(yn ~ x + constant, np, K = 2), "^moe\\(\\): column 'constant' of the expert design is constant")
})

test_that("moe_compare refuses duplicate, stepped em and empty method lists, and takes K from responsibilities", {
  np <- moe_data("NPreg")
  expect_error(moe_compare(yn ~ x, np, K = 2, methods = c("em", "em")), "lists 'em' twice")
  expect_error(moe_compare(yn ~ x, np, K = 2, methods = "em:0.3"), "method .em. takes no step")
  expect_error(moe_compare(yn ~ x, np, K = 2, methods = character(0)), "at least one method")
  cmp <- moe_compare(yn ~ x, np, methods = c("em", "gd"), responsibilities = soft_start(np$class, 2))
  expect_setequal(unique(cmp$method), c("em", "gd"))
})

test_that("a fit that diverges or fails numerically ends with a warning", {
  np <- moe_data("NPreg")
  expect_warning(fit <- moe(yn ~ x, np, K = 2, starts = 1, method = "gd",
                            control = moe_control(step = 10, se = FALSE, max_iter = 200)),
                 "stopped after .* iterations \\((numerical_error|diverged)")
  expect_true(fit$stop_reason %in% c("numerical_error", "diverged"))
  expect_warning(moe(yn ~ x, np, K = 2, starts = 1, control = moe_control(se = FALSE)), NA)
})

test_that("a partial control list is completed with moe_control()'s defaults; unknown options are refused", {
  np <- moe_data("NPreg")
  fit <- moe(yn ~ x, np, K = 2, starts = 1, control = list(tol = 1e-6, se = FALSE))
  expect_equal(fit$control$max_iter, 500L)
  expect_null(fit$se)
  expect_error(moe(yn ~ x, np, K = 2, control = list(tolerance = 1)), "unknown control option\\(s\\) 'tolerance'")
  expect_error(moe(yn ~ x, np, K = 2, control = list(1)), "every control option must be named")
  expect_error(moe(yn ~ x, np, K = 2, control = list(tol = -1)), "'tol' must be one finite number")
})

test_that("logistic experts whose classes separate give glm's warning", {
  np <- moe_data("NPreg")
  set.seed(1)
  expect_warning(moe(yb ~ x | x, np, K = 2, family = binomial(), control = moe_control(se = FALSE)),
                 "fitted probabilities numerically 0 or 1 occurred")
  expect_warning(moe(diabetes ~ glu | age, moe_data("pima"), K = 2, family = binomial(),
                     control = moe_control(se = FALSE)), NA)
})

test_that("Poisson experts whose rates run off to 0 give glm's warning", {
  d <- data.frame(x = rep(0:1, 40))
  d$y <- ifelse(d$x == 1, 0, 1 + seq_len(80) %% 5)  # no count where x = 1
  expect_warning(moe(y ~ x, d, K = 1, family = poisson(), control = moe_control(se = FALSE)),
                 "fitted rates numerically 0 occurred")
  set.seed(2)
  expect_warning(moe(Patents ~ lgRD | RDS, moe_data("patent"), K = 3, family = poisson(),
                     control = moe_control(se = FALSE)), NA)
})
