import Foundation

/// Net Promoter Score from 0–10 likelihood-to-recommend answers (Reichheld 2003).
///
/// Promoters answer 9–10, passives 7–8, detractors 0–6; `NPS = 100·(p_P − p_D)` in points
/// (−100…100). Its standard error follows from the multinomial distribution of the three
/// groups: `Var(p_P − p_D) = [p_P + p_D − (p_P − p_D)²]/n`, with Kish's effective sample size
/// `(Σw)²/Σw²` in place of `n` for weighted data; the interval is normal.
public struct NetPromoterScore: Sendable, Equatable {
    /// `NPS = 100·(p_P − p_D)`, in points from −100 to 100.
    public let score: Double
    /// Weighted shares of promoters, passives and detractors.
    public let promoters: Double
    /// Weighted share of answers 7–8.
    public let passives: Double
    /// Weighted share of answers 0–6.
    public let detractors: Double
    /// `100·√([p_P + p_D − (p_P − p_D)²]/n_eff)`, in points.
    public let standardError: Double
    /// Normal interval `score ± z·standardError` (not clipped to ±100).
    public let confidenceInterval: ClosedInterval
    /// Respondents counted (missing answers are skipped).
    public let respondents: Int
    /// Kish's effective sample size `(Σw)²/Σw²` (the respondent count when unweighted).
    public let effectiveSampleSize: Double

    /// Scores the answers: shares, NPS in points, standard error and normal interval. O(n).
    ///
    /// Answers that are `NaN`, or whose weight is `NaN`, are skipped.
    ///
    /// - Parameters:
    ///   - weights: optional respondent weights.
    ///   - confidenceLevel: level of the normal interval.
    ///   - answers: 0–10 answers, `NaN` for missing.
    ///   - rows: the source row number of each answer, for error messages (default 1-based index + 1).
    /// - Throws: ``CXError/invalidRecommendation(value:row:)`` for an answer outside 0–10 or
    ///   not whole, ``CXError/empty(_:)`` when nothing is left, ``CXError/dimensionMismatch(_:)``
    ///   when `weights` or `rows` is not one per answer or a weight is negative or infinite,
    ///   ``AnalysisError/invalidOption(option:value:reason:)`` for a level outside (0, 1).
    public init(answers: [Double], weights: [Double]? = nil, rows: [Int]? = nil, confidenceLevel: Double = 0.95) throws {
        guard confidenceLevel > 0, confidenceLevel < 1 else {
            throw AnalysisError.invalidOption(option: "confidenceLevel", value: "\(confidenceLevel)", reason: "a confidence level lies strictly between 0 and 1")
        }
        if let weights, weights.count != answers.count {
            throw CXError.dimensionMismatch("\(weights.count) weights for \(answers.count) answers")
        }
        if let rows, rows.count != answers.count {
            throw CXError.dimensionMismatch("\(rows.count) row numbers for \(answers.count) answers")
        }
        var wP = 0.0, wN = 0.0, wD = 0.0, total = 0.0, squares = 0.0, count = 0
        for (i, a) in answers.enumerated() where !a.isNaN {
            guard a >= 0, a <= 10, a == a.rounded() else {
                throw CXError.invalidRecommendation(value: a, row: rows?[i] ?? i + 2)
            }
            let w = weights?[i] ?? 1
            guard !w.isNaN else { continue }
            guard w >= 0, w.isFinite else { throw CXError.dimensionMismatch("weight \(w) at row \(rows?[i] ?? i + 2) is invalid") }
            if a >= 9 { wP += w } else if a >= 7 { wN += w } else { wD += w }
            total += w
            squares += w * w
            count += 1
        }
        guard total > 0 else { throw CXError.empty("no likelihood-to-recommend answers") }
        promoters = wP / total
        passives = wN / total
        detractors = wD / total
        let difference = promoters - detractors
        score = 100 * difference
        effectiveSampleSize = total * total / squares
        standardError = 100 * ((promoters + detractors - difference * difference) / effectiveSampleSize).squareRoot()
        let z = NormalDistribution.standard.quantile(0.5 + confidenceLevel / 2)
        confidenceInterval = ClosedInterval(lower: score - z * standardError, upper: score + z * standardError)
        respondents = count
    }

    /// The difference `self − other` between two independent segments with its z test.
    ///
    /// - Parameter other: the other segment's score, from respondents independent of this one's.
    public func difference(from other: NetPromoterScore) -> (points: Double, standardError: Double, z: Double, pValue: Double) {
        let se = (standardError * standardError + other.standardError * other.standardError).squareRoot()
        let d = score - other.score
        let z = d / se
        return (d, se, z, 2 * NormalDistribution.standard.survival(abs(z)))
    }
}

extension NetPromoterScore {
    /// A score from its parts (a report read back from JSON).
    init(score: Double, promoters: Double, passives: Double, detractors: Double, standardError: Double,
         confidenceInterval: ClosedInterval, respondents: Int, effectiveSampleSize: Double) {
        self.score = score
        self.promoters = promoters
        self.passives = passives
        self.detractors = detractors
        self.standardError = standardError
        self.confidenceInterval = confidenceInterval
        self.respondents = respondents
        self.effectiveSampleSize = effectiveSampleSize
    }
}
