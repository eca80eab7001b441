# Internal: the variables of a formula that hold one value per row: those in
# `data`, and those found in the formula's environment with more than one value
# (a constant such as the degree in poly(x, k) stays out of the model frame,
# where it would be taken for a column). A name found nowhere is kept, so that
# model.frame() reports it.
moe_row_variables <- function(vars, data, env) {
  per_row <- function(v) {
    if (!is.environment(data) && v %in% names(data)) return(TRUE)
    where <- if (is.environment(data)) data else env
    if (!exists(v, envir = where)) return(TRUE)
    value <- get(v, envir = where)
    !is.function(value) && NROW(value) > 1L
  }
  Filter(per_row, vars)
}

# Internal: split 'y ~ x1 + x2 | z1 + z2' into expert and gate formulas; the
# terms of `fixed` (a one-sided formula, or NULL) join the experts' terms, and
# the variable of `group` (~ id, or NULL) joins the frame.
moe_formulas <- function(formula, data, fixed = NULL, group = NULL) {
  if (!inherits(formula, "formula") || length(formula) != 3L)
    stop("moe(): 'formula' must look like y ~ x1 + x2 | z1 + z2", call. = FALSE)
  if ("." %in% all.vars(formula[[3L]]))
    stop("moe(): the '.' shorthand is not supported: list the covariates, e.g. y ~ x1 + x2 | z1", call. = FALSE)
  env <- environment(formula)
  rhs <- formula[[3L]]
  gated <- is.call(rhs) && identical(rhs[[1L]], as.name("|"))
  expert_rhs <- if (gated) rhs[[2L]] else rhs
  gate_rhs <- if (gated) rhs[[3L]] else 1
  fixed_labels <- moe_fixed_labels(fixed, expert_rhs)
  if (length(fixed_labels)) expert_rhs <- call("+", expert_rhs, fixed[[2L]])
  group_var <- moe_group_variable(group)
  vars <- moe_row_variables(unique(c(all.vars(expert_rhs), all.vars(gate_rhs), group_var)), data, env)
  frame_rhs <- if (length(vars)) paste0("`", vars, "`", collapse = " + ") else "1"
  list(expert = stats::as.formula(call("~", formula[[2L]], expert_rhs), env = env),
       gate = stats::as.formula(call("~", gate_rhs), env = env),
       frame = stats::as.formula(paste(deparse(formula[[2L]]), "~", frame_rhs), env = env),
       fixed = fixed_labels, group = group_var)
}

# Internal: the name of the one variable of `group` (~ id), checked; NULL for none.
moe_group_variable <- function(group) {
  if (is.null(group)) return(NULL)
  if (!inherits(group, "formula") || length(group) != 2L || !is.name(group[[2L]]))
    stop("moe(): 'group' must be a one-sided formula naming one variable, e.g. group = ~ id", call. = FALSE)
  as.character(group[[2L]])
}

# Internal: the groups of a frame's rows as list(number = 1, 2, ... in the
# order the ids first appear, names = the ids); empty for no group variable.
moe_groups <- function(frame, variable) {
  if (is.null(variable)) return(list(number = integer(0), names = character(0)))
  ids <- frame[[variable]]
  first <- unique(ids)
  list(number = match(ids, first), names = as.character(first))
}

# Internal: the term labels of `fixed` (~ x2 + x3, or NULL: none), checked: a
# one-sided formula of terms that the experts' own part (`expert_rhs`) lacks.
moe_fixed_labels <- function(fixed, expert_rhs) {
  if (is.null(fixed)) return(character(0))
  if (!inherits(fixed, "formula") || length(fixed) != 2L)
    stop("moe(): 'fixed' must be a one-sided formula of the terms all experts share, e.g. fixed = ~ x2 + x3",
         call. = FALSE)
  tt <- stats::terms(fixed)
  labels <- attr(tt, "term.labels")
  if (!length(labels) || length(attr(tt, "offset")))
    stop("moe(): 'fixed' must name one or more terms (no offset()), e.g. fixed = ~ x2 + x3", call. = FALSE)
  both <- intersect(labels, attr(stats::terms(stats::as.formula(call("~", expert_rhs))), "term.labels"))
  if (length(both))
    stop("moe(): ", paste0("'", both, "'", collapse = ", "), " is both in the formula (a coefficient per expert) ",
         "and in 'fixed' (one coefficient shared by all): name each term once", call. = FALSE)
  labels
}

# Internal: a family's name (moe_families()) from a name, or from an R family
# object or function (gaussian(), binomial, poisson()) of the same link.
moe_family <- function(family) {
  known <- moe_families()
  if (is.character(family) && !(length(family) == 1L && family %in% known$name))
    stop("moe(): family \"", paste(family, collapse = " "), "\" is not one of moe's families: ",
         paste(known$name, collapse = ", "), " (see moe_families())", call. = FALSE)
  if (is.character(family)) return(family)  # "negbin" has no family function in base R
  if (is.function(family)) family <- family()
  if (inherits(family, "family") && family$family == "Gamma") family$family <- "gamma"  # R's Gamma(link = "log")
  if (!inherits(family, "family") || !(family$family %in% known$name))
    stop("moe(): 'family' must be ", paste0(known$name, "()", collapse = ", "), call. = FALSE)
  link <- known$link[known$name == family$family]
  if (family$link != link) stop("moe(): ", family$family, " experts use the ", link, " link", call. = FALSE)
  family$family
}

# Internal: the response as list(y = a numeric vector, trials = the binomial
# trials or numeric(0)): binomial: 0/1 from a factor, logical or numbers, or
# cbind(successes, failures) as glm's (y the successes, trials their sum);
# poisson: counts. `who` names the caller in messages; `success` (predict) is
# the level of a factor response that counts as 1, as in the fit. NA stays NA (predict).
moe_response <- function(y, family, who = "moe()", success = NULL, levels = NULL) {
  if (is.null(y)) stop(who, ": the formula has no response", call. = FALSE)
  if (family == "multinomial") return(moe_levels(y, who, levels))
  if (family == "binomial" && NCOL(y) == 2L) return(moe_binomial_counts(y, who))
  if (family == "gaussian" && NCOL(y) > 1L) return(moe_responses(y, who))
  if (NCOL(y) > 1L)
    stop(who, ": the response must be one column (binomial experts also take cbind(successes, failures), ",
         "Gaussian experts cbind(y1, y2, ...))", call. = FALSE)
  if (is.character(y))
    stop(who, ": the response is character; convert it with factor() (binomial) or as.numeric()",
         call. = FALSE)
  if (family == "binomial") {
    if (is.factor(y)) {
      if (is.null(success) && nlevels(y) != 2L)
        stop(who, ": a factor response needs exactly 2 levels", call. = FALSE)
      y <- as.numeric(as.character(y) == if (is.null(success)) levels(y)[2L] else success)
    }
    y <- as.numeric(y)
    if (!all(y %in% c(0, 1) | is.na(y)))
      stop(who, ": the response must be 0/1 (or a 2-level factor) for binomial experts", call. = FALSE)
  }
  if (!is.numeric(y)) stop(who, ": the response must be numeric", call. = FALSE)
  if (family %in% c("poisson", "negbin") && !all(y >= 0 & y == floor(y) | is.na(y)))
    stop(who, ": the response must be counts (whole numbers, 0 or more) for ", family, " experts", call. = FALSE)
  if (family == "gamma" && !all(y > 0 | is.na(y)))
    stop(who, ": the response must be positive for gamma experts (row ", which(y <= 0)[1L], " is ",
         y[which(y <= 0)[1L]], ")", call. = FALSE)
  list(y = as.numeric(y), trials = numeric(0))
}

# Internal: a categorical response (a factor, or values that factor() makes
# one) as list(y = level numbers from 0, levels = their names); with `levels`
# (a fit's), coded against those.
moe_levels <- function(y, who, levels = NULL) {
  if (NCOL(y) > 1L) stop(who, ": a multinomial response must be one column (a factor)", call. = FALSE)
  f <- if (is.null(levels)) droplevels(factor(y)) else factor(y, levels = levels)
  if (any(is.na(f) & !is.na(y)))
    stop(who, ": the response has values that are not levels of the fit (", paste(levels, collapse = ", "), ")",
         call. = FALSE)
  if (is.null(levels) && nlevels(f) < 2L)
    stop(who, ": the response has one level: a multinomial response needs at least two", call. = FALSE)
  list(y = as.numeric(f) - 1, trials = numeric(0), levels = levels(f))
}

# Internal: cbind(successes, failures) as list(y = successes, trials = their sum).
moe_binomial_counts <- function(counts, who) {
  if (!is.numeric(counts) || !all(counts >= 0 & counts == floor(counts) | is.na(counts)))
    stop(who, ": cbind(successes, failures) must hold whole numbers, 0 or more", call. = FALSE)
  trials <- as.numeric(counts[, 1L] + counts[, 2L])
  if (any(trials == 0, na.rm = TRUE))
    stop(who, ": row ", which(trials == 0)[1L], " of cbind(successes, failures) has no trials", call. = FALSE)
  list(y = as.numeric(counts[, 1L]), trials = trials)
}

# Internal: a control list as moe_control() makes it: a partial list is
# completed with moe_control()'s defaults and checked by it.
moe_control_of <- function(control) {
  if (!is.list(control)) stop("moe(): 'control' must be a list, e.g. moe_control(tol = 1e-10)", call. = FALSE)
  if (length(control) && (is.null(names(control)) || any(names(control) == "")))
    stop("moe(): every control option must be named, e.g. list(tol = 1e-10)", call. = FALSE)
  unknown <- setdiff(names(control), names(formals(moe_control)))
  if (length(unknown))
    stop("moe(): unknown control option(s) ", paste0("'", unknown, "'", collapse = ", "),
         "; see ?moe_control", call. = FALSE)
  do.call(moe_control, control)
}

# Internal: model frame, designs and response of a moe formula. The frame holds
# the variables; each part's design is built from its own frame of that, so
# that transformations (I(x^2), log(x), poly(x, 2)) are evaluated there and
# the terms keep their 'predvars' for predictions on new data.
moe_design <- function(formula, data, family, na.action, weights = NULL, fixed = NULL, group = NULL) {
  f <- moe_formulas(formula, data, fixed, group)
  # weights: an expression, evaluated in the data as lm() does (a NULL one is dropped)
  mf <- eval(as.call(list(quote(stats::model.frame), f$frame, data = data, na.action = na.action,
                          drop.unused.levels = TRUE, weights = weights)))
  w <- stats::model.weights(mf)
  if (!is.null(w) && !(is.numeric(w) && all(is.finite(w)) && all(w >= 0) && any(w > 0)))
    stop("moe(): 'weights' must be finite numbers >= 0, not all zero", call. = FALSE)
  part <- function(form, what) {
    tt <- stats::delete.response(stats::terms(form))
    pf <- stats::model.frame(tt, data = mf, na.action = stats::na.pass)
    tt <- attr(pf, "terms")
    M <- stats::model.matrix(tt, pf)
    if (anyNA(M) || !all(is.finite(M)))
      stop("moe(): the ", what, " design has missing or infinite values", call. = FALSE)
    list(terms = tt, matrix = M, levels = stats::.getXlevels(tt, pf), offset = moe_offset(pf, what))
  }
  x <- part(f$expert, "expert")
  z <- part(f$gate, "gate")
  if (length(z$offset))
    stop("moe(): offset() terms belong to the experts' part of the formula (before '|'), not the gate's",
         call. = FALSE)
  response <- stats::model.response(mf)
  y <- moe_response(response, family)
  shared <- which(attr(x$matrix, "assign") %in% match(f$fixed, attr(x$terms, "term.labels")))
  groups <- moe_groups(mf, f$group)
  list(X = x$matrix, Z = z$matrix, shared = shared, group = groups$number, group_variable = f$group, group_names = groups$names, y = y$y, Y = y$Y, trials = y$trials, weights = as.numeric(w), offset = x$offset,
       levels = if (!is.null(y$levels)) y$levels else if (is.factor(response)) levels(response),
       expert_terms = x$terms, gate_terms = z$terms, xlevels = x$levels, zlevels = z$levels,
       na.action = attr(mf, "na.action"))
}

# Internal: the sum of a model frame's offset() terms (numeric(0) when none),
# checked finite.
moe_offset <- function(frame, what) {
  o <- stats::model.offset(frame)
  if (is.null(o)) return(numeric(0))
  if (!is.numeric(o) || !all(is.finite(o)))
    stop("moe(): the offset of the ", what, " design has missing or infinite values", call. = FALSE)
  as.numeric(o)
}

# Internal: the rows a fit uses, TRUE for each (rows of weight 0 are left out
# of it: fitted values and posteriors still cover them), and of a row-wise
# vector, its used rows (NULL or an empty vector: numeric(0)).
moe_used_rows <- function(weights, n) if (length(weights)) weights != 0 else rep(TRUE, n)
moe_rows_of <- function(v, used) if (length(v)) v[used] else numeric(0)

# Internal: TRUE when x is one whole number from low to high.
moe_whole <- function(x, low, high = Inf)
  is.numeric(x) && length(x) == 1L && !is.na(x) && x >= low && x <= high && x == round(x)

# Internal: checks R users should see as R errors before the C++ core runs.
moe_check <- function(d, K, family, point_mass = NULL) {
  if (!moe_whole(K, 1))
    stop("moe(): 'K' must be a whole number >= 1", call. = FALSE)
  if (length(point_mass) && K < 2)
    stop("moe(): a point-mass expert needs K >= 2 (the point mass is one of the K experts)", call. = FALSE)
  regression <- K - length(point_mass)
  per_expert <- ncol(d$X) * moe_level_blocks(family, d$levels) - length(d$shared) + nzchar(moe_dispersion_name(family))
  if (nrow(d$X) < regression * per_expert + length(d$shared))
    stop(sprintf("moe(): %d rows are too few for %s with %d parameters each%s",
                 nrow(d$X), if (length(point_mass)) sprintf("%d experts beside the point mass", regression)
                            else sprintf("K = %d experts", K), per_expert,
                 if (length(d$shared)) sprintf(" and %d shared", length(d$shared)) else ""), call. = FALSE)
}

# Internal: how many blocks of the expert design's columns each expert's
# coefficients hold: C - 1 for multinomial experts of C levels, else 1.
moe_level_blocks <- function(family, levels) if (family == "multinomial") length(levels) - 1L else 1L

# Internal: the names of the rows of the experts' coefficients: the expert
# design's columns, for multinomial experts "<level>:<column>" for every level
# but the first (the reference), level by level.
moe_coefficient_names <- function(family, levels, columns) {
  if (family != "multinomial") return(columns)
  paste0(rep(levels[-1L], each = length(columns)), ":", columns)
}

# Internal: the core's parameter names ("expert1.2:x") with the level numbers
# of multinomial experts' coefficients (from 0, the first level's) replaced by
# the levels' names ("expert1.other:x"); the names as they are without levels.
moe_level_parameters <- function(names, levels) {
  if (length(levels) < 2L) return(names)
  at <- regmatches(names, regexec("^(expert[0-9]+)\\.([0-9]+):", names))
  for (i in which(lengths(at) == 3L))
    names[i] <- sub(at[[i]][1L], paste0(at[[i]][2L], ".", levels[as.integer(at[[i]][3L]) + 1L], ":"), names[i],
                    fixed = TRUE)
  names
}

# Internal: the starting model for the C++ core from a user's 'start' list
# (experts, gate, sigma; family and common_sigma optional, as in fit$model),
# with its shapes checked against the designs, which R users see as R errors.
moe_start <- function(start, d, family, common_sigma, point_mass = NULL) {
  dispersion <- moe_dispersion_name(family)
  if (!is.list(start) || is.null(start$experts) || is.null(start$gate))
    stop("moe(): 'start' must be a list with 'experts' and 'gate' matrices",
         if (nzchar(dispersion)) paste0(" and '", dispersion, "'"), ", like fit$model", call. = FALSE)
  if (!is.null(start$family) && !identical(start$family, family))
    stop("moe(): 'start' is a ", start$family, " model but 'family' is ", family, call. = FALSE)
  experts <- as.matrix(start$experts)
  gate <- as.matrix(start$gate)
  shape <- function(M, rows, what)
    if (!is.numeric(M) || nrow(M) != length(rows))
      stop(sprintf("moe(): 'start$%s' must be a numeric matrix with %d rows (%s)",
                   what, length(rows), paste(rows, collapse = ", ")), call. = FALSE)
  shape(experts, moe_coefficient_names(family, d$levels, colnames(d$X)), "experts")
  shape(gate, colnames(d$Z), "gate")
  if (nzchar(dispersion) && !is.numeric(start[[dispersion]]))
    stop("moe(): 'start$", dispersion, "' must hold the experts' ",
         switch(dispersion, sigma = "standard deviations", theta = "sizes", "shapes"), call. = FALSE)
  if (family == "t" && (!is.numeric(start$nu) || !length(start$nu)))
    stop("moe(): 'start$nu' must hold the experts' degrees of freedom", call. = FALSE)
  list(family = family, experts = experts, gate = gate,
       sigma = if (dispersion == "sigma") as.numeric(start$sigma) else numeric(),
       theta = if (family == "negbin") as.numeric(start$theta) else numeric(),
       shape = if (family == "gamma") as.numeric(start$shape) else numeric(),
       nu = if (family == "t") as.numeric(start$nu) else numeric(), nu_fixed = isTRUE(start$nu_fixed),
       common_sigma = if (is.null(start$common_sigma)) common_sigma else isTRUE(start$common_sigma),
       shared = d$shared, point_mass = as.numeric(point_mass),
       n_levels = if (family == "multinomial") length(d$levels) else 0L)
}

# Internal: checks moe()'s 'point_mass': NULL or one finite number.
moe_check_point_mass <- function(point_mass)
  if (!is.null(point_mass) && (!is.numeric(point_mass) || length(point_mass) != 1L || !is.finite(point_mass)))
    stop("moe(): 'point_mass' must be NULL or one finite number (the response value of the last expert, ",
         "e.g. 0 for zero inflation)", call. = FALSE)

# Internal: checks moe()'s 'nu': NULL (estimated) or one positive number, for t experts.
moe_check_nu <- function(nu, family) {
  if (is.null(nu)) return(invisible())
  if (!is.numeric(nu) || length(nu) != 1L || !is.finite(nu) || nu <= 0)
    stop("moe(): 'nu' must be NULL (estimated) or one positive number (the t experts' degrees of freedom)",
         call. = FALSE)
  if (family != "t") stop("moe(): 'nu' is for t experts only (family = \"t\")", call. = FALSE)
}

# Internal: the experts that are regressions: all K, or the first K - 1 beside a point mass.
moe_regression_experts <- function(model) seq_len(ncol(model$experts) - length(model$point_mass))

# Internal: starting responsibilities as a numeric matrix, or an R error.
moe_responsibilities <- function(R) {
  if (is.data.frame(R)) R <- as.matrix(R)
  if (!is.matrix(R) || !is.numeric(R))
    stop("moe(): 'responsibilities' must be a numeric matrix, one column per expert", call. = FALSE)
  R
}

# Internal: evaluates a call into the C++ core; its errors (which name the C++
# function, e.g. "moe::validate(): ...") become errors of `who`.
moe_core <- function(who, expr) {
  tryCatch(expr, error = function(e)
    stop(who, ": ", sub("^moe::[A-Za-z_:]+\\(\\): ", "", conditionMessage(e)), call. = FALSE))
}

# Control options of moe() and moe_compare().
moe_control <- function(max_iter = 500, tol = 1e-8, init = c("mixed", "kmeans", "random", "hard", "residual", "segments"),
                        screening_iterations = 10, finalists = 0, split_merge = TRUE,
                        prefer_finite = FALSE, threads = 2, variance_floor = 1e-5, common_sigma = FALSE, step = NULL,
                        batch_size = 0, se = TRUE, verbose = FALSE) {
  init <- match.arg(init)
  whole <- function(x, name, low = 0)
    if (!moe_whole(x, low, .Machine$integer.max))
      stop("moe_control(): '", name, "' must be a whole number from ", low, " to ", .Machine$integer.max, call. = FALSE)
  nonnegative <- function(x, name)
    if (!is.numeric(x) || length(x) != 1L || !is.finite(x) || x < 0)
      stop("moe_control(): '", name, "' must be one finite number >= 0", call. = FALSE)
  whole(max_iter, "max_iter")
  whole(batch_size, "batch_size")
  whole(screening_iterations, "screening_iterations")
  whole(finalists, "finalists")
  whole(threads, "threads")
  nonnegative(tol, "tol")
  nonnegative(variance_floor, "variance_floor")
  if (!is.null(step) && (!is.numeric(step) || length(step) != 1L || !is.finite(step) || step <= 0))
    stop("moe_control(): 'step' must be NULL or one positive number", call. = FALSE)
  list(max_iter = as.integer(max_iter), tol = tol, init = init, screening_iterations = as.integer(screening_iterations),
       finalists = as.integer(finalists), split_merge = isTRUE(split_merge),
       prefer_finite = isTRUE(prefer_finite), threads = as.integer(threads),
       variance_floor = variance_floor, common_sigma = isTRUE(common_sigma), step = step,
       batch_size = as.integer(batch_size), se = isTRUE(se), verbose = isTRUE(verbose))
}

# Internal: names on the fitted matrices.
moe_name <- function(fit, d, K) {
  if (!is.null(fit$se)) fit$se$parameters <- moe_level_parameters(fit$se$parameters, d$levels)
  experts <- paste0("expert", seq_len(K))
  dimnames(fit$model$experts) <- list(moe_coefficient_names(fit$model$family, d$levels, colnames(d$X)), experts)
  dimnames(fit$model$gate) <- list(colnames(d$Z), experts)
  for (name in c("sigma", "theta", "shape", "nu")) {
    if (length(fit$model[[name]])) names(fit$model[[name]]) <- experts
    if (length(fit$se[[name]])) names(fit$se[[name]]) <- experts
  }
  if (!is.null(fit$se)) {
    dimnames(fit$se$experts) <- dimnames(fit$model$experts)
    dimnames(fit$se$gate) <- dimnames(fit$model$gate)
  }
  fit
}

# Fit a gated mixture of experts.
moe <- function(formula, data, K, family = gaussian(), method = "em",
                control = moe_control(), starts = 30, start = NULL, responsibilities = NULL,
                weights = NULL, fixed = NULL, group = NULL, point_mass = NULL, nu = NULL, covariance = NULL,
                na.action = stats::na.omit) {
  call <- match.call()
  family <- moe_family(family)
  moe_check_point_mass(point_mass)
  moe_check_nu(nu, family)
  control <- moe_control_of(control)
  method_name <- moe_method_name(method, control$step)
  families <- moe_families()
  if (control$common_sigma && !families$scale[families$name == family])
    stop("moe(): 'common_sigma' is for ", paste(families$name[families$scale], collapse = " and "),
         " experts only", call. = FALSE)
  if (missing(data)) data <- environment(formula)
  d <- moe_design(formula, data, family, na.action, substitute(weights), fixed, group)
  if (!is.null(d$Y))
    return(moe_multivariate(match.call(), formula, d, if (!missing(K)) K, covariance, method, control, starts, start,
                            responsibilities, point_mass, nu))
  if (!is.null(covariance))
    stop("moe(): 'covariance' needs several responses, cbind(y1, y2, ...) ~ ... (multivariate Gaussian experts)",
         call. = FALSE)
  if (!moe_whole(starts, 1, 100000))
    stop("moe(): 'starts' must be a whole number from 1 to 100000", call. = FALSE)
  if (missing(K)) K <- NULL
  if (!is.null(responsibilities)) {
    responsibilities <- moe_responsibilities(responsibilities)
    if (!is.null(K) && !identical(as.numeric(K), as.numeric(ncol(responsibilities))))
      stop("moe(): 'K' must equal the number of columns of 'responsibilities'", call. = FALSE)
    K <- ncol(responsibilities)
  }
  if (!is.null(start)) {
    start <- moe_start(start, d, family, control$common_sigma, point_mass)
    if (is.null(K)) K <- ncol(start$experts)
    if (!identical(as.numeric(K), as.numeric(ncol(start$experts))))
      stop("moe(): 'K' must equal the number of experts in 'start'", call. = FALSE)
  }
  if (is.null(K)) stop("moe(): 'K' is missing (give K, 'start' or 'responsibilities')", call. = FALSE)
  moe_check(d, K, family, point_mass)
  if (!is.null(responsibilities) && nrow(responsibilities) != nrow(d$X))
    stop("moe(): 'responsibilities' must have one row per observation used", call. = FALSE)
  cpp_control <- c(control, list(starts = as.integer(starts), nu = if (is.null(nu)) 0 else nu))
  seed <- floor(stats::runif(1) * 2147483647)  # from R's RNG: set.seed() reproduces a fit
  used <- moe_used_rows(d$weights, length(d$y))
  rows_used <- function(v) moe_rows_of(v, used)
  fit <- moe_core("moe()", moe_fit_cpp(d$y[used], d$X[used, , drop = FALSE], d$Z[used, , drop = FALSE],
                                       rows_used(d$weights), rows_used(d$offset), rows_used(d$trials),
                                       as.integer(K), family,
                                       method_name, cpp_control, seed, start,
                                       if (!is.null(responsibilities)) responsibilities[used, , drop = FALSE],
                                       control$se, control$verbose, as.integer(d$shared), rows_used(d$group),
                                       d$group_names, as.numeric(point_mass)))
  if (fit$stop_reason %in% c("numerical_error", "diverged"))
    warning(sprintf("moe(): the %s fit stopped after %d iterations (%s%s): it is not a maximum",
                    method, fit$iterations, fit$stop_reason, if (nzchar(fit$message)) paste(":", fit$message) else ""),
            call. = FALSE)
  if (nzchar(fit$boundary_warning)) warning("moe(): ", fit$boundary_warning, call. = FALSE)
  for (w in fit$multistart$warnings) warning("moe(): ", w, call. = FALSE)
  fit$boundary_warning <- NULL
  fit <- moe_name(fit, d, K)
  ev <- moe_evaluate_cpp(fit$model, d$y, d$X, d$Z, d$offset, d$trials, TRUE, d$group)
  rows <- rownames(d$X)  # the data's row names, kept on fitted values as lm does
  fitted <- if (family == "multinomial") `dimnames<-`(ev$levels, list(rows, d$levels)) else stats::setNames(ev$mean, rows)
  structure(c(fit, list(call = call, formula = formula, family = family, K = as.integer(K),
                        method = method, nobs = if (length(d$weights)) sum(d$weights) else length(d$y),
                        weights = if (length(d$weights)) stats::setNames(d$weights, rows),
                        offset = if (length(d$offset)) stats::setNames(d$offset, rows),
                        trials = if (length(d$trials)) stats::setNames(d$trials, rows),
                        group = if (length(d$group)) stats::setNames(d$group, rows), group_variable = d$group_variable,
                        y = d$y, X = d$X, Z = d$Z,
                        fitted = fitted,
                        posterior = `dimnames<-`(ev$posterior, list(rows, colnames(fit$model$experts))),
                        expert_terms = d$expert_terms,
                        gate_terms = d$gate_terms, xlevels = d$xlevels, zlevels = d$zlevels,
                        na.action = d$na.action, response_levels = d$levels,
                        control = c(control, list(nu = if (is.null(nu)) 0 else nu)))),
            class = "moe")
}
