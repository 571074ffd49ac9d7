import Foundation
/// Stage 6: what improving each driver is worth. Every driver gets one lever
/// (``WhatIfLever``): a rating rises by the what-if delta (capped at its scale top), a number
/// by the delta in its own units (capped at its maximum), a 0/1 attribute switches on, and a
/// factor moves the customers at its most common level (other than the best) one step up, to
/// the level just better than theirs (e.g. month-to-month → one-year contracts). The model
/// re-predicts every customer — exactly for linear models, averaged over customers for
/// logistic ones — and, when the event is a defection, the customers retained and the
/// lifetime value at stake follow (CLV = m·r/(1 + d − r), Gupta & Lehmann 2003), with bootstrap
/// intervals when asked for. For other events only the change in the event's probability is
/// reported: no lifetime value.
public struct ValueStage: Sendable {
    /// Per driver (selection order): the what-if; `nil` for a profile attribute (no lever).
    public let whatIf: [DriverReport.WhatIfRow?]
    /// Base values (defection events).
    public let value: DriverReport.ValueSummary?
    /// Notes raised.
    public let warnings: [DriverReport.Warning]

    /// The what-if for every driver of `fit`, paid by `margin`.
    ///
    /// - Throws: ``CXError`` for an invalid margin, discount rate or delta; ``SurveyDataError``
    ///   for a margin column that is missing or not numeric.
    /// Complexity: one prediction pass per driver, times the replicates with the bootstrap.
    public init(data: SurveyData, fit: ModelStage, selection: DriverSelection, margin marginSource: AnalysisConfiguration.MarginSource?,
                configuration c: AnalysisConfiguration, cancellation: CancellationToken? = nil) throws {
        guard c.whatIfDelta.isFinite else { throw CXError.invalidDelta(c.whatIfDelta) }
        let lifetime = try LifetimeValue(discountRate: c.discountRate)
        let sample = fit.sample
        var warnings: [DriverReport.Warning] = []
        let margin: Margin
        var constant: Double? = nil
        var marginTerm: Int? = nil
        switch marginSource {
        case nil:
            margin = .constant(0)       // no margin: the outcome's change only, no lifetime value
        case let .value(m)?:
            guard m >= 0, m.isFinite else { throw CXError.invalidMargin(value: m, observation: 0) }
            margin = .constant(m)
            constant = m
        case let .column(name)?:
            let column = try data.numericValues(name)
            margin = .perCustomer(sample.sourceIndices.map { column[$0] })
            if let j = selection.drivers.firstIndex(of: name), fit.design.termRanges[j].count == 1 {
                marginTerm = fit.design.termRanges[j].lowerBound
                warnings.append(.init("margin_is_driver", "the margin column '\(name)' is also a driver: its what-if changes the margin of the customers it moves too"))
            }
        }
        let levers = try Self.levers(fit: fit, selection: selection, delta: c.whatIfDelta, moves: c.levelMoves, data: data,
                                     lowerIsBetter: c.isLowerBetter)
        guard let model = fit.model else { throw CXError.dimensionMismatch("no fitted model") }
        let defection = fit.kind == .logistic && selection.outcomeCoding.meaning == .defection && marginSource != nil
        let point = try WhatIf.levers(model: model, drivers: sample.drivers, levers: levers.map(\.lever),
                                      margin: defection ? margin : nil, lifetime: defection ? lifetime : nil, marginTerm: marginTerm)
        var intervals = [ClosedInterval?](repeating: nil, count: levers.count)
        if defection && c.bootstrap > 0 {
            let marginTerm = marginTerm
            let boot = try Bootstrap(rowCount: sample.count, replicates: c.bootstrap, seed: c.seed, confidenceLevel: c.confidenceLevel) { weights in
                try cancellation?.check()
                do {
                    let refit = try LogisticRegression(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames, weights: weights)
                    let again = try WhatIf.levers(model: refit, drivers: sample.drivers, levers: levers.map(\.lever), margin: margin,
                                                  lifetime: lifetime, marginTerm: marginTerm)
                    return again.results.map { $0.clvAtStake ?? .nan }
                } catch {
                    return [Double](repeating: .nan, count: levers.count)   // a resample that cannot be fitted
                }
            }
            intervals = boot.intervals.map { $0.percentile }
        }
        let population = Double(sample.count)
        var rows = [DriverReport.WhatIfRow?](repeating: nil, count: selection.drivers.count)
        for (k, entry) in levers.enumerated() {
            let r = point.results[k]
            var row = DriverReport.WhatIfRow(delta: entry.lever.step ?? c.whatIfDelta, outcomeChange: r.outcomeChange)
            if defection {
                row.churnChange = r.outcomeChange
                row.customersRetained = -r.outcomeChange * population
                row.clvAtStake = r.clvAtStake
                row.interval = intervals[k]
            }
            if let levels = entry.lever.levels {
                row.from = levels.from
                row.to = levels.to
            }
            row.customersMoved = Double(r.customersChanged)
            // A factor's default what-if closes the gap between two levels; a declared move is an action.
            if case .level = entry.lever.move { row.framing = c.factorFraming(of: entry.lever.driver) } else { row.framing = .move }
            rows[entry.driver] = row
        }
        var value: DriverReport.ValueSummary? = nil
        if let v = point.value {
            value = .init(customers: v.customers, baselineChurn: v.baselineChurn, margin: constant, discountRate: c.discountRate,
                          clvPerCustomer: v.clvPerCustomer, totalCLV: v.totalCLV)
        }
        if marginSource == nil {
            if fit.kind == .logistic && selection.outcomeCoding.meaning == .defection {
                warnings.append(.init("not_computed", "no --margin: the what-ifs report the change in the churn probability and the customers moved; give a margin per customer per period (a number or a column) for customers retained and CLV at stake"))
            }
        } else if fit.kind == .linear {
            warnings.append(.init("not_computed", "churn, customers retained and CLV at stake need a churn (logistic) model; only the outcome change is reported"))
        } else if !defection, let event = selection.outcomeCoding.event {
            warnings.append(.init("not_computed", "the event '\(selection.outcome)' = '\(event)' is not a customer leaving, so no lifetime value is at stake: the what-if reports the change in its probability (say --event-meaning defection if it is)"))
        }
        // A switch or a factor move that lands customers where the data (almost) never are.
        let support = levers.compactMap { entry -> (driver: String, move: String, support: WhatIfSupport)? in
            guard let check = WhatIfSupport(lever: entry.lever, columns: sample.drivers, names: sample.driverNames) else { return nil }
            let move = entry.lever.levels.map { "\(entry.lever.driver) \($0.from) → \($0.to)" } ?? "\(entry.lever.driver) switched"
            return (entry.lever.driver, move, check)
        }
        if let note = WhatIfSupport.note(support) { warnings.append(note) }
        if let total = value?.totalCLV, total > 0 {
            let beyond = rows.indices.filter { (rows[$0]?.clvAtStake ?? 0) > total }.map { selection.drivers[$0] }
            if !beyond.isEmpty {
                warnings.append(.init("clv_beyond_base", "the CLV at stake of \(beyond.joined(separator: ", ")) exceeds the lifetime value of the whole customer base (\(NumberFormat.money(total))): the what-if moves customers far outside what the data show — check the move and the margin"))
            }
        }
        if c.discountRate >= 1 {
            warnings.append(.init("discount_rate_high", "a discount rate of \(NumberFormat.significant(c.discountRate)) per period (≥ 100 %) makes future value almost worthless: is the rate per period, as a fraction (0.01 = 1 %)?"))
        }
        whatIf = rows
        self.value = value
        self.warnings = warnings
    }

    /// Whether raising a driver hurts the outcome by its fitted effect: a significant coefficient
    /// (p < 0.05) of the sign that moves the outcome away from its good direction.
    static func raisingHurts(_ c: Coefficient?, higherIsBetter: Bool) -> Bool {
        guard let c, c.estimate.isFinite, c.pValue < 0.05, c.estimate != 0 else { return false }
        return (c.estimate > 0) != higherIsBetter
    }

    /// `x` rounded to two significant digits (a step an analyst can read: 30, 0.24, 2,300).
    static func twoSignificant(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x }
        let scale = pow(10, floor(log10(x)) - 1)
        return (x / scale).rounded() * scale
    }

    /// The sample standard deviation of the non-missing values.
    static func standardDeviation(_ values: [Double]) -> Double {
        let present = values.filter { !$0.isNaN }
        guard present.count > 1 else { return 0 }
        let mean = present.reduce(0, +) / Double(present.count)
        return (present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(present.count - 1)).squareRoot()
    }

    /// One lever per driver (see ``WhatIfLever``); a factor moves its most common non-best level
    /// one step up, to the level just better by coefficient (in the outcome's good direction).
    ///
    /// - Throws: ``SurveyDataError/unknownLevel(column:level:levels:)`` for a declared move naming a
    ///   level the factor does not have in the analysed rows.
    static func levers(fit: ModelStage, selection: DriverSelection, delta: Double,
                       moves: [AnalysisConfiguration.LevelMove] = [], data: SurveyData? = nil,
                       lowerIsBetter: (String) -> Bool = { _ in false }) throws -> [(driver: Int, lever: WhatIfLever)] {
        let higherIsBetter = selection.outcomeCoding.higherIsBetter
        let offset = fit.linear?.options.intercept ?? fit.logistic?.options.intercept ?? true ? 1 : 0
        let coefficients = fit.model?.coefficients ?? []
        var out: [(Int, WhatIfLever)] = []
        for (j, variable) in selection.variables.enumerated() {
            // A profile attribute is not something the business changes: no what-if.
            if j < selection.roles.count && selection.roles[j] == .attribute { continue }
            let range = fit.design.termRanges[j]
            switch variable.kind {
            case .rating, .numeric, .count, .amount:
                let column = fit.sample.drivers[range.lowerBound]
                let observed = (low: column.min() ?? 0, high: column.max() ?? 0)
                let coefficient = range.lowerBound + offset < coefficients.count ? coefficients[range.lowerBound + offset] : nil
                if coefficient?.isAliased == true { continue }      // no effect of its own to move
                let down: Bool
                let step: Double
                if variable.kind == .rating {
                    // Ratings move by Δ points within their scale; down only when less is better.
                    down = lowerIsBetter(variable.name) != (delta < 0)
                    step = abs(delta)
                } else {
                    // Other numbers move by one standard deviation (a count by a whole number), in
                    // the direction that helps: declared, else the one the fitted effect favours.
                    let sd = Self.standardDeviation(column)
                    step = variable.kind == .count ? max(1, sd.rounded()) : Self.twoSignificant(sd)
                    down = lowerIsBetter(variable.name) || (delta < 0) != Self.raisingHurts(coefficient, higherIsBetter: higherIsBetter)
                }
                guard step > 0, step.isFinite else { continue }
                let bounds = variable.kind == .rating ? (variable.scale.map { ($0.lowerBound, $0.upperBound) } ?? observed) : observed
                let move: WhatIfLever.Move = down ? .lower(term: range.lowerBound, by: step, floor: bounds.0)
                                                  : .raise(term: range.lowerBound, by: step, top: bounds.1)
                out.append((j, WhatIfLever(driver: variable.name, move: move)))
            case .binary:
                // A Yes/No column says its own labels: "No → Yes" rather than "0 → 1".
                var labels: (from: String, to: String) = ("0", "1")
                if let column = try? data?.column(variable.name), case let .binary(zero, one) = column.kind { labels = (zero, one) }
                if let declared = moves.last(where: { $0.column == variable.name }) {
                    // A declared move on a binary driver: to its "one" or its "zero" value.
                    let names = [labels.from, labels.to]
                    let matches = { (text: String) -> Int? in names.firstIndex { $0.caseInsensitiveCompare(text) == .orderedSame } ?? (text == "0" ? 0 : text == "1" ? 1 : nil) }
                    guard let from = matches(declared.from), let to = matches(declared.to), from != to else {
                        throw SurveyDataError.unknownLevel(column: variable.name, level: matches(declared.from) == nil ? declared.from : declared.to, levels: names)
                    }
                    out.append((j, WhatIfLever(driver: variable.name, move: to == 1 ? .switchOn(term: range.lowerBound) : .switchOff(term: range.lowerBound),
                                               levels: (names[from], names[to]))))
                    continue
                }
                let coefficient = range.lowerBound + offset < coefficients.count ? coefficients[range.lowerBound + offset] : nil
                if coefficient?.isAliased == true { continue }
                // The switch that helps: declared, else the one the fitted effect favours.
                let off = lowerIsBetter(variable.name) || Self.raisingHurts(coefficient, higherIsBetter: higherIsBetter)
                out.append((j, WhatIfLever(driver: variable.name, move: off ? .switchOff(term: range.lowerBound) : .switchOn(term: range.lowerBound),
                                           levels: off ? (labels.to, labels.from) : labels)))
            case .factor:
                let levels = fit.design.levels[j]           // reference first, then the dummies' levels
                guard levels.count >= 2 else { continue }
                if let move = moves.last(where: { $0.column == variable.name }) {
                    let names = levels.map(\.level)
                    guard let from = names.firstIndex(of: move.from) else {
                        throw SurveyDataError.unknownLevel(column: variable.name, level: move.from, levels: names)
                    }
                    guard let to = names.firstIndex(of: move.to) else {
                        throw SurveyDataError.unknownLevel(column: variable.name, level: move.to, levels: names)
                    }
                    out.append((j, WhatIfLever(driver: variable.name, move: .level(terms: Array(range), from: from == 0 ? nil : from - 1,
                                                                                    to: to == 0 ? nil : to - 1),
                                               levels: (levels[from].level, levels[to].level))))
                    continue
                }
                // Effect of each level against the reference (0 for the reference; aliased levels are skipped).
                let effects: [Double?] = levels.indices.map { k in
                    guard k > 0 else { return 0 }
                    let c = coefficients[range.lowerBound + k - 1 + offset]
                    return c.isAliased ? nil : c.estimate
                }
                // Goodness of each level: its effect in the outcome's good direction.
                let usable = levels.indices.filter { effects[$0] != nil }
                let goodness = { (k: Int) -> Double in higherIsBetter ? effects[k]! : -effects[k]! }
                // From the most common level that is not the best, one step up: to the level
                // just better than it (the smallest improvement), not straight to the extreme.
                guard let best = usable.max(by: { goodness($0) < goodness($1) }),
                      let from = usable.filter({ $0 != best }).max(by: { levels[$0].count < levels[$1].count }),
                      let to = usable.filter({ goodness($0) > goodness(from) }).min(by: { goodness($0) < goodness($1) }) else { continue }
                let terms = Array(range)
                out.append((j, WhatIfLever(driver: variable.name, move: .level(terms: terms, from: from == 0 ? nil : from - 1, to: to == 0 ? nil : to - 1),
                                           levels: (levels[from].level, levels[to].level))))
            }
        }
        return out
    }
}
