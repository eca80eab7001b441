# Plots of fitted models and of comparisons.

# Internal: graphics::plot() with these arguments, any of which the caller's
# `...` (main, xlab, col, ...) replaces.
moe_plot <- function(defaults, ...) do.call(graphics::plot, utils::modifyList(defaults, list(...)))

# which = "trace": the log-likelihood path and its gap to the final value.
# which = "fit" (one expert covariate): the data coloured by their most likely
# expert with each expert's mean line, and the gate probabilities below.
plot.moe <- function(x, which = c("trace", "fit"), ...) {
  which <- match.arg(which)
  if (is.null(x$X)) stop("plot.moe(): a model read from a file has no data or trace to plot", call. = FALSE)
  covariates <- setdiff(colnames(x$X), "(Intercept)")
  if (which == "fit" && length(covariates) != 1L)
    stop("plot.moe(): which = \"fit\" needs exactly one expert covariate", call. = FALSE)
  old <- graphics::par(no.readonly = TRUE)
  on.exit(graphics::par(old))
  if (which == "trace") {
    graphics::par(mfrow = c(1, 2))
    tr <- x$trace
    moe_plot(list(tr$iteration, tr$loglik, type = "l", xlab = "iteration", ylab = "log-likelihood",
                  main = "Log-likelihood"), ...)
    gap <- pmax((max(tr$loglik) - tr$loglik) / abs(max(tr$loglik)), 1e-16)
    moe_plot(list(tr$iteration, gap, type = "l", log = "y", xlab = "iteration",
                  ylab = "(final - loglik) / |final|", main = "Relative gap to the final value"), ...)
    return(invisible(x))
  }
  t <- x$X[, covariates]
  order_t <- order(t)
  colours <- grDevices::hcl.colors(x$K, "Dark 3")
  graphics::par(mfrow = c(2, 1), mar = c(4, 4, 2, 1))
  moe_plot(list(t, x$y, col = colours[max.col(x$posterior)], pch = 19, cex = 0.7, xlab = covariates,
                ylab = "response", main = "Data by most likely expert, expert means"), ...)
  parts <- moe_fitted_parts(x)
  means <- parts$experts
  for (k in seq_len(x$K)) graphics::lines(t[order_t], means[order_t, k], col = colours[k], lwd = 2)
  graphics::lines(t[order_t], x$fitted[order_t], lty = 2)
  gate <- `colnames<-`(parts$gate, colnames(x$model$experts))
  graphics::matplot(t[order_t], gate[order_t, , drop = FALSE], type = "l", lty = 1, lwd = 2, col = colours,
                    xlab = covariates, ylab = "gate probability", main = "Gate", ylim = c(0, 1))
  graphics::legend("right", legend = colnames(gate), col = colours, lwd = 2, bty = "n")
  invisible(x)
}
