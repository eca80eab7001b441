# Bootstrap standard errors: moe_boot() against flexmix's boot() (ordinary,
# nonparametric) and mixtools' boot.se() (parametric, regmixEM), on the same
# data at the same maximum, every replicate refitted from the fit in all three.
#
#   Rscript bench/boot/boot_peers.R [LIB] [B]
#
# LIB: where moe is installed (R CMD INSTALL . -l LIB), default the library
# path; B: replicates, default 200. Prints a markdown table per problem (the
# standard error of every parameter by each tool) and the times, and writes
# bench/boot/boot_peers.csv. The three bootstraps draw different replicates,
# so their standard errors agree only within Monte-Carlo error: about
# 1/sqrt(2 B) relative (5 % at B = 200) each.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) >= 1) .libPaths(c(args[1], .libPaths()))
B <- if (length(args) >= 2) as.integer(args[2]) else 200L
suppressMessages({
  library(moe)
  library(flexmix)
  library(mixtools)
})

elapsed <- function(expr) {
  t0 <- proc.time()[[3]]
  value <- force(expr)
  list(value = value, seconds = proc.time()[[3]] - t0)
}

# The value of expr, what it prints dropped (regmixEM prints every fit).
quietly <- function(expr) {
  utils::capture.output(value <- expr)
  value
}

# The permutation of 1..K that brings `coef` (p x K) closest to `reference`.
closest_order <- function(coef, reference) {
  K <- ncol(reference)
  perms <- if (K == 1) matrix(1L) else as.matrix(expand.grid(rep(list(seq_len(K)), K)))
  perms <- perms[apply(perms, 1, function(p) length(unique(p)) == K), , drop = FALSE]
  cost <- apply(perms, 1, function(p) sum((coef[, p, drop = FALSE] - reference)^2))
  perms[which.min(cost), ]
}

# flexmix's replicates as moe's expert parameters (coefficients, then sigma),
# experts matched to the fit's; replicates whose fit failed (flexmix keeps an
# empty entry) are left out.
flexmix_replicates <- function(fb, fit) {
  ended <- Filter(function(par) length(par) && length(par[[1]]) && length(par[[1]][[1]]), fb@parameters)
  t(sapply(ended, function(par) {
    comps <- par[[1]][[1]]
    coef <- sapply(comps, function(c) c$coef)
    sigma <- sapply(comps, function(c) c$sigma)
    order <- closest_order(coef, fit$model$experts)
    c(coef[, order], sigma[order])
  }))
}

dataset <- function(name, package) {
  e <- new.env()
  utils::data(list = name, package = package, envir = e)
  e[[name]]
}

problems <- list(
  list(name = "NPreg_yn_K2", data = dataset("NPreg", "flexmix"), formula = yn ~ x, flexmix = yn ~ x, K = 2),
  list(name = "cats_K2", data = dataset("cats", "MASS"), formula = Hwt ~ Bwt, flexmix = Hwt ~ Bwt, K = 2),
  list(name = "CO2data_K2", data = dataset("CO2data", "mixtools"), formula = CO2 ~ GNP, flexmix = CO2 ~ GNP, K = 2)
)

rows <- list()
for (pr in problems) {
  set.seed(1)
  fit <- moe(pr$formula, data = pr$data, K = pr$K)
  K <- pr$K
  n_coef <- nrow(fit$model$experts)
  # moe, nonparametric and parametric
  set.seed(2)
  mb <- elapsed(moe_boot(fit, B = B, threads = 1))
  set.seed(3)
  mp <- elapsed(moe_boot(fit, B = B, type = "parametric", threads = 1))
  tab <- mb$value$table
  keep <- !grepl("^gate", rownames(tab))  # the experts' parameters: coefficients, then sigma
  # flexmix at the same maximum: started from moe's posterior
  fx <- flexmix(pr$flexmix, data = pr$data, cluster = fit$posterior, control = list(minprior = 0, tolerance = 1e-10,
                                                                                     iter.max = 5000))
  set.seed(4)
  fb <- elapsed(boot(fx, R = B, initialize_solution = TRUE))
  fx_reps <- flexmix_replicates(fb$value, fit)
  # mixtools' parametric bootstrap from the same maximum
  y <- model.response(model.frame(pr$formula, pr$data))
  x <- model.matrix(pr$formula, pr$data)[, -1, drop = FALSE]
  em <- quietly(regmixEM(y, x, lambda = colMeans(fit$posterior), beta = fit$model$experts, sigma = fit$model$sigma, k = K,
                 epsilon = 1e-10, maxit = 10000))
  set.seed(5)
  mx <- elapsed(quietly(suppressWarnings(boot.se(em, B = B))))
  mx_reps <- t(sapply(seq_len(ncol(mx$value$beta)), function(b) {
    coef <- matrix(mx$value$beta[, b], nrow = n_coef)
    order <- closest_order(coef, fit$model$experts)
    c(coef[, order], mx$value$sigma[order, b])
  }))
  out <- data.frame(problem = pr$name, parameter = rownames(tab)[keep], estimate = tab$estimate[keep],
                    se_information = tab$se_information[keep], moe_nonparametric = tab$se_bootstrap[keep],
                    flexmix_ordinary = apply(fx_reps, 2, sd), moe_parametric = mp$value$table$se_bootstrap[keep],
                    mixtools_parametric = apply(mx_reps, 2, sd))
  times <- data.frame(problem = pr$name, B = B, flexmix_ended = nrow(fx_reps), mixtools_ended = nrow(mx_reps),
                      moe_nonparametric_s = mb$seconds, flexmix_s = fb$seconds,
                      moe_parametric_s = mp$seconds, mixtools_s = mx$seconds,
                      loglik_moe = fit$loglik, loglik_flexmix = as.numeric(logLik(fx)), loglik_mixtools = em$loglik)
  cat("\n###", pr$name, "\n\n")
  print(format(out[, -1], digits = 4), row.names = FALSE)
  print(times, digits = 6)
  rows[[pr$name]] <- merge(out, times)
}
utils::write.csv(do.call(rbind, rows), "bench/boot/boot_peers.csv", row.names = FALSE)
