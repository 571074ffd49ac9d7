"""Reference values for the importance engine, from independent tools.
Run from the repository root: python3 Tests/Fixtures/Scripts/importance.py
- pingouin.linear_regression(relimp=True): LMG (Shapley) values;
- dominance-analysis (Dominance(..., top_k=p)): general dominance ("Total Dominance"); its
  complete-dominance routine fails on Python 3.11 (compares a float with a list), so complete
  dominance is checked against the brute-force reference in the Swift tests instead;
- statsmodels OLS fits: first, last, beta squared, Pratt;
- numpy eigendecomposition: Johnson's relative weights (a separate implementation).
Writes Tests/Fixtures/Data/models/importance_<case>.json.
"""
import json
import numpy as np
np.bool8 = np.bool_          # dominance-analysis 1.1.9 predates numpy 2
import pandas as pd
import pingouin
import statsmodels
import statsmodels.api as sm
import dominance_analysis
from dominance_analysis import Dominance
from importlib.metadata import version

cases = {
    "yellow_pages": ("Tests/Fixtures/Data/yellow-pages/customerSat.csv", "q1", [f"q{k}" for k in range(2, 11)]),
    "mobi": ("Tests/Fixtures/Data/ecsi-mobi/mobi.csv", "CUSA1",
             ["CUEX1", "CUEX2", "IMAG1", "IMAG2", "IMAG4", "PERQ1", "PERQ2", "PERQ3", "PERQ5", "PERQ7", "PERV1", "PERV2"]),
}
for name, (path, outcome, drivers) in cases.items():
    data = pd.read_csv(path)[drivers + [outcome]].astype(float)
    X, y = data[drivers], data[outcome]
    lm = pingouin.linear_regression(X, y, relimp=True)
    relimp = dict(zip(lm["names"], lm["relimp"]))
    full = sm.OLS(y, sm.add_constant(X)).fit()
    r2 = full.rsquared
    first = [sm.OLS(y, sm.add_constant(X[[d]])).fit().rsquared for d in drivers]
    last = [r2 - sm.OLS(y, sm.add_constant(X.drop(columns=[d]))).fit().rsquared for d in drivers]
    beta = [full.params[d] * X[d].std() / y.std() for d in drivers]
    r = [np.corrcoef(X[d], y)[0, 1] for d in drivers]
    R = np.corrcoef(X.to_numpy().T)
    w, V = np.linalg.eigh(R)
    Q = V @ np.diag(np.sqrt(w)) @ V.T
    b = np.linalg.solve(Q, np.array(r))
    rw = (Q ** 2) @ (b ** 2)
    dom = Dominance(data=data, target=outcome, objective=1, top_k=len(drivers))
    dom.incremental_rsquare()
    stats = dom.dominance_stats()
    gd = [float(stats.loc[d, "Total Dominance"]) for d in drivers]
    result = {
        "provenance": f"pingouin {pingouin.__version__} linear_regression(relimp=True); dominance-analysis {version('dominance-analysis')} "
                      f"Dominance(objective=1, top_k=p).dominance_stats(); statsmodels {statsmodels.__version__} OLS; numpy {np.__version__} eigh",
        "drivers": drivers, "r_squared": float(r2),
        "lmg": [float(relimp[d]) for d in drivers],
        "general_dominance": gd,
        "first": [float(v) for v in first], "last": [float(v) for v in last],
        "beta_squared": [float(v * v) for v in beta], "pratt": [float(bv * rv) for bv, rv in zip(beta, r)],
        "relative_weights": [float(v) for v in rw],
    }
    with open(f"Tests/Fixtures/Data/models/importance_{name}.json", "w") as f:
        json.dump(result, f, indent=1)
    print(name, "done")
