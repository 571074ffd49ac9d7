/// Stage 8: the same analysis in each segment (one level of the segment column), with its own
/// NPS, without the bootstrap, with a warning for segments too small to support the model.
public struct SegmentStage: Sendable {
    /// One report per segment that could be analysed, in level order.
    public let segments: [DriverReport.Segment]
    /// Notes about small or failed segments.
    public let warnings: [DriverReport.Warning]

    /// Analyses every level of `configuration.segment` with the drivers of `selection`.
    ///
    /// - Parameters:
    ///   - data: the survey.
    ///   - selection: the drivers every segment is analysed with.
    ///   - c: the analysis options; its ``AnalysisConfiguration/segment`` names the column (`nil`: no
    ///     segments); each segment runs without the bootstrap.
    ///   - cancellation: a token polled between segments; `nil` (default): not cancellable.
    /// - Throws: ``SurveyDataError`` when the segment column is unknown; ``ImportanceError/cancelled``.
    public init(data: SurveyData, selection: DriverSelection, configuration c: AnalysisConfiguration,
                cancellation: CancellationToken? = nil) throws {
        var segments: [DriverReport.Segment] = []
        var warnings: [DriverReport.Warning] = []
        if let segment = c.segment {
            var inner = c
            inner.segment = nil
            inner.drivers = selection.drivers
            inner.bootstrap = 0
            inner.conservative = false
            let parameters = selection.drivers.count + 1
            for part in try data.split(by: segment) {
                try cancellation?.check()
                do {
                    // A driver constant within the segment (a service every customer in it lacks)
                    // cannot be estimated there: the segment is analysed without it, with a note.
                    var local = inner
                    var report: DriverReport? = nil
                    while report == nil {
                        do {
                            report = try KeyDriverAnalysis.analyze(part.data, local, cancellation: cancellation)
                        } catch let SurveyDataError.constantColumn(column, _) where (local.drivers?.count ?? 0) > 1 {
                            local.drivers?.removeAll { $0 == column }
                            warnings.append(.init(.segmentDriverDropped, "segment '\(part.level)': '\(column)' takes a single value there and is left out of that segment's analysis"))
                        } catch let SurveyDataError.unusableFactor(column, _) where (local.drivers?.count ?? 0) > 1 && local.drivers?.contains(column) == true {
                            local.drivers?.removeAll { $0 == column }
                            warnings.append(.init(.segmentDriverDropped, "segment '\(part.level)': '\(column)' takes a single value there and is left out of that segment's analysis"))
                        }
                    }
                    guard let report else { continue }
                    segments.append(.init(name: part.level, report: report))
                    if report.model.observationCount < 10 * parameters {
                        warnings.append(.init(.smallSegment, "segment '\(part.level)' has \(report.model.observationCount) complete rows for \(parameters) parameters: estimates are unstable"))
                    }
                } catch ImportanceError.cancelled {
                    throw ImportanceError.cancelled
                } catch {
                    warnings.append(.init(.smallSegment, "segment '\(part.level)' was not analysed: \(error)"))
                }
            }
        }
        self.segments = segments
        self.warnings = warnings
    }
}
