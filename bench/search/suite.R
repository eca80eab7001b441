## moe's DEFAULT fit against flexmix's best of 30 random starts (and mixtools's,
## where it applies) on every problem of bench/search/problems.R.
##
## Usage (from anywhere; LIB is the R library holding the moe build to test):
##   OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 Rscript bench/search/suite.R LIB
## e.g. after R CMD INSTALL . -l /tmp/rlib:  Rscript bench/search/suite.R /tmp/rlib
## An optional second argument THREADS runs every fit with
## control = moe_control(threads = THREADS) (moe's default is 2) and writes
## suite_results_threadsTHREADS.csv/.md instead: 1 gives the like-for-like time
## against flexmix's one core. The flag --prefer-finite (anywhere after LIB)
## runs every fit with moe_control(prefer_finite = TRUE) (the best finite
## maximum found where the best is at a boundary) and writes
## suite_results_prefer_finite.csv/.md.
##
## For each problem moe is called exactly as a new user would, nothing but the
## formula, data, K and family given:
##   set.seed(1); moe(y ~ x | z, data = d, K = K, family = poisson)
## (no '|' for constant mixing weights; offset() terms stay in the experts'
## part), timed with system.time() (elapsed). An error becomes a row of the
## table, never the end of the suite; warnings are recorded.
## The references come from the caches bench/search/flexmix_best.csv and
## mixtools_best.csv (made by flexmix_best.R and mixtools_best.R; a row whose
## 'spec' no longer matches the problem is shown with a '(stale)' mark).
## As a check of moe's logLik(), its log-likelihood is recomputed here from the
## fitted parameters (mixture_loglik() in problems.R; column loglik_check).
##
## Verdict, with tol = 1e-6 * |flexmix best|:
##   "moe lower"  moe < best - tol;  "equal"  |moe - best| <= tol;  "moe higher".
## flexmix stops at a relative change of 1e-6 in logLik, often 0.001-0.05 short
## of the maximum it is climbing, so "moe higher" by such amounts means the same
## optimum; the last column, moe − best known (the larger of flexmix's and
## mixtools's bests), shows where a better optimum is known.
## Output: the markdown table on stdout, bench/search/suite_results.csv and
## bench/search/suite_results.md (the same table).

args <- commandArgs(trailingOnly = TRUE)
prefer_finite <- "--prefer-finite" %in% args
args <- args[args != "--prefer-finite"]
if (length(args) < 1L) stop("usage: Rscript bench/search/suite.R LIB   (the library path that holds moe)")
lib <- normalizePath(args[1L], mustWork = TRUE)
suppressMessages(library(moe, lib.loc = lib))
here <- local({
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg)) dirname(normalizePath(sub("^--file=", "", file_arg[1L]))) else "bench/search"
})
source(file.path(here, "problems.R"))

read_reference <- function(file) {
  ref <- read_cache(file)
  if (is.null(ref)) {
    warning("no ", basename(file), ": run ", sub("\\.csv$", ".R", basename(file)), " first", call. = FALSE)
    return(list())
  }
  setNames(lapply(seq_len(nrow(ref)), function(i) ref[i, , drop = FALSE]), ref$name)
}
flexmix_ref <- read_reference(file.path(here, "flexmix_best.csv"))
mixtools_ref <- read_reference(file.path(here, "mixtools_best.csv"))

## moe's log-likelihood recomputed from its fitted parameters.
moe_loglik_check <- function(fit, family) {
  m <- fit$model
  eta <- fit$X %*% m$experts
  if (length(fit$offset)) eta <- eta + as.numeric(fit$offset)
  g <- fit$Z %*% m$gate
  logpi <- g - apply(g, 1L, function(r) max(r) + log(sum(exp(r - max(r)))))
  sigma <- if (family == "gaussian") rep_len(m$sigma, ncol(eta))
  mixture_loglik(fit$y, eta, logpi, family, sigma, if (length(fit$trials)) as.numeric(fit$trials) else 1,
                 if (length(fit$group)) fit$group)
}

threads <- if (length(args) >= 2L) as.integer(args[2L]) else NA_integer_
## fixed, common_sigma and group belong to the model (the problem); nothing else is tuned
moe_call <- function(formula, d, K, family, fixed, common_sigma, group) {
  control <- moe_control(common_sigma = common_sigma)
  if (prefer_finite) control$prefer_finite <- TRUE  # (a library before the option ignores it)
  if (!is.na(threads)) control$threads <- threads
  moe(formula, data = d, K = K, family = family, fixed = fixed, group = group, control = control)
}

run_moe <- function(p) {
  formula <- moe_formula_of(p)
  family <- switch(p$family, gaussian = gaussian, binomial = binomial, poisson = poisson)
  d <- p$data
  K <- p$K
  warnings <- character()
  fit <- NULL
  set.seed(1)
  elapsed <- system.time(
    fit <- tryCatch(withCallingHandlers(moe_call(formula, d, K, family, p$fixed, p$common_sigma, p$group),
                                        warning = function(w) {
                                          warnings <<- c(warnings, conditionMessage(w))
                                          invokeRestart("muffleWarning")
                                        }),
                    error = function(e) e))[["elapsed"]]
  out <- list(formula = paste(deparse(formula, width.cutoff = 500L), collapse = " "), time = elapsed,
              loglik = NA_real_, loglik_check = NA_real_, iterations = NA_integer_, converged = NA,
              starts = NA_integer_, starts_at_best = NA_integer_,
              error = "", warnings = paste(unique(warnings), collapse = " | "))
  if (inherits(fit, "error")) {
    out$error <- conditionMessage(fit)
    return(out)
  }
  out$loglik <- as.numeric(logLik(fit))
  out$loglik_check <- tryCatch(moe_loglik_check(fit, p$family), error = function(e) NA_real_)
  if (!is.null(fit$iterations)) out$iterations <- as.integer(fit$iterations)
  if (!is.null(fit$converged)) out$converged <- isTRUE(fit$converged)
  s <- fit$start_logliks
  if (is.numeric(s) && length(s)) {
    s <- s[is.finite(s)]
    out$starts <- length(fit$start_logliks)
    if (length(s)) out$starts_at_best <- sum(s >= max(s) - rel_tol * abs(max(s)))
  }
  out
}

P <- problems()
cat(sprintf("suite.R %s; %s; moe %s from %s; OPENBLAS_NUM_THREADS=%s; moe threads %s%s\n",
            format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z"), R.version.string, packageVersion("moe", lib.loc = lib),
            lib, Sys.getenv("OPENBLAS_NUM_THREADS"), if (is.na(threads)) "default (2)" else threads,
            if (prefer_finite) "; prefer_finite" else ""))
rows <- list()
for (p in P) {
  r <- run_moe(p)
  fx <- flexmix_ref[[p$name]]
  mx <- mixtools_ref[[p$name]]
  spec <- spec_of(p)
  best <- if (is.null(fx)) NA_real_ else as.numeric(fx$best_loglik)
  verdict <- if (nzchar(r$error)) "moe error" else if (is.na(best)) "no reference" else {
    tol <- rel_tol * abs(best)
    if (r$loglik < best - tol) "moe lower" else if (r$loglik <= best + tol) "equal" else "moe higher"
  }
  mix_best <- if (is.null(mx) || is.na(mx$method) || !nzchar(mx$method)) NA_real_ else as.numeric(mx$best_loglik)
  rows[[p$name]] <- data.frame(
    problem = p$name, source = p$source, family = p$family, K = p$K, gated = !is.null(p$gate),
    n = nrow(p$data), formula = r$formula,
    flexmix_best = best,
    flexmix_at_best = if (is.null(fx)) NA_integer_ else as.integer(fx$n_at_best),
    flexmix_seeds = if (is.null(fx)) NA_integer_ else as.integer(fx$seeds),
    flexmix_time_30_s = if (is.null(fx)) NA_real_ else as.numeric(fx$time_30_s),
    flexmix_stale = !is.null(fx) && !identical(fx$spec, spec),
    mixtools_method = if (is.na(mix_best)) "" else mx$method,
    mixtools_best = mix_best,
    mixtools_stale = !is.null(mx) && !identical(mx$spec, spec),
    moe_loglik = r$loglik, moe_time_s = r$time,
    moe_minus_flexmix = r$loglik - best,
    moe_minus_best_known = if (is.na(best) && is.na(mix_best)) NA_real_ else r$loglik - max(best, mix_best, na.rm = TRUE),
    verdict = verdict,
    time_ratio = if (is.null(fx) || nzchar(r$error)) NA_real_ else as.numeric(fx$time_30_s) / max(r$time, 1e-3),
    moe_iterations = r$iterations, moe_converged = r$converged,
    moe_starts = r$starts, moe_starts_at_best = r$starts_at_best,
    loglik_check = r$loglik_check, error = r$error, warnings = r$warnings,
    stringsAsFactors = FALSE)
  cat(sprintf("  %-24s moe %s  (%.3f s)%s\n", p$name,
              if (nzchar(r$error)) paste("ERROR:", r$error) else sprintf("%.6f", r$loglik), r$time,
              if (nzchar(r$warnings)) paste("  warning:", r$warnings) else ""))
}
res <- do.call(rbind, unname(rows))

out <- res
for (v in c("flexmix_best", "mixtools_best", "moe_loglik", "moe_minus_flexmix", "moe_minus_best_known",
            "loglik_check")) out[[v]] <- format_number(out[[v]])
results_name <- paste0(if (is.na(threads)) "suite_results" else paste0("suite_results_threads", threads),
                       if (prefer_finite) "_prefer_finite" else "")
write.csv(out, file.path(here, paste0(results_name, ".csv")), row.names = FALSE)

## ---- the markdown table ----
num <- function(x, digits = 4) ifelse(is.na(x), "—", formatC(x, digits = digits, format = "f"))
diff_text <- function(x) ifelse(is.na(x), "—", ifelse(abs(x) < 1e-3 & x != 0, sprintf("%+.1e", x),
                                                      sprintf("%+.4f", x)))
stale <- function(flag) ifelse(flag, " (stale)", "")
md <- c(
  "| problem | source | family | K | gate | n | flexmix best of 30 (seeds at best) | flexmix 30 fits (s) | mixtools best of 30 | moe default ℓ | moe (s) | moe − flexmix | verdict | flexmix 30 / moe | moe − best known |",
  "|---|---|---|--:|:-:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|",
  sprintf("| %s | %s | %s | %d | %s | %d | %s (%s/%s)%s | %s | %s%s | %s | %s | %s | %s | %s | %s |",
          res$problem, sub("^shipped: ", "", res$source), res$family, res$K, ifelse(res$gated, "yes", "—"),
          res$n, num(res$flexmix_best), ifelse(is.na(res$flexmix_at_best), "—", res$flexmix_at_best),
          ifelse(is.na(res$flexmix_seeds), "—", res$flexmix_seeds), stale(res$flexmix_stale),
          num(res$flexmix_time_30_s, 2),
          ifelse(is.na(res$mixtools_best), "—", paste0(num(res$mixtools_best), " (", res$mixtools_method, ")")),
          stale(res$mixtools_stale & !is.na(res$mixtools_best)),
          ifelse(nzchar(res$error), paste("error:", res$error), num(res$moe_loglik)),
          num(res$moe_time_s, 3), diff_text(res$moe_minus_flexmix), res$verdict,
          ifelse(is.na(res$time_ratio), "—", sprintf("%.1f", res$time_ratio)),
          diff_text(res$moe_minus_best_known)))

counts <- table(factor(res$verdict, levels = c("moe lower", "equal", "moe higher", "moe error", "no reference")))
lower <- res[res$verdict == "moe lower", ]
lower <- lower[order(lower$moe_minus_flexmix), ]
summary_lines <- c(
  "",
  sprintf("Verdicts: %s.", paste(sprintf("%s %d", names(counts), counts), collapse = ", ")),
  sprintf("Time: moe %.2f s for all %d default fits; flexmix %.1f s for its 30 fits each.",
          sum(res$moe_time_s), nrow(res), sum(res$flexmix_time_30_s, na.rm = TRUE)),
  if (nrow(lower)) c("", "moe lower than flexmix's best (by how much):",
                     sprintf("- %s: %s (moe %.4f, flexmix %.4f)", lower$problem, diff_text(lower$moe_minus_flexmix),
                             lower$moe_loglik, lower$flexmix_best)),
  {
    above <- res[!is.na(res$mixtools_best) & !is.na(res$flexmix_best) &
                   res$mixtools_best > res$flexmix_best + rel_tol * abs(res$flexmix_best), ]
    if (nrow(above)) c("", "Where mixtools's best is above flexmix's (mixtools − flexmix; moe − mixtools):",
                       sprintf("- %s: %s; %s", above$problem, diff_text(above$mixtools_best - above$flexmix_best),
                               diff_text(above$moe_loglik - above$mixtools_best)))
  },
  {
    bad <- res[!is.na(res$loglik_check) & abs(res$loglik_check - res$moe_loglik) > 1e-6 * abs(res$moe_loglik), ]
    if (nrow(bad)) c("", "logLik(fit) differs from the log-likelihood recomputed from the parameters:",
                     sprintf("- %s: logLik %.8f, recomputed %.8f", bad$problem, bad$moe_loglik, bad$loglik_check))
    else c("", "logLik(fit) equals the log-likelihood recomputed from the fitted parameters on every problem (to 1e-6 relative).")
  },
  {
    w <- res[nzchar(res$warnings), ]
    if (nrow(w)) c("", "moe warnings:", sprintf("- %s: %s", w$problem, w$warnings))
  })

cat("\n")
writeLines(c(md, summary_lines))
writeLines(c(sprintf("moe %s (%s), %s", packageVersion("moe", lib.loc = lib), lib,
                     format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z")), "", md, summary_lines),
           file.path(here, paste0(results_name, ".md")))
