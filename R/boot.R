# Bootstrap standard errors and percentile intervals of a fit (the C++ core's
# bootstrap.hpp does the work).

moe_boot <- function(object, B = 200, type = c("nonparametric", "parametric"), level = 0.95,
                     threads = object$control$threads, verbose = FALSE) {
  if (!inherits(object, c("moe", "moe_mv"))) stop("moe_boot(): 'object' must be a fit of moe()", call. = FALSE)
  if (is.null(object$X))
    stop("moe_boot(): a model read from a file holds no data: refit it with moe()", call. = FALSE)
  if (!moe_whole(B, 1, 1e6)) stop("moe_boot(): 'B' must be a whole number from 1 to 1e6", call. = FALSE)
  type <- match.arg(type)
  if (!is.numeric(level) || length(level) != 1L || !(level > 0 && level < 1))
    stop("moe_boot(): 'level' must be one number between 0 and 1", call. = FALSE)
  if (!moe_whole(threads, 0, 4096)) stop("moe_boot(): 'threads' must be a whole number from 0 to 4096", call. = FALSE)
  if (inherits(object, "moe_mv")) return(moe_boot_multivariate(object, B, type, level, threads, match.call()))
  control <- object$control
  control$threads <- as.integer(threads)
  used <- moe_used_rows(object$weights, length(object$y))
  rows_used <- function(v) moe_rows_of(v, used)
  seed <- floor(stats::runif(1) * 2147483647)  # from R's RNG: set.seed() reproduces the replicates
  b <- moe_core("moe_boot()", moe_boot_cpp(
    object$model, object$y[used], object$X[used, , drop = FALSE], object$Z[used, , drop = FALSE],
    rows_used(object$weights), rows_used(object$offset), rows_used(object$trials),
    as.integer(rows_used(object$group)),
    moe_method_name(object$method, control$step, "moe_boot()"), c(control, list(starts = 1L)), as.integer(B), type,
    seed, level, isTRUE(verbose)))
  b$names <- moe_level_parameters(b$names, if (object$family == "multinomial") object$response_levels)
  table <- data.frame(estimate = b$estimates, se_information = b$se_information, se_bootstrap = b$se_bootstrap,
                      lower = b$interval[, 1], upper = b$interval[, 2], row.names = b$names)
  structure(list(table = table, replicates = `colnames<-`(b$replicates, b$names), logliks = b$logliks, type = type, B = as.integer(B),
                 level = level, failed = b$failed, first_failure = b$first_failure, relabelled = b$relabelled,
                 not_converged = b$not_converged, call = match.call()),
            class = "moe_boot")
}

print.moe_boot <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  cat(sprintf("%s bootstrap of %d replicates, each refitted from the fit", x$type, x$B))
  cat(sprintf(" (%d failed, %d relabelled to match the fit's experts, %d stopped by max_iter)\n",
              as.integer(x$failed), as.integer(x$relabelled), as.integer(x$not_converged)))
  if (x$failed > 0) cat("the first failure:", x$first_failure, "\n")
  table <- x$table
  names(table)[4:5] <- paste(format(100 * c(1 - x$level, 1 + x$level) / 2, trim = TRUE, digits = 3), "%")
  print(table, digits = digits, ...)
  invisible(x)
}
