# Predicted convergence rates (local_rates of a fit, the predicted column of moe_compare).

test_that("EM's predicted rate is the rate it converges at", {
  mc <- moe_data("mcycle")
  set.seed(1)
  # one k-means start without moves: a long run from afar, whose trace shows the asymptotic rate
  # (the search's best run may start near its maximum or be a split-and-merge move's)
  fit <- moe(accel ~ times | times, mc, K = 3, starts = 1,
             control = moe_control(tol = 1e-10, init = "kmeans", split_merge = FALSE))
  r <- fit$local_rates
  expect_true(r$valid)
  expect_identical(r$note, "")
  expect_identical(r$method, r$em)  # fitted by EM
  expect_gt(r$em, 0)
  expect_lt(r$em, 1)
  expect_lt(abs(r$em - fit$linear_rate), 0.05)
  # the fractions of missing information, largest first; EM's gap rate is the largest squared
  expect_false(is.unsorted(rev(r$missing_fractions)))
  expect_equal(r$em, r$missing_fractions[1]^2)
  expect_length(r$missing_fractions, length(fit$se$estimates))
  expect_named(r$em_slowest_direction, c("gate", "expert1", "expert2", "expert3"))
  expect_equal(sum(r$em_slowest_direction), 1)
  expect_true(all(r$em_slowest_direction >= 0))
  common <- moe(accel ~ times | times, mc, K = 3, starts = 3, control = moe_control(common_sigma = TRUE))
  expect_named(common$local_rates$em_slowest_direction, c("gate", "expert1", "expert2", "expert3", "sigma"))
  # the best fixed gradient step still converges far slower than EM
  expect_gt(r$gradient_best_step, 0)
  expect_gt(r$gradient_best, r$em)
  expect_lt(r$gradient_best, 1)
  expect_output(print(summary(fit)), "observed [0-9.]+, predicted [0-9.]+")
  expect_null(moe(accel ~ times | times, mc, K = 3, starts = 1, control = moe_control(se = FALSE))$local_rates)
})

test_that("mirror descent's predicted rate is its own", {
  pima <- moe_data("pima")
  set.seed(2)
  em <- moe(diabetes ~ glu | age, pima, K = 2, family = binomial(), control = moe_control(tol = 1e-11))
  set.seed(2)
  mirror <- moe(diabetes ~ glu | age, pima, K = 2, family = binomial(), method = "mirror",
                control = moe_control(tol = 1e-11, step = 0.5))
  expect_equal(mirror$loglik, em$loglik, tolerance = 1e-8)  # the same maximum
  expect_lt(abs(mirror$local_rates$method - mirror$linear_rate), 0.05)
  expect_gt(mirror$local_rates$method, mirror$local_rates$em)  # shorter steps converge slower
})

test_that("moe_compare predicts every fixed-step method's rate at the best fit", {
  pima <- moe_data("pima")
  set.seed(3)
  cmp <- moe_compare(diabetes ~ glu | age, pima, K = 2, family = binomial(),
                     methods = c("em", "gem", "mirror:0.5", "gd", "adam:0.05"),
                     control = moe_control(se = FALSE, tol = 1e-11, max_iter = 3000))
  rates <- attr(cmp, "rates")
  expect_identical(rates$method, c("em", "gem", "mirror:0.5", "gd", "adam:0.05"))
  expect_identical(attr(rates, "note"), "")
  expect_identical(rates$predicted_linear_rate[1], rates$predicted_linear_rate[2])  # GEM has EM's rate
  for (m in c("em", "mirror:0.5")) {
    row <- rates[rates$method == m, ]
    expect_lt(abs(row$predicted_linear_rate - row$linear_rate), 0.05)
  }
  expect_true(all(is.nan(rates$predicted_linear_rate[4:5])))  # Armijo steps and Adam adapt
  expect_output(print(cmp), "predicted")
  # the best fixed gradient step and its rate, slower than EM's on these data
  step <- attr(rates, "gradient_best_step")
  expect_gt(step, 0)
  expect_gt(attr(rates, "gradient_best"), rates$predicted_linear_rate[1])
  expect_output(print(cmp), "best fixed gradient step, gd:")
})

test_that("squarem reaches EM's maximum in fewer iterations", {
  pima <- moe_data("pima")
  set.seed(4)
  em <- moe(diabetes ~ glu + bmi | age, pima, K = 2, family = binomial(), starts = 1,
            control = moe_control(tol = 1e-12, max_iter = 5000))
  set.seed(4)
  fast <- moe(diabetes ~ glu + bmi | age, pima, K = 2, family = binomial(), method = "squarem", starts = 1,
              control = moe_control(tol = 1e-12, max_iter = 5000))
  expect_equal(fast$loglik, em$loglik, tolerance = 1e-9)
  expect_lt(3 * fast$iterations, em$iterations)
  expect_true(all(diff(fast$trace$loglik) >= -1e-9 * abs(fast$loglik)))
  expect_true(is.nan(fast$local_rates$method))  # extrapolation has no fixed rate
  expect_output(print(summary(fast)), "predicted none \\(no fixed linear map\\)")
  expect_error(moe_compare(diabetes ~ glu | age, pima, K = 2, family = binomial(), methods = "squarem:2"),
               "method .squarem. takes no step")
})
