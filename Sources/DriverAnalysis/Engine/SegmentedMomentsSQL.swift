import Foundation

extension MomentsSQL {
    /// The moments of `variables` per level of `segment` in one query (`GROUP BY`, two-pass like
    /// ``query(table:variables:weight:dialect:)``), and with `nps` the weighted counts of its
    /// promoters (9–10), passives (7–8) and detractors (0–6) among the same rows. Result: one row
    /// per segment with a `segment` column, the moments columns, and `nps_w`, `nps_ww`,
    /// `nps_promoters`, `nps_passives`, `nps_detractors`, `nps_n` when asked. The segment's level
    /// comes back as the hexadecimal of its UTF-8 text and the moments columns are positional
    /// (`mean__0`, `cp__0__1`, …): read it with ``segments(fromCSV:names:confidenceLevel:)``.
    package static func segmentedQuery(table: String, variables: [String], weight: String? = nil, segment: String, nps: String? = nil,
                                      dialect: SQLDialect) -> String {
        let q = dialect.quote
        let source = numericSource(variables, weight: weight, dialect: dialect)
        var select = ["  SELECT \(dialect.text(segment)) AS g, " + (weight.map { dialect.numeric($0) } ?? "1.0") + " AS w"] + source.columns
        if let nps { select.append("    \(dialect.numeric(nps)) AS r") }
        let notNull = source.filter + ["\(q(segment)) IS NOT NULL"]
        var extra: [String] = []
        if nps != nil {
            extra = ["  SUM(CASE WHEN src.r IS NOT NULL THEN src.w ELSE 0 END) AS \(q("nps_w"))",
                     "  SUM(CASE WHEN src.r IS NOT NULL THEN src.w * src.w ELSE 0 END) AS \(q("nps_ww"))",
                     "  SUM(CASE WHEN src.r >= 9 THEN src.w ELSE 0 END) AS \(q("nps_promoters"))",
                     "  SUM(CASE WHEN src.r >= 7 AND src.r < 9 THEN src.w ELSE 0 END) AS \(q("nps_passives"))",
                     "  SUM(CASE WHEN src.r < 7 THEN src.w ELSE 0 END) AS \(q("nps_detractors"))",
                     "  SUM(CASE WHEN src.r IS NOT NULL THEN 1 ELSE 0 END) AS \(q("nps_n"))"]
        }
        return """
        -- DriverAnalysis moments per segment (two-pass: means, then centred cross-products); dialect: \(dialect.rawValue)
        WITH src AS (
        \(select.joined(separator: ",\n"))
          FROM \(table)
          WHERE \(notNull.joined(separator: "\n    AND "))
        ),
        \(groupedMomentsTail(variables.indices.map(String.init), extra: extra, level: dialect.hex("src.g"), quote: q))
        """
    }

    /// One segment of a ``segmentedQuery(table:variables:weight:segment:nps:dialect:)`` result.
    package struct SegmentMoments: Sendable {
        /// The segment's level.
        package let level: String
        /// Its moments.
        package let moments: Moments
        /// Its Net Promoter Score, when the query counted one.
        package let nps: NetPromoterScore?
        /// The weighted counts behind ``nps``: weight, squared weight, promoters, passives,
        /// detractors (weighted) and respondents.
        package let npsCounts: [Double]?
    }

    /// The Net Promoter Score of weighted counts `[w, ww, promoters, passives, detractors, n]`.
    static func nps(counts f: [Double], confidenceLevel: Double) -> NetPromoterScore? {
        guard f.count == 6, f[0] > 0, f[5] >= 0, f[5] < 1e15 else { return nil }
        let w = f[0], p = f[2] / w, d = f[4] / w, ess = f[1] > 0 ? w * w / f[1] : 0
        let se = ess > 0 ? 100 * ((p + d - (p - d) * (p - d)) / ess).squareRoot() : .nan
        let z = NormalDistribution.standard.quantile(0.5 + confidenceLevel / 2)
        let score = 100 * (p - d)
        return NetPromoterScore(score: score, promoters: p, passives: f[3] / w, detractors: d, standardError: se,
                                confidenceInterval: ClosedInterval(lower: score - z * se, upper: score + z * se),
                                respondents: Int(f[5]), effectiveSampleSize: ess)
    }

    /// Reads a segmented result: one ``SegmentMoments`` per data row, the variables called
    /// `names` (the query's order), the levels decoded from hexadecimal.
    ///
    /// - Throws: ``SurveyDataError/invalidMoments(reason:)`` for a malformed result.
    package static func segments(fromCSV text: String, names: [String], confidenceLevel: Double = 0.95) throws -> [SegmentMoments] {
        try replicates(fromCSV: text, names: names, confidenceLevel: confidenceLevel).map { part in
            guard let level = EngineSource.unhex(part.level.trimmingCharacters(in: .whitespaces)) else {
                throw SurveyDataError.invalidMoments(reason: "the segment '\(part.level)' is not hexadecimal text")
            }
            return SegmentMoments(level: level, moments: part.moments, nps: part.nps, npsCounts: part.npsCounts)
        }
    }

    /// Reads a grouped result with positional moments columns (one row per segment or replicate,
    /// the `segment` column as printed), the variables called `names`.
    static func replicates(fromCSV text: String, names: [String], confidenceLevel: Double = 0.95) throws -> [SegmentMoments] {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard lines.count >= 2 else { throw SurveyDataError.invalidMoments(reason: "expected a header row and one row per segment") }
        let header = splitCSVLine(lines[0])
        guard let segmentColumn = header.firstIndex(of: "segment") else { throw SurveyDataError.invalidMoments(reason: "no segment column") }
        let npsColumns = header.indices.filter { header[$0].hasPrefix("nps_") }
        let momentColumns = header.indices.filter { $0 != segmentColumn && !npsColumns.contains($0) }
        return try lines.dropFirst().map { line in
            let values = splitCSVLine(line)
            guard values.count == header.count else {
                throw SurveyDataError.invalidMoments(reason: "the header has \(header.count) fields but a data row \(values.count)")
            }
            let single = momentColumns.map { header[$0] }.joined(separator: ",") + "\n" + momentColumns.map { values[$0] }.joined(separator: ",")
            let moments = try renamed(moments(fromCSV: single), names)
            var counts: [Double]? = nil
            if !npsColumns.isEmpty {
                var f: [String: Double] = [:]
                for k in npsColumns { f[header[k]] = Double(values[k].trimmingCharacters(in: .whitespaces)) }
                let keys = ["nps_w", "nps_ww", "nps_promoters", "nps_passives", "nps_detractors", "nps_n"]
                if keys.allSatisfy({ f[$0]?.isFinite == true }) { counts = keys.compactMap { f[$0] } }
            }
            let nps = counts.flatMap { Self.nps(counts: $0, confidenceLevel: confidenceLevel) }
            return SegmentMoments(level: values[segmentColumn].trimmingCharacters(in: CharacterSet(charactersIn: " \"")), moments: moments, nps: nps, npsCounts: counts)
        }
    }
}
