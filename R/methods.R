# S3 methods for fitted "moe" objects.

print.moe <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  cat("Mixture of", x$K, x$family, paste0("experts", moe_point_mass_note(x$model)), "fitted by", x$method, "\n")
  cat("Call: ", paste(deparse(x$call), collapse = "\n"), "\n\n", sep = "")
  cat("Experts:\n")
  print(moe_with_dispersion(x$model$experts, x$model, x$family)[, moe_regression_experts(x$model), drop = FALSE],
        digits = digits)
  moe_print_shared(x$model)
  if (x$K > 1) {
    cat("\nGate (log-odds against expert ", x$K, "):\n", sep = "")
    print(x$model$gate[, -x$K, drop = FALSE], digits = digits)
  }
  cat("\nlog-likelihood", format(x$loglik, digits = 10), " df", x$df, " n", paste0(x$nobs, moe_groups_note(x)),
      "\niterations", x$iterations, " stop:", x$stop_reason, "\n")
  invisible(x)
}

# Internal: the experts' coefficient matrix with a last row of their
# dispersions (sigma or theta, moe_dispersion_name()) when the family has one.
moe_with_dispersion <- function(experts, model, family) {
  name <- moe_dispersion_name(family)
  if (!nzchar(name)) return(experts)
  out <- rbind(experts, model[[name]])
  rownames(out)[nrow(out)] <- name
  out
}

# Internal: " (expert K a point mass at c)" for a model with one, else "".
moe_point_mass_note <- function(model)
  if (!length(model$point_mass)) "" else
    sprintf(" (expert %d a point mass at %s)", ncol(model$experts), format(model$point_mass))

# Internal: " in G groups (id)" for a grouped fit, else "".
moe_groups_note <- function(x)
  if (is.null(x$group_variable) || !length(x$group)) "" else
    sprintf(" in %d groups (%s)", length(unique(x$group)), x$group_variable)

# Internal: names the expert coefficients that all experts share, if any.
moe_print_shared <- function(model)
  if (length(model$shared))
    cat("Shared by all experts (fixed):", paste(rownames(model$experts)[model$shared], collapse = ", "), "\n")

# Estimate / Std. Error / z value / Pr(>|z|) for one matrix column (row names
# kept when the column has a single coefficient).
moe_table <- function(estimate, se, names) {
  z <- estimate / se
  out <- cbind(Estimate = estimate, `Std. Error` = se, `z value` = z, `Pr(>|z|)` = 2 * stats::pnorm(-abs(z)))
  rownames(out) <- names
  out
}

summary.moe <- function(object, ...) {
  se <- object$se
  if (is.null(se)) {
    se <- list(experts = object$model$experts * NA, gate = object$model$gate * NA,
               sigma = object$model$sigma * NA, theta = object$model$theta * NA,
               shape = object$model$shape * NA, nu = object$model$nu * NA, valid = FALSE,
               note = "not computed (se = FALSE)")
  }
  experts <- lapply(moe_regression_experts(object$model), function(k)
    moe_table(object$model$experts[, k], se$experts[, k], rownames(object$model$experts)))
  gate <- lapply(seq_len(object$K - 1L), function(k)
    moe_table(object$model$gate[, k], se$gate[, k], rownames(object$model$gate)))
  names(experts) <- colnames(object$model$experts)[moe_regression_experts(object$model)]
  names(gate) <- colnames(object$model$gate)[seq_len(object$K - 1L)]
  structure(list(call = object$call, family = object$family, K = object$K, method = object$method,
                 experts = experts, gate = gate, dispersion = moe_dispersion_name(object$family),
                 sigma = object$model$sigma, sigma_se = se$sigma, theta = object$model$theta, theta_se = se$theta,
                 shape = object$model$shape, shape_se = se$shape, nu = object$model$nu,
                 nu_se = if (length(se$nu)) se$nu else object$model$nu * NA,
                 model = object$model,
                 se_note = if (!isTRUE(se$valid)) se$note, loglik = object$loglik, df = object$df,
                 nobs = object$nobs, groups = moe_groups_note(object), aic = stats::AIC(object), bic = stats::BIC(object),
                 iterations = object$iterations, converged = object$converged,
                 stop_reason = object$stop_reason, mixing = stats::setNames(moe_gate_means(object), colnames(object$model$experts)),
                 linear_rate = object$linear_rate, rates = object$local_rates, multistart = object$multistart),
            class = "summary.moe")
}

print.summary.moe <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  cat("Mixture of", x$K, x$family, paste0("experts", moe_point_mass_note(x$model)), "fitted by", x$method, "\n")
  cat("Call: ", paste(deparse(x$call), collapse = "\n"), "\n", sep = "")
  for (k in names(x$experts)) {
    cat("\nExpert ", k, if (nzchar(x$dispersion))
      sprintf(" (%s = %s, se %s)", x$dispersion, format(x[[x$dispersion]][[k]], digits = digits),
              format(x[[paste0(x$dispersion, "_se")]][[k]], digits = digits)),
      if (length(x$nu))
        sprintf(" (nu = %s, %s)", format(x$nu[[k]], digits = digits),
                if (isTRUE(x$model$nu_fixed)) "fixed" else paste("se", format(x$nu_se[[k]], digits = digits))),
      ":\n", sep = "")
    stats::printCoefmat(x$experts[[k]], digits = digits)
  }
  moe_print_shared(x$model)
  for (k in names(x$gate)) {
    cat("\nGate, log-odds of ", k, " against expert ", x$K, ":\n", sep = "")
    stats::printCoefmat(x$gate[[k]], digits = digits)
  }
  if (!is.null(x$se_note)) cat("\nNo standard errors:", x$se_note, "\n")
  cat("\nMean gate weights:", format(x$mixing, digits = digits), "\n")
  cat("log-likelihood", format(x$loglik, digits = 10), "on", x$df, "df;  AIC",
      format(x$aic, digits = 8), " BIC", format(x$bic, digits = 8), " n", paste0(x$nobs, x$groups), "\n")
  cat("iterations", x$iterations, if (isTRUE(x$converged)) "(converged)" else paste0("(", x$stop_reason, ")"), "\n")
  moe_print_search(x$multistart)
  moe_print_rates(x$linear_rate, x$rates)
  invisible(x)
}

# Internal: what the search saw (fit$multistart): the local maxima and how many
# finalists and split-and-merge moves reached each, and its warnings.
moe_print_search <- function(search) {
  if (is.null(search)) return(invisible())
  m <- search$maxima
  cat("search: ", search$screened, " starts screened (", search$redrawn, " redrawn as degenerate), ",
      search$finalists, " finalists, ", search$moves_kept, " of ", search$moves_tried,
      " split-and-merge moves kept; best from ", search$best_init, "\n", sep = "")
  cat("local maxima (log-likelihood: finalists, moves):",
      paste0(format(m$loglik, digits = 10), ": ", m$starts, ", ", m$moves, ifelse(m$degenerate, " (degenerate)", ""),
             collapse = ";  "), "\n")
  for (w in search$warnings) cat("warning:", w, "\n")
}

# Internal: the observed linear rate beside the predicted ones (local_rates of a fit).
moe_print_rates <- function(observed, rates) {
  f <- function(v) format(v, digits = 4)
  cat("linear rate (ratio of successive gaps): observed", f(observed))
  if (is.null(rates)) return(cat("\n"))
  if (!isTRUE(rates$valid)) return(cat("\nNo predicted rates:", rates$note, "\n"))
  cat(", predicted ", if (is.nan(rates$method)) "none (no fixed linear map)" else f(rates$method), "\n  em ", f(rates$em), " (largest fraction of missing information ",
      f(rates$missing_fractions[1L]), "); gradient ascent with its best fixed step (", f(rates$gradient_best_step),
      ") ", format(rates$gradient_best, digits = 7), "\n  em's slowest direction, share of its complete-data information by block: ",
      paste(names(rates$em_slowest_direction), sprintf("%.2f", rates$em_slowest_direction), collapse = ", "),
      "\n", sep = "")
}

coef.moe <- function(object, ...) {
  out <- list(experts = object$model$experts, gate = object$model$gate)
  name <- moe_dispersion_name(object$family)
  if (nzchar(name)) out[[name]] <- object$model[[name]]
  out
}

# Internal: the gate probabilities and expert means at the fit's own rows
# (those used, without na.exclude's padding).
moe_fitted_parts <- function(object)
  moe_core("moe", moe_evaluate_cpp(object$model, object$y, object$X, object$Z, as.numeric(object$offset),
                                   as.numeric(object$trials), FALSE, integer(0)))

# Internal: the mean gate probability of every expert over the rows used,
# weighted by the fit's weights.
moe_gate_means <- function(object) {
  if (is.null(object$X)) return(rep(NA_real_, object$K))  # a model file: no rows to average over
  gate <- moe_fitted_parts(object)$gate
  w <- if (is.null(object$weights)) rep(1, nrow(gate)) else object$weights
  colSums(gate * w) / sum(w)
}

fitted.moe <- function(object, ...) stats::napredict(object$na.action, object$fitted)

# Response residuals y - E[y | x, z], or Pearson residuals: those divided by the
# mixture's standard deviation, sqrt(sum_k pi_k (v_k + mu_k^2) - mean^2) with
# the experts' variances v_k = sigma_k^2 (Gaussian), sigma_k^2 nu_k / (nu_k - 2)
# (t; infinite for nu_k <= 2, where the residual is 0), mu_k (Poisson) or
# mu_k + mu_k^2 / theta_k (negative binomial) or mu_k^2 / shape_k (gamma); for
# logistic experts that is sqrt(mean (1 - mean)).
residuals.moe <- function(object, type = c("response", "pearson", "quantile"), ...) {
  type <- match.arg(type)
  if (object$family == "multinomial") return(stats::naresid(object$na.action, moe_level_residuals(object, type)))
  if (type == "quantile") return(stats::naresid(object$na.action, moe_quantile_residuals(object)))
  trials <- if (length(object$trials)) object$trials else 1  # binomial trials: residuals of the proportions, as glm's
  r <- object$y / trials - object$fitted
  if (type == "pearson") {
    m <- object$fitted
    variance <- if (object$family == "binomial") {
      m * (1 - m) / trials
    } else {
      ev <- moe_fitted_parts(object)
      expert_variance <- switch(object$family,
        gaussian = matrix(object$model$sigma^2, nrow(ev$experts), object$K, byrow = TRUE),
        t = with(object$model, matrix(ifelse(nu > 2, sigma^2 * nu / (nu - 2), Inf), nrow(ev$experts), object$K,
                                      byrow = TRUE)),
        negbin = ev$experts + sweep(ev$experts^2, 2L, object$model$theta, "/"),
        gamma = sweep(ev$experts^2, 2L, object$model$shape, "/"),
        ev$experts)
      expert_variance[, -moe_regression_experts(object$model)] <- 0  # a point mass
      rowSums(ev$gate * (expert_variance + ev$experts^2)) - m^2
    }
    # a fitted probability of exactly 0 or 1 that the response equals: residual 0, not 0/0
    r <- ifelse(r == 0, 0, r / sqrt(variance))
  }
  stats::naresid(object$na.action, r)
}

# Internal: multinomial experts' residuals, one column per level: the
# indicator of the observed level less its fitted probability, over
# sqrt(p (1 - p)) for Pearson's (as nnet's and glm's).
moe_level_residuals <- function(object, type) {
  if (type == "quantile")
    stop("residuals.moe(): levels have no order, so multinomial experts have no quantile residuals", call. = FALSE)
  p <- object$fitted
  r <- outer(object$y, seq_len(ncol(p)) - 1, "==") - p
  if (type == "pearson") r <- ifelse(r == 0, 0, r / sqrt(p * (1 - p)))
  `dimnames<-`(r, dimnames(p))
}

# Internal: randomized quantile residuals (Dunn and Smyth, 1996): Φ⁻¹ of the
# predictive mixture's distribution function at y, for discrete responses at a
# uniform draw between F(y − 1) and F(y) (seeded from R's generator).
moe_quantile_residuals <- function(object) {
  seed <- floor(stats::runif(1) * 2147483647)
  pit <- moe_pit_cpp(object$model, object$y, object$X, object$Z, as.numeric(object$offset),
                     as.numeric(object$trials), seed)
  stats::setNames(stats::qnorm(as.vector(pit)), names(object$fitted))
}

logLik.moe <- function(object, ...) {
  structure(object$loglik, df = object$df, nobs = object$nobs, class = "logLik")
}

nobs.moe <- function(object, ...) object$nobs

# Internal: the designs, offset and response of the fit's own rows (newdata
# NULL; a model read by moe_read() holds none) or of `newdata`.
moe_rows <- function(object, newdata, with_response, who) {
  if (!is.null(newdata)) return(moe_newdata(object, newdata, with_response))
  if (is.null(object$X))
    stop(who, ": a model read from a file holds no data: give 'newdata'", call. = FALSE)
  list(X = object$X, Z = object$Z, offset = as.numeric(object$offset), y = object$y,
       trials = as.numeric(object$trials), group = as.integer(object$group))
}

# Designs and the experts' offset of new data, and the response when `with_response`.
moe_newdata <- function(object, newdata, with_response) {
  expert_terms <- stats::delete.response(object$expert_terms)
  gate_terms <- stats::delete.response(object$gate_terms)
  mfx <- stats::model.frame(expert_terms, newdata, na.action = stats::na.pass, xlev = object$xlevels)
  mfz <- stats::model.frame(gate_terms, newdata, na.action = stats::na.pass, xlev = object$zlevels)
  out <- list(X = stats::model.matrix(expert_terms, mfx), Z = stats::model.matrix(gate_terms, mfz),
              offset = moe_offset(mfx, "expert"), y = NULL, trials = numeric(0),
              group = if (!is.null(object$group_variable) && object$group_variable %in% names(newdata))
                moe_groups(newdata, object$group_variable)$number else integer(0))
  response <- all.vars(object$formula[[2L]])
  if ((with_response || length(object$trials)) && all(response %in% names(newdata))) {
    y <- moe_response(eval(object$formula[[2L]], newdata, environment(object$formula)), object$family,
                      "predict.moe()", object$response_levels[2L],
                      if (object$family == "multinomial") object$response_levels)
    out[c("y", "trials")] <- y[c("y", "trials")]
    out$Y <- y$Y
  }
  out
}

# Internal: stops unless the rows `d` carry the groups that a grouped fit needs
# (for posteriors, which are per group, and simulations, one expert per group).
moe_require_groups <- function(object, d, who) {
  if (!is.null(object$group_variable) && !length(d$group))
    stop(who, ": the fit is grouped by '", object$group_variable, "': give 'newdata' with that column",
         call. = FALSE)
}

# Internal: stops unless the rows `d` carry the trials that a fit with binomial
# trials needs (for the predictive law: quantiles, simulations).
moe_require_trials <- function(object, d, who) {
  if (length(object$trials) && !length(d$trials))
    stop(who, ": the fit has binomial trials: give 'newdata' with its cbind(successes, failures) response ",
         "(the trials of every row)", call. = FALSE)
}

predict.moe <- function(object, newdata, type = c("response", "gate", "experts", "posterior", "quantile",
                                                 "scale_weights", "class"),
                        probs = c(0.05, 0.5, 0.95), ...) {
  type <- match.arg(type)
  if (type == "class" && object$family != "multinomial")
    stop("predict.moe(): type = \"class\" is for multinomial experts only", call. = FALSE)
  if (type == "scale_weights" && object$family != "t")
    stop("predict.moe(): type = \"scale_weights\" is for t experts only", call. = FALSE)
  if (type == "quantile" && (!is.numeric(probs) || !length(probs) || anyNA(probs) || any(probs <= 0 | probs >= 1)))
    stop("predict.moe(): 'probs' must be probabilities in (0, 1)", call. = FALSE)
  own <- missing(newdata) || is.null(newdata)
  needs_y <- type %in% c("posterior", "scale_weights")
  d <- moe_rows(object, if (!own) newdata, needs_y, "predict.moe()")
  with_y <- !is.null(d$y) && (own || needs_y)
  if (type == "quantile") moe_require_trials(object, d, "predict.moe()")
  if (needs_y && !with_y)
    stop("predict.moe(): type = \"", type, "\" needs the response in 'newdata'", call. = FALSE)
  if (type == "posterior") moe_require_groups(object, d, "predict.moe()")
  ev <- moe_core("predict.moe()",
                 moe_evaluate_cpp(object$model, if (with_y) d$y else numeric(nrow(d$X)), d$X, d$Z, d$offset,
                                  d$trials, with_y, if (with_y) d$group else integer(0)))
  experts <- colnames(object$model$experts)
  levels <- object$response_levels
  categorical <- object$family == "multinomial"
  out <- switch(type,
                response = if (categorical) `colnames<-`(ev$levels, levels) else ev$mean,
                class = factor(levels[max.col(ev$levels, ties.method = "first")], levels = levels),
                gate = `colnames<-`(ev$gate, experts),
                experts = if (categorical) `dimnames<-`(ev$expert_levels, list(NULL, levels, experts))
                          else `colnames<-`(ev$experts, experts),
                posterior = `colnames<-`(ev$posterior, experts),
                quantile = `colnames<-`(moe_core("predict.moe()", moe_quantiles_cpp(object$model, d$X, d$Z, d$offset, d$trials, probs)),
                                        paste0("q", probs)),
                scale_weights = as.numeric(moe_core("predict.moe()",
                                                    moe_scale_weights_cpp(object$model, d$y, d$X, d$Z, d$offset))))
  # rows named as the data's, and for the fit's own rows padded where na.exclude dropped some, as predict.lm does
  rows <- rownames(d$X)
  if (length(dim(out)) == 3L) dimnames(out)[[1L]] <- rows
  else if (is.matrix(out)) rownames(out) <- rows else names(out) <- rows
  if (own) stats::napredict(object$na.action, out) else out
}

# The inverse observed information of the free parameters, in the core's order
# and with its names: "gate.<expert>:<term>" (experts 1..K-1), "<expert>:<term>",
# then "log_sigma.<expert>" ("log_sigma.common" for a common sigma), "log_theta.<expert>"
# (negbin) or "log_shape.<expert>" (gamma).
vcov.moe <- function(object, ...) {
  se <- object$se
  if (is.null(se)) stop("vcov.moe(): the fit has no standard errors (it was made with se = FALSE)", call. = FALSE)
  if (!isTRUE(se$valid)) stop("vcov.moe(): no covariance: ", se$note, call. = FALSE)
  `dimnames<-`(se$covariance, list(se$parameters, se$parameters))
}

# Wald intervals of the free parameters; log sigma's (log theta's, log shape's)
# interval is given for sigma (theta, shape), exponentiated, named "sigma.<expert>"
# ("theta.<expert>", "shape.<expert>").
confint.moe <- function(object, parm, level = 0.95, ...) {
  if (!is.numeric(level) || length(level) != 1L || !(level > 0 && level < 1))
    stop("confint.moe(): 'level' must be one number between 0 and 1", call. = FALSE)
  se <- sqrt(diag(vcov(object)))
  estimate <- stats::setNames(object$se$estimates, object$se$parameters)
  z <- stats::qnorm((1 + level) / 2)
  ci <- cbind(estimate - z * se, estimate + z * se)
  on_log_scale <- grepl("^log_(sigma|theta|shape)\\.", names(estimate))
  ci[on_log_scale, ] <- exp(ci[on_log_scale, ])
  rownames(ci) <- sub("^log_(sigma|theta|shape)\\.", "\\1.", names(estimate))
  colnames(ci) <- paste(format(100 * c(1 - level, 1 + level) / 2, trim = TRUE, scientific = FALSE, digits = 3), "%")
  if (missing(parm)) return(ci)
  if (is.character(parm) && !all(parm %in% rownames(ci)))
    stop("confint.moe(): no parameter ", paste0("'", setdiff(parm, rownames(ci)), "'", collapse = ", "),
         "; the names are those of rownames(confint(fit))", call. = FALSE)
  if (is.numeric(parm) && !all(parm %in% seq_len(nrow(ci))))
    stop("confint.moe(): 'parm' indices must be from 1 to ", nrow(ci), call. = FALSE)
  ci[parm, , drop = FALSE]
}
