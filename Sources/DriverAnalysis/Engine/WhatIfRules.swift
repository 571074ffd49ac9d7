import Foundation

/// The rules of ``ValueStage``'s levers for a warehouse model, from one ranges query: each
/// number's kind (a rating on a common or declared scale, a count by its name or declaration,
/// an amount, another number, a 0/1 switch), its step (Δ points for a rating, one standard
/// deviation — a whole number for a count — otherwise) and its direction (declared
/// lower-is-better, else the one its significant fitted effect favours), so that the engine's
/// what-if is the file path's.
struct WhatIfRules {
    let configuration: AnalysisConfiguration?
    /// Per driver: whether raising it hurts the outcome by its fitted effect.
    let hurts: [Bool]

    struct Lever {
        let kind: DriverVariable.Kind
        let step: Double?
        let down: Bool
        let bounds: ClosedRange<Double>
    }

    /// Driver `j`'s lever from the query's `lo`, `hi`, `s` (sum), `ss` (sum of squares), `nw`
    /// (values not whole), `nd` (distinct values) and `n`.
    func lever(_ j: Int, design: EngineDesign, ranges: [String: Double], delta: Double) -> Lever {
        let name = design.drivers[j]
        let lo = ranges["lo\(j)"] ?? 0, hi = ranges["hi\(j)"] ?? 0
        let observed = min(lo, hi)...max(lo, hi)
        guard design.kinds[j] != .factor else { return Lever(kind: .factor, step: nil, down: false, bounds: observed) }
        let lowerIsBetter = configuration?.isLowerBetter(name) ?? false
        let raisingHurts = j < hurts.count && hurts[j]
        let whole = (ranges["nw\(j)"] ?? 1) == 0, distinct = ranges["nd\(j)"] ?? 0
        let declared = configuration?.declaredKind(of: name)
        if design.kinds[j] == .binary || declared == .binary || (declared == nil && whole && lo >= 0 && hi <= 1) {
            return Lever(kind: .binary, step: nil, down: lowerIsBetter || raisingHurts, bounds: 0...1)
        }
        var kind: DriverVariable.Kind = .numeric
        var scale: ClosedRange<Double>? = configuration?.declaredScale(of: name).map { $0.lower...$0.upper }
        if declared == .count { kind = .count } else if declared == .amount { kind = .amount }
        else if scale != nil { kind = .rating }
        else if whole && distinct >= 3 {
            if lo == 0, hi == 5 || hi == 7 { scale = 1...hi } else { scale = DriverVariable.commonScales.first { $0.contains(lo) && $0.contains(hi) } }
            if scale != nil { kind = AnalysisConfiguration.namedLikeCount(name) && declared != .rating ? .count : .rating }
        }
        if kind == .rating {
            return Lever(kind: .rating, step: abs(delta), down: lowerIsBetter != (delta < 0), bounds: scale ?? observed)
        }
        let n = ranges["n"] ?? 0, sum = ranges["s\(j)"] ?? 0, squares = ranges["ss\(j)"] ?? 0
        let variance = n > 1 ? max(0, (squares - sum * sum / n) / (n - 1)) : 0
        let sd = variance.squareRoot()
        let step = kind == .count ? max(1, sd.rounded()) : ValueStage.twoSignificant(sd)
        return Lever(kind: kind, step: step > 0 && step.isFinite ? step : nil, down: lowerIsBetter || (delta < 0) != raisingHurts, bounds: observed)
    }
}
