/// The importance measures of the `kda.analysis/1` contract, by their JSON names.
public enum ImportanceMeasure: String, Sendable, CaseIterable, Codable, CodingKeyRepresentable {
    /// Shapley value / LMG / general dominance, in R² (or McFadden R²) units.
    case shapley
    /// Shapley value as a share of the total.
    case shapleyShare = "shapley_share"
    /// Johnson's relative weight (Tonidandel & LeBreton for logistic models).
    case relativeWeight = "relative_weight"
    /// Relative weight as a share of the total.
    case relativeWeightShare = "relative_weight_share"
    /// Pratt's measure `βⱼ·rⱼ`.
    case pratt
    /// First (zero-order) `rⱼ²`.
    case first
    /// Last (usefulness): the drop in R² when the driver leaves the full model.
    case last
    /// Squared standardized coefficient.
    case betaSquared = "beta_squared"
}

/// Every importance measure for one driver; `nil` where a measure was not computed.
public struct ImportanceScores: Sendable, Equatable, Codable {
    /// Shapley value / LMG / general dominance (R² or McFadden R² units).
    public internal(set) var shapley: Double?
    /// ``shapley`` as a share of the total (sums to 1 over drivers).
    public internal(set) var shapleyShare: Double?
    /// Johnson's relative weight.
    public internal(set) var relativeWeight: Double?
    /// ``relativeWeight`` as a share of the total.
    public internal(set) var relativeWeightShare: Double?
    /// Pratt's measure.
    public internal(set) var pratt: Double?
    /// Zero-order `r²`.
    public internal(set) var first: Double?
    /// Usefulness (last).
    public internal(set) var last: Double?
    /// Squared standardized coefficient.
    public internal(set) var betaSquared: Double?
    /// Monte Carlo standard error of a sampled ``shapley`` (`nil` when exact). JSON
    /// `"shapley_std_error"`, present only for sampled values.
    public internal(set) var shapleyStandardError: Double?

    /// No measure computed.
    public init() {}

    /// The measure `measure`, by its contract name.
    ///
    /// - Parameter measure: the measure; `nil` is returned when it was not computed.
    public subscript(measure: ImportanceMeasure) -> Double? {
        get {
            switch measure {
            case .shapley: return shapley
            case .shapleyShare: return shapleyShare
            case .relativeWeight: return relativeWeight
            case .relativeWeightShare: return relativeWeightShare
            case .pratt: return pratt
            case .first: return first
            case .last: return last
            case .betaSquared: return betaSquared
            }
        }
        set {
            switch measure {
            case .shapley: shapley = newValue
            case .shapleyShare: shapleyShare = newValue
            case .relativeWeight: relativeWeight = newValue
            case .relativeWeightShare: relativeWeightShare = newValue
            case .pratt: pratt = newValue
            case .first: first = newValue
            case .last: last = newValue
            case .betaSquared: betaSquared = newValue
            }
        }
    }

    /// The share used to rank drivers: the Shapley share, else the relative-weight share.
    public var rankingShare: Double? { shapleyShare ?? relativeWeightShare }

    private enum CodingKeys: String, CodingKey {
        case shapley, shapleyShare = "shapley_share", relativeWeight = "relative_weight", relativeWeightShare = "relative_weight_share"
        case pratt, first, last, betaSquared = "beta_squared", shapleyStandardError = "shapley_std_error"
    }

    /// Decodes the contract's `importance` object (`null` or absent → `nil`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        shapley = try c.decodeIfPresent(Double.self, forKey: .shapley)
        shapleyShare = try c.decodeIfPresent(Double.self, forKey: .shapleyShare)
        relativeWeight = try c.decodeIfPresent(Double.self, forKey: .relativeWeight)
        relativeWeightShare = try c.decodeIfPresent(Double.self, forKey: .relativeWeightShare)
        pratt = try c.decodeIfPresent(Double.self, forKey: .pratt)
        first = try c.decodeIfPresent(Double.self, forKey: .first)
        last = try c.decodeIfPresent(Double.self, forKey: .last)
        betaSquared = try c.decodeIfPresent(Double.self, forKey: .betaSquared)
        shapleyStandardError = try c.decodeIfPresent(Double.self, forKey: .shapleyStandardError)
    }

    /// Encodes every measure under its contract name, `null` where not computed or not finite.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeLenient(shapley, forKey: .shapley)
        try c.encodeLenient(shapleyShare, forKey: .shapleyShare)
        try c.encodeLenient(relativeWeight, forKey: .relativeWeight)
        try c.encodeLenient(relativeWeightShare, forKey: .relativeWeightShare)
        try c.encodeLenient(pratt, forKey: .pratt)
        try c.encodeLenient(first, forKey: .first)
        try c.encodeLenient(last, forKey: .last)
        try c.encodeLenient(betaSquared, forKey: .betaSquared)
        if shapleyStandardError != nil { try c.encodeLenient(shapleyStandardError, forKey: .shapleyStandardError) }
    }
}
