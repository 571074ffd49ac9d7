import Foundation

extension NumberFormat {
    /// `x` with `digits` significant digits and thousands separators instead of an exponent for
    /// large magnitudes: `-34,360` (not `-3.436e+04`), `0.01234`, `1.5e-07`; `—` for `nil` or
    /// non-finite values. Magnitudes of 10¹⁵ and above keep the exponent.
    public static func grouped(_ x: Double?, digits: Int = 4) -> String {
        guard let x, x.isFinite else { return "—" }
        let digits = max(1, min(digits, 15))
        let magnitude = abs(x)
        guard magnitude >= pow(10, Double(digits)), magnitude < 1e15 else { return significant(x, digits: digits) }
        let exponent = Int(floor(log10(magnitude)))
        let unit = pow(10, Double(exponent - digits + 1))
        let rounded = (magnitude / unit).rounded() * unit
        return (x < 0 ? "-" : "") + thousands(UInt64(rounded))
    }

    /// A count with thousands separators: `7,043`.
    public static func count(_ n: Int) -> String { (n < 0 ? "-" : "") + thousands(UInt64(n.magnitude)) }

    /// A share in percent with one decimal: `16.3 %`; `—` for `nil`.
    public static func percent(_ share: Double?, decimals: Int = 1) -> String {
        guard let share, share.isFinite else { return "—" }
        return String(format: "%.\(max(0, decimals))f %%", 100 * share)
    }

    /// A bootstrap rank interval with integer ends: `[3, 4]`. Ranks are whole, but interpolated
    /// percentile ends can fall between two ranks (`[3, 3.025]`); each end is rounded to the
    /// nearest rank.
    public static func rankInterval(_ interval: ClosedInterval?) -> String {
        guard let interval, interval.lower.isFinite, interval.upper.isFinite else { return "—" }
        // A rank beyond 2⁵³ comes only from a corrupt document: shown, never converted (which traps).
        guard abs(interval.lower) < 0x1p53, abs(interval.upper) < 0x1p53 else {
            return "[\(significant(interval.lower)), \(significant(interval.upper))]"
        }
        return "[\(Int(interval.lower.rounded())), \(Int(interval.upper.rounded()))]"
    }

    static func thousands(_ n: UInt64) -> String {
        var digits = String(n), grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return digits + grouped
    }
}
