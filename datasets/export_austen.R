#!/usr/bin/env Rscript
# Export Jane Austen's six novels (public domain) as gzip-compressed UTF-8 text,
# one file per novel, for the character-level language model of `moe nn-train`.
# Run from the repository root:  Rscript datasets/export_austen.R
# Requires the R package janeaustenr (Debian: r-cran-janeaustenr).

suppressPackageStartupMessages(library(janeaustenr))
outdir <- file.path("datasets", "austen")
if (!dir.exists("datasets")) stop("run this script from the repository root")
dir.create(outdir, showWarnings = FALSE)

novels <- list(
  sense_and_sensibility = sensesensibility, pride_and_prejudice = prideprejudice,
  mansfield_park = mansfieldpark, emma = emma, northanger_abbey = northangerabbey,
  persuasion = persuasion)
for (name in names(novels)) {
  lines <- novels[[name]]
  stopifnot(is.character(lines), length(lines) > 1000)
  path <- file.path(outdir, paste0(name, ".txt.gz"))
  con <- gzfile(path, "wb", compression = 9)
  writeLines(enc2utf8(lines), con, useBytes = TRUE)
  close(con)
  back <- readLines(gzfile(path), encoding = "UTF-8")
  stopifnot(identical(back, enc2utf8(lines)))
  cat(sprintf("%-24s %6d lines %8d characters\n", name, length(lines), sum(nchar(lines))))
}
