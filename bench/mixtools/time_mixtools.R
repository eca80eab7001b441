## moe against mixtools on the same EM iterations, timed.
## Usage (from the repository root, single-threaded, with the moe R package installed):
##   OPENBLAS_NUM_THREADS=1 Rscript bench/mixtools/time_mixtools.R [iters=20] [lib] [problems=regmix,hme,logistic]
## `lib`: the library moe is installed in (default: R's library path; "" for it when giving problems).
## Three problems, each started from one set of parameters (moe's k-means start: moe() with
## max_iter = 0), from which both programs run `iters` EM iterations:
##   regmix: Gaussian experts with constant mixing weights, mixtools::regmixEM, on
##           bench/data/sim_n20000_p10_K4.csv (bench/flexmix/make_bench_data.R), y ~ x1 + ... + x10, K = 4;
##   hme:    K = 2 experts and a logistic gate on one covariate (what mixtools::hmeEM fits),
##           simulated here: n = 20000, x ~ N(0, 1), gate plogis(1 - 2x),
##           experts 2 + 3x and -1 - x, sigma 1 and 0.5;
##   logistic: K = 2 logistic experts with constant mixing weights, mixtools::logisregmixEM,
##           simulated here: n = 20000, x ~ N(0, 1), 30% of the rows with log-odds 2 + 3x, 70% -1 - 2x.
## mixtools runs exact EM here too, so after the same iterations from the same start both
## programs must be at the same log-likelihood: the log prints both and their difference.
## Then both run each problem to convergence from the same start: moe with its default tol
## 1e-8 (relative gain of one iteration), mixtools with epsilon = 1e-8 |loglik| (its epsilon is an
## absolute gain), at most 10000 iterations.
## Times: elapsed seconds of the fitting call; for moe also the call with max_iter = 0 (model
## frame, start, final E-step), so that (t(iters) - t(0)) / iters is its cost per iteration.
args <- commandArgs(trailingOnly = TRUE)
iters <- if (length(args) >= 1) as.integer(args[1]) else 20L
lib <- if (length(args) >= 2 && nzchar(args[2])) args[2] else NULL
problems <- if (length(args) >= 3) strsplit(args[3], ",")[[1]] else c("regmix", "hme", "logistic")
suppressMessages({
  library(moe, lib.loc = lib)
  library(mixtools)
})
options(digits = 15, width = 120)
cat(sprintf("date: %s; %s; mixtools %s; moe %s; OPENBLAS_NUM_THREADS=%s; iters=%d\n",
            format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z"), R.version.string, packageVersion("mixtools"),
            packageVersion("moe"), Sys.getenv("OPENBLAS_NUM_THREADS"), iters))

elapsed <- function(expr) {
  t <- system.time(utils::capture.output(value <- expr))[["elapsed"]]
  list(value = value, seconds = t)
}

report <- function(name, n, moe_runs, mx, mx_iters, mx_converged) {
  m0 <- moe_runs$zero$seconds
  m <- moe_runs$iters
  per_moe <- (m$seconds - m0) / iters
  per_mx <- mx$seconds / mx_iters
  cat(sprintf("\n[%s] n = %d\n", name, n))
  cat(sprintf("  mixtools: %d iterations in %.2f s (%.4f s/iteration), loglik %.10f, restarts %d\n",
              mx_iters, mx$seconds, per_mx, mx$value$loglik, mx$value$restarts))
  cat(sprintf("  moe:      %d iterations in %.3f s (%.3f s with max_iter = 0; %.5f s/iteration), loglik %.10f\n",
              m$value$iterations, m$seconds, m0, per_moe, m$value$loglik))
  cat(sprintf("  loglik difference (moe - mixtools): %.3g; mixtools/moe time per iteration: %.0f\n",
              m$value$loglik - mx$value$loglik, per_mx / per_moe))
  conv <- moe_runs$converged
  cat(sprintf("  moe to convergence (tol 1e-8): %d iterations, %.3f s, loglik %.10f, converged %s\n",
              conv$value$iterations, conv$seconds, conv$value$loglik, conv$value$converged))
  mc <- mx_converged(1e-8 * abs(conv$value$loglik))
  cat(sprintf("  mixtools to convergence (epsilon %.3g): %d iterations, %.2f s, loglik %.10f, restarts %d\n",
              1e-8 * abs(conv$value$loglik), length(mc$value$all.loglik) - 1, mc$seconds, mc$value$loglik,
              mc$value$restarts))
  cat(sprintf("  loglik difference at convergence (moe - mixtools): %.3g; mixtools/moe time: %.0f\n",
              conv$value$loglik - mc$value$loglik, mc$seconds / conv$seconds))
}

# moe from `start`: max_iter = 0, `iters` iterations (tol = 0: no early stop), and to convergence
moe_runs <- function(formula, data, start, family = gaussian()) {
  run <- function(control) elapsed(moe(formula, data, start = start, family = family, control = control))
  list(zero = run(moe_control(max_iter = 0, se = FALSE)),
       iters = run(moe_control(max_iter = iters, tol = 0, se = FALSE)),
       converged = run(moe_control(max_iter = 10000, se = FALSE)))
}

## regmix
if ("regmix" %in% problems) {
csv <- "bench/data/sim_n20000_p10_K4.csv"
if (!file.exists(csv)) stop(csv, " is missing: run Rscript bench/flexmix/make_bench_data.R first")
dat <- read.csv(csv)
xs <- grep("^x[0-9]+$", names(dat), value = TRUE)
f <- stats::as.formula(paste("y ~", paste(xs, collapse = " + ")))
set.seed(1)
st <- moe(f, dat, K = 4, starts = 1, control = moe_control(max_iter = 0, se = FALSE))$model
lambda <- exp(st$gate[1, ]) / sum(exp(st$gate[1, ]))
regmix <- function(epsilon, maxit)
  elapsed(regmixEM(dat$y, as.matrix(dat[, xs]), lambda = lambda, beta = unname(st$experts),
                   sigma = unname(st$sigma), k = 4, epsilon = epsilon, maxit = maxit))
report("regmixEM, Gaussian experts, constant gate, p = 10, K = 4", nrow(dat), moe_runs(f, dat, st),
       regmix(-Inf, iters), iters, function(epsilon) regmix(epsilon, 10000))
}

## hme
if ("hme" %in% problems) {
set.seed(2)
n <- 20000
h <- data.frame(x = stats::rnorm(n))
first <- stats::runif(n) < stats::plogis(1 - 2 * h$x)
h$y <- ifelse(first, 2 + 3 * h$x + stats::rnorm(n), -1 - h$x + 0.5 * stats::rnorm(n))
set.seed(1)
st <- moe(y ~ x | x, h, K = 2, starts = 1, control = moe_control(max_iter = 0, se = FALSE))$model
hme <- function(epsilon, maxit)
  elapsed(hmeEM(h$y, h$x, beta = unname(st$experts), sigma = unname(st$sigma), w = unname(st$gate[, 1]),
                k = 2, epsilon = epsilon, maxit = maxit))
report("hmeEM, K = 2, gate and experts on one covariate", n, moe_runs(y ~ x | x, h, st), hme(-Inf, iters), iters,
       function(epsilon) hme(epsilon, 10000))
}

## logistic
if ("logistic" %in% problems) {
set.seed(2)
n <- 20000
g <- data.frame(x = stats::rnorm(n))
first <- stats::runif(n) < 0.3
g$y <- as.numeric(stats::runif(n) < stats::plogis(ifelse(first, 2 + 3 * g$x, -1 - 2 * g$x)))
set.seed(1)
st <- moe(y ~ x, g, K = 2, family = binomial(), starts = 1, control = moe_control(max_iter = 0, se = FALSE))$model
lambda <- exp(st$gate[1, ]) / sum(exp(st$gate[1, ]))
logistic <- function(epsilon, maxit)
  elapsed(logisregmixEM(g$y, g$x, lambda = lambda, beta = unname(st$experts), k = 2, epsilon = epsilon,
                        maxit = maxit))
report("logisregmixEM, K = 2 logistic experts, constant gate", n,
       moe_runs(y ~ x, g, st, binomial()), logistic(-Inf, iters), iters,
       function(epsilon) logistic(epsilon, 10000))
}
