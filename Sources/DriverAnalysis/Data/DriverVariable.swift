import CSVScan
import Foundation

/// What kind of variable a driver is, which decides how it enters the model, whether it has a
/// performance on the priority matrix, and what its what-if means.
///
/// - *rating*: a survey rating on a scale (1–5, 1–7, 0–10, 1–10, inferred or declared): a lever
///   with a performance (percent of scale) on the priority matrix.
/// - *binary*: a 0/1 attribute (Yes/No columns, flags): a what-if switches 0 to 1.
/// - *numeric*: any other number (tenure, charges): not on the matrix.
/// - *count*, *amount*: declared (or, for counts, read from the name): never ratings, never on
///   the matrix; what-ifs stay within the observed range.
/// - *factor*: categories (contract type, payment method) in treatment (dummy) coding against a
///   reference level; one player in every importance measure.
public struct DriverVariable: Sendable, Equatable, Codable {
    /// The variable's kind.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// A rating on ``DriverVariable/scale``.
        case rating
        /// A 0/1 attribute.
        case binary
        /// Another number.
        case numeric
        /// Categories with dummy coding.
        case factor
        /// A count (calls, contacts, products held): never a rating, never on the priority matrix;
        /// its what-if stays within the observed range.
        case count
        /// An amount (spend, charges, balance): never a rating, never on the priority matrix; its
        /// what-if stays within the observed range.
        case amount
    }

    /// The column name.
    public let name: String
    /// How the variable enters the model.
    public let kind: Kind
    /// The rating scale (ratings only).
    public let scale: ClosedRange<Double>?
    /// Whether ``scale`` was declared (`true`) or inferred from the values.
    public let scaleDeclared: Bool
    /// All levels of a factor in byte order (their codes in the column are positions here).
    public let levels: [String]
    /// The declared reference level of a factor (`nil`: the most frequent in the analysed rows).
    public let declaredReference: String?

    /// A driver of the given kind.
    ///
    /// - Parameters:
    ///   - name: the column name.
    ///   - kind: how the variable enters the model.
    ///   - scale: the rating scale, for ratings only; `nil` by default.
    ///   - scaleDeclared: `true` when `scale` was declared rather than inferred; `false` by default.
    ///   - levels: a factor's levels in byte order (its codes index them); empty by default.
    ///   - declaredReference: a factor's declared reference level, one of `levels`; `nil` (the default) for
    ///     the most frequent level.
    public init(name: String, kind: Kind, scale: ClosedRange<Double>? = nil, scaleDeclared: Bool = false, levels: [String] = [],
                declaredReference: String? = nil) {
        self.name = name
        self.kind = kind
        self.scale = scale
        self.scaleDeclared = scaleDeclared
        self.levels = levels
        self.declaredReference = declaredReference
    }

    /// The common survey scales, tried in this order: the first whose range holds every value.
    public static let commonScales: [ClosedRange<Double>] = [1...5, 1...7, 1...10, 0...10]

    /// Infers the kind of a numeric column from its values: two distinct values 0/1 → binary;
    /// whole numbers inside a common scale (1–5, 1–7, 1–10, 0–10) with at least three distinct
    /// values → rating on the smallest such scale; else numeric. A column of whole numbers
    /// 0…k (k = 5 or 7) is a rating on 1…k whose zeros lie outside the scale (``zerosOutsideScale(_:)``).
    ///
    /// - Parameter values: the column's values, `NaN` for missing (ignored); no value at all gives binary.
    public static func inferKind(values: [Double]) -> (kind: Kind, scale: ClosedRange<Double>?) {
        // One vectorised pass for the range and whether every value is whole (C: CSVScan), then
        // distinct values only until three are seen — ratings show three within a few rows.
        var low = Double.infinity, high = -Double.infinity
        var wholeFlag: Int32 = 1
        values.withUnsafeBufferPointer { csv_value_summary($0.baseAddress, $0.count, &low, &high, &wholeFlag) }
        if low > high { return (.binary, nil) }                         // no value at all
        guard wholeFlag != 0 else { return (.numeric, nil) }
        if low >= 0 && high <= 1 { return (.binary, nil) }                // whole numbers in 0…1
        guard low.isFinite, high.isFinite else { return (.numeric, nil) }
        var distinct: [Double] = []
        for x in values where !x.isNaN && !distinct.contains(x) {
            distinct.append(x)
            if distinct.count == 3 { break }
        }
        guard distinct.count >= 3 else { return (.numeric, nil) }
        if low == 0, high == 5 || high == 7 { return (.rating, 1...high) }
        if let scale = commonScales.first(where: { $0.contains(low) && $0.contains(high) }) { return (.rating, scale) }
        return (.numeric, nil)
    }

    /// The number of zeros in `values` when zero lies outside ``scale`` (a "not applicable" code
    /// that should be declared missing), else 0.
    ///
    /// - Parameter values: the column's values, `NaN` for missing.
    public func zerosOutsideScale(_ values: [Double]) -> Int {
        guard let scale, !scale.contains(0) else { return 0 }
        return values.reduce(0) { $1 == 0 ? $0 + 1 : $0 }
    }

    /// Performance on a common footing: the mean's position on the scale in percent,
    /// `100·(mean − lower)/(upper − lower)`; `nil` for non-ratings.
    ///
    /// - Parameter mean: the (weighted) mean rating, on the scale's units.
    public func percentOfScale(mean: Double) -> Double? {
        guard kind == .rating, let scale else { return nil }
        return 100 * (mean - scale.lowerBound) / (scale.upperBound - scale.lowerBound)
    }

    private enum CodingKeys: String, CodingKey { case name, kind, scaleLower = "scale_lower", scaleUpper = "scale_upper", scaleDeclared = "scale_declared", levels, declaredReference = "reference" }

    /// Decodes a variable written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        kind = try c.decode(Kind.self, forKey: .kind)
        if let lower = try c.decodeIfPresent(Double.self, forKey: .scaleLower), let upper = try c.decodeIfPresent(Double.self, forKey: .scaleUpper), lower <= upper {
            scale = lower...upper
        } else {
            scale = nil
        }
        scaleDeclared = try c.decodeIfPresent(Bool.self, forKey: .scaleDeclared) ?? false
        levels = try c.decodeIfPresent([String].self, forKey: .levels) ?? []
        declaredReference = try c.decodeIfPresent(String.self, forKey: .declaredReference)
    }

    /// Encodes the variable (the scale as its two ends).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(scale?.lowerBound, forKey: .scaleLower)
        try c.encodeIfPresent(scale?.upperBound, forKey: .scaleUpper)
        try c.encode(scaleDeclared, forKey: .scaleDeclared)
        try c.encode(levels, forKey: .levels)
        try c.encodeIfPresent(declaredReference, forKey: .declaredReference)
    }
}
