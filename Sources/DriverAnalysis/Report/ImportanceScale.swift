import Foundation

/// The importance axis of the priority matrix, in pixels: one linear ``ChartAxis`` over the points'
/// range, or — when a few drivers are far more important than the rest (the largest gap between
/// consecutive shares in the upper half is over 40 % of the range, with at most a tenth of the
/// points, and at least 2, above it … or one) — two linear axes with a marked break between them,
/// the main one taking 82 % of the width. Without the break one outlier at 16 % squeezes twenty
/// drivers between 2 and 6 % into a fifth of the plot; with it they spread over most of it, and the
/// outliers keep their true values on their own ticks.
struct ImportanceScale: Sendable, Equatable {
    /// The axis of most points.
    let main: ChartAxis
    /// The axis of the few far-right points after the break, if any.
    let outliers: ChartAxis?
    /// The pixel range.
    let from: Double, to: Double

    /// Pixels between the two segments, where the break is drawn.
    static let gap = 22.0

    /// Where the main segment ends.
    var mainEnd: Double { outliers == nil ? to : from + 0.82 * (to - from) - Self.gap }
    /// Where the outlier segment starts.
    var outliersStart: Double { mainEnd + Self.gap }

    /// An axis for `shares` (fractions) over the pixels `from...to`; `lowerEnds` (parallel to
    /// `shares`, when given) are the lower ends of their intervals: the outlier segment reaches
    /// down to cover them, so no whisker ends inside the break, where values cannot be read.
    init(shares: [Double], lowerEnds: [Double?] = [], from: Double, to: Double) {
        self.from = from
        self.to = to
        let sorted = shares.filter(\.isFinite).sorted()
        let low = sorted.first ?? 0, high = sorted.last ?? 1
        func axis(_ a: Double, _ b: Double, count: Int) -> ChartAxis {
            let margin = max(0.06 * (b - a), 0.002)
            return ChartAxis(covering: a - margin < 0.5 * a ? 0 : a - margin, b + margin, count: count, limits: 0...1)
        }
        // The widest gap between neighbours in the upper half.
        var cut: Int? = nil
        if sorted.count >= 4, high > low {
            let start = sorted.count / 2
            let gaps: [Double] = (0..<(sorted.count - 1)).map { (k: Int) -> Double in k < start ? -1 : sorted[k + 1] - sorted[k] }
            if let k = gaps.indices.max(by: { gaps[$0] < gaps[$1] }) {
                let above = sorted.count - 1 - k
                if sorted[k + 1] - sorted[k] > 0.4 * (high - low) && above <= max(1, sorted.count / 10) { cut = k }
            }
        }
        if let k = cut {
            let whiskers = zip(shares, lowerEnds).compactMap { share, lower in share > sorted[k] ? lower : nil }.filter { $0 > sorted[k] }
            let main = axis(low, sorted[k], count: 7), outliers = axis(min(sorted[k + 1], whiskers.min() ?? 1), high, count: 2)
            if outliers.lower > main.upper {
                self.main = main
                self.outliers = outliers
                return
            }
        }
        main = axis(low, high, count: 7)
        outliers = nil
    }

    /// The pixel of `x`, clamped to the axis; inside the break, in proportion across the gap.
    func position(_ x: Double) -> Double {
        guard let outliers else { return main.position(min(max(x, main.lower), main.upper), from: from, to: to) }
        if x <= main.upper { return main.position(max(x, main.lower), from: from, to: mainEnd) }
        if x >= outliers.lower { return outliers.position(min(x, outliers.upper), from: outliersStart, to: to) }
        return mainEnd + (x - main.upper) / (outliers.lower - main.upper) * Self.gap
    }

    /// Every tick of both segments.
    var ticks: [Double] { main.ticks + (outliers?.ticks ?? []) }

    /// A tick's label in percent, with the decimals of its segment's step.
    func label(_ t: Double) -> String { (outliers.map { t >= $0.lower } == true ? outliers! : main).label(t, scale: 100) }

    /// The lowest value shown.
    var lower: Double { main.lower }
}
