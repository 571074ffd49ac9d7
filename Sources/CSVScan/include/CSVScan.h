#ifndef CSVSCAN_H
#define CSVSCAN_H

#include <stddef.h>
#include <stdint.h>

/// Counts the bytes equal to `a` and to `b` in `bytes[0..<count]` (16 bytes at a time with
/// SSE2 where available). DriverAnalysis uses it to count newlines and quotes of a CSV range
/// in one pass: the quote count gives the quote parity at the next range's start, the newline
/// count an upper bound on its records.
void csv_count_two_bytes(const uint8_t *bytes, size_t count, uint8_t a, uint8_t b,
                         size_t *count_a, size_t *count_b);

/// The smallest and largest non-NaN value of `values[0..<count]` (`+inf`/`-inf` when there is
/// none) and whether every non-NaN value is a whole number (±∞ count as whole). One pass in
/// four vectorisable lanes; DriverAnalysis uses it to infer a column's kind (rating, binary).
void csv_value_summary(const double *values, size_t count, double *low, double *high, int *whole);

#endif
