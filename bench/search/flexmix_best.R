## flexmix's best log-likelihood out of 30 random starts on every problem of
## bench/search/problems.R: the reference that moe's default fit is held to.
##
## Usage (from anywhere; single-threaded BLAS, as the timings assume):
##   OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 Rscript bench/search/flexmix_best.R
##   OPENBLAS_NUM_THREADS=1 Rscript bench/search/flexmix_best.R --only seizure_pois_K2,cats_K2
##   ... --all            recompute every problem
##
## For seed s = 1..30: set.seed(s); flexmix(expert, data, k = K,
##   model = FLXMRglm(family = ...), concomitant = FLXPmultinom(gate) or none,
##   control = list(minprior = 0)), flexmix's default iter.max (200) and
##   tolerance (1e-6) otherwise; flexmix starts from a random hard assignment of
##   the rows to the K components, drawn from R's RNG.
## Two translations are needed for flexmix 2.3-18 to fit the same model:
##   - binomial: FLXMRglm(family = "binomial") wants a two-column response, so
##     y ~ x becomes cbind(y, 1 - y) ~ x (the same Bernoulli likelihood);
##   - offset(): flexmix silently IGNORES offset() terms in the model formula
##     (seizure: logLik -414.60 with the offset in the formula, the same as
##     without it, and -376.18 with it), so the offset terms are taken out of
##     the formula, evaluated in the data and passed as FLXMRglm(offset = ).
##
## Output: bench/search/flexmix_best.csv (one row per problem; the cache that
## suite.R reads: only problems given by --only, missing from the CSV or whose
## definition changed (column spec) are recomputed; rows of the other problems
## are kept), bench/search/flexmix_seeds.csv (every seed's logLik, iterations,
## convergence and error) and bench/search/flexmix_best.log (appended).
## Columns of flexmix_best.csv:
##   best_loglik   largest logLik of the 30 fits (NA when all failed)
##   n_at_best     fits within 1e-6 * |best| of it
##   n_errors      fits that stopped with an error (first_error: the first message)
##   time_30_s     elapsed seconds of the 30 fits together (system.time)
##   best_seed, best_iter, best_converged
##   best_min_prior       smallest component prior of the best fit
##   best_min_sd_ratio    Gaussian: smallest sigma_k / sd(y) of the best fit
##                        (a value near 0 flags a degenerate, spurious optimum)

suppressMessages(library(flexmix))
here <- local({
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg)) dirname(normalizePath(sub("^--file=", "", file_arg[1L]))) else "bench/search"
})
source(file.path(here, "problems.R"))

args <- commandArgs(trailingOnly = TRUE)
seeds <- reference_seeds
files <- reference_files("flexmix")
csv_file <- files$csv
seeds_file <- files$seeds
log_file <- files$log

say <- bench_logger(log_file)

## The flexmix call's pieces: formula without offset() terms (binomial: a
## two-column response), and the offset vector (or NULL).
flexmix_pieces <- function(p) {
  tt <- terms(p$expert, data = p$data)
  offset <- NULL
  if (length(attr(tt, "offset"))) {
    mf <- model.frame(tt, data = p$data, na.action = na.pass)
    offset <- as.numeric(model.offset(mf))
  }
  labels <- attr(tt, "term.labels")
  rhs <- if (length(labels)) paste(labels, collapse = " + ") else "1"
  if (attr(tt, "intercept") == 0L) rhs <- paste(rhs, "- 1")
  lhs <- deparse(p$expert[[2L]])
  if (p$family == "binomial" && !is.call(p$expert[[2L]])) lhs <- sprintf("cbind(%s, 1 - %s)", lhs, lhs)
  if (!is.null(p$group)) rhs <- paste(rhs, "|", deparse(p$group[[2L]]))  # flexmix's grouping
  list(formula = as.formula(paste(lhs, "~", rhs), env = globalenv()), offset = offset)
}

fit_one <- function(p, pieces, seed) {
  set.seed(seed)
  model <- if (!is.null(p$fixed)) FLXMRglmfix(family = p$family, fixed = p$fixed, varFix = p$common_sigma,
                                               offset = pieces$offset)
           else if (is.null(pieces$offset)) FLXMRglm(family = p$family)
           else FLXMRglm(family = p$family, offset = pieces$offset)
  concomitant <- if (is.null(p$gate)) NULL else FLXPmultinom(p$gate)
  n_warnings <- 0L
  fit <- tryCatch(withCallingHandlers(
    if (is.null(concomitant))
      flexmix(pieces$formula, data = p$data, k = p$K, model = model, control = list(minprior = 0))
    else
      flexmix(pieces$formula, data = p$data, k = p$K, model = model, concomitant = concomitant,
              control = list(minprior = 0)),
    warning = function(w) { n_warnings <<- n_warnings + 1L; invokeRestart("muffleWarning") }),
    error = function(e) e)
  list(fit = fit, warnings = n_warnings)
}

## Smallest prior and (Gaussian) smallest sigma / sd(y) of a flexmix fit.
degeneracy <- function(fit, p) {
  prior <- tryCatch(min(fit@prior), error = function(e) NA_real_)
  sd_ratio <- NA_real_
  if (p$family == "gaussian") {
    par <- parameters(fit)
    if ("sigma" %in% rownames(par)) {
      y <- model.response(model.frame(p$expert, p$data))
      sd_ratio <- min(par["sigma", ]) / sd(y)
    }
  }
  c(prior = prior, sd_ratio = sd_ratio)
}

run_problem <- function(p) {
  pieces <- flexmix_pieces(p)
  ll <- rep(NA_real_, seeds)
  iter <- rep(NA_integer_, seeds)
  converged <- rep(NA, seeds)
  err <- rep(NA_character_, seeds)
  warn <- rep(0L, seeds)
  fits <- vector("list", seeds)
  elapsed <- system.time(for (s in seq_len(seeds)) {
    one <- fit_one(p, pieces, s)
    fit <- one$fit
    warn[s] <- one$warnings
    if (inherits(fit, "error")) {
      err[s] <- conditionMessage(fit)
    } else {
      fits[[s]] <- fit
      ll[s] <- as.numeric(logLik(fit))
      iter[s] <- fit@iter
      converged[s] <- fit@converged
      if (fit@k != p$K) err[s] <- sprintf("fit has %d components, not %d", fit@k, p$K)
    }
  })[["elapsed"]]
  ## a fit that lost a component (cannot happen with minprior = 0) does not count
  ok <- is.finite(ll) & is.na(err)
  best <- if (any(ok)) max(ll[ok]) else NA_real_
  best_seed <- if (any(ok)) which(ok)[which.max(ll[ok])] else NA_integer_
  deg <- if (any(ok)) degeneracy(fits[[best_seed]], p) else c(prior = NA, sd_ratio = NA)
  row <- data.frame(
    name = p$name, source = p$source, family = p$family, K = p$K, gated = !is.null(p$gate),
    n = nrow(p$data), seeds = seeds, best_loglik = best,
    n_at_best = if (any(ok)) sum(ok & ll >= best - rel_tol * abs(best)) else 0L,
    n_errors = sum(!is.na(err)), first_error = if (any(!is.na(err))) err[!is.na(err)][1L] else "",
    time_30_s = elapsed, best_seed = best_seed,
    best_iter = if (any(ok)) iter[best_seed] else NA_integer_,
    best_converged = if (any(ok)) converged[best_seed] else NA,
    n_not_converged = sum(ok & !converged),
    best_min_prior = deg[["prior"]], best_min_sd_ratio = deg[["sd_ratio"]],
    flexmix_version = as.character(packageVersion("flexmix")),
    date = format(Sys.time(), "%Y-%m-%d %H:%M:%S"), spec = spec_of(p),
    stringsAsFactors = FALSE)
  per_seed <- data.frame(name = p$name, seed = seq_len(seeds), loglik = ll, iter = iter,
                         converged = converged, warnings = warn, error = ifelse(is.na(err), "", err),
                         stringsAsFactors = FALSE)
  list(row = row, seeds = per_seed)
}

run <- reference_run(args, csv_file, seeds_file)
P <- run$problems
only <- run$only
rows <- run$rows
seed_rows <- run$seed_rows

say("==== flexmix_best.R %s; %s; flexmix %s; OPENBLAS_NUM_THREADS=%s; args: %s",
    format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z"), R.version.string, packageVersion("flexmix"),
    Sys.getenv("OPENBLAS_NUM_THREADS"), paste(args, collapse = " "))
total <- 0
for (p in P) {
  cached <- rows[[p$name]]
  fresh <- !is.null(cached) && identical(cached$spec, spec_of(p))
  if (fresh && !(p$name %in% only) && !("--all" %in% args)) {
    say("%-24s cached  best %.6f (%d/%d at best)", p$name, as.numeric(cached$best_loglik),
        as.integer(cached$n_at_best), as.integer(cached$seeds))
    next
  }
  r <- run_problem(p)
  rows[[p$name]] <- r$row
  seed_rows[[p$name]] <- r$seeds
  total <- total + r$row$time_30_s
  say("%-24s %-8s K=%d gate=%-5s n=%4d  best %.6f  (%2d/%d at best, %d errors, %d not converged)  %.1f s%s",
      p$name, p$family, p$K, !is.null(p$gate), nrow(p$data), r$row$best_loglik, r$row$n_at_best, seeds,
      r$row$n_errors, r$row$n_not_converged, r$row$time_30_s,
      if (nzchar(r$row$first_error)) paste0("  first error: ", r$row$first_error) else "")
  ## written after every problem, so that an interrupted run keeps what it did
  write_cache(rows, names(P), csv_file)
  seed_out <- do.call(rbind, unname(seed_rows[intersect(names(P), names(seed_rows))]))
  seed_out$loglik <- format_number(seed_out$loglik)
  write.csv(seed_out, seeds_file, row.names = FALSE)
}
dropped <- setdiff(names(rows), names(P))
if (length(dropped)) say("dropped from the cache (no longer a problem): %s", paste(dropped, collapse = ", "))
write_cache(rows, names(P), csv_file)
say("flexmix time this run: %.1f s", total)
