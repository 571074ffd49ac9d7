"""Reference values for the CX layer (what-if, CLV, NPS, priority matrix), computed independently
with statsmodels / pandas / pingouin.
Run from the repository root after `swift build -c release --product kda`:
    python3 Tests/Fixtures/Scripts/cx.py
Writes Tests/Fixtures/Data/models/cx_<case>.json.
"""
import json, os, subprocess, tempfile
import numpy as np
import pandas as pd
import pingouin
import statsmodels
import statsmodels.api as sm

def logit_whatif(data, outcome, drivers, delta, top, margin, discount, case, call):
    X = sm.add_constant(data[drivers].astype(float))
    y = data[outcome].astype(float)
    fit = sm.Logit(y, X).fit(disp=0, tol=1e-12, maxiter=100)
    base = fit.predict(X)
    m = margin(data)
    def clv(p): r = 1 - p; return m * r / (1 + discount - r)
    base_clv = clv(base)
    out = {"provenance": f"statsmodels {statsmodels.__version__} Logit({outcome} ~ {' + '.join(drivers)}).fit(tol=1e-12); "
                         f"what-if raise by {delta} capped at {top}; CLV = m r/(1 + d - r), d = {discount}; {call}",
           "drivers": drivers, "baseline_churn": float(base.mean()), "total_clv": float(base_clv.sum()),
           "churn_change": [], "clv_at_stake": []}
    for d in drivers:
        Xn = X.copy()
        x = Xn[d]
        Xn[d] = np.where(delta >= 0, np.maximum(x, np.minimum(x + delta, top)), x + delta)
        p = fit.predict(Xn)
        out["churn_change"].append(float(p.mean() - base.mean()))
        out["clv_at_stake"].append(float(clv(p).sum() - base_clv.sum()))
    with open(f"Tests/Fixtures/Data/models/cx_{case}.json", "w") as f:
        json.dump(out, f, indent=1)

telco = pd.read_csv("Tests/Fixtures/Data/telco/Telco-Customer-Churn.csv")
telco["Churn"] = (telco["Churn"] == "Yes").astype(float)
logit_whatif(telco, "Churn", ["tenure", "MonthlyCharges", "SeniorCitizen"], 6, 72, lambda d: d["MonthlyCharges"].to_numpy(float),
             0.01, "telco", "Telco, margin = MonthlyCharges per customer")

tmp = os.path.join(tempfile.gettempdir(), "kda-cx-synthetic.csv")
subprocess.run([".build/release/kda", "generate", "--respondents", "3000", "--touchpoints", "5", "--seed", "77",
                "--outcome", "churn", "--output", tmp], check=True)
synthetic = pd.read_csv(tmp)
drivers = ["wifi", "check_in", "billing", "support", "app"]
logit_whatif(synthetic, "churn", drivers, 1, 10, lambda d: np.full(len(d), 30.0), 0.1, "synthetic",
             "kda generate --respondents 3000 --touchpoints 5 --seed 77 --outcome churn; margin 30")

mobi = pd.read_csv("Tests/Fixtures/Data/ecsi-mobi/mobi.csv")
a = mobi["CUSL3"]
P, D = (a >= 9).mean(), (a <= 6).mean()
nps = {"provenance": "pandas: promoters >= 9, detractors <= 6 of mobi.CUSL3; SE = 100 sqrt((P + D - (P - D)^2)/n)",
       "score": float(100 * (P - D)), "promoters": float(P), "detractors": float(D),
       "std_error": float(100 * np.sqrt((P + D - (P - D) ** 2) / len(a)))}
with open("Tests/Fixtures/Data/models/cx_nps_mobi.json", "w") as f:
    json.dump(nps, f, indent=1)

yp = pd.read_csv("Tests/Fixtures/Data/yellow-pages/customerSat.csv").astype(float)
drivers = [f"q{k}" for k in range(2, 11)]
lm = pingouin.linear_regression(yp[drivers], yp["q1"], relimp=True)
share = dict(zip(lm["names"], lm["relimp_perc"] / 100))
imp = np.array([share[d] for d in drivers])
perf = np.array([yp[d].mean() for d in drivers])
quad = []
for i, p in zip(imp, perf):
    hi, good = i >= imp.mean(), p >= perf.mean()
    quad.append("keep_up" if hi and good else "fix_first" if hi else "possible_overkill" if good else "nice_to_have")
priority = imp * (10 - perf) / 9
rank = (-priority).argsort().argsort() + 1
with open("Tests/Fixtures/Data/models/cx_priority_yellow_pages.json", "w") as f:
    json.dump({"provenance": f"pingouin {pingouin.__version__} relimp_perc shares; means; split at means; priority = share (10 - mean)/9 on the 1-10 scale",
               "drivers": drivers, "importance": imp.tolist(), "performance": perf.tolist(), "quadrant": quad,
               "priority": priority.tolist(), "rank": rank.tolist()}, f, indent=1)
print("cx fixtures written")
