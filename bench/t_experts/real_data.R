## Student-t experts against Gaussian experts on every Gaussian problem of
## bench/search/problems.R (real data sets from Debian's R packages and the
## shipped ones): moe's default fit of each family, the same call otherwise.
## A t fit nests the Gaussian one (nu -> infinity), so its log-likelihood should
## not be lower; where it is, the table says so.
##
## Usage (LIB holds the moe build to test):
##   OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 Rscript bench/t_experts/real_data.R LIB
## Writes bench/t_experts/real_data.csv and real_data.md.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1L) stop("usage: Rscript bench/t_experts/real_data.R LIB")
.libPaths(c(normalizePath(args[1L], mustWork = TRUE), .libPaths()))
suppressPackageStartupMessages(library(moe))
here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1L])))
source(file.path(here, "..", "search", "problems.R"))
P <- Filter(function(p) p$family == "gaussian", problems(normalizePath(file.path(here, "..", ".."))))

fit_of <- function(p, family) {
  warnings <- character()
  set.seed(1)
  control <- moe_control(common_sigma = p$common_sigma)
  t0 <- proc.time()[["elapsed"]]
  fit <- tryCatch(withCallingHandlers(
    moe(moe_formula_of(p), data = p$data, K = p$K, family = family, fixed = p$fixed, group = p$group,
        control = control),
    warning = function(w) { warnings <<- c(warnings, conditionMessage(w)); invokeRestart("muffleWarning") }),
    error = function(e) e)
  elapsed <- proc.time()[["elapsed"]] - t0
  if (inherits(fit, "error")) return(list(loglik = NA, time = elapsed, nu = "", boundary = NA, degenerate = NA,
                                          error = conditionMessage(fit)))
  list(loglik = fit$loglik, time = elapsed, nu = paste(signif(fit$model$nu, 3), collapse = " "),
       boundary = any(grepl("numerically 0 or 1|splits the experts|variance floor", warnings)),
       degenerate = any(grepl("every fit the search found is degenerate", warnings)), error = "")
}

rows <- lapply(P, function(p) {
  g <- fit_of(p, "gaussian")
  t <- fit_of(p, "t")
  data.frame(problem = p$name, n = nrow(p$data), K = p$K, gated = !is.null(p$gate),
             gaussian_loglik = g$loglik, t_loglik = t$loglik, t_minus_gaussian = t$loglik - g$loglik,
             t_nu = t$nu, gaussian_boundary = g$boundary, t_boundary = t$boundary, gaussian_degenerate = g$degenerate,
             gaussian_time_s = round(g$time, 3), t_time_s = round(t$time, 3),
             error = paste(g$error, t$error), stringsAsFactors = FALSE)
})
res <- do.call(rbind, rows)
## A degenerate Gaussian fit (fewer effective rows than parameters: returned only when every
## fit was) is not a maximum to compare with; the t search does not return degenerate fits
## while it has another.
res$verdict <- ifelse(is.na(res$t_minus_gaussian), "error",
                      ifelse(res$t_minus_gaussian >= -1e-6 * abs(res$gaussian_loglik), "t >= gaussian",
                             ifelse(res$gaussian_degenerate, "t lower; the Gaussian fit is degenerate", "t LOWER")))
utils::write.csv(res, file.path(here, "real_data.csv"), row.names = FALSE)
md <- c(sprintf("Measured %s on %s (%s cores); moe %s from %s.", format(Sys.time(), tz = "UTC", usetz = TRUE),
                Sys.info()[["nodename"]], parallel::detectCores(), utils::packageVersion("moe"), args[1L]),
        "",
        "| problem | n | K | gate | Gaussian ℓ | t ℓ | t − Gaussian | t's ν | boundary (G / t) | time G / t (s) | verdict |",
        "|---|--:|--:|---|--:|--:|--:|---|---|--:|---|",
        sprintf("| %s | %d | %d | %s | %.4f | %.4f | %+.4f | %s | %s / %s | %.2f / %.2f | %s |", res$problem, res$n, res$K,
                ifelse(res$gated, "yes", "no"), res$gaussian_loglik, res$t_loglik, res$t_minus_gaussian, res$t_nu,
                ifelse(res$gaussian_boundary, "yes", "no"), ifelse(res$t_boundary, "yes", "no"),
                res$gaussian_time_s, res$t_time_s, res$verdict))
writeLines(md, file.path(here, "real_data.md"))
writeLines(md)
cat(sprintf("\nt lower than a non-degenerate Gaussian fit on %d of %d problems; total time Gaussian %.1f s, t %.1f s\n",
            sum(res$verdict == "t LOWER"), nrow(res), sum(res$gaussian_time_s), sum(res$t_time_s)))
