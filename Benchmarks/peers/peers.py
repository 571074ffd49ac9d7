"""Times peer libraries on the same generated survey files as the DriverBenchmarks suite.

Usage (from Benchmarks/):  python3 peers/peers.py [--rows 1000000] [--only logistic-dominance|end-to-end|ingest]
                           [--swift-results FILE]   # text output of `swift package benchmark`, same session
Generates the inputs with `kda generate` (same seeds as the Swift benchmarks) if missing, then
times numpy / pandas / statsmodels on them and prints a Markdown table (median of 3 runs).
Peers are never a build or test dependency of DriverAnalysis.
"""
import argparse, os, shutil, statistics, subprocess, tempfile, time
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

UNITS = {"ns": 1e-9, "μs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}

def swift_medians(path):
    """Median wall-clock seconds per benchmark from `swift package benchmark` text output."""
    import re
    medians, current = {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line and not line.startswith(("│", "╒", "╞", "├", "╘", "=", " ")) and "." in line.split(" ")[0]:
            current = line.strip()
        m = re.match(r"│ Time \(wall clock\) \((\S+)\) \*\s*│(.*)", line)
        if m and current:
            cells = [c.strip() for c in m.group(2).split("│") if c.strip()]
            medians[current] = float(cells[2]) * UNITS[m.group(1)]
    return medians

# Peer task -> the Swift benchmark doing the same work.
PAIRS = {
    "CSV read": "Data.CSV ingest 1e6x30",
    "OLS with inference": "Models.LinearRegression 1e6x30",
    "OLS lstsq": "Models.LinearRegression 1e6x30",
    "Logistic": "Models.LogisticRegression 1e6x30",
    "Pearson matrix 50": "Models.Pearson matrix 1e6x50",
    "Spearman matrix 50": "Models.Spearman matrix 1e6x50",
    "Exact Shapley p=16 (n=10,000)": "Importance.Shapley exact p=16",
    "OLS with inference (R lm)": "Models.LinearRegression 1e6x30",
    "Logistic (R glm)": "Models.LogisticRegression 1e6x30",
    "Logistic dominance p=10 (n=10,000)": "Importance.Logistic dominance (McFadden) p=10 n=1e4",
}

def logistic_dominance_peer(kda, tmp, p=10):
    """statsmodels Logit on every one of the 2^p subsets (McFadden R² of each), the plain loop an
    analyst would write; same file as the Swift benchmark (seed 37, churn outcome, n = 10,000)."""
    import pandas as pd
    import statsmodels.api as sm
    data = pd.read_csv(generate(kda, 10_000, p, 37, "churn", f"{tmp}/kda-peer-logistic-{p}.csv"))
    names = [c for c in data.columns if c not in ("respondent_id", "region", "churn")]
    y = data["churn"].to_numpy(float)
    X = np.column_stack([np.ones(len(y)), data[names].to_numpy(float)])
    def run():
        null = sm.Logit(y, X[:, :1]).fit(disp=0).llf
        fits = [0.0] * (1 << p)
        for mask in range(1, 1 << p):
            cols = [0] + [j + 1 for j in range(p) if mask >> j & 1]
            fits[mask] = 1 - sm.Logit(y, X[:, cols]).fit(disp=0).llf / null
        return fits
    return (f"Logistic dominance p={p} (n=10,000) (statsmodels Logit, all subsets)", timed(run, repeats=1))

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--kda", default="../.build/release/kda")
    parser.add_argument("--swift-results", help="text output of `swift package benchmark` from the same session")
    parser.add_argument("--write", help="write the side-by-side Markdown table to this file")
    parser.add_argument("--only", choices=["logistic-dominance", "end-to-end", "ingest"], help="time one peer task only")
    args = parser.parse_args()
    tmp = tempfile.gettempdir()
    if args.only == "logistic-dominance":
        return report([logistic_dominance_peer(args.kda, tmp)], args)
    if args.only == "end-to-end":
        return end_to_end(args.kda, args.rows, tmp, swift_medians(args.swift_results) if args.swift_results else {})
    if args.only == "ingest":
        return report(ingest_peers(args.kda, args.rows, tmp), args)
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
    try:
        import pingouin
        small = pd.read_csv(generate(args.kda, 10_000, 16, 13, "linear", f"{tmp}/kda-peer-shapley16.csv"))
        names16 = [c for c in small.columns if c not in ("respondent_id", "region", "satisfaction")]
        results.append(("Exact Shapley p=16 (n=10,000) (pingouin relimp)",
                        timed(lambda: pingouin.linear_regression(small[names16], small["satisfaction"], relimp=True), repeats=1)))
    except ImportError:
        pass
    if shutil.which("Rscript"):
        script = f"""
        d <- read.csv('{linear}'); X <- cbind(1, as.matrix(d[, !(names(d) %in% c('respondent_id','region','satisfaction'))])); y <- d$satisfaction
        t <- system.time(s <- summary(lm(y ~ X - 1)))[['elapsed']]
        c <- read.csv('{churn}'); Xc <- as.matrix(c[, !(names(c) %in% c('respondent_id','region','churn'))])
        u <- system.time(g <- summary(glm(c$churn ~ Xc, family = binomial)))[['elapsed']]
        cat(t, u, '\\n')"""
        out = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True).stdout.split()
        if len(out) == 2:
            results.append(("OLS with inference (R lm) (R lm + summary)", float(out[0])))
            results.append(("Logistic (R glm) (R glm + summary)", float(out[1])))
    results.append(logistic_dominance_peer(args.kda, tmp))
    report(results, args)

def ingest_peers(kda, rows, tmp):
    """CSV 10⁶ × 30 into typed columns: pandas (C engine), pyarrow.csv (multi-threaded) and polars
    (multi-threaded), each the reader an analyst would call, on the Swift ingest benchmark's file."""
    path = f"{tmp}/kda-bench-{rows}x30.csv"   # written by the Swift benchmark `Data.CSV ingest 1e6x30`
    if not os.path.exists(path):
        raise SystemExit(f"{path} missing: run `swift package benchmark --filter 'Data.CSV ingest'` first")
    results = []
    import pandas as pd
    results.append(("CSV read (pandas.read_csv)", timed(lambda: pd.read_csv(path))))
    try:
        import pyarrow.csv as pacsv
        results.append(("CSV read (pyarrow.csv.read_csv)", timed(lambda: pacsv.read_csv(path))))
    except ImportError:
        pass
    try:
        import polars as pl
        results.append(("CSV read (polars.read_csv)", timed(lambda: pl.read_csv(path))))
    except ImportError:
        pass
    return results

# `kda analyze` task -> (ingest benchmark, fit benchmark) of the same file and rows.
PARTS = {
    "regression": ("Analyze.parts CSV ingest linear 1e6x30", "Models.LinearRegression 1e6x30"),
    "logistic": ("Analyze.parts CSV ingest churn 1e6x30", "Models.LogisticRegression 1e6x30"),
}

def end_to_end(kda, rows, tmp, swift=None):
    """Whole commands on the same 10⁶ × 30 files, same run, median of 3: `kda analyze` (process start,
    CSV read, typing, model with inference, report written) against the script an analyst writes —
    pandas.read_csv + statsmodels (+ its summary), or pandas Pearson + Spearman for correlations.
    Peak RSS of kda from /usr/bin/time."""
    import pandas as pd
    import statsmodels.api as sm
    linear = generate(kda, rows, 30, 5, "linear", f"{tmp}/kda-peer-linear-{rows}.csv")
    churn = generate(kda, rows, 30, 6, "churn", f"{tmp}/kda-peer-churn-{rows}.csv")
    names = [c for c in pd.read_csv(linear, nrows=1).columns if c not in ("respondent_id", "region", "satisfaction")]
    drivers = ",".join(names)
    def kda_run(path, outcome, *extra):
        cmd = ["/usr/bin/time", "-f", "%M", kda, "analyze", path, "--outcome", outcome, "--drivers", drivers,
               "--format", "json", "--output", os.devnull, "--quiet", *extra]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return int(out.stderr.strip().splitlines()[-1]) / 1024
    def ols():
        d = pd.read_csv(linear); r = sm.OLS(d["satisfaction"], sm.add_constant(d[names])).fit(); r.summary()
    def logit():
        d = pd.read_csv(churn); r = sm.Logit(d["churn"], sm.add_constant(d[names])).fit(disp=0); r.summary()
    def correlations():
        d = pd.read_csv(linear)[names + ["satisfaction"]]; d.corr(); d.corr(method="spearman")
    rows_out = []
    for task, peer, fn, args in [
        ("regression", "pandas.read_csv + statsmodels OLS + summary", ols, (linear, "satisfaction", "--methods", "regression")),
        ("logistic", "pandas.read_csv + statsmodels Logit + summary", logit, (churn, "churn", "--model", "logistic", "--methods", "regression")),
        ("correlations (Pearson + Spearman)", "pandas.read_csv + corr + corr(spearman)", correlations, (linear, "satisfaction", "--methods", "correlation")),
    ]:
        rss = []
        ours = timed(lambda: rss.append(kda_run(*args)))
        theirs = timed(fn)
        parts = PARTS.get(task, ())
        if swift and all(p in swift for p in parts) and parts:
            total = sum(swift[p] for p in parts)
            versus = f"{total:.2f} | {ours / total:.2f}×"
        else:
            versus = "— | —"
        rows_out.append(f"| {task} | {peer} | {theirs:.2f} | {ours:.2f} | {theirs / ours:.1f}× | {max(rss):.0f} MB | {versus} |")
    print("| end to end, 10⁶ × 30 | peer | peer s | kda analyze s | speed-up | kda peak RSS | ingest + fit s (benchmarks) | kda / parts |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows_out))

def report(results, args):
    swift = swift_medians(args.swift_results) if args.swift_results else {}
    lines = [f"| task | peer | peer s | DriverAnalysis s | speed-up |", "|---|---|---|---|---|"]
    for name, seconds in results:
        task, peer = name.rsplit(" (", 1)
        peer = peer.rstrip(")")
        ours = swift.get(PAIRS.get(task, ""))
        ratio = f"{seconds / ours:.1f}×" if ours else "—"
        lines.append(f"| {task} | {peer} | {seconds:.3f} | {ours:.3f} | {ratio} |" if ours else f"| {task} | {peer} | {seconds:.3f} | — | — |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        with open(args.write, "w") as f:
            f.write(table + "\n")

if __name__ == "__main__":
    main()
