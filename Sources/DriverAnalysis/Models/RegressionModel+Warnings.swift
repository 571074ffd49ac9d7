/// What every fitted model says about its own fit, as the report's notes say it: the same
/// ``WarningCode`` constants, computed from the fit's state (so a decoded model says the same).
extension RegressionModel {
    /// The note naming the terms that are exact linear combinations of others (R's `NA`), if any.
    var aliasedTermsWarning: [DriverReport.Warning] {
        let aliased = coefficients.filter(\.isAliased).map(\.name)
        guard !aliased.isEmpty else { return [] }
        return [.init(.aliasedDrivers, "terms aliased with others (exact linear combinations, not estimable): "
                      + aliased.map { Escaping.message($0, limit: 40) }.joined(separator: ", "))]
    }
}

extension LinearRegression {
    /// Notes on the fit: ``WarningCode/aliasedDrivers`` when terms are not estimable.
    public var warnings: [DriverReport.Warning] { aliasedTermsWarning }
}

extension LogisticRegression {
    /// Notes on the fit: ``WarningCode/logisticConvergence`` when Newton's method stopped at
    /// `LogisticModelOptions.maximumIterations` (the estimates are then the last iterate),
    /// ``WarningCode/nearSeparation`` when fitted probabilities are numerically 0 or 1, and
    /// ``WarningCode/aliasedDrivers`` when terms are not estimable.
    public var warnings: [DriverReport.Warning] {
        var notes: [DriverReport.Warning] = []
        if !converged {
            notes.append(.init(.logisticConvergence, "did not converge in \(options.maximumIterations) iterations (relative deviance change above \(options.tolerance))"))
        }
        if nearSeparation { notes.append(.init(.nearSeparation, "fitted probabilities numerically 0 or 1 occurred")) }
        return notes + aliasedTermsWarning
    }
}

extension OrdinalRegression {
    /// Notes on the fit: ``WarningCode/ordinalConvergence`` when the maximization stopped before
    /// converging, and ``WarningCode/aliasedDrivers`` when terms are not estimable.
    public var warnings: [DriverReport.Warning] {
        (converged ? [] : [.init(.ordinalConvergence, "the proportional-odds fit did not converge in \(iterations) iterations")]) + aliasedTermsWarning
    }
}
