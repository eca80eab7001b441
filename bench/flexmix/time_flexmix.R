## Timing of flexmix on the simulated gated-mixture benchmark data.
## Usage (from repo root; run single-threaded, e.g. OPENBLAS_NUM_THREADS=1):
##   Rscript bench/flexmix/time_flexmix.R truth    <csv>
##       true-parameter log-likelihood (parameters read from <csv minus .csv>.truth.txt)
##   Rscript bench/flexmix/time_flexmix.R periter  <csv> [reps=3] [iters=5]
##       reps runs with iter.max=iters, tol=1e-300 from set.seed(1); elapsed/fit@iter
##       also one-iteration runs so that (t_iters - t_1)/(iters-1) gives the marginal cost
##   Rscript bench/flexmix/time_flexmix.R converge <csv> [iter.max=1000] [tol=1e-6] [verbose=10]
##       one run from set.seed(1) to convergence (flexmix default tol 1e-6)
## Model: y ~ x1+...+xp, k=K, FLXMRglm(family="gaussian"),
##        concomitant FLXPmultinom(~ z1+...+zq), control minprior=0.
suppressMessages(library(flexmix))
options(digits = 17, width = 120)
args <- commandArgs(trailingOnly = TRUE)
mode <- args[1]; csv <- args[2]
K <- as.integer(sub(".*_K([0-9]+)\\.csv$", "\\1", csv))

t_read <- system.time(dat <- read.csv(csv))[["elapsed"]]
xs <- grep("^x[0-9]+$", names(dat), value = TRUE)
zs <- grep("^z[0-9]+$", names(dat), value = TRUE)
fx <- as.formula(paste("y ~", paste(xs, collapse = " + ")))
fz <- as.formula(paste("~", paste(zs, collapse = " + ")))
cat(sprintf("%s: n=%d p=%d q=%d K=%d (read in %.1f s)\n", csv, nrow(dat), length(xs), length(zs), K, t_read))
cat(sprintf("R: %s; flexmix %s; nnet %s; BLAS threads env OPENBLAS_NUM_THREADS=%s\n",
            R.version.string, packageVersion("flexmix"), packageVersion("nnet"),
            Sys.getenv("OPENBLAS_NUM_THREADS")))
cat(sprintf("date: %s\n", format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z")))

run_fit <- function(iter.max, tol, verbose = 0, seed = 1) {
  set.seed(seed)
  t <- system.time(fit <- flexmix(fx, data = dat, k = K, model = FLXMRglm(family = "gaussian"),
                                  concomitant = FLXPmultinom(fz),
                                  control = list(iter.max = iter.max, tol = tol, minprior = 0,
                                                 verbose = verbose)))
  list(fit = fit, elapsed = t[["elapsed"]], cpu = t[["user.self"]] + t[["sys.self"]])
}

read_truth <- function(file) {
  L <- readLines(file)
  grab <- function(title) {
    i <- grep(title, L, fixed = TRUE) + 2
    j <- i; while (j <= length(L) && nzchar(L[j])) j <- j + 1
    M <- do.call(rbind, lapply(strsplit(L[i:(j - 1)], "\t"), function(r) as.numeric(r[-1])))
    M
  }
  W <- grab("gate coefficients W"); B <- grab("expert coefficients B")
  sigma <- as.numeric(strsplit(L[grep("^sigmas:", L) + 1], "\t")[[1]])
  list(W = W, B = B, sigma = sigma)
}

lse <- function(M) { m <- apply(M, 1, max); m + log(rowSums(exp(M - m))) }
loglik_at <- function(W, B, sigma) {
  X <- cbind(1, as.matrix(dat[xs])); Z <- cbind(1, as.matrix(dat[zs]))
  eta <- Z %*% W
  logpi <- eta - lse(eta)
  ld <- sapply(seq_along(sigma), function(k) dnorm(dat$y, X %*% B[, k], sigma[k], log = TRUE))
  sum(lse(logpi + ld))
}

if (mode == "truth") {
  tr <- read_truth(sub("\\.csv$", ".truth.txt", csv))
  cat(sprintf("true-parameter logLik: %.10f\n", loglik_at(tr$W, tr$B, tr$sigma)))
} else if (mode == "periter") {
  reps <- if (length(args) >= 3) as.integer(args[3]) else 3L
  iters <- if (length(args) >= 4) as.integer(args[4]) else 5L
  res <- data.frame()
  for (r in seq_len(reps)) {
    a <- run_fit(iters, 1e-300)
    res <- rbind(res, data.frame(rep = r, iter.max = iters, iter = a$fit@iter, elapsed = a$elapsed,
                                 cpu = a$cpu, per_iter = a$elapsed / a$fit@iter,
                                 logLik = as.numeric(logLik(a$fit))))
    b <- run_fit(1, 1e-300)
    res <- rbind(res, data.frame(rep = r, iter.max = 1, iter = b$fit@iter, elapsed = b$elapsed,
                                 cpu = b$cpu, per_iter = b$elapsed / b$fit@iter,
                                 logLik = as.numeric(logLik(b$fit))))
    print(res[nrow(res) - 1:0, ], digits = 10); flush.console()
  }
  m5 <- res[res$iter.max == iters, ]; m1 <- res[res$iter.max == 1, ]
  cat(sprintf("median elapsed/iter over %d runs of %d iterations: %.4f s (values: %s)\n",
              reps, iters, median(m5$per_iter), paste(sprintf("%.4f", m5$per_iter), collapse = ", ")))
  cat(sprintf("median elapsed of 1-iteration runs: %.4f s\n", median(m1$elapsed)))
  cat(sprintf("marginal per-iteration time (median t_%d - median t_1)/%d: %.4f s\n",
              iters, iters - 1, (median(m5$elapsed) - median(m1$elapsed)) / (iters - 1)))
} else if (mode == "converge") {
  iter.max <- if (length(args) >= 3) as.integer(args[3]) else 1000L
  tol <- if (length(args) >= 4) as.numeric(args[4]) else 1e-6
  verbose <- if (length(args) >= 5) as.integer(args[5]) else 10L
  cat(sprintf("converge run: set.seed(1), iter.max=%d, tol=%g, minprior=0\n", iter.max, tol))
  a <- run_fit(iter.max, tol, verbose = verbose)
  f <- a$fit
  cat(sprintf("elapsed %.2f s (cpu %.2f s), iterations %d, converged %s, logLik %.10f, k kept %d\n",
              a$elapsed, a$cpu, f@iter, f@converged, as.numeric(logLik(f)), f@k))
  cat(sprintf("elapsed per iteration: %.4f s\n", a$elapsed / f@iter))
  cat("cluster sizes:\n"); print(f@size)
  cat("prior (mean posterior):\n"); print(f@prior)
  cat("parameters(fit):\n"); print(parameters(f), digits = 8)
  cat("parameters(fit, which='concomitant'):\n"); print(parameters(f, which = "concomitant"), digits = 8)
  tr <- read_truth(sub("\\.csv$", ".truth.txt", csv))
  cat(sprintf("true-parameter logLik: %.10f\n", loglik_at(tr$W, tr$B, tr$sigma)))
  saveRDS(list(parameters = parameters(f), concomitant = parameters(f, which = "concomitant"),
               logLik = as.numeric(logLik(f)), iter = f@iter, converged = f@converged,
               elapsed = a$elapsed),
          sub("\\.csv$", sprintf(".flexmix_fit_iter%d.rds", iter.max), csv))
}
