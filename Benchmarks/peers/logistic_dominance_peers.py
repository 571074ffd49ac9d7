"""Times `kda analyze --model logistic --methods dominance` against peer implementations of logistic
dominance analysis (McFadden pseudo-R², every one of the 2^p subsets of a logit model, n = 10,000).

Usage (from Benchmarks/):
    python3 peers/logistic_dominance_peers.py [--kda ../.build/release/kda] [--p 10 12]
        [--da-python /path/to/venv/bin/python] [--timeout 600]
Generates the inputs with `kda generate --respondents 10000 --touchpoints P --seed 37 --outcome churn`
(the same files as the Swift benchmark "Importance.Logistic dominance (McFadden)") if missing, then,
for each p in the same run, times:
  - kda: the whole `kda analyze FILE --model logistic --methods dominance --format json` process
    (start-up, CSV read, all subset fits, report written to /dev/null);
  - R domir: domir() with a glm(binomial) function returning 1 - logLik(model)/logLik(null)
    (peers/logistic_dominance_peers.R; read.csv + analysis timed inside R, start-up not timed);
  - R dominanceanalysis: dominanceAnalysis() on the glm(binomial) model, its r2.m (McFadden) index;
  - Python dominance-analysis: Dominance(objective=0, pseudo_r2="mcfadden") + incremental_rsquare()
    (read_csv + analysis timed in-process; needs an interpreter where it imports, see --da-python);
  - statsmodels: the plain Logit loop over all subsets from peers.py, plus the general dominance.
kda and each peer are interleaved (kda, peer, kda, peer, ...) so machine noise hits both; median of
3 runs for a peer under 30 s, 1 run otherwise (kda: always median of 3). A peer still running after
--timeout seconds is stopped and recorded as "> TIMEOUT s". Prints a Markdown table, then the largest
absolute difference between kda's general dominance per driver and each peer's, and the versions.
Peers are never a build or test dependency of DriverAnalysis.
"""
import argparse, contextlib, io, json, os, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
EXCLUDED = ("respondent_id", "region", "churn")
PEERS = [  # (peer id, label in the table)
    ("domir", "R domir (glm binomial, McFadden)"),
    ("dominanceanalysis", "R dominanceanalysis (glm binomial, r2.m)"),
    ("dominance-analysis", "Python dominance-analysis (objective=0, mcfadden)"),
    ("statsmodels", "statsmodels Logit, all subsets"),
]


def generate(kda, p, tmp):
    path = f"{tmp}/kda-peer-logistic-{p}.csv"
    if not os.path.exists(path):
        subprocess.run([kda, "generate", "--respondents", "10000", "--touchpoints", str(p), "--seed", "37",
                        "--outcome", "churn", "--output", path], check=True)
    return path


def drivers_of(path):
    with open(path, encoding="utf-8") as f:
        return [c for c in f.readline().strip().split(",") if c not in EXCLUDED]


def kda_command(kda, path, output):
    return [kda, "analyze", path, "--outcome", "churn", "--drivers", ",".join(drivers_of(path)),
            "--model", "logistic", "--methods", "dominance", "--format", "json", "--output", output, "--quiet"]


def time_kda(kda, path):
    t = time.perf_counter()
    subprocess.run(kda_command(kda, path, os.devnull), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)  # kda may print a few timing lines on stderr
    return time.perf_counter() - t


def kda_general(kda, path, tmp):
    """General dominance per driver from one `kda analyze` JSON report (importance.shapley is the
    general dominance under --methods dominance; checked against the conditional matrix's row means)."""
    out = f"{tmp}/kda-logistic-dominance-{os.path.basename(path)}.json"
    subprocess.run(kda_command(kda, path, out), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = json.load(open(out, encoding="utf-8"))
    general = {d["name"]: d["importance"]["shapley"] for d in report["drivers"]}
    dom = report["dominance"]
    for name, row in zip(dom["drivers"], dom["conditional"]):
        assert abs(sum(row) / len(row) - general[name]) < 1e-12, name
    return general


def peer_command(peer, path, general_out, da_python):
    if peer in ("domir", "dominanceanalysis"):
        return ["Rscript", f"{HERE}/logistic_dominance_peers.R", path, peer, general_out]
    python = da_python if peer == "dominance-analysis" else sys.executable
    return [python, os.path.abspath(__file__), "--run-peer", peer, "--csv", path, "--general-out", general_out]


def time_peer(peer, path, general_out, da_python, timeout):
    """Seconds reported by the peer (its own timer, start-up excluded); None on timeout."""
    try:
        out = subprocess.run(peer_command(peer, path, general_out, da_python), capture_output=True, text=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if out.returncode != 0:
        raise RuntimeError(f"{peer} failed:\n{out.stderr[-3000:]}")
    return float(out.stdout.strip().splitlines()[-1])


def read_general(path):
    import csv
    with open(path, encoding="utf-8") as f:
        return {r["driver"]: float(r["general"]) for r in csv.DictReader(f)}


# ---- peers run in a child process (python peers/logistic_dominance_peers.py --run-peer NAME ...) ----

def run_statsmodels(path):
    """The plain loop from peers.py's logistic_dominance_peer, then general dominance from the fits."""
    import numpy as np, pandas as pd
    import statsmodels.api as sm
    data = pd.read_csv(path)
    names = [c for c in data.columns if c not in EXCLUDED]
    p = len(names)
    y = data["churn"].to_numpy(float)
    X = np.column_stack([np.ones(len(y)), data[names].to_numpy(float)])
    null = sm.Logit(y, X[:, :1]).fit(disp=0).llf
    fits = [0.0] * (1 << p)
    for mask in range(1, 1 << p):
        cols = [0] + [j + 1 for j in range(p) if mask >> j & 1]
        fits[mask] = 1 - sm.Logit(y, X[:, cols]).fit(disp=0).llf / null
    # General dominance: for each driver, mean over subset sizes k of the mean gain adding it to size-k subsets.
    general = {}
    for j, name in enumerate(names):
        sums, counts = [0.0] * p, [0] * p
        for mask in range(1 << p):
            if not mask >> j & 1:
                k = bin(mask).count("1")
                sums[k] += fits[mask | 1 << j] - fits[mask]; counts[k] += 1
        general[name] = sum(s / c for s, c in zip(sums, counts)) / p
    return general


def run_dominance_analysis(path):
    import pandas as pd
    with contextlib.redirect_stdout(io.StringIO()):  # it prints progress and imports notebook helpers
        from dominance_analysis import Dominance
        data = pd.read_csv(path).drop(columns=["respondent_id", "region"])
        p = data.shape[1] - 1
        # top_k = p: keep every driver (its default keeps at most 15, chosen by a chi2 filter)
        dom = Dominance(data=data, target="churn", top_k=p, objective=0, pseudo_r2="mcfadden")
        general = dom.incremental_rsquare()  # mean of the individual, partial and interactional levels
    return {k: float(v) for k, v in general.items()}


def run_peer(peer, path, general_out):
    if peer == "dominance-analysis":
        import dominance_analysis  # noqa: F401  (import time, incl. its plotting stack, is not timed)
    t = time.perf_counter()
    general = {"statsmodels": run_statsmodels, "dominance-analysis": run_dominance_analysis}[peer](path)
    seconds = time.perf_counter() - t
    with open(general_out, "w", encoding="utf-8") as f:
        f.write("driver,general\n" + "".join(f"{k},{float(v)!r}\n" for k, v in general.items()))
    print(f"{seconds:.4f}")


def versions(da_python):
    out = {}
    r = subprocess.run(["Rscript", "-e", '.libPaths(c(Sys.getenv("R_PEER_LIB", "/work/peer-r/rlib"), .libPaths())); '
                        'cat(R.version.string, as.character(packageVersion("domir")), '
                        'as.character(packageVersion("dominanceanalysis")), sep = "|")'], capture_output=True, text=True)
    if r.returncode == 0:
        out["R"], out["domir"], out["dominanceanalysis"] = r.stdout.strip().split("|")
    code = ("import importlib.metadata as m, sys; print(' '.join(m.version(p) for p in sys.argv[1:]))")
    for python, pkgs in [(da_python, ["dominance-analysis", "statsmodels", "numpy", "pandas", "bokeh"]),
                         (sys.executable, ["statsmodels", "numpy", "pandas"])]:
        r = subprocess.run([python, "-c", code, *pkgs], capture_output=True, text=True)
        tag = "dominance-analysis env" if python == da_python else "statsmodels env"
        out[tag] = (", ".join(f"{p} {v}" for p, v in zip(pkgs, r.stdout.split())) if r.returncode == 0
                    else r.stderr.strip().splitlines()[-1])
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kda", default="../.build/release/kda")
    parser.add_argument("--p", type=int, nargs="+", default=[10, 12])
    parser.add_argument("--peers", nargs="+", default=[p for p, _ in PEERS], choices=[p for p, _ in PEERS])
    parser.add_argument("--da-python", default=sys.executable,
                        help="interpreter where `import dominance_analysis` works (it pins bokeh 2.4.3: numpy<2, ipython<8)")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--run-peer", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--general-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_peer:
        return run_peer(args.run_peer, args.csv, args.general_out)
    tmp = tempfile.gettempdir()
    labels = dict(PEERS)
    rows, agreement = [], []
    for p in args.p:
        path = generate(args.kda, p, tmp)
        ours_general = kda_general(args.kda, path, tmp)
        task = f"Logistic dominance p={p} (n=10,000)"
        for peer in args.peers:
            general_out = f"{tmp}/peer-general-{peer}-{p}.csv"
            if os.path.exists(general_out):
                os.remove(general_out)
            ours, theirs = [], []
            for _ in range(3):
                ours.append(time_kda(args.kda, path))
                if len(theirs) < 3 and (not theirs or (theirs[-1] is not None and theirs[0] < 30)):
                    theirs.append(time_peer(peer, path, general_out, args.da_python, args.timeout))
                print(f"  p={p} {peer}: kda {ours[-1]:.3f} s, peer {theirs[-1]} s", file=sys.stderr, flush=True)
            ours_s = statistics.median(ours)
            if theirs[0] is None:
                rows.append(f"| {task} | {labels[peer]} | > {args.timeout:.0f} s | {ours_s:.3f} | > {args.timeout / ours_s:.0f}× |")
            else:
                theirs_s = statistics.median(theirs)
                runs = "" if len(theirs) == 3 else " (1 run)"
                rows.append(f"| {task} | {labels[peer]} | {theirs_s:.2f}{runs} | {ours_s:.3f} | {theirs_s / ours_s:.0f}× |")
            if os.path.exists(general_out):
                other = read_general(general_out)
                assert set(other) == set(ours_general), (peer, sorted(other), sorted(ours_general))
                worst = max(ours_general, key=lambda k: abs(ours_general[k] - other[k]))
                agreement.append(f"| p={p} | {labels[peer]} | {abs(ours_general[worst] - other[worst]):.2e} ({worst}) |")
            else:
                agreement.append(f"| p={p} | {labels[peer]} | not available (peer did not finish) |")
    print("| task | peer | peer s | kda s | speed-up |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    print("\n| p | peer | max abs difference in general dominance vs kda (driver) |")
    print("|---|---|---|")
    print("\n".join(agreement))
    print()
    for name, version in versions(args.da_python).items():
        print(f"- {name}: {version}")


if __name__ == "__main__":
    main()
