# The core's registries (methods.hpp, family.hpp) seen from R, and R's
# defaults against the core's.

test_that("every estimator of the registry fits through moe(), with its step rules", {
  np <- moe_data("NPreg")
  m <- moe_methods()
  expect_true(all(c("em", "gem", "squarem", "mirror", "gd", "gradient-em", "adam") %in% m$name))
  expect_setequal(unique(m$step), c("none", "optional", "required"))
  for (i in seq_len(nrow(m))) {
    step <- if (m$step[i] == "required") 0.1
    fit <- moe(yn ~ x, np, K = 2, starts = 1, method = m$name[i],
               control = moe_control(step = step, max_iter = 20, se = FALSE))
    expect_true(is.finite(fit$loglik), label = m$name[i])
    expect_identical(fit$method, m$name[i])
  }
  required <- m$name[m$step == "required"][1L]
  expect_error(moe(yn ~ x, np, K = 2, method = required), "needs a step")
  expect_error(moe(yn ~ x, np, K = 2, method = "em", control = moe_control(step = 0.5)), "'em' takes no step")
  expect_error(moe(yn ~ x, np, K = 2, method = "nope"), "unknown method 'nope' \\(use em, gem, squarem")
  expect_error(moe(yn ~ x, np, K = 2, method = c("em", "gd")), "'method' must be one of em, ")
})

test_that("a method's default step is the registry's: mirror alone is mirror with its default", {
  np <- moe_data("NPreg")
  m <- moe_methods()
  eta <- m$step_default[m$name == "mirror"]
  expect_true(is.finite(eta))
  set.seed(1)  # the same start for both
  plain <- moe(yn ~ x, np, K = 2, starts = 1, method = "mirror", control = moe_control(max_iter = 30, se = FALSE))
  set.seed(1)
  given <- moe(yn ~ x, np, K = 2, starts = 1, method = "mirror",
               control = moe_control(step = eta, max_iter = 30, se = FALSE))
  expect_equal(plain$trace$loglik, given$trace$loglik)
})

test_that("the families are the registry's, with its links", {
  f <- moe_families()
  expect_setequal(f$name, c("gaussian", "binomial", "poisson", "negbin", "gamma", "t", "multinomial"))
  expect_identical(f$link[match(c("gaussian", "binomial", "poisson", "negbin", "gamma", "t", "multinomial"), f$name)],
                   c("identity", "logit", "log", "log", "log", "identity", "logit"))
  expect_identical(f$dispersion[match(c("gaussian", "binomial", "negbin", "gamma", "t"), f$name)],
                   c("sigma", "", "theta", "shape", "sigma"))
  expect_error(moe(yn ~ x, moe_data("NPreg"), K = 2, family = inverse.gaussian()), "must be gaussian\\(\\), binomial\\(\\)")
  expect_error(moe(yn ~ x, moe_data("NPreg"), K = 2, family = poisson(link = "sqrt")), "use the log link")
})

test_that("R's defaults are the core's (threads aside: 2 in R, as CRAN asks)", {
  core <- moe:::moe_defaults_cpp()
  r <- moe_control()
  for (name in c("max_iter", "tol", "init", "screening_iterations", "finalists", "split_merge", "prefer_finite", "variance_floor",
                 "batch_size"))
    expect_equal(r[[name]], core[[name]], label = paste("moe_control()$", name))
  expect_identical(r$threads, 2L)
  for (f in list(moe, moe_compare, moe_boot_lrt))
    expect_equal(formals(f)$starts, core$starts)
})
