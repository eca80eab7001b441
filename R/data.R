# The data sets shipped with moe (datasets/ in the sources, extdata when installed).
moe_data <- function(name = c("mcycle", "tonedata", "NPreg", "pima", "patent")) {
  name <- match.arg(name)
  path <- system.file("extdata", paste0(name, ".csv"), package = "moe")
  if (!nzchar(path)) stop("moe_data(): '", name, "' is not installed", call. = FALSE)
  utils::read.csv(path)
}
