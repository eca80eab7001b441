## Simulate benchmark data for gated mixtures of Gaussian linear experts.
## Usage: Rscript bench/flexmix/make_bench_data.R   (run from repo root)
## Writes bench/data/sim_n<n>_p<p>_K<K>.csv and .truth.txt
##
## Generation order (per data set, after one set.seed(20261124) at the top):
##   1. gate coefficients W ((q+1) x K, row 1 = intercept, last column = 0):
##        intercepts w_k0 ~ N(0, 0.5^2) for k=1..K-1, then slopes w_k ~ N(0,1)
##        (column-wise, k=1..K-1)
##   2. expert coefficients B ((p+1) x K): intercepts b_k0 ~ N(0, 3^2),
##        then slopes b_k ~ N(0,1) (column-wise)
##   3. sigma_k = 1
##   4. X (n x p), then Z (n x q), entries i.i.d. N(0,1) (filled column-wise)
##   5. class c_i ~ Categorical(softmax(eta_i)), drawn via runif
##   6. y_i = b_{c_i,0} + x_i . b_{c_i} + sigma_{c_i} * N(0,1)
## The two data sets are generated one after the other from the same RNG stream.

options(digits = 17)
outdir <- "bench/data"
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)

logsumexp_rows <- function(M) {
  m <- apply(M, 1, max)
  m + log(rowSums(exp(M - m)))
}

## log-likelihood of the gated mixture at given parameters, in log space
true_loglik <- function(y, X, Z, W, B, sigma) {
  eta <- cbind(1, Z) %*% W                     # n x K
  logpi <- eta - logsumexp_rows(eta)           # log softmax
  mu <- cbind(1, X) %*% B                      # n x K
  logdens <- sapply(seq_along(sigma), function(k)
    dnorm(y, mean = mu[, k], sd = sigma[k], log = TRUE))
  sum(logsumexp_rows(logpi + logdens))
}

fmt <- function(v) sprintf("%.17g", v)

write_csv17 <- function(df, file) {
  cols <- lapply(df, fmt)
  lines <- do.call(paste, c(cols, sep = ","))
  con <- file(file, "w")
  writeLines(paste(names(df), collapse = ","), con)
  writeLines(lines, con)
  close(con)
}

write_matrix <- function(con, M, title) {
  writeLines(title, con)
  writeLines(paste(c("", colnames(M)), collapse = "\t"), con)
  for (i in seq_len(nrow(M)))
    writeLines(paste(c(rownames(M)[i], fmt(M[i, ])), collapse = "\t"), con)
  writeLines("", con)
}

simulate <- function(n, p, q, K) {
  W <- matrix(0, q + 1, K)
  W[1, 1:(K - 1)] <- rnorm(K - 1, 0, 0.5)
  W[-1, 1:(K - 1)] <- rnorm(q * (K - 1), 0, 1)
  B <- matrix(0, p + 1, K)
  B[1, ] <- rnorm(K, 0, 3)
  B[-1, ] <- rnorm(p * K, 0, 1)
  sigma <- rep(1, K)
  X <- matrix(rnorm(n * p), n, p)
  Z <- matrix(rnorm(n * q), n, q)
  eta <- cbind(1, Z) %*% W
  P <- exp(eta - logsumexp_rows(eta))
  u <- runif(n)
  cls <- pmin(rowSums(u > t(apply(P, 1, cumsum))) + 1L, K)
  mu <- cbind(1, X) %*% B
  y <- mu[cbind(seq_len(n), cls)] + sigma[cls] * rnorm(n)
  colnames(X) <- paste0("x", 1:p); colnames(Z) <- paste0("z", 1:q)
  rownames(W) <- c("(Intercept)", paste0("z", 1:q)); colnames(W) <- paste0("Comp.", 1:K)
  rownames(B) <- c("(Intercept)", paste0("x", 1:p)); colnames(B) <- paste0("Comp.", 1:K)
  list(df = data.frame(y = y, X, Z), W = W, B = B, sigma = sigma, cls = cls,
       ll = true_loglik(y, X, Z, W, B, sigma))
}

set.seed(20261124)
specs <- list(c(n = 20000, p = 10, q = 10, K = 4), c(n = 100000, p = 20, q = 20, K = 8))
for (s in specs) {
  n <- s[["n"]]; p <- s[["p"]]; q <- s[["q"]]; K <- s[["K"]]
  sim <- simulate(n, p, q, K)
  base <- file.path(outdir, sprintf("sim_n%d_p%d_K%d", n, p, K))
  write_csv17(sim$df, paste0(base, ".csv"))
  con <- file(paste0(base, ".truth.txt"), "w")
  writeLines(sprintf("# true parameters: n=%d p=%d q=%d K=%d, set.seed(20261124) (see make_bench_data.R)", n, p, q, K), con)
  writeLines("# gate: softmax over K, eta_k = W[1,k] + z . W[-1,k]; last column is the reference (0)\n", con)
  write_matrix(con, sim$W, "gate coefficients W ((q+1) x K, intercept first row):")
  write_matrix(con, sim$B, "expert coefficients B ((p+1) x K, intercept first row):")
  writeLines("sigmas:", con)
  writeLines(paste(fmt(sim$sigma), collapse = "\t"), con)
  writeLines("", con)
  writeLines("class counts (true labels):", con)
  writeLines(paste(tabulate(sim$cls, K), collapse = "\t"), con)
  writeLines("", con)
  writeLines("true-parameter log-likelihood:", con)
  writeLines(fmt(sim$ll), con)
  close(con)
  ## round-trip check
  back <- read.csv(paste0(base, ".csv"))
  maxdiff <- max(abs(as.matrix(back) - as.matrix(sim$df)))
  maxrel <- max(abs(as.matrix(back) - as.matrix(sim$df)) / pmax(abs(as.matrix(sim$df)), 1e-300))
  cat(sprintf("%s: n=%d p=%d K=%d  class counts: %s\n  true logLik = %.10f\n  round-trip max abs diff = %g, max rel diff = %g, identical = %s\n",
              base, n, p, K, paste(tabulate(sim$cls, K), collapse = " "), sim$ll,
              maxdiff, maxrel, identical(unname(as.matrix(back)), unname(as.matrix(sim$df)))))
}
