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
    /// - Parameters:
    ///   - data: the survey.
    ///   - fit: the fitted model stage, whose predictions the what-ifs change.
    ///   - selection: the drivers, with their kinds, scales and roles.
    ///   - marginSource: the margin per customer per period, a constant or a column; `nil`: no lifetime value,
    ///     only the change in the outcome.
    ///   - c: the analysis options: what-if delta, level moves, lower-is-better drivers, discount rate,
    ///     bootstrap.
    ///   - cancellation: a token polled between bootstrap replicates; `nil` (default): not cancellable.
    /// - Throws: ``CXError`` for an invalid margin, discount rate or delta; ``SurveyDataError``
    ///   for a margin column that is missing or not numeric.
    /// Complexity: one prediction pass per driver, times the replicates with the bootstrap.
    public init(data: SurveyData, fit: ModelStage, selection: DriverSelection, margin marginSource: AnalysisConfiguration.MarginSource?,
                configuration c: AnalysisConfiguration, cancellation: CancellationToken? = nil) throws {
        guard c.whatIfDelta.isFinite else { throw CXError.invalidDelta(c.whatIfDelta) }
        let lifetime = try LifetimeValue(discountRate: c.discountRate)
        let sample = fit.sample
        var warnings: [DriverReport.Warning] = []
        let (margin, constant, marginTerm) = try Self.resolveMargin(marginSource, data: data, fit: fit, selection: selection,
                                                                    warnings: &warnings)
        let levers = try Self.levers(fit: fit, selection: selection, delta: c.whatIfDelta, moves: c.levelMoves, data: data,
                                     lowerIsBetter: c.isLowerBetter)
        guard let model = fit.model else { throw CXError.dimensionMismatch("no fitted model") }
        let defection = fit.kind == .logistic && selection.outcomeCoding.meaning == .defection && marginSource != nil
        let point = try WhatIf.levers(model: model, drivers: sample.drivers, levers: levers.map(\.lever),
                                      margin: defection ? margin : nil, lifetime: defection ? lifetime : nil, marginTerm: marginTerm)
        var intervals = [ClosedInterval?](repeating: nil, count: levers.count)
        if defection && c.bootstrap > 0 {
            intervals = try Self.bootstrapCLV(sample: sample, levers: levers.map(\.lever), margin: margin, lifetime: lifetime,
                                              marginTerm: marginTerm, configuration: c, cancellation: cancellation)
        }
        let rows = Self.whatIfRows(levers, results: point.results, intervals: intervals, defection: defection,
                                   population: Double(sample.observationCount), drivers: selection.drivers.count, configuration: c)
        var value: DriverReport.ValueSummary? = nil
        if let v = point.value {
            value = .init(customers: v.customers, baselineChurn: v.baselineChurn, margin: constant, discountRate: c.discountRate,
                          clvPerCustomer: v.clvPerCustomer, totalCLV: v.totalCLV)
        }
        warnings += Self.valueNotes(fit: fit, selection: selection, marginSource: marginSource, defection: defection,
                                    levers: levers.map(\.lever), rows: rows, value: value, configuration: c)
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
            // The coefficient of a single-term driver (nil beyond the fitted terms).
            let coefficient = range.lowerBound + offset < coefficients.count ? coefficients[range.lowerBound + offset] : nil
            let lever: WhatIfLever?
            switch variable.kind {
            case .rating, .numeric, .count, .amount:
                lever = numericLever(variable, column: fit.sample.drivers[range.lowerBound], term: range.lowerBound, coefficient: coefficient,
                                     delta: delta, higherIsBetter: higherIsBetter, lowerIsBetter: lowerIsBetter(variable.name))
            case .binary:
                lever = try binaryLever(variable, term: range.lowerBound, coefficient: coefficient, moves: moves, data: data,
                                        higherIsBetter: higherIsBetter, lowerIsBetter: lowerIsBetter(variable.name))
            case .factor:
                lever = try factorLever(variable, levels: fit.design.levels[j], terms: range, coefficients: coefficients, offset: offset,
                                        moves: moves, higherIsBetter: higherIsBetter)
            }
            if let lever { out.append((j, lever)) }
        }
        return out
    }
}
