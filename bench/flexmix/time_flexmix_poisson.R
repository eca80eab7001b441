## moe against flexmix on a gated mixture of Poisson regressions, timed.
## Usage (from the repository root, single-threaded, with the moe R package installed):
##   OPENBLAS_NUM_THREADS=1 Rscript bench/flexmix/time_flexmix_poisson.R [iters=10] [lib]
## `lib`: the library moe is installed in (default: R's library path).
## Data, simulated here (set.seed(20261125)): n = 20000, K = 4 experts, p = q = 5 covariates
## x1..x5 (experts) and z1..z5 (gate), all N(0, 1); gate intercepts N(0, 0.5^2) and slopes
## N(0, 1) (the last expert the reference); expert intercepts N(1, 1) and slopes N(0, 0.3^2);
## y ~ Poisson(exp(x . beta_k)) for the expert k drawn from the gate.
## Every program starts from the same responsibilities: the posterior of moe's k-means start.
## Three fits from there:
##   moe (EM, exact M-steps: IRLS and the gate's Newton method to convergence);
##   "exact" flexmix: FLXMRglm(family = "poisson") (glm.fit's IRLS to convergence) with the
##     gate's nnet fit run to reltol 1e-15 (tests/testthat/helper-moe.R): the same EM
##     iteration as moe, so both must be at the same log-likelihood after the same iterations;
##   stock flexmix: FLXPmultinom for the gate (nnet's BFGS, maxit 100, reltol 1e-8).
## Per iteration: elapsed time of `iters` iterations minus that of one, over iters - 1 (both
## programs have set-up costs); flexmix's first iteration is moe's start (max_iter = 0). To convergence: relative change of the log-likelihood below
## 1e-8 in both (moe's tol; flexmix's tol is the same relative criterion), at most 5000 iterations.
args <- commandArgs(trailingOnly = TRUE)
iters <- if (length(args) >= 1) as.integer(args[1]) else 10L
lib <- if (length(args) >= 2 && nzchar(args[2])) args[2] else NULL
suppressMessages({
  library(moe, lib.loc = lib)
  library(flexmix)
})
source("tests/testthat/helper-moe.R")  # flexmix_exact_multinom()
options(digits = 15, width = 120)
cat(sprintf("date: %s; %s; flexmix %s; nnet %s; moe %s; OPENBLAS_NUM_THREADS=%s; iters=%d\n",
            format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z"), R.version.string, packageVersion("flexmix"),
            packageVersion("nnet"), packageVersion("moe"), Sys.getenv("OPENBLAS_NUM_THREADS"), iters))

set.seed(20261125)
n <- 20000; K <- 4; p <- 5; q <- 5
W <- rbind(c(stats::rnorm(K - 1, 0, 0.5), 0), cbind(matrix(stats::rnorm(q * (K - 1)), q), 0))
B <- rbind(stats::rnorm(K, 1, 1), matrix(stats::rnorm(p * K, 0, 0.3), p))
X <- matrix(stats::rnorm(n * p), n, dimnames = list(NULL, paste0("x", 1:p)))
Z <- matrix(stats::rnorm(n * q), n, dimnames = list(NULL, paste0("z", 1:q)))
gate <- exp(cbind(1, Z) %*% W)
gate <- gate / rowSums(gate)
expert <- apply(gate, 1, function(pr) sample.int(K, 1, prob = pr))
y <- stats::rpois(n, exp(rowSums(cbind(1, X) * t(B[, expert]))))
dat <- data.frame(y = y, X, Z)
cat(sprintf("n = %d, K = %d, p = q = %d; counts: mean %.2f, max %d, zeros %.1f%%\n", n, K, p, mean(y), max(y),
            100 * mean(y == 0)))
fx <- stats::as.formula(paste("y ~", paste(colnames(X), collapse = " + ")))
fz <- stats::as.formula(paste("~", paste(colnames(Z), collapse = " + ")))
fm <- stats::as.formula(paste("y ~", paste(colnames(X), collapse = " + "), "|", paste(colnames(Z), collapse = " + ")))

set.seed(1)
P <- moe(fm, dat, K = K, family = poisson(), starts = 1, control = moe_control(max_iter = 0, se = FALSE))$posterior

elapsed <- function(expr) {
  t <- system.time(value <- expr)[["elapsed"]]
  list(value = value, seconds = t)
}
run_moe <- function(max_iter, tol)
  elapsed(moe(fm, dat, family = poisson(), responsibilities = P,
              control = moe_control(max_iter = max_iter, tol = tol, se = FALSE)))
run_flexmix <- function(concomitant, iter.max, tol)
  elapsed(flexmix(fx, data = dat, k = K, cluster = P, model = FLXMRglm(family = "poisson"),
                  concomitant = concomitant, control = list(iter.max = iter.max, tol = tol, minprior = 0)))
moe_ll <- function(r) r$value$loglik
flexmix_ll <- function(r) r$value@logLik

per_iteration <- function(name, run, ll) {
  one <- run(1)
  many <- run(iters)
  per <- (many$seconds - one$seconds) / (iters - 1)
  cat(sprintf("  %-14s %d iterations %.3f s, 1 iteration %.3f s: %.5f s per iteration; loglik after %d: %.10f\n",
              name, iters, many$seconds, one$seconds, per, iters, ll(many)))
  list(per = per, loglik = ll(many))
}

cat(sprintf("\nper iteration (%d iterations from the same responsibilities, no early stop):\n", iters))
# flexmix's first iteration is the M-step from the given responsibilities, which moe counts
# as its start (max_iter = 0): moe's iteration i is flexmix's i + 1.
m <- per_iteration("moe", function(it) run_moe(it - 1, 0), moe_ll)
e <- per_iteration("exact flexmix", function(it) run_flexmix(flexmix_exact_multinom(fz), it, 0), flexmix_ll)
s <- per_iteration("stock flexmix", function(it) run_flexmix(FLXPmultinom(fz), it, 0), flexmix_ll)
cat(sprintf("  after %d iterations, moe - exact flexmix: %.3g (relative %.3g)\n", iters, m$loglik - e$loglik,
            abs(m$loglik - e$loglik) / abs(e$loglik)))
cat(sprintf("  time per iteration, exact flexmix / moe: %.0f; stock flexmix / moe: %.0f\n", e$per / m$per,
            s$per / m$per))

cat("\nto convergence (relative change of the log-likelihood below 1e-8):\n")
mc <- run_moe(5000, 1e-8)
cat(sprintf("  moe:           %d iterations, %.3f s, loglik %.10f, stop %s\n", mc$value$iterations, mc$seconds,
            moe_ll(mc), mc$value$stop_reason))
for (v in list(list("exact flexmix", flexmix_exact_multinom(fz)), list("stock flexmix", FLXPmultinom(fz)))) {
  fc <- run_flexmix(v[[2]], 5000, 1e-8)
  cat(sprintf("  %-14s %d iterations, %.2f s, loglik %.10f, converged %s; moe - it %.3g; time %s / moe: %.0f\n",
              paste0(v[[1]], ":"), fc$value@iter, fc$seconds, flexmix_ll(fc), fc$value@converged,
              moe_ll(mc) - flexmix_ll(fc), v[[1]], fc$seconds / mc$seconds))
}
