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

/// y := alpha * op(A) * x + beta * y.
static inline void kda_dgemv(int trans_a, int m, int n, double alpha, const double *a, int lda,
                             const double *x, double beta, double *y) {
    cblas_dgemv(CblasColMajor, trans_a ? CblasTrans : CblasNoTrans, m, n, alpha, a, lda, x, 1,
                beta, y, 1);
}

#endif
