"""Reference values for logistic dominance / Shapley on McFadden R², computed independently with
statsmodels: every subset of players fitted by Logit from scratch, Shapley values by the
permutation-weight formula. Cases: plain drivers; one control and one group.
Run from the repository root:  python3 Tests/Fixtures/Scripts/logistic_dominance.py
Writes Tests/Fixtures/Data/models/logistic_dominance_telco.json.
"""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shapley_table import shapley_from_table
import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

telco = pd.read_csv("Tests/Fixtures/Data/telco/Telco-Customer-Churn.csv")
for column in ("Churn", "PaperlessBilling", "Partner"):
    telco[column] = (telco[column] == "Yes").astype(float)
y = telco["Churn"].to_numpy(float)

def loglik(columns):
    X = np.column_stack([np.ones(len(y))] + [telco[c].to_numpy(float) for c in columns])
    return sm.Logit(y, X).fit(disp=0, method="newton", tol=1e-14, maxiter=100).llf

def shapley(players, controls):
    null = loglik([])
    base = 1 - loglik(controls) / null
    g = len(players)
    value = {}
    for mask in range(1 << g):
        members = [c for j in range(g) if mask >> j & 1 for c in players[j][1]]
        value[mask] = (1 - loglik(controls + members) / null) - base if mask else 0.0
    phi = shapley_from_table(value, g)
    return {"players": [p[0] for p in players], "members": [p[1] for p in players], "controls": controls,
            "shapley": phi, "control_mcfadden": base, "full_mcfadden": value[(1 << g) - 1] + base}

drivers = ["tenure", "MonthlyCharges", "SeniorCitizen", "PaperlessBilling", "Partner"]
out = {"provenance": f"statsmodels {statsmodels.__version__} Logit(Churn ~ subset, method='newton', tol=1e-14) on "
                     "Tests/Fixtures/Data/telco/Telco-Customer-Churn.csv (Yes = 1), every subset; "
                     "Shapley = sum over subsets of k!(g-k-1)!/g! x increment; Tests/Fixtures/Scripts/logistic_dominance.py",
       "plain": shapley([(d, [d]) for d in drivers], []),
       "controls_groups": shapley([("billing", ["MonthlyCharges", "PaperlessBilling"]), ("tenure", ["tenure"]), ("Partner", ["Partner"])],
                                  ["SeniorCitizen"])}
with open("Tests/Fixtures/Data/models/logistic_dominance_telco.json", "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps(out, indent=1))
