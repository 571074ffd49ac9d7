"""The logistic-importance battery: data shaped like the files that broke the warm-started subset
walk, each with Shapley values on McFadden R² from brute force over independently fitted
submodels (statsmodels Logit, Newton, tol 1e-14, every subset of players from scratch).

Cases (synthetic ones generated here with a fixed seed and written beside the reference):
- amounts_counts: a transaction count beside a transaction amount in the thousands, a revolving
  balance with many zeros, contacts and inactivity counts (a credit-card attrition file).
- rare_events: six 0–10 ratings, event rate about 1.5 %.
- quasi_separated: a binary 'vip' flag with vip = 1 ⇒ churn = 0 (quasi-complete separation in every
  submodel holding it). Those submodels have no maximum; their supremum is computed exactly as
  ℓ(model without vip on the vip = 0 rows): the vip rows' terms tend to 0 as its coefficient → −∞.
- aliased_triple: credit_limit = revolving_bal + open_to_buy exactly, plus two ratings.
- rare_levels: a six-level text factor with levels of 6 and 15 rows, plus three ratings.
- telco_factors: the bundled IBM Telco file, the walk-through's nine drivers (six factors whose
  'No internet service' dummies are aliased across factors).
- telco_aliased: Telco with MultipleLines[No phone service] = 1 − PhoneService[Yes] and the
  'No internet service' dummies of OnlineSecurity and StreamingTV equal to InternetService[No]
  (exact duplicates across players), plus TotalCharges (11 blank rows dropped, as kda does).
Aliased columns of a submodel are dropped by a pivoted QR of its centred columns (relative pivot
1e-9), as R's glm reports NA; a factor enters with all its levels but the first (the reference
level does not change ℓ).
Run from the repository root:  python3 Tests/Fixtures/Scripts/logistic_battery.py
Writes Tests/Fixtures/Data/battery/<case>.csv (synthetic cases) and logistic_battery.json.
"""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shapley_table import shapley_from_table
import numpy as np, pandas as pd, scipy, scipy.linalg, statsmodels, statsmodels.api as sm

OUT = "Tests/Fixtures/Data/battery"
rng = np.random.default_rng(20261205)

def logistic(eta):
    return 1 / (1 + np.exp(-eta))

def amounts_counts():
    n = 3000
    ct = rng.poisson(65, n).astype(float)
    amt = np.round(ct * rng.uniform(40, 90, n) + rng.normal(0, 500, n)).clip(500)
    bal = np.where(rng.random(n) < 0.25, 0, rng.integers(100, 2518, n)).astype(float)
    contacts = rng.poisson(2.4, n).clip(0, 6).astype(float)
    inactive = rng.integers(1, 7, n).astype(float)
    eta = 3.5 - 0.11 * ct + 0.00045 * amt - 0.0007 * bal + 0.45 * contacts + 0.4 * inactive - 1.5
    y = (rng.random(n) < logistic(eta)).astype(int)
    d = pd.DataFrame({"trans_ct": ct, "trans_amt": amt, "revolving_bal": bal, "contacts": contacts, "inactive": inactive,
                      "churn": y})
    return d, "churn", ["trans_ct", "trans_amt", "revolving_bal", "contacts", "inactive"], []

def rare_events():
    n = 5000
    x = np.clip(np.round(rng.normal(7, 2, (n, 6))), 0, 10)
    eta = -4.6 - 0.35 * (x[:, 0] - 7) - 0.25 * (x[:, 1] - 7) - 0.1 * (x[:, 2] - 7) - 0.05 * (x[:, 3] - 7)
    y = (rng.random(n) < logistic(eta)).astype(int)
    d = pd.DataFrame({f"r{j + 1}": x[:, j] for j in range(6)})
    d["churn"] = y
    return d, "churn", [f"r{j + 1}" for j in range(6)], []

def quasi_separated():
    n = 1500
    x = np.clip(np.round(rng.normal(6, 2, (n, 4))), 0, 10)
    vip = (rng.random(n) < 0.06).astype(int)
    eta = -1.2 - 0.4 * (x[:, 0] - 6) - 0.2 * (x[:, 1] - 6) + 0.1 * (x[:, 2] - 6)
    y = (rng.random(n) < logistic(eta)).astype(int)
    y[vip == 1] = 0
    d = pd.DataFrame({f"q{j + 1}": x[:, j] for j in range(4)})
    d["vip"] = vip
    d["churn"] = y
    return d, "churn", ["q1", "q2", "q3", "q4", "vip"], []

def aliased_triple():
    n = 2000
    bal = np.round(rng.uniform(0, 2500, n))
    otb = np.round(rng.gamma(2, 3000, n))
    limit = bal + otb
    s1 = np.clip(np.round(rng.normal(7, 2, n)), 0, 10)
    s2 = np.clip(np.round(rng.normal(6, 2, n)), 0, 10)
    eta = -0.5 - 0.0008 * bal + 0.00003 * otb - 0.3 * (s1 - 7) - 0.15 * (s2 - 6)
    y = (rng.random(n) < logistic(eta)).astype(int)
    d = pd.DataFrame({"revolving_bal": bal, "open_to_buy": otb, "credit_limit": limit, "s1": s1, "s2": s2, "churn": y})
    return d, "churn", ["revolving_bal", "open_to_buy", "credit_limit", "s1", "s2"], []

def rare_levels():
    n = 2500
    counts = [1100, 700, 450, 229, 15, 6]
    levels = np.repeat(["basic", "plus", "family", "pro", "legacy", "trial"], counts)
    rng.shuffle(levels)
    effect = {"basic": 0, "plus": -0.3, "family": -0.6, "pro": 0.2, "legacy": 1.4, "trial": 1.8}
    x = np.clip(np.round(rng.normal(7, 2, (n, 3))), 0, 10)
    eta = -1.0 + np.array([effect[v] for v in levels]) - 0.3 * (x[:, 0] - 7) - 0.15 * (x[:, 1] - 7)
    y = (rng.random(n) < logistic(eta)).astype(int)
    for level in ("legacy", "trial"):          # rare, but not separated: both outcomes occur
        rows = np.flatnonzero(levels == level)
        y[rows[0]], y[rows[1]] = 0, 1
    d = pd.DataFrame({"plan": levels, "a1": x[:, 0], "a2": x[:, 1], "a3": x[:, 2], "churn": y})
    return d, "churn", ["plan", "a1", "a2", "a3"], ["plan"]

def telco_factors():
    d = pd.read_csv("Tests/Fixtures/Data/telco/Telco-Customer-Churn.csv")
    d["churn"] = (d["Churn"] == "Yes").astype(int)
    drivers = ["Contract", "InternetService", "OnlineSecurity", "TechSupport", "PaymentMethod", "PaperlessBilling",
               "tenure", "MonthlyCharges", "SeniorCitizen"]
    factors = ["Contract", "InternetService", "OnlineSecurity", "TechSupport", "PaymentMethod", "PaperlessBilling"]
    return d, "churn", drivers, factors

def telco_aliased():
    d = pd.read_csv("Tests/Fixtures/Data/telco/Telco-Customer-Churn.csv")
    d["TotalCharges"] = pd.to_numeric(d["TotalCharges"], errors="coerce")
    d = d.dropna(subset=["TotalCharges"]).reset_index(drop=True)   # the 11 blank cells, as kda drops them
    d["churn"] = (d["Churn"] == "Yes").astype(int)
    drivers = ["tenure", "TotalCharges", "PhoneService", "MultipleLines", "InternetService", "OnlineSecurity",
               "StreamingTV", "Contract", "PaymentMethod"]
    factors = ["PhoneService", "MultipleLines", "InternetService", "OnlineSecurity", "StreamingTV", "Contract",
               "PaymentMethod"]
    return d, "churn", drivers, factors

TELCO = {"telco_factors", "telco_aliased"}

def player_columns(d, driver, factors):
    if driver in factors:
        levels = sorted(d[driver].astype(str).unique())
        return [(d[driver].astype(str) == level).astype(float).to_numpy() for level in levels[1:]]
    return [d[driver].astype(float).to_numpy()]

def loglik(y, columns, separated_rows=None):
    keep_rows = np.ones(len(y), bool) if separated_rows is None else ~separated_rows
    y = y[keep_rows]
    cols = [c[keep_rows] for c in columns]
    cols = [c for c in cols if np.ptp(c) > 0]
    if cols:
        Z = np.column_stack([(c - c.mean()) / c.std() for c in cols])
        _, r, piv = scipy.linalg.qr(Z, mode="economic", pivoting=True)
        diag = np.abs(np.diag(r))
        rank = int(np.sum(diag > 1e-9 * diag[0]))
        Z = Z[:, np.sort(piv[:rank])]
        X = np.column_stack([np.ones(len(y)), Z])
    else:
        X = np.ones((len(y), 1))
    return sm.Logit(y, X).fit(disp=0, method="newton", tol=1e-12, maxiter=200).llf

def battery_case(name, make):
    d, outcome, drivers, factors = make()
    if name not in TELCO:
        d.to_csv(f"{OUT}/{name}.csv", index=False)
    y = d[outcome].to_numpy(float)
    players = [player_columns(d, p, factors) for p in drivers]
    g = len(players)
    separator = None
    if name == "quasi_separated":
        separator = drivers.index("vip")
    table = {}
    for mask in range(1 << g):
        members = [j for j in range(g) if mask >> j & 1]
        if separator is not None and separator in members:
            rows = d["vip"].to_numpy() == 1
            columns = [c for j in members if j != separator for c in players[j]]
            table[mask] = loglik(y, columns, separated_rows=rows)
        else:
            table[mask] = loglik(y, [c for j in members for c in players[j]])
    l0 = table[0]
    r2 = {m: 1 - v / l0 for m, v in table.items()}
    phi = shapley_from_table(r2, g)
    return {"file": "telco/Telco-Customer-Churn.csv" if name in TELCO else f"battery/{name}.csv",
            "outcome": "Churn" if name in TELCO else outcome, "event": "Yes" if name in TELCO else None,
            "drivers": drivers, "shapley": phi, "full_mcfadden": r2[(1 << g) - 1], "null_loglik": l0}

cases = {"amounts_counts": amounts_counts, "rare_events": rare_events, "quasi_separated": quasi_separated,
         "aliased_triple": aliased_triple, "rare_levels": rare_levels, "telco_factors": telco_factors,
         "telco_aliased": telco_aliased}
out = {"provenance": f"statsmodels {statsmodels.__version__}, scipy {scipy.__version__}, numpy {np.__version__}: "
                     "Tests/Fixtures/Scripts/logistic_battery.py (every subset fitted from scratch; quasi-separated "
                     "subsets by their exact supremum)",
       "cases": {name: battery_case(name, make) for name, make in cases.items()}}
with open(f"{OUT}/logistic_battery.json", "w") as f:
    json.dump(out, f, indent=1)
for name, case in out["cases"].items():
    print(name, [round(v, 6) for v in case["shapley"]], round(case["full_mcfadden"], 6))
