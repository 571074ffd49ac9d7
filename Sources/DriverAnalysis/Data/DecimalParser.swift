/// Parses a decimal number from raw bytes, returning exactly what Swift's `Double(_:)` returns.
///
/// Fast path (Clinger 1990): a mantissa of at most 19 digits that fits in 2⁵³ with a decimal
/// exponent |e| ≤ 22 is `m × 10ᵉ` or `m / 10⁻ᵉ`, one correctly rounded IEEE operation on two
/// exact doubles. Survey values ("7", "3.5", "1234.56") always take it. Anything else —
/// longer mantissas, large exponents, `inf` — goes to `Double(String)`, the standard library's
/// correctly rounded parser. Hexadecimal forms (`0x10`, `0x1p3`), which `Double(String)` accepts,
/// are text here: no survey export writes them, and `0x10` read as 16 would be a silent recode.
enum DecimalParser {
    static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { r, _ in r * 10 } }

    /// The value of `bytes`, or `nil` when `Double(String(bytes))` would be `nil`.
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, count: Int) -> Double? {
        if let fast = fastPath(p, count: count) { return fast }
        return slowPath(p, count: count)
    }

    @inline(__always)
    static func fastPath(_ p: UnsafePointer<UInt8>, count: Int) -> Double? {
        guard let (value, length) = fastPrefix(p, count: count), length == count else { return nil }
        return value
    }

    /// The fast path on the longest prefix of `p[0..<count]` that reads as a decimal number:
    /// `(value, bytes read)`, or `nil` when that prefix is not a number the fast path can
    /// decide exactly (no digits, an exponent without digits, more than 19 significant digits,
    /// a mantissa above 2⁵³ or |exponent| > 22). The CSV reader calls it on a cell in place and
    /// accepts the value when the prefix ends at the cell's delimiter; otherwise the whole cell
    /// goes through ``parse(_:count:)``, so the result is always what `Double(_:)` returns.
    @inline(__always)
    static func fastPrefix(_ p: UnsafePointer<UInt8>, count: Int) -> (Double, Int)? {
        var i = 0
        var negative = false
        if i < count && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while i < count, p[i] &- 48 < 10 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); if mantissa != 0 { digits += 1 } } else { return nil }
            sawDigit = true
            i += 1
        }
        if i < count && p[i] == UInt8(ascii: ".") {
            i += 1
            while i < count, p[i] &- 48 < 10 {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48)
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                } else { return nil }
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < count && (p[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < count && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
                expNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var expDigits = 0
            while i < count, p[i] &- 48 < 10 {
                if e < 10_000 { e = e * 10 + Int(p[i] &- 48) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard mantissa <= (1 << 53) else { return nil }
        var value = Double(mantissa)
        if exponent != 0 {
            guard exponent >= -22 && exponent <= 22 else { return nil }
            value = exponent > 0 ? value * powersOfTen[exponent] : value / powersOfTen[-exponent]
        }
        return (negative ? -value : value, i)
    }

    /// The commonest survey cell, `-?digits[.digits]` with at most 19 digits in all and no
    /// exponent, read in place from bytes that end with a non-digit sentinel (no bounds checks):
    /// `(value, bytes read)`, or `nil` for any other shape (then ``fastPrefix(_:count:)``
    /// decides). Exact by the same argument as the fast path: the mantissa is below 2⁵³ and
    /// the divisor `powers[k]` = 10ᵏ (k ≤ 22) is exact, so one division rounds correctly.
    @inline(__always)
    static func plainPrefix(_ p: UnsafePointer<UInt8>, powers: UnsafePointer<Double>) -> (Double, Int)? {
        let negative = p[0] == UInt8(ascii: "-")
        var i = negative ? 1 : 0
        let start = i
        var mantissa: UInt64 = 0
        var digit = p[i] &- 48
        while digit < 10 { mantissa = mantissa &* 10 &+ UInt64(digit); i += 1; digit = p[i] &- 48 }
        var digits = i - start
        var fraction = 0
        if p[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            digit = p[i] &- 48
            while digit < 10 { mantissa = mantissa &* 10 &+ UInt64(digit); i += 1; digit = p[i] &- 48 }
            fraction = i - fractionStart
            digits += fraction
        }
        guard digits > 0, digits <= 19, (p[i] | 0x20) != UInt8(ascii: "e"), mantissa <= 1 << 53, fraction <= 22 else { return nil }
        let magnitude = fraction == 0 ? Double(mantissa) : Double(mantissa) / powers[fraction]
        return (negative ? -magnitude : magnitude, i)
    }

    /// `Double(text)` for text that holds nothing but the number: `nil` for a NUL byte anywhere.
    static func parse(_ text: String) -> Double? {
        text.utf8.contains { $0 == 0 || $0 | 0x20 == UInt8(ascii: "x") } ? nil : Double(text)
    }

    static func slowPath(_ p: UnsafePointer<UInt8>, count: Int) -> Double? {
        // `Double(String)` stops at a NUL byte (strtod): "5\09999" would read as 5.
        // A hexadecimal form ("0x10") is text, not 16.
        for i in 0..<count where p[i] == 0 || p[i] | 0x20 == UInt8(ascii: "x") { return nil }
        let text = String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
        return Double(text)
    }
}
