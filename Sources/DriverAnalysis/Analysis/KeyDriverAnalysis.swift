import Foundation
import LinearAlgebra

/// The façade: one call from survey data to a ``DriverReport``.
///
/// ``analyze(_:_:)`` (synchronous; ``analyze(_:_:progress:cancellation:)`` with progress and a
/// cancellation token) and ``report(for:_:progress:)`` (`async`, cancelled with its task) compose
/// the pipeline stages — each usable on its own — in this order:
/// ``DriverSelection`` → ``ModelStage`` → ``CorrelationStage`` → ``ImportanceStage`` →
/// ``DriverDiagnostics`` → ``PriorityStage`` → ``ConfidenceStage`` (with the bootstrap) →
/// ``ValueStage`` (with a margin) → NPS → ``ActionOrder`` → ``SegmentStage``.
public enum KeyDriverAnalysis {
    /// The library version.
    public static let version = "0.4.0"

    /// Progress of long steps: which step is running (``ProgressStep``; its `description` is the
    /// line to show) and the fraction of it done, in [0, 1].
    public typealias Progress = @Sendable (ProgressStep, Double) -> Void

    /// Runs the analysis described by `configuration` on `data`, on the calling thread.
    ///
    /// The synchronous form: it returns when the report is ready and may be called from any
    /// context, `async` functions included (without `await`). In `async` code,
    /// ``report(for:_:progress:)`` runs the same analysis off the cooperative thread pool and stops
    /// when its task is cancelled.
    ///
    /// - Parameters:
    ///   - data: the survey.
    ///   - configuration: what to analyse and how; validated first.
    /// - Throws: ``AnalysisError`` for a configuration that cannot be carried out;
    ///   ``SurveyDataError``, ``ModelError``, ``ImportanceError`` or ``CXError`` — all "bad
    ///   data" — naming the column (and row) concerned.
    /// Complexity: that of the stages run (``ModelStage``, ``ImportanceStage``, the bootstrap).
    public static func analyze(_ data: SurveyData, _ configuration: AnalysisConfiguration) throws -> DriverReport {
        try analyze(data, configuration, progress: nil, cancellation: nil)
    }

    /// ``analyze(_:_:)`` reporting the progress of its long steps.
    ///
    /// Not available in `async` code: a long synchronous run there holds a cooperative thread and
    /// ignores task cancellation — the compiler points to ``report(for:_:progress:)`` instead of
    /// silently binding `try await analyze(…, progress:)` to this form. To run synchronously from
    /// `async` code anyway, pass a token to ``analyze(_:_:progress:cancellation:)``.
    ///
    /// - Parameters:
    ///   - data: the survey.
    ///   - configuration: what to analyse and how; validated first.
    ///   - progress: called during long steps (exact Shapley at 22+ drivers, logistic
    ///     dominance, the bootstrap) with what is running and the fraction done.
    /// - Throws: what ``analyze(_:_:)`` throws.
    @available(*, noasync, message: "in async code, await KeyDriverAnalysis.report(for:_:progress:) (cancellable, off the cooperative pool), or pass a CancellationToken to analyze(_:_:progress:cancellation:)")
    public static func analyze(_ data: SurveyData, _ configuration: AnalysisConfiguration, progress: Progress?) throws -> DriverReport {
        try analyze(data, configuration, progress: progress, cancellation: nil)
    }

    /// ``analyze(_:_:)`` that reports progress and stops with ``ImportanceError/cancelled`` once
    /// `cancellation` is cancelled (from another thread): the long steps poll it between
    /// replicates and submodels. Usable from any context.
    ///
    /// - Parameters:
    ///   - data: the survey.
    ///   - configuration: what to analyse and how; validated first.
    ///   - progress: called during long steps with what is running and the fraction done. Default `nil`.
    ///   - cancellation: the token whose ``CancellationToken/cancel()`` stops the analysis.
    /// - Throws: what ``analyze(_:_:)`` throws, or ``ImportanceError/cancelled`` — on every path
    ///   (linear and logistic importance, the bootstrap, what-ifs, segments).
    public static func analyze(_ data: SurveyData, _ configuration: AnalysisConfiguration, progress: Progress? = nil,
                               cancellation: CancellationToken?) throws -> DriverReport {
        let (data, c, controlNotes) = try TextControls.coded(data, configuration.resolvingControlRoles(columns: data.columnNames))
        let selection = try DriverSelection(data: data, configuration: c)
        if selection.modelKind == .ordinal {
            return try analyzeOrdinal(data, c, selection: selection, notes: controlNotes)
        }
        let fit = try ModelStage(data: data, selection: selection, configuration: c)
        let correlations = c.methods.contains(.correlation) ? try CorrelationStage(fit) : nil
        var rows = correlations?.annotating(fit.rows) ?? fit.rows
        let importance = try ImportanceStage(data: data, fit: fit, selection: selection, configuration: c, progress: progress,
                                             cancellation: cancellation)
        rows = importance.annotating(rows)
        for j in rows.indices where j < selection.roles.count {
            rows[j].role = selection.roles[j]
            if c.isLowerBetter(rows[j].name) { rows[j].lowerIsBetter = true }
        }
        Self.markDirections(&rows, fit: fit, higherIsBetter: selection.outcomeCoding.higherIsBetter)
        let diagnostics = DriverDiagnostics(rows: rows, fit: fit, configuration: c)
        for j in rows.indices where diagnostics.suppressor[j] != nil {
            rows[j].suppressor = diagnostics.suppressor[j]
            // A suppressor's coefficient is not the effect of improving it: no direction is claimed.
            if diagnostics.suppressor[j] == true { rows[j].improves = nil }
        }
        let priority = try PriorityStage(data: data, selection: selection, shares: importance.shares, configuration: c)
        rows = priority.annotating(rows)
        var confidence: ConfidenceStage? = nil
        if c.bootstrap > 0 {
            let stage = try ConfidenceStage(fit: fit, rows: rows, ranks: importance.ranks, matrix: priority.matrix, selection: selection,
                                            configuration: c, progress: progress, cancellation: cancellation)
            rows = stage.annotating(rows)
            confidence = stage
        }
        // The what-ifs always (the outcome's change, customers moved); lifetime value with a margin.
        let value = fit.model == nil ? nil : try ValueStage(data: data, fit: fit, selection: selection, margin: c.margin, configuration: c,
                                                             cancellation: cancellation)
        rows = value?.annotating(rows) ?? rows
        let (nps, npsWarnings) = try netPromoterScore(data, c)
        let order = ActionOrder(rows: rows, placements: priority.placements, conservative: c.conservative)
        let segments = try SegmentStage(data: data, selection: selection, configuration: c, cancellation: cancellation)
        let warnings = selection.warnings + fit.warnings + importance.warnings + diagnostics.warnings + (confidence?.warnings ?? [])
            + (value?.warnings ?? []) + npsWarnings + segments.warnings + c.notes + controlNotes
            + (ActionOrder.leftOutNote(rows).map { [$0] } ?? [])
        var report = DriverReport(outcome: c.outcome, model: fit.summary, drivers: rows, nps: nps, value: value?.value,
                            dominance: importance.dominance, segments: segments.segments, warnings: warnings,
                            actionOrder: order.order.map { selection.drivers[$0] }, orderBasis: order.basis,
                            importanceComparisons: confidence?.comparisons ?? [], groups: importance.groups,
                            controls: fit.controlCoefficients(selection.controls))
        report.shapleyEstimation = importance.shapleyEstimation.map { estimation in
            var e = estimation
            e.intervalMethod = confidence?.importanceMethod
            e.intervalPermutations = confidence?.importancePermutations
            return e
        }
        return report
    }

    /// The NPS of `c.nps` (recoded from `c.npsScale` to 0–10 when declared), or a note when the
    /// column is not a 0–10 likelihood-to-recommend item.
    ///
    /// - Throws: ``SurveyDataError/outsideScale(path:row:column:value:scale:)`` for a value outside
    ///   the declared `--nps-scale`, or an error of ``NetPromoterScore``.
    static func netPromoterScore(_ data: SurveyData, _ c: AnalysisConfiguration) throws -> (NetPromoterScore?, [DriverReport.Warning]) {
        var npsWarnings: [DriverReport.Warning] = []
        var nps: NetPromoterScore? = nil
        if let column = c.nps {
            var answers = try data.numericValues(column)
            if let scale = c.npsScale {
                // An 11-point item coded from another bottom (1–11): recoded to 0–10, every value checked.
                if let bad = answers.firstIndex(where: { !$0.isNaN && !(scale.contains($0) && $0 == $0.rounded()) }) {
                    throw SurveyDataError.outsideScale(path: data.source, row: data.rowNumbers[bad], column: column, value: answers[bad],
                                                       scale: "\(NumberFormat.significant(scale.lowerBound))..\(NumberFormat.significant(scale.upperBound)) (--nps-scale)")
                }
                answers = answers.map { $0 - scale.lowerBound }
            }
            // A 0–10 item need not use 0 in a sample; one that never goes above 7 is another scale.
            if c.npsScale == nil, let scale = DriverVariable.inferKind(values: answers).scale, scale.upperBound <= 7 {
                npsWarnings.append(.init(.npsScale, "NPS needs a 0–10 likelihood-to-recommend item; '\(column)' looks like a \(NumberFormat.significant(scale.lowerBound))–\(NumberFormat.significant(scale.upperBound)) rating, so its promoters (9–10) and detractors (0–6) would mean nothing: no NPS is reported"))
            } else {
                nps = try NetPromoterScore(answers: answers, weights: try c.weight.map { try data.numericValues($0) },
                                           rows: data.rowNumbers, confidenceLevel: c.confidenceLevel)
            }
        }
        return (nps, npsWarnings)
    }

    /// The report of the analysis described by `configuration` on `data`, as an `async` call: the
    /// work runs off the cooperative thread pool (it is CPU-bound and may take minutes for
    /// logistic dominance or a large bootstrap) and stops with `CancellationError` when the
    /// calling task is cancelled.
    ///
    /// Its name differs from the synchronous ``analyze(_:_:)`` so that neither can be taken for the
    /// other: `try await KeyDriverAnalysis.report(for: survey, configuration)` is always this one,
    /// and `try KeyDriverAnalysis.analyze(survey, configuration)` compiles without `await` in any
    /// context.
    ///
    /// - Parameters:
    ///   - data: the survey.
    ///   - configuration: what to analyse and how; validated first.
    ///   - progress: called during long steps with what is running and the fraction done
    ///     (from a background thread). Default `nil`.
    /// - Throws: what ``analyze(_:_:)`` throws, or `CancellationError` when the task is cancelled.
    public static func report(for data: SurveyData, _ configuration: AnalysisConfiguration, progress: Progress? = nil) async throws -> DriverReport {
        try await runCancellable { token in try analyze(data, configuration, progress: progress, cancellation: token) }
    }

    /// Runs `work` on a dispatch thread, cancelling its token when the calling task is cancelled.
    static func runCancellable<T: Sendable>(_ work: @escaping @Sendable (CancellationToken) throws -> T) async throws -> T {
        let token = CancellationToken()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                DispatchQueue.global(qos: .userInitiated).async {
                    do {
                        let result = try work(token)
                        continuation.resume(returning: result)
                    } catch ImportanceError.cancelled where token.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        } onCancel: {
            token.cancel()
        }
    }

    /// Whether raising each driver improves the outcome: the coefficient's sign against the
    /// outcome's good direction when the coefficient is significant (p < 0.05; otherwise the
    /// direction is not established and stays `nil`); a factor's what-if moves one level up, so
    /// it improves.
    static func markDirections(_ rows: inout [DriverReport.DriverRow], fit: ModelStage, higherIsBetter: Bool) {
        for j in rows.indices {
            if rows[j].kind == .factor {
                rows[j].improves = true
            } else if let c = rows[j].coefficient, let improves = improves(c, higherIsBetter: higherIsBetter, lowerIsBetter: rows[j].lowerIsBetter == true) {
                rows[j].improves = improves
            }
        }
    }

    /// Whether raising a driver (lowering a lower-is-better one) improves the outcome, by its
    /// significant coefficient's sign; `nil` without a significant finite effect. Shared by the
    /// file path and the engine path.
    static func improves(_ c: Coefficient, higherIsBetter: Bool, lowerIsBetter: Bool) -> Bool? {
        guard c.estimate.isFinite, c.estimate != 0, c.pValue < 0.05 else { return nil }
        // Improving a lower-is-better driver means lowering it.
        return (c.estimate > 0) == higherIsBetter ? !lowerIsBetter : lowerIsBetter
    }

    /// The largest driver count for which logistic importance is bootstrapped: exact Shapley per
    /// resample within the work budget, sampled Shapley (``logisticReplicatePairs``) beyond it.
    package static let logisticBootstrapLimit = 20

    /// Antithetic pairs of orderings per bootstrap resample when the resamples' logistic Shapley
    /// values are sampled (200 orderings).
    public static let logisticReplicatePairs = 100

    /// 1-based ranks, largest value first (ties by position).
    static func ranks(_ values: [Double]) -> [Int] {
        let order = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var rank = [Int](repeating: 0, count: values.count)
        for (position, j) in order.enumerated() { rank[j] = position + 1 }
        return rank
    }
}
