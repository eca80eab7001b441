# Choosing the number of experts.

test_that("moe_select finds two experts in two-expert data, by BIC and by ICL", {
  d <- sim_two_experts(n = 400, seed = 7)
  set.seed(1)
  sel <- moe_select(y ~ x | z, d, K = 1:4, control = moe_control(se = FALSE))
  expect_s3_class(sel, "moe_select")
  expect_equal(sel$table$K, 1:4)
  expect_equal(sel$best$K, 2L)
  expect_equal(sel$table$BIC, vapply(sel$fits, BIC, numeric(1)), ignore_attr = TRUE)
  expect_equal(sel$table$AIC, vapply(sel$fits, AIC, numeric(1)), ignore_attr = TRUE)
  # ICL = BIC - 2 sum_i log(largest responsibility of row i)
  unclear <- function(fit) -2 * sum(log(apply(fit$posterior, 1, max)))
  expect_equal(sel$table$ICL, sel$table$BIC + vapply(sel$fits, unclear, numeric(1)), ignore_attr = TRUE,
               tolerance = 1e-9)
  expect_equal(sel$table$ICL[1], sel$table$BIC[1])
  set.seed(1)
  expect_equal(moe_select(y ~ x | z, d, K = 1:3, criterion = "ICL", control = moe_control(se = FALSE))$best$K, 2L)
  expect_output(print(sel), "<- smallest BIC")
})

test_that("moe_select passes options to moe() and refuses bad K lists", {
  pm <- moe_data("pima")
  set.seed(2)
  sel <- moe_select(diabetes ~ glu + bmi | age, pm, K = 2:1, family = binomial(), starts = 2,
                    control = moe_control(se = FALSE))
  expect_equal(sel$table$K, c(2L, 1L))
  expect_true(all(vapply(sel$fits, function(f) f$family, "") == "binomial"))
  expect_error(moe_select(yn ~ x, moe_data("NPreg"), K = c(2, 2)), "K = 2 is listed twice")
  expect_error(moe_select(yn ~ x, moe_data("NPreg"), K = c(0, 2)), "whole numbers >= 1")
  expect_error(moe_select(yn ~ x, moe_data("NPreg"), K = 1:2, criterion = "DIC"), "should be one of")
})

test_that("ICL and BIC agree with flexmix's on the same fit", {
  skip_if_not_installed("flexmix")
  np <- moe_data("NPreg")
  P <- soft_start(np$class, 2)
  fx <- flexmix::flexmix(yn ~ x, data = np, k = 2, cluster = P, model = flexmix_mle_gaussian(),
                         concomitant = flexmix_exact_multinom(~ x),
                         control = list(tol = 1e-12, iter.max = 20000, minprior = 0))
  fm <- moe(yn ~ x | x, np, responsibilities = P, control = moe_control(tol = 1e-12, max_iter = 20000, se = FALSE))
  expect_lt(rel_diff(fm$loglik, fx@logLik), 1e-9)
  expect_equal(BIC(fm), stats::BIC(fx), tolerance = 1e-9)  # flexmix provides logLik with df and nobs
  expect_equal(fm$icl, flexmix::ICL(fx), tolerance = 1e-8)
})

test_that("moe_select's fits carry their own call, check the largest K first and take lower-case criteria", {
  np <- moe_data("NPreg")
  set.seed(1)
  sel <- moe_select(yn ~ x, np, K = 1:2, starts = 2, control = moe_control(se = FALSE), criterion = "bic")
  expect_equal(sel$criterion, "BIC")
  expect_equal(sel$best$call$K, sel$best$K)
  expect_identical(sel$best$call[[1L]], quote(moe))
  expect_equal(update(sel$fits$K1, K = 3, starts = 1)$K, 3L)
  expect_error(moe_select(yn ~ x, np[1:20, ], K = c(1, 2, 50)), "too few for K = 50")
})
