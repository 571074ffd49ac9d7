# Reference values for MultipleImputationTests (Swift MICE + Rubin's rules vs R's mice).
#
#   Rscript Tests/Fixtures/Scripts/mice_reference.R      # from the package root
#
# Writes Tests/Fixtures/Data/mice/mar.csv (a synthetic survey with MAR missingness) and
# Tests/Fixtures/Data/mice/reference.json (mice pooled coefficients, standard errors and the
# Rubin's-rules parts, plus the spread of the pooled estimates over 40 other seeds, which checks
# the Monte Carlo error the Swift test's bound is derived from); and Data/mice/mar_m5_long.csv +
# reference_m5.json: five datasets imputed by mice (complete(imp, "long")) with pool() of lm and glm
# on them, so Swift's analysis and Rubin's rules on the same datasets can be checked exactly.
# Run with R 4.x and mice 3.15.0 (Debian r-cran-mice); jsonlite is not needed.
suppressMessages(library(mice))
set.seed(20261205)
n <- 600
x1 <- rnorm(n)
x2 <- 0.5 * x1 + rnorm(n)
x3 <- rbinom(n, 1, plogis(0.3 * x1))
r <- pmin(5, pmax(1, round(3 + 0.8 * x2 + rnorm(n, sd = 0.8))))
y <- 2 + 0.8 * x1 - 0.5 * x2 + 0.7 * x3 + 0.3 * r + rnorm(n, sd = 1.5)
churn <- rbinom(n, 1, plogis(-0.5 + 0.6 * x1 - 0.4 * x2 + 0.8 * x3))
# Missing at random: missingness depends only on x1 and y, which are always observed.
ys <- as.numeric(scale(y))
x2[runif(n) < plogis(-1.2 + 0.8 * x1)] <- NA
r[runif(n) < plogis(-1.5 + 0.5 * ys)] <- NA
x3[runif(n) < plogis(-1.8 - 0.5 * x1)] <- NA
data <- data.frame(y = y, churn = churn, x1 = round(x1, 6), x2 = round(x2, 6), x3 = x3, r = r)
write.csv(data, "Tests/Fixtures/Data/mice/mar.csv", row.names = FALSE, na = "")
data <- read.csv("Tests/Fixtures/Data/mice/mar.csv")

m <- 20; seed <- 2024
fits <- list(
  linear = list(columns = c("y", "x1", "x2", "x3", "r"), fit = function(imp) with(imp, lm(y ~ x1 + x2 + x3 + r))),
  logistic = list(columns = c("churn", "x1", "x2", "x3", "r"), fit = function(imp) with(imp, glm(churn ~ x1 + x2 + x3 + r, family = binomial)))
)
num <- function(x) formatC(x, digits = 17, format = "g")
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
str <- function(x) paste0("[", paste0('"', x, '"', collapse = ", "), "]")
out <- c("{", '  "source": "R mice 3.15.0: mice(data[, columns], m = 20, method = \\"pmm\\", maxit = 5, seed = 2024, printFlag = FALSE); pool(with(imp, lm/glm(...))); spread: sd and mean of the pooled estimates over seeds 1..40",')
out <- c(out, sprintf('  "rows": %d, "complete_cases_linear": %d, "complete_cases_logistic": %d,', n,
                      sum(complete.cases(data[, fits$linear$columns])), sum(complete.cases(data[, fits$logistic$columns]))))
blocks <- c()
for (name in names(fits)) {
  spec <- fits[[name]]
  imp <- mice(data[, spec$columns], m = m, method = "pmm", maxit = 5, seed = seed, printFlag = FALSE)
  fit <- spec$fit(imp)
  p <- pool(fit)$pooled
  within <- sapply(fit$analyses, function(a) diag(vcov(a)))
  spread <- sapply(1:40, function(s) {
    other <- mice(data[, spec$columns], m = m, method = "pmm", maxit = 5, seed = s, printFlag = FALSE)
    pool(spec$fit(other))$pooled$estimate
  })
  blocks <- c(blocks, paste0(
    '  "', name, '": {\n',
    '    "terms": ', str(as.character(p$term)), ',\n',
    '    "estimate": ', vec(p$estimate), ',\n',
    '    "std_error": ', vec(sqrt(p$t)), ',\n',
    '    "ubar": ', vec(p$ubar), ',\n',
    '    "b": ', vec(p$b), ',\n',
    '    "t": ', vec(p$t), ',\n',
    '    "df": ', vec(p$df), ',\n',
    '    "dfcom": ', num(p$dfcom[1]), ',\n',
    '    "fmi": ', vec(p$fmi), ',\n',
    '    "within_sd": ', vec(apply(within, 1, sd)), ',\n',
    '    "seed_spread_sd": ', vec(apply(spread, 1, sd)), ',\n',
    '    "seed_spread_mean": ', vec(apply(spread, 1, mean)), '\n',
    '  }'))
}
out <- c(out, paste(blocks, collapse = ",\n"), "}")
writeLines(out, "Tests/Fixtures/Data/mice/reference.json")

# Exact check of the pooling: mice's own five imputed datasets, analysed and pooled by mice.
imp5 <- mice(data, m = 5, method = "pmm", maxit = 5, seed = 99, printFlag = FALSE)
long <- complete(imp5, "long")
write.csv(long[, c(".imp", "y", "churn", "x1", "x2", "x3", "r")], "Tests/Fixtures/Data/mice/mar_m5_long.csv", row.names = FALSE)
exact <- function(fit) {
  p <- pool(fit)$pooled
  paste0('{"terms": ', str(as.character(p$term)), ', "estimate": ', vec(p$estimate), ', "std_error": ', vec(sqrt(p$t)),
         ', "b": ', vec(p$b), ', "df": ', vec(p$df), ', "fmi": ', vec(p$fmi), '}')
}
writeLines(c("{", '  "source": "R mice 3.15.0: imp <- mice(data, m = 5, method = \\"pmm\\", maxit = 5, seed = 99); pool(with(imp, lm(y ~ x1 + x2 + x3 + r))) and glm(churn ~ x1 + x2 + x3 + r, binomial, epsilon = 1e-14)",',
             paste0('  "linear": ', exact(with(imp5, lm(y ~ x1 + x2 + x3 + r))), ','),
             paste0('  "logistic": ', exact(with(imp5, glm(churn ~ x1 + x2 + x3 + r, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))))),
             "}"), "Tests/Fixtures/Data/mice/reference_m5.json")
