# Reference values for variance inflation: VIF for logistic and ordinal models and the
# generalized VIF of Fox & Monette (1992) for factors, as car::vif prints them, plus the
# proportional-odds model with controls (numeric and text) of the bank survey.
# R 4.x with Debian's r-cran-car (car 3.1-1), r-cran-mass (MASS 7.3-58) and r-cran-numderiv.
# Run from the repository root:  Rscript Tests/Fixtures/Scripts/vif.R
# Writes Tests/Fixtures/Data/models/:
#   vif_telco.json           car::vif of a Telco logistic model (glm, binomial), of the linear
#                            probability model on the same terms (lm), the Fox–Monette formula
#                            applied by hand to vcov(glm) (cross-check of car), and the
#                            formula on vcov(glm) of a model with an aliased term (car refuses it)
#   polr_bank_controls.json  MASS::polr of sat1 on three drivers with one numeric and one text
#                            control: estimates, SEs, cut-points, log-likelihoods, the eight
#                            submodels (drivers subset + controls), the Shapley values of the
#                            drivers with the controls always in, car::vif of the full model,
#                            and a polr with a three-level factor driver (Telco) for the GVIF
#
# Coding rules (those of Tests/Fixtures/Scripts/categorical.R and of kda):
# - Telco Churn: 1 for "Yes". Text columns that are exactly {No, Yes} are 0/1 numbers.
# - Other text columns are factors; reference = the most frequent level among the rows used;
#   the other levels follow in byte order.
# - Rows with a blank TotalCharges are left out (7,032 of 7,043).
suppressMessages({ library(car); library(MASS) })
out <- "Tests/Fixtures/Data/models"
num <- function(x) ifelse(is.na(x), "null", ifelse(is.infinite(x), "null", sprintf("%.17g", x)))
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
str <- function(x) paste0("[", paste0('"', gsub('"', '\\\\"', x), '"', collapse = ", "), "]")
write_json <- function(name, fields) {
  body <- paste0('  "', names(fields), '": ', unlist(fields), collapse = ",\n")
  writeLines(paste0("{\n", body, "\n}"), file.path(out, paste0(name, ".json")))
}
relevel_most_frequent <- function(x) {
  lv <- sort(unique(x), method = "radix")
  counts <- table(factor(x, levels = lv))
  ref <- lv[which.max(counts)]
  factor(x, levels = c(ref, setdiff(lv, ref)))
}
versions <- sprintf("%s; car %s; MASS %s", R.version.string, as.character(packageVersion("car")),
                    as.character(packageVersion("MASS")))

# The Fox–Monette formula on a covariance of the slopes, by term (`assign` gives each column's term).
gvif <- function(v, assign) {
  R <- cov2cor(v)
  detR <- det(R)
  sapply(sort(unique(assign)), function(t) {
    s <- which(assign == t)
    det(as.matrix(R[s, s])) * det(as.matrix(R[-s, -s])) / detR
  })
}

# ---- Telco: logistic and linear models with factors -------------------------------------------
telco <- read.csv("Tests/Fixtures/Data/telco/Telco-Customer-Churn.csv", stringsAsFactors = FALSE)
telco$TotalCharges <- suppressWarnings(as.numeric(telco$TotalCharges))
telco <- telco[!is.na(telco$TotalCharges), ]
telco$Churn <- as.numeric(telco$Churn == "Yes")
for (col in c("Partner", "PaperlessBilling")) telco[[col]] <- as.numeric(telco[[col]] == "Yes")
for (col in c("Contract", "InternetService", "PaymentMethod", "OnlineSecurity")) telco[[col]] <- relevel_most_frequent(telco[[col]])
terms <- c("tenure", "MonthlyCharges", "TotalCharges", "SeniorCitizen", "Partner", "Contract",
           "InternetService", "PaymentMethod", "PaperlessBilling")
formula <- as.formula(paste("Churn ~", paste(terms, collapse = " + ")))
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
logit <- glm(formula, family = binomial, data = telco, control = ctl)
lpm <- lm(formula, data = telco)
car_logit <- vif(logit)
car_lpm <- vif(lpm)
v <- vcov(logit)[-1, -1]
by_hand <- gvif(v, attr(model.matrix(logit), "assign")[-1])

# An aliased term: OnlineSecurity's "No internet service" dummy equals InternetService[No].
# car::vif refuses a model with aliased coefficients (glm with R's default control detects them);
# the reference for the other terms is the formula on the estimable columns: the columns kept by
# R's pivoted QR (qr(X, tol = 1e-7), as lm does), fitted by glm.fit with epsilon = 1e-14.
aliased_terms <- c(terms, "OnlineSecurity")
aliased_formula <- as.formula(paste("Churn ~", paste(aliased_terms, collapse = " + ")))
car_refusal <- tryCatch({ vif(glm(aliased_formula, family = binomial, data = telco)); "" },
                        error = function(e) conditionMessage(e))
X <- model.matrix(aliased_formula, data = telco)
q <- qr(X, tol = 1e-7)
keep_columns <- sort(q$pivot[seq_len(q$rank)])
aliased_fit <- glm.fit(X[, keep_columns], telco$Churn, family = binomial(), control = ctl)
v_kept <- summary.glm(structure(aliased_fit, class = c("glm", "lm")))$cov.unscaled[-1, -1]
assign_aliased <- attr(X, "assign")[-1]
kept <- (2:ncol(X)) %in% keep_columns
aliased_names <- colnames(X)[-1][!kept]
g_kept <- gvif(v_kept, assign_aliased[kept])
term_has_alias <- sapply(seq_along(aliased_terms), function(t) any(!kept[assign_aliased == t]))

write_json("vif_telco", list(
  provenance = sprintf('"%s; car::vif(glm(Churn ~ %s, binomial, epsilon = 1e-14)) and car::vif(lm(same)) on Telco (7,032 rows with TotalCharges), factors with the most frequent level as reference; the aliased model adds OnlineSecurity and applies det(R11)det(R22)/det(R) to cov2cor(vcov(glm)) on the estimable columns (car::vif refuses: %s)"',
                       versions, paste(terms, collapse = " + "), car_refusal),
  terms = str(rownames(car_logit)),
  df = vec(car_logit[, "Df"]),
  logistic_gvif = vec(car_logit[, "GVIF"]),
  logistic_gvif_adjusted = vec(car_logit[, "GVIF^(1/(2*Df))"]),
  logistic_gvif_by_hand = vec(by_hand),
  linear_gvif = vec(car_lpm[, "GVIF"]),
  linear_gvif_adjusted = vec(car_lpm[, "GVIF^(1/(2*Df))"]),
  n = num(nobs(logit)),
  aliased_model_terms = str(aliased_terms),
  aliased_model_columns = str(aliased_names),
  aliased_model_term_aliased = vec(as.numeric(term_has_alias)),
  aliased_model_gvif = vec(ifelse(term_has_alias, NA, g_kept[match(seq_along(aliased_terms), sort(unique(assign_aliased[kept])))])),
  aliased_model_note = '"null: the term holds an aliased column (infinite GVIF); the others: the formula on the estimable columns"',
  aliased_model_df = vec(sapply(seq_along(aliased_terms), function(t) sum(assign_aliased == t))),
  car_refusal = sprintf('"%s"', car_refusal)
))

# ---- Bank survey: proportional odds with a numeric and a text control -------------------------
bank <- read.csv("Tests/Fixtures/Data/bank-satisfaction/satisfaction.csv", stringsAsFactors = FALSE)
bank$gender <- relevel_most_frequent(bank$gender)   # female (148) is the reference
drivers <- c("qual1", "val1", "imag1")
controls <- c("expe1", "gender")
polr_fit <- function(vars) {
  f <- as.formula(paste("factor(sat1, ordered = TRUE) ~", paste(vars, collapse = " + ")))
  polr(f, data = bank, Hess = TRUE, control = list(reltol = 1e-14, maxit = 1000))
}
full <- polr_fit(c(drivers, controls))
null <- polr(factor(sat1, ordered = TRUE) ~ 1, data = bank, Hess = TRUE, control = list(reltol = 1e-14, maxit = 1000))
ll0 <- as.numeric(logLik(null))
p <- length(drivers)
masks <- 0:(2^p - 1)
subset_ll <- sapply(masks, function(mask) {
  members <- drivers[bitwAnd(mask, 2^(0:(p - 1))) != 0]
  as.numeric(logLik(polr_fit(c(members, controls))))
})
fit_of <- function(mask) (1 - subset_ll[mask + 1] / ll0) - (1 - subset_ll[1] / ll0)   # controls always in
shapley <- sapply(seq_len(p), function(j) {
  bit <- 2^(j - 1)
  total <- 0
  for (mask in masks[bitwAnd(masks, bit) == 0]) {
    k <- sum(bitwAnd(mask, 2^(0:(p - 1))) != 0)
    w <- factorial(k) * factorial(p - k - 1) / factorial(p)
    total <- total + w * (fit_of(mask + bit) - fit_of(mask))
  }
  total
})
se <- sqrt(diag(vcov(full)))
beta_names <- names(coef(full))
car_polr <- vif(full)

# A three-level factor driver in a proportional-odds model: Telco contract length
# (Month-to-month < One year < Two year) on tenure, MonthlyCharges, SeniorCitizen, InternetService.
telco$ContractOrder <- as.numeric(telco$Contract == "One year") + 2 * as.numeric(telco$Contract == "Two year")
ordinal_telco <- polr(factor(ContractOrder, ordered = TRUE) ~ tenure + MonthlyCharges + SeniorCitizen + InternetService,
                      data = telco, Hess = TRUE, control = list(reltol = 1e-14, maxit = 1000))
car_ordinal_telco <- vif(ordinal_telco)
without_internet <- polr(factor(ContractOrder, ordered = TRUE) ~ tenure + MonthlyCharges + SeniorCitizen,
                         data = telco, Hess = TRUE, control = list(reltol = 1e-14, maxit = 1000))
internet_lr <- 2 * (as.numeric(logLik(ordinal_telco)) - as.numeric(logLik(without_internet)))   # Type II (drop1) LR of the factor
# polr's vcov inverts optim's finite-difference Hessian, which on columns of such different scales
# (months, currency, 0/1) is good to ~1e-4 only. The same formula on the inverse of the Hessian of
# the log-likelihood — Richardson extrapolation (numDeriv) of its analytic gradient at polr's
# estimate — is the tighter reference.
X_ord <- model.matrix(~ tenure + MonthlyCharges + SeniorCitizen + InternetService, data = telco)[, -1]
y_ord <- telco$ContractOrder
negll <- function(theta) {
  b <- theta[seq_len(ncol(X_ord))]; z <- theta[-seq_len(ncol(X_ord))]
  eta <- drop(X_ord %*% b)
  upper <- ifelse(y_ord < length(z), plogis(c(z, Inf)[y_ord + 1] - eta), 1)
  lower <- ifelse(y_ord > 0, plogis(c(-Inf, z)[y_ord + 1] - eta), 0)
  -sum(log(upper - lower))
}
# Its gradient (d log P/dβ = −x (f(a) − f(b))/P, d/dζ_y = f(a)/P, d/dζ_{y−1} = −f(b)/P with
# a = ζ_y − η, b = ζ_{y−1} − η, f = F(1 − F)); the Hessian is numDeriv's Richardson Jacobian of it.
negll_gradient <- function(theta) {
  p <- ncol(X_ord); b <- theta[seq_len(p)]; z <- theta[-seq_len(p)]; K <- length(z)
  eta <- drop(X_ord %*% b)
  a <- ifelse(y_ord < K, c(z, Inf)[y_ord + 1] - eta, Inf)
  lo <- ifelse(y_ord > 0, c(-Inf, z)[y_ord + 1] - eta, -Inf)
  Fa <- plogis(a); Fb <- plogis(lo); P <- Fa - Fb
  fa <- ifelse(is.finite(a), Fa * (1 - Fa), 0); fb <- ifelse(is.finite(lo), Fb * (1 - Fb), 0)
  g_beta <- -colSums(X_ord * (-(fa - fb) / P))
  g_zeta <- sapply(seq_len(K), function(k) -(sum((fa / P)[y_ord == k - 1]) - sum((fb / P)[y_ord == k])))
  c(g_beta, g_zeta)
}
theta_ord <- c(coef(ordinal_telco), ordinal_telco$zeta)
stopifnot(max(abs(negll_gradient(theta_ord) - numDeriv::grad(negll, theta_ord))) < 1e-3)
H <- numDeriv::jacobian(negll_gradient, theta_ord)
H <- (H + t(H)) / 2
v_exact <- solve(H)[seq_len(ncol(X_ord)), seq_len(ncol(X_ord))]
assign_ord <- attr(model.matrix(~ tenure + MonthlyCharges + SeniorCitizen + InternetService, data = telco), "assign")[-1]
exact_ordinal_telco <- gvif(v_exact, assign_ord)

write_json("polr_bank_controls", list(
  provenance = sprintf('"%s; MASS::polr(factor(sat1, ordered = TRUE) ~ qual1 + val1 + imag1 + expe1 + gender, Hess = TRUE, reltol = 1e-14) on Tests/Fixtures/Data/bank-satisfaction (gender reference: female, the most frequent); every submodel keeps expe1 + gender; Shapley by the subset-weight formula on McFadden R2 minus the controls-only McFadden R2; car::vif(polr); car::vif(polr(ContractOrder ~ tenure + MonthlyCharges + SeniorCitizen + InternetService)) on Telco (7,032 rows with TotalCharges), and the same formula on the inverse of numDeriv %s::jacobian (Richardson) of the analytic gradient of its log-likelihood (telco_gvif_richardson)"', versions, as.character(packageVersion("numDeriv"))),
  names = str(beta_names),
  estimate = vec(coef(full)),
  std_error = vec(se[beta_names]),
  zeta = vec(full$zeta),
  zeta_std_error = vec(se[names(full$zeta)]),
  log_likelihood = num(as.numeric(logLik(full))),
  null_log_likelihood = num(ll0),
  subset_log_likelihood = vec(subset_ll),
  shapley = vec(shapley),
  controls_only_mcfadden = num(1 - subset_ll[1] / ll0),
  vif_terms = str(names(car_polr)),
  vif = vec(as.numeric(car_polr)),
  telco_terms = str(rownames(car_ordinal_telco)),
  telco_gvif = vec(car_ordinal_telco[, "GVIF"]),
  telco_gvif_adjusted = vec(car_ordinal_telco[, "GVIF^(1/(2*Df))"]),
  telco_df = vec(car_ordinal_telco[, "Df"]),
  telco_gvif_richardson = vec(exact_ordinal_telco),
  telco_gvif_richardson_adjusted = vec(exact_ordinal_telco^(1 / (2 * car_ordinal_telco[, "Df"]))),
  telco_log_likelihood = num(as.numeric(logLik(ordinal_telco))),
  telco_internet_lr = num(internet_lr),
  telco_estimate = vec(coef(ordinal_telco)),
  telco_names = str(names(coef(ordinal_telco)))
))
