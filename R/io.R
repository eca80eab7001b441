# The model file (the core's io.hpp): a fit's model with the names its designs
# are built from, as the versioned JSON that `moe fit --out` writes and
# `moe predict` and `moe simulate --model` read.

# Writes the model of `fit` (from moe() or moe_read()) to `path`.
moe_write <- function(fit, path) {
  if (!inherits(fit, "moe"))
    stop("moe_write(): 'fit' must be a fit made by moe() or read by moe_read()", call. = FALSE)
  moe_check_path(path, "moe_write()")
  s <- moe_specification(fit)
  moe_core("moe_write()", moe_write_cpp(moe_fixed_last(fit$model), s$response, s$x, s$x_fixed, s$z, s$intercept,
                                        s$offset, s$group, s$levels, path.expand(path)))
  invisible(path)
}

# Reads a model file into a "moe" object that predict(), simulate(), coef(),
# print() and summary() take; it holds no data, so predict() and simulate()
# need 'newdata'.
moe_read <- function(path) {
  moe_check_path(path, "moe_read()")
  saved <- moe_core("moe_read()", moe_read_cpp(path.expand(path)))
  s <- saved[c("response", "x", "x_fixed", "z", "intercept", "offset", "group", "levels")]
  expert_rhs <- moe_rhs(c(s$x, s$x_fixed), s$intercept, if (nzchar(s$offset)) s$offset)
  gate_rhs <- moe_rhs(s$z, s$intercept)
  formula <- stats::as.formula(call("~", moe_term(s$response), call("|", expert_rhs, gate_rhs)), env = globalenv())
  K <- ncol(saved$model$experts)
  experts <- paste0("expert", seq_len(K))
  expert_terms <- stats::terms(stats::as.formula(call("~", expert_rhs)))
  columns <- c(if (s$intercept) "(Intercept)", s$x, s$x_fixed)
  model <- saved$model
  if (length(s$levels))  # multinomial experts: no shared rows to reorder
    rownames(model$experts) <- moe_coefficient_names("multinomial", s$levels, columns)
  else
    model <- moe_in_term_order(model, columns, expert_terms)
  colnames(model$experts) <- experts
  dimnames(model$gate) <- list(c(if (s$intercept) "(Intercept)", s$z), experts)
  for (name in c("sigma", "theta", "shape", "nu")) if (length(model[[name]])) names(model[[name]]) <- experts
  structure(list(model = model, family = model$family, K = K, method = "a model file", call = match.call(),
                 formula = formula, expert_terms = expert_terms,
                 gate_terms = stats::terms(stats::as.formula(call("~", gate_rhs))), specification = s,
                 group_variable = if (nzchar(s$group)) s$group, response_levels = if (length(s$levels)) s$levels,
                 loglik = NA_real_, df = saved$df, nobs = NA_integer_, iterations = NA_integer_,
                 converged = NA, stop_reason = "read from a file"),
            class = "moe")
}

# Internal: `model` with its expert rows named `names` and put in the order of
# the columns that model.matrix() makes from `terms` (which puts main effects
# before interactions: a fixed x after x:w in the file comes first there).
moe_in_term_order <- function(model, names, terms) {
  labels <- c(if (attr(terms, "intercept")) "(Intercept)", attr(terms, "term.labels"))
  order <- match(labels, names)
  if (anyNA(order) || length(order) != length(names)) order <- seq_along(names)  # a name that is not one term
  model$experts <- model$experts[order, , drop = FALSE]
  rownames(model$experts) <- names[order]
  model$shared <- which(order %in% model$shared)
  model
}

# Internal: a file name, checked.
moe_check_path <- function(path, who) {
  if (!is.character(path) || length(path) != 1L || is.na(path) || !nzchar(path))
    stop(who, ": 'path' must be one file name", call. = FALSE)
}

# Internal: what a model file names (io.hpp's Specification): the response, the
# design columns without the intercept, whether both designs have one, and the
# offset's column (its expression in the formula: offset(log(t)) gives "log(t)").
moe_specification <- function(fit) {
  if (!is.null(fit$specification)) return(fit$specification)
  if (length(fit$trials))
    stop("moe_write(): a model file names a column of trials, and this fit's response is cbind(successes, ",
         "failures); fit with `moe fit --trials COLUMN` to write one", call. = FALSE)
  x <- rownames(fit$model$experts)
  levels <- if (fit$family == "multinomial") fit$response_levels else character(0)
  if (length(levels)) x <- substring(x[seq_len(length(x) / (length(levels) - 1L))], nchar(levels[2L]) + 2L)
  x_fixed <- x[fit$model$shared]
  x <- setdiff(x, x_fixed)
  z <- rownames(fit$model$gate)
  intercept <- c("(Intercept)" %in% x, "(Intercept)" %in% z)
  if (intercept[1L] != intercept[2L])
    stop("moe_write(): a model file has one intercept setting for both designs, and this fit has an intercept in ",
         if (intercept[1L]) "the experts' design" else "the gate's design", " only", call. = FALSE)
  offset <- ""
  if (length(fit$offset)) {
    at <- attr(fit$expert_terms, "offset")
    if (length(at) != 1L)
      stop("moe_write(): a model file holds one offset column, and this fit has ", length(at), " offset() terms",
           call. = FALSE)
    offset <- paste(deparse(attr(fit$expert_terms, "variables")[[at + 1L]][[2L]]), collapse = "")
  }
  list(response = paste(deparse(fit$formula[[2L]]), collapse = ""), x = setdiff(x, "(Intercept)"),
       x_fixed = x_fixed, z = setdiff(z, "(Intercept)"), intercept = intercept[1L], offset = offset,
       group = if (is.null(fit$group_variable)) "" else fit$group_variable, levels = levels)
}

# Internal: `model` with its shared expert rows moved after the others, the
# order of a model file's expert design (x, then x_fixed).
moe_fixed_last <- function(model) {
  shared <- model$shared
  if (!length(shared)) return(model)
  model$experts <- model$experts[c(setdiff(seq_len(nrow(model$experts)), shared), shared), , drop = FALSE]
  model$shared <- seq(nrow(model$experts) - length(shared) + 1L, nrow(model$experts))
  model
}

# Internal: a name of a model file as a formula term: the expression it spells
# (log(t) stays a call), else the column of that name.
moe_term <- function(name) tryCatch(str2lang(name), error = function(e) as.name(name))

# Internal: the right-hand side of a design from its column names.
moe_rhs <- function(names, intercept, offset = NULL) {
  terms <- c(lapply(names, moe_term), if (!is.null(offset)) list(call("offset", moe_term(offset))))
  rhs <- if (length(terms)) Reduce(function(a, b) call("+", a, b), terms) else 1
  if (intercept) rhs else call("-", rhs, 1)
}
