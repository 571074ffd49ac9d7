/// Invalid inputs to the CX value layer.
public enum CXError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The discount rate must be finite and greater than −1.
    case invalidDiscountRate(Double)
    /// Margins must be finite and non-negative; `observation` is 1-based (0 for a constant margin).
    case invalidMargin(value: Double, observation: Int)
    /// A likelihood-to-recommend answer outside 0–10 (or not a whole number).
    case invalidRecommendation(value: Double, row: Int)
    /// The what-if change must be finite.
    case invalidDelta(Double)
    /// Retention must lie in [0, 1].
    case invalidRetention(Double)
    /// A segment too small to fit the model.
    case segmentTooSmall(segment: String, rows: Int, parameters: Int)
    /// Inputs whose lengths or names do not fit together.
    case dimensionMismatch(String)
    /// No data to compute from.
    case empty(String)

    /// A one-sentence message with the offending value and the valid range.
    public var description: String {
        switch self {
        case let .invalidDiscountRate(d): return "discount rate \(d) must be finite and greater than −1 (e.g. 0.10 for 10 % per period)"
        case let .invalidMargin(value, observation):
            return observation == 0 ? "margin \(value) must be finite and non-negative"
                : "margin \(value) at observation \(observation) must be finite and non-negative"
        case let .invalidRecommendation(value, row): return "row \(row): likelihood to recommend must be a whole number from 0 to 10, found \(value)"
        case let .invalidDelta(delta): return "the what-if change \(delta) must be finite"
        case let .invalidRetention(r): return "retention \(r) must lie between 0 and 1"
        case let .segmentTooSmall(segment, rows, parameters):
            return "segment '\(segment)' has \(rows) complete rows, fewer than the \(parameters + 1) a model with \(parameters) parameters needs"
        case let .dimensionMismatch(message): return message
        case let .empty(what): return "no data: \(what)"
        }
    }
}
