# Reference values for LinearRegression, LogisticRegression and Correlation.
# Run from the repository root:  Rscript Tests/Fixtures/Scripts/models.R [path/to/shared/data]
# Writes Tests/Fixtures/Data/models/<case>.json. Needs base R only (stats).
args <- commandArgs(trailingOnly = TRUE)
shared <- if (length(args) > 0) args[1] else "../shared/data"
out <- "Tests/Fixtures/Data/models"
num <- function(x) ifelse(is.na(x), "null", ifelse(is.infinite(x), ifelse(x > 0, "1e999", "-1e999"), sprintf("%.17g", x)))
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
str <- function(x) paste0("[", paste0('"', x, '"', collapse = ", "), "]")
write_json <- function(name, fields) {
  body <- paste0('  "', names(fields), '": ', unlist(fields), collapse = ",\n")
  writeLines(paste0("{\n", body, "\n}"), file.path(out, paste0(name, ".json")))
}
provenance <- function(call) paste0('"', sprintf("%s; %s", R.version.string, call), '"')

lm_case <- function(name, formula, data, weights = NULL, call) {
  fit <- if (is.null(weights)) lm(formula, data = data) else do.call("lm", list(formula, data = data, weights = weights))
  s <- summary(fit)
  cf <- coef(fit)
  se <- rep(NA, length(cf)); tv <- se; pv <- se
  ok <- !is.na(cf)
  se[ok] <- s$coefficients[, 2]; tv[ok] <- s$coefficients[, 3]; pv[ok] <- s$coefficients[, 4]
  ci <- suppressWarnings(confint(fit, level = 0.95))
  X <- model.matrix(fit)
  has_int <- attr(terms(fit), "intercept") == 1
  drivers <- if (has_int) colnames(X)[-1] else colnames(X)
  vif <- if (has_int) { Xd <- X[, -1, drop = FALSE]; w <- if (is.null(weights)) rep(1, nrow(X)) else weights
                        cw <- cov.wt(Xd, wt = w / sum(w))$cov; r <- cov2cor(cw); diag(solve(r)) } else rep(NA, length(drivers))
  fs <- s$fstatistic
  write_json(name, list(
    provenance = provenance(call),
    terms = str(names(cf)), estimate = vec(unname(cf)), std_error = vec(se), statistic = vec(tv), p_value = vec(pv),
    ci_lower = vec(unname(ci[, 1])), ci_upper = vec(unname(ci[, 2])),
    r_squared = num(s$r.squared), adjusted_r_squared = num(s$adj.r.squared),
    f_statistic = if (is.null(fs)) "null" else num(fs[1]),
    f_p_value = if (is.null(fs)) "null" else num(pf(fs[1], fs[2], fs[3], lower.tail = FALSE)),
    sigma = num(s$sigma), df_residual = num(fit$df.residual), log_likelihood = num(as.numeric(logLik(fit))),
    aic = num(AIC(fit)), bic = num(BIC(fit)), vif = vec(unname(vif)), n = num(nrow(X))))
}

glm_case <- function(name, formula, data, call) {
  fit <- glm(formula, data = data, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
  s <- summary(fit)
  cf <- coef(fit)
  ci <- cbind(cf - qnorm(0.975) * s$coefficients[, 2], cf + qnorm(0.975) * s$coefficients[, 2])
  null <- glm(update(formula, . ~ 1), data = data, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
  n <- nrow(model.matrix(fit)); l1 <- as.numeric(logLik(fit)); l0 <- as.numeric(logLik(null))
  y <- fit$y; p <- fitted(fit)
  r <- rank(p); n1 <- sum(y == 1); n0 <- sum(y == 0)
  auc <- (sum(r[y == 1]) - n1 * (n1 + 1) / 2) / (n1 * n0)
  write_json(name, list(
    provenance = provenance(paste(call, "(glm.control(epsilon = 1e-14, maxit = 100): the converged MLE)")),
    terms = str(names(cf)), estimate = vec(unname(cf)), std_error = vec(s$coefficients[, 2]),
    statistic = vec(s$coefficients[, 3]), p_value = vec(s$coefficients[, 4]),
    ci_lower = vec(unname(ci[, 1])), ci_upper = vec(unname(ci[, 2])),
    log_likelihood = num(l1), null_log_likelihood = num(l0), deviance = num(deviance(fit)),
    null_deviance = num(fit$null.deviance), aic = num(AIC(fit)), bic = num(BIC(fit)),
    mcfadden_r2 = num(1 - l1 / l0), cox_snell_r2 = num(-expm1(2 * (l0 - l1) / n)),
    nagelkerke_r2 = num(-expm1(2 * (l0 - l1) / n) / -expm1(2 * l0 / n)), auc = num(auc), n = num(n)))
}

cor_case <- function(name, x, y, call) {
  res <- list()
  for (m in c("pearson", "spearman", "kendall")) {
    t <- suppressWarnings(cor.test(x, y, method = m, exact = FALSE))
    res[[paste0(m, "_estimate")]] <- num(unname(t$estimate))
    res[[paste0(m, "_statistic")]] <- num(unname(t$statistic))
    res[[paste0(m, "_p_value")]] <- num(t$p.value)
    if (m == "pearson") { res$pearson_ci_lower <- num(t$conf.int[1]); res$pearson_ci_upper <- num(t$conf.int[2]) }
  }
  write_json(name, c(list(provenance = provenance(call), n = num(length(x))), res))
}

yp <- read.csv("Tests/Fixtures/Data/yellow-pages/customerSat.csv")
lm_case("lm_yellow_pages", q1 ~ q2 + q3 + q4 + q5 + q6 + q7 + q8 + q9 + q10, yp, call = "lm(q1 ~ q2 + ... + q10, data = customerSat)")
for (k in 2:10) cor_case(paste0("cor_yellow_pages_q", k), yp[[paste0("q", k)]], yp$q1,
                         paste0("cor.test(q", k, ", q1, method = m, exact = FALSE) for m in pearson, spearman, kendall"))

mobi <- read.csv("Tests/Fixtures/Data/ecsi-mobi/mobi.csv")
lm_case("lm_mobi", CUSA1 ~ PERQ1 + PERQ2 + PERQ3 + PERQ4 + PERQ5 + PERQ6 + PERQ7 + PERV1 + PERV2, mobi,
        call = "lm(CUSA1 ~ PERQ1 + ... + PERQ7 + PERV1 + PERV2, data = mobi)")
lm_case("lm_mobi_weighted", CUSA1 ~ PERQ1 + PERV1 + IMAG1, mobi, weights = mobi$CUEX1,
        call = "lm(CUSA1 ~ PERQ1 + PERV1 + IMAG1, data = mobi, weights = CUEX1)")
lm_case("lm_mobi_no_intercept", CUSA1 ~ 0 + PERQ1 + PERV1, mobi, call = "lm(CUSA1 ~ 0 + PERQ1 + PERV1, data = mobi)")
cor_case("cor_mobi_cusl3_perq1", mobi$PERQ1, mobi$CUSL3, "cor.test(PERQ1, CUSL3, method = m, exact = FALSE)")

telco <- read.csv("Tests/Fixtures/Data/telco/Telco-Customer-Churn.csv")
telco$TotalCharges <- suppressWarnings(as.numeric(telco$TotalCharges))
telco <- telco[!is.na(telco$TotalCharges), ]
telco$Churn <- as.integer(telco$Churn == "Yes")
glm_case("glm_telco", Churn ~ tenure + MonthlyCharges + TotalCharges + SeniorCitizen, telco,
         call = "glm(Churn ~ tenure + MonthlyCharges + TotalCharges + SeniorCitizen, binomial, data = telco[TotalCharges != ''])")
cor_case("cor_telco_churn_tenure", telco$tenure, telco$Churn, "cor.test(tenure, Churn, method = m, exact = FALSE) (point-biserial for pearson)")

air_path <- file.path(shared, "airline-passenger-satisfaction", "test.csv")
if (file.exists(air_path)) {
  air <- read.csv(air_path, check.names = FALSE)
  names(air) <- make.names(names(air))
  air$satisfied <- as.integer(air$satisfaction == "satisfied")
  glm_case("glm_airline", satisfied ~ Inflight.wifi.service + Online.boarding + Seat.comfort + Inflight.entertainment + Cleanliness + Flight.Distance, air,
           call = "glm(satisfied ~ wifi + online boarding + seat comfort + entertainment + cleanliness + flight distance, binomial, data = airline test.csv)")
  lm_case("lm_airline", Inflight.entertainment ~ Seat.comfort + Food.and.drink + Cleanliness + Inflight.wifi.service, air,
          call = "lm(Inflight entertainment ~ Seat comfort + Food and drink + Cleanliness + Inflight wifi service, data = airline test.csv)")
}
