## Direct maximisation (optim BFGS, analytic-free) of the gated-mixture log-likelihood
## on mcycle, started from flexmix's converged fit for a given seed, to check how far
## flexmix's EM end point (inexact nnet gate M-step) is from the local maximum.
## Usage: Rscript bench/flexmix/mcycle_polish.R [seed=27] [iter.max=20000]
suppressMessages({library(flexmix); library(MASS)})
options(digits = 17, width = 120)
args <- commandArgs(trailingOnly = TRUE)
seed <- if (length(args) >= 1) as.integer(args[1]) else 27L
im <- if (length(args) >= 2) as.integer(args[2]) else 20000L
data(mcycle, package = "MASS")
set.seed(seed)
f <- flexmix(accel ~ times, data = mcycle, k = 3, concomitant = FLXPmultinom(~ times),
             control = list(iter.max = im, tol = 1e-10, minprior = 0))
pe <- parameters(f); pc <- parameters(f, which = "concomitant")
X <- cbind(1, mcycle$times); y <- mcycle$accel
lse <- function(M) { m <- apply(M, 1, max); m + log(rowSums(exp(M - m))) }
ll <- function(th) {
  B <- matrix(th[1:6], 2, 3); ls <- th[7:9]; W <- cbind(0, matrix(th[10:13], 2, 2))
  eta <- X %*% W; logpi <- eta - lse(eta)
  ld <- sapply(1:3, function(k) dnorm(y, X %*% B[, k], exp(ls[k]), log = TRUE))
  sum(lse(logpi + ld))
}
th0 <- c(pe[1:2, 1], pe[1:2, 2], pe[1:2, 3], log(pe[3, ]), pc[, 2], pc[, 3])
cat(sprintf("flexmix seed %d: logLik %.10f iter %d converged %s\n", seed, as.numeric(logLik(f)), f@iter, f@converged))
cat(sprintf("logLik at reported parameters (refit concomitant): %.10f\n", ll(th0)))
o <- optim(th0, ll, method = "BFGS", control = list(fnscale = -1, maxit = 10000, reltol = 1e-15))
o2 <- optim(o$par, ll, method = "Nelder-Mead", control = list(fnscale = -1, maxit = 20000, reltol = 1e-15))
o3 <- optim(o2$par, ll, method = "BFGS", control = list(fnscale = -1, maxit = 10000, reltol = 1e-15))
cat(sprintf("optim BFGS: %.10f (conv %d); + Nelder-Mead: %.10f; + BFGS: %.10f (conv %d)\n",
            o$value, o$convergence, o2$value, o3$value, o3$convergence))
th <- o3$par
cat("polished parameters: expert coef (cols = components), sigma, gate coef (comp 1 reference)\n")
print(rbind(matrix(th[1:6], 2, 3, dimnames = list(c("(Intercept)", "times"), NULL)), sigma = exp(th[7:9])))
print(cbind(0, matrix(th[10:13], 2, 2, dimnames = list(c("(Intercept)", "times"), NULL))))
