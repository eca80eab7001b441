#!/usr/bin/env Rscript
# Export six small data sets from R packages as numeric-only CSV files.
# Run from the repository root:  Rscript datasets/export.R
# Requires the R packages MASS, mixtools and flexmix
# (Debian: r-cran-mass, r-cran-mixtools, r-cran-flexmix).

suppressPackageStartupMessages({
  library(MASS)
  library(mixtools)
  library(flexmix)
})

outdir <- "datasets"
if (!dir.exists(outdir)) stop("run this script from the repository root")

# Shortest decimal representation (15, 16 or 17 significant digits) that
# reads back as exactly the same double; integers are written as integers.
fmt_col <- function(x) {
  if (is.integer(x) || all(x == round(x) & abs(x) < 2^53))
    return(formatC(x, format = "d", big.mark = ""))
  out <- formatC(x, digits = 15, format = "g")
  for (d in 16:17) {
    bad <- as.numeric(out) != x
    if (!any(bad)) break
    out[bad] <- formatC(x[bad], digits = d, format = "g")
  }
  stopifnot(all(as.numeric(out) == x))
  trimws(out)
}

write_numeric_csv <- function(df, name, expected_rows) {
  stopifnot(is.data.frame(df),
            all(vapply(df, is.numeric, logical(1))),
            !anyNA(df),
            all(vapply(df, function(x) all(is.finite(x)), logical(1))),
            nrow(df) == expected_rows)
  cols <- lapply(df, fmt_col)
  lines <- c(paste(names(df), collapse = ","),
             do.call(paste, c(cols, sep = ",")))
  path <- file.path(outdir, name)
  writeLines(lines, path)
  # round-trip check
  back <- read.csv(path)
  stopifnot(identical(names(back), names(df)), nrow(back) == nrow(df),
            all(vapply(back, is.numeric, logical(1))), !anyNA(back),
            all(mapply(function(a, b) all(a == b), back, df)))
  cat(sprintf("%-14s %4d rows x %d cols: %s\n", path, nrow(df), ncol(df),
              paste(names(df), collapse = ", ")))
}

# 1. Motorcycle crash data (MASS)
mc <- data.frame(times = as.numeric(MASS::mcycle$times),
                 accel = as.numeric(MASS::mcycle$accel))
write_numeric_csv(mc, "mcycle.csv", 133)

# 2. Tone perception data (mixtools)
data("tonedata", package = "mixtools", envir = environment())
tone <- as.data.frame(lapply(tonedata, as.numeric))
write_numeric_csv(tone, "tonedata.csv", 150)

# 3. Artificial normal/Poisson/binomial regression example (flexmix)
data("NPreg", package = "flexmix", envir = environment())
np <- NPreg
# id1 and id2 are factors whose levels are integer labels; write the labels.
for (v in names(np)) {
  if (is.factor(np[[v]])) np[[v]] <- as.integer(as.character(np[[v]]))
}
write_numeric_csv(np, "NPreg.csv", 200)

# 4. Pima Indians diabetes data (MASS), training set first, then test set
pima_num <- function(d, test) {
  data.frame(npreg = d$npreg, glu = d$glu, bp = d$bp, skin = d$skin,
             bmi = d$bmi, ped = d$ped, age = d$age,
             diabetes = as.integer(d$type == "Yes"),
             test = as.integer(rep(test, nrow(d))))
}
pima <- rbind(pima_num(MASS::Pima.tr, 0L), pima_num(MASS::Pima.te, 1L))
write_numeric_csv(pima, "pima.csv", nrow(MASS::Pima.tr) + nrow(MASS::Pima.te))
stopifnot(nrow(pima) == 532)

# 5. Patents and R&D spending of 70 pharmaceutical companies (flexmix); the
# company names (text) are left out.
data("patent", package = "flexmix", envir = environment())
patents <- data.frame(Patents = patent$Patents, RDS = patent$RDS, lgRD = patent$lgRD)
write_numeric_csv(patents, "patent.csv", 70)

# 6. Chick weights against age under four diets (datasets, part of R); the
# chick and the diet as their integer labels.
cw <- as.data.frame(datasets::ChickWeight)
chicks <- data.frame(weight = cw$weight, Time = cw$Time,
                     Chick = as.integer(as.character(cw$Chick)),
                     Diet = as.integer(as.character(cw$Diet)))
write_numeric_csv(chicks, "chickweight.csv", 578)
