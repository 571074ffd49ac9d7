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

#endif
