# The core's registries of estimators and families (methods.hpp, family.hpp):
# what moe() and moe_compare() accept and check.

moe_methods <- function() moe_methods_cpp()

moe_families <- function() moe_families_cpp()

# Internal: the name of a family's per-expert dispersion in fit$model ("sigma",
# "theta"), or "" when it has none.
moe_dispersion_name <- function(family) {
  known <- moe_families()
  known$dispersion[known$name == family]
}

# Internal: the estimator name the C++ core understands ("mirror:0.3"), from an
# estimator of the registry and control$step; `who` names the caller in errors.
moe_method_name <- function(method, step, who = "moe()") {
  known <- moe_methods()
  if (!is.character(method) || length(method) != 1L || is.na(method))
    stop(who, ": 'method' must be one of ", paste(known$name, collapse = ", "), call. = FALSE)
  entry <- known[known$name == method, ]
  if (nrow(entry) != 1L)
    stop(who, ": unknown method '", method, "' (use ", paste(known$name, collapse = ", "), ")", call. = FALSE)
  if (!is.null(step) && entry$step == "none")
    stop(who, ": method '", method, "' takes no step", call. = FALSE)
  if (is.null(step) && entry$step == "required")
    stop(who, ": method '", method, "' needs a step (control$step: ", entry$step_help, ")", call. = FALSE)
  if (is.null(step)) method else paste0(method, ":", format(step, digits = 17))
}
