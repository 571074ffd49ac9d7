"""Reference values for categorical drivers and event outcomes (issue #15), from statsmodels.
Run from the repository root, after categorical.R (whose outputs it cross-checks):
    python3 Tests/Fixtures/Scripts/categorical.py [path/to/shared/data]
Writes Tests/Fixtures/Data/models/ (flat JSON, readable by Fixtures.ReferenceValues):
    group_shapley_telco.json      B  factor-group Shapley / general dominance by brute force over 2^6 subsets
    glm_airline_categorical.json  C  logistic fit (Logit), airline train.csv
    lm_airline_categorical.json   C  linear probability fit (OLS) of the same 0/1 event on the same rows
and prints the largest differences from the R fits (categorical.R) on stderr.

Rules (the same as categorical.R):
- Event: outcome = 1 where it equals the event value, else 0.
- A text column whose values are exactly {"No", "Yes"} is numeric No = 0, Yes = 1.
- Any other text column is a factor: reference = most frequent level among the rows used, ties to
  the first level in byte order; the other levels in byte order, dummies named "Column[Level]".
  A two-valued text column such as Type of Travel is therefore one dummy, 1 for the less frequent
  level (identical to 0/1 coding with the most frequent level as 0).
- A factor is ONE player in Shapley / dominance: it enters and leaves with all its dummies.
- Logit: method='newton', tol=1e-12, maxiter=100; OLS: QR (pinv is not needed, no aliasing here).
"""
import json
import sys
import itertools
from math import factorial
import numpy as np
import pandas as pd
import scipy
import statsmodels
import statsmodels.api as sm

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
OUT = "Tests/Fixtures/Data/models"
VERSIONS = (f"Python {sys.version.split()[0]}, statsmodels {statsmodels.__version__}, pandas {pd.__version__}, "
            f"numpy {np.__version__}, scipy {scipy.__version__}")


def encode(data, drivers):
    """Design matrix (with const named '(Intercept)'), groups of columns per driver, factor info."""
    cols, groups, factors, binary = {}, {}, [], []
    for d in drivers:
        x = data[d]
        if not pd.api.types.is_numeric_dtype(x):
            levels = sorted(x.unique())
            if levels == ["No", "Yes"]:
                cols[d] = (x == "Yes").astype(float)
                groups[d] = [d]
                binary.append(d)
                continue
            counts = [int((x == lv).sum()) for lv in levels]
            ref = levels[int(np.argmax(counts))]  # argmax takes the first maximum: byte-order tie break
            others = [lv for lv in levels if lv != ref]
            groups[d] = []
            for lv in others:
                name = f"{d}[{lv}]"
                cols[name] = (x == lv).astype(float)
                groups[d].append(name)
            factors.append({"column": d, "levels": levels, "counts": counts, "reference": ref})
        else:
            cols[d] = x.astype(float)
            groups[d] = [d]
    X = pd.DataFrame(cols, index=data.index)
    X.insert(0, "(Intercept)", 1.0)
    return X, groups, factors, binary


def logit(y, X):
    res = sm.Logit(y, X).fit(method="newton", tol=1e-12, maxiter=100, disp=False)
    if not res.mle_retvals["converged"]:
        print("WARNING: Logit did not converge", list(X.columns), file=sys.stderr)
    return res


def factor_fields(factors):
    """Flat fields: factor_columns, factor_references, factor_levels_<Column>, factor_counts_<Column>."""
    res = {"reference_rule": "most frequent level among the rows used; ties to the first in byte order; other levels in byte order",
           "factor_columns": [fa["column"] for fa in factors], "factor_references": [fa["reference"] for fa in factors]}
    for fa in factors:
        res[f"factor_levels_{fa['column']}"] = fa["levels"]
        res[f"factor_counts_{fa['column']}"] = fa["counts"]
    return res


def max_rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    ok = ~(np.isnan(a) | np.isnan(b))
    return float(np.max(np.abs(a[ok] - b[ok]) / np.maximum(np.abs(b[ok]), 1e-300))) if ok.any() else 0.0


# ---------------- B: factor-group Shapley on Telco ----------------
telco = pd.read_csv("Tests/Fixtures/Data/telco/Telco-Customer-Churn.csv")
y = (telco["Churn"] == "Yes").astype(float)
players = ["Contract", "InternetService", "PaymentMethod", "tenure", "MonthlyCharges", "SeniorCitizen"]
X, groups, factors, _ = encode(telco, players)
p = len(players)
null = logit(y, X[["(Intercept)"]])
ll0 = float(null.llf)
subsets = {}
for mask in range(2 ** p):
    S = [players[k] for k in range(p) if mask >> k & 1]
    cols = ["(Intercept)"] + [c for pl in S for c in groups[pl]]
    if S:
        r2 = float(sm.OLS(y, X[cols]).fit().rsquared)
        lr = logit(y, X[cols])
        ll, conv = float(lr.llf), bool(lr.mle_retvals["converged"])
    else:
        r2, ll, conv = 0.0, ll0, bool(null.mle_retvals["converged"])
    subsets[mask] = {"mask": mask, "players": "+".join(S), "n_columns": len(cols), "ols_r2": r2,
                     "logit_log_likelihood": ll, "mcfadden_r2": 1 - ll / ll0, "converged": conv}


def shapley(key):
    """Shapley value = general dominance; also conditional dominance per subset size 0..p-1."""
    values, conditional = [], []
    for k in range(p):
        by_size = [[] for _ in range(p)]
        for mask in range(2 ** p):
            if mask >> k & 1:
                continue
            by_size[bin(mask).count("1")].append(subsets[mask | 1 << k][key] - subsets[mask][key])
        cond = [float(np.mean(v)) for v in by_size]
        conditional.append(cond)
        values.append(float(np.mean(cond)))
    # the same value by the permutation-weight formula, as a check
    for k in range(p):
        w = sum(factorial(bin(m).count("1")) * factorial(p - bin(m).count("1") - 1) / factorial(p)
                * (subsets[m | 1 << k][key] - subsets[m][key]) for m in range(2 ** p) if not m >> k & 1)
        assert abs(w - values[k]) < 1e-14, (key, k, w, values[k])
    return values, conditional


sh_ols, cond_ols = shapley("ols_r2")
sh_mcf, cond_mcf = shapley("mcfadden_r2")
full = subsets[2 ** p - 1]
assert abs(sum(sh_ols) - full["ols_r2"]) < 1e-14 and abs(sum(sh_mcf) - full["mcfadden_r2"]) < 1e-14
group_json = {
    "provenance": f"{VERSIONS}; brute force over all 2^6 player subsets: sm.OLS(churn, [1, S]).fit().rsquared and "
                  "sm.Logit(churn, [1, S]).fit(method='newton', tol=1e-12, maxiter=100).llf; "
                  "script Tests/Fixtures/Scripts/categorical.py; R cross-check in r_group_subsets_telco.csv",
    "data": "Tests/Fixtures/Data/telco/Telco-Customer-Churn.csv, all 7043 rows",
    "outcome": "Churn", "event": "Yes", "n": int(len(y)), "n_events": int(y.sum()),
    "players": players,
    **{f"player_columns_{pl}": groups[pl] for pl in players},
    **factor_fields(factors),
    "null_log_likelihood": ll0,
    "full_ols_r2": full["ols_r2"], "full_mcfadden_r2": full["mcfadden_r2"],
    "shapley_ols_r2": sh_ols,
    "shapley_mcfadden_r2": sh_mcf,
    "conditional_dominance_ols_r2": [v for row in cond_ols for v in row],
    "conditional_dominance_mcfadden_r2": [v for row in cond_mcf for v in row],
    "conditional_dominance_note": "row-major 6 x 6: entry [i * 6 + k] = mean of v(S + players[i]) - v(S) over the subsets S of the OTHER "
                                  "players with |S| = k (k = 0..5); general dominance (= Shapley) is the mean of row i; k = 0 is the player's own fit",
    "subsets_note": "subset_mask bit k set = players[k] in the model (subset_players lists them, '+'-joined); empty subset: R^2 = 0, "
                    "log-likelihood = null model; subset_n_columns counts the intercept",
    **{f"subset_{key}": [subsets[m][key] for m in range(2 ** p)]
       for key in ["mask", "players", "n_columns", "ols_r2", "logit_log_likelihood", "mcfadden_r2", "converged"]},
}
with open(f"{OUT}/group_shapley_telco.json", "w") as fh:
    json.dump(group_json, fh, indent=1)

rsub = json.load(open(f"{OUT}/r_group_subsets_telco.json"))
assert rsub["players"] == players and rsub["subset_mask"] == list(range(2 ** p))
print("B vs R: max rel diff OLS R2 %.3g, logLik %.3g, McFadden %.3g" % (
    max_rel([subsets[m]["ols_r2"] for m in range(1, 2 ** p)], rsub["subset_ols_r2"][1:]),
    max_rel([subsets[m]["logit_log_likelihood"] for m in range(2 ** p)], rsub["subset_logit_log_likelihood"]),
    max_rel([subsets[m]["mcfadden_r2"] for m in range(1, 2 ** p)], rsub["subset_mcfadden_r2"][1:])), file=sys.stderr)

# ---------------- A cross-check: full Telco model in statsmodels ----------------
tdrivers = ["gender", "SeniorCitizen", "Partner", "Dependents", "tenure", "PhoneService", "MultipleLines",
            "InternetService", "OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV",
            "StreamingMovies", "Contract", "PaperlessBilling", "PaymentMethod", "MonthlyCharges"]
for name, data, drivers in [
        ("glm_telco_full", telco, tdrivers),
        ("glm_telco_full_totalcharges",
         telco.assign(TotalCharges=pd.to_numeric(telco["TotalCharges"], errors="coerce")).dropna(subset=["TotalCharges"]),
         tdrivers + ["TotalCharges"])]:
    ref = json.load(open(f"{OUT}/{name}.json"))
    Xa, _, fa, _ = encode(data, drivers)
    assert list(Xa.columns) == ref["terms"], (list(Xa.columns), ref["terms"])
    keep = [t for t, a in zip(ref["terms"], ref["aliased"]) if not a]
    assert np.linalg.matrix_rank(Xa.values) == len(keep)
    r = logit((data["Churn"] == "Yes").astype(float), Xa[keep])
    est = [v for v, a in zip(ref["estimate"], ref["aliased"]) if not a]
    se = [v for v, a in zip(ref["std_error"], ref["aliased"]) if not a]
    print(f"A {name} vs statsmodels: max rel diff estimate %.3g, SE %.3g, logLik %.3g" % (
        max_rel(r.params, est), max_rel(r.bse, se), max_rel([r.llf], [ref["log_likelihood"]])), file=sys.stderr)

# ---------------- C: airline, event "neutral or dissatisfied" ----------------
air = pd.read_csv(f"{shared}/airline-passenger-satisfaction/train.csv")
ratings = ["Inflight wifi service", "Departure/Arrival time convenient", "Ease of Online booking", "Gate location",
           "Food and drink", "Online boarding", "Seat comfort", "Inflight entertainment", "On-board service",
           "Leg room service", "Baggage handling", "Checkin service", "Inflight service", "Cleanliness"]
n_raw = len(air)
zeros = {r: int((air[r] == 0).sum()) for r in ratings}
air[ratings] = air[ratings].replace(0, np.nan)
air = air.dropna(subset=ratings)
drivers = ratings + ["Class", "Type of Travel"]
Xc, groups_c, factors_c, binary_c = encode(air, drivers)
yc = (air["satisfaction"] == "neutral or dissatisfied").astype(float)
lr = logit(yc, Xc)
lr0 = logit(yc, Xc[["(Intercept)"]])
ols = sm.OLS(yc, Xc).fit()
common = {
    "data": "shared/data/airline-passenger-satisfaction/train.csv (train only; test.csv not used)",
    "outcome": "satisfaction", "event": "neutral or dissatisfied",
    "missing_rule": "0 in any of the 14 rating columns = not applicable = missing; rows with any missing rating deleted "
                    "(listwise, rating columns only; Arrival Delay in Minutes is not a driver and its blanks are ignored)",
    "n_raw": n_raw, **{f"zeros_{r}": z for r, z in zeros.items()}, "n": int(len(yc)), "n_events": int(yc.sum()),
    "binary_numeric": binary_c, **factor_fields(factors_c),
    "terms": list(Xc.columns),
}
glm_json = {
    "provenance": f"{VERSIONS}; sm.Logit(event, X).fit(method='newton', tol=1e-12, maxiter=100); "
                  "script Tests/Fixtures/Scripts/categorical.py; R glm cross-check in r_glm_airline_categorical.json",
    **common,
    "estimate": [float(v) for v in lr.params], "std_error": [float(v) for v in lr.bse],
    "statistic": [float(v) for v in lr.tvalues], "p_value": [float(v) for v in lr.pvalues],
    "log_likelihood": float(lr.llf), "null_log_likelihood": float(lr0.llf),
    "deviance": -2 * float(lr.llf), "null_deviance": -2 * float(lr0.llf),
    "mcfadden_r2": 1 - float(lr.llf) / float(lr0.llf), "aic": float(lr.aic), "bic": float(lr.bic),
    "iterations": int(lr.mle_retvals["iterations"]), "converged": bool(lr.mle_retvals["converged"]),
}
lm_json = {
    "provenance": f"{VERSIONS}; sm.OLS(event, X).fit() (linear probability model of the 0/1 event); "
                  "script Tests/Fixtures/Scripts/categorical.py",
    **common,
    "estimate": [float(v) for v in ols.params], "std_error": [float(v) for v in ols.bse],
    "statistic": [float(v) for v in ols.tvalues], "p_value": [float(v) for v in ols.pvalues],
    "r_squared": float(ols.rsquared), "adjusted_r_squared": float(ols.rsquared_adj),
    "f_statistic": float(ols.fvalue), "f_p_value": float(ols.f_pvalue),
    "sigma": float(np.sqrt(ols.scale)), "log_likelihood": float(ols.llf), "df_residual": float(ols.df_resid),
}
for name, obj in [("glm_airline_categorical", glm_json), ("lm_airline_categorical", lm_json)]:
    with open(f"{OUT}/{name}.json", "w") as fh:
        json.dump(obj, fh, indent=1)
ref = json.load(open(f"{OUT}/r_glm_airline_categorical.json"))
assert ref["terms"] == list(Xc.columns) and ref["n"] == len(yc)
print("C airline vs R glm: max rel diff estimate %.3g, SE %.3g, z %.3g, logLik %.3g" % (
    max_rel(lr.params, ref["estimate"]), max_rel(lr.bse, ref["std_error"]), max_rel(lr.tvalues, ref["statistic"]),
    max_rel([lr.llf], [ref["log_likelihood"]])), file=sys.stderr)
