# Several estimators from one initialization: their traces side by side.

moe_compare <- function(formula, data, K, methods = c("em", "gd"), family = gaussian(),
                        control = moe_control(se = FALSE), starts = 30, responsibilities = NULL, weights = NULL,
                        fixed = NULL, group = NULL, point_mass = NULL, nu = NULL, covariance = NULL) {
  family_name <- moe_family(family)
  if (missing(data)) data <- environment(formula)
  weights <- substitute(weights)  # an expression, evaluated in the data by moe() as lm() does
  fit_one <- function(...) do.call(moe, list(formula, data, ..., weights = weights, fixed = fixed, group = group,
                                                    point_mass = point_mass, nu = nu, covariance = covariance))
  if (!is.character(methods) || length(methods) == 0L || anyNA(methods))
    stop("moe_compare(): 'methods' must name at least one method, e.g. c(\"em\", \"gd\")", call. = FALSE)
  if (anyDuplicated(methods))
    stop("moe_compare(): 'methods' lists '", methods[anyDuplicated(methods)], "' twice", call. = FALSE)
  for (m in methods) {  # each checked against the registry before the first fit
    parts <- strsplit(m, ":", fixed = TRUE)[[1L]]
    moe_core("moe_compare()", moe_check_method_cpp(
      moe_method_name(parts[1L], if (length(parts) > 1L) as.numeric(parts[2L]), "moe_compare()"), family_name))
  }
  if (missing(K)) K <- NULL
  # every method starts where the search's best em fit started (or at the given responsibilities)
  first <- fit_one(K = K, family = family, method = "em",
                   control = utils::modifyList(control, list(max_iter = if (is.null(responsibilities)) control$max_iter
                                                                        else 0L, se = FALSE)),
                   starts = starts, responsibilities = responsibilities)
  if (inherits(first, "moe_mv")) return(moe_compare_multivariate(first, methods, control))
  K <- first$K
  from <- if (is.null(first$multistart)) first$model else first$multistart$start
  start <- list(family = family_name, experts = unname(from$experts), gate = unname(from$gate),
                sigma = unname(from$sigma), theta = unname(from$theta),
                shape = unname(from$shape), nu = unname(from$nu), nu_fixed = from$nu_fixed,
                common_sigma = from$common_sigma, shared = from$shared,
                point_mass = from$point_mass)
  fits <- lapply(methods, function(m) {
    parts <- strsplit(m, ":", fixed = TRUE)[[1L]]
    step <- if (length(parts) > 1L) as.numeric(parts[2L]) else NULL
    # a method that diverges is part of the comparison, not a warning
    suppressWarnings(fit_one(K = K, family = family, method = parts[1L],
                             control = utils::modifyList(control, list(step = step, se = FALSE)), start = start))
  })
  moe_compare_frame(methods, lapply(fits, `[[`, "trace"), moe_compare_rates(methods, fits, control))
}

# Internal: the "moe_compare" data frame of the methods' traces, with their rates.
moe_compare_frame <- function(methods, traces, rates) {
  out <- do.call(rbind, Map(function(m, trace) cbind(method = m, trace, stringsAsFactors = FALSE), methods, traces))
  best <- max(out$loglik)
  out$gap <- (best - out$loglik) / abs(best)
  rownames(out) <- NULL
  structure(out, class = c("moe_compare", "data.frame"), best_loglik = best, rates = rates)
}

# Internal: moe_compare() for several responses: every method from where the
# best run of `first`'s search started.
moe_compare_multivariate <- function(first, methods, control) {
  names <- vapply(methods, function(m) {
    parts <- strsplit(m, ":", fixed = TRUE)[[1L]]
    moe_method_name(parts[1L], if (length(parts) > 1L) as.numeric(parts[2L]), "moe_compare()")
  }, "")
  runs <- moe_core("moe_compare()", moe_compare_multivariate_cpp(first$Y, first$X, first$Z, first$weights,
                                                                 first$start$coef,
                                                                 first$start$covariance, first$start$gate,
                                                                 first$structure, unname(names),
                                                                 c(control, list(starts = 1L))))
  rates <- structure(data.frame(method = methods, linear_rate = runs$linear_rate,
                                predicted_linear_rate = runs$predicted, stringsAsFactors = FALSE),
                     note = runs$note, gradient_best_step = runs$gradient_best_step,
                     gradient_best = runs$gradient_best)
  moe_compare_frame(methods, runs$traces, rates)
}

# Internal: each method's observed linear rate and the rate predicted for it
# at the fit with the best log-likelihood (NaN for Armijo steps, Adam, SQUAREM and
# mini-batches, or for all when that fit is not a strict maximum: see the note).
moe_compare_rates <- function(methods, fits, control) {
  best <- fits[[which.max(vapply(fits, function(f) f$loglik, 0))]]
  cpp_names <- vapply(fits, function(f) moe_method_name(f$method, f$control$step), "")
  predicted <- moe_predicted_rates_cpp(best$model, best$y, best$X, best$Z, as.numeric(best$weights),
                                       as.numeric(best$offset), as.numeric(best$trials), as.integer(best$group),
                                       cpp_names,
                                       c(control, list(starts = 1L)))
  structure(data.frame(method = methods, linear_rate = vapply(fits, function(f) f$linear_rate, 0),
                       predicted_linear_rate = predicted$predicted, stringsAsFactors = FALSE),
            note = predicted$note, gradient_best_step = predicted$gradient_best_step,
            gradient_best = predicted$gradient_best)
}

print.moe_compare <- function(x, ...) {
  best <- attr(x, "best_loglik")
  rows <- lapply(split(x, factor(x$method, levels = unique(x$method))), function(d) {
    hit <- d$iteration[d$gap <= 1e-6]
    data.frame(method = d$method[1L], iterations = max(d$iteration), seconds = max(d$seconds),
               final_loglik = d$loglik[nrow(d)], iterations_to_1e6 = if (length(hit)) min(hit) else NA)
  })
  rates <- attr(x, "rates")
  table <- do.call(rbind, rows)
  table <- cbind(table, rate = rates$linear_rate[match(table$method, rates$method)],
                 predicted = rates$predicted_linear_rate[match(table$method, rates$method)])
  cat("Best log-likelihood:", format(best, digits = 10), "\n")
  print(table, row.names = FALSE)
  if (nzchar(attr(rates, "note"))) {
    cat("No predicted rates:", attr(rates, "note"), "\n")
  } else {
    cat("Predicted at the best fit: the best fixed gradient step, gd:", format(attr(rates, "gradient_best_step"), digits = 4),
        ", at rate ", format(attr(rates, "gradient_best"), digits = 7), "\n", sep = "")
  }
  invisible(x)
}

plot.moe_compare <- function(x, xvar = c("iteration", "seconds"), ...) {
  xvar <- match.arg(xvar)
  methods <- unique(x$method)
  colours <- grDevices::hcl.colors(length(methods), "Dark 3")
  gap <- pmax(x$gap, 1e-16)
  moe_plot(list(x[[xvar]], gap, type = "n", log = "y", xlab = xvar, ylab = "(best - loglik) / |best|",
                main = "Convergence"), ...)
  rates <- attr(x, "rates")
  for (i in seq_along(methods)) {
    rows <- x$method == methods[i]
    graphics::lines(x[[xvar]][rows], gap[rows], col = colours[i], lwd = 2)
    rate <- rates$predicted_linear_rate[rates$method == methods[i]]
    if (xvar == "iteration") moe_predicted_line(x$iteration[rows], x$gap[rows], rate, colours[i])
  }
  graphics::legend("topright", legend = c(methods, if (xvar == "iteration") "predicted rate"),
                   col = c(colours, "grey40"), lwd = c(rep(2, length(methods)), 1),
                   lty = c(rep(1, length(methods)), 2), bty = "n")
  invisible(x)
}

# Internal: a run's predicted gap rate as a dashed line of slope `rate` through
# its last gap above 1e-12, back to where it reaches 1; only for a run that came
# within 1e-6 of the best fit, where the rate was predicted.
moe_predicted_line <- function(iteration, gap, rate, colour) {
  if (!is.finite(rate) || rate <= 0 || rate >= 1 || !any(gap <= 1e-6)) return(invisible())
  last <- max(which(gap > 1e-12))
  to <- iteration[last]
  from <- max(0, to - log(1 / gap[last]) / log(1 / rate))
  t <- seq(from, to, length.out = 100)
  graphics::lines(t, gap[last] * rate^(t - to), col = colour, lty = 2, lwd = 1)
}
