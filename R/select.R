# Choosing the number of experts: one fit per K, compared by AIC, BIC or ICL.

moe_select <- function(formula, data, K = 1:4, criterion = c("BIC", "AIC", "ICL"), covariance = NULL, ...) {
  criterion <- match.arg(toupper(criterion), c("BIC", "AIC", "ICL"))
  if (!is.numeric(K) || length(K) == 0L || !all(vapply(K, moe_whole, logical(1), low = 1)))
    stop("moe_select(): 'K' must be whole numbers >= 1", call. = FALSE)
  if (anyDuplicated(K)) stop("moe_select(): K = ", K[anyDuplicated(K)], " is listed twice", call. = FALSE)
  if (missing(data)) data <- environment(formula)
  if (moe_is_multivariate(formula, covariance, list(...)$family))
    return(moe_select_multivariate(formula, data, K, covariance, criterion, ...))
  call <- match.call()
  call[[1L]] <- quote(moe)
  call$criterion <- NULL
  fit <- function(k) {
    f <- moe(formula, data, K = k, ...)
    call$K <- k
    f$call <- call  # the call that makes this fit (for print and update)
    f
  }
  # the largest K first: too few rows for it fails before the other fits
  fits <- vector("list", length(K))
  for (i in order(K, decreasing = TRUE)) fits[[i]] <- fit(K[i])
  names(fits) <- paste0("K", K)
  field <- function(name) vapply(fits, function(f) as.numeric(f[[name]]), numeric(1))
  table <- data.frame(K = as.integer(K), loglik = field("loglik"), df = as.integer(field("df")),
                      AIC = vapply(fits, stats::AIC, numeric(1)), BIC = vapply(fits, stats::BIC, numeric(1)),
                      ICL = field("icl"), iterations = as.integer(field("iterations")),
                      converged = as.logical(field("converged")), row.names = NULL)
  best <- which.min(table[[criterion]])
  structure(list(table = table, fits = fits, best = fits[[best]], criterion = criterion),
            class = "moe_select")
}

print.moe_select <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  shown <- x$table
  shown$chosen <- ifelse(seq_len(nrow(shown)) == which.min(shown[[x$criterion]]), paste("<- smallest", x$criterion), "")
  print(shown, digits = digits, row.names = FALSE)
  invisible(x)
}
