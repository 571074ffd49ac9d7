import Foundation
import LinearAlgebra

/// The moments pass of ``StreamedDesign``: one scan of the file accumulating the moments of the
/// outcome and every term (numbers as they are, two-valued text as 0/1, a factor as one dummy per
/// level) over the rows where the outcome, every driver and the weight are present, the level
/// counts of those rows, and whether each identifier candidate's values are all distinct.
struct StreamedMoments {
    /// A driver as the pass codes it.
    struct Spec {
        let name: String
        let column: Int
        /// The index of its first term in ``StreamedMoments/moments`` (0 is the outcome).
        let firstTerm: Int
        /// A factor's levels (sorted), `nil` for one numeric term.
        let levels: [String]?
        /// For two-valued text, the text that codes 1.
        let one: String?
    }

    let specs: [Spec]
    let moments: Moments
    let levelCounts: [[Int]]
    let skippedRows: Int
    /// Candidates confirmed as identifiers, and those of them only assumed (range too wide to check).
    let identifiers: Set<String>
    let assumed: Set<String>

    init(csv path: String, survey: CSVColumnSurvey, drivers: [String], identifierCandidates: [String],
         _ c: AnalysisConfiguration, options: CSVOptions) throws {
        let position = Dictionary(survey.columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        var specs: [Spec] = [], names = [c.outcome], term = 1
        for name in drivers {
            guard let k = position[name] else { throw SurveyDataError.unknownColumn(name: name, suggestions: []) }
            let column = survey.columns[k]
            var levels: [String]? = nil, one: String? = nil
            switch column.kind {
            case let .categorical(sorted):
                guard !column.levelsCapped else {
                    throw SurveyDataError.unusableFactor(column: name, reason: "it has more than \(AnalysisConfiguration.factorLevelHardLimit) values (at most \(AnalysisConfiguration.factorLevelHardLimit) levels): group its levels first")
                }
                guard sorted.count >= 2 else { throw SurveyDataError.unusableFactor(column: name, reason: "it has a single value") }
                levels = sorted
            case let .binary(zero, o):
                if c.references.contains(where: { $0.column == name }) { levels = [zero, o].sorted() } else { one = o }
            default: break
            }
            specs.append(Spec(name: name, column: k, firstTerm: term, levels: levels, one: one))
            if let levels { names += levels.map { "\(name)[\($0)]" }; term += levels.count } else { names.append(name); term += 1 }
        }
        guard let outcomeColumn = position[c.outcome] else { throw SurveyDataError.unknownColumn(name: c.outcome, suggestions: []) }
        let weightColumn = try c.weight.map { w -> Int in
            guard let k = position[w] else { throw SurveyDataError.unknownColumn(name: w, suggestions: []) }
            return k
        }
        var checks = identifierCandidates.compactMap { name in position[name].map { DistinctCheck(name: name, column: $0, survey.columns[$0]) } }
        var accumulated = Moments(names: names)
        var counts = specs.map { [Int](repeating: 0, count: $0.levels?.count ?? 0) }
        var skipped = 0
        var reader = CSVReader(path: path, options: options)
        try reader.read { _, block in
            for k in checks.indices { checks[k].add(block.columns[checks[k].column]) }
            let rows = block.rowCount
            var keep = [Bool](repeating: true, count: rows)
            let outcome = block.columns[outcomeColumn].values
            for i in 0..<rows where outcome[i].isNaN { keep[i] = false }
            var weights: [Double]? = nil
            if let weightColumn {
                let w = block.columns[weightColumn].values
                for i in 0..<rows where keep[i] {
                    if w[i].isNaN { keep[i] = false; continue }
                    if w[i] < 0 {
                        throw SurveyDataError.invalidWeight(path: path, row: block.rows[i], column: c.weight ?? "", value: w[i], reason: "weights must not be negative")
                    }
                }
                weights = w
            }
            // Each driver's per-row code: the number, 0/1, or the level's position (NaN: missing).
            let coded: [[Double]] = specs.map { spec in Self.codes(block.columns[spec.column], spec: spec, rows: rows) }
            for values in coded { for i in 0..<rows where values[i].isNaN { keep[i] = false } }
            let kept = (0..<rows).filter { keep[$0] }
            skipped += rows - kept.count
            guard !kept.isEmpty else { return }
            var columns: [[Double]] = [kept.map { outcome[$0] }]
            for (j, spec) in specs.enumerated() {
                let values = coded[j]
                if let levels = spec.levels {
                    for l in levels.indices {
                        let code = Double(l)
                        columns.append(kept.map { values[$0] == code ? 1 : 0 })
                    }
                    for i in kept { counts[j][Int(values[i])] += 1 }
                } else {
                    columns.append(kept.map { values[$0] })
                }
            }
            accumulated.mergeAligned(try Moments(validatedNames: names, columns: columns, weights: weights.map { w in kept.map { w[$0] } }))
        }
        accumulated.skippedRows = skipped
        self.specs = specs
        moments = accumulated
        levelCounts = counts
        skippedRows = skipped
        identifiers = Set(checks.filter(\.distinct).map(\.name))
        assumed = Set(checks.filter { $0.distinct && $0.bitmap == nil }.map(\.name))
    }

    /// A driver's codes in one block: numbers, 0/1 for two-valued text, level positions for a
    /// factor; `NaN` for a missing cell.
    static func codes(_ column: CSVColumnBlock, spec: Spec, rows: Int) -> [Double] {
        if spec.levels == nil && spec.one == nil { return column.values }
        var codes = [Double](repeating: .nan, count: rows)
        guard let textCodes = column.textCodes else { return codes }
        let blockLevels = column.levels.values
        let map: [Double] = blockLevels.map { text in
            if let levels = spec.levels { return levels.firstIndex(of: text).map(Double.init) ?? .nan }
            return spec.one.map { text.lowercased() == $0.lowercased() ? 1 : 0 } ?? .nan
        }
        for i in 0..<min(rows, textCodes.count) where textCodes[i] >= 0 { codes[i] = map[Int(textCodes[i])] }
        return codes
    }
}

/// Whether a whole-number column's values are all distinct: a bitmap over its range when that
/// is at most ``StreamedDesign/bitmapLimit`` values wide, else the first
/// ``StreamedDesign/distinctProbe`` values in a set (a column whose first values do not repeat is
/// then taken as an identifier, and the note says so).
struct DistinctCheck {
    let name: String
    let column: Int
    let low: Double
    var bitmap: [UInt64]?
    var seen = Set<Double>()
    var distinct = true

    init(name: String, column: Int, _ summary: CSVColumnSurvey.Column) {
        self.name = name
        self.column = column
        low = summary.low
        let width = summary.high - summary.low + 1
        bitmap = width <= Double(StreamedDesign.bitmapLimit) ? [UInt64](repeating: 0, count: Int(width) / 64 + 1) : nil
    }

    mutating func add(_ block: CSVColumnBlock) {
        guard distinct else { return }
        for x in block.values where !x.isNaN {
            if bitmap != nil {
                let offset = x - low
                guard offset >= 0, offset < Double(StreamedDesign.bitmapLimit) else { continue }
                let bit = Int(offset)
                let word = bit >> 6, mask = UInt64(1) << UInt64(bit & 63)
                if bitmap![word] & mask != 0 { distinct = false; bitmap = nil; return }
                bitmap![word] |= mask
            } else if seen.count < StreamedDesign.distinctProbe {
                if !seen.insert(x).inserted { distinct = false; seen = []; return }
            }
        }
    }
}
