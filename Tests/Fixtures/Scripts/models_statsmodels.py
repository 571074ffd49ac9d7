"""Robust (HC0-HC3) standard errors from statsmodels, for LinearRegression's sandwich estimators.
Run from the repository root: python3 Tests/Fixtures/Scripts/models_statsmodels.py
Writes Tests/Fixtures/Data/models/hc_<case>.json."""
import json
import pandas as pd
import statsmodels
import statsmodels.api as sm

cases = {
    "yellow_pages": ("Tests/Fixtures/Data/yellow-pages/customerSat.csv", "q1", [f"q{k}" for k in range(2, 11)]),
    "mobi": ("Tests/Fixtures/Data/ecsi-mobi/mobi.csv", "CUSA1",
             ["PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7", "PERV1", "PERV2"]),
}
for name, (path, outcome, drivers) in cases.items():
    data = pd.read_csv(path)
    model = sm.OLS(data[outcome].astype(float), sm.add_constant(data[drivers].astype(float)))
    result = {"provenance": f"statsmodels {statsmodels.__version__}: OLS({outcome} ~ const + {' + '.join(drivers)}).fit(cov_type=HCk)"}
    for kind in ["HC0", "HC1", "HC2", "HC3"]:
        result[kind.lower()] = [float(v) for v in model.fit(cov_type=kind).bse]
    with open(f"Tests/Fixtures/Data/models/hc_{name}.json", "w") as f:
        json.dump(result, f, indent=2)
