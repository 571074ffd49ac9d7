/// A stable least-significant-digit radix sort of `Double` keys carrying a payload, for the
/// million-row sorts of a churn model (the AUC's ranking of fitted scores).
///
/// Each double is mapped to an unsigned integer in the same order (the sign bit flipped for
/// positives, every bit flipped for negatives; `−0` is taken as `+0` so that the two tie), then
/// sorted by six 11-bit digits (the last holds 9 bits); a digit shared by every key is skipped. Complexity: O(n) time
/// per digit pass, 2·n words of extra memory; below ``comparisonLimit`` elements a comparison
/// sort is used. `NaN` keys sort above `+∞`.
enum RadixSort {
    /// Arrays shorter than this are sorted by comparison.
    static let comparisonLimit = 4096

    /// The order-preserving integer image of `x`.
    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        let bits = (x == 0 ? 0.0 : x).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// The double whose image is `key` (`−0` comes back as `+0`).
    @inline(__always)
    static func value(_ key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }

    /// `(score, payload)` pairs in ascending order of score; equal scores keep their input order.
    static func sorted(scores: [Double], payloads: [Double]) -> (scores: [Double], payloads: [Double]) {
        precondition(payloads.count == scores.count, "one payload per score")
        let n = scores.count
        if n < comparisonLimit {
            let order = scores.indices.sorted { key(scores[$0]) < key(scores[$1]) || (key(scores[$0]) == key(scores[$1]) && $0 < $1) }
            return (order.map { value(key(scores[$0])) }, order.map { payloads[$0] })
        }
        // Six 11-bit digits (2,048 buckets keep the scatter in cache); all histograms in one pass.
        let digits = 6, radix = 1 << 11, mask: UInt64 = UInt64(radix - 1)
        var keys = [UInt64](repeating: 0, count: n), values = payloads
        var keysOut = [UInt64](repeating: 0, count: n), valuesOut = [Double](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: digits * radix)
        keys.withUnsafeMutableBufferPointer { k in
            counts.withUnsafeMutableBufferPointer { c in
                scores.withUnsafeBufferPointer { x in
                    for i in 0..<n {
                        let image = key(x[i])
                        k[i] = image
                        for d in 0..<digits { c[d * radix + Int(truncatingIfNeeded: (image >> UInt64(11 * d)) & mask)] += 1 }
                    }
                }
            }
        }
        for d in 0..<digits {
            let shift = UInt64(11 * d)
            let skip = counts.withUnsafeMutableBufferPointer { c -> Bool in
                let histogram = c.baseAddress! + d * radix
                var total = 0
                for j in 0..<radix {
                    if histogram[j] == n { return true }   // every key has this digit
                    let count = histogram[j]
                    histogram[j] = total
                    total += count
                }
                return false
            }
            if skip { continue }
            counts.withUnsafeMutableBufferPointer { c in
                let offsets = c.baseAddress! + d * radix
                keys.withUnsafeBufferPointer { kIn in
                    values.withUnsafeBufferPointer { vIn in
                        keysOut.withUnsafeMutableBufferPointer { kOut in
                            valuesOut.withUnsafeMutableBufferPointer { vOut in
                                for i in 0..<n {
                                    let image = kIn[i]
                                    let digit = Int(truncatingIfNeeded: (image >> shift) & mask)
                                    let slot = offsets[digit]
                                    offsets[digit] = slot + 1
                                    kOut[slot] = image
                                    vOut[slot] = vIn[i]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keysOut)
            swap(&values, &valuesOut)
        }
        return (keys.map(value), values)
    }
}
