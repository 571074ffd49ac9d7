// CLAPACK shim: the only C surface DriverAnalysis touches.
//
// CBLAS comes from the system header (Debian: libblas-dev's cblas.h; macOS: Accelerate).
// LAPACK is called through its Fortran entry points (LAPACKE is not a dependency). The
// prototypes below follow the reference LAPACK 3.x Fortran ABI as compiled by gfortran:
// every argument by reference, 32-bit INTEGER, and one hidden `size_t` length per
// CHARACTER argument appended at the end. Each `kda_*` wrapper takes values, returns
// LAPACK's INFO and hides the by-reference and hidden-length details from Swift.
//
// On Apple platforms Accelerate's classic CLAPACK interface (clapack.h) declares the same
// entry points without hidden lengths; that branch is written carefully but is not tested
// on the project's Linux CI.
#ifndef KDA_CLAPACK_SHIM_H
#define KDA_CLAPACK_SHIM_H

#include <stddef.h>

#if defined(__APPLE__)
#include <Accelerate/Accelerate.h>
typedef __CLPK_integer kda_int;
#define KDA_LEN1 /* Accelerate takes no hidden CHARACTER lengths */
#define KDA_LEN2
#define KDA_LEN3
#else
#include <cblas.h>
typedef int kda_int;
#define KDA_LEN1 , (size_t)1
#define KDA_LEN2 , (size_t)1, (size_t)1
#define KDA_LEN3 , (size_t)1, (size_t)1, (size_t)1

void dgeqrf_(const kda_int *m, const kda_int *n, double *a, const kda_int *lda, double *tau,
             double *work, const kda_int *lwork, kda_int *info);
void dgeqp3_(const kda_int *m, const kda_int *n, double *a, const kda_int *lda, kda_int *jpvt,
             double *tau, double *work, const kda_int *lwork, kda_int *info);
void dormqr_(const char *side, const char *trans, const kda_int *m, const kda_int *n,
             const kda_int *k, const double *a, const kda_int *lda, const double *tau,
             double *c, const kda_int *ldc, double *work, const kda_int *lwork, kda_int *info,
             size_t side_len, size_t trans_len);
void dtrtrs_(const char *uplo, const char *trans, const char *diag, const kda_int *n,
             const kda_int *nrhs, const double *a, const kda_int *lda, double *b,
             const kda_int *ldb, kda_int *info, size_t uplo_len, size_t trans_len,
             size_t diag_len);
void dtrcon_(const char *norm, const char *uplo, const char *diag, const kda_int *n,
             const double *a, const kda_int *lda, double *rcond, double *work, kda_int *iwork,
             kda_int *info, size_t norm_len, size_t uplo_len, size_t diag_len);
void dpotrf_(const char *uplo, const kda_int *n, double *a, const kda_int *lda, kda_int *info,
             size_t uplo_len);
void dpotrs_(const char *uplo, const kda_int *n, const kda_int *nrhs, const double *a,
             const kda_int *lda, double *b, const kda_int *ldb, kda_int *info, size_t uplo_len);
void dpotri_(const char *uplo, const kda_int *n, double *a, const kda_int *lda, kda_int *info,
             size_t uplo_len);
void dsyevd_(const char *jobz, const char *uplo, const kda_int *n, double *a, const kda_int *lda,
             double *w, double *work, const kda_int *lwork, kda_int *iwork,
             const kda_int *liwork, kda_int *info, size_t jobz_len, size_t uplo_len);
void dgels_(const char *trans, const kda_int *m, const kda_int *n, const kda_int *nrhs,
            double *a, const kda_int *lda, double *b, const kda_int *ldb, double *work,
            const kda_int *lwork, kda_int *info, size_t trans_len);
#endif

// MARK: LAPACK wrappers (values in, INFO out)

static inline int kda_dgeqrf(int m, int n, double *a, int lda, double *tau, double *work,
                             int lwork) {
    kda_int m_ = m, n_ = n, lda_ = lda, lwork_ = lwork, info = 0;
    dgeqrf_(&m_, &n_, a, &lda_, tau, work, &lwork_, &info);
    return (int)info;
}

static inline int kda_dgeqp3(int m, int n, double *a, int lda, int *jpvt, double *tau,
                             double *work, int lwork) {
    kda_int m_ = m, n_ = n, lda_ = lda, lwork_ = lwork, info = 0;
    dgeqp3_(&m_, &n_, a, &lda_, (kda_int *)jpvt, tau, work, &lwork_, &info);
    return (int)info;
}

static inline int kda_dormqr(char side, char trans, int m, int n, int k, double *a, int lda,
                             double *tau, double *c, int ldc, double *work, int lwork) {
    kda_int m_ = m, n_ = n, k_ = k, lda_ = lda, ldc_ = ldc, lwork_ = lwork, info = 0;
    char side_ = side, trans_ = trans;
    dormqr_(&side_, &trans_, &m_, &n_, &k_, a, &lda_, tau, c, &ldc_, work, &lwork_,
            &info KDA_LEN2);
    return (int)info;
}

static inline int kda_dtrtrs(char uplo, char trans, char diag, int n, int nrhs, double *a,
                             int lda, double *b, int ldb) {
    kda_int n_ = n, nrhs_ = nrhs, lda_ = lda, ldb_ = ldb, info = 0;
    char uplo_ = uplo, trans_ = trans, diag_ = diag;
    dtrtrs_(&uplo_, &trans_, &diag_, &n_, &nrhs_, a, &lda_, b, &ldb_, &info KDA_LEN3);
    return (int)info;
}

static inline int kda_dtrcon(char norm, char uplo, char diag, int n, double *a, int lda,
                             double *rcond, double *work, int *iwork) {
    kda_int n_ = n, lda_ = lda, info = 0;
    char norm_ = norm, uplo_ = uplo, diag_ = diag;
    dtrcon_(&norm_, &uplo_, &diag_, &n_, a, &lda_, rcond, work, (kda_int *)iwork,
            &info KDA_LEN3);
    return (int)info;
}

static inline int kda_dpotrf(char uplo, int n, double *a, int lda) {
    kda_int n_ = n, lda_ = lda, info = 0;
    char uplo_ = uplo;
    dpotrf_(&uplo_, &n_, a, &lda_, &info KDA_LEN1);
    return (int)info;
}

static inline int kda_dpotrs(char uplo, int n, int nrhs, double *a, int lda, double *b,
                             int ldb) {
    kda_int n_ = n, nrhs_ = nrhs, lda_ = lda, ldb_ = ldb, info = 0;
    char uplo_ = uplo;
    dpotrs_(&uplo_, &n_, &nrhs_, a, &lda_, b, &ldb_, &info KDA_LEN1);
    return (int)info;
}

static inline int kda_dpotri(char uplo, int n, double *a, int lda) {
    kda_int n_ = n, lda_ = lda, info = 0;
    char uplo_ = uplo;
    dpotri_(&uplo_, &n_, a, &lda_, &info KDA_LEN1);
    return (int)info;
}

static inline int kda_dsyevd(char jobz, char uplo, int n, double *a, int lda, double *w,
                             double *work, int lwork, int *iwork, int liwork) {
    kda_int n_ = n, lda_ = lda, lwork_ = lwork, liwork_ = liwork, info = 0;
    char jobz_ = jobz, uplo_ = uplo;
    dsyevd_(&jobz_, &uplo_, &n_, a, &lda_, w, work, &lwork_, (kda_int *)iwork, &liwork_,
            &info KDA_LEN2);
    return (int)info;
}

static inline int kda_dgels(char trans, int m, int n, int nrhs, double *a, int lda, double *b,
                            int ldb, double *work, int lwork) {
    kda_int m_ = m, n_ = n, nrhs_ = nrhs, lda_ = lda, ldb_ = ldb, lwork_ = lwork, info = 0;
    char trans_ = trans;
    dgels_(&trans_, &m_, &n_, &nrhs_, a, &lda_, b, &ldb_, work, &lwork_, &info KDA_LEN1);
    return (int)info;
}

// MARK: CBLAS wrappers (column-major; flags are 0/1 so Swift never sees CBLAS enum types,
// which are spelled differently by netlib, OpenBLAS and Accelerate)

/// C := alpha * op(A)' * op(A) + beta * C, upper triangle of C (trans_a = 1: A' A).
static inline void kda_dsyrk_upper(int trans_a, int n, int k, double alpha, const double *a,
                                   int lda, double beta, double *c, int ldc) {
    cblas_dsyrk(CblasColMajor, CblasUpper, trans_a ? CblasTrans : CblasNoTrans, n, k, alpha, a,
                lda, beta, c, ldc);
}

/// C := alpha * op(A) * op(B) + beta * C.
static inline void kda_dgemm(int trans_a, int trans_b, int m, int n, int k, double alpha,
                             const double *a, int lda, const double *b, int ldb, double beta,
                             double *c, int ldc) {
    cblas_dgemm(CblasColMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/// x · y (BLAS ddot, unit strides).
static inline double kda_ddot(int n, const double *x, const double *y) {
    return cblas_ddot(n, x, 1, y, 1);
}

/// y := alpha * x + y (BLAS daxpy, unit strides).
static inline void kda_daxpy(int n, double alpha, const double *x, double *y) {
    cblas_daxpy(n, alpha, x, 1, y, 1);
}

/// y := alpha * op(A) * x + beta * y.
static inline void kda_dgemv(int trans_a, int m, int n, double alpha, const double *a, int lda,
                             const double *x, double beta, double *y) {
    cblas_dgemv(CblasColMajor, trans_a ? CblasTrans : CblasNoTrans, m, n, alpha, a, lda, x, 1,
                beta, y, 1);
}


// MARK: Logistic row kernel (the per-row work of a Newton pass; see DriverAnalysis
// LogisticWorkspace). For rows i < m, from eta:
//   t = exp(-|eta|), mu = 1/(1+t) (eta >= 0) or t/(1+t), residual = w (y - mu),
//   weight = w t/(1+t)^2 = w mu (1-mu) (in `root`), and returns in out[0] the sum of
//   w (y eta - max(eta, 0)) and in out[1] max |eta|.
// exp by Cody-Waite reduction (k = round(x/ln 2) via the 1.5*2^52 shifter, ln 2 split so that
// k*ln2_hi is exact) and the degree-13 Taylor polynomial of e^r, |r| <= ln2/2 (remainder below
// 4e-18 relative); arguments below -700 are clamped. On x86-64 with AVX2 and FMA (checked at
// run time) four rows go through at once; elsewhere a portable loop with the same formulas.
// Sums are taken in a fixed order for a given machine.

#include <math.h>
#include <stdint.h>
#include <string.h>

#define KDA_EXP_COEFFICIENTS \
    1.6059043836821613e-10, 2.08767569878681e-09, 2.505210838544172e-08, 2.755731922398589e-07, \
    2.7557319223985893e-06, 2.48015873015873e-05, 0.0001984126984126984, 0.001388888888888889, \
    0.008333333333333333, 0.041666666666666664, 0.16666666666666666, 0.5, 1.0, 1.0

static inline double kda_exp_nonpositive(double x) {
    static const double c[14] = { KDA_EXP_COEFFICIENTS };
    const double shifter = 0x1.8p52;
    if (x < -700.0) x = -700.0;
    double kd = x * 1.4426950408889634 + shifter;
    double k = kd - shifter;
    double r = (x - k * 0.6931471803691238) - k * 1.9082149292705877e-10;
    double p = c[0];
    for (int j = 1; j < 14; j++) p = p * r + c[j];
    int64_t bits, shift;
    memcpy(&bits, &kd, 8);
    memcpy(&shift, &shifter, 8);
    uint64_t scaleBits = (uint64_t)(bits - shift + 1023) << 52;
    double scale;
    memcpy(&scale, &scaleBits, 8);
    return p * scale;
}

static inline void kda_logistic_rows_portable(int from, int m, const double *eta, const double *y,
                                              const double *w, double *t, double *mu,
                                              double *residual, double *root, double *out) {
    double linear = 0, largest = 0;
    for (int i = from; i < m; i++) {
        double e = eta[i], a = fabs(e);
        double ti = kda_exp_nonpositive(-a);
        double inverse = 1.0 / (1.0 + ti);
        double p = e >= 0 ? inverse : ti * inverse;
        t[i] = ti;
        mu[i] = p;
        residual[i] = w[i] * (y[i] - p);
        root[i] = w[i] * ti * inverse * inverse;
        linear += w[i] * (y[i] * e - (e > 0 ? e : 0));
        largest = a > largest ? a : largest;
    }
    out[0] += linear;
    out[1] = largest > out[1] ? largest : out[1];
}

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>


// Estrin's scheme for a polynomial given highest coefficient first (c[0] x^13 + ... + c[13]):
// depth 4 instead of Horner's 13, so that the rows' chains overlap.
__attribute__((target("avx2,fma")))
static inline __m256d kda_estrin14_avx2(__m256d x, const double *c) {
    __m256d x2 = _mm256_mul_pd(x, x), x4 = _mm256_mul_pd(x2, x2), x8 = _mm256_mul_pd(x4, x4);
#define KDA_PAIR(hi, lo) _mm256_fmadd_pd(_mm256_set1_pd(c[hi]), x, _mm256_set1_pd(c[lo]))
    __m256d q0 = KDA_PAIR(12, 13), q1 = KDA_PAIR(10, 11), q2 = KDA_PAIR(8, 9), q3 = KDA_PAIR(6, 7);
    __m256d q4 = KDA_PAIR(4, 5), q5 = KDA_PAIR(2, 3), q6 = KDA_PAIR(0, 1);
#undef KDA_PAIR
    __m256d u0 = _mm256_fmadd_pd(q1, x2, q0), u1 = _mm256_fmadd_pd(q3, x2, q2);
    __m256d u2 = _mm256_fmadd_pd(q5, x2, q4);
    __m256d v0 = _mm256_fmadd_pd(u1, x4, u0), v1 = _mm256_fmadd_pd(q6, x4, u2);
    return _mm256_fmadd_pd(v1, x8, v0);
}

__attribute__((target("avx2,fma")))
static inline void kda_logistic_rows_avx2(int m, const double *eta, const double *y, const double *w,
                                          double *t, double *mu, double *residual, double *root,
                                          double *out) {
    static const double c[14] = { KDA_EXP_COEFFICIENTS };
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
    const __m256d shifter = _mm256_set1_pd(0x1.8p52), floor = _mm256_set1_pd(-700.0);
    const __m256d sign = _mm256_set1_pd(-0.0);
    const __m256i bias = _mm256_set1_epi64x(1023);
    __m256d linear = zero, largest = zero;
    int i = 0;
    for (; i + 4 <= m; i += 4) {
        __m256d e = _mm256_loadu_pd(eta + i);
        __m256d a = _mm256_andnot_pd(sign, e);
        __m256d x = _mm256_max_pd(_mm256_sub_pd(zero, a), floor);
        __m256d kd = _mm256_fmadd_pd(x, _mm256_set1_pd(1.4426950408889634), shifter);
        __m256d k = _mm256_sub_pd(kd, shifter);
        __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(0.6931471803691238), x);
        r = _mm256_fnmadd_pd(k, _mm256_set1_pd(1.9082149292705877e-10), r);
        __m256d p = kda_estrin14_avx2(r, c);
        __m256i bits = _mm256_sub_epi64(_mm256_castpd_si256(kd), _mm256_castpd_si256(shifter));
        __m256d scale = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(bits, bias), 52));
        __m256d ti = _mm256_mul_pd(p, scale);
        __m256d inverse = _mm256_div_pd(one, _mm256_add_pd(one, ti));
        __m256d prob = _mm256_blendv_pd(_mm256_mul_pd(ti, inverse), inverse, _mm256_cmp_pd(e, zero, _CMP_GE_OQ));
        __m256d wi = _mm256_loadu_pd(w + i), yi = _mm256_loadu_pd(y + i);
        _mm256_storeu_pd(t + i, ti);
        _mm256_storeu_pd(mu + i, prob);
        _mm256_storeu_pd(residual + i, _mm256_mul_pd(wi, _mm256_sub_pd(yi, prob)));
        _mm256_storeu_pd(root + i, _mm256_mul_pd(_mm256_mul_pd(wi, ti), _mm256_mul_pd(inverse, inverse)));
        __m256d part = _mm256_sub_pd(_mm256_mul_pd(yi, e), _mm256_max_pd(e, zero));
        linear = _mm256_fmadd_pd(wi, part, linear);
        largest = _mm256_max_pd(largest, a);
    }
    double l[4], g[4];
    _mm256_storeu_pd(l, linear);
    _mm256_storeu_pd(g, largest);
    out[0] += (l[0] + l[1]) + (l[2] + l[3]);
    double big = g[0];
    for (int j = 1; j < 4; j++) big = g[j] > big ? g[j] : big;
    out[1] = big > out[1] ? big : out[1];
    kda_logistic_rows_portable(i, m, eta, y, w, t, mu, residual, root, out);
}

static inline int kda_has_avx2_fma(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return cached;
}
#endif

/// The logistic row kernel (see above); `out` must hold {0, 0} or running sums.
static inline void kda_logistic_rows(int m, const double *eta, const double *y, const double *w,
                                     double *t, double *mu, double *residual, double *root,
                                     double *out) {
#if defined(__x86_64__) && defined(__clang__)
    if (kda_has_avx2_fma()) {
        kda_logistic_rows_avx2(m, eta, y, w, t, mu, residual, root, out);
        return;
    }
#endif
    kda_logistic_rows_portable(0, m, eta, y, w, t, mu, residual, root, out);
}


// MARK: Weighted sum of log(1 + t) for 0 <= t <= 1 (the log part of a logistic log-likelihood).
// log(1 + t) = 2 atanh(s), s = t/(2 + t) in [0, 1/3]: 2s (1 + s^2/3 + s^4/5 + ... + s^34/35),
// truncation below 1e-17 relative. AVX2/FMA four at a time where available.
static inline double kda_log1p_unit(double t) {
    static const double k[18] = { 1.0 / 1, 1.0 / 3, 1.0 / 5, 1.0 / 7, 1.0 / 9, 1.0 / 11, 1.0 / 13, 1.0 / 15,
                                  1.0 / 17, 1.0 / 19, 1.0 / 21, 1.0 / 23, 1.0 / 25, 1.0 / 27, 1.0 / 29,
                                  1.0 / 31, 1.0 / 33, 1.0 / 35 };
    double s = t / (2.0 + t), z = s * s, p = k[17];
    for (int j = 16; j >= 0; j--) p = p * z + k[j];
    return 2.0 * s * p;
}

static inline double kda_weighted_log1p_sum_portable(int from, int n, const double *t, const double *w) {
    double sum = 0;
    for (int i = from; i < n; i++) sum += w[i] * kda_log1p_unit(t[i]);
    return sum;
}

#if defined(__x86_64__) && defined(__clang__)
__attribute__((target("avx2,fma")))
static inline __m256d kda_estrin_atanh_avx2(__m256d z) {
    // sum_{j=0}^{17} z^j / (2j + 1) by Estrin's scheme (depth 5).
    __m256d z2 = _mm256_mul_pd(z, z), z4 = _mm256_mul_pd(z2, z2), z8 = _mm256_mul_pd(z4, z4);
    __m256d z16 = _mm256_mul_pd(z8, z8);
    static const double k[18] = { 1.0 / 1, 1.0 / 3, 1.0 / 5, 1.0 / 7, 1.0 / 9, 1.0 / 11, 1.0 / 13, 1.0 / 15,
                                  1.0 / 17, 1.0 / 19, 1.0 / 21, 1.0 / 23, 1.0 / 25, 1.0 / 27, 1.0 / 29,
                                  1.0 / 31, 1.0 / 33, 1.0 / 35 };
#define KDA_Q(i) _mm256_fmadd_pd(_mm256_set1_pd(k[2 * (i) + 1]), z, _mm256_set1_pd(k[2 * (i)]))
    __m256d q[9] = { KDA_Q(0), KDA_Q(1), KDA_Q(2), KDA_Q(3), KDA_Q(4), KDA_Q(5), KDA_Q(6), KDA_Q(7), KDA_Q(8) };
#undef KDA_Q
    __m256d u0 = _mm256_fmadd_pd(q[1], z2, q[0]), u1 = _mm256_fmadd_pd(q[3], z2, q[2]);
    __m256d u2 = _mm256_fmadd_pd(q[5], z2, q[4]), u3 = _mm256_fmadd_pd(q[7], z2, q[6]);
    __m256d v0 = _mm256_fmadd_pd(u1, z4, u0), v1 = _mm256_fmadd_pd(u3, z4, u2);
    __m256d w0 = _mm256_fmadd_pd(v1, z8, v0);
    return _mm256_fmadd_pd(q[8], z16, w0);
}

__attribute__((target("avx2,fma")))
static inline double kda_weighted_log1p_sum_avx2(int n, const double *t, const double *w) {
    const __m256d two = _mm256_set1_pd(2.0);
    __m256d sum = _mm256_setzero_pd();
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d ti = _mm256_loadu_pd(t + i);
        __m256d s = _mm256_div_pd(ti, _mm256_add_pd(two, ti));
        __m256d z = _mm256_mul_pd(s, s);
        __m256d p = kda_estrin_atanh_avx2(z);
        __m256d value = _mm256_mul_pd(_mm256_mul_pd(two, s), p);
        sum = _mm256_fmadd_pd(_mm256_loadu_pd(w + i), value, sum);
    }
    double l[4];
    _mm256_storeu_pd(l, sum);
    return ((l[0] + l[1]) + (l[2] + l[3])) + kda_weighted_log1p_sum_portable(i, n, t, w);
}
#endif

/// Sum of w[i] log(1 + t[i]) for 0 <= t[i] <= 1.
static inline double kda_weighted_log1p_sum(int n, const double *t, const double *w) {
#if defined(__x86_64__) && defined(__clang__)
    if (kda_has_avx2_fma()) return kda_weighted_log1p_sum_avx2(n, t, w);
#endif
    return kda_weighted_log1p_sum_portable(0, n, t, w);
}


// MARK: Weighted Gram matrix h[a + b*ldh] += sum_i wt[i] x[i + a*ldx] x[i + b*ldx] for a <= b < k,
// rows 0..n-1 (the Hessian X'WX of a Newton pass, without a scaled copy of X or BLAS packing).
// Tiles of 4 x 4 columns (AVX-512) or 2 x 4 columns (AVX2/FMA), chosen at run time, accumulate over
// the rows in SIMD registers; the lanes and the tail rows are summed in a fixed order for a given
// machine.

static inline void kda_weighted_gram_portable(int n, int k, const double *const *x, const double *wt,
                                              double *h, int ldh) {
    for (int b = 0; b < k; b++) {
        for (int a = 0; a <= b; a++) {
            double sum = 0;
            const double *xa = x[a], *xb = x[b];
            for (int i = 0; i < n; i++) sum += wt[i] * xa[i] * xb[i];
            h[a + (size_t)b * ldh] += sum;
        }
    }
}

#if defined(__x86_64__) && defined(__clang__)
__attribute__((target("avx2,fma")))
static inline double kda_sum4(__m256d v) {
    double l[4];
    _mm256_storeu_pd(l, v);
    return (l[0] + l[1]) + (l[2] + l[3]);
}

__attribute__((target("avx2,fma")))
static inline void kda_weighted_gram_avx2(int n, int k, const double *const *x, const double *wt,
                                          double *h, int ldh) {
    int body = n - n % 4;
    for (int a0 = 0; a0 < k; a0 += 2) {
        int a1 = a0 + 1 < k ? a0 + 1 : a0;
        const double *xa0 = x[a0], *xa1 = x[a1];
        for (int b0 = a0 - a0 % 4; b0 < k; b0 += 4) {
            const double *xb[4];
            int bs[4];
            for (int j = 0; j < 4; j++) {
                bs[j] = b0 + j < k ? b0 + j : k - 1;
                xb[j] = x[bs[j]];
            }
            __m256d c00 = _mm256_setzero_pd(), c01 = c00, c02 = c00, c03 = c00;
            __m256d c10 = c00, c11 = c00, c12 = c00, c13 = c00;
            for (int i = 0; i < body; i += 4) {
                __m256d w = _mm256_loadu_pd(wt + i);
                __m256d u0 = _mm256_mul_pd(w, _mm256_loadu_pd(xa0 + i));
                __m256d u1 = _mm256_mul_pd(w, _mm256_loadu_pd(xa1 + i));
                __m256d v = _mm256_loadu_pd(xb[0] + i);
                c00 = _mm256_fmadd_pd(u0, v, c00); c10 = _mm256_fmadd_pd(u1, v, c10);
                v = _mm256_loadu_pd(xb[1] + i);
                c01 = _mm256_fmadd_pd(u0, v, c01); c11 = _mm256_fmadd_pd(u1, v, c11);
                v = _mm256_loadu_pd(xb[2] + i);
                c02 = _mm256_fmadd_pd(u0, v, c02); c12 = _mm256_fmadd_pd(u1, v, c12);
                v = _mm256_loadu_pd(xb[3] + i);
                c03 = _mm256_fmadd_pd(u0, v, c03); c13 = _mm256_fmadd_pd(u1, v, c13);
            }
            double sums[2][4] = {
                { kda_sum4(c00), kda_sum4(c01), kda_sum4(c02), kda_sum4(c03) },
                { kda_sum4(c10), kda_sum4(c11), kda_sum4(c12), kda_sum4(c13) } };
            for (int i = body; i < n; i++) {
                for (int j = 0; j < 4; j++) {
                    sums[0][j] += wt[i] * xa0[i] * xb[j][i];
                    sums[1][j] += wt[i] * xa1[i] * xb[j][i];
                }
            }
            for (int j = 0; j < 4 && b0 + j < k; j++) {
                int b = b0 + j;
                if (a0 <= b) h[a0 + (size_t)b * ldh] += sums[0][j];
                if (a0 + 1 < k && a0 + 1 <= b) h[a0 + 1 + (size_t)b * ldh] += sums[1][j];
            }
        }
    }
}
#endif

#if defined(__x86_64__) && defined(__clang__)
static inline int kda_has_avx512f(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx512f");
    }
    return cached;
}

// AVX-512: tiles of 4 x 4 columns, eight rows at a time, in 16 of the 32 vector registers
// (9 loads per 16 fused multiply-adds, against 7 per 8 with AVX2's 2 x 4 tiles).
__attribute__((target("avx512f")))
static inline void kda_weighted_gram_avx512(int n, int k, const double *const *x, const double *wt,
                                            double *h, int ldh) {
    int body = n - n % 8;
    for (int a0 = 0; a0 < k; a0 += 4) {
        const double *xa[4];
        for (int j = 0; j < 4; j++) xa[j] = x[a0 + j < k ? a0 + j : k - 1];
        for (int b0 = a0; b0 < k; b0 += 4) {
            const double *xb[4];
            for (int j = 0; j < 4; j++) xb[j] = x[b0 + j < k ? b0 + j : k - 1];
            __m512d c00 = _mm512_setzero_pd(), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
            __m512d c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
            const double *a0p = xa[0], *a1p = xa[1], *a2p = xa[2], *a3p = xa[3];
            const double *b0p = xb[0], *b1p = xb[1], *b2p = xb[2], *b3p = xb[3];
            for (int i = 0; i < body; i += 8) {
                __m512d w = _mm512_loadu_pd(wt + i);
                __m512d u0 = _mm512_mul_pd(w, _mm512_loadu_pd(a0p + i));
                __m512d u1 = _mm512_mul_pd(w, _mm512_loadu_pd(a1p + i));
                __m512d u2 = _mm512_mul_pd(w, _mm512_loadu_pd(a2p + i));
                __m512d u3 = _mm512_mul_pd(w, _mm512_loadu_pd(a3p + i));
                __m512d v = _mm512_loadu_pd(b0p + i);
                c00 = _mm512_fmadd_pd(u0, v, c00); c10 = _mm512_fmadd_pd(u1, v, c10);
                c20 = _mm512_fmadd_pd(u2, v, c20); c30 = _mm512_fmadd_pd(u3, v, c30);
                v = _mm512_loadu_pd(b1p + i);
                c01 = _mm512_fmadd_pd(u0, v, c01); c11 = _mm512_fmadd_pd(u1, v, c11);
                c21 = _mm512_fmadd_pd(u2, v, c21); c31 = _mm512_fmadd_pd(u3, v, c31);
                v = _mm512_loadu_pd(b2p + i);
                c02 = _mm512_fmadd_pd(u0, v, c02); c12 = _mm512_fmadd_pd(u1, v, c12);
                c22 = _mm512_fmadd_pd(u2, v, c22); c32 = _mm512_fmadd_pd(u3, v, c32);
                v = _mm512_loadu_pd(b3p + i);
                c03 = _mm512_fmadd_pd(u0, v, c03); c13 = _mm512_fmadd_pd(u1, v, c13);
                c23 = _mm512_fmadd_pd(u2, v, c23); c33 = _mm512_fmadd_pd(u3, v, c33);
            }
            __m512d tiles[4][4] = { { c00, c01, c02, c03 }, { c10, c11, c12, c13 }, { c20, c21, c22, c23 }, { c30, c31, c32, c33 } };
            for (int r = 0; r < 4; r++) {
                for (int j = 0; j < 4; j++) {
                    double lanes[8];
                    _mm512_storeu_pd(lanes, tiles[r][j]);
                    double sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
                    for (int i = body; i < n; i++) sum += wt[i] * xa[r][i] * xb[j][i];
                    int a = a0 + r, b = b0 + j;
                    if (a < k && b < k && a <= b) h[a + (size_t)b * ldh] += sum;
                }
            }
        }
    }
}
#endif

/// The same over columns given by pointers (`x[a]` is column `a`, rows 0..n-1): no gathered copy.
static inline void kda_weighted_gram_columns(int n, int k, const double *const *x, const double *wt,
                                             double *h, int ldh) {
#if defined(__x86_64__) && defined(__clang__)
    if (kda_has_avx512f()) {
        kda_weighted_gram_avx512(n, k, x, wt, h, ldh);
        return;
    }
    if (kda_has_avx2_fma()) {
        kda_weighted_gram_avx2(n, k, x, wt, h, ldh);
        return;
    }
#endif
    kda_weighted_gram_portable(n, k, x, wt, h, ldh);
}

/// Over a column-major block `x` with leading dimension `ldx`.
static inline void kda_weighted_gram(int n, int k, const double *x, int ldx, const double *wt, double *h,
                                     int ldh) {
    const double *columns[k > 0 ? k : 1];
    for (int a = 0; a < k; a++) columns[a] = x + (size_t)a * ldx;
    kda_weighted_gram_columns(n, k, columns, wt, h, ldh);
}

#endif
