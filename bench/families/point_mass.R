## Zero-inflated Poisson and negative binomial models as moe fits them (K = 2:
## one count expert and a point mass at 0, the zero state's share following the
## gate's covariates) against pscl::zeroinfl on the same data, on real data sets
## from Debian's R packages (not shipped with moe):
##  - pscl::zeroinfl(y ~ x | z, dist, control = zeroinfl.control(reltol = 1e-12)):
##    BFGS from glm's starts (its EM = TRUE option fails in pscl 1.5.5 with
##    "object 'model_count' not found", so it is not used);
##  - moe with its defaults: set.seed(1); moe(y ~ x | z, data, K = 2, family,
##    point_mass = 0), 30 starts, EM to a relative change of ℓ below 1e-8;
##    and the same with tol = 1e-12 (ℓ only).
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

pscl_fit <- function(pr, dist)
  as.numeric(logLik(zeroinfl(pr$formula, data = pr$data, dist = dist, control = zeroinfl.control(reltol = 1e-12))))

moe_fit <- function(pr, family, tol = 1e-8) {
  set.seed(1)
  moe(pr$formula, data = pr$data, K = 2, family = family, point_mass = 0, control = moe_control(tol = tol))$loglik
}

rows <- list()
for (pr in problems) {
  for (dist in c("poisson", "negbin")) {
    cat(pr$name, dist, "\n", file = stderr())
    peer <- median_time(function() pscl_fit(pr, dist))
    ours <- median_time(function() moe_fit(pr, dist))
    tight <- moe_fit(pr, dist, tol = 1e-12)
    y <- pr$data[[all.vars(pr$formula)[1L]]]
    gap <- function(l) sprintf("%+.1e", l - peer$value)
    rows[[length(rows) + 1L]] <- data.frame(
      data = pr$name, n = length(y), zeros = sprintf("%.2f", mean(y == 0)), family = dist,
      pscl = sprintf("%.4f", peer$value), moe = sprintf("%.4f", ours$value), difference = gap(ours$value),
      tight = gap(tight),
      verdict = if (ours$value >= peer$value - 1e-3) { if (ours$value > peer$value + 1e-3) "moe higher" else "same maximum" }
                else "moe LOWER",
      pscl_s = sprintf("%.3f", peer$seconds), moe_s = sprintf("%.3f", ours$seconds),
      ratio = sprintf("%.0f", ours$seconds / peer$seconds), stringsAsFactors = FALSE)
  }
}
table <- do.call(rbind, rows)
header <- c("data", "n", "share of zeros", "family", "pscl ℓ", "moe ℓ", "moe − pscl", "moe − pscl, tol 1e-12",
            "verdict (±1e-3)", "pscl s", "moe s", "moe / pscl time")
lines <- c(paste("|", paste(header, collapse = " | "), "|"), paste0("|", strrep("---|", length(header))),
           apply(table, 1L, function(r) paste("|", paste(r, collapse = " | "), "|")))
writeLines(lines)
writeLines(lines, "bench/families/point_mass.md")
