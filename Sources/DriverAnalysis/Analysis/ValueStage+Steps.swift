import Foundation

extension ValueStage {
    /// The margin the what-ifs are paid by: none (the outcome's change only), a constant, or a
    /// column per customer — with the constant for the report, and the margin's term when the
    /// margin column is also a single-term driver (noted: its what-if moves the margin too).
    static func resolveMargin(_ marginSource: AnalysisConfiguration.MarginSource?, data: SurveyData, fit: ModelStage,
                              selection: DriverSelection, warnings: inout [DriverReport.Warning]) throws
        -> (margin: Margin, constant: Double?, marginTerm: Int?) {
        switch marginSource {
        case nil:
            return (.constant(0), nil, nil)       // no margin: the outcome's change only, no lifetime value
        case let .value(m)?:
            guard m >= 0, m.isFinite else { throw CXError.invalidMargin(value: m, observation: 0) }
            return (.constant(m), m, nil)
        case let .column(name)?:
            let column = try data.numericValues(name)
            let margin = Margin.perCustomer(fit.sample.sourceIndices.map { column[$0] })
            var marginTerm: Int? = nil
            if let j = selection.drivers.firstIndex(of: name), fit.design.termRanges[j].count == 1 {
                marginTerm = fit.design.termRanges[j].lowerBound
                warnings.append(.init(.marginIsDriver, "the margin column '\(name)' is also a driver: its what-if changes the margin of the customers it moves too"))
            }
            return (margin, nil, marginTerm)
        }
    }

    /// Percentile intervals of each lever's CLV at stake over bootstrap refits of the logistic
    /// model (`nil` where too few resamples could be fitted).
    static func bootstrapCLV(sample: AnalysisSample, levers: [WhatIfLever], margin: Margin, lifetime: LifetimeValue, marginTerm: Int?,
                             configuration c: AnalysisConfiguration, cancellation: CancellationToken?) throws -> [ClosedInterval?] {
        let boot = try Bootstrap(rowCount: sample.observationCount, replicates: c.bootstrap, seed: c.seed, confidenceLevel: c.confidenceLevel) { weights in
            try cancellation?.check()
            do {
                let refit = try LogisticRegression(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames, weights: weights)
                let again = try WhatIf.levers(model: refit, drivers: sample.drivers, levers: levers, margin: margin,
                                              lifetime: lifetime, marginTerm: marginTerm)
                return again.results.map { $0.clvAtStake ?? .nan }
            } catch {
                return [Double](repeating: .nan, count: levers.count)   // a resample that cannot be fitted
            }
        }
        return boot.intervals.map { $0.percentile }
    }

    /// One what-if row per driver with a lever (`nil` for the others): the outcome change, the
    /// churn, customers retained and CLV at stake for a defection, the levels moved and the framing.
    static func whatIfRows(_ levers: [(driver: Int, lever: WhatIfLever)], results: [LeverResult], intervals: [ClosedInterval?],
                           defection: Bool, population: Double, drivers: Int,
                           configuration c: AnalysisConfiguration) -> [DriverReport.WhatIfRow?] {
        var rows = [DriverReport.WhatIfRow?](repeating: nil, count: drivers)
        for (k, entry) in levers.enumerated() {
            let r = results[k]
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
        return rows
    }

    /// The value layer's notes, in order: what was not computed and why, moves off the data's
    /// support, a CLV at stake beyond the whole base's, and an implausible discount rate.
    static func valueNotes(fit: ModelStage, selection: DriverSelection, marginSource: AnalysisConfiguration.MarginSource?,
                           defection: Bool, levers: [WhatIfLever], rows: [DriverReport.WhatIfRow?], value: DriverReport.ValueSummary?,
                           configuration c: AnalysisConfiguration) -> [DriverReport.Warning] {
        var warnings: [DriverReport.Warning] = []
        if marginSource == nil {
            if fit.kind == .logistic && selection.outcomeCoding.meaning == .defection {
                warnings.append(.init(.notComputed, "no --margin: the what-ifs report the change in the churn probability and the customers moved; give a margin per customer per period (a number or a column) for customers retained and CLV at stake"))
            }
        } else if fit.kind == .linear {
            warnings.append(.init(.notComputed, "churn, customers retained and CLV at stake need a churn (logistic) model; only the outcome change is reported"))
        } else if !defection, let event = selection.outcomeCoding.event {
            warnings.append(.init(.notComputed, "the event '\(selection.outcome)' = '\(event)' is not a customer leaving, so no lifetime value is at stake: the what-if reports the change in its probability (say --event-meaning defection if it is)"))
        }
        // A switch or a factor move that lands customers where the data (almost) never are.
        let sample = fit.sample
        let support = levers.compactMap { lever -> (driver: String, move: String, support: WhatIfSupport)? in
            guard let check = WhatIfSupport(lever: lever, columns: sample.drivers, names: sample.driverNames) else { return nil }
            let move = lever.levels.map { "\(lever.driver) \($0.from) → \($0.to)" } ?? "\(lever.driver) switched"
            return (lever.driver, move, check)
        }
        if let note = WhatIfSupport.note(support) { warnings.append(note) }
        if let total = value?.totalCLV, total > 0 {
            let beyond = rows.indices.filter { (rows[$0]?.clvAtStake ?? 0) > total }.map { selection.drivers[$0] }
            if !beyond.isEmpty {
                warnings.append(.init(.clvBeyondBase, "the CLV at stake of \(beyond.joined(separator: ", ")) exceeds the lifetime value of the whole customer base (\(NumberFormat.money(total))): the what-if moves customers far outside what the data show — check the move and the margin"))
            }
        }
        if c.discountRate >= 1 {
            warnings.append(.init(.discountRateHigh, "a discount rate of \(NumberFormat.significant(c.discountRate)) per period (≥ 100 %) makes future value almost worthless: is the rate per period, as a fraction (0.01 = 1 %)?"))
        }
        return warnings
    }
}
