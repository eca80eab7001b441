## moe() against flexmix() on the simulated benchmark data, both from R, in
## one R session: elapsed seconds to converge (system.time) and final logLik.
##
## Usage (from the repository root, after `R CMD INSTALL .`; single-threaded BLAS):
##   OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 Rscript bench/r/moe_vs_flexmix.R > bench/r/moe_vs_flexmix.log 2>&1
##   ... Rscript bench/r/moe_vs_flexmix.R --flexmix-100000   also reruns flexmix at n = 100000 (about 11 minutes)
##
## Data: bench/data/sim_n20000_p10_K4.csv and bench/data/sim_n100000_p20_K8.csv
## (made by `Rscript bench/flexmix/make_bench_data.R` when missing; see
## bench/flexmix/RESULTS_flexmix.md, section B).
##
## moe: moe(y ~ x1 + ... + xp | z1 + ... + zq, K, starts = 1, method "em" and
## "gem", default control (tol 1e-8 relative change, max_iter 500)), after
## set.seed(1); with se = FALSE (the fit alone, as flexmix computes no standard
## errors), then once more for "em" with the default se = TRUE to show the cost of
## the standard errors.
## flexmix: exactly as bench/flexmix/time_flexmix.R 'converge': set.seed(1),
## FLXMRglm(gaussian), FLXPmultinom(~ z1 + ... + zq), control minprior = 0,
## tol = 1e-6 (flexmix's default), iter.max = 1000. It is rerun here at
## n = 20000; at n = 100000 the run recorded in RESULTS_flexmix.md C.2 is used
## (664.62 s elapsed, 55 iterations, logLik -191402.5672787938).
## Reading the CSV is not timed.

suppressMessages({
  library(moe)
  library(flexmix)
})
options(digits = 12, width = 120)
args <- commandArgs(trailingOnly = TRUE)
rerun_flexmix_100000 <- "--flexmix-100000" %in% args

files <- c("bench/data/sim_n20000_p10_K4.csv", "bench/data/sim_n100000_p20_K8.csv")
if (!all(file.exists(files))) {
  cat("bench data missing: running bench/flexmix/make_bench_data.R\n")
  source("bench/flexmix/make_bench_data.R", local = new.env())
}

cat(sprintf("date: %s\n", format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z")))
cat(sprintf("%s; moe %s; flexmix %s; nnet %s\n", R.version.string, packageVersion("moe"),
            packageVersion("flexmix"), packageVersion("nnet")))
cat(sprintf("OPENBLAS_NUM_THREADS=%s OMP_NUM_THREADS=%s\n", Sys.getenv("OPENBLAS_NUM_THREADS"),
            Sys.getenv("OMP_NUM_THREADS")))
cpu <- tryCatch(grep("Model name", system("lscpu", intern = TRUE), value = TRUE), error = function(e) "?")
cat(sprintf("lscpu: %s; cores: %d\n", trimws(paste(cpu, collapse = " ")), parallel::detectCores()))
cat(sprintf("load average at start: %s\n", tryCatch(readLines("/proc/loadavg"), error = function(e) "?")))

true_loglik <- function(csv) {
  L <- readLines(sub("\\.csv$", ".truth.txt", csv))
  as.numeric(L[grep("^true-parameter log-likelihood", L) + 1L])
}

recorded_flexmix_100000 <- list(elapsed = 664.62, cpu = 656.89, iterations = 55L, converged = TRUE,
                                loglik = -191402.5672787938)

results <- list()
add <- function(...) results[[length(results) + 1L]] <<- data.frame(..., stringsAsFactors = FALSE)

for (csv in files) {
  K <- as.integer(sub(".*_K([0-9]+)\\.csv$", "\\1", csv))
  dat <- read.csv(csv)
  xs <- grep("^x[0-9]+$", names(dat), value = TRUE)
  zs <- grep("^z[0-9]+$", names(dat), value = TRUE)
  f_moe <- as.formula(paste("y ~", paste(xs, collapse = " + "), "|", paste(zs, collapse = " + ")))
  f_x <- as.formula(paste("y ~", paste(xs, collapse = " + ")))
  f_z <- as.formula(paste("~", paste(zs, collapse = " + ")))
  n <- nrow(dat)
  truth <- true_loglik(csv)
  cat(sprintf("\n== %s: n = %d, p = q = %d, K = %d; true-parameter logLik %.4f\n", csv, n, length(xs), K, truth))

  for (method in c("em", "gem")) {
    set.seed(1)
    t <- system.time(fit <- moe(f_moe, dat, K = K, method = method, starts = 1,
                                control = moe_control(se = FALSE)))
    cat(sprintf("moe %-3s se=FALSE: elapsed %8.3f s (cpu %8.3f), iterations %4d, %s, logLik %.6f\n",
                method, t[["elapsed"]], t[["user.self"]] + t[["sys.self"]], fit$iterations,
                fit$stop_reason, fit$loglik))
    add(n = n, K = K, program = "moe", method = method, se = FALSE, elapsed = t[["elapsed"]],
        cpu = t[["user.self"]] + t[["sys.self"]], iterations = fit$iterations,
        converged = fit$converged, loglik = fit$loglik, truth = truth, source = "this run")
  }
  set.seed(1)
  t <- system.time(fit <- moe(f_moe, dat, K = K, method = "em", starts = 1))
  cat(sprintf("moe em  se=TRUE:  elapsed %8.3f s (cpu %8.3f), iterations %4d, %s, logLik %.6f (se valid: %s)\n",
              t[["elapsed"]], t[["user.self"]] + t[["sys.self"]], fit$iterations, fit$stop_reason,
              fit$loglik, isTRUE(fit$se$valid)))
  add(n = n, K = K, program = "moe", method = "em", se = TRUE, elapsed = t[["elapsed"]],
      cpu = t[["user.self"]] + t[["sys.self"]], iterations = fit$iterations,
      converged = fit$converged, loglik = fit$loglik, truth = truth, source = "this run")
  print(round(sort(colMeans(fit$posterior)), 4))

  if (n <= 20000 || rerun_flexmix_100000) {
    set.seed(1)
    t <- system.time(fx <- flexmix(f_x, data = dat, k = K, model = FLXMRglm(family = "gaussian"),
                                   concomitant = FLXPmultinom(f_z),
                                   control = list(iter.max = 1000, tol = 1e-6, minprior = 0)))
    cat(sprintf("flexmix:          elapsed %8.3f s (cpu %8.3f), iterations %4d, converged %s, logLik %.6f, k %d\n",
                t[["elapsed"]], t[["user.self"]] + t[["sys.self"]], fx@iter, fx@converged, fx@logLik, fx@k))
    add(n = n, K = K, program = "flexmix", method = "EM (nnet gate)", se = FALSE, elapsed = t[["elapsed"]],
        cpu = t[["user.self"]] + t[["sys.self"]], iterations = fx@iter, converged = fx@converged,
        loglik = fx@logLik, truth = truth, source = "this run")
    print(round(sort(fx@prior), 4))
  } else {
    r <- recorded_flexmix_100000
    cat(sprintf("flexmix:          elapsed %8.3f s (cpu %8.3f), iterations %4d, converged %s, logLik %.6f [recorded, RESULTS_flexmix.md C.2]\n",
                r$elapsed, r$cpu, r$iterations, r$converged, r$loglik))
    add(n = n, K = K, program = "flexmix", method = "EM (nnet gate)", se = FALSE, elapsed = r$elapsed,
        cpu = r$cpu, iterations = r$iterations, converged = r$converged, loglik = r$loglik,
        truth = truth, source = "recorded (RESULTS_flexmix.md C.2)")
  }
}

res <- do.call(rbind, results)
res$loglik_minus_truth <- res$loglik - res$truth
res$flexmix_over_moe <- NA_real_
for (i in seq_len(nrow(res))) {
  fx <- res$elapsed[res$n == res$n[i] & res$program == "flexmix"]
  if (res$program[i] == "moe") res$flexmix_over_moe[i] <- fx / res$elapsed[i]
}
cat("\n== summary\n")
print(res[, c("n", "K", "program", "method", "se", "elapsed", "cpu", "iterations", "converged",
              "loglik", "loglik_minus_truth", "flexmix_over_moe", "source")], row.names = FALSE)
cat(sprintf("load average at end: %s\n", tryCatch(readLines("/proc/loadavg"), error = function(e) "?")))
