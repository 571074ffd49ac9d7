/// How a model's terms are computed from a survey's columns — what statsmodels keeps as a
/// formula's design information and GLM.jl as a model frame's schema — so that a model's
/// `predict(_ data: SurveyData)` codes new rows exactly as the fitted rows were coded.
///
/// A numeric term is a column's value itself; a factor (a text column such as `Contract`) is in
/// treatment coding: one 0/1 term `Contract[One year]` per level other than the reference, which
/// has none (every dummy 0). The coding is part of a fitted model and of its JSON (key `"design"`);
/// a model fitted from plain arrays has one numeric term per driver name.
public struct TermCoding: Sendable, Equatable, Codable {
    /// One term of the model (one design column; the intercept is not a term here).
    public struct Term: Sendable, Equatable, Codable {
        /// The survey column the term is read from.
        public let column: String
        /// For a factor's dummy, the level coded 1 (any other level is 0); `nil` for a numeric
        /// term, which is the column's value.
        public let level: String?

        /// The term's name in the model: the column's name, or `Column[Level]` for a dummy.
        public var name: String { level.map { "\(column)[\($0)]" } ?? column }

        /// The term of `column` — its value, or with a `level` the factor's dummy for that level.
        ///
        /// - Parameters:
        ///   - column: the survey column.
        ///   - level: the level coded 1, for a factor's dummy; `nil` for a numeric term.
        public init(column: String, level: String? = nil) {
            self.column = column
            self.level = level
        }
    }

    /// A categorical driver in treatment coding.
    public struct Factor: Sendable, Equatable, Codable {
        /// The survey column holding the levels as text.
        public let column: String
        /// The level without a dummy (every dummy is 0 on it); the first of ``levels``.
        public let reference: String
        /// Every level the fit saw, the reference first; a value outside them cannot be predicted.
        public let levels: [String]
    }

    /// The terms in model order (the model's ``RegressionModel/driverNames``, controls included).
    public let terms: [Term]
    /// The factors whose dummies are among ``terms``, in order of first appearance.
    public let factors: [Factor]

    /// Numeric terms read from the columns `names`, in order: the coding of a model fitted from
    /// plain arrays.
    static func columns(_ names: [String]) -> TermCoding {
        TermCoding(terms: names.map { Term(column: $0, level: nil) }, factors: [])
    }

    init(terms: [Term], factors: [Factor]) {
        self.terms = terms
        self.factors = factors
    }

    private enum CodingKeys: String, CodingKey { case terms, factors }

    /// Decodes a coding written by `encode(to:)`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` for a coding no fit could have built: a factor
    ///   whose reference is not its first level or whose levels repeat, a dummy of an unknown
    ///   factor or of its reference level, a non-reference level without exactly one dummy.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(terms: try c.decode([Term].self, forKey: .terms), factors: try c.decodeIfPresent([Factor].self, forKey: .factors) ?? [])
        if let problem = inconsistency() { try c.require(false, .factors, problem) }
    }

    /// The term names, in model order. O(terms).
    public var termNames: [String] { terms.map(\.name) }

    /// What is wrong with the coding, or `nil` when it is one that a fit could have built: each
    /// factor has distinct levels with its reference first, every other level has exactly one dummy
    /// among the terms, and every dummy names a level of a known factor.
    func inconsistency() -> String? {
        var byColumn: [String: Factor] = [:]
        for factor in factors {
            guard byColumn.updateValue(factor, forKey: factor.column) == nil else { return "factor '\(factor.column)' is described twice" }
            guard factor.levels.first == factor.reference else { return "factor '\(factor.column)' does not list its reference '\(factor.reference)' first" }
            guard Set(factor.levels).count == factor.levels.count else { return "factor '\(factor.column)' lists a level twice" }
        }
        var dummies: [String: Set<String>] = [:]
        for term in terms {
            guard let level = term.level else {
                if byColumn[term.column] != nil { return "'\(term.column)' is both a factor and a numeric term" }
                continue
            }
            guard let factor = byColumn[term.column] else { return "the term '\(term.name)' names no factor" }
            guard level != factor.reference, factor.levels.contains(level) else {
                return "the term '\(term.name)' is not a non-reference level of '\(term.column)'"
            }
            guard dummies[term.column, default: []].insert(level).inserted else { return "the term '\(term.name)' appears twice" }
        }
        for factor in factors where dummies[factor.column, default: []].count != factor.levels.count - 1 {
            return "factor '\(factor.column)' has \(factor.levels.count - 1) non-reference levels but \(dummies[factor.column, default: []].count) dummies"
        }
        return nil
    }

    /// The term columns of `data`, coded as the fit coded its rows: numeric terms by name, each
    /// factor's dummies from the text of its column. A missing cell gives `NaN` in every term it
    /// feeds (so a `NaN` prediction).
    ///
    /// - Throws: ``SurveyDataError`` for a missing or non-numeric column,
    ///   ``ModelError/unseenLevel(column:level:knownLevels:)`` for a factor value the fit never saw.
    /// Complexity: O(rows × terms).
    func columns(in data: SurveyData) throws -> [[Double]] {
        var texts: [String: [String?]] = [:]
        for factor in factors {
            let values = try Self.levelTexts(of: data.column(factor.column), source: data.source)
            let known = Set(factor.levels)
            if let unseen = values.first(where: { $0 != nil && !known.contains($0!) }) {
                throw ModelError.unseenLevel(column: factor.column, level: unseen ?? "", knownLevels: factor.levels)
            }
            texts[factor.column] = values
        }
        return try terms.map { term in
            guard let level = term.level, let values = texts[term.column] else { return try data.numericValues(term.column) }
            return values.map { $0.map { $0 == level ? 1 : 0 } ?? .nan }
        }
    }

    /// A column's cells as factor levels, spelled as ``DriverDesign`` spells them: the label of a
    /// categorical or Yes/No code, a number to 15 significant digits, the text of a mixed column's
    /// text cell; `nil` when missing.
    static func levelTexts(of column: SurveyColumn, source: String) throws -> [String?] {
        if let bad = column.firstNonFinite {
            throw SurveyDataError.nonFinite(path: source, row: bad.row, column: column.name, value: bad.value)
        }
        return column.values.indices.map { i in
            let value = column.values[i]
            switch column.kind {
            case let .categorical(levels):
                guard let code = Int(exactly: value), levels.indices.contains(code) else { return nil }
                return levels[code]
            case let .binary(zero, one):
                return value.isNaN ? nil : (value == 1 ? one : zero)
            case .numeric:
                return value.isNaN ? nil : NumberFormat.significant(value, digits: 15)
            case .mixed:
                if let text = column.mixedText?.text(at: i) { return text }
                return value.isNaN ? nil : NumberFormat.significant(value, digits: 15)
            }
        }
    }
}

extension KeyedDecodingContainer {
    /// The model's ``TermCoding`` at `key`, or numeric terms named `driverNames` when the document
    /// has none (written before the coding was kept).
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the coding is inconsistent (see
    ///   ``TermCoding/init(from:)``) or its terms are not the model's driver names.
    func decodeTermCoding(_ key: Key, driverNames: [String]) throws -> TermCoding {
        guard let coding = try decodeIfPresent(TermCoding.self, forKey: key) else { return .columns(driverNames) }
        try require(coding.termNames == driverNames, key, "the coding's terms \(coding.termNames) are not the model's terms \(driverNames)")
        return coding
    }
}
