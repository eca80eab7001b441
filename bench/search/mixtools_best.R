## mixtools's best log-likelihood out of 30 random starts on the problems of
## bench/search/problems.R that one of its EM functions fits:
##   gaussian, constant weights, intercept only   normalmixEM(y, k = K)
##   gaussian, constant weights, covariates       regmixEM(y, x, k = K)
##   gaussian, K = 2, gate on the experts' own single covariate
##                                                hmeEM(y, x, k = 2)
##   poisson, constant weights, no offset         poisregmixEM(y, x, k = K)
##   binomial (0/1 or trials), constant weights   logisregmixEM(y, x, N = trials (1 for 0/1), k = K)
## where x is the experts' design without its intercept column (mixtools adds
## it); every function draws its own random starting values from R's RNG after
## set.seed(s), s = 1..30, and runs with its defaults (epsilon 1e-8; maxit 1000
## for normalmixEM, 10000 for the others). mixtools has no offsets and no gate
## other than hmeEM's, so seizure, Insurance and the gated problems other than
## cats_gate_K2 are marked not applicable.
##
## Scale of the log-likelihood: mixtools reports the full log-likelihood,
## constants included (dnorm, dpois, dbinom with size 1), the same scale as
## flexmix's logLik() and moe's. Checked: on tonedata_K2 the log-likelihood
## recomputed here from the returned parameters with dnorm (mixture_loglik() in
## problems.R) equals both regmixEM's loglik (141.1984 at seed 1) and, at
## flexmix's best parameters, flexmix's logLik (141.1884); likewise for hmeEM
## (cats_gate_K2), poisregmixEM (NPreg_yp_pois_K2), logisregmixEM
## (birthwt_binom_K2) and normalmixEM (galaxies_K3). This script recomputes the
## log-likelihood of every fit from its parameters that way and takes that as
## the value (column best_loglik); column best_reported_loglik is mixtools's own.
##
## Usage (from anywhere):
##   OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 Rscript bench/search/mixtools_best.R
##   ... --only cats_K2,galaxies_K3     recompute those; --all recompute every problem
## Output: bench/search/mixtools_best.csv (cache, as flexmix_best.R's: a problem
## is recomputed when named by --only, missing or redefined), mixtools_seeds.csv,
## mixtools_best.log (appended).

suppressMessages(library(mixtools))
here <- local({
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg)) dirname(normalizePath(sub("^--file=", "", file_arg[1L]))) else "bench/search"
})
source(file.path(here, "problems.R"))

args <- commandArgs(trailingOnly = TRUE)
seeds <- reference_seeds
files <- reference_files("mixtools")
csv_file <- files$csv
seeds_file <- files$seeds
log_file <- files$log

say <- bench_logger(log_file)

## Which mixtools function fits problem p, with closures to fit one seed and to
## recompute the log-likelihood of a fit; or a reason why none does.
mixtools_plan <- function(p) {
  if (!is.null(p$fixed)) return(list(note = "coefficients shared by the experts: not in mixtools"))
  if (!is.null(p$group)) return(list(note = "grouped rows: not in mixtools"))
  tt <- terms(p$expert, data = p$data)
  if (length(attr(tt, "offset"))) return(list(note = "offset: not in mixtools"))
  if (attr(tt, "intercept") != 1L) return(list(note = "no intercept: not handled"))
  mf <- model.frame(tt, data = p$data)
  response <- model.response(mf)
  trials <- if (NCOL(response) == 2L) as.numeric(response[, 1L] + response[, 2L]) else 1  # cbind(successes, failures)
  y <- as.numeric(if (NCOL(response) == 2L) response[, 1L] else response)
  X <- model.matrix(tt, mf)
  x <- X[, -1L, drop = FALSE]
  K <- p$K
  n <- length(y)
  constant <- function(lambda) matrix(log(lambda), n, K, byrow = TRUE)
  if (!is.null(p$gate)) {
    Z <- model.matrix(p$gate, p$data)
    same <- p$family == "gaussian" && K == 2L && ncol(X) == 2L && ncol(Z) == 2L &&
      isTRUE(all.equal(unname(X), unname(Z)))
    if (!same) return(list(note = "gate: mixtools's hmeEM is for gaussian K = 2 gated on the experts' covariate only"))
    return(list(method = "hmeEM",
                fit = function() hmeEM(y, x, k = 2L),
                loglik = function(f) mixture_loglik(y, X %*% f$beta, log(f$lambda), "gaussian", f$sigma),
                min_prior = function(f) min(colMeans(f$lambda))))
  }
  min_prior <- function(f) min(f$lambda)
  if (p$family == "gaussian" && ncol(x) == 0L)
    return(list(method = "normalmixEM", fit = function() normalmixEM(y, k = K),
                loglik = function(f) mixture_loglik(y, matrix(f$mu, n, K, byrow = TRUE), constant(f$lambda),
                                                    "gaussian", f$sigma),
                min_prior = min_prior))
  if (p$family == "gaussian")
    return(list(method = "regmixEM", fit = function() regmixEM(y, x, k = K),
                loglik = function(f) mixture_loglik(y, X %*% f$beta, constant(f$lambda), "gaussian", f$sigma),
                min_prior = min_prior))
  if (p$family == "poisson")
    return(list(method = "poisregmixEM", fit = function() poisregmixEM(y, x, k = K),
                loglik = function(f) mixture_loglik(y, X %*% f$beta, constant(f$lambda), "poisson"),
                min_prior = min_prior))
  list(method = "logisregmixEM", fit = function() logisregmixEM(y, x, N = rep_len(trials, n), k = K),
       loglik = function(f) mixture_loglik(y, X %*% f$beta, constant(f$lambda), "binomial", trials = trials),
       min_prior = min_prior)
}

run_problem <- function(p) {
  plan <- mixtools_plan(p)
  row <- data.frame(name = p$name, source = p$source, family = p$family, K = p$K,
                    gated = !is.null(p$gate), n = nrow(p$data),
                    method = if (is.null(plan$method)) "" else plan$method,
                    note = if (is.null(plan$note)) "" else plan$note,
                    seeds = NA_integer_, best_loglik = NA_real_, best_reported_loglik = NA_real_,
                    n_at_best = NA_integer_, n_errors = NA_integer_, first_error = "",
                    time_30_s = NA_real_, best_seed = NA_integer_, best_iter = NA_integer_,
                    best_restarts = NA_integer_, best_min_prior = NA_real_, best_min_sd_ratio = NA_real_,
                    mixtools_version = as.character(packageVersion("mixtools")),
                    date = format(Sys.time(), "%Y-%m-%d %H:%M:%S"), spec = spec_of(p),
                    stringsAsFactors = FALSE)
  if (is.null(plan$method)) return(list(row = row, seeds = NULL))
  ll <- reported <- rep(NA_real_, seeds)
  iter <- restarts <- rep(NA_integer_, seeds)
  err <- rep(NA_character_, seeds)
  fits <- vector("list", seeds)
  elapsed <- system.time(for (s in seq_len(seeds)) {
    set.seed(s)
    fit <- NULL
    ## mixtools prints its iteration count (and restarts) on stdout
    utils::capture.output(fit <- tryCatch(suppressWarnings(plan$fit()), error = function(e) e))
    if (inherits(fit, "error")) { err[s] <- conditionMessage(fit); next }
    fits[[s]] <- fit
    reported[s] <- fit$loglik
    ll[s] <- plan$loglik(fit)
    iter[s] <- length(fit$all.loglik) - 1L
    restarts[s] <- if (is.null(fit$restarts)) 0L else as.integer(fit$restarts)
  })[["elapsed"]]
  ok <- is.finite(ll)
  row$seeds <- seeds
  row$n_errors <- sum(!is.na(err))
  row$first_error <- if (any(!is.na(err))) err[!is.na(err)][1L] else ""
  row$time_30_s <- elapsed
  if (any(ok)) {
    b <- which(ok)[which.max(ll[ok])]
    best <- ll[b]
    row$best_loglik <- best
    row$best_reported_loglik <- reported[b]
    row$n_at_best <- sum(ok & ll >= best - rel_tol * abs(best))
    row$best_seed <- b
    row$best_iter <- iter[b]
    row$best_restarts <- restarts[b]
    row$best_min_prior <- plan$min_prior(fits[[b]])
    if (p$family == "gaussian")
      row$best_min_sd_ratio <- min(fits[[b]]$sigma) / sd(model.response(model.frame(p$expert, p$data)))
  } else row$n_at_best <- 0L
  per_seed <- data.frame(name = p$name, seed = seq_len(seeds), loglik = ll, reported_loglik = reported,
                         iter = iter, restarts = restarts, error = ifelse(is.na(err), "", err),
                         stringsAsFactors = FALSE)
  list(row = row, seeds = per_seed)
}

run <- reference_run(args, csv_file, seeds_file)
P <- run$problems
only <- run$only
rows <- run$rows
seed_rows <- run$seed_rows

say("==== mixtools_best.R %s; %s; mixtools %s; OPENBLAS_NUM_THREADS=%s; args: %s",
    format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z"), R.version.string, packageVersion("mixtools"),
    Sys.getenv("OPENBLAS_NUM_THREADS"), paste(args, collapse = " "))
total <- 0
for (p in P) {
  cached <- rows[[p$name]]
  fresh <- !is.null(cached) && identical(cached$spec, spec_of(p))
  if (fresh && !(p$name %in% only) && !("--all" %in% args)) {
    m <- cached$method
    say("%-24s cached  %s", p$name, if (!is.na(m) && nzchar(m))
        sprintf("%s best %.6f", m, as.numeric(cached$best_loglik)) else "not applicable")
    next
  }
  r <- run_problem(p)
  rows[[p$name]] <- r$row
  seed_rows[[p$name]] <- r$seeds
  if (!nzchar(r$row$method)) {
    say("%-24s not applicable: %s", p$name, r$row$note)
  } else {
    total <- total + r$row$time_30_s
    say("%-24s %-13s K=%d n=%4d  best %.6f (reported %.6f; %2d/%d at best, %d errors)  %.1f s%s",
        p$name, r$row$method, p$K, nrow(p$data), r$row$best_loglik, r$row$best_reported_loglik,
        r$row$n_at_best, seeds, r$row$n_errors, r$row$time_30_s,
        if (nzchar(r$row$first_error)) paste0("  first error: ", r$row$first_error) else "")
  }
  write_cache(rows, names(P), csv_file)
  seed_out <- do.call(rbind, unname(seed_rows[intersect(names(P), names(seed_rows))]))
  if (!is.null(seed_out)) {
    for (v in c("loglik", "reported_loglik")) seed_out[[v]] <- format_number(seed_out[[v]])
    write.csv(seed_out, seeds_file, row.names = FALSE)
  }
}
dropped <- setdiff(names(rows), names(P))
if (length(dropped)) say("dropped from the cache (no longer a problem): %s", paste(dropped, collapse = ", "))
write_cache(rows, names(P), csv_file)
say("mixtools time this run: %.1f s", total)
