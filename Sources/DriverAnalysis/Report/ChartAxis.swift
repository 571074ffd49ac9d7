import Foundation

/// A chart axis with "nice" tick values: steps of 1, 2, 2.5 or 5 times a power of ten, and a
/// domain widened to whole steps so every mark it must hold lies inside (Heckbert 1990,
/// "Nice numbers for graph labels", Graphics Gems).
struct ChartAxis: Sendable, Equatable {
    /// The drawn range, from the first to the last tick.
    let lower: Double
    let upper: Double
    /// The distance between ticks.
    let step: Double

    /// An axis covering `[low, high]` with about `count` ticks, clamped to `limits` when given
    /// (a percent axis never runs past 0 or 100).
    init(covering low: Double, _ high: Double, count: Int = 5, limits: ClosedRange<Double>? = nil) {
        var low = low.isFinite ? low : 0, high = high.isFinite ? high : 1
        if high <= low { high = low + max(abs(low) * 0.1, 1e-9) }
        let raw = (high - low) / Double(max(1, count - 1))
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * power }.first { $0 >= raw * 0.999 } ?? 10 * power
        var lower = (low / step).rounded(.down) * step, upper = (high / step).rounded(.up) * step
        if let limits {
            lower = max(lower, limits.lowerBound)
            upper = min(upper, limits.upperBound)
            if upper <= lower { low = limits.lowerBound; lower = limits.lowerBound; upper = limits.upperBound }
        }
        self.lower = lower
        self.upper = upper
        self.step = step
    }

    /// The tick values, `lower` to `upper` in whole steps.
    var ticks: [Double] {
        // Values from a decoded report can span more than a Double's range (the step is then
        // infinite or the count NaN): two ticks at the ends, never an Int conversion that traps.
        let count = ((upper - lower) / step).rounded()
        guard count.isFinite, count >= 0, count <= 1_000 else { return [lower, upper].filter(\.isFinite) }
        return (0...Int(count)).map { lower + Double($0) * step }.filter { $0 <= upper + step * 1e-9 }
    }

    /// Where `x` falls on a pixel range `from...to` (may be reversed for a y axis).
    func position(_ x: Double, from a: Double, to b: Double) -> Double {
        a + (x - lower) / (upper - lower) * (b - a)
    }

    /// A tick label with as many decimals as the step needs: `20`, `2.5`, `0.25`.
    func label(_ x: Double, scale: Double = 1) -> String {
        let s = step * scale
        let decimals = (0...6).first { d in
            let scaled = s * pow(10, Double(d))
            return abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled)
        } ?? 6
        return String(format: "%.\(decimals)f", x * scale)
    }
}
