## Continue the best mcycle seed (from mcycle_best.R) with a larger iteration cap
## to see where flexmix's EM goes when it has not converged at 2000 iterations.
## Usage: Rscript bench/flexmix/mcycle_long.R [seed=27] [iter.max=50000]
suppressMessages({library(flexmix); library(MASS)})
options(digits = 17, width = 120)
args <- commandArgs(trailingOnly = TRUE)
seed <- if (length(args) >= 1) as.integer(args[1]) else 27L
im <- if (length(args) >= 2) as.integer(args[2]) else 50000L
data(mcycle, package = "MASS")
for (cap in unique(c(2000L, 5000L, 10000L, 20000L, im))) {
  if (cap > im) next
  set.seed(seed)
  t <- system.time(f <- flexmix(accel ~ times, data = mcycle, k = 3, concomitant = FLXPmultinom(~ times),
                                control = list(iter.max = cap, tol = 1e-10, minprior = 0)))[["elapsed"]]
  cat(sprintf("seed %d iter.max %d: logLik %.10f iter %d converged %s elapsed %.1f s\n",
              seed, cap, as.numeric(logLik(f)), f@iter, f@converged, t))
}
cat("parameters(fit):\n"); print(parameters(f))
cat("parameters(fit, which=\"concomitant\"):\n"); print(parameters(f, which = "concomitant"))
