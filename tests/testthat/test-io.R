# The model file (moe_write, moe_read): round trips within R, and errors.

test_that("a fit written and read back predicts and simulates as the fit does", {
  mc <- moe_data("mcycle")
  set.seed(1)
  fit <- moe(accel ~ times | times, mc, K = 3, starts = 5, control = moe_control(se = FALSE))
  path <- tempfile(fileext = ".json")
  on.exit(unlink(path))
  expect_identical(moe_write(fit, path), path)
  back <- moe_read(path)
  expect_s3_class(back, "moe")
  expect_identical(unname(back$model$experts), unname(fit$model$experts))  # exact: 17 digits
  expect_identical(unname(back$model$gate), unname(fit$model$gate))
  for (type in c("response", "gate", "experts", "posterior", "quantile"))
    expect_equal(predict(back, newdata = mc, type = type), predict(fit, newdata = mc, type = type),
                 tolerance = 1e-14, info = type)
  expect_identical(as.matrix(simulate(back, nsim = 2, seed = 3, newdata = mc)),
                   as.matrix(simulate(fit, nsim = 2, seed = 3, newdata = mc)))
  expect_equal(back$df, fit$df)
  expect_output(print(back), "Mixture of 3 gaussian experts")
  expect_output(print(summary(back)), "expert1")
  expect_error(predict(back), "holds no data: give 'newdata'")
  expect_error(simulate(back), "holds no data")
  expect_error(plot(back), "no data or trace")
})

test_that("an offset and a transformed term survive the file as expressions", {
  pat <- moe_data("patent")
  pat$years <- exp(pat$lgRD)
  set.seed(2)
  fit <- moe(Patents ~ log(RDS) + offset(log(years)) | RDS, pat, K = 2, family = poisson(), starts = 4,
             control = moe_control(se = FALSE))
  path <- tempfile(fileext = ".json")
  on.exit(unlink(path))
  moe_write(fit, path)
  back <- moe_read(path)
  expect_identical(back$specification$offset, "log(years)")
  expect_identical(back$specification$x, "log(RDS)")
  expect_equal(predict(back, newdata = pat), predict(fit, newdata = pat), tolerance = 1e-14)
  expect_equal(predict(back, newdata = pat, type = "posterior"), predict(fit, newdata = pat, type = "posterior"),
               tolerance = 1e-14)
})

test_that("bad calls and files give clear errors", {
  mc <- moe_data("mcycle")
  set.seed(1)
  no_gate_intercept <- suppressWarnings(moe(accel ~ times | times - 1, mc, K = 2, starts = 2,
                                           control = moe_control(se = FALSE)))
  path <- tempfile(fileext = ".json")
  on.exit(unlink(path))
  expect_error(moe_write(no_gate_intercept, path), "one intercept setting for both designs")
  expect_error(moe_write(list(), path), "'fit' must be a fit made by moe")
  expect_error(moe_read(c("a", "b")), "'path' must be one file name")
  expect_error(moe_read(file.path(tempdir(), "no-such-model.json")), "cannot open")
  writeLines('{"K": 2', path)
  expect_error(moe_read(path), "not valid JSON")
  writeLines('{"format_version": 9, "K": 1}', path)
  expect_error(moe_read(path), "format_version 9 is newer")
})
