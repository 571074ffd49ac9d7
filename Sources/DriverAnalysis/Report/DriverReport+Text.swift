import Foundation

extension DriverReport {
    static func format(_ x: Double?, _ style: String = "%.4g") -> String {
        guard let x, x.isFinite else { return "—" }
        return String(format: style, x)
    }

    /// The model summary lines (statsmodels/R style), numbers with consistent significant digits,
    /// thousands separators instead of exponents, and `< 1e-300` for underflowed p-values.
    var summaryLines: [String] {
        var lines = ["Outcome: \(outcome)    Model: \(model.kind)    n = \(NumberFormat.count(model.observationCount))"
                     + (model.event.map { "    event: \($0)" } ?? "")]
        let g = { (x: Double?) in NumberFormat.grouped(x) }
        if model.kind == .linear {
            lines.append("R² = \(g(model.rSquared))   adjusted R² = \(g(model.adjustedRSquared))   F = \(g(model.fStatistic))   \(NumberFormat.pValueClause(model.fPValue, symbol: "p(F)"))")
        } else if model.kind == .ordinal {
            lines.append("log L = \(g(model.logLikelihood))   null log L = \(g(model.nullLogLikelihood))   McFadden R² = \(g(model.mcFaddenRSquared))   cut-points: " + model.thresholds.map { "\($0.name) \(NumberFormat.grouped($0.estimate, digits: 3))" }.joined(separator: ", "))
        } else {
            lines.append("log L = \(g(model.logLikelihood))   null log L = \(g(model.nullLogLikelihood))   McFadden R² = \(g(model.mcFaddenRSquared))   Nagelkerke R² = \(g(model.nagelkerkeRSquared))   AUC = \(g(model.auc))")
        }
        return lines
    }

    /// The actions in their order, then the drivers that are not actions (profile attributes,
    /// the gaps between a factor's levels) by importance.
    var orderedDrivers: [DriverRow] {
        let actions = actionOrder.compactMap { name in drivers.first { $0.name == name } }
        let rest = drivers.filter { !actionOrder.contains($0.name) }
            .sorted { ($0.importance.rankingShare ?? -1) > ($1.importance.rankingShare ?? -1) }
        return actions + rest
    }

    var hasValue: Bool { drivers.contains { $0.whatIf?.clvAtStake != nil } }

    /// The bootstrap interval of a driver's importance share (the Shapley interval over the sum
    /// of the Shapley values), when the bootstrap ran.
    func shareInterval(_ d: DriverRow) -> ClosedInterval? {
        guard let i = d.importanceIntervals[.shapley] else { return nil }
        let total = drivers.compactMap { $0.importance.shapley }.reduce(0, +)
        return total > 0 ? ClosedInterval(lower: i.lower / total, upper: i.upper / total) : nil
    }

    /// Rows of the ranked driver table: header, then one row per driver in action order.
    var tableRows: [[String]] {
        let confidence = drivers.contains { $0.rankProbability != nil }
        let rankIntervals = drivers.contains { $0.rankInterval != nil }
        let whatIfs = drivers.contains { $0.whatIf != nil }
        let odds = model.kind != .linear && drivers.contains { $0.oddsRatio != nil }
        let outcomeChange = model.kind == .linear && drivers.contains { $0.whatIf?.outcomeChange != nil }
        var header = ["#", "driver", "kind", "estimate"]
        if odds { header += ["odds ratio"] }
        header += ["std. error", "p", "importance", "share", "performance", "quadrant"]
        if confidence { header += ["P(rank)"] }
        if rankIntervals { header += ["rank"] }
        if confidence { header += ["P(quadrant)"] }
        var rows = [header]
        for (k, d) in orderedDrivers.enumerated() {
            let isFactor = d.kind == .factor
            let kind = d.kind.map { kind -> String in
                switch kind {
                case .rating: return d.scale.map { "rating \(NumberFormat.significant($0.lower))–\(NumberFormat.significant($0.upper))" } ?? "rating"
                case .factor: return "factor (\(d.levels.count) levels)"
                default: return kind.rawValue
                }
            } ?? "—"
            let performance = d.performance.map { mean in
                NumberFormat.significant(mean, digits: 3) + (d.performancePercent.map { " (\(String(format: "%.0f", $0)) %)" } ?? "")
            } ?? "—"
            let share = NumberFormat.percent(d.importance.rankingShare)
                + (shareInterval(d).map { " [\(String(format: "%.1f", 100 * $0.lower)), \(String(format: "%.1f", 100 * $0.upper))]" } ?? "")
            let role = d.role == .attribute ? " · attribute" : d.lowerIsBetter == true ? " · lower is better" : ""
            var row = [k < actionOrder.count ? "\(k + 1)" : "·", d.name, kind + role, isFactor ? "see levels" : NumberFormat.grouped(d.coefficient?.estimate)]
            if odds { row += [isFactor ? "see levels" : Self.oddsText(d)] }
            row += [NumberFormat.grouped(d.coefficient?.standardError), NumberFormat.pValue(d.coefficient?.pValue ?? d.jointTest?.pValue),
                    NumberFormat.grouped(d.importance.shapley ?? d.importance.relativeWeight)
                        + (d.importance.shapley != nil ? d.importance.shapleyStandardError.map { " ± " + NumberFormat.grouped($0, digits: 2) } ?? "" : ""), share,
                    performance, (d.quadrant?.rawValue ?? "—") + (d.quadrantUnstable == true ? " *" : "") + (d.improves == false ? " (worsens)" : "")]
            if confidence { row += [d.rankProbability.map { String(format: "%.0f %%", 100 * $0) } ?? "—"] }
            if rankIntervals { row += [NumberFormat.rankInterval(d.rankInterval)] }
            if confidence { row += [d.quadrantProbability.map { String(format: "%.0f %%", 100 * $0) } ?? "—"] }
            rows.append(row)
        }
        _ = whatIfs
        _ = outcomeChange
        return rows
    }

    /// Rows of a what-if table: header, then one row per driver with a what-if — the actions
    /// (numbered as in the driver table), or with `gaps` the gaps between a factor's levels.
    func actionRows(gaps: Bool = false) -> [[String]] {
        let outcomeChange = !hasValue && drivers.contains { $0.whatIf?.outcomeChange != nil }
        var header = ["#", "driver", "what-if"]
        if outcomeChange { header += [model.kind == .linear ? "outcome Δ" : "P(event) Δ"] }
        if hasValue { header += ["churn Δ", "retained", "CLV at stake"] }
        var rows = [header]
        for (k, d) in orderedDrivers.enumerated() where d.whatIf != nil && (d.whatIf?.framing == .gap) == gaps {
            var row = [k < actionOrder.count ? "\(k + 1)" : "·", d.name, Self.leverText(d)]
            if outcomeChange {
                row += [d.whatIf?.outcomeChange.map { change in
                    model.kind == .linear ? (change > 0 ? "+" : "") + NumberFormat.grouped(change, digits: 3) : String(format: "%+.2f pts", 100 * change)
                } ?? "—"]
            }
            if hasValue {
                row += [d.whatIf?.churnChange.map { String(format: "%+.2f pts", 100 * $0) } ?? "—",
                        NumberFormat.money(d.whatIf?.customersRetained, signed: true),
                        NumberFormat.money(d.whatIf?.clvAtStake, signed: true)
                            + (d.whatIf?.interval.map { " [\(NumberFormat.money($0.lower)), \(NumberFormat.money($0.upper))]\($0.lower <= 0 && $0.upper >= 0 ? " ±0" : "")" } ?? "")]
            }
            rows.append(row)
        }
        return rows
    }

    /// A driver's odds ratio per unit; when a unit is too small to show it (an amount in
    /// currency units: 1.0003), per standard deviation instead, saying so (`1.93 per s.d.`).
    static func oddsText(_ d: DriverRow) -> String {
        guard let ratio = d.oddsRatio, ratio.isFinite else { return "—" }
        if let beta = d.coefficient?.estimate, let sd = d.standardDeviation, sd.isFinite, sd > 0,
           abs(log(ratio)) < 0.005, abs(beta * sd) >= 0.005 {
            return NumberFormat.grouped(exp(beta * sd), digits: 3) + " per s.d."
        }
        return NumberFormat.grouped(ratio, digits: 3)
    }

    /// What the what-if did to one driver, in words: `+1 (to 10 at most)`, `0 → 1`, `Month-to-month → One year (3,875)`.
    static func leverText(_ d: DriverRow) -> String {
        guard let w = d.whatIf else { return d.role == .attribute ? "— (attribute)" : "—" }
        if let from = w.from, let to = w.to {
            return (w.framing == .gap ? "gap: " : "") + "\(from) → \(to)" + (w.customersMoved.map { " (\(NumberFormat.money($0)) customers)" } ?? "")
        }
        if d.kind == .binary { return "0 → 1" }
        let down = d.lowerIsBetter == true || w.delta < 0
        let change = (down ? "−" : "+") + NumberFormat.significant(abs(w.delta))
        let moved = w.customersMoved.map { ", \(NumberFormat.money($0)) customers" } ?? ""
        if let scale = d.scale { return "\(change) (\(down ? "at least" : "at most") \(NumberFormat.significant(down ? scale.lower : scale.upper))\(moved))" }
        let sd = [.numeric, .amount].contains(d.kind) ? "one s.d., " : ""
        return moved.isEmpty ? change : "\(change) (\(sd)within the observed range\(moved))"
    }

    /// The action list's ordering rule, in one line.
    var orderLine: String { "Order: \(orderBasis.description)." }

    /// One line per factor: its reference level and every level's coefficient (odds ratio for logistic models).
    var factorLines: [String] {
        drivers.filter { $0.kind == .factor }.map { d in
            let levels = d.levels.map { level -> String in
                guard let c = level.coefficient else { return "\(level.level) (reference, n = \(NumberFormat.money(Double(level.count))))" }
                if c.isAliased { return "\(level.level): aliased (n = \(NumberFormat.money(Double(level.count))))" }
                let odds = level.oddsRatio.map { ratio in
                    ", odds ratio \(NumberFormat.significant(ratio, digits: 3)) [\(NumberFormat.significant(exp(c.confidenceInterval.lower), digits: 3)), \(NumberFormat.significant(exp(c.confidenceInterval.upper), digits: 3))]"
                } ?? ""
                return "\(level.level): \(NumberFormat.significant(c.estimate)) (SE \(NumberFormat.significant(c.standardError, digits: 3))\(odds), p \(NumberFormat.pValue(c.pValue)), n = \(NumberFormat.money(Double(level.count))))"
            }
            let joint = d.jointTest.map { t -> String in
                let df2 = t.residualDegreesOfFreedom.map { $0.isFinite ? NumberFormat.significant($0, digits: 6) : "∞" } ?? "—"
                switch t.kind {
                case .f: return " — F(\(t.degreesOfFreedom), \(df2)) = \(NumberFormat.significant(t.statistic, digits: 4)), p \(NumberFormat.pValue(t.pValue))"
                case .likelihoodRatio: return " — LR χ²(\(t.degreesOfFreedom)) = \(NumberFormat.significant(t.statistic, digits: 4)), p \(NumberFormat.pValue(t.pValue))"
                case .pooledD2: return " — pooled D2 F(\(t.degreesOfFreedom), \(df2)) = \(NumberFormat.significant(t.statistic, digits: 4)), p \(NumberFormat.pValue(t.pValue))"
                }
            } ?? ""
            return "\(d.name)\(joint): " + levels.joined(separator: "; ")
        }
    }

    /// An aligned terminal report: the report's sections (summary, drivers, factor levels, groups,
    /// stability, segments, notes; those without content left out) one after another, prose
    /// wrapped at 160 characters.
    public func table() -> String { table(width: Self.terminalWidth) }

    /// The terminal report with prose wrapped at `width` characters (`Int.max`: never).
    package func table(width: Int) -> String {
        var out = ""
        for section in sections {
            if let title = section.title { out += "\n" + Escaping.terminal(title) + "\n" }
            for line in section.lines { out += Self.wrapped(Escaping.terminal(line), indent: "  ", width: width) }
            if !section.table.isEmpty {
                if section.title != nil && !section.lines.isEmpty { out += "\n" }
                out += Self.aligned(section.table.map { $0.map { Escaping.terminal($0) } })
            }
            for item in section.bullets { out += Self.wrapped("  " + Escaping.message(item), indent: "      ", width: width) }
            for note in section.footnotes { out += Self.wrapped(Escaping.terminal(note), indent: "  ", width: width) }
        }
        return out
    }

    /// The widest prose line of the terminal report; tables are split into sections to fit it.
    static let terminalWidth = 160

    /// `text` broken at spaces into lines of at most ``terminalWidth`` characters, the
    /// continuation lines indented by `indent`; a word longer than a line stays whole.
    static func wrapped(_ text: String, indent: String, width: Int = terminalWidth) -> String {
        guard text.count > width else { return text + "\n" }
        var out = "", line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty && line.count + 1 + word.count > width && !line.allSatisfy({ $0 == " " }) {
                out += line + "\n"
                line = indent + word
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
        }
        return out + line + "\n"
    }

    /// Columns padded to their widest cell: the first two left-aligned, the rest right-aligned.
    static func aligned(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        let widths = header.indices.map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max()! }
        var out = ""
        for (r, row) in rows.enumerated() {
            let line = row.enumerated().map { c, cell in
                c <= 1 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ")
            out += String(line.reversed().drop { $0 == " " }.reversed()) + "\n"   // no trailing blanks
            if r == 0 { out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }

    /// The base values of the what-if in one line.
    var valueLine: String {
        guard let value else { return "" }
        let rate = model.eventMeaning == nil || model.eventMeaning == .defection ? "baseline churn" : "baseline event rate"
        return "Customers \(NumberFormat.money(value.customers)), \(rate) \(String(format: "%.1f", 100 * value.baselineChurn)) %, "
            + "CLV per customer \(NumberFormat.grouped(value.clvPerCustomer)), total CLV \(NumberFormat.money(value.totalCLV))"
            + (value.margin.map { " (margin \(NumberFormat.grouped($0)) per period" } ?? " (margin per customer from a column")
            + ", discount rate \(NumberFormat.percent(value.discountRate, decimals: 0)))"
    }

    /// The same content as Markdown: the sections of ``table()`` with `##` headings and pipe
    /// tables.
    public func markdown() -> String {
        var out = "# Key driver analysis: \(Escaping.markdown(outcome))\n"
        for section in sections {
            if let title = section.title { out += "\n## \(Escaping.markdown(title))\n" }
            if !section.lines.isEmpty {   // the summary as a list, other sections' lines as one paragraph with line breaks
                out += "\n" + section.lines.map { (section.title == nil ? "- " : "") + Escaping.markdown($0) }
                    .joined(separator: section.title == nil ? "\n" : "  \n") + "\n"
            }
            if !section.table.isEmpty {
                let rows = section.table.map { $0.map { Escaping.markdown($0) } }
                out += "\n| " + rows[0].joined(separator: " | ") + " |\n|" + rows[0].map { _ in "---" }.joined(separator: "|") + "|\n"
                for row in rows.dropFirst() { out += "| " + row.joined(separator: " | ") + " |\n" }
            }
            if !section.bullets.isEmpty { out += "\n" + section.bullets.map { "- " + Escaping.markdown($0) }.joined(separator: "\n") + "\n" }
            if !section.footnotes.isEmpty { out += "\n" + section.footnotes.map { Escaping.markdown($0) }.joined(separator: "  \n") + "\n" }
        }
        return out
    }

    /// One row per driver (RFC 4180), the flat fields of the JSON contract.
    public func csv() -> String {
        let keys = ["name", "mean", "std_dev", "estimate", "std_error", "statistic", "p_value", "ci_lower", "ci_upper", "standardized_beta", "vif",
                    "gvif", "gvif_df", "gvif_adjusted", "gvif_aliased", "odds_ratio", "pearson", "pearson_p_value", "spearman"] + ImportanceMeasure.allCases.map(\.rawValue)
            + ["p_value_holm", "p_value_bh", "performance", "quadrant", "quadrant_probability", "quadrant_unstable", "rank", "rank_probability",
               "sign_flip_probability", "suppressor", "what_if_delta", "churn_change", "customers_retained", "clv_at_stake", "clv_ci_lower", "clv_ci_upper"]
        func cell(_ v: JSONValue?) -> String {
            switch v {
            case let .string(s)?: return Escaping.csvText(s)
            case let .number(x)?: return JSONValue.number(x).rendered()
            case let .bool(b)?: return b ? "true" : "false"
            default: return ""
            }
        }
        var out = keys.joined(separator: ",") + "\n"
        for d in orderedDrivers {
            let json = Self.driverJSON(d)
            out += keys.map { key -> String in
                if ImportanceMeasure.allCases.map(\.rawValue).contains(key) { return cell(json["importance"]?[key]) }
                switch key {
                case "what_if_delta": return cell(json["what_if"]?["delta"])
                case "churn_change", "customers_retained", "clv_at_stake": return cell(json["what_if"]?[key])
                case "clv_ci_lower": return cell(json["what_if"]?["ci_lower"])
                case "clv_ci_upper": return cell(json["what_if"]?["ci_upper"])
                case "gvif": return cell(json["gvif"]?["value"])
                case "gvif_df": return cell(json["gvif"]?["df"])
                case "gvif_adjusted": return cell(json["gvif"]?["adjusted"])
                case "gvif_aliased": return cell(json["gvif"]?["aliased"])
                default: return cell(json[key])
                }
            }.joined(separator: ",") + "\n"
        }
        return out
    }
}
