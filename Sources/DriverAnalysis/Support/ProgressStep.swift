/// A long step of an analysis, as ``KeyDriverAnalysis/Progress`` callbacks name it: which
/// computation is running and how much work it is. Its ``description`` is the line a progress
/// display shows (`"bootstrap (1000 replicates)"`).
public struct ProgressStep: Sendable, Hashable, CustomStringConvertible {
    /// The computations long enough to report progress.
    public enum Stage: String, Sendable, Hashable, CaseIterable, Codable {
        /// Exact Shapley values of R² over every subset of the drivers (22 or more drivers).
        case exactShapley
        /// Logistic dominance: McFadden R² of every submodel.
        case logisticDominance
        /// Permutation-sampled Shapley values of McFadden R².
        case sampledLogisticShapley
        /// Bootstrap resamples of the whole analysis.
        case bootstrap
        /// One completed dataset of a multiple imputation.
        case imputation
    }

    /// Which computation is running.
    public let stage: Stage
    /// How much work it is: subsets, submodels, permutations, replicates, or imputed datasets.
    public let units: Int
    /// For an imputation, which dataset (1-based); `nil` for the other stages.
    public let index: Int?

    /// The exact Shapley walk over the `2^p` subsets of `drivers` drivers.
    ///
    /// - Parameter drivers: the number of drivers `p`.
    public static func exactShapley(drivers: Int) -> ProgressStep {
        ProgressStep(stage: .exactShapley, units: drivers, index: nil)
    }
    /// Logistic dominance over `submodels` submodels.
    ///
    /// - Parameter submodels: the number of submodels fitted.
    public static func logisticDominance(submodels: Int) -> ProgressStep {
        ProgressStep(stage: .logisticDominance, units: submodels, index: nil)
    }
    /// Sampled logistic Shapley values over `permutations` orderings.
    ///
    /// - Parameter permutations: the number of orderings sampled.
    public static func sampledLogisticShapley(permutations: Int) -> ProgressStep {
        ProgressStep(stage: .sampledLogisticShapley, units: permutations, index: nil)
    }
    /// The bootstrap with `replicates` resamples.
    ///
    /// - Parameter replicates: the number of bootstrap resamples.
    public static func bootstrap(replicates: Int) -> ProgressStep {
        ProgressStep(stage: .bootstrap, units: replicates, index: nil)
    }
    /// Imputed dataset `index` (1-based) of `total`.
    ///
    /// - Parameters:
    ///   - index: the dataset's number, 1-based.
    ///   - total: the number of imputed datasets.
    public static func imputation(_ index: Int, of total: Int) -> ProgressStep {
        ProgressStep(stage: .imputation, units: total, index: index)
    }

    /// What a progress line shows, e.g. `logistic dominance (4096 submodels)`.
    public var description: String {
        switch stage {
        case .exactShapley: return "exact Shapley (2^\(units) subsets)"
        case .logisticDominance: return "logistic dominance (\(units) submodels)"
        case .sampledLogisticShapley: return "sampled logistic Shapley (\(units) permutations)"
        case .bootstrap: return "bootstrap (\(units) replicates)"
        case .imputation: return "imputation \(index ?? 0) of \(units)"
        }
    }
}
