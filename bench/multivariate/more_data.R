# moe's default multivariate fit against mclust's Mclust() on more real data
# sets from Debian's R packages (mclust, MASS, datasets; read here, not
# shipped): every K in 1..4 with every structure, intercept-only experts and
# gate (mclust's model), both with their defaults. Writes more_data.csv and
# more_data.md next to this script.
#   Rscript bench/multivariate/more_data.R LIB
args <- commandArgs(TRUE)
.libPaths(c(args[1], .libPaths()))
suppressPackageStartupMessages({ library(moe); library(mclust) })
out_dir <- dirname(normalizePath(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))))
structures <- c("EII", "VII", "EEI", "VVI", "EEE", "VVV")
package_data <- function(name, package) { e <- new.env(); utils::data(list = name, package = package, envir = e); get(name, e) }
numeric_columns <- function(d) d[, vapply(d, is.numeric, logical(1)), drop = FALSE]
sets <- list(
  diabetes = numeric_columns(package_data("diabetes", "mclust")),        # glucose, insulin, sspg; n = 145
  banknote = numeric_columns(package_data("banknote", "mclust")),        # 6 measurements; n = 200
  thyroid = numeric_columns(package_data("thyroid", "mclust")),          # 5 tests; n = 215
  wreath = as.data.frame(package_data("wreath", "mclust")),              # 2-D, 14 clusters; n = 1000
  iris = numeric_columns(datasets::iris),                                 # 4 measurements; n = 150
  crabs = numeric_columns(package_data("crabs", "MASS"))[, c("FL", "RW", "CL", "CW", "BD")],  # n = 200
  geyser = package_data("geyser", "MASS"))                                # waiting, duration; n = 299
elapsed <- function(expr) { t0 <- proc.time()[["elapsed"]]; value <- expr; list(value = value, seconds = proc.time()[["elapsed"]] - t0) }
rows <- list()
for (name in names(sets)) {
  d <- sets[[name]]
  names(d) <- make.names(names(d))
  formula <- stats::as.formula(paste0("cbind(", paste(names(d), collapse = ", "), ") ~ 1"))
  for (K in 1:4) for (S in structures) {
    set.seed(1)
    mc <- elapsed(tryCatch(Mclust(as.matrix(d), G = K, modelNames = S, verbose = FALSE), error = function(e) NULL))
    set.seed(1)
    mo <- elapsed(tryCatch(moe(formula, d, K = K, covariance = S, control = moe_control(threads = 2)),
                           error = function(e) conditionMessage(e)))
    mc_l <- if (is.null(mc$value) || is.null(mc$value$loglik)) NA_real_ else mc$value$loglik
    mo_l <- if (inherits(mo$value, "moe_mv")) mo$value$loglik else NA_real_
    rows[[length(rows) + 1L]] <- data.frame(data = name, n = nrow(d), m = ncol(d), K = K, covariance = S,
                                            mclust_loglik = mc_l, mclust_seconds = mc$seconds,
                                            moe_loglik = mo_l, moe_seconds = mo$seconds,
                                            moe_note = if (is.character(mo$value)) mo$value else "")
    cat(sprintf("%s K=%d %s: mclust %.4f moe %.4f (%.2fs / %.2fs)\n", name, K, S, mc_l, mo_l, mc$seconds, mo$seconds))
  }
}
table <- do.call(rbind, rows)
table$difference <- table$moe_loglik - table$mclust_loglik
utils::write.csv(table, file.path(out_dir, "more_data.csv"), row.names = FALSE)
verdict <- ifelse(is.na(table$mclust_loglik) & is.na(table$moe_loglik), "neither fitted",
           ifelse(is.na(table$moe_loglik), "moe not fitted", ifelse(is.na(table$mclust_loglik), "mclust not fitted",
           ifelse(table$difference < -1e-6 * abs(table$mclust_loglik), "**moe lower**",
           ifelse(table$difference > 1e-3, "moe higher", "equal")))))
f <- function(x, d = 4) ifelse(is.na(x), "-", formatC(x, format = "f", digits = d))
lines <- c(
  sprintf("Measured %s on %s (2 cores), R %s, mclust %s, moe %s; OPENBLAS_NUM_THREADS=1, moe's starts on 2 threads.",
          format(Sys.time(), "%Y-%m-%d %H:%M UTC", tz = "UTC"), Sys.info()[["nodename"]], getRversion(),
          packageVersion("mclust"), packageVersion("moe")),
  "Command: `OPENBLAS_NUM_THREADS=1 Rscript bench/multivariate/more_data.R LIB`; both with their defaults (`set.seed(1)`),",
  "intercept-only experts and gate. Seconds are R's elapsed time of each call.",
  "",
  sprintf("Verdicts: %s.", paste(names(table(verdict)), table(verdict), sep = " ", collapse = ", ")),
  sprintf("Time, sum over the fits both made: moe %.2f s, Mclust %.2f s.",
          sum(table$moe_seconds[!is.na(table$difference)]), sum(table$mclust_seconds[!is.na(table$difference)])),
  "",
  "| data | n | m | K | structure | Mclust ℓ | moe ℓ | moe − Mclust | verdict | Mclust s | moe s |",
  "|---|--:|--:|--:|---|--:|--:|--:|---|--:|--:|")
for (i in seq_len(nrow(table))) {
  r <- table[i, ]
  lines <- c(lines, sprintf("| %s | %d | %d | %d | %s | %s | %s | %s | %s | %.2f | %.2f |", r$data, r$n, r$m, r$K,
                            r$covariance, f(r$mclust_loglik), f(r$moe_loglik), f(r$difference, 3), verdict[i],
                            r$mclust_seconds, r$moe_seconds))
}
notes <- table$moe_note[nzchar(table$moe_note)]
if (length(notes)) lines <- c(lines, "", "moe's messages where it fitted nothing:", "",
                              paste0("- ", table$data[nzchar(table$moe_note)], " K=", table$K[nzchar(table$moe_note)], " ",
                                     table$covariance[nzchar(table$moe_note)], ": ", notes))
writeLines(lines, file.path(out_dir, "more_data.md"))
cat("wrote", file.path(out_dir, "more_data.md"), "\n")
