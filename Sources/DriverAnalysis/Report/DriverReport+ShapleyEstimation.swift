extension DriverReport {
    /// How the Shapley values, and their bootstrap intervals, were obtained: exactly (every
    /// submodel) or by permutation sampling (with a Monte Carlo standard error per driver in
    /// ``ImportanceScores/shapleyStandardError``). JSON: `"shapley_estimate"`.
    public struct ShapleyEstimation: Sendable, Equatable {
        /// Exact enumeration or permutation sampling.
        public enum Algorithm: String, Sendable, Equatable {
            /// Every submodel fitted.
            case exact
            /// Permutation sampling (antithetic pairs of orderings).
            case sampled
        }

        /// How the reported values were computed.
        public internal(set) var method: Algorithm
        /// Orderings sampled for the reported values (`nil` when exact).
        public internal(set) var permutations: Int?
        /// How each bootstrap replicate's values were computed (`nil` without bootstrap intervals).
        public internal(set) var intervalMethod: Algorithm?
        /// Orderings sampled per bootstrap replicate (`nil` unless ``intervalMethod`` is `.sampled`).
        public internal(set) var intervalPermutations: Int?

        /// An estimation summary.
        ///
        /// - Parameters:
        ///   - method: how the reported values were computed.
        ///   - permutations: orderings sampled for the reported values; `nil` (default) when exact.
        ///   - intervalMethod: how each bootstrap replicate's values were computed; `nil` (default) without
        ///     bootstrap intervals.
        ///   - intervalPermutations: orderings sampled per replicate; `nil` (default) unless `intervalMethod`
        ///     is `.sampled`.
        public init(method: Algorithm, permutations: Int? = nil, intervalMethod: Algorithm? = nil, intervalPermutations: Int? = nil) {
            self.method = method
            self.permutations = permutations
            self.intervalMethod = intervalMethod
            self.intervalPermutations = intervalPermutations
        }

        /// The `"shapley_estimate"` object.
        var json: JSONValue {
            .object([("method", .string(method.rawValue)), ("permutations", permutations.map { .number(Double($0)) } ?? .null),
                     ("interval_method", intervalMethod.map { .string($0.rawValue) } ?? .null),
                     ("interval_permutations", intervalPermutations.map { .number(Double($0)) } ?? .null)])
        }

        /// Reads the `"shapley_estimate"` object; `nil` when malformed.
        init?(json v: JSONValue) {
            guard let method = v["method"]?.string.flatMap(Algorithm.init(rawValue:)) else { return nil }
            func count(_ key: String) -> Int? { v[key]?.double.flatMap { $0 >= 0 && $0 < 1e15 ? Int($0) : nil } }
            self.init(method: method, permutations: count("permutations"),
                      intervalMethod: v["interval_method"]?.string.flatMap(Algorithm.init(rawValue:)),
                      intervalPermutations: count("interval_permutations"))
        }

        /// The renderers' wording: "sampled Shapley (1,000 permutations, ± s.e.)" or "exact Shapley".
        var label: String {
            switch method {
            case .exact: return "exact Shapley"
            case .sampled: return "sampled Shapley (\(NumberFormat.count(permutations ?? 0)) permutations, ± s.e.)"
            }
        }

        /// How the bootstrap intervals were computed, for the legend; `nil` without them.
        var intervalLabel: String? {
            switch intervalMethod {
            case .exact?: return "exact Shapley in every resample"
            case .sampled?: return "sampled Shapley in every resample, \(NumberFormat.count(intervalPermutations ?? 0)) permutations each, so the Monte Carlo error is part of the interval"
            case nil: return nil
            }
        }
    }
}
