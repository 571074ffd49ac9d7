"""Type II joint tests of factors on the bundled Telco file, for kda's `joint_test`.

- logistic: Churn (Yes) ~ Contract + InternetService + PaymentMethod + PaperlessBilling + tenure
  + MonthlyCharges + SeniorCitizen; each factor's likelihood-ratio test (statsmodels Logit, full
  minus the model without the factor, same rows) — R's car::Anova(glm, type = 2).
- linear: MonthlyCharges ~ Contract + PaymentMethod + InternetService + SeniorCitizen + tenure;
  statsmodels anova_lm(typ=2) F tests — R's car::Anova(lm).
Run from the repository root:  python3 Tests/Fixtures/Scripts/factor_tests.py
Writes Tests/Fixtures/Data/factor_tests/telco.json.
"""
import json
import numpy as np, pandas as pd, statsmodels, statsmodels.api as sm, statsmodels.formula.api as smf
from statsmodels.stats.anova import anova_lm

d = pd.read_csv("Tests/Fixtures/Data/telco/Telco-Customer-Churn.csv")
d["churn"] = (d["Churn"] == "Yes").astype(int)
logit_drivers = ["Contract", "InternetService", "PaymentMethod", "PaperlessBilling", "tenure", "MonthlyCharges", "SeniorCitizen"]
factors = ["Contract", "InternetService", "PaymentMethod"]
def term(x): return f"C(Q('{x}'))" if x in factors or x == "PaperlessBilling" else f"Q('{x}')"
def formula(y, xs): return f"{y} ~ " + " + ".join(term(x) for x in xs)
full = smf.logit(formula("churn", logit_drivers), d).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
logistic = {}
for f in factors:
    reduced = smf.logit(formula("churn", [x for x in logit_drivers if x != f]), d).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
    lr = 2 * (full.llf - reduced.llf)
    df = int(full.df_model - reduced.df_model)
    from scipy.stats import chi2
    logistic[f] = {"statistic": lr, "df": df, "p_value": chi2.sf(lr, df)}
lin_drivers = ["Contract", "PaymentMethod", "InternetService", "SeniorCitizen", "tenure"]
model = smf.ols(formula("MonthlyCharges", lin_drivers), d).fit()
table = anova_lm(model, typ=2)
linear = {}
for f in factors:
    row = table.loc[term(f)]
    linear[f] = {"statistic": float(row["F"]), "df": int(row["df"]), "df_residual": float(model.df_resid), "p_value": float(row["PR(>F)"])}
out = {"provenance": f"statsmodels {statsmodels.__version__}: Tests/Fixtures/Scripts/factor_tests.py (Type II: logistic LR full vs without the factor; linear anova_lm typ=2)",
       "logistic": {"outcome": "Churn", "event": "Yes", "drivers": logit_drivers, "tests": logistic},
       "linear": {"outcome": "MonthlyCharges", "drivers": lin_drivers, "tests": linear}}
json.dump(out, open("Tests/Fixtures/Data/factor_tests/telco.json", "w"), indent=1)
print(json.dumps(out, indent=1)[:1500])
