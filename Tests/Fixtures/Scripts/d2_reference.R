# Reference values of the D2 pooling of per-imputation chi-square tests (Li, Meng, Raghunathan &
# Rubin 1991) from mitml's own implementation (mitml:::.D2, which mice::D2 calls through
# mitml::testModels), for DriverReport.JointTest.pooledD2. Run: Rscript d2_reference.R > ../Data/mice/d2.json
suppressMessages(library(mitml))
cases <- list(
  list(k = 1, d = c(0.31, 0.52, 0.47, 0.66, 0.40)),
  list(k = 3, d = c(11.2, 9.8, 14.1, 12.6, 10.3, 13.0, 9.1, 12.2, 11.7, 10.9)),
  list(k = 50, d = c(102.9, 96.4, 110.3)),
  list(k = 2, d = c(4.1, 4.1 + 1e-9))
)
out <- lapply(cases, function(case) {
  r <- mitml:::.D2(case$d, case$k)
  list(k = case$k, d = case$d, F = r$F, v = r$v, p = pf(max(r$F, 0), r$k, r$v, lower.tail = FALSE))
})
cat(jsonlite::toJSON(list(source = paste("mitml", packageVersion("mitml"), "mitml:::.D2; R", getRversion()), cases = out),
                     digits = NA, auto_unbox = TRUE, pretty = TRUE))
