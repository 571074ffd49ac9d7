import Foundation

/// One titled part of a human-readable report. The table, Markdown and HTML renderers draw the
/// same sections, so every decision number appears in every human format; each renderer only
/// lays the strings out and escapes them for its format.
struct ReportSection: Sendable, Equatable {
    /// Heading (`nil` for the opening summary).
    var title: String?
    /// Paragraphs, one per line.
    var lines: [String] = []
    /// A table: header row, then data rows (empty for none).
    var table: [[String]] = []
    /// Bulleted items after the table.
    var bullets: [String] = []
    /// Small print after everything else (legends of marks used in the table).
    var footnotes: [String] = []
}

extension DriverReport {
    /// The sections of the report, in reading order: summary, drivers, factor levels, groups,
    /// stability, segments, notes. Sections without content are left out.
    var sections: [ReportSection] {
        var out = [ReportSection(title: nil, lines: summaryLines + baseLines)]
        out.append(driverSection)
        if let actions = actionSection { out.append(actions) }
        if let gaps = gapSection { out.append(gaps) }
        if !factorLines.isEmpty {
            out.append(ReportSection(title: "Factor levels (estimates against the reference level)", bullets: factorLines))
        }
        if let collinearity = collinearitySection { out.append(collinearity) }
        if let groups = groupSection { out.append(groups) }
        if let stability = stabilitySection { out.append(stability) }
        if let segments = segmentSection { out.append(segments) }
        if !warnings.isEmpty {
            out.append(ReportSection(title: "Notes", bullets: warnings.enumerated().map {
                "[\($0.offset + 1)] \($0.element.code): \(Escaping.truncated($0.element.message, limit: 1_000))"
            }))
        }
        return out
    }

    /// The confidence level of an interval `[lower, upper]` around an estimate with standard
    /// error `se` (normal approximation), as a whole percent: `95 %`.
    static func level(of interval: ClosedInterval, standardError se: Double) -> String? {
        guard se > 0, interval.upper > interval.lower, interval.upper.isFinite, interval.lower.isFinite else { return nil }
        let z = (interval.upper - interval.lower) / (2 * se)
        let level = erf(z / 2.0.squareRoot())
        return String(format: "%.0f %%", 100 * level)
    }

    /// NPS with its interval: `NPS = 23.4 points (95 % interval 18.1 to 28.7; 1,200 respondents)`.
    static func npsLine(_ nps: NetPromoterScore) -> String {
        let level = level(of: nps.confidenceInterval, standardError: nps.standardError).map { "\($0) interval" } ?? "interval"
        return "NPS = \(String(format: "%.1f", nps.score)) points (\(level) \(String(format: "%.1f", nps.confidenceInterval.lower)) to "
            + "\(String(format: "%.1f", nps.confidenceInterval.upper)); promoters \(NumberFormat.percent(nps.promoters)), "
            + "detractors \(NumberFormat.percent(nps.detractors)); "
            + "\(NumberFormat.count(nps.respondents)) respondents)"
    }

    /// Base values: NPS and the what-if's customers, baseline event rate and CLV.
    var baseLines: [String] {
        var lines: [String] = []
        if let nps { lines.append(Self.npsLine(nps)) }
        if value != nil { lines.append(valueLine) }
        return lines
    }

    /// The ranked driver table with its legend.
    var driverSection: ReportSection {
        var footnotes = [orderLine]
        let fit = model.kind == .linear ? "R²" : "McFadden R²"
        if drivers.contains(where: { $0.importance.shapleyShare != nil }), let e = shapleyEstimation, e.method == .sampled {
            footnotes.append("#: the action order; importance: \(e.label) value in \(fit) units, s.e. the Monte Carlo standard error; share: its share of the explained \(fit).")
        } else if drivers.contains(where: { $0.importance.shapleyShare != nil }) {
            footnotes.append("#: the action order; importance: Shapley value (\(fit) units); share: its share of the explained \(fit).")
        } else if drivers.contains(where: { $0.importance.relativeWeightShare != nil }) {
            footnotes.append("#: the action order; share: relative-weight share (Shapley values were not computed: not asked for, or beyond the work budget — see the notes).")
        }
        if drivers.contains(where: { $0.importanceIntervals[.shapley] != nil }) {
            let method = shapleyEstimation?.intervalLabel.map { " (\($0))" } ?? ""
            footnotes.append("share [a, b]: importance share with its bootstrap interval\(method); rank [a, b]: the bootstrap interval of the rank.")
        }
        if drivers.contains(where: { $0.quadrantUnstable == true }) {
            footnotes.append("* quadrant unstable: the driver lies in this quadrant in fewer than 80 % of bootstrap resamples.")
        }
        if drivers.contains(where: { !actionOrder.contains($0.name) }) {
            footnotes.append("·: not an action — a profile attribute (no what-if; --role COL=lever to change) or a factor's gap between two levels (\"gap:\", the value of customers at one level behaving like those at the other; --what-if-move COL=FROM>TO declares a move the business can make).")
        }
        if drivers.contains(where: { $0.performancePercent != nil }) {
            footnotes.append("performance: mean rating (percent of the rating's own scale); only ratings are placed on the priority matrix.")
        }
        return ReportSection(title: "Drivers", table: tableRows, footnotes: footnotes)
    }

    /// The what-ifs: what each action (and each factor's gap) is worth, in the action order.
    var actionSection: ReportSection? {
        let rows = actionRows()
        guard rows.count > 1 else { return nil }
        var footnotes: [String] = []
        if drivers.contains(where: { $0.whatIf?.interval.map { $0.lower <= 0 && $0.upper >= 0 } == true }) {
            footnotes.append("±0: the CLV interval includes zero; the gain is not established.")
        }
        if drivers.contains(where: { $0.whatIf != nil && [.numeric, .amount, .count].contains($0.kind) }) {
            footnotes.append("Numbers other than ratings move by one standard deviation (counts by a whole number), in the direction that helps (declared with --lower-is-better, else the one their fitted effect favours), within the observed range.")
        }
        if hasValue {
            footnotes.append("churn Δ: the change in the churn rate over all customers; CLV at stake = Σ margin·r/(1 + d − r) after minus before, so a retained customer is worth more where churn is low.")
        }
        return ReportSection(title: "Actions (what-if)", table: rows, footnotes: footnotes)
    }

    /// The gaps between a factor's levels: what it would be worth if customers at one level
    /// behaved like those at another — a question for the product, not an action.
    var gapSection: ReportSection? {
        let rows = actionRows(gaps: true)
        guard rows.count > 1 else { return nil }
        return ReportSection(title: "Gaps between levels (not actions)", table: rows, footnotes: [
            "Each row: the value if the customers at the first level churned (or scored) like those at the second, other drivers equal — not a recommendation to move them (fibre → DSL is a question for the fibre product). Declare a move the business can make with --what-if-move COL=FROM>TO.",
        ])
    }

    /// The drivers' variance inflation as R's `car::vif` prints it: the VIF of each driver, or for
    /// a model with factors the GVIF, its degrees of freedom and `GVIF^(1/(2·df))` (Fox & Monette
    /// 1992); an aliased driver reads `∞ (aliased)`.
    var collinearitySection: ReportSection? {
        let rated = orderedDrivers.filter { $0.varianceInflation != nil }
        guard !rated.isEmpty else { return nil }
        let generalized = rated.contains { ($0.varianceInflation?.degreesOfFreedom ?? 1) > 1 }
        var rows = [generalized ? ["driver", "GVIF", "df", "GVIF^(1/(2·df))"] : ["driver", "VIF"]]
        for d in rated {
            let v = d.varianceInflation!
            let value = v.isAliased ? "∞ (aliased)" : NumberFormat.significant(v.value, digits: 3)
            rows.append(generalized ? [d.name, value, "\(v.degreesOfFreedom)", v.isAliased ? "∞" : NumberFormat.significant(v.adjusted, digits: 3)]
                                    : [d.name, value])
        }
        let scale = generalized ? "GVIF^(1/(2·df)) is comparable to √VIF across terms of any df: above √5 ≈ 2.24 read the coefficient with care, above √10 ≈ 3.16 it is unstable"
            : "above 5 read the coefficient with care, above 10 it is unstable"
        return ReportSection(title: "Collinearity (variance inflation)", table: rows, footnotes: [
            "VIF = 1/(1 − R²) of a driver on the others, from the correlation of the estimates as R's car::vif" + (generalized ? "; a factor's GVIF (Fox & Monette 1992) covers all its levels at once" : "") + "; \(scale); ∞: exactly collinear with other drivers (aliased).",
        ])
    }

    /// Group importance (`--group`): one row per group and per ungrouped driver.
    var groupSection: ReportSection? {
        guard !groups.isEmpty else { return nil }
        var rows = [["group", "members", "importance", "share"]]
        for g in groups.sorted(by: { $0.share > $1.share }) {
            rows.append([g.name, g.members.joined(separator: ", "), NumberFormat.significant(g.shapley), NumberFormat.percent(g.share)])
        }
        return ReportSection(title: "Groups (Shapley importance of each group as one player)", table: rows)
    }

    /// How sure the order is: pairwise "more important than" probabilities.
    var stabilitySection: ReportSection? {
        guard !importanceComparisons.isEmpty else { return nil }
        return ReportSection(title: "How sure is the order? (share of bootstrap resamples)",
                             lines: ["P(rank) in the driver table is the share of resamples in which a driver holds its rank; P(quadrant) the share in which it stays in its quadrant."],
                             bullets: importanceComparisons.map { "\($0.a) more important than \($0.b): \(String(format: "%.0f %%", 100 * $0.probability))" })
    }

    /// Per-segment importance shares (ranks in brackets), n, fit and NPS, and the test of whether
    /// each driver's effect differs between segments.
    var segmentSection: ReportSection? {
        guard !segments.isEmpty else { return nil }
        let tests = segmentHeterogeneity()
        var header = ["driver"] + segments.map { "\($0.name) (n = \(NumberFormat.count($0.report.model.observationCount)))" }
        if !tests.isEmpty { header += ["differs? (Cochran's Q)"] }
        var rows = [header]
        for name in actionOrder {
            var row = [name]
            for segment in segments {
                let d = segment.report.driver(named: name)
                let rank = segment.report.actionOrder.firstIndex(of: name).map { " (#\($0 + 1))" } ?? ""
                row.append(NumberFormat.percent(d?.importance.rankingShare) + rank)
            }
            if !tests.isEmpty {
                row.append(tests.first { $0.driver == name }.map { t in
                    t.q.isFinite ? "Q = \(NumberFormat.significant(t.q, digits: 3)), \(NumberFormat.pValueClause(t.pValue))" : "—"
                } ?? "—")
            }
            rows.append(row)
        }
        var lines = segments.map { s -> String in
            let fit = s.report.model.kind == .linear ? "R² = \(NumberFormat.significant(s.report.model.rSquared, digits: 3))"
                : "McFadden R² = \(NumberFormat.significant(s.report.model.mcFaddenRSquared, digits: 3))"
            let top = s.report.actionOrder.prefix(3).joined(separator: ", ")
            return "\(s.name): n = \(NumberFormat.count(s.report.model.observationCount)), \(fit); top drivers: \(top)"
                + (s.report.nps.map { "; " + Self.npsLine($0) } ?? "")
        }
        lines.insert("Cells: importance share in the segment (rank in the segment's own action order).", at: 0)
        return ReportSection(title: "Segments", lines: lines, table: rows,
                             footnotes: tests.isEmpty ? [] : ["Cochran's Q tests whether a driver's coefficient is the same in every segment; a small p says the effect differs."])
    }
}
