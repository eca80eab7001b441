## Multinomial experts on real data: moe's default fit against flexmix's best of
## 30 seeds (FLXMRmultinom experts, FLXPmultinom gate), and, for one expert,
## against nnet::multinom.
##
## Usage (LIB holds the moe build to test; from the repository root):
##   OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 Rscript bench/multinomial/real_data.R LIB
## or  bash bench/multinomial/run.sh [LIB]   (LIB defaults to /tmp/rlib_mn)
## Writes bench/multinomial/real_data.csv and real_data.md (next to this script).
##
## The problems are categorical responses with 3 or more levels from the R
## packages MASS and datasets. Every numeric covariate is standardized (mean 0,
## sd 1) before fitting, for both programs: the maximum log-likelihood of a
## model with intercepts does not change, and flexmix's nnet-based M-steps
## (BFGS, 100 iterations) behave better on centred, scaled inputs.
##
## For each problem and K:
##   moe:     moe(y ~ x | z, data, K = K, family = "multinomial")  (y ~ x without a
##            gate), its defaults otherwise (30 starts; control threads = 2);
##            set.seed(1) before; wall time from system.time() of the call.
##   flexmix: for s in 1..30: set.seed(s); flexmix(y ~ x, data, k = K,
##            model = FLXMRmultinom(), concomitant = FLXPmultinom(~ z) (none
##            without a gate), control = list(minprior = 0)), weights = the
##            frequency column where the problem has one. A fit that stops with
##            an error is a failed seed. flexmix can end with fewer than K
##            components; only fits with exactly K count for its best.
##   K = 1:   nnet::multinom(y ~ x, reltol = 1e-15, abstol = 1e-15, maxit = 2000).

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1L) stop("usage: Rscript bench/multinomial/real_data.R LIB")
lib <- normalizePath(args[1L], mustWork = TRUE)
.libPaths(c(lib, .libPaths()))
suppressPackageStartupMessages({
  library(moe)
  library(flexmix)
  library(nnet)
  library(MASS)
})
stopifnot("multinomial" %in% moe::moe_families()$name)
here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1L])))
seeds <- 1:30
big_coef <- 30  # a coefficient beyond this (standardized covariates) marks a boundary fit

## ---- problems -------------------------------------------------------------
## name, data, response, expert covariates, gate covariates (NULL: none),
## frequency-weight column (NULL: none), the K to fit.
standardize <- function(d) {
  for (v in names(d)) if (is.numeric(d[[v]]) && v != ".w") d[[v]] <- as.numeric(scale(d[[v]]))
  d
}
problem <- function(name, data, y, x, gate, w = NULL, Ks = 2:3) {
  cols <- unique(c(y, x, gate, w))
  d <- stats::na.omit(data[, cols, drop = FALSE])
  d[[y]] <- droplevels(factor(d[[y]]))
  if (!is.null(w)) names(d)[names(d) == w] <- ".w"
  list(name = name, data = standardize(d), y = y, x = x, gate = gate, weighted = !is.null(w), Ks = Ks)
}
bw <- MASS::birthwt
bw$race <- factor(bw$race, labels = c("white", "black", "other"))
bw$smoke <- factor(bw$smoke)
problems <- list(
  problem("housing", MASS::housing, "Sat", c("Infl", "Type", "Cont"), "Cont", w = "Freq"),
  problem("iris", datasets::iris, "Species", c("Sepal.Length", "Sepal.Width"), "Sepal.Length"),
  problem("fgl", MASS::fgl, "type", c("Mg", "Al"), "RI"),
  problem("survey", MASS::survey, "Exer", c("Pulse", "Height"), "Age"),
  problem("Cars93", MASS::Cars93, "AirBags", c("Price", "Horsepower"), "MPG.city"),
  problem("birthwt", bw, "race", c("age", "lwt"), "smoke"),
  problem("painters", MASS::painters, "School", "Colour", "Drawing")
)

## ---- fitting ---------------------------------------------------------------
expert_formula <- function(p) as.formula(paste(p$y, "~", paste(p$x, collapse = " + ")), env = globalenv())
moe_formula <- function(p, gated) {
  rhs <- paste(p$x, collapse = " + ")
  if (gated) rhs <- paste(rhs, "|", paste(p$gate, collapse = " + "))
  as.formula(paste(p$y, "~", rhs), env = globalenv())
}
gate_formula <- function(p) as.formula(paste("~", paste(p$gate, collapse = " + ")), env = globalenv())

fit_moe <- function(p, K, gated) {
  warnings <- character()
  call <- if (p$weighted)
    bquote(moe(.(moe_formula(p, gated)), data = p$data, K = .(K), family = "multinomial", weights = .w))
  else bquote(moe(.(moe_formula(p, gated)), data = p$data, K = .(K), family = "multinomial"))
  set.seed(1)
  fit <- NULL
  time <- system.time(fit <- tryCatch(withCallingHandlers(eval(call),
    warning = function(w) { warnings <<- c(warnings, conditionMessage(w)); invokeRestart("muffleWarning") }),
    error = function(e) e))[["elapsed"]]
  warnings <- unique(warnings)
  if (inherits(fit, "error"))
    return(list(loglik = NA_real_, df = NA_integer_, time = time, boundary = NA, max_coef = NA_real_,
                warnings = paste(warnings, collapse = " | "), error = conditionMessage(fit)))
  list(loglik = fit$loglik, df = fit$df, time = time,
       boundary = any(grepl("numerically 0 or 1", warnings)),
       max_coef = max(abs(c(fit$model$experts, fit$model$gate))),
       warnings = paste(warnings, collapse = " | "), error = "")
}

fit_flexmix <- function(p, K, gated) {
  one <- function(seed) {
    set.seed(seed)
    args <- list(expert_formula(p), data = p$data, k = K, model = FLXMRmultinom(),
                 control = list(minprior = 0))
    if (gated) args$concomitant <- FLXPmultinom(gate_formula(p))
    if (p$weighted) args$weights <- p$data$.w
    f <- tryCatch(suppressWarnings(do.call(flexmix, args)), error = function(e) e)
    if (inherits(f, "error")) return(list(loglik = NA_real_, k = NA_integer_, max_coef = NA_real_, df = NA,
                                          error = conditionMessage(f)))
    coefs <- c(unlist(lapply(f@components, function(comp) comp[[1L]]@parameters$coef)),
               if (gated) f@concomitant@coef)
    list(loglik = as.numeric(logLik(f)), k = f@k, max_coef = max(abs(coefs)),
         df = attr(logLik(f), "df"), error = "")
  }
  runs <- NULL
  time <- system.time(runs <- lapply(seeds, one))[["elapsed"]]
  ll <- vapply(runs, `[[`, 0, "loglik")
  k <- vapply(runs, function(r) as.integer(r$k), 0L)
  failed <- is.na(ll)
  atK <- !failed & k == K
  best <- if (any(atK)) which(atK)[which.max(ll[atK])] else NA_integer_
  list(best = if (is.na(best)) NA_real_ else ll[best],
       best_any = if (all(failed)) NA_real_ else max(ll[!failed]),
       seeds_K = sum(atK), seeds_fewer = sum(!failed & k < K), failed = sum(failed),
       fewer_ks = paste(sort(unique(k[!failed & k < K])), collapse = " "),
       time = time, best_seed = best,
       n_at_best = if (is.na(best)) 0L else sum(atK & ll >= ll[best] - 1e-6 * abs(ll[best])),
       max_coef = if (is.na(best)) NA_real_ else runs[[best]]$max_coef,
       df = if (is.na(best)) NA else runs[[best]]$df,
       error = {
         msg <- sub("^\\s*[0-9]+\\s+", "", vapply(runs[failed], `[[`, "", "error"))  # drop flexmix's iteration number
         tab <- table(msg)
         paste(sprintf("%d seed(s): %s", as.integer(tab), names(tab)), collapse = " | ")
       })
}

fit_nnet <- function(p) {
  call <- if (p$weighted)
    bquote(nnet::multinom(.(expert_formula(p)), data = p$data, weights = .w, trace = FALSE,
                          reltol = 1e-15, abstol = 1e-15, maxit = 2000))
  else bquote(nnet::multinom(.(expert_formula(p)), data = p$data, trace = FALSE,
                             reltol = 1e-15, abstol = 1e-15, maxit = 2000))
  r <- NULL
  time <- system.time(r <- tryCatch(eval(call), error = function(e) e))[["elapsed"]]
  if (inherits(r, "error")) return(list(loglik = NA_real_, time = time, error = conditionMessage(r)))
  list(loglik = as.numeric(logLik(r)), time = time, converged = r$convergence == 0L, error = "")
}

## ---- runs ------------------------------------------------------------------
rows <- list()
for (p in problems) {
  n <- nrow(p$data)
  n_weighted <- if (p$weighted) sum(p$data$.w) else n
  C <- nlevels(p$data[[p$y]])
  base <- list(problem = p$name, n = n, n_weighted = n_weighted, C = C,
               expert = paste(p$x, collapse = " + "))
  # K = 1: moe against nnet::multinom.
  m <- fit_moe(p, 1L, FALSE)
  r <- fit_nnet(p)
  rows[[length(rows) + 1L]] <- c(base, list(
    K = 1L, gate = "", moe_df = m$df, moe_loglik = m$loglik, moe_time_s = m$time, moe_boundary = m$boundary,
    moe_max_abs_coef = m$max_coef, ref = "nnet", ref_loglik = r$loglik, ref_time_s = r$time,
    flexmix_seeds_K = NA, flexmix_seeds_fewer = NA, flexmix_fewer_k = "", flexmix_failed = NA,
    flexmix_n_at_best = NA, flexmix_best_any_k = NA, flexmix_boundary = NA, flexmix_max_abs_coef = NA,
    moe_minus_ref = m$loglik - r$loglik, moe_warnings = m$warnings,
    errors = paste(c(m$error, r$error)[nzchar(c(m$error, r$error))], collapse = " | ")))
  cat(sprintf("%-9s K=1 moe %.4f (%.2fs) nnet %.4f\n", p$name, m$loglik, m$time, r$loglik))
  for (K in p$Ks) for (gated in c(FALSE, TRUE)) {
    if (gated && is.null(p$gate)) next
    m <- fit_moe(p, K, gated)
    f <- fit_flexmix(p, K, gated)
    rows[[length(rows) + 1L]] <- c(base, list(
      K = K, gate = if (gated) paste(p$gate, collapse = " + ") else "",
      moe_df = m$df, moe_loglik = m$loglik, moe_time_s = m$time, moe_boundary = m$boundary,
      moe_max_abs_coef = m$max_coef, ref = "flexmix", ref_loglik = f$best, ref_time_s = f$time,
      flexmix_seeds_K = f$seeds_K, flexmix_seeds_fewer = f$seeds_fewer, flexmix_fewer_k = f$fewer_ks,
      flexmix_failed = f$failed, flexmix_n_at_best = f$n_at_best, flexmix_best_any_k = f$best_any,
      flexmix_boundary = f$max_coef > big_coef, flexmix_max_abs_coef = f$max_coef,
      moe_minus_ref = m$loglik - f$best, moe_warnings = m$warnings,
      errors = paste(c(m$error, f$error)[nzchar(c(m$error, f$error))], collapse = " | ")))
    cat(sprintf("%-9s K=%d gate=%-5s moe %.4f (%.2fs) flexmix %.4f (%d at K, %d fewer, %d failed; %.1fs)\n",
                p$name, K, gated, m$loglik, m$time, f$best, f$seeds_K, f$seeds_fewer, f$failed, f$time))
  }
}
res <- do.call(rbind, lapply(rows, as.data.frame, stringsAsFactors = FALSE))
## Where moe is lower than flexmix: the same call with 200 starts (set.seed(1)), to
## tell a maximum the default search missed from one it cannot reach.
res$moe_starts200_loglik <- NA_real_
for (i in which(res$K > 1 & !is.na(res$moe_minus_ref) & res$moe_minus_ref < -1e-4)) {
  p <- problems[[match(res$problem[i], vapply(problems, `[[`, "", "name"))]]
  call <- bquote(moe(.(moe_formula(p, nzchar(res$gate[i]))), data = p$data, K = .(res$K[i]),
                     family = "multinomial", starts = 200))
  if (p$weighted) call$weights <- quote(.w)
  set.seed(1)
  f <- tryCatch(suppressWarnings(eval(call)), error = function(e) NULL)
  if (!is.null(f)) res$moe_starts200_loglik[i] <- f$loglik
  cat(sprintf("%s K=%d gate=%s: moe with 200 starts %.4f\n", res$problem[i], res$K[i], res$gate[i],
              res$moe_starts200_loglik[i]))
}
res$verdict <- ifelse(is.na(res$moe_minus_ref), "no comparison",
                      ifelse(res$moe_minus_ref < -1e-4, paste("moe LOWER than", res$ref),
                             ifelse(res$moe_minus_ref > 1e-4, paste("moe higher than", res$ref), "equal (1e-4)")))
utils::write.csv(res, file.path(here, "real_data.csv"), row.names = FALSE)

## ---- report ----------------------------------------------------------------
fmt <- function(x, f = "%.4f") ifelse(is.na(x), "–", sprintf(f, x))
yn <- function(x) ifelse(is.na(x), "–", ifelse(x, "yes", "no"))
main <- res[res$K > 1, ]
one <- res[res$K == 1, ]
lower <- main[!is.na(main$moe_minus_ref) & main$moe_minus_ref < -1e-4, ]
cmd <- sprintf("OPENBLAS_NUM_THREADS=%s OMP_NUM_THREADS=%s Rscript bench/multinomial/real_data.R %s",
               Sys.getenv("OPENBLAS_NUM_THREADS", "(unset)"), Sys.getenv("OMP_NUM_THREADS", "(unset)"), args[1L])
md <- c(
  "# Multinomial experts on real data: moe against flexmix (and nnet for K = 1)",
  "",
  sprintf("- Command: `%s` (or `bash bench/multinomial/run.sh`)", cmd),
  sprintf("- Date: %s", format(Sys.time(), tz = "UTC", usetz = TRUE)),
  sprintf("- Machine: %s (%d cores), %s; moe %s from %s, flexmix %s, nnet %s", Sys.info()[["nodename"]],
          parallel::detectCores(), R.version.string, utils::packageVersion("moe"), lib,
          utils::packageVersion("flexmix"), utils::packageVersion("nnet")),
  "",
  "Data: categorical responses (C levels) from MASS and datasets; numeric covariates standardized;",
  "rows with a missing value in a used column dropped. housing is fitted with weights = Freq",
  "(n = 72 rows, 1681 weighted). moe: `moe(y ~ x | z, data, K = K, family = \"multinomial\")`",
  "with its defaults (30 starts, 2 threads), after set.seed(1). flexmix: best logLik of",
  "30 seeds (set.seed(1..30)) of `flexmix(y ~ x, k = K, model = FLXMRmultinom(),",
  "concomitant = FLXPmultinom(~ z), control = list(minprior = 0))`, counting only fits that",
  "kept all K components.",
  "",
  "Columns: **n** rows (weighted total in brackets); **C** response levels; **K** experts;",
  "**gate** the gate's covariates (– : constant gate); **df** moe's parameter count;",
  "**moe ℓ** moe's log-likelihood; **moe s** wall seconds of the moe() call;",
  "**flexmix ℓ** best log-likelihood of the flexmix seeds that ended with K components;",
  "**at K / fewer / failed** flexmix seeds that ended with K components / with fewer",
  "(the counts of components in brackets) / stopped with an error;",
  "**flexmix s** wall seconds of the 30 flexmix fits together;",
  "**moe − flexmix** the difference of the two ℓ (negative: moe found less);",
  "**boundary moe / flexmix**: moe warned \"fitted probabilities numerically 0 or 1\" /",
  sprintf("a coefficient of flexmix's best fit exceeds %d in absolute value (max |coef| of each in brackets).", big_coef),
  "",
  "| problem | n | C | K | gate | df | moe ℓ | moe s | flexmix ℓ | at K / fewer / failed | flexmix s | moe − flexmix | boundary moe / flexmix | verdict |",
  "|---|--:|--:|--:|---|--:|--:|--:|--:|---|--:|--:|---|---|",
  sprintf("| %s | %s | %d | %d | %s | %s | %s | %.2f | %s | %d / %d%s / %d | %.1f | %s | %s (%s) / %s (%s) | %s |",
          main$problem, ifelse(main$n_weighted != main$n, sprintf("%d (%g)", main$n, main$n_weighted), main$n),
          main$C, main$K, ifelse(nzchar(main$gate), main$gate, "–"), fmt(main$moe_df, "%d"),
          fmt(main$moe_loglik), main$moe_time_s, fmt(main$ref_loglik),
          main$flexmix_seeds_K, main$flexmix_seeds_fewer,
          ifelse(nzchar(main$flexmix_fewer_k), sprintf(" (k = %s)", main$flexmix_fewer_k), ""),
          main$flexmix_failed, main$ref_time_s, fmt(main$moe_minus_ref, "%+.4f"),
          yn(main$moe_boundary), fmt(main$moe_max_abs_coef, "%.1f"),
          yn(main$flexmix_boundary), fmt(main$flexmix_max_abs_coef, "%.1f"), main$verdict),
  "",
  if (nrow(lower)) c(sprintf("**moe is lower than flexmix (by more than 1e-4) on %d of %d fits:**", nrow(lower), nrow(main)),
                     sprintf("- %s K = %d%s: %+.4f", lower$problem, lower$K,
                             ifelse(nzchar(lower$gate), paste(" gate", lower$gate), ""), lower$moe_minus_ref))
  else sprintf("moe is not lower than flexmix (by more than 1e-4) on any of the %d fits.", nrow(main)),
  "",
  if (any(!is.na(res$moe_starts200_loglik))) {
    r <- res[!is.na(res$moe_starts200_loglik), ]
    c("Where moe is lower, the same moe() call with `starts = 200` (set.seed(1)) reaches:",
      sprintf("- %s K = %d%s: %.4f (%+.4f against flexmix)", r$problem, r$K,
              ifelse(nzchar(r$gate), paste(" gate", r$gate), ""), r$moe_starts200_loglik,
              r$moe_starts200_loglik - r$ref_loglik), "")
  },
  "Nesting check of moe's own fits (a model that nests another should not have a lower ℓ:",
  "K experts nest K − 1, a gate with covariates nests the constant gate); shortfalls over 1e-4:",
  "",
  {
    key <- function(prob, K, gate) paste(prob, K, gate)
    ll <- setNames(res$moe_loglik, key(res$problem, res$K, res$gate))
    out <- character()
    for (i in seq_len(nrow(res))) {
      if (res$K[i] == 1L) next
      pairs <- list(c(key(res$problem[i], res$K[i] - 1L, if (res$K[i] == 2L) "" else res$gate[i]),
                      sprintf("K = %d", res$K[i] - 1L)))
      if (nzchar(res$gate[i])) pairs <- c(pairs, list(c(key(res$problem[i], res$K[i], ""), "no gate")))
      for (pr in pairs) {
        d <- res$moe_loglik[i] - ll[[pr[1L]]]
        if (!is.na(d) && d < -1e-4)
          out <- c(out, sprintf("- %s K = %d%s: %.4f, below its nested fit (%s) %.4f by %.4f", res$problem[i], res$K[i],
                                ifelse(nzchar(res$gate[i]), paste(" gate", res$gate[i]), ""), res$moe_loglik[i],
                                pr[2L], ll[[pr[1L]]], -d))
      }
    }
    if (length(out)) out else "- none"
  },
  "",
  "## One expert: moe against nnet::multinom (reltol = abstol = 1e-15, maxit = 2000)",
  "",
  "| problem | n | C | df | moe ℓ | nnet ℓ | moe − nnet | moe s | boundary moe |",
  "|---|--:|--:|--:|--:|--:|--:|--:|---|",
  sprintf("| %s | %d | %d | %s | %s | %s | %s | %.2f | %s |", one$problem, one$n, one$C, fmt(one$moe_df, "%d"),
          fmt(one$moe_loglik, "%.6f"), fmt(one$ref_loglik, "%.6f"), fmt(one$moe_minus_ref, "%+.2e"),
          one$moe_time_s, yn(one$moe_boundary)),
  "",
  sprintf("Total time: moe %.1f s, flexmix %.1f s (30 seeds per fit).",
          sum(res$moe_time_s), sum(main$ref_time_s)),
  "",
  "moe's warnings, by fit:",
  "",
  {
    w <- res[nzchar(res$moe_warnings), ]
    if (nrow(w)) sprintf("- %s K = %d%s: %s", w$problem, w$K, ifelse(nzchar(w$gate), paste(" gate", w$gate), ""),
                         w$moe_warnings)
    else "- none"
  },
  {
    e <- res[nzchar(res$errors), ]
    if (nrow(e)) c("", "Errors:", "", sprintf("- %s K = %d%s: %s", e$problem, e$K,
                                              ifelse(nzchar(e$gate), paste(" gate", e$gate), ""), e$errors))
  })
writeLines(md, file.path(here, "real_data.md"))
writeLines(md)
