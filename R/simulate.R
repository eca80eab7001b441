# Responses drawn from a fitted model, and the parametric bootstrap test of the
# number of experts built on them.

# As stats::simulate: a data frame with one column per simulation (rows: the
# rows the fit used, or those of 'newdata'), attribute "seed" (the RNG state or
# seed used, R's convention) and "experts" (the expert each draw came from).
simulate.moe <- function(object, nsim = 1, seed = NULL, newdata = NULL, ...) {
  if (!moe_whole(nsim, 1, .Machine$integer.max))
    stop("simulate.moe(): 'nsim' must be a whole number from 1 to ", .Machine$integer.max, call. = FALSE)
  d <- moe_rows(object, newdata, FALSE, "simulate.moe()")
  moe_require_trials(object, d, "simulate.moe()")
  moe_require_groups(object, d, "simulate.moe()")
  seeded <- moe_seeded(seed, function(cpp_seed)
    moe_core("simulate.moe()", moe_sample_cpp(object$model, d$X, d$Z, d$offset, d$trials, as.integer(nsim), cpp_seed,
                                              as.integer(d$group))))
  draws <- seeded$value
  out <- as.data.frame(draws$y)
  names(out) <- paste0("sim_", seq_len(nsim))
  rownames(out) <- rownames(d$X)
  levels <- object$response_levels  # a factor response is simulated as a factor with its levels
  if (!is.null(levels)) out[] <- lapply(out, function(y) factor(levels[y + 1], levels = levels))
  attr(out, "seed") <- seeded$seed
  attr(out, "experts") <- `storage.mode<-`(draws$labels, "integer")
  out
}

# Internal: draw(cpp_seed) under stats::simulate's seed convention (NULL
# continues R's RNG, a number seeds it for this call only), the C++ seed drawn
# from R's RNG; list(value = its result, seed = the RNG state or seed used).
moe_seeded <- function(seed, draw) {
  if (!exists(".Random.seed", envir = .GlobalEnv, inherits = FALSE)) stats::runif(1)
  if (is.null(seed)) {
    state <- get(".Random.seed", envir = .GlobalEnv)
  } else {
    saved <- get(".Random.seed", envir = .GlobalEnv)
    on.exit(assign(".Random.seed", saved, envir = .GlobalEnv))
    set.seed(seed)
    state <- structure(seed, kind = as.list(RNGkind()))
  }
  list(value = draw(floor(stats::runif(1) * 2147483647)), seed = state)
}

# H0: K experts against H1: K + 1, by the parametric bootstrap of the
# likelihood ratio statistic (McLachlan, 1987): B data sets are drawn from the
# H0 fit, both models are fitted to each, and the p-value is the share of
# bootstrap statistics at least as large as the observed one, (1 + #) / (B + 1).
moe_boot_lrt <- function(formula, data, K = 1, B = 99, family = gaussian(), method = "em",
                         control = moe_control(), starts = 30, weights = NULL, group = NULL, point_mass = NULL,
                         verbose = FALSE) {
  weights <- substitute(weights)  # a variable of data, or a vector
  if (!moe_whole(K, 1))
    stop("moe_boot_lrt(): 'K' must be a whole number >= 1", call. = FALSE)
  if (!moe_whole(B, 1))
    stop("moe_boot_lrt(): 'B' must be a whole number >= 1", call. = FALSE)
  if (missing(data)) data <- environment(formula)
  if (!is.data.frame(data)) stop("moe_boot_lrt(): 'data' must be a data frame", call. = FALSE)
  response <- formula[[2L]]
  if (!is.name(response))
    stop("moe_boot_lrt(): the response must be a variable of 'data', not an expression (", deparse(response), ")",
         call. = FALSE)
  if (!is.null(weights)) data <- moe_repeat_rows(data, eval(weights, data, environment(formula)))
  control <- utils::modifyList(moe_control_of(control), list(se = FALSE))
  fit <- function(d, k) moe(formula, d, K = k, family = family, method = method, control = control, starts = starts,
                            group = group, point_mass = point_mass)
  statistic <- function(d) {
    h0 <- fit(d, K)
    h1 <- fit(d, K + 1)
    list(h0 = h0, h1 = h1, value = 2 * (h1$loglik - h0$loglik))
  }
  observed <- statistic(data)
  # the two fits to the data get the call that makes them (for print and update)
  call <- match.call()
  call[[1L]] <- quote(moe)
  call[c("B", "verbose")] <- NULL
  call$K <- K
  observed$h0$call <- call
  call$K <- K + 1
  observed$h1$call <- call
  used <- if (is.null(observed$h0$na.action)) data else data[-observed$h0$na.action, , drop = FALSE]
  draws <- simulate(observed$h0, nsim = B)
  boot <- vapply(seq_len(B), function(b) {
    d <- used
    d[[as.character(response)]] <- draws[[b]]
    value <- statistic(d)$value
    if (verbose) message(sprintf("bootstrap %d/%d: LRT %.4g", b, B, value))
    value
  }, numeric(1))
  structure(list(statistic = c(LRT = observed$value), parameter = c(B = B),
                 p.value = (1 + sum(boot >= observed$value)) / (B + 1),
                 method = sprintf("Parametric bootstrap likelihood ratio test of K = %d against K = %d experts",
                                  K, K + 1),
                 data.name = paste(deparse(formula), collapse = " "), boot = boot, h0 = observed$h0, h1 = observed$h1),
            class = "htest")
}

# Internal: the rows of `data` repeated as often as their frequency weights say
# (whole numbers >= 0), so that every replicate gets its own bootstrap draw.
moe_repeat_rows <- function(data, weights) {
  if (!is.numeric(weights) || length(weights) != nrow(data) || anyNA(weights) || any(!is.finite(weights)) ||
      any(weights < 0) || any(weights != round(weights)) || sum(weights) == 0)
    stop("moe_boot_lrt(): 'weights' must be whole numbers >= 0, one per row of 'data', not all 0 ",
         "(frequency weights: each row is repeated that often)", call. = FALSE)
  data[rep(seq_len(nrow(data)), weights), , drop = FALSE]
}
