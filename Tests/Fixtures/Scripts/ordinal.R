# Reference values for OrdinalRegression: MASS::polr (proportional odds, logit).
# Run from the repository root: Rscript Tests/Fixtures/Scripts/ordinal.R
suppressMessages(library(MASS))
num <- function(x) sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
mobi <- read.csv("Tests/Fixtures/Data/ecsi-mobi/mobi.csv")
fit <- polr(factor(CUSA1, ordered = TRUE) ~ PERQ1 + PERV1 + IMAG1, data = mobi, Hess = TRUE,
            control = list(reltol = 1e-14, maxit = 1000))
s <- summary(fit)
se <- sqrt(diag(solve(fit$Hessian)))
p <- length(coef(fit))
null <- polr(factor(CUSA1, ordered = TRUE) ~ 1, data = mobi, Hess = TRUE, control = list(reltol = 1e-14, maxit = 1000))
lines <- c("{",
  sprintf('  "provenance": "%s; MASS %s polr(factor(CUSA1, ordered = TRUE) ~ PERQ1 + PERV1 + IMAG1, data = mobi, Hess = TRUE, control = list(reltol = 1e-14))",',
          R.version.string, as.character(packageVersion("MASS"))),
  sprintf('  "estimate": %s,', vec(coef(fit))),
  sprintf('  "std_error": %s,', vec(se[1:p])),
  sprintf('  "zeta": %s,', vec(fit$zeta)),
  sprintf('  "zeta_std_error": %s,', vec(se[(p + 1):length(se)])),
  sprintf('  "log_likelihood": %s,', num(as.numeric(logLik(fit)))),
  sprintf('  "null_log_likelihood": %s,', num(as.numeric(logLik(null)))),
  sprintf('  "aic": %s', num(AIC(fit))), "}")
writeLines(lines, "Tests/Fixtures/Data/models/polr_mobi.json")
