## Zero-inflated Poisson and negative binomial models as moe fits them (K = 2:
## one count expert and a point mass at 0, the zero state's share following the
## gate's covariates) against pscl::zeroinfl on the same data, on real data sets
## from Debian's R packages (not shipped with moe):
##  - pscl::zeroinfl(y ~ x | z, dist) with its defaults (BFGS from glm starts),
##    and again with EM = TRUE (its EM, then BFGS), the better ℓ kept as pscl's;
##  - moe with its defaults: set.seed(1); moe(y ~ x | z, data, K = 2, family,
##    point_mass = 0), 30 starts.
## Times are the median of 3 runs of each call in this R process (the data
## already loaded), from system.time's elapsed seconds.
##
## Usage: OPENBLAS_NUM_THREADS=1 Rscript bench/families/point_mass.R LIB
## (LIB: the R library that holds the moe build; needs r-cran-pscl, r-cran-aer,
## r-cran-glmmtmb and r-cran-lme4 for the data). Writes the markdown table on
## stdout and bench/families/point_mass.md.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1L) stop("usage: Rscript bench/families/point_mass.R LIB")
suppressMessages(library(moe, lib.loc = normalizePath(args[1L])))
suppressMessages(library(pscl))

data("bioChemists", package = "pscl")
data("prussian", package = "pscl")
data("RecreationDemand", package = "AER")
data("NMES1988", package = "AER")
data("Salamanders", package = "glmmTMB")
data("Owls", package = "glmmTMB")
data("grouseticks", package = "lme4")
Owls$logBroodSize <- log(Owls$BroodSize)

problems <- list(
  list(name = "bioChemists", data = bioChemists,
       formula = art ~ fem + mar + kid5 + phd + ment | fem + mar + kid5 + phd + ment),
  list(name = "prussian", data = prussian, formula = y ~ year | year),
  list(name = "RecreationDemand", data = RecreationDemand,
       formula = trips ~ quality + ski + income + userfee + costC + costS + costH | quality + income),
  list(name = "NMES1988", data = NMES1988,
       formula = visits ~ hospital + health + chronic + gender + school + insurance |
         hospital + chronic + insurance + school + gender),
  list(name = "Salamanders", data = Salamanders, formula = count ~ spp + mined | mined),
  list(name = "Owls", data = Owls,
       formula = SiblingNegotiation ~ FoodTreatment + ArrivalTime + offset(logBroodSize) | FoodTreatment),
  list(name = "grouseticks", data = grouseticks, formula = TICKS ~ YEAR + HEIGHT | YEAR + HEIGHT)
)

median_time <- function(f) {
  runs <- numeric(3)
  for (r in seq_along(runs)) runs[r] <- system.time(value <- f())[["elapsed"]]
  list(value = value, seconds = median(runs))
}

pscl_fit <- function(pr, dist) {
  fits <- lapply(c(FALSE, TRUE), function(em)
    tryCatch(zeroinfl(pr$formula, data = pr$data, dist = dist, control = zeroinfl.control(EM = em, reltol = 1e-12)),
             error = function(e) NULL))
  ll <- vapply(fits, function(f) if (is.null(f)) -Inf else as.numeric(logLik(f)), 0)
  list(loglik = max(ll), default = ll[1L], em = ll[2L])
}

moe_fit <- function(pr, family) {
  set.seed(1)
  moe(pr$formula, data = pr$data, K = 2, family = family, point_mass = 0)
}

rows <- list()
for (pr in problems) {
  for (dist in c("poisson", "negbin")) {
    cat(pr$name, dist, "\n", file = stderr())
    peer <- median_time(function() pscl_fit(pr, dist))
    ours <- median_time(function() moe_fit(pr, if (dist == "poisson") "poisson" else "negbin"))
    y <- model.response(model.frame(pr$formula, pr$data))
    rows[[length(rows) + 1L]] <- data.frame(
      data = pr$name, n = length(y), zeros = round(mean(y == 0), 3), family = dist,
      pscl_default = sprintf("%.4f", peer$value$default), pscl_em = sprintf("%.4f", peer$value$em),
      moe = sprintf("%.4f", ours$value$loglik), difference = sprintf("%+.1e", ours$value$loglik - peer$value$loglik),
      verdict = if (ours$value$loglik >= peer$value$loglik - 1e-6 * abs(peer$value$loglik)) {
        if (ours$value$loglik > peer$value$loglik + 1e-6 * abs(peer$value$loglik)) "moe higher" else "equal"
      } else "moe LOWER",
      pscl_s = sprintf("%.3f", peer$seconds / 2), moe_s = sprintf("%.3f", ours$seconds),
      stringsAsFactors = FALSE)
  }
}
table <- do.call(rbind, rows)
header <- c("data", "n", "share of zeros", "family", "pscl ℓ (BFGS)", "pscl ℓ (EM = TRUE)", "moe ℓ",
            "moe − pscl best", "verdict", "pscl s per fit", "moe s")
lines <- c(paste("|", paste(header, collapse = " | "), "|"), paste0("|", strrep("---|", length(header))),
           apply(table, 1L, function(r) paste("|", paste(r, collapse = " | "), "|")))
writeLines(lines)
writeLines(lines, "bench/families/point_mass.md")
