# Writes the data of bench/t_experts/run.sh into the directory given as the
# first argument:
#   mcycle.csv            MASS::mcycle with times, times2 = times^2, accel
#   sim_clean.csv         n = 2000, K = 2 Gaussian experts, gate on z
#   sim_contaminated.csv  the same rows, every 20th row's y + 15 (5% gross outliers)
# Truth: P(expert 1 | z) = plogis(2 z); expert 1: y = 1 + 2 x + 0.5 e,
# expert 2: y = -1 - 1.5 x + 0.5 e; x, z, e ~ N(0, 1).
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "."
suppressPackageStartupMessages(library(MASS))

m <- MASS::mcycle
write.csv(data.frame(times = m$times, times2 = m$times^2, accel = m$accel),
          file.path(dir, "mcycle.csv"), row.names = FALSE)

set.seed(1)
n <- 2000
x <- rnorm(n)
z <- rnorm(n)
expert1 <- rbinom(n, 1, plogis(2 * z)) == 1
e <- rnorm(n)
y <- ifelse(expert1, 1 + 2 * x, -1 - 1.5 * x) + 0.5 * e
write.csv(data.frame(x = x, z = z, y = y), file.path(dir, "sim_clean.csv"), row.names = FALSE)
outlier <- seq(20, n, by = 20)
y[outlier] <- y[outlier] + 15
write.csv(data.frame(x = x, z = z, y = y), file.path(dir, "sim_contaminated.csv"), row.names = FALSE)
cat(sprintf("simulated n = %d, expert 1 share %.3f, %d rows contaminated (+15)\n",
            n, mean(expert1), length(outlier)))
