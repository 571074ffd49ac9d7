/// How an analysis of a customer profile treats customers who did not answer every source.
///
/// - ``listwise``: one model on the customers with every analysed column (the classic default;
///   unbiased only when who answered is unrelated to the outcome given the drivers).
/// - ``pairwise``: correlations from every pair's available customers (linear models only; the
///   matrix may not be positive definite and no one sample stands behind the numbers).
/// - ``perSource``: one model per source on the customers who answered it (the base's columns
///   and that source's), importance comparable within a source only.
/// - ``impute``: multiple imputation by chained equations and Rubin's rules
///   (``KeyDriverAnalysis/analyzeImputed(_:_:options:progress:)``): every base customer,
///   valid when answers are missing at random given the analysed columns.
public enum FragmentStrategy: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Complete cases only.
    case listwise
    /// Pairwise-available correlations.
    case pairwise
    /// One model per source on its respondents.
    case perSource = "per-source"
    /// Multiple imputation.
    case impute

    /// The option value: `listwise`, `pairwise`, `per-source`, `impute`.
    public var description: String { rawValue }
}

/// Which ``FragmentStrategy`` an analysis of a profile uses and why: the share of base customers
/// who answered every source the analysis draws on.
///
/// The default rule: **listwise** when at least ``listwiseThreshold`` (80 %) of the base
/// customers answered every such source — listwise deletion then loses at most a fifth of the
/// customers — otherwise **per-source**. Multiple imputation is never chosen by default (it
/// costs M analyses and rests on the missing-at-random assumption): ask for it.
public struct FragmentChoice: Sendable, Equatable, Codable {
    /// The strategy used.
    public let strategy: FragmentStrategy
    /// Whether it was chosen by the default rule (`false`: asked for).
    public let byDefault: Bool
    /// Sources holding the outcome, a driver or a control, in profile order.
    public let sources: [String]
    /// Base customers who answered every one of ``sources``.
    public let customersInAll: Int
    /// Base customers (the profile's rows).
    public let baseCustomers: Int

    /// The share of base customers at or above which listwise deletion is the default: 0.8.
    public static let listwiseThreshold = 0.8

    enum CodingKeys: String, CodingKey {
        case strategy, sources
        case byDefault = "by_default", customersInAll = "customers_in_all", baseCustomers = "base_customers"
    }

    /// ``customersInAll`` / ``baseCustomers`` (0 without customers).
    public var share: Double { baseCustomers > 0 ? Double(customersInAll) / Double(baseCustomers) : 0 }

    /// The default strategy for `share`: listwise at ≥ ``listwiseThreshold``, else per-source.
    ///
    /// - Parameter share: the share of base customers who answered every source the analysis draws on, in
    ///   [0, 1].
    public static func defaultStrategy(share: Double) -> FragmentStrategy { share >= listwiseThreshold ? .listwise : .perSource }

    /// The `fragments` note stating the strategy, the coverage it rests on and the alternatives.
    public var note: DriverReport.Warning {
        let percent = NumberFormat.significant(100 * share, digits: 3)
        let coverage = "\(customersInAll) of \(baseCustomers) base customers (\(percent) %) answered every source the analysis uses (\(sources.joined(separator: ", ")))"
        let how: String
        switch strategy {
        case .listwise: how = "listwise: one model on the customers with every analysed column"
        case .pairwise: how = "pairwise: correlations from each pair's available customers (no single sample behind the numbers)"
        case .perSource: how = "per-source: one model per source on the customers who answered it, importance comparable within a source"
        case .impute: how = "impute: multiple imputation of every base customer's missing answers, pooled by Rubin's rules"
        }
        let why = byDefault
            ? " — chosen by default because \(share >= Self.listwiseThreshold ? "at least" : "fewer than") 80 % did (--fragments listwise, pairwise, per-source or impute chooses)"
            : " (asked for with --fragments)"
        return .init(.fragments, "\(coverage); analysed \(how)\(why)")
    }
}
