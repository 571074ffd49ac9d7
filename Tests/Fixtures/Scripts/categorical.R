# Reference values for categorical drivers (factors with treatment coding) and text outcomes
# with an event value (issue #15). Base R only (stats).
# Run from the repository root:  Rscript Tests/Fixtures/Scripts/categorical.R [path/to/shared/data]
# Writes Tests/Fixtures/Data/models/ (flat JSON, readable by Fixtures.ReferenceValues):
#   glm_telco_full.json               A(i)  all 7,043 rows, TotalCharges column dropped
#   glm_telco_full_totalcharges.json  A(ii) TotalCharges kept, 11 blank rows deleted listwise (7,032 rows)
#   r_glm_airline_categorical.json    C     cross-check of the statsmodels fit in categorical.py
#   r_group_subsets_telco.json        B     cross-check of the 64 subset fits in categorical.py
#
# Rules (the same in categorical.py):
# - Event: the outcome is 1 where it equals the event value (Telco: Churn == "Yes";
#   airline: satisfaction == "neutral or dissatisfied"), else 0.
# - A text column whose values are exactly {"No", "Yes"} is numeric, No = 0, Yes = 1, named as the column.
# - Every other text column is a factor. Reference level = the most frequent level among the rows
#   used in the fit; ties go to the first level in byte (C-locale) order. The other levels follow
#   in byte order. Each non-reference level gets a dummy named "Column[Level]".
# - Numeric columns (including SeniorCitizen 0/1) enter as they are.
# - Terms enter in the data file's column order; aliased dummies (exactly collinear with earlier
#   columns, found by R's pivoted QR qr(X, tol = 1e-7) as in lm()) are recorded as null with
#   "aliased": true; the model is fitted on the remaining columns.
# - glm.control(epsilon = 1e-14, maxit = 100): the converged MLE, not R's default stopping point.
args <- commandArgs(trailingOnly = TRUE)
shared <- if (length(args) > 0) args[1] else "../shared/data"
out <- "Tests/Fixtures/Data/models"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

num <- function(x) ifelse(is.na(x), "null", ifelse(is.infinite(x), ifelse(x > 0, "1e999", "-1e999"), sprintf("%.17g", x)))
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
esc <- function(x) gsub('"', '\\\\"', x)
str <- function(x) paste0("[", paste0('"', esc(x), '"', collapse = ", "), "]")
lgl <- function(x) paste0("[", paste(ifelse(x, "true", "false"), collapse = ", "), "]")
write_json <- function(name, fields) {
  body <- paste0('  "', names(fields), '": ', unlist(fields), collapse = ",\n")
  writeLines(paste0("{\n", body, "\n}"), file.path(out, paste0(name, ".json")))
}
ctl <- glm.control(epsilon = 1e-14, maxit = 100)

# Turn text columns into numeric 0/1 or factors per the rules; returns data, factor info, rename map.
encode <- function(d, drivers) {
  info <- list(); binary <- character(0); rename <- c()
  for (col in drivers) {
    x <- d[[col]]
    if (is.character(x)) {
      lv <- sort(unique(x), method = "radix")
      if (identical(lv, c("No", "Yes"))) { d[[col]] <- as.numeric(x == "Yes"); binary <- c(binary, col); next }
      counts <- table(factor(x, levels = lv))
      ref <- lv[which.max(counts)]            # which.max takes the first maximum: byte-order tie break
      others <- setdiff(lv, ref)
      d[[col]] <- factor(x, levels = c(ref, others))
      info[[col]] <- list(levels = lv, counts = as.integer(counts), reference = ref)
      syn <- make.names(col)
      rename[paste0(syn, others)] <- paste0(col, "[", others, "]")
    }
  }
  list(data = d, factors = info, binary = binary, rename = rename)
}

# Flat fields: factor_columns, factor_references, factor_levels_<Column> (byte order), factor_counts_<Column>.
factor_fields <- function(info) {
  res <- list(factor_columns = str(names(info)),
              factor_references = str(vapply(info, function(i) i$reference, "")))
  for (f in names(info)) {
    res[[paste0("factor_levels_", f)]] <- str(info[[f]]$levels)
    res[[paste0("factor_counts_", f)]] <- vec(info[[f]]$counts)
  }
  res
}

glm_fit <- function(name, d, outcome, drivers, call) {
  enc <- encode(d, drivers)
  dd <- enc$data[, c(drivers, outcome)]
  names(dd) <- make.names(names(dd))
  f <- as.formula(paste(make.names(outcome), "~ ."))
  # Aliasing is decided by a pivoted QR of the model matrix with lm()'s tolerance 1e-7. (glm.fit's
  # own rank tolerance is min(1e-7, epsilon / 1000) = 1e-17 at epsilon = 1e-14, which misses exact
  # collinearity and returns huge, meaningless estimates.) The aliased columns are dropped and the
  # model is refitted on the rest with the tight epsilon.
  X <- model.matrix(f, dd)
  q <- qr(X, tol = 1e-7)
  keep <- sort(q$pivot[seq_len(q$rank)])
  aliased <- !(seq_len(ncol(X)) %in% keep)
  Xk <- X[, keep, drop = FALSE]
  y <- dd[[make.names(outcome)]]
  fit0 <- glm(y ~ 0 + Xk, family = binomial, control = ctl)
  # summary.glm's standard errors use the IRLS weights of the last iteration's START point, which is
  # one step short of the MLE (1e-8 relative off here). One more pass started at the MLE puts them
  # at the MLE itself, which is what an exact implementation computes.
  fit <- glm(y ~ 0 + Xk, family = binomial, control = ctl, start = coef(fit0))
  null <- glm(y ~ 1, family = binomial, control = ctl)
  cf <- setNames(rep(NA_real_, ncol(X)), colnames(X))
  s <- summary(fit)$coefficients
  se <- zv <- pv <- cf
  cf[keep] <- s[, 1]; se[keep] <- s[, 2]; zv[keep] <- s[, 3]; pv[keep] <- s[, 4]
  terms <- names(cf)
  for (i in seq_along(terms)) if (terms[i] %in% names(enc$rename)) terms[i] <- enc$rename[[terms[i]]]
  back <- setNames(c(drivers, outcome), make.names(c(drivers, outcome)))
  for (i in seq_along(terms)) if (terms[i] %in% names(back)) terms[i] <- back[[terms[i]]]
  n <- length(fit$y); l1 <- as.numeric(logLik(fit)); l0 <- as.numeric(logLik(null))
  write_json(name, c(list(
    provenance = paste0('"', R.version.string, "; ", call, " (glm.control(epsilon = 1e-14, maxit = 100)); script Tests/Fixtures/Scripts/categorical.R", '"'),
    event = paste0('"', esc(attr(d, "event")), '"'),
    n = num(n), n_events = num(sum(fit$y)),
    binary_numeric = str(enc$binary),
    reference_rule = '"most frequent level among the rows used; ties to the first in byte order; other levels in byte order"'),
    factor_fields(enc$factors), list(
    terms = str(terms), aliased = lgl(aliased),
    estimate = vec(unname(cf)), std_error = vec(se), statistic = vec(zv), p_value = vec(pv),
    rank = num(fit$rank), df_residual = num(fit$df.residual), iterations = num(fit0$iter), converged = tolower(fit0$converged && fit$converged),
    log_likelihood = num(l1), null_log_likelihood = num(l0), deviance = num(deviance(fit)),
    null_deviance = num(deviance(null)), aic = num(AIC(fit)), bic = num(BIC(fit)),
    mcfadden_r2 = num(1 - l1 / l0))))
  invisible(fit)
}

# ---- A: Telco full churn model ----
telco <- read.csv("Tests/Fixtures/Data/telco/Telco-Customer-Churn.csv", stringsAsFactors = FALSE)
tdrivers <- c("gender", "SeniorCitizen", "Partner", "Dependents", "tenure", "PhoneService", "MultipleLines",
              "InternetService", "OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV",
              "StreamingMovies", "Contract", "PaperlessBilling", "PaymentMethod", "MonthlyCharges")
telco$ChurnEvent <- as.integer(telco$Churn == "Yes")
d1 <- telco; attr(d1, "event") <- 'Churn == "Yes"'
fit1 <- glm_fit("glm_telco_full", d1, "ChurnEvent", tdrivers,
                "glm(Churn ~ 18 standard predictors, binomial), TotalCharges dropped, all rows")
d2 <- telco
d2$TotalCharges <- suppressWarnings(as.numeric(d2$TotalCharges))
d2 <- d2[!is.na(d2$TotalCharges), ]
attr(d2, "event") <- 'Churn == "Yes"'
fit2 <- glm_fit("glm_telco_full_totalcharges", d2, "ChurnEvent", c(tdrivers, "TotalCharges"),
                "glm(Churn ~ 18 standard predictors + TotalCharges, binomial), rows with blank TotalCharges deleted")

# ---- B cross-check: the 64 subset fits of the group-Shapley case ----
players <- c("Contract", "InternetService", "PaymentMethod", "tenure", "MonthlyCharges", "SeniorCitizen")
enc <- encode(telco, players)$data
r2s <- lls <- numeric(0)
l0 <- as.numeric(logLik(glm(ChurnEvent ~ 1, data = enc, family = binomial, control = ctl)))
for (mask in 0:63) {
  S <- players[bitwAnd(mask, 2^(0:5)) > 0]
  f <- as.formula(paste("ChurnEvent ~", if (length(S)) paste(S, collapse = " + ") else "1"))
  r2 <- summary(lm(f, data = enc))$r.squared
  ll <- as.numeric(logLik(glm(f, data = enc, family = binomial, control = ctl)))
  r2s <- c(r2s, r2); lls <- c(lls, ll)
}
write_json("r_group_subsets_telco", list(
  provenance = paste0('"', R.version.string, "; cross-check of group_shapley_telco.json: summary(lm(f))$r.squared and logLik(glm(f, binomial, glm.control(epsilon = 1e-14, maxit = 100))) for every subset; mask bit k set = players[k] in the model; script Tests/Fixtures/Scripts/categorical.R", '"'),
  players = str(players), subset_mask = vec(0:63), subset_ols_r2 = vec(r2s), subset_logit_log_likelihood = vec(lls),
  subset_mcfadden_r2 = vec(1 - lls / l0), null_log_likelihood = num(l0)))

# ---- C cross-check: airline ----
air_path <- file.path(shared, "airline-passenger-satisfaction", "train.csv")
air <- read.csv(air_path, check.names = FALSE, stringsAsFactors = FALSE)
ratings <- c("Inflight wifi service", "Departure/Arrival time convenient", "Ease of Online booking", "Gate location",
             "Food and drink", "Online boarding", "Seat comfort", "Inflight entertainment", "On-board service",
             "Leg room service", "Baggage handling", "Checkin service", "Inflight service", "Cleanliness")
for (r in ratings) air[[r]][air[[r]] == 0] <- NA
air <- air[complete.cases(air[, ratings]), ]
air$Event <- as.integer(air$satisfaction == "neutral or dissatisfied")
attr(air, "event") <- 'satisfaction == "neutral or dissatisfied"'
glm_fit("r_glm_airline_categorical", air, "Event", c(ratings, "Class", "Type of Travel"),
        "glm(satisfaction == 'neutral or dissatisfied' ~ 14 ratings + Class + Type of Travel, binomial), train.csv, rating 0 = NA, listwise")
