## moe against flexmix on two models of issue 18 at n = 20 000 rows, timed in one run:
##   grouped: 4000 groups of 5 rows, each group from one of 2 Poisson experts,
##     y ~ Poisson(exp(1 + 0.5 x)) or Poisson(exp(-0.5 - 0.5 x)), the expert drawn per group
##     with probability 0.4 / 0.6; moe(y ~ x, group = ~ id), flexmix(y ~ x | id);
##   trials: 2 logistic experts with 5 to 20 trials per row, s ~ Binomial(m, plogis(-1 + x))
##     or Binomial(m, plogis(1 - x)), the expert drawn per row (0.4 / 0.6);
##     cbind(s, m - s) ~ x in both programs.
## Usage (repository root, single-threaded BLAS, moe installed in `lib`, the CLI built in build/):
##   OPENBLAS_NUM_THREADS=1 Rscript bench/flexmix/time_grouped_trials.R [lib] [seeds=5]
## For each model: flexmix's fits from seeds 1..seeds (its default random start, minprior = 0,
## otherwise defaults: iter.max 200, tol 1e-6), each timed; moe() with its defaults (the
## search: 30 starts, 15 finalists, split-and-merge) and with starts = 1 (one start, to compare
## with one flexmix fit), timed with system.time (the R door); and the CLI `moe fit` on the same
## data as a CSV, timed as a whole process (start-up and reading the CSV included).
## ℓ, iterations and seconds per iteration (the whole fit's time over its iterations) are
## printed for every fit; for moe also its EM iteration alone: the CLI from one start with no
## screening and no moves, `--max-iter 101 --tol 0` less `--max-iter 1`, over 100.
args <- commandArgs(trailingOnly = TRUE)
lib <- if (length(args) >= 1 && nzchar(args[1])) args[1] else NULL
seeds <- if (length(args) >= 2) as.integer(args[2]) else 5L
suppressMessages({
  library(moe, lib.loc = lib)
  library(flexmix)
})
cli <- normalizePath("build/moe")
cat(sprintf("date: %s; %s; flexmix %s; moe %s; OPENBLAS_NUM_THREADS=%s; flexmix seeds 1..%d\n",
            format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z"), R.version.string, packageVersion("flexmix"),
            packageVersion("moe", lib.loc = lib), Sys.getenv("OPENBLAS_NUM_THREADS"), seeds))

set.seed(20261202)
n <- 20000
G <- n / 5
id <- rep(seq_len(G), each = 5)
x <- stats::rnorm(n)
first <- (stats::runif(G) < 0.4)[id]
grouped <- data.frame(id = id, x = x, y = stats::rpois(n, exp(ifelse(first, 1 + 0.5 * x, -0.5 - 0.5 * x))))
m <- sample(5:20, n, replace = TRUE)
first_row <- stats::runif(n) < 0.4
trials <- data.frame(x = x, m = m, s = stats::rbinom(n, m, stats::plogis(ifelse(first_row, -1 + x, 1 - x))))
trials$f <- trials$m - trials$s

line <- function(program, what, seconds, loglik, iterations)
  cat(sprintf("  %-8s %-34s %9.3f s  loglik %.6f  iterations %5d  %.5f s/iteration\n", program, what, seconds,
              loglik, as.integer(iterations), seconds / max(1, iterations)))

time_flexmix <- function(fit) {
  for (s in seq_len(seeds)) {
    set.seed(s)
    t <- system.time(f <- fit())[["elapsed"]]
    line("flexmix", sprintf("seed %d", s), t, f@logLik, f@iter)
  }
}

time_moe <- function(fit) {
  set.seed(1)
  t <- system.time(f <- fit(30))[["elapsed"]]
  line("moe", "R moe(), defaults (30 starts)", t, f$loglik, f$iterations)
  set.seed(1)
  t <- system.time(f <- fit(1))[["elapsed"]]
  line("moe", "R moe(), starts = 1", t, f$loglik, f$iterations)
}

time_cli <- function(data, cli_args) {
  csv <- tempfile(fileext = ".csv")
  out <- tempfile(fileext = ".json")
  utils::write.csv(data, csv, row.names = FALSE)
  t <- system.time(status <- system2(cli, c("fit", "--data", csv, cli_args, "--quiet", "--out", out)))[["elapsed"]]
  stopifnot(status == 0)
  j <- readLines(out)
  value <- function(key) as.numeric(sub(",$", "", sub(sprintf('^  "%s": ', key), "", grep(sprintf('^  "%s": ', key), j, value = TRUE)[1])))
  line("moe CLI", "moe fit, defaults (whole process)", t, value("loglik"), value("iterations"))
  run_for <- function(iterations)
    system.time(system2(cli, c("fit", "--data", csv, cli_args, "--quiet", "--starts", "1", "--no-split-merge",
                               "--screening-iterations", "0", "--tol", "0", "--max-iter", iterations)))[["elapsed"]]
  per_iteration <- (run_for(101) - run_for(1)) / 100
  cat(sprintf("  %-8s %-34s %9.5f s\n", "moe CLI", "one EM iteration", per_iteration))
}

cat("grouped: n = 20000 rows in 4000 groups, 2 Poisson experts\n")
time_flexmix(function() flexmix(y ~ x | id, data = grouped, k = 2, model = FLXMRglm(family = "poisson"),
                                control = list(minprior = 0)))
time_moe(function(starts) moe(y ~ x, data = grouped, K = 2, family = poisson(), group = ~ id, starts = starts,
                              control = moe_control(se = FALSE)))
time_cli(grouped, c("-y", "y", "--x", "x", "--group", "id", "-K", "2", "--family", "poisson", "--no-se"))

cat("trials: n = 20000 rows, 5 to 20 trials each, 2 logistic experts\n")
time_flexmix(function() flexmix(cbind(s, f) ~ x, data = trials, k = 2, model = FLXMRglm(family = "binomial"),
                                control = list(minprior = 0)))
time_moe(function(starts) moe(cbind(s, f) ~ x, data = trials, K = 2, family = binomial(), starts = starts,
                              control = moe_control(se = FALSE)))
time_cli(trials, c("-y", "s", "--x", "x", "--trials", "m", "-K", "2", "--family", "binomial", "--no-se"))
