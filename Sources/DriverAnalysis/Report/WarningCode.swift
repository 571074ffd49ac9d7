/// A warning's stable identifier: what `Docs/warnings.md` catalogues, and what the JSON report
/// writes as `warnings[].code`.
///
/// Compare against the named constants (`warning.code == .rowsDropped`); ``rawValue`` is the
/// string of the JSON contract. Codes read from a document written by a later version that this
/// one does not know decode as they are (``isCatalogued`` is then `false`), so a report stays
/// readable.
public struct WarningCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The identifier as written in JSON, e.g. `rows_dropped`.
    public let rawValue: String

    /// The code with identifier `rawValue`.
    ///
    /// - Parameter rawValue: the stable identifier, e.g. `rows_dropped`.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The identifier, as written in JSON.
    public var description: String { rawValue }

    /// Whether this version of the library raises the code (it is in ``catalogue``).
    public var isCatalogued: Bool { Self.catalogue.contains(self) }

    /// Decodes the code from its string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the code as its string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    /// `rows_dropped`: rows miss the outcome, a driver or the weight (listwise deletion).
    public static let rowsDropped = WarningCode(rawValue: "rows_dropped")
    /// `column_left_out`: a column was not used as a default driver: it mixes numbers and text (row and value named), holds infinities, or looks like an identifier.
    public static let columnLeftOut = WarningCode(rawValue: "column_left_out")
    /// `binary_outcome_linear`: a two-valued outcome is fitted by a linear model.
    public static let binaryOutcomeLinear = WarningCode(rawValue: "binary_outcome_linear")
    /// `aliased_drivers`: drivers are exact linear combinations of others (or a zero column).
    public static let aliasedDrivers = WarningCode(rawValue: "aliased_drivers")
    /// `vif_moderate`: a variance inflation factor ≥ 5 in any model (linear, logistic, ordinal); a factor by its `GVIF^(1/(2·df))` ≥ √5 (Fox & Monette 1992).
    public static let vifModerate = WarningCode(rawValue: "vif_moderate")
    /// `vif_high`: a variance inflation factor ≥ 10 in any model; a factor by its `GVIF^(1/(2·df))` ≥ √10 (Fox & Monette 1992).
    public static let vifHigh = WarningCode(rawValue: "vif_high")
    /// `vif_uncentred`: a model without an intercept: the (G)VIFs come from uncentred cross-products, as `car::vif` computes them with a warning.
    public static let vifUncentred = WarningCode(rawValue: "vif_uncentred")
    /// `vif_not_computed`: the covariance of the estimates is numerically singular, so no (G)VIF could be computed (not seen on any data so far).
    public static let vifNotComputed = WarningCode(rawValue: "vif_not_computed")
    /// `condition_number_high`: the design's condition number (unit-length columns) > 1e10.
    public static let conditionNumberHigh = WarningCode(rawValue: "condition_number_high")
    /// `heteroscedasticity`: Koenker's Breusch–Pagan test has p < 0.05.
    public static let heteroscedasticity = WarningCode(rawValue: "heteroscedasticity")
    /// `suppressor`: a coefficient's sign is opposite to the driver's own correlation with the outcome, or its Pratt value is negative.
    public static let suppressor = WarningCode(rawValue: "suppressor")
    /// `low_variance_rating`: a rating's standard deviation is below 5 % of the scale.
    public static let lowVarianceRating = WarningCode(rawValue: "low_variance_rating")
    /// `few_events_per_driver`: a logistic model has fewer than 10 events (the rarer outcome) per driver.
    public static let fewEventsPerDriver = WarningCode(rawValue: "few_events_per_driver")
    /// `near_separation`: the logistic model's fitted probabilities are numerically 0 or 1.
    public static let nearSeparation = WarningCode(rawValue: "near_separation")
    /// `separated_submodels`: submodels of a logistic Shapley/dominance analysis (library, or a bootstrap resample) are (quasi-)separated: their log-likelihood is the supremum the fit approaches.
    public static let separatedSubmodels = WarningCode(rawValue: "separated_submodels")
    /// `unfitted_submodels`: submodels failed even from a cold start with step halving and kept the fit they were grown from (not seen on any data so far).
    public static let unfittedSubmodels = WarningCode(rawValue: "unfitted_submodels")
    /// `efficiency_check`: the Shapley values do not add up to the full model's McFadden R² fitted on its own (checked on every run, tolerance 10⁻⁶).
    public static let efficiencyCheck = WarningCode(rawValue: "efficiency_check")
    /// `logistic_convergence`: the logistic fit did not converge in 25 iterations.
    public static let logisticConvergence = WarningCode(rawValue: "logistic_convergence")
    /// `quadrant_unstable`: with `--bootstrap`, a driver lies in its reported quadrant in fewer than 80 % of resamples.
    public static let quadrantUnstable = WarningCode(rawValue: "quadrant_unstable")
    /// `sampled_shapley`: more than 30 drivers (linear), or a logistic model whose exact Shapley values exceed the work budget or 20 drivers: Shapley values are permutation-sampling estimates.
    public static let sampledShapley = WarningCode(rawValue: "sampled_shapley")
    /// `pairwise_deletion`: `--missing pairwise`.
    public static let pairwiseDeletion = WarningCode(rawValue: "pairwise_deletion")
    /// `small_segment`: a segment has fewer than 10 complete rows per parameter, or too few to fit.
    public static let smallSegment = WarningCode(rawValue: "small_segment")
    /// `bootstrap_partial`: `--bootstrap` with a logistic model of more than 20 drivers.
    public static let bootstrapPartial = WarningCode(rawValue: "bootstrap_partial")
    /// `missing_code_suspected`: a driver looks like a rating but holds codes such as −99 or 999.
    public static let missingCodeSuspected = WarningCode(rawValue: "missing_code_suspected")
    /// `profile_coverage`: the analysed file is a customer profile (`kda analyze --source …`, or a `kda.profile/1` sidecar beside FILE): customers per source, matched with the base, left out, repeats reduced, present in all.
    public static let profileCoverage = WarningCode(rawValue: "profile_coverage")
    /// `fragments`: the analysed file is a customer profile: how many base customers answered every source holding the outcome, a driver or a control, and the strategy used (listwise, pairwise, per-source, impute) — by default listwise at ≥ 80 %, else per-source.
    public static let fragments = WarningCode(rawValue: "fragments")
    /// `per_source_model`: a per-source model: the customers who answered the source, the drivers it holds and those left to other sources' models.
    public static let perSourceModel = WarningCode(rawValue: "per_source_model")
    /// `multiple_imputation`: `--fragments impute`: M imputed datasets, the cells imputed per column, the complete rows listwise would keep, the largest fraction of missing information.
    public static let multipleImputation = WarningCode(rawValue: "multiple_imputation")
    /// `profile_conflicts`: a column name held by two sources has different values for the same customers.
    public static let profileConflicts = WarningCode(rawValue: "profile_conflicts")
    /// `discount_rate_default`: `--margin` without `--discount-rate`: 10 % per period is used.
    public static let discountRateDefault = WarningCode(rawValue: "discount_rate_default")
    /// `segment_driver_dropped`: a driver is constant within one segment.
    public static let segmentDriverDropped = WarningCode(rawValue: "segment_driver_dropped")
    /// `not_computed`: a requested value cannot be computed (beyond an exact limit, or needs a churn model).
    public static let notComputed = WarningCode(rawValue: "not_computed")
    /// `zeros_outside_scale`: a rating on 1–5 or 1–7 holds zeros (often "not applicable").
    public static let zerosOutsideScale = WarningCode(rawValue: "zeros_outside_scale")
    /// `event_guessed`: a two-valued text outcome without `--event`: the rarer value is modelled.
    public static let eventGuessed = WarningCode(rawValue: "event_guessed")
    /// `event_meaning`: the event's meaning (defection, adverse, favourable) was inferred from the names.
    public static let eventMeaning = WarningCode(rawValue: "event_meaning")
    /// `margin_is_driver`: the `--margin` column is also a driver (a price).
    public static let marginIsDriver = WarningCode(rawValue: "margin_is_driver")
    /// `discount_rate_high`: `--discount-rate` ≥ 1 per period.
    public static let discountRateHigh = WarningCode(rawValue: "discount_rate_high")
    /// `small_sample`: fewer than 10 respondents per model parameter.
    public static let smallSample = WarningCode(rawValue: "small_sample")
    /// `model_not_significant`: the overall F test (linear) or likelihood-ratio test (logistic) has p ≥ 0.05.
    public static let modelNotSignificant = WarningCode(rawValue: "model_not_significant")
    /// `nps_scale`: the `--nps` column is not a 0–10 item.
    public static let npsScale = WarningCode(rawValue: "nps_scale")
    /// `bootstrap_redrawn`: bootstrap resamples in which a rare driver was constant were redrawn.
    public static let bootstrapRedrawn = WarningCode(rawValue: "bootstrap_redrawn")
    /// `summary_input`: `--from-moments` / `--from-correlation`, or a streamed file.
    public static let summaryInput = WarningCode(rawValue: "summary_input")
    /// `profile_attributes`: drivers whose names are common profile attributes (gender, age, senior citizen, partner, dependents, region, tenure…) and whose role was not declared.
    public static let profileAttributes = WarningCode(rawValue: "profile_attributes")
    /// `derived_driver`: a numeric driver is almost exactly the product of two other columns (correlation > 0.995 on up to 5,000 rows), e.g. `TotalCharges ≈ tenure × MonthlyCharges`.
    public static let derivedDriver = WarningCode(rawValue: "derived_driver")
    /// `counts_by_name`: whole-number drivers named like counts (calls, contacts, count, months, products…) that would otherwise read as ratings.
    public static let countsByName = WarningCode(rawValue: "counts_by_name")
    /// `excluded`: `--exclude` removed drivers.
    public static let excluded = WarningCode(rawValue: "excluded")
    /// `clv_beyond_base`: a what-if's CLV at stake exceeds the lifetime value of the whole customer base.
    public static let clvBeyondBase = WarningCode(rawValue: "clv_beyond_base")
    /// `what_if_off_support`: a 0/1 switch or a factor move puts at least a quarter of the customers it moves where the customers already at the target value (almost) never are: another driver at a value fewer than 0.5 % of them hold (discrete) or outside their 0.5–99.5 % range (continuous); the message names the driver and where the moved values lie (e.g. `MonthlyCharges = 99.65, outside their 0.5–99.5 % range 24.4–92` for Telco's fibre → DSL gap) — e.g. a voice-mail plan switched on for customers with 0 voice-mail messages, or Telco's `PhoneService` switched on beside `MultipleLines = No phone service`.
    public static let whatIfOffSupport = WarningCode(rawValue: "what_if_off_support")
    /// `engine_moments`: a linear analysis through `--engine`.
    public static let engineMoments = WarningCode(rawValue: "engine_moments")
    /// `bootstrap_failures`: some Poisson-bootstrap replicates of an `--engine` linear analysis could not be analysed (a resample with a constant or collinear driver).
    public static let bootstrapFailures = WarningCode(rawValue: "bootstrap_failures")
    /// `text_controls`: a control column holds text (linear, logistic and ordinal models).
    public static let textControls = WarningCode(rawValue: "text_controls")
    /// `controls`: `--control` (linear and ordinal models): how much of R² (McFadden R² for ordinal models) the controls explain alone and how much the drivers add beyond them.
    public static let controls = WarningCode(rawValue: "controls")
    /// `ordinal_convergence`: the proportional-odds fit did not converge in 100 Newton iterations.
    public static let ordinalConvergence = WarningCode(rawValue: "ordinal_convergence")
    /// `derived_driver_unchecked`: the warehouse path (`--engine`) with two or more numeric drivers.
    public static let derivedDriverUnchecked = WarningCode(rawValue: "derived_driver_unchecked")
    /// `streamed`: `kda analyze FILE` projected the in-memory analysis above `--memory-budget` (default 1 GB), or `--stream always`: the file was streamed — the linear model from the moments of its terms (factors' dummies included), a logistic model by IRLS passes — and the message gives the projection.
    public static let streamed = WarningCode(rawValue: "streamed")
    /// `memory_budget`: the projection is above the budget but the request needs the rows (`--bootstrap`, `--margin`, `--segment`, default drivers, a text driver…): the file was loaded anyway.
    public static let memoryBudget = WarningCode(rawValue: "memory_budget")
    /// `engine_importance`: `--engine` with a churn model: how the importance was computed (submodels fitted in the engine).
    public static let engineImportance = WarningCode(rawValue: "engine_importance")
    /// `engine_what_if`: `--engine` with a churn model: how the what-if was computed.
    public static let engineWhatIf = WarningCode(rawValue: "engine_what_if")
    /// `engine_bootstrap`: `--engine` with `--bootstrap`: how many Poisson-bootstrap replicates the engine fitted, and with which row key.
    public static let engineBootstrap = WarningCode(rawValue: "engine_bootstrap")
    /// `bootstrap_failed`: `--engine` with `--bootstrap`, and no replicate converged.
    public static let bootstrapFailed = WarningCode(rawValue: "bootstrap_failed")
    /// `actions_leave_out_most`: the drivers that are not actions (profile attributes, factor gaps) hold more than half of the explained fit.
    public static let actionsLeaveOutMost = WarningCode(rawValue: "actions_leave_out_most")

    /// Every code this version raises, in the order of `Docs/warnings.md`.
    public static let catalogue: [WarningCode] = [
        .rowsDropped, .columnLeftOut, .binaryOutcomeLinear, .aliasedDrivers, .vifModerate, .vifHigh,
        .vifUncentred, .vifNotComputed, .conditionNumberHigh, .heteroscedasticity, .suppressor, .lowVarianceRating,
        .fewEventsPerDriver, .nearSeparation, .separatedSubmodels, .unfittedSubmodels, .efficiencyCheck, .logisticConvergence,
        .quadrantUnstable, .sampledShapley, .pairwiseDeletion, .smallSegment, .bootstrapPartial, .missingCodeSuspected,
        .profileCoverage, .fragments, .perSourceModel, .multipleImputation, .profileConflicts, .discountRateDefault,
        .segmentDriverDropped, .notComputed, .zerosOutsideScale, .eventGuessed, .eventMeaning, .marginIsDriver,
        .discountRateHigh, .smallSample, .modelNotSignificant, .npsScale, .bootstrapRedrawn, .summaryInput,
        .profileAttributes, .derivedDriver, .countsByName, .excluded, .clvBeyondBase, .whatIfOffSupport,
        .engineMoments, .bootstrapFailures, .textControls, .controls, .ordinalConvergence, .derivedDriverUnchecked,
        .streamed, .memoryBudget, .engineImportance, .engineWhatIf, .engineBootstrap, .bootstrapFailed,
        .actionsLeaveOutMost,
    ]
}
