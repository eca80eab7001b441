# Multivariate Gaussian experts: moe(cbind(y1, y2) ~ x | z, covariance = "VVV").

# Internal: several numeric responses as list(Y = an n x m matrix, y and trials empty).
moe_responses <- function(y, who) {
  if (!is.numeric(y)) stop(who, ": cbind(y1, y2, ...) must hold numbers", call. = FALSE)
  Y <- as.matrix(y)
  storage.mode(Y) <- "double"
  if (is.null(colnames(Y))) colnames(Y) <- paste0("y", seq_len(ncol(Y)))
  list(y = numeric(0), trials = numeric(0), Y = Y)
}

# Internal: the structures of `covariance` (NULL: `default`), checked.
moe_covariance_structures <- function(covariance, default, who) {
  known <- c("EII", "VII", "EEI", "VVI", "EEE", "VVV")
  if (is.null(covariance)) return(default)
  if (!is.character(covariance) || !length(covariance) || !all(covariance %in% known) || anyDuplicated(covariance))
    stop(who, ": 'covariance' must name mclust's structures ", paste(known, collapse = ", "), " (each once)",
         call. = FALSE)
  covariance
}

# Internal: moe() for a multivariate response (d$Y): refuses what does not apply, fits, returns a "moe_mv".
moe_multivariate <- function(call, formula, d, K, covariance, method, control, starts, start, responsibilities,
                             point_mass, nu) {
  refuse <- function(given, what)
    if (given) stop("moe(): ", what, " is not available with several responses (multivariate Gaussian experts)",
                    call. = FALSE)
  refuse(!identical(method, "em"), "method other than \"em\"")
  refuse(!is.null(start), "'start'")
  refuse(length(d$shared) > 0L, "'fixed'")
  refuse(length(d$group) > 0L, "'group'")
  refuse(length(d$offset) > 0L, "offset()")
  refuse(!is.null(point_mass), "'point_mass'")
  refuse(!is.null(nu), "'nu'")
  refuse(isTRUE(control$common_sigma), "'common_sigma' (use covariance = \"EEE\", \"EEI\" or \"EII\")")
  structure <- moe_covariance_structures(covariance, "VVV", "moe()")
  if (length(structure) != 1L) stop("moe(): 'covariance' must be one structure (moe_select() takes several)",
                                    call. = FALSE)
  if (!moe_whole(starts, 1, 100000)) stop("moe(): 'starts' must be a whole number from 1 to 100000", call. = FALSE)
  if (!is.null(responsibilities)) {
    responsibilities <- moe_responsibilities(responsibilities)
    if (nrow(responsibilities) != nrow(d$Y))
      stop("moe(): 'responsibilities' must have one row per observation used", call. = FALSE)
    if (is.null(K)) K <- ncol(responsibilities)
  }
  if (is.null(K)) stop("moe(): 'K' is missing (give K or 'responsibilities')", call. = FALSE)
  if (!moe_whole(K, 1, 1000)) stop("moe(): 'K' must be a whole number from 1 to 1000", call. = FALSE)
  seed <- floor(stats::runif(1) * 2147483647)  # from R's RNG: set.seed() reproduces a fit
  fit <- moe_core("moe()", moe_fit_multivariate_cpp(d$Y, d$X, d$Z, d$weights, as.integer(K), structure,
                                                    as.integer(starts), seed,
                                                    as.integer(control$max_iter), control$tol,
                                                    as.integer(control$threads), isTRUE(control$split_merge),
                                                    responsibilities))
  moe_name_multivariate(c(fit, list(call = call, formula = formula, family = "gaussian", K = as.integer(K),
                                    nobs = if (length(d$weights)) sum(d$weights) else nrow(d$Y),
                                    Y = d$Y, X = d$X, Z = d$Z, weights = d$weights,
                                    expert_terms = d$expert_terms,
                                    gate_terms = d$gate_terms, xlevels = d$xlevels, zlevels = d$zlevels,
                                    na.action = d$na.action, control = control)))
}

# Internal: names on a multivariate fit's arrays, its fitted means, and its class.
moe_name_multivariate <- function(fit) {
  experts <- paste0("expert", seq_len(fit$K))
  responses <- colnames(fit$Y)
  fit$coef <- array(fit$coef, c(ncol(fit$X), ncol(fit$Y), fit$K), list(colnames(fit$X), responses, experts))
  fit$sigma <- array(fit$covariance, c(ncol(fit$Y), ncol(fit$Y), fit$K), list(responses, responses, experts))
  fit$covariance <- NULL
  fit$gate <- `dimnames<-`(fit$gate, list(colnames(fit$Z), experts))
  rows <- rownames(fit$X)
  fit$posterior <- `dimnames<-`(fit$posterior, list(rows, experts))
  ev <- moe_evaluate_multivariate(fit, fit$Y, fit$X, fit$Z)
  fit$fitted <- `dimnames<-`(ev$mean, list(rows, responses))
  fit$converged <- as.logical(fit$converged)
  structure(fit, class = "moe_mv")
}

moe_evaluate_multivariate <- function(object, Y, X, Z) {
  moe_core("predict.moe_mv()", moe_evaluate_multivariate_cpp(object$coef, object$sigma, object$gate, object$structure,
                                                              Y, X, Z))
}

print.moe_mv <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  cat(sprintf("Mixture of %d multivariate Gaussian experts (%s), covariance %s, n = %d\n", x$K,
              paste(colnames(x$Y), collapse = ", "), x$structure, x$nobs))
  cat(sprintf("log-likelihood %s   df %d   BIC %s   ICL %s   (%d iterations, %s)\n",
              format(x$loglik, digits = 10), as.integer(x$df), format(x$bic, digits = 8), format(x$icl, digits = 8),
              as.integer(x$iterations), if (x$converged) "converged" else "not converged"))
  cat(sprintf("best start's maximum reached by %d of %d starts; replace moves kept %d of %d\n",
              as.integer(x$starts_at_best), length(x$start_logliks), as.integer(x$moves[["kept"]]),
              as.integer(x$moves[["tried"]])))
  for (k in seq_len(x$K)) {
    cat(sprintf("\nExpert %d (posterior share %.4f): coefficients\n", k, mean(x$posterior[, k])))
    print(x$coef[, , k, drop = FALSE][, , 1L], digits = digits)
    cat("covariance\n")
    print(x$sigma[, , k], digits = digits)
  }
  if (x$K > 1L) {
    cat("\nGate (log-odds against the last expert):\n")
    print(x$gate[, -x$K, drop = FALSE], digits = digits)
  }
  invisible(x)
}

# The parameters with their observed-information standard errors, printed after the fit.
summary.moe_mv <- function(object, ...) {
  p <- object$parameters
  structure(list(fit = object, table = data.frame(estimate = p$estimates, se = p$se, row.names = p$names)),
            class = "summary.moe_mv")
}

print.summary.moe_mv <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  print(x$fit, digits = digits)
  cat("\nParameters with observed-information standard errors:\n")
  if (nzchar(x$fit$parameters$note)) cat("note:", x$fit$parameters$note, "\n")
  print(x$table, digits = digits)
  invisible(x)
}

# The covariance of the estimates (the parameters of summary()), by the observed information.
vcov.moe_mv <- function(object, ...) {
  p <- object$parameters
  if (!length(p$vcov)) stop("vcov.moe_mv(): ", p$note, call. = FALSE)
  `dimnames<-`(p$vcov, list(p$names, p$names))
}

coef.moe_mv <- function(object, ...) list(experts = object$coef, covariance = object$sigma, gate = object$gate)

logLik.moe_mv <- function(object, ...) structure(object$loglik, df = object$df, nobs = object$nobs, class = "logLik")

nobs.moe_mv <- function(object, ...) object$nobs

fitted.moe_mv <- function(object, ...) stats::napredict(object$na.action, object$fitted)

residuals.moe_mv <- function(object, ...) stats::naresid(object$na.action, object$Y - object$fitted)

# type: "response" the mixture mean (n x m), "gate" the gate's probabilities,
# "posterior" the experts' posterior probabilities (needs the responses).
predict.moe_mv <- function(object, newdata, type = c("response", "gate", "posterior"), ...) {
  type <- match.arg(type)
  own <- missing(newdata) || is.null(newdata)
  d <- if (own) list(X = object$X, Z = object$Z, Y = object$Y) else moe_newdata(object, newdata, type == "posterior")
  if (type == "posterior" && is.null(d$Y))
    stop("predict.moe_mv(): type = \"posterior\" needs the responses in 'newdata'", call. = FALSE)
  ev <- moe_evaluate_multivariate(object, if (type == "posterior") d$Y else matrix(0, 0, 0), d$X, d$Z)
  experts <- colnames(object$gate)
  out <- switch(type, response = `colnames<-`(ev$mean, colnames(object$Y)), gate = `colnames<-`(ev$gate, experts),
                posterior = `colnames<-`(ev$posterior, experts))
  rownames(out) <- rownames(d$X)
  if (own) stats::napredict(object$na.action, out) else out
}

# Internal: whether moe_select()'s fits are multivariate: 'covariance' given, or
# a cbind() response with Gaussian experts (binomial experts read cbind() as counts).
moe_is_multivariate <- function(formula, covariance, family) {
  if (!is.null(covariance)) return(TRUE)
  lhs <- if (length(formula) == 3L) formula[[2L]]
  is.call(lhs) && identical(lhs[[1L]], as.name("cbind")) && (is.null(family) || moe_family(family) == "gaussian")
}

# moe_select() for several responses: every K with every structure.
moe_select_multivariate <- function(formula, data, K, covariance, criterion, ...) {
  structures <- moe_covariance_structures(covariance, c("EII", "VII", "EEI", "VVI", "EEE", "VVV"), "moe_select()")
  grid <- expand.grid(covariance = structures, K = K, stringsAsFactors = FALSE)[, c("K", "covariance")]
  fits <- lapply(seq_len(nrow(grid)), function(i)
    tryCatch(moe(formula, data, K = grid$K[i], covariance = grid$covariance[i], ...),
             error = function(e) if (grepl("cannot support", conditionMessage(e))) conditionMessage(e) else stop(e)))
  fitted <- vapply(fits, inherits, logical(1), what = "moe_mv")
  if (!any(fitted)) stop("moe_select(): no candidate could be fitted: ", fits[[1L]], call. = FALSE)
  field <- function(name) vapply(fits, function(f) if (inherits(f, "moe_mv")) as.numeric(f[[name]]) else NA_real_, numeric(1))
  table <- data.frame(grid, loglik = field("loglik"), df = as.integer(field("df")), AIC = field("aic"),
                      BIC = field("bic"), ICL = field("icl"), iterations = as.integer(field("iterations")),
                      converged = as.logical(field("converged")), row.names = NULL)
  names(fits) <- paste0("K", grid$K, ".", grid$covariance)
  best <- which.min(table[[criterion]])
  structure(list(table = table, fits = fits, best = fits[[best]], criterion = criterion), class = "moe_select")
}

# As stats::simulate: a list of nsim n x m response matrices (rows: the fit's,
# or those of 'newdata'), named sim_1, ..., with attribute "seed".
simulate.moe_mv <- function(object, nsim = 1, seed = NULL, newdata = NULL, ...) {
  if (!moe_whole(nsim, 1, .Machine$integer.max))
    stop("simulate.moe_mv(): 'nsim' must be a whole number from 1 to ", .Machine$integer.max, call. = FALSE)
  d <- if (is.null(newdata)) list(X = object$X, Z = object$Z) else moe_newdata(object, newdata, FALSE)
  seeded <- moe_seeded(seed, function(cpp_seed)
    moe_core("simulate.moe_mv()", moe_simulate_multivariate_cpp(object$coef, object$sigma, object$gate, object$structure,
                                                                d$X, d$Z, as.integer(nsim), cpp_seed)))
  out <- lapply(seq_len(nsim), function(s) `dimnames<-`(seeded$value[, , s, drop = FALSE][, , 1L, drop = TRUE],
                                                        list(rownames(d$X), colnames(object$Y))))
  names(out) <- paste0("sim_", seq_len(nsim))
  attr(out, "seed") <- seeded$seed
  out
}

# moe_boot() of a multivariate fit.
moe_boot_multivariate <- function(object, B, type, level, threads, call) {
  seed <- floor(stats::runif(1) * 2147483647)  # from R's RNG: set.seed() reproduces the replicates
  b <- moe_core("moe_boot()", moe_boot_multivariate_cpp(object$coef, object$sigma, object$gate, object$structure,
                                                        object$Y, object$X, object$Z, object$weights, as.integer(B),
                                                        type, seed, level,
                                                        as.integer(threads), object$control$tol,
                                                        as.integer(object$control$max_iter)))
  table <- data.frame(estimate = b$estimates, se_information = b$se_information, se_bootstrap = b$se_bootstrap,
                      lower = b$interval[, 1], upper = b$interval[, 2], row.names = b$names)
  structure(list(table = table, replicates = `colnames<-`(b$replicates, b$names), logliks = b$logliks, type = type,
                 B = as.integer(B), level = level, failed = b$failed, first_failure = b$first_failure,
                 relabelled = b$relabelled, not_converged = b$not_converged, call = call),
            class = "moe_boot")
}
