# Design-based (sampling-weight) standard errors: R survey::svyglm with a single-stage design
# (ids = ~1, weights = ~w). Run from the repository root: Rscript Tests/Fixtures/Scripts/survey.R
suppressMessages(library(survey))
num <- function(x) sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
mobi <- read.csv("Tests/Fixtures/Data/ecsi-mobi/mobi.csv")
mobi$w <- mobi$CUEX1                                   # a weight column 1-10 for the test
design <- svydesign(ids = ~1, weights = ~w, data = mobi)
lin <- svyglm(CUSA1 ~ PERQ1 + PERV1 + IMAG1, design = design)
mobi$loyal <- as.integer(mobi$CUSL1 >= 8)
design2 <- svydesign(ids = ~1, weights = ~w, data = mobi)
logi <- suppressWarnings(svyglm(loyal ~ PERQ1 + PERV1 + IMAG1, design = design2, family = quasibinomial))
lines <- c("{",
  sprintf('  "provenance": "%s; survey %s svyglm(y ~ PERQ1 + PERV1 + IMAG1, design = svydesign(ids = ~1, weights = ~CUEX1, data = mobi)); linear: CUSA1, gaussian; logistic: CUSL1 >= 8, quasibinomial",',
          R.version.string, as.character(packageVersion("survey"))),
  sprintf('  "linear_estimate": %s,', vec(coef(lin))),
  sprintf('  "linear_std_error": %s,', vec(sqrt(diag(vcov(lin))))),
  sprintf('  "logistic_estimate": %s,', vec(coef(logi))),
  sprintf('  "logistic_std_error": %s', vec(sqrt(diag(vcov(logi))))), "}")
writeLines(lines, "Tests/Fixtures/Data/models/svyglm_mobi.json")
