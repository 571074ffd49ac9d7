import Foundation

extension ImportanceStage {
    /// The largest gap tolerated between the Shapley values' sum (plus the controls' pseudo-R²)
    /// and the full model's McFadden R² fitted independently by ``LogisticRegression``: its
    /// deviance criterion (10⁻⁸ relative) bounds its ℓ's error well below this, the subset fits
    /// are converged to 10⁻¹¹·|ℓ|.
    static let efficiencyTolerance = 1e-6

    /// Notes on a logistic decomposition, checked at run time:
    /// - **efficiency**: Shapley values add up to the full model's pseudo-R² beyond the controls
    ///   (every ordering telescopes to it). The sum is compared with the model fitted on its own;
    ///   a gap means a submodel's `ℓ` is wrong, and the values are reported as unreliable.
    /// - **separated submodels**: their `ℓ` is the supremum of the likelihood, which is what
    ///   their fit approaches — named, because their coefficients are infinite.
    /// - **unfitted submodels**: fits that failed even from a cold start with step halving.
    static func logisticNotes(values: [Double], controlFit: Double, unfitted: Int, separated: Int,
                              model: LogisticRegression?) -> [DriverReport.Warning] {
        var notes: [DriverReport.Warning] = []
        if separated > 0 {
            notes.append(.init(.separatedSubmodels, "\(NumberFormat.count(separated)) submodels are (quasi-)separated — some fitted probabilities are numerically 0 or 1 — so their log-likelihood is the supremum the fit approaches (its limit as coefficients grow), not a finite maximum; the Shapley values use that limit"))
        }
        if unfitted > 0 {
            notes.append(.init(.unfittedSubmodels, "\(NumberFormat.count(unfitted)) submodels could not be fitted even from a cold start with step halving; each kept the log-likelihood of the submodel it was grown from, so the values are approximate — check the efficiency note and treat close ranks with care"))
        }
        if let model, model.converged,
           let note = efficiencyNote(sum: values.reduce(0, +) + controlFit, expected: model.mcFaddenRSquared, measure: "McFadden R²",
                                     tolerance: efficiencyTolerance) {
            notes.append(note)
        }
        return notes
    }

    /// The efficiency identity of linear Shapley values, checked at run time: they add up to the
    /// R² of the correlations they decompose (beyond any controls) and, on complete rows without
    /// controls, to the R² of the model fitted by QR on the rows — two independent computations.
    static func linearEfficiencyNote(values: [Double], input: ImportanceInput, model: LinearRegression?) -> DriverReport.Warning? {
        let sum = values.reduce(0, +)
        for expected in [input.rSquared()] + (model.map { [$0.rSquared] } ?? []) {
            if let note = efficiencyNote(sum: sum, expected: expected, measure: "R²", tolerance: 1e-8) { return note }
        }
        return nil
    }

    /// The one `efficiency_check` note (linear, logistic, engine): `sum` — the Shapley values plus
    /// any controls' share — against the full model's `measure` fitted on its own; `nil` within
    /// `tolerance`.
    static func efficiencyNote(sum: Double, expected: Double, measure: String, tolerance: Double) -> DriverReport.Warning? {
        let gap = abs(sum - expected)
        guard !(gap <= tolerance) else { return nil }
        return .init(.efficiencyCheck, "the Shapley values add up to \(NumberFormat.significant(sum)), but the full model's \(measure) is \(NumberFormat.significant(expected)) (gap \(NumberFormat.significant(gap))): some submodel's fit is off, so the importance values are not reliable")
    }

    /// Each driver's design terms as one player, in driver order (a factor's dummies together).
    static func driverTermGroups(drivers: [String], design: DriverDesign) -> [(name: String, members: [String])] {
        design.termRanges.indices.map { (name: drivers[$0], members: design.termNames($0)) }
    }
}
