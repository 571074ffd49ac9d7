import Foundation

/// The number formats every human-readable output shares (summaries, tables, reports):
/// significant digits, p-values that say `< 1e-300` instead of printing an underflowed 0,
/// money with thousands separators.
package enum NumberFormat {
    /// `x` with `digits` significant digits (`%.4g` style); `—` for `nil` or non-finite values.
    public static func significant(_ x: Double?, digits: Int = 4) -> String {
        guard let x, x.isFinite else { return "—" }
        return String(format: "%.\(max(1, min(digits, 17)))g", x)
    }

    /// A p-value: three significant digits, `< 1e-300` where it underflows (the distributions
    /// are accurate to 1e-300, below which a double cannot hold the tail), `—` when unknown.
    public static func pValue(_ p: Double?) -> String {
        guard let p, p.isFinite else { return "—" }
        if p < 1e-300 { return "< 1e-300" }
        return String(format: "%.3g", p)
    }

    /// `p = 0.0312` or `p < 1e-300`: a p-value with its relation sign, for summary lines.
    public static func pValueClause(_ p: Double?, symbol: String = "p") -> String {
        let text = pValue(p)
        return text.hasPrefix("<") ? "\(symbol) \(text)" : "\(symbol) = \(text)"
    }

    /// Money (or any large count) rounded to whole units with thousands separators, a sign when
    /// `signed`, and an optional currency label: `+3,446,996 USD`.
    public static func money(_ x: Double?, signed: Bool = false, currency: String? = nil) -> String {
        guard let x, x.isFinite else { return "—" }
        let rounded = x.rounded()
        let magnitude = abs(rounded)
        guard magnitude < 1e18 else { return significant(x) + (currency.map { " \($0)" } ?? "") }
        var digits = String(UInt64(magnitude))
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        let sign = rounded < 0 ? "−" : (signed && rounded > 0 ? "+" : "")
        return sign + grouped + (currency.map { " \($0)" } ?? "")
    }
}
