#include "CSVScan.h"

#include <math.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void csv_count_two_bytes(const uint8_t *bytes, size_t count, uint8_t a, uint8_t b,
                         size_t *count_a, size_t *count_b) {
    size_t na = 0, nb = 0, i = 0;
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b), zero = _mm_setzero_si128();
    while (count - i >= 16) {
        // Byte counters (each compare adds 0 or -1) for up to 255 blocks, then a horizontal sum.
        size_t blocks = (count - i) / 16;
        if (blocks > 255) blocks = 255;
        __m128i sa = zero, sb = zero;
        for (size_t k = 0; k < blocks; k++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
            sa = _mm_sub_epi8(sa, _mm_cmpeq_epi8(v, va));
            sb = _mm_sub_epi8(sb, _mm_cmpeq_epi8(v, vb));
        }
        __m128i ha = _mm_sad_epu8(sa, zero), hb = _mm_sad_epu8(sb, zero);
        na += (size_t)_mm_cvtsi128_si32(ha) + (size_t)_mm_extract_epi16(ha, 4);
        nb += (size_t)_mm_cvtsi128_si32(hb) + (size_t)_mm_extract_epi16(hb, 4);
    }
#endif
    for (; i < count; i++) {
        na += bytes[i] == a;
        nb += bytes[i] == b;
    }
    *count_a = na;
    *count_b = nb;
}

void csv_value_summary(const double *values, size_t count, double *low, double *high, int *whole) {
    // Four independent lanes so the compiler can keep them in vector registers. `x < lo ? x : lo`
    // is false for NaN, so missing values are skipped without a test. A value is whole when
    // rounding its magnitude to an integer (adding and subtracting 2^52) leaves it unchanged, or
    // when the magnitude is at least 2^52 (every such double is an integer).
    const double big = 4503599627370496.0;
    double lo[4] = { INFINITY, INFINITY, INFINITY, INFINITY };
    double hi[4] = { -INFINITY, -INFINITY, -INFINITY, -INFINITY };
    long fraction[4] = { 0, 0, 0, 0 };
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        for (int l = 0; l < 4; l++) {
            double x = values[i + l], a = fabs(x);
            lo[l] = x < lo[l] ? x : lo[l];
            hi[l] = x > hi[l] ? x : hi[l];
            double r = (a + big) - big;
            fraction[l] |= (x == x) & (a < big) & (r != a);
        }
    }
    for (; i < count; i++) {
        double x = values[i], a = fabs(x);
        lo[0] = x < lo[0] ? x : lo[0];
        hi[0] = x > hi[0] ? x : hi[0];
        double r = (a + big) - big;
        fraction[0] |= (x == x) & (a < big) & (r != a);
    }
    double l = lo[0], h = hi[0];
    for (int k = 1; k < 4; k++) {
        l = lo[k] < l ? lo[k] : l;
        h = hi[k] > h ? hi[k] : h;
    }
    *low = l;
    *high = h;
    *whole = !(fraction[0] | fraction[1] | fraction[2] | fraction[3]);
}
