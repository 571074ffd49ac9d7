import Foundation

extension ImportanceStage {
    /// What the importance steps find, gathered as they run and stored by ``init(data:fit:selection:configuration:progress:cancellation:)``.
    struct Findings {
        /// Per driver, in selection order.
        var scores: [ImportanceScores]
        /// The shares that rank the drivers; the first measure to set them wins.
        var shares: [Double]? = nil
        /// Dominance analysis, when asked for and affordable.
        var dominance: DriverReport.DominanceSummary? = nil
        /// Group importance.
        var groups: [GroupImportance.Group] = []
        /// Notes, in the order the steps raise them.
        var warnings: [DriverReport.Warning] = []
        /// How the Shapley values were computed.
        var estimation: DriverReport.ShapleyEstimation? = nil

        /// Empty findings for `p` drivers.
        init(drivers p: Int) {
            scores = [ImportanceScores](repeating: .init(), count: p)
        }

        /// Records Shapley values and their shares (`values / total`), with standard errors when given.
        mutating func setShapley(_ values: [Double], total: Double, standardErrors: [Double]? = nil) {
            for j in values.indices {
                scores[j].shapley = values[j]
                scores[j].shapleyShare = values[j] / total
                if let standardErrors { scores[j].shapleyStandardError = standardErrors[j] }
            }
        }
    }
}

extension ImportanceStage {
    /// A progress callback for one long step: reports `label` with the fraction done, and asks to
    /// go on while `cancellation` is not set.
    static func stepProgress(_ label: ProgressStep, progress: KeyDriverAnalysis.Progress?,
                             cancellation: CancellationToken?) -> @Sendable (Double) -> Bool {
        { fraction in
            progress?(label, fraction)
            return cancellation?.isCancelled != true
        }
    }
}
