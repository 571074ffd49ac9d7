import Foundation

extension EngineDesign {
    /// The design's terms as they are built, driver by driver: per driver its kind, factor
    /// levels, Yes/No labels and term positions; per term its name and SQL expression.
    struct TermList {
        var kinds: [DriverVariable.Kind] = [], levels: [[FactorLevel]] = [], ranges: [Range<Int>] = []
        var labels: [(zero: String, one: String)?] = []
        var names: [String] = [], terms: [String] = []

        /// Adds driver `name`'s terms from its levels `found` (byte order): a Yes/No text driver
        /// as one 0/1 term, a text or categorical driver as a factor's dummies, else the number.
        mutating func add(_ name: String, found: [(level: String, count: Int)], isText: Bool, categorical: Bool,
                          reference: String?, dialect d: SQLDialect) throws {
            let start = names.count
            let lowered = Set(found.map { $0.level.lowercased() })
            if isText && !categorical && lowered.count <= 2,
               let pair = SurveyColumnBuilder.binaryPairs.first(where: { lowered.isSubset(of: [$0.zero, $0.one]) }) {
                kinds.append(.binary)
                levels.append([])
                labels.append((found.first { $0.level.lowercased() == pair.zero }?.level ?? pair.zero.capitalized,
                               found.first { $0.level.lowercased() == pair.one }?.level ?? pair.one.capitalized))
                names.append(name)
                terms.append("CASE WHEN lower(\(d.text(name))) = \(d.string(pair.one)) THEN 1.0 ELSE 0.0 END")
            } else if isText || categorical {
                try addFactor(name, found: found, isText: isText, reference: reference, dialect: d)
            } else {
                kinds.append(.numeric)
                labels.append(nil)
                levels.append([])
                names.append(name)
                terms.append(d.numeric(name))
            }
            ranges.append(start..<names.count)
        }

        /// Adds a factor in treatment coding: one 0/1 dummy per level but the reference — the
        /// declared level, else the most frequent (ties: the first in byte order).
        mutating func addFactor(_ name: String, found: [(level: String, count: Int)], isText: Bool, reference: String?,
                                dialect d: SQLDialect) throws {
            guard found.count >= 2 else {
                throw SurveyDataError.unusableFactor(column: name, reason: "a single value\(found.first.map { " ('\($0.level)')" } ?? "") in the analysed rows")
            }
            guard found.count <= AnalysisConfiguration.factorLevelHardLimit else {
                throw SurveyDataError.unusableFactor(column: name, reason: "it has \(found.count) values (at most \(AnalysisConfiguration.factorLevelHardLimit) levels): group its levels first")
            }
            let r: Int
            if let reference {
                guard let k = found.firstIndex(where: { $0.level == reference }) else {
                    throw SurveyDataError.unknownLevel(column: name, level: reference, levels: found.map(\.level))
                }
                r = k
            } else {
                r = found.indices.max { found[$0].count < found[$1].count || (found[$0].count == found[$1].count && $0 > $1) } ?? 0
            }
            kinds.append(.factor)
            labels.append(nil)
            levels.append([FactorLevel(level: found[r].level, count: found[r].count, isReference: true)]
                          + found.indices.filter { $0 != r }.map { FactorLevel(level: found[$0].level, count: found[$0].count, isReference: false) })
            for k in found.indices where k != r {
                names.append("\(name)[\(found[k].level)]")
                let test = isText ? "\(d.text(name)) = \(d.string(found[k].level))"
                    : "\(d.numeric(name)) = \(d.number(Double(found[k].level) ?? .nan))"
                terms.append("CASE WHEN \(test) THEN 1.0 ELSE 0.0 END")
            }
        }
    }
}
