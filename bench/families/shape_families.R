## Negative binomial and gamma experts on real data sets from Debian's R
## packages (not shipped), against the peers that exist for them:
##  - K = 1: MASS::glm.nb (negbin) and glm(Gamma(link = "log")) with
##    MASS::gamma.shape's MLE of the shape (gamma);
##  - K = 2 and 3: no Debian package fits mixtures of either family (flexmix
##    has no negative binomial, and its FLXMRglm(family = "Gamma") uses the
##    inverse link with a moment shape), so the peer is a direct maximization of
##    the same mixture likelihood written out in R: optim(BFGS) from 30 random
##    starts (coefficients of glm's K = 1 fit plus N(0, 1) noise, log shapes of
##    the K = 1 fit plus N(0, 0.5²), gate logits 0), the best ℓ kept. moe is
##    called with its defaults (set.seed(1); moe(formula, data, K, family)).
##    Also moe's Poisson fit of the same K, which the negbin fit must not be
##    below (it nests it).
##
## Usage: OPENBLAS_NUM_THREADS=1 Rscript bench/families/shape_families.R LIB
## (LIB: the R library that holds the moe build). Writes the markdown table on
## stdout and bench/families/shape_families.md.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1L) stop("usage: Rscript bench/families/shape_families.R LIB")
suppressMessages(library(moe, lib.loc = normalizePath(args[1L])))
suppressMessages({ library(MASS); library(flexmix) })

data("bioChemists", package = "flexmix")
data("fabricfault", package = "flexmix")
problems <- list(
  list(name = "quine", family = "negbin", formula = Days ~ Eth + Sex + Age + Lrn, data = MASS::quine),
  list(name = "bioChemists", family = "negbin", formula = art ~ fem + mar + kid5 + phd + ment, data = bioChemists),
  list(name = "epil", family = "negbin", formula = y ~ lbase + trt + lage + V4, data = MASS::epil),
  list(name = "fabricfault", family = "negbin", formula = Faults ~ log(Length), data = fabricfault),
  list(name = "cats", family = "gamma", formula = Hwt ~ Bwt, data = MASS::cats),
  list(name = "faithful", family = "gamma", formula = eruptions ~ waiting, data = datasets::faithful),
  list(name = "geyser", family = "gamma", formula = duration ~ waiting, data = MASS::geyser),
  list(name = "cars", family = "gamma", formula = dist ~ speed, data = datasets::cars)
)

# log f of every row and expert: n×K
log_density <- function(family, y, mu, shape)
  if (family == "negbin") dnbinom(y, size = shape, mu = mu, log = TRUE) else
    dgamma(y, shape = shape, rate = shape / mu, log = TRUE)

# The K-expert mixture's ℓ with constant gate logits, parameters packed as
# (K × p coefficients, K log shapes, K − 1 logits).
mixture_loglik <- function(par, family, y, X, K) {
  p <- ncol(X)
  B <- matrix(par[seq_len(p * K)], p, K)
  shape <- exp(par[p * K + seq_len(K)])
  logits <- c(par[p * K + K + seq_len(K - 1L)], 0)
  log_pi <- logits - max(logits) - log(sum(exp(logits - max(logits))))
  L <- sapply(seq_len(K), function(k) log_pi[k] + log_density(family, y, exp(X %*% B[, k]), shape[k]))
  m <- apply(L, 1L, max)
  sum(m + log(rowSums(exp(L - m))))
}

one_expert <- function(pr) {
  if (pr$family == "negbin") {
    g <- glm.nb(pr$formula, data = pr$data, control = glm.control(epsilon = 1e-12, maxit = 200))
    return(list(coef = coef(g), shape = g$theta, loglik = as.numeric(logLik(g))))
  }
  g <- glm(pr$formula, family = Gamma(link = "log"), data = pr$data, control = glm.control(epsilon = 1e-15, maxit = 1000))
  shape <- gamma.shape(g, it.lim = 100, eps.max = 1e-12)$alpha
  y <- model.response(model.frame(pr$formula, pr$data))
  list(coef = coef(g), shape = shape, loglik = sum(dgamma(y, shape = shape, rate = shape / fitted(g), log = TRUE)))
}

direct_best <- function(pr, K, one, starts = 30) {
  mf <- model.frame(pr$formula, pr$data)
  y <- model.response(mf)
  X <- model.matrix(pr$formula, mf)
  set.seed(2)
  best <- -Inf
  for (s in seq_len(starts)) {
    par <- c(rep(one$coef, K) + rnorm(length(one$coef) * K), log(one$shape) + rnorm(K, sd = 0.5), rep(0, K - 1L))
    fit <- tryCatch(optim(par, mixture_loglik, family = pr$family, y = y, X = X, K = K, method = "BFGS",
                          control = list(fnscale = -1, maxit = 5000, reltol = 1e-12)),
                    error = function(e) NULL)
    if (!is.null(fit) && is.finite(fit$value)) best <- max(best, fit$value)
  }
  best
}

rows <- list()
for (pr in problems) {
  one <- one_expert(pr)
  for (K in 1:3) {
    set.seed(1)
    time <- system.time(fit <- moe(pr$formula, data = pr$data, K = K, family = pr$family))[["elapsed"]]
    peer_time <- system.time(peer <- if (K == 1) one$loglik else direct_best(pr, K, one))[["elapsed"]]
    poisson <- if (pr$family == "negbin") { set.seed(1); moe(pr$formula, data = pr$data, K = K, family = "poisson")$loglik } else NA
    rows[[length(rows) + 1L]] <- data.frame(
      problem = pr$name, family = pr$family, K = K, n = nrow(pr$data),
      peer = if (K == 1) (if (pr$family == "negbin") "MASS::glm.nb" else "glm + gamma.shape") else "optim, best of 30",
      peer_loglik = peer, peer_s = peer_time, moe_loglik = fit$loglik, moe_s = time,
      difference = fit$loglik - peer, moe_poisson = poisson,
      shapes = paste(format(fit$model[[if (pr$family == "negbin") "theta" else "shape"]], digits = 4), collapse = ", "))
  }
}
tab <- do.call(rbind, rows)
fmt <- function(v, d = 4) ifelse(is.na(v), "—", formatC(v, format = "f", digits = d))
lines <- c("| data | family | K | n | peer | peer ℓ | peer (s) | moe ℓ | moe (s) | moe − peer | moe Poisson ℓ | moe's θ or ν |",
           "|---|---|--:|--:|---|--:|--:|--:|--:|--:|--:|---|",
           sprintf("| %s | %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s |", tab$problem, tab$family, tab$K, tab$n,
                   tab$peer, fmt(tab$peer_loglik), fmt(tab$peer_s, 2), fmt(tab$moe_loglik), fmt(tab$moe_s, 2),
                   formatC(tab$difference, format = "e", digits = 1), fmt(tab$moe_poisson), tab$shapes))
writeLines(lines)
here <- local({
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg)) dirname(normalizePath(sub("^--file=", "", file_arg[1L]))) else "bench/families"
})
writeLines(lines, file.path(here, "shape_families.md"))
