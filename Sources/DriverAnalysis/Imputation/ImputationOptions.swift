/// How ``ChainedEquations`` imputes: the settings of R's `mice()` that matter here, with its
/// defaults except `m` (20, not 5: importance averaged over imputations needs more of them).
public struct ImputationOptions: Sendable, Equatable, Codable {
    /// `m`, the number of imputed datasets (default 20; at most ``maximumImputations``).
    public var imputations: Int
    /// `maxit`, cycles through the incomplete columns per imputation (default 5, as `mice`).
    public var iterations: Int
    /// Donors predictive mean matching draws from (default 5, as `mice.impute.pmm`).
    public var donors: Int
    /// The ridge added to `XᵀX` as `κ · diag(XᵀX)` in the Bayesian regression draw (default 10⁻⁵,
    /// as `mice:::.norm.draw`).
    public var ridge: Double
    /// The random seed: the same seed gives the same imputations.
    public var seed: UInt64

    enum CodingKeys: String, CodingKey {
        case imputations, iterations, donors, ridge, seed
    }

    /// The largest ``imputations`` accepted: 200 imputations of a 7,000-customer profile with
    /// ten drivers already mean 200 full analyses.
    public static let maximumImputations = 200
    /// The largest ``iterations`` accepted.
    public static let maximumIterations = 100

    /// Options with `mice`'s defaults (`m` = 20).
    ///
    /// - Parameters:
    ///   - imputations: `m`, the number of imputed datasets; default 20, at most ``maximumImputations``.
    ///   - iterations: `maxit`, cycles through the incomplete columns per imputation; default 5, at most
    ///     ``maximumIterations``.
    ///   - donors: donors predictive mean matching draws from; default 5.
    ///   - ridge: the ridge `κ` added as `κ · diag(XᵀX)` in the Bayesian regression draw; default 10⁻⁵.
    ///   - seed: the random seed: the same seed gives the same imputations; default 1.
    public init(imputations: Int = 20, iterations: Int = 5, donors: Int = 5, ridge: Double = 1e-5, seed: UInt64 = 1) {
        self.imputations = imputations
        self.iterations = iterations
        self.donors = donors
        self.ridge = ridge
        self.seed = seed
    }

    /// Decodes options written by `encode(to:)`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` for a count or ridge out of its range (what
    ///   ``ImputationError/invalidOption(option:value:reason:)`` would refuse at use).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(imputations: try c.decode(Int.self, forKey: .imputations), iterations: try c.decode(Int.self, forKey: .iterations),
                  donors: try c.decode(Int.self, forKey: .donors), ridge: try c.decode(Double.self, forKey: .ridge),
                  seed: try c.decode(UInt64.self, forKey: .seed))
        do { _ = try validated() } catch { try c.require(false, .imputations, "\(error)") }
    }

    /// - Throws: ``ImputationError/invalidOption(option:value:reason:)`` for a count out of range.
    func validated() throws -> ImputationOptions {
        guard imputations >= 2 else {
            throw ImputationError.invalidOption(option: "imputations", value: "\(imputations)", reason: "Rubin's rules need at least 2 imputed datasets (20 is the default)")
        }
        guard imputations <= Self.maximumImputations else {
            throw ImputationError.invalidOption(option: "imputations", value: "\(imputations)",
                reason: "at most \(Self.maximumImputations): each imputation is a full analysis (\(imputations) imputations × \(iterations) iterations of chained regressions, then \(imputations) analyses); 20–50 give pooled estimates within a few percent of their Monte Carlo limit")
        }
        guard iterations >= 1, iterations <= Self.maximumIterations else {
            throw ImputationError.invalidOption(option: "iterations", value: "\(iterations)", reason: "between 1 and \(Self.maximumIterations) (mice's default is 5)")
        }
        guard donors >= 1, donors <= 100 else {
            throw ImputationError.invalidOption(option: "donors", value: "\(donors)", reason: "between 1 and 100 (mice's default is 5)")
        }
        guard ridge.isFinite, ridge >= 0, ridge < 1 else {
            throw ImputationError.invalidOption(option: "ridge", value: "\(ridge)", reason: "a small non-negative number (mice's default is 1e-5)")
        }
        return self
    }
}
