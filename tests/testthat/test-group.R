# Grouped rows: moe(..., group = ~ id), all rows of a group belong to one
# expert (flexmix's `y ~ x | id`).

# G groups of m rows: two Gaussian lines, the expert drawn once per group with
# probability plogis(1.5 w), w a group-level covariate.
sim_groups <- function(G, m, seed) {
  set.seed(seed)
  id <- rep(seq_len(G), each = m)
  w <- rnorm(G)[id]
  k <- (runif(G) < plogis(1.5 * unique(w)))[id]
  x <- rnorm(G * m)
  data.frame(id = factor(paste0("g", id), levels = paste0("g", seq_len(G))), w = w, x = x,
             y = ifelse(k, 1 + 2 * x, -1 - x) + rnorm(G * m, sd = 0.5))
}

# ℓ = Σ_g log Σ_k π_k(w_g) ∏_{i∈g} φ(y_i; x_i β_k, σ_k), written out.
grouped_loglik_in_r <- function(fit, d) {
  m <- fit$model
  total <- 0
  for (g in levels(d$id)) {
    rows <- d$id == g
    X <- cbind(1, d$x[rows])
    eta <- c(1, d$w[rows][1]) %*% m$gate
    log_pi <- eta - log(sum(exp(eta)))
    joint <- sapply(1:2, function(k) log_pi[k] + sum(dnorm(d$y[rows], X %*% m$experts[, k], m$sigma[k], log = TRUE)))
    total <- total + max(joint) + log(sum(exp(joint - max(joint))))
  }
  total
}

test_that("a grouped fit pools each group's rows, recovers the truth and gives per-group posteriors", {
  d <- sim_groups(200, 5, 1)
  set.seed(2)
  fit <- moe(y ~ x | w, data = d, K = 2, group = ~ id)
  expect_equal(fit$loglik, grouped_loglik_in_r(fit, d), tolerance = 1e-10)
  est <- fit$model$experts[, order(fit$model$experts[2, ], decreasing = TRUE)]
  expect_lt(max(abs(est - cbind(c(1, 2), c(-1, -1)))), 0.1)
  post <- fit$posterior
  expect_true(all(abs(post - post[match(d$id, d$id), ]) == 0))  # every row: its group's first row's
  expect_equal(unname(predict(fit, newdata = d[1:10, ], type = "posterior")), unname(post[1:10, ]), tolerance = 1e-12)
  expect_equal(nobs(fit), 1000)  # BIC's n is the number of rows, as flexmix's
  expect_output(print(fit), "n 1000 in 200 groups \\(id\\)")
  expect_output(print(summary(fit)), "n 1000 in 200 groups \\(id\\)")
  expect_true(all(diff(fit$trace$loglik) >= -1e-8 * abs(fit$loglik)))
  sims <- simulate(fit, nsim = 1, seed = 3)
  experts <- attr(sims, "experts")[, 1]
  expect_true(all(tapply(experts, d$id, function(e) length(unique(e))) == 1))
  expect_error(predict(fit, newdata = d[1:10, c("x", "w", "y")], type = "posterior"), "grouped by 'id'")
  path <- tempfile(fileext = ".json")
  d_numeric <- transform(d, id = as.integer(id))
  set.seed(2)
  numeric_fit <- moe(y ~ x | w, data = d_numeric, K = 2, group = ~ id)
  moe_write(numeric_fit, path)
  read <- moe_read(path)
  expect_equal(read$group_variable, "id")
  expect_equal(unname(predict(read, newdata = d_numeric[1:10, ], type = "posterior")), unname(numeric_fit$posterior[1:10, ]),
               tolerance = 1e-10)
})

test_that("grouped fits compare and select, and groups of one row are the ungrouped fit", {
  d <- sim_groups(60, 4, 4)
  cmp <- moe_compare(y ~ x | w, data = d, K = 2, group = ~ id, methods = c("em", "mirror:0.5"))
  set.seed(5)
  fit <- moe(y ~ x | w, data = d, K = 2, group = ~ id)
  expect_equal(attr(cmp, "best_loglik"), fit$loglik, tolerance = 1e-6)
  sel <- moe_select(y ~ x | w, data = d, K = 1:2, group = ~ id)
  expect_equal(sel$best$K, 2L)
  d$row <- seq_len(nrow(d))
  set.seed(6)
  one <- moe(y ~ x | w, data = d, K = 2, group = ~ row)
  set.seed(6)
  plain <- moe(y ~ x | w, data = d, K = 2)
  expect_equal(one$loglik, plain$loglik, tolerance = 1e-8)
})

test_that("bad groups give clear errors", {
  d <- sim_groups(30, 3, 7)
  expect_error(moe(y ~ x | x, data = d, K = 2, group = ~ id), "vary within group 'g1' \\(rows 1 and 2\\)")
  expect_error(moe(y ~ x, data = d, K = 2, group = "id"), "one-sided formula naming one variable")
  expect_error(moe(y ~ x, data = d, K = 2, group = ~ id + w), "one-sided formula naming one variable")
  expect_error(moe(y ~ x, data = d, K = 2, group = ~ id, weights = rep(1, 90)), "weights and groups together")
  expect_error(moe(y ~ x, data = d[1:3, ], K = 2, group = ~ id), "too few")
})

# flexmix's own grouped examples, in the same run: moe's default fit must
# reach flexmix's best of several seeds. betablocker (the vignette's
# FLXMRglmfix example, exact M-steps) and NPreg with id2 (flexmix's Gaussian
# sigma is the degrees-of-freedom corrected one, so its ℓ is at most the MLE's).
test_that("betablocker by centre and NPreg by id2 reach flexmix's best", {
  skip_if_not_installed("flexmix")
  best_of <- function(seeds, fit) max(vapply(seeds, function(s) { set.seed(s); f <- fit(); if (f@k == f@k0) f@logLik else -Inf }, 0))
  betablocker <- get(utils::data("betablocker", package = "flexmix", envir = environment()))
  set.seed(1)
  fit <- moe(cbind(Deaths, Total - Deaths) ~ 1, data = betablocker, K = 3, family = binomial(),
             fixed = ~ Treatment, group = ~ Center)
  best <- best_of(1:10, function() flexmix::flexmix(cbind(Deaths, Total - Deaths) ~ 1 | Center, data = betablocker,
                                                     k = 3, control = list(minprior = 0),
                                                     model = flexmix::FLXMRglmfix(family = "binomial", fixed = ~ Treatment)))
  expect_gte(fit$loglik, best - 1e-6 * abs(best))
  expect_equal(fit$df, 3L + 1L + 2L)
  # standard errors against flexmix's refit() (its numerical Hessian) at the same maximum
  set.seed(1)
  same <- flexmix::flexmix(cbind(Deaths, Total - Deaths) ~ 1 | Center, data = betablocker, k = 3,
                           control = list(minprior = 0), cluster = fit$posterior,
                           model = flexmix::FLXMRglmfix(family = "binomial", fixed = ~ Treatment))
  expect_equal(same@logLik, fit$loglik, tolerance = 1e-6)
  refitted <- flexmix::refit(same)@components[[1L]]
  for (k in 1:3) {
    theirs <- refitted[[k]]@.Data[, "Std. Error"]
    expect_equal(unname(fit$se$experts[c("TreatmentTreated", "(Intercept)"), k]),
                 unname(theirs[c("TreatmentTreated", "(Intercept)")]), tolerance = 1e-3)
  }

  NPreg <- get(utils::data("NPreg", package = "flexmix", envir = environment()))
  set.seed(1)
  fit <- moe(yn ~ x + I(x^2), data = NPreg, K = 2, group = ~ id2)
  best <- best_of(1:10, function() flexmix::flexmix(yn ~ x + I(x^2) | id2, data = NPreg, k = 2,
                                                     control = list(minprior = 0)))
  expect_gte(fit$loglik, best - 1e-6 * abs(best))
})
