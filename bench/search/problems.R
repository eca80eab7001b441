## The benchmark problems of bench/search: real data sets, each with an expert
## formula, an optional gate formula, a family and a number of experts K.
##
##   source("bench/search/problems.R"); P <- problems()
##
## Every problem is a list with
##   name    unique identifier (used as the cache key in the CSV files)
##   source  where the data come from: the Debian package that ships the R
##           data set (read at run time with data(..., package =), never copied
##           into the repository), or "shipped: datasets/X.csv" for the CSV files
##           in this repository's datasets/ folder
##   data    the data.frame
##   expert  two-sided formula of the experts (may hold offset() terms)
##   gate    one-sided formula of the gate, or NULL for constant mixing weights
##   family  "gaussian", "binomial" (a 0/1 numeric response, or trials:
##           cbind(successes, failures) as glm's) or "poisson"
##   K       number of experts
##
## Debian packages needed (apt-get install -y --no-install-recommends ...):
##   r-cran-flexmix (seizure, bioChemists, fabricfault, salmonellaTA98, NPreg),
##   r-cran-mass (cats, whiteside, Boston, galaxies, geyser, quine, Insurance,
##   Pima.tr, birthwt, epil, mammals, hills, ships, crabs, snails, Cars93,
##   anorexia, nlschools, OME), r-base-core (package datasets: faithful, cars,
##   iris, InsectSprays, warpbreaks, quakes, mtcars, ChickWeight, airquality,
##   CO2, swiss, esoph, infert), r-cran-flexmix also dmft and tribolium,
##   r-cran-mixtools (CO2data, NOdata), r-cran-robustbase (starsCYG).
##
## Binomial responses are stored as numeric 0/1 columns so that every program
## reads the same response (flexmix needs cbind(y, 1 - y); see flexmix_best.R).

## The folder of this file, found when it is sourced (the scripts pass it on).
search_dir_of <- function() {
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg)) return(dirname(normalizePath(sub("^--file=", "", file_arg[1L]))))
  if (file.exists("bench/search/problems.R")) return(normalizePath("bench/search"))
  stop("run the bench/search scripts with Rscript from anywhere, or source them from the repository root")
}

## An R data set from an installed package, read at run time.
package_data <- function(name, package) {
  env <- new.env()
  utils::data(list = name, package = package, envir = env)
  get(name, envir = env)
}

problems <- function(root = normalizePath(file.path(search_dir_of(), "..", ".."))) {
  shipped <- function(file) utils::read.csv(file.path(root, "datasets", file))
  P <- list()
  ## fixed: expert terms that all experts share (moe's fixed =, flexmix's
  ## FLXMRglmfix); common_sigma: one sigma for all Gaussian experts (flexmix's
  ## varFix); group: a one-sided formula ~ id whose rows belong to one expert
  ## (moe's group =, flexmix's y ~ x | id).
  add <- function(name, source, data, expert, gate, family, K, fixed = NULL, common_sigma = FALSE, group = NULL) {
    stopifnot(is.data.frame(data), inherits(expert, "formula"), length(expert) == 3L,
              is.null(gate) || (inherits(gate, "formula") && length(gate) == 2L),
              is.null(fixed) || (inherits(fixed, "formula") && length(fixed) == 2L),
              is.null(group) || (inherits(group, "formula") && length(group) == 2L),
              family %in% c("gaussian", "binomial", "poisson"), K >= 2, !common_sigma || family == "gaussian")
    P[[length(P) + 1L]] <<- list(name = name, source = source, data = data, expert = expert,
                                 gate = gate, family = family, K = as.integer(K), fixed = fixed,
                                 common_sigma = common_sigma, group = group)
  }

  ## ---- flexmix (Debian r-cran-flexmix) ----
  ## Epileptic seizures of one patient, counts per observation period of Hours
  ## hours; the flexmix vignette's example (its best fit: logLik -376.18).
  add("seizure_pois_K2", "r-cran-flexmix", package_data("seizure", "flexmix"),
      Seizures ~ Treatment * log(Day) + offset(log(Hours)), NULL, "poisson", 2)
  ## Articles of 915 PhD biochemists against gender and the mentor's articles.
  add("bioChemists_pois_K2", "r-cran-flexmix", package_data("bioChemists", "flexmix"),
      art ~ fem + ment, NULL, "poisson", 2)
  ## Faults in 32 rolls of fabric against the roll length.
  add("fabricfault_pois_K2", "r-cran-flexmix", package_data("fabricfault", "flexmix"),
      Faults ~ log(Length), NULL, "poisson", 2)
  ## Ames test: revertant colonies against the dose of quinoline (18 plates).
  add("salmonellaTA98_pois_K2", "r-cran-flexmix", package_data("salmonellaTA98", "flexmix"),
      y ~ log(x + 10), NULL, "poisson", 2)
  ## flexmix's artificial two-class regression example (the flexmix help page's
  ## models: quadratic Gaussian, Poisson and logistic in x).
  npreg <- package_data("NPreg", "flexmix")
  add("NPreg_yn_K2", "r-cran-flexmix", npreg, yn ~ x + I(x^2), NULL, "gaussian", 2)
  add("NPreg_yp_pois_K2", "r-cran-flexmix", npreg, yp ~ x, NULL, "poisson", 2)
  add("NPreg_yb_binom_K2", "r-cran-flexmix", npreg, yb ~ x, NULL, "binomial", 2)

  ## ---- MASS (Debian r-cran-mass) ----
  cats <- package_data("cats", "MASS")
  ## Heart weight against body weight of 144 cats (two sexes, not given).
  add("cats_K2", "r-cran-mass", cats, Hwt ~ Bwt, NULL, "gaussian", 2)
  add("cats_gate_K2", "r-cran-mass", cats, Hwt ~ Bwt, ~ Bwt, "gaussian", 2)
  ## Gas consumption against outside temperature, before and after insulation.
  add("whiteside_K2", "r-cran-mass", package_data("whiteside", "MASS"),
      Gas ~ Temp, NULL, "gaussian", 2)
  ## Boston house prices against lower-status share and rooms, gated by lstat.
  add("Boston_gate_K3", "r-cran-mass", package_data("Boston", "MASS"),
      medv ~ lstat + rm, ~ lstat, "gaussian", 3)
  ## Velocities (1000 km/s) of 82 galaxies: a univariate normal mixture.
  galaxies <- data.frame(v = package_data("galaxies", "MASS") / 1000)
  add("galaxies_K3", "r-cran-mass", galaxies, v ~ 1, NULL, "gaussian", 3)
  add("galaxies_K4", "r-cran-mass", galaxies, v ~ 1, NULL, "gaussian", 4)
  add("galaxies_K5", "r-cran-mass", galaxies, v ~ 1, NULL, "gaussian", 5)
  ## Old Faithful (MASS's version, 299 eruptions): waiting time against duration.
  add("geyser_K3", "r-cran-mass", package_data("geyser", "MASS"),
      waiting ~ duration, NULL, "gaussian", 3)
  ## Days absent from school of 146 Australian children.
  add("quine_pois_K3", "r-cran-mass", package_data("quine", "MASS"),
      Days ~ Sex + Age, NULL, "poisson", 3)
  ## Car insurance claims against the driver's age, exposure log(Holders).
  add("Insurance_pois_K2", "r-cran-mass", package_data("Insurance", "MASS"),
      Claims ~ Age + offset(log(Holders)), NULL, "poisson", 2)
  ## Diabetes (Pima.tr, 200 women) against glucose and BMI, gated by age.
  pima_tr <- package_data("Pima.tr", "MASS")
  pima_tr$diabetes <- as.numeric(pima_tr$type == "Yes")
  add("PimaTr_binom_gate_K2", "r-cran-mass", pima_tr, diabetes ~ glu + bmi, ~ age, "binomial", 2)
  ## Low birth weight (< 2.5 kg) against the mother's weight.
  add("birthwt_binom_K2", "r-cran-mass", package_data("birthwt", "MASS"),
      low ~ lwt, NULL, "binomial", 2)
  ## Seizure counts of 59 epileptics over four periods (MASS's glm example terms).
  add("epil_pois_K3", "r-cran-mass", package_data("epil", "MASS"),
      y ~ lbase * trt + lage + V4, NULL, "poisson", 3)

  ## ---- datasets (part of R, Debian r-base-core) ----
  faithful <- package_data("faithful", "datasets")
  add("faithful_K2", "r-base-core", faithful, waiting ~ eruptions, NULL, "gaussian", 2)
  add("faithful_eruptions_K2", "r-base-core", faithful, eruptions ~ 1, NULL, "gaussian", 2)
  add("cars_K2", "r-base-core", package_data("cars", "datasets"), dist ~ speed, NULL, "gaussian", 2)

  ## ---- mixtools (Debian r-cran-mixtools) ----
  ## CO2 emissions per capita against GNP per capita of 28 countries.
  add("CO2data_K2", "r-cran-mixtools", package_data("CO2data", "mixtools"),
      CO2 ~ GNP, NULL, "gaussian", 2)
  ## Ethanol fuel: equivalence ratio against NO emissions.
  add("NOdata_K2", "r-cran-mixtools", package_data("NOdata", "mixtools"),
      Equivalence ~ NO, NULL, "gaussian", 2)

  ## ---- robustbase (Debian r-cran-robustbase) ----
  ## Hertzsprung-Russell diagram of the star cluster CYG OB1 (4 giants apart).
  add("starsCYG_K2", "r-cran-robustbase", package_data("starsCYG", "robustbase"),
      log.light ~ log.Te, NULL, "gaussian", 2)

  ## ---- binomial experts with trials: cbind(successes, failures) ----
  ## Deaths among the patients of 22 centres, treated or control (flexmix's example).
  betablocker <- package_data("betablocker", "flexmix")
  add("betablocker_trials_K2", "r-cran-flexmix", betablocker, cbind(Deaths, Total - Deaths) ~ Treatment, NULL,
      "binomial", 2)
  add("betablocker_trials_K3", "r-cran-flexmix", betablocker, cbind(Deaths, Total - Deaths) ~ Treatment, NULL,
      "binomial", 3)
  ## Responses among the patients of 22 sites, new drug or control.
  add("Mehta_trials_K2", "r-cran-flexmix", package_data("Mehta", "flexmix"),
      cbind(Response, Total - Response) ~ Drug, NULL, "binomial", 2)
  ## Girls past menarche among those of each age.
  add("menarche_trials_K2", "r-cran-mass", package_data("menarche", "MASS"),
      cbind(Menarche, Total - Menarche) ~ Age, NULL, "binomial", 2)

  ## ---- coefficients shared by all experts (fixed = ; flexmix's FLXMRglmfix) ----
  ## flexmix's ?FLXMRglmfix examples: faults of 32 fabric rolls, each expert its
  ## own rate, one elasticity in the roll's length; trypanosome deaths against
  ## the dose, each expert its own intercept, one slope in log(dose).
  add("fabricfault_fixed_pois_K2", "r-cran-flexmix", package_data("fabricfault", "flexmix"),
      Faults ~ 1, NULL, "poisson", 2, fixed = ~ log(Length))
  add("fabricfault_fixed_pois_K3", "r-cran-flexmix", package_data("fabricfault", "flexmix"),
      Faults ~ 1, NULL, "poisson", 3, fixed = ~ log(Length))
  add("trypanosome_fixed_binom_K2", "r-cran-flexmix", package_data("trypanosome", "flexmix"),
      Dead ~ 1, NULL, "binomial", 2, fixed = ~ log(Dose))
  ## Articles of PhD biochemists: two latent groups of productivity that
  ## share the effects of the covariates.
  add("bioChemists_fixed_pois_K2", "r-cran-flexmix", package_data("bioChemists", "flexmix"),
      art ~ 1, NULL, "poisson", 2, fixed = ~ fem + mar + kid5 + phd + ment)
  add("bioChemists_fixed_pois_K3", "r-cran-flexmix", package_data("bioChemists", "flexmix"),
      art ~ ment, NULL, "poisson", 3, fixed = ~ fem + mar + kid5 + phd)
  ## The seizure counts, treatment effect per expert, one trend in log(Day).
  add("seizure_fixed_pois_K2", "r-cran-flexmix", package_data("seizure", "flexmix"),
      Seizures ~ Treatment + offset(log(Hours)), NULL, "poisson", 2, fixed = ~ log(Day))
  ## Gaussian: NPreg's two lines sharing a quadratic term and one sigma
  ## (flexmix: varFix = TRUE, which makes its stacked least squares exact).
  add("NPreg_fixed_common_sigma_K2", "r-cran-flexmix", package_data("NPreg", "flexmix"),
      yn ~ x, NULL, "gaussian", 2, fixed = ~ I(x^2), common_sigma = TRUE)
  ## Deaths among the patients of 22 centres, treatment effect shared.
  add("betablocker_fixed_trials_K3", "r-cran-flexmix", betablocker, cbind(Deaths, Total - Deaths) ~ 1, NULL,
      "binomial", 3, fixed = ~ Treatment)

  ## ---- grouped rows (group = ~ id; flexmix's y ~ x | id) ----
  ## flexmix's vignette example: each centre's patients belong to one expert,
  ## the treatment effect is shared.
  add("betablocker_group_fixed_K2", "r-cran-flexmix", betablocker, cbind(Deaths, Total - Deaths) ~ 1, NULL,
      "binomial", 2, fixed = ~ Treatment, group = ~ Center)
  add("betablocker_group_fixed_K3", "r-cran-flexmix", betablocker, cbind(Deaths, Total - Deaths) ~ 1, NULL,
      "binomial", 3, fixed = ~ Treatment, group = ~ Center)
  ## The same for the 22 sites of the Mehta trial.
  add("Mehta_group_fixed_K2", "r-cran-flexmix", package_data("Mehta", "flexmix"),
      cbind(Response, Total - Response) ~ 1, NULL, "binomial", 2, fixed = ~ Drug, group = ~ Site)
  ## NPreg's id2: 50 groups of 4 rows, each group from one expert (flexmix's ?NPreg).
  NPreg <- package_data("NPreg", "flexmix")
  add("NPreg_group_K2", "r-cran-flexmix", NPreg, yn ~ x + I(x^2), NULL, "gaussian", 2, group = ~ id2)
  add("NPreg_group_pois_K2", "r-cran-flexmix", NPreg, yp ~ x, NULL, "poisson", 2, group = ~ id2)
  add("NPreg_group_binom_K2", "r-cran-flexmix", NPreg, yb ~ x, NULL, "binomial", 2, group = ~ id2)

  ## ---- added 2026-12-07: more data sets from the same Debian packages ----
  ## Iris sepal width against sepal length, gated by petal length (three species, not given).
  add("iris_gate_K3", "r-base-core", package_data("iris", "datasets"),
      Sepal.Width ~ Sepal.Length, ~ Petal.Length, "gaussian", 3)
  ## Insects counted on 72 plots under six sprays (the sprays not given): a Poisson mixture.
  add("InsectSprays_pois_K3", "r-base-core", package_data("InsectSprays", "datasets"),
      count ~ 1, NULL, "poisson", 3)
  ## Warp breaks per loom against wool and tension.
  add("warpbreaks_pois_K2", "r-base-core", package_data("warpbreaks", "datasets"),
      breaks ~ wool + tension, NULL, "poisson", 2)
  ## Stations reporting each of 1000 Fiji earthquakes against its magnitude, gated by depth.
  add("quakes_pois_gate_K2", "r-base-core", package_data("quakes", "datasets"),
      stations ~ mag, ~ depth, "poisson", 2)
  ## Mileage against weight of 32 cars, gated by horse power.
  add("mtcars_gate_K2", "r-base-core", package_data("mtcars", "datasets"), mpg ~ wt, ~ hp, "gaussian", 2)
  ## Chick weights against age (578 weighings, four diets not given).
  add("ChickWeight_K3", "r-base-core", as.data.frame(package_data("ChickWeight", "datasets")),
      weight ~ Time, NULL, "gaussian", 3)
  ## Brain against body weight of 62 mammals (log scale).
  add("mammals_K2", "r-cran-mass", package_data("mammals", "MASS"), log(brain) ~ log(body), NULL, "gaussian", 2)
  ## Record times of 35 Scottish hill races against distance and climb.
  add("hills_K2", "r-cran-mass", package_data("hills", "MASS"), time ~ dist + climb, NULL, "gaussian", 2)
  ## Ship damage incidents against ship type, exposure log(months of service) (ships in service only).
  ships <- package_data("ships", "MASS")
  add("ships_pois_K2", "r-cran-mass", ships[ships$service > 0, ],
      incidents ~ type + offset(log(service)), NULL, "poisson", 2)
  ## Species of 200 crabs (blue 0, orange 1) against frontal lobe and rear width.
  crabs <- package_data("crabs", "MASS")
  crabs$orange <- as.numeric(crabs$sp == "O")
  add("crabs_binom_K2", "r-cran-mass", crabs, orange ~ FL + RW, NULL, "binomial", 2)
  ## Snails dead out of those exposed, against the weeks of exposure.
  add("snails_trials_K2", "r-cran-mass", package_data("snails", "MASS"),
      cbind(Deaths, N - Deaths) ~ Exposure, NULL, "binomial", 2)
  ## Decayed, missing and filled teeth of 797 children after a dental programme, against the count before.
  add("dmft_pois_K2", "r-cran-flexmix", package_data("dmft", "flexmix"),
      End ~ log(Begin + 0.5) + Treatment, NULL, "poisson", 2)
  ## Flour beetles remaining out of 50 in 27 jars, against the species.
  add("tribolium_trials_K2", "r-cran-flexmix", package_data("tribolium", "flexmix"),
      cbind(Remaining, Total - Remaining) ~ Species, NULL, "binomial", 2)

  ## ---- added 2026-12-07, second batch ----
  ## Ozone against temperature, gated by wind (days with an ozone reading).
  airquality <- package_data("airquality", "datasets")
  add("airquality_gate_K2", "r-base-core", airquality[!is.na(airquality$Ozone), ], Ozone ~ Temp, ~ Wind,
      "gaussian", 2)
  ## CO2 uptake of 12 grass plants against the log of the ambient concentration.
  add("CO2_K3", "r-base-core", as.data.frame(package_data("CO2", "datasets")), uptake ~ log(conc), NULL,
      "gaussian", 3)
  ## Fertility against education in 47 Swiss provinces, gated by the share of Catholics.
  add("swiss_gate_K2", "r-base-core", package_data("swiss", "datasets"), Fertility ~ Education, ~ Catholic,
      "gaussian", 2)
  ## Oesophageal cancer cases among cases and controls, against the age group (1-6).
  add("esoph_trials_K2", "r-base-core", package_data("esoph", "datasets"),
      cbind(ncases, ncontrols) ~ as.numeric(agegp), NULL, "binomial", 2)
  ## Infertility after abortions: case (0/1) against spontaneous and induced abortions.
  add("infert_binom_K2", "r-base-core", package_data("infert", "datasets"),
      case ~ spontaneous + induced, NULL, "binomial", 2)
  ## City mileage against weight of 93 cars, gated by horse power.
  add("Cars93_gate_K3", "r-cran-mass", package_data("Cars93", "MASS"), MPG.city ~ Weight, ~ Horsepower,
      "gaussian", 3)
  ## Weight after treatment against weight before, 72 anorexic girls (three treatments, not given).
  add("anorexia_K2", "r-cran-mass", package_data("anorexia", "MASS"), Postwt ~ Prewt, NULL, "gaussian", 2)
  ## Language test score against verbal IQ of 2287 Dutch pupils.
  add("nlschools_K2", "r-cran-mass", package_data("nlschools", "MASS"), lang ~ IQ, NULL, "gaussian", 2)
  ## Correct answers out of the trials in a hearing test, against the loudness (1097 rows).
  add("OME_trials_K2", "r-cran-mass", package_data("OME", "MASS"), cbind(Correct, Trials - Correct) ~ Loud, NULL,
      "binomial", 2)
  ## Boston house prices as above with four experts.
  add("Boston_gate_K4", "r-cran-mass", package_data("Boston", "MASS"), medv ~ lstat + rm, ~ lstat, "gaussian", 4)
  ## Birth weight against the mother's weight, gated by smoking.
  add("birthwt_bwt_gate_K2", "r-cran-mass", package_data("birthwt", "MASS"), bwt ~ lwt, ~ smoke, "gaussian", 2)
  ## Old Faithful with three experts.
  add("faithful_K3", "r-base-core", package_data("faithful", "datasets"), waiting ~ eruptions, NULL, "gaussian", 3)

  ## ---- shipped with moe (datasets/*.csv, see datasets/README.md) ----
  mcycle <- shipped("mcycle.csv")
  add("mcycle_gate_K3", "shipped: datasets/mcycle.csv", mcycle, accel ~ times, ~ times, "gaussian", 3)
  add("mcycle_poly_gate_K4", "shipped: datasets/mcycle.csv", mcycle, accel ~ poly(times, 2), ~ times,
      "gaussian", 4)
  add("pima_binom_gate_K2", "shipped: datasets/pima.csv", shipped("pima.csv"),
      diabetes ~ glu + bmi + age + ped, ~ glu + bmi + age + ped, "binomial", 2)
  add("patent_pois_gate_K3", "shipped: datasets/patent.csv", shipped("patent.csv"),
      Patents ~ lgRD, ~ RDS, "poisson", 3)
  add("tonedata_K2", "shipped: datasets/tonedata.csv", shipped("tonedata.csv"),
      tuned ~ stretchratio, NULL, "gaussian", 2)

  names(P) <- vapply(P, `[[`, "", "name")
  stopifnot(!anyDuplicated(names(P)))
  P
}

## ---- helpers shared by the scripts ----

## The formula a moe user writes: 'y ~ x | z', or 'y ~ x' for a constant gate.
moe_formula_of <- function(p) {
  rhs <- if (is.null(p$gate)) p$expert[[3L]] else call("|", p$expert[[3L]], p$gate[[2L]])
  f <- call("~", p$expert[[2L]], rhs)
  stats::as.formula(f, env = globalenv())
}

## One line that identifies a problem's definition; a cached result whose spec
## differs from the current one is recomputed. Holds a checksum of the data.
spec_of <- function(p) {
  numeric_sum <- function(d) {
    s <- 0
    for (v in d) s <- s + sum(if (is.numeric(v)) v else as.integer(as.factor(v)))
    format(s, digits = 15)
  }
  paste0(deparse(p$expert, width.cutoff = 500L), " | ",
         if (is.null(p$gate)) "1" else deparse(p$gate[[2L]], width.cutoff = 500L),
         "; ", p$family, "; K=", p$K,
         if (!is.null(p$fixed)) paste0("; fixed=", deparse(p$fixed[[2L]], width.cutoff = 500L)),
         if (isTRUE(p$common_sigma)) "; common_sigma",
         if (!is.null(p$group)) paste0("; group=", deparse(p$group[[2L]])),
         "; n=", nrow(p$data), "; sum=", numeric_sum(p$data))
}

## Arguments: '--only a,b' (also '--only a --only b') selects problems to recompute.
only_of <- function(args) {
  at <- which(args == "--only")
  only <- unlist(strsplit(args[at + 1L], ",", fixed = TRUE))
  inline <- sub("^--only=", "", grep("^--only=", args, value = TRUE))
  c(only, unlist(strsplit(inline, ",", fixed = TRUE)))
}

## The cache: a CSV with one row per problem (column 'name'), or an empty one.
read_cache <- function(file) {
  if (!file.exists(file)) return(NULL)
  d <- utils::read.csv(file, stringsAsFactors = FALSE, check.names = FALSE)
  ## text columns that may be all empty (read back as NA) stay text
  for (v in intersect(names(d), c("method", "note", "first_error", "error", "warnings")))
    d[[v]] <- ifelse(is.na(d[[v]]), "", as.character(d[[v]]))
  d
}

## Writes rows (a list of one-row data.frames, named by problem) in the order of
## the problems, with 17 significant digits for the log-likelihoods (columns
## whose name holds "loglik"), seconds to the millisecond.
write_cache <- function(rows, order, file) {
  rows <- rows[intersect(order, names(rows))]
  out <- do.call(rbind, unname(rows))
  for (v in names(out)) if (is.double(out[[v]])) {
    if (grepl("loglik", v)) out[[v]] <- format_number(out[[v]])
    else if (grepl("_s$", v)) out[[v]] <- round(out[[v]], 3)
  }
  utils::write.csv(out, file, row.names = FALSE)
}
format_number <- function(x) ifelse(is.na(x), NA_character_, formatC(x, digits = 17, format = "g"))

## The full log-likelihood of a gated mixture with softmax gate (or constant
## weights 'prior') at given parameters, computed here independently of every
## package: sum_i log sum_k pi_ik f_k(y_i), f_k = dnorm / dbinom(size trials) / dpois.
## eta: n x K expert linear predictors; logpi: n x K log mixing weights;
## trials: the binomial trials (1: a 0/1 response).
mixture_loglik <- function(y, eta, logpi, family, sigma = NULL, trials = 1, group = NULL) {
  K <- ncol(eta)
  logf <- vapply(seq_len(K), function(k)
    switch(family,
           gaussian = stats::dnorm(y, eta[, k], sigma[k], log = TRUE),
           binomial = stats::dbinom(y, trials, stats::plogis(eta[, k]), log = TRUE),
           poisson = stats::dpois(y, exp(eta[, k]), log = TRUE)), numeric(length(y)))
  logf <- matrix(logf, ncol = K)
  ## grouped rows: a group's log-densities summed, its gate (constant in the group) once
  joint <- if (is.null(group)) logpi + logf
           else rowsum(logf, group, reorder = FALSE) + logpi[!duplicated(group), , drop = FALSE]
  m <- apply(joint, 1L, max)
  sum(m + log(rowSums(exp(joint - m))))
}

## A function that prints a sprintf() line and appends it to `file` (the
## reference scripts' logs); warns unless BLAS is single-threaded, as the
## timings assume.
bench_logger <- function(file) {
  if (!identical(Sys.getenv("OPENBLAS_NUM_THREADS"), "1"))
    warning("OPENBLAS_NUM_THREADS is not 1: the timings assume single-threaded BLAS", call. = FALSE)
  con <- file(file, open = "a")
  function(...) {
    line <- sprintf(...)
    cat(line, "\n", sep = "")
    cat(line, "\n", sep = "", file = con)
    flush(con)
  }
}

## What a reference script (flexmix_best.R, mixtools_best.R) runs on: the
## problems, those named by --only (checked), and the cached rows of its two
## CSVs by problem name.
reference_run <- function(args, csv_file, seeds_file) {
  P <- problems()
  only <- only_of(args)
  unknown <- setdiff(only, names(P))
  if (length(unknown)) stop("unknown problem(s): ", paste(unknown, collapse = ", "),
                            "\nknown: ", paste(names(P), collapse = ", "))
  by_name <- function(cache) {
    if (is.null(cache)) return(list())
    split(cache, factor(cache$name, levels = unique(cache$name)))
  }
  list(problems = P, only = only, rows = by_name(read_cache(csv_file)), seed_rows = by_name(read_cache(seeds_file)))
}

## Shared by the reference scripts and suite.R: the seeds each reference runs,
## and the relative tolerance within which two log-likelihoods count as equal.
reference_seeds <- 30L
rel_tol <- 1e-6

## The cache, per-seed and log files of a reference script (`tool`: "flexmix"
## or "mixtools") in this folder.
reference_files <- function(tool) {
  at <- function(suffix) file.path(search_dir_of(), paste0(tool, suffix))
  list(csv = at("_best.csv"), seeds = at("_seeds.csv"), log = at("_best.log"))
}
