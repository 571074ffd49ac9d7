import Foundation

extension DriverReport {
    static func format(_ x: Double?, _ style: String = "%.4g") -> String {
        guard let x, x.isFinite else { return "—" }
        return String(format: style, x)
    }

    /// The model summary lines (statsmodels/R style).
    var summaryLines: [String] {
        var lines = ["Outcome: \(outcome)    Model: \(model.kind)    n = \(model.n)"]
        if model.kind == .linear {
            lines.append("R² = \(Self.format(model.r2))   adjusted R² = \(Self.format(model.adjustedR2))   F = \(Self.format(model.fStatistic))   p(F) = \(Self.format(model.fPValue))")
        } else if model.kind == .ordinal {
            lines.append("log L = \(Self.format(model.logLikelihood))   null log L = \(Self.format(model.nullLogLikelihood))   McFadden R² = \(Self.format(model.mcFaddenR2))   cut-points: " + model.thresholds.map { "\($0.name) \(Self.format($0.estimate, "%.3g"))" }.joined(separator: ", "))
        } else {
            lines.append("log L = \(Self.format(model.logLikelihood))   null log L = \(Self.format(model.nullLogLikelihood))   McFadden R² = \(Self.format(model.mcFaddenR2))   Nagelkerke R² = \(Self.format(model.nagelkerkeR2))   AUC = \(Self.format(model.auc))")
        }
        return lines
    }

    var orderedDrivers: [DriverRow] {
        actionOrder.compactMap { name in drivers.first { $0.name == name } }
    }

    var hasValue: Bool { drivers.contains { $0.whatIf?.clvAtStake != nil } }

    /// Rows of the ranked driver table: header, then one row per driver in action order.
    var tableRows: [[String]] {
        let confidence = drivers.contains { $0.rankProbability != nil }
        let whatIfs = drivers.contains { $0.whatIf != nil }
        var header = ["#", "driver", "kind", "estimate", "std. error", "p", "importance", "share", "performance", "quadrant"]
        if confidence { header += ["P(rank)", "P(quadrant)"] }
        if whatIfs { header += ["what-if"] }
        if hasValue { header += ["churn Δ", "retained", "CLV at stake"] }
        var rows = [header]
        for (k, d) in orderedDrivers.enumerated() {
            let shapley = d.importance.shapley, share = d.importance.rankingShare
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
            var row = ["\(k + 1)", d.name, kind,
                       isFactor ? "see levels" : Self.format(d.coefficient?.estimate), Self.format(d.coefficient?.standardError),
                       NumberFormat.pValue(d.coefficient?.pValue), Self.format(shapley), share.map { String(format: "%.1f %%", 100 * $0) } ?? "—",
                       performance, (d.quadrant?.rawValue ?? "—") + (d.quadrantUnstable == true ? " *" : "") + (d.improves == false ? " (worsens)" : "")]
            if confidence {
                row += [d.rankProbability.map { String(format: "%.0f %%", 100 * $0) } ?? "—",
                        d.quadrantProbability.map { String(format: "%.0f %%", 100 * $0) } ?? "—"]
            }
            if whatIfs { row += [Self.leverText(d)] }
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

    /// What the what-if did to one driver, in words: `+1 (to 10 at most)`, `0 → 1`, `Month-to-month → One year (3,875)`.
    static func leverText(_ d: DriverRow) -> String {
        guard let w = d.whatIf else { return "—" }
        if let from = w.from, let to = w.to {
            return "\(from) → \(to)" + (w.customersMoved.map { " (\(NumberFormat.money($0)) customers)" } ?? "")
        }
        if d.kind == .binary { return "0 → 1" }
        let change = (w.delta >= 0 ? "+" : "") + NumberFormat.significant(w.delta)
        if let scale = d.scale { return "\(change) (at most \(NumberFormat.significant(scale.upper)))" }
        return change
    }

    /// The action list's ordering rule, in one line.
    var orderLine: String { "Order: \(orderBasis.description)." }

    /// One line per factor: its reference level and every level's coefficient (odds ratio for logistic models).
    var factorLines: [String] {
        drivers.filter { $0.kind == .factor }.map { d in
            let levels = d.levels.map { level -> String in
                guard let c = level.coefficient else { return "\(level.level) (reference, n = \(NumberFormat.money(Double(level.count))))" }
                if c.isAliased { return "\(level.level): aliased (n = \(NumberFormat.money(Double(level.count))))" }
                let odds = level.oddsRatio.map { ", odds ratio \(NumberFormat.significant($0, digits: 3))" } ?? ""
                return "\(level.level): \(NumberFormat.significant(c.estimate)) (SE \(NumberFormat.significant(c.standardError, digits: 3))\(odds), p \(NumberFormat.pValue(c.pValue)), n = \(NumberFormat.money(Double(level.count))))"
            }
            return "\(d.name): " + levels.joined(separator: "; ")
        }
    }

    /// An aligned terminal report.
    public func table() -> String {
        var out = summaryLines.map { Escaping.terminal($0) }.joined(separator: "\n") + "\n\n"
        let rows = tableRows.map { $0.map { Escaping.terminal($0) } }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max()! }
        for (r, row) in rows.enumerated() {
            out += row.enumerated().map { c, cell in
                c <= 1 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
            if r == 0 { out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n" }
        }
        out += Escaping.terminal(orderLine) + "\n"
        if !factorLines.isEmpty {
            out += "\nFactor levels (estimates against the reference level):\n" + factorLines.map { "  " + Escaping.terminal($0) }.joined(separator: "\n") + "\n"
        }
        if let nps { out += "\nNPS = \(Self.format(nps.score, "%.1f")) (\(Self.format(nps.confidenceInterval.lower, "%.1f")) to \(Self.format(nps.confidenceInterval.upper, "%.1f")))\n" }
        if let value { out += "\n" + valueLine + "\n" }
        if !importanceComparisons.isEmpty {
            out += "\nHow sure is the order? (share of bootstrap resamples)\n"
            for c in importanceComparisons { out += String(format: "  %@ more important than %@: %.0f %%\n", Escaping.terminal(c.a), Escaping.terminal(c.b), 100 * c.probability) }
        }
        for segment in segments { out += "\nSegment \(Escaping.terminal(segment.name)) (n = \(segment.report.model.n)): " + segment.report.actionOrder.prefix(3).map { Escaping.terminal($0) }.joined(separator: ", ") + "\n" }
        if drivers.contains(where: { $0.quadrantUnstable == true }) {
            out += "\n* quadrant unstable: the driver lies in this quadrant in fewer than 80 % of bootstrap resamples\n"
        }
        if !warnings.isEmpty {
            out += "\nNotes:\n" + warnings.enumerated().map { "[\($0.offset + 1)] \(Escaping.terminal($0.element.code)): \(Escaping.message($0.element.message))" }.joined(separator: "\n") + "\n"
        }
        return out
    }

    /// The base values of the what-if in one line.
    var valueLine: String {
        guard let value else { return "" }
        return "Customers \(NumberFormat.money(value.customers)), baseline churn \(String(format: "%.1f", 100 * value.baselineChurn)) %, "
            + "CLV per customer \(String(format: "%.2f", value.clvPerCustomer)), total CLV \(NumberFormat.money(value.totalCLV))"
    }

    /// The same content as Markdown.
    public func markdown() -> String {
        var out = "# Key driver analysis: \(Escaping.markdown(outcome))\n\n" + summaryLines.map { "- " + Escaping.markdown($0) }.joined(separator: "\n") + "\n\n"
        let rows = tableRows.map { $0.map { Escaping.markdown($0) } }
        out += "| " + rows[0].joined(separator: " | ") + " |\n|" + rows[0].map { _ in "---" }.joined(separator: "|") + "|\n"
        for row in rows.dropFirst() { out += "| " + row.joined(separator: " | ") + " |\n" }
        out += "\n" + Escaping.markdown(orderLine) + "\n"
        if !factorLines.isEmpty {
            out += "\n## Factor levels\n\n" + factorLines.map { "- " + Escaping.markdown($0) }.joined(separator: "\n") + "\n"
        }
        if value != nil { out += "\n" + Escaping.markdown(valueLine) + "\n" }
        if let nps { out += "\nNPS: \(Self.format(nps.score, "%.1f")) points (± \(Self.format(1.96 * nps.standardError, "%.1f")))\n" }
        if !warnings.isEmpty { out += "\n## Notes\n\n" + warnings.map { "- \(Escaping.markdownCode($0.code)): \(Escaping.markdown(Escaping.truncated($0.message, limit: 1_000)))" }.joined(separator: "\n") + "\n" }
        return out
    }

    /// One row per driver (RFC 4180), the flat fields of the JSON contract.
    public func csv() -> String {
        let keys = ["name", "mean", "std_dev", "estimate", "std_error", "statistic", "p_value", "ci_lower", "ci_upper", "standardized_beta", "vif",
                    "odds_ratio", "pearson", "pearson_p_value", "spearman"] + ImportanceMeasure.allCases.map(\.rawValue)
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
        for name in actionOrder {
            guard let d = drivers.first(where: { $0.name == name }) else { continue }
            let json = Self.driverJSON(d)
            out += keys.map { key -> String in
                if ImportanceMeasure.allCases.map(\.rawValue).contains(key) { return cell(json["importance"]?[key]) }
                switch key {
                case "what_if_delta": return cell(json["what_if"]?["delta"])
                case "churn_change", "customers_retained", "clv_at_stake": return cell(json["what_if"]?[key])
                case "clv_ci_lower": return cell(json["what_if"]?["ci_lower"])
                case "clv_ci_upper": return cell(json["what_if"]?["ci_upper"])
                default: return cell(json[key])
                }
            }.joined(separator: ",") + "\n"
        }
        return out
    }
}
