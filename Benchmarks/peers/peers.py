"""Times peer libraries on the same generated survey files as the DriverBenchmarks suite.

Usage (from Benchmarks/):  python3 peers/peers.py [--rows 1000000]
Generates the inputs with `kda generate` (same seeds as the Swift benchmarks) if missing, then
times numpy / pandas / statsmodels on them and prints a Markdown table (median of 3 runs).
Peers are never a build or test dependency of DriverAnalysis.
"""
import argparse, os, statistics, subprocess, tempfile, time
import numpy as np

def timed(fn, repeats=3):
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return statistics.median(times)

def generate(kda, rows, touchpoints, seed, outcome, path):
    if not os.path.exists(path):
        subprocess.run([kda, "generate", "--respondents", str(rows), "--touchpoints", str(touchpoints),
                        "--seed", str(seed), "--outcome", outcome, "--output", path], check=True)
    return path

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--kda", default="../.build/release/kda")
    args = parser.parse_args()
    tmp = tempfile.gettempdir()
    rows = args.rows
    linear = generate(args.kda, rows, 30, 5, "linear", f"{tmp}/kda-peer-linear-{rows}.csv")
    churn = generate(args.kda, rows, 30, 6, "churn", f"{tmp}/kda-peer-churn-{rows}.csv")
    results = []
    import pandas as pd
    results.append(("CSV read (pandas.read_csv)", timed(lambda: pd.read_csv(linear))))
    data = pd.read_csv(linear)
    names = [c for c in data.columns if c not in ("respondent_id", "region", "satisfaction")]
    X = np.column_stack([np.ones(len(data)), data[names].to_numpy(float)])
    y = data["satisfaction"].to_numpy(float)
    results.append(("OLS lstsq (numpy)", timed(lambda: np.linalg.lstsq(X, y, rcond=None))))
    import statsmodels.api as sm
    def ols():
        r = sm.OLS(y, X).fit(); r.bse; r.pvalues; r.rsquared; r.fvalue
    results.append(("OLS with inference (statsmodels)", timed(ols)))
    c = pd.read_csv(churn)
    Xc = np.column_stack([np.ones(len(c)), c[names].to_numpy(float)])
    yc = c["churn"].to_numpy(float)
    def logit():
        r = sm.Logit(yc, Xc).fit(disp=0); r.bse; r.pvalues; r.llr
    results.append(("Logistic (statsmodels Logit)", timed(logit)))
    wide = generate(args.kda, rows, 50, 8, "linear", f"{tmp}/kda-peer-wide-{rows}.csv")
    w = pd.read_csv(wide)
    W = w[[c for c in w.columns if c not in ("respondent_id", "region", "satisfaction")]].to_numpy(float)
    results.append(("Pearson matrix 50 (numpy corrcoef)", timed(lambda: np.corrcoef(W, rowvar=False))))
    results.append(("Spearman matrix 50 (pandas)", timed(lambda: pd.DataFrame(W).corr(method="spearman"), repeats=1)))
    print(f"| task ({rows:,} rows) | peer | seconds |")
    print("|---|---|---|")
    for name, seconds in results:
        print(f"| {name.split(' (')[0]} | {name.split('(')[1].rstrip(')')} | {seconds:.3f} |")

if __name__ == "__main__":
    main()
