# moe's multivariate Gaussian experts against mclust (see run.sh).
#   Rscript compare.R LIB GVHD_CSV OUT_DIR
args <- commandArgs(TRUE)
.libPaths(c(args[1], .libPaths()))
suppressPackageStartupMessages({ library(moe); library(mclust) })
gvhd <- read.csv(args[2])
out_dir <- args[3]
structures <- c("EII", "VII", "EEI", "VVI", "EEE", "VVV")
elapsed <- function(expr) { t0 <- proc.time()[["elapsed"]]; value <- expr; list(value = value, seconds = proc.time()[["elapsed"]] - t0) }
loglik_or_na <- function(x) if (is.null(x) || inherits(x, "error") || is.null(x$loglik)) NA_real_ else x$loglik

rows <- list()
run <- function(name, data, formula, K) {
  X <- as.matrix(data)
  for (S in structures) {
    # mclust's default: hierarchical clustering (on a random subset of 2000 rows when n is larger) then EM
    set.seed(1)
    mc <- elapsed(tryCatch(Mclust(X, G = K, modelNames = S, verbose = FALSE), error = function(e) e))
    # moe's default search: 30 starts (k-means, random partitions, random soft), each EM to convergence
    set.seed(1)
    mo <- elapsed(tryCatch(moe(formula, data, K = K, covariance = S, control = moe_control(threads = 2)), error = function(e) e))
    # the same start for both (k-means labels), EM to the same tolerance: the same maximum, time per iteration
    set.seed(2)
    z0 <- unmap(stats::kmeans(scale(X), K, nstart = 1)$cluster)
    me_fit <- elapsed(tryCatch(me(X, modelName = S, z = z0, control = emControl(tol = c(1e-8, sqrt(.Machine$double.eps)), itmax = c(5000, 5000))),
                               error = function(e) e))
    mo_same <- elapsed(tryCatch(moe(formula, data, covariance = S, responsibilities = z0,
                                    control = moe_control(tol = 1e-8, max_iter = 5000, threads = 1)), error = function(e) e))
    me_iter <- if (inherits(me_fit$value, "error") || is.null(me_fit$value$loglik)) NA else attr(me_fit$value, "info")[["iterations"]]
    if (is.null(me_iter)) me_iter <- NA
    rows[[length(rows) + 1L]] <<- data.frame(
      data = name, n = nrow(X), K = K, covariance = S,
      mclust_loglik = loglik_or_na(mc$value), mclust_seconds = mc$seconds,
      moe_loglik = loglik_or_na(mo$value), moe_seconds = mo$seconds,
      moe_starts_at_best = if (inherits(mo$value, "moe_mv")) mo$value$starts_at_best else NA,
      same_start_me_loglik = loglik_or_na(me_fit$value), same_start_me_seconds = me_fit$seconds,
      same_start_me_iterations = me_iter,
      same_start_moe_loglik = loglik_or_na(mo_same$value), same_start_moe_seconds = mo_same$seconds,
      same_start_moe_iterations = if (inherits(mo_same$value, "moe_mv")) mo_same$value$iterations else NA)
    r <- rows[[length(rows)]]
    cat(sprintf("%s K=%d %s: mclust %.4f (%.2fs)  moe %.4f (%.2fs)  same start: me %.4f moe %.4f\n", name, K, S,
                r$mclust_loglik, r$mclust_seconds, r$moe_loglik, r$moe_seconds, r$same_start_me_loglik, r$same_start_moe_loglik))
  }
}
for (K in 2:4) run("faithful", faithful, cbind(eruptions, waiting) ~ 1, K)
for (K in 2:4) run("GvHD", gvhd, cbind(CD4, CD8b) ~ 1, K)
table <- do.call(rbind, rows)
utils::write.csv(table, file.path(out_dir, "results.csv"), row.names = FALSE)

f <- function(x, d = 2) ifelse(is.na(x), "failed", formatC(x, format = "f", digits = d))
diff_cell <- function(a, b) ifelse(is.na(a) | is.na(b), "-", formatC(a - b, format = "f", digits = 3))
lines <- c(
  sprintf("Measured %s on %s (%s), R %s, mclust %s; OPENBLAS_NUM_THREADS=1, moe on 2 threads for its starts.",
          format(Sys.time(), "%Y-%m-%d %H:%M UTC", tz = "UTC"), Sys.info()[["nodename"]], "2 cores", getRversion(),
          packageVersion("mclust")),
  "Command: `bash bench/multivariate/run.sh`. Seconds are R's elapsed time of each call in one R process.",
  "",
  "| data | n | K | structure | mclust ℓ | mclust s | moe ℓ (30 starts) | moe s | moe − mclust | same start: me ℓ | moe ℓ | me it | moe it | me s | moe s |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for (i in seq_len(nrow(table))) {
  r <- table[i, ]
  lines <- c(lines, sprintf("| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", r$data, r$n, r$K,
                            r$covariance, f(r$mclust_loglik), f(r$mclust_seconds), f(r$moe_loglik), f(r$moe_seconds),
                            diff_cell(r$moe_loglik, r$mclust_loglik), f(r$same_start_me_loglik), f(r$same_start_moe_loglik),
                            r$same_start_me_iterations, r$same_start_moe_iterations, f(r$same_start_me_seconds),
                            f(r$same_start_moe_seconds)))
}
writeLines(lines, file.path(out_dir, "results.md"))
