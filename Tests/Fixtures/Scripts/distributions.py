"""Reference values for DriverAnalysis' distribution functions.

Run:  python3 Tests/Fixtures/Scripts/distributions.py > Tests/Fixtures/Data/distributions/scipy.csv
Needs scipy (values) and mpmath (a 60-digit cross-check, reported on stderr). Not a build or
test dependency: the CSV it writes is committed with its provenance header.
"""
import sys
import numpy as np
import scipy
import scipy.stats as st
import mpmath as mp

mp.mp.dps = 60
FLOOR = 1e-300  # keep p-values down to 1e-300, as the issue asks

def mp_t_sf(t, v):
    t, v = mp.mpf(t), mp.mpf(v)
    if t * t < v:
        tail = (1 - mp.betainc(mp.mpf(1) / 2, v / 2, 0, t * t / (v + t * t), regularized=True)) / 2
    else:
        tail = mp.betainc(v / 2, mp.mpf(1) / 2, 0, v / (v + t * t), regularized=True) / 2
    return tail if t >= 0 else 1 - tail

def mp_chi2_cdf(x, k):
    return mp.gammainc(mp.mpf(k) / 2, 0, mp.mpf(x) / 2, regularized=True)

def mp_chi2_sf(x, k):
    return mp.gammainc(mp.mpf(k) / 2, mp.mpf(x) / 2, mp.inf, regularized=True)

def mp_f_logpdf(f, d1, d2):
    return ((d1 / 2) * mp.log(d1 * f) + (d2 / 2) * mp.log(d2) - ((d1 + d2) / 2) * mp.log(d1 * f + d2)
            - mp.log(f) - mp.log(mp.beta(d1 / 2, d2 / 2)))

def mp_f_quad(f, d1, d2, upper):
    """Tail by quadrature of the density: for shapes where mpmath's betainc does not converge."""
    pdf = lambda s: mp.exp(mp_f_logpdf(s, d1, d2))
    if upper:
        return mp.quad(pdf, [f, f * mp.mpf("1.02"), f * mp.mpf("1.1"), 2 * f, 10 * f, mp.inf])
    return mp.quad(pdf, [0, f / 10, f / 2, f / mp.mpf("1.1"), f / mp.mpf("1.02"), f])

def mp_f_cdf(f, d1, d2):
    d1, d2, f = mp.mpf(d1), mp.mpf(d2), mp.mpf(f)
    try:
        return mp.betainc(d1 / 2, d2 / 2, 0, d1 * f / (d1 * f + d2), regularized=True)
    except ValueError:
        return mp_f_quad(f, d1, d2, upper=False)

def mp_f_sf(f, d1, d2):
    d1, d2, f = mp.mpf(d1), mp.mpf(d2), mp.mpf(f)
    try:
        return mp.betainc(d2 / 2, d1 / 2, 0, d2 / (d1 * f + d2), regularized=True)
    except ValueError:
        return mp_f_quad(f, d1, d2, upper=True)

def mp_norm_cdf(x):
    return mp.ncdf(mp.mpf(x))

def mp_t_pdf(t, v):
    t, v = mp.mpf(t), mp.mpf(v)
    return mp.gamma((v + 1) / 2) / (mp.sqrt(v * mp.pi) * mp.gamma(v / 2)) * (1 + t * t / v) ** (-(v + 1) / 2)

def mp_chi2_pdf(x, k):
    x, k = mp.mpf(x), mp.mpf(k)
    return x ** (k / 2 - 1) * mp.exp(-x / 2) / (2 ** (k / 2) * mp.gamma(k / 2))

def mp_f_pdf(f, d1, d2):
    f, d1, d2 = mp.mpf(f), mp.mpf(d1), mp.mpf(d2)
    return mp.exp(mp_f_logpdf(f, d1, d2))

def neg(v):
    return None if v is None else -v

def exact_quantile(x0, target, tail, pdf, upper):
    if x0 is None: return None
    """Newton in 120-digit arithmetic from scipy's answer: x with tail(x) = target."""
    if not np.isfinite(x0) or x0 == 0:
        return None
    try:
        with mp.workdps(120):
            x, target = mp.mpf(x0), mp.mpf(target)
            sign = -1 if upper else 1
            for _ in range(200):
                g = tail(x) - target
                step = g / (sign * pdf(x))
                # damp steps that would leave the support or overshoot by more than 2x
                while abs(step) > abs(x) / 2 and x - step <= 0:
                    step /= 2
                x -= step
                if abs(step) < abs(x) * mp.mpf("1e-40"):
                    return x
    except (ValueError, ZeroDivisionError, mp.libmp.NoConvergence):
        return None
    return None

rows, worst = [], {}

def checked(thunk):
    """The 60-digit value if a 120-digit evaluation agrees with it to 1e-25, else None."""
    try:
        with mp.workdps(60):
            low = thunk()
        with mp.workdps(120):
            high = thunk()
    except (ValueError, ZeroDivisionError, mp.libmp.NoConvergence):
        return None
    if low is None or high is None or high == 0 or abs(low - high) > abs(high) * mp.mpf("1e-25"):
        return None
    return high

def add(dist, p1, p2, fn, x, value, exact=None):
    value = float(value)
    if callable(exact):
        exact = checked(exact)
    if not np.isfinite(value) or (fn in ("cdf", "sf") and (value < FLOOR or value == 0)):
        return
    reference, source = value, "scipy"
    if exact is None and fn in ("ppf", "isf") and (abs(value) > 1e150 or 0 < abs(value) < 1e-300):
        # scipy returns finite garbage where the true quantile overflows (t with ν = 0.5 at 1e-200)
        print(f"dropped {dist}({p1},{p2}).{fn}({x}): unverified quantile {value!r}", file=sys.stderr)
        return
    if exact is not None:
        e = float(exact)
        rel = abs(value - e) / abs(e) if e != 0 else abs(value)
        key = (dist, fn)
        worst[key] = max(worst.get(key, 0), rel)
        if rel > 1e-13:  # scipy is off here: test against the multiple-precision value
            reference, source = e, "mpmath"
            print(f"scipy off by {rel:.1e} at {dist}({p1},{p2}).{fn}({x}): {value!r} vs {e!r}", file=sys.stderr)
    rows.append((dist, p1, p2, fn, x, value, reference, source))

probabilities = [1e-300, 1e-200, 1e-100, 1e-30, 1e-12, 1e-6, 1e-3, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.999, 1 - 1e-9]

# Normal
for x in [-37.5, -37.0, -30.0, -20.0, -10.0, -5.0, -1.96, -0.5, -1e-3, 0.0, 1e-8, 0.5, 1.96, 5.0, 10.0, 20.0, 30.0, 37.0]:
    add("normal", 0, 0, "cdf", x, st.norm.cdf(x), lambda: mp_norm_cdf(x))
    add("normal", 0, 0, "sf", x, st.norm.sf(x), lambda: 1 - mp_norm_cdf(x))
for p in probabilities:
    add("normal", 0, 0, "ppf", p, st.norm.ppf(p))
    add("normal", 0, 0, "isf", p, st.norm.isf(p))

# Student t
for v in [0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 30.0, 100.0, 1e3, 1e5, 1e6]:
    for t in [1e-8, 0.1, 1.0, 2.5, 10.0, 100.0, 1e4, 1e10, 1e30, 1e100, 1e300]:
        for s in (t, -t):
            add("t", v, 0, "cdf", s, st.t.cdf(s, v), lambda: 1 - mp_t_sf(s, v))
            add("t", v, 0, "sf", s, st.t.sf(s, v), lambda: mp_t_sf(s, v))
    for p in probabilities:
        add("t", v, 0, "ppf", p, st.t.ppf(p, v), lambda: neg(exact_quantile(-st.t.ppf(p, v), p, lambda x: mp_t_sf(x, v), lambda x: mp_t_pdf(x, v), True)))
        add("t", v, 0, "isf", p, st.t.isf(p, v), lambda: exact_quantile(st.t.isf(p, v), p, lambda x: mp_t_sf(x, v), lambda x: mp_t_pdf(x, v), True))

# Chi-squared
for k in [0.5, 1.0, 2.0, 3.7, 10.0, 100.0, 1e3, 1e5]:
    xs = [1e-10, 1e-3, 0.5, 1.0, k / 2, k, 1.5 * k, k + 10 * (2 * k) ** 0.5, 100.0, 500.0, 1000.0, 1300.0, 1e4]
    for x in xs:
        add("chi2", k, 0, "cdf", x, st.chi2.cdf(x, k), lambda: mp_chi2_cdf(x, k))
        add("chi2", k, 0, "sf", x, st.chi2.sf(x, k), lambda: mp_chi2_sf(x, k))
    for p in probabilities:
        add("chi2", k, 0, "ppf", p, st.chi2.ppf(p, k), lambda: exact_quantile(st.chi2.ppf(p, k), p, lambda x: mp_chi2_cdf(x, k), lambda x: mp_chi2_pdf(x, k), False))
        add("chi2", k, 0, "isf", p, st.chi2.isf(p, k), lambda: exact_quantile(st.chi2.isf(p, k), p, lambda x: mp_chi2_sf(x, k), lambda x: mp_chi2_pdf(x, k), True))

# F
for d1, d2 in [(1, 1), (2, 10), (3, 100), (5.5, 2.5), (10, 1000), (30, 30), (1e3, 1e3), (1, 1e5), (1e4, 1e4)]:
    for f in [1e-8, 0.01, 0.5, 0.9, 1.0, 1.1, 2.0, 5.0, 30.0, 1e3, 1e6, 1e20, 1e100]:
        add("f", d1, d2, "cdf", f, st.f.cdf(f, d1, d2), lambda: mp_f_cdf(f, d1, d2))
        add("f", d1, d2, "sf", f, st.f.sf(f, d1, d2), lambda: mp_f_sf(f, d1, d2))
    for p in probabilities:
        add("f", d1, d2, "ppf", p, st.f.ppf(p, d1, d2), lambda: exact_quantile(st.f.ppf(p, d1, d2), p, lambda x: mp_f_cdf(x, d1, d2), lambda x: mp_f_pdf(x, d1, d2), False))
        add("f", d1, d2, "isf", p, st.f.isf(p, d1, d2), lambda: exact_quantile(st.f.isf(p, d1, d2), p, lambda x: mp_f_sf(x, d1, d2), lambda x: mp_f_pdf(x, d1, d2), True))

print(f"# Reference values computed by scipy {scipy.__version__} (numpy {np.__version__}) with")
print("# scipy.stats.{norm,t,chi2,f}.{cdf,sf,ppf,isf}(x, *params); generator:")
print("# Tests/Fixtures/Scripts/distributions.py. Cross-checked against mpmath "
      f"{mp.__version__} at 60 digits (worst relative differences in the script's stderr).")
print("# Where scipy and mpmath (60 and 120 digits agreeing) differ by more than 1e-13 relative,")
print("# `reference` holds the mpmath value and `source` says so; elsewhere reference = scipy.")
print("distribution,param1,param2,function,x,scipy,reference,source")
for r in rows:
    print(f"{r[0]},{r[1]!r},{r[2]!r},{r[3]},{r[4]!r},{r[5]!r},{r[6]!r},{r[7]}")
for key, rel in sorted(worst.items()):
    print(f"{key}: worst scipy vs mpmath relative difference {rel:.2e}", file=sys.stderr)
