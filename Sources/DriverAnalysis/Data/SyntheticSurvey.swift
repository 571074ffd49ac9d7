import Foundation

/// A deterministic synthetic CX survey with known driver weights, for tests, benchmarks and
/// `kda generate`.
///
/// Each respondent has a latent overall attitude `g ~ N(0, 1)`; touchpoint `j` is rated
/// `round(μⱼ + λⱼ·g·s + εⱼ)` clamped to the scale (λⱼ between 0.5 and 0.8, so ratings
/// correlate like real surveys). The outcome is
/// - linear: `satisfaction = 1 + Σⱼ βⱼ xⱼ + N(0, σ²)`, or
/// - churn: `churn ~ Bernoulli(logistic(α − Σⱼ βⱼ (xⱼ − μⱼ)/s))` with `α` giving about 20 % churn.
///
/// Every random number is a hash of `(seed, row, stream)` (SplitMix64), so any row can be
/// generated on its own: the output does not depend on chunking or threads.
public struct SyntheticSurvey: Sendable {
    /// The kind of outcome column generated.
    public enum Outcome: String, Sendable, CaseIterable {
        /// A continuous `satisfaction` score, linear in the ratings plus normal noise.
        case linear
        /// A 0/1 `churn` column drawn from a logistic model of the ratings (about 20 % churn).
        case churn
    }
    /// The rating scale of the touchpoints.
    public enum Scale: Sendable, Equatable {
        /// Ratings 0–10 (weights per point as drawn).
        case zeroToTen
        /// Ratings 1–5 (weights per point ×2.5, so effects are comparable with 0–10).
        case oneToFive
        var range: ClosedRange<Double> { self == .zeroToTen ? 0...10 : 1...5 }
    }

    /// Rows generated (≥ 0).
    public let respondents: Int
    /// Touchpoint (driver) columns generated (≥ 1).
    public let touchpoints: Int
    /// Seed of every random number; the same seed gives the same survey. Default `1`.
    public let seed: UInt64
    /// The outcome generated. Default ``Outcome/linear``.
    public let outcome: Outcome
    /// The rating scale. Default ``Scale/zeroToTen``.
    public let scale: Scale
    /// Probability that any rating is missing (MCAR).
    public let missingRate: Double
    /// The true driver weights βⱼ (per rating point, before the noise).
    public let trueWeights: [Double]
    /// Touchpoint column names.
    public let touchpointNames: [String]

    static let names = ["wifi", "check_in", "billing", "support", "app", "website", "delivery", "price", "staff",
                        "cleanliness", "waiting_time", "communication", "onboarding", "product_quality", "returns",
                        "loyalty_program", "chat", "phone_line", "store", "packaging"]

    /// The most respondents a survey may have: 2⁵³, the largest count every row number and
    /// respondent id holds exactly as a `Double`.
    public static let maximumRespondents = 1 << 53

    /// A survey of `respondents` rows and `touchpoints` rated touchpoints; the true weights are drawn
    /// from `seed` (a few strong drivers, a long tail, every seventh near zero). O(touchpoints).
    ///
    /// - Parameters:
    ///   - respondents: rows, from 0 to ``maximumRespondents``.
    ///   - touchpoints: rated touchpoint columns, at least 1.
    ///   - seed: seed of every random number. Default `1`.
    ///   - outcome: the outcome column generated. Default ``Outcome/linear``.
    ///   - scale: the touchpoints' rating scale. Default ``Scale/zeroToTen``.
    ///   - missingRate: probability that a rating is missing, in `[0, 1)`. Default `0`.
    /// - Throws: ``AnalysisError/invalidOption(option:value:reason:)`` naming `respondents`,
    ///   `touchpoints` or `missingRate` when it is outside its range (never a trap).
    public init(respondents: Int, touchpoints: Int, seed: UInt64 = 1, outcome: Outcome = .linear,
                scale: Scale = .zeroToTen, missingRate: Double = 0) throws {
        guard (0...Self.maximumRespondents).contains(respondents) else {
            throw AnalysisError.invalidOption(option: "respondents", value: "\(respondents)", reason: "a survey has 0 to 2^53 respondents")
        }
        guard touchpoints >= 1 else {
            throw AnalysisError.invalidOption(option: "touchpoints", value: "\(touchpoints)", reason: "a survey needs at least 1 touchpoint")
        }
        guard missingRate >= 0, missingRate < 1 else {
            throw AnalysisError.invalidOption(option: "missingRate", value: "\(missingRate)", reason: "a probability in [0, 1) is needed")
        }
        self.respondents = respondents
        self.touchpoints = touchpoints
        self.seed = seed
        self.outcome = outcome
        self.scale = scale
        self.missingRate = missingRate
        touchpointNames = (0..<touchpoints).map { $0 < Self.names.count ? Self.names[$0] : String(format: "touchpoint_%02d", $0 + 1) }
        // Weights: a few strong drivers, a long tail, a couple near zero (as in real studies).
        let perPoint = scale == .zeroToTen ? 1.0 : 2.5
        trueWeights = (0..<touchpoints).map { j in
            let u = Self.uniform(seed, UInt64(j), 0xBEEF)
            return perPoint * (0.6 / Double(j + 1) + 0.05 * u) * (j % 7 == 6 ? 0.1 : 1)
        }
    }

    /// Column names: `respondent_id`, `region`, the touchpoints, then the outcome.
    public var columnNames: [String] {
        ["respondent_id", "region"] + touchpointNames + [outcome == .linear ? "satisfaction" : "churn"]
    }

    static let regions = ["north", "south", "east", "west"]

    /// Row `i`: region index, ratings (NaN when missing), outcome. Rows `0..<respondents` are
    /// the survey's; any other `i` (negative too) gives a row of the same generator, never a trap.
    ///
    /// - Parameter i: the 0-based row; any integer gives a row.
    public func row(_ i: Int) -> (region: Int, ratings: [Double], outcome: Double) {
        let r = UInt64(bitPattern: Int64(i))
        let g = Self.normal(seed, r, 1)
        let bounds = scale.range
        let spread = (bounds.upperBound - bounds.lowerBound) / 5
        var ratings = [Double](repeating: 0, count: touchpoints)
        var signal = 0.0
        for j in 0..<touchpoints {
            let stream = 16 + UInt64(j) * 4
            let mean = bounds.lowerBound + (bounds.upperBound - bounds.lowerBound) * (0.55 + 0.25 * Self.uniform(seed, UInt64(j), 0xFACE))
            let loading = 0.5 + 0.3 * Self.uniform(seed, UInt64(j), 0xD00D)
            let latent = mean + spread * (loading * g + (1 - loading * loading).squareRoot() * Self.normal(seed, r, stream))
            let rating = min(bounds.upperBound, max(bounds.lowerBound, latent.rounded()))
            signal += trueWeights[j] * (outcome == .linear ? rating : (rating - mean) / spread)
            ratings[j] = missingRate > 0 && Self.uniform(seed, r, stream + 2) < missingRate ? .nan : rating
        }
        let value: Double
        switch outcome {
        case .linear:
            value = ((1 + signal + Self.normal(seed, r, 5) * spread) * 100).rounded() / 100
        case .churn:
            let p = 1 / (1 + exp(-(-1.6 - signal)))
            value = Self.uniform(seed, r, 7) < p ? 1 : 0
        }
        return (Int(Self.uniform(seed, r, 8) * 4), ratings, value)
    }

    /// The whole survey in memory.
    public func generate() -> SurveyData {
        var regions = [Double](repeating: 0, count: respondents)
        var ratings = [[Double]](repeating: [Double](repeating: 0, count: respondents), count: touchpoints)
        var outcomes = [Double](repeating: 0, count: respondents)
        for i in 0..<respondents {
            let row = row(i)
            regions[i] = Double(row.region)
            for j in 0..<touchpoints { ratings[j][i] = row.ratings[j] }
            outcomes[i] = row.outcome
        }
        var columns = [
            SurveyColumn(name: "respondent_id", position: 1, kind: .numeric, values: (0..<respondents).map { Double($0 + 1) }, missingCount: 0),
            SurveyColumn(name: "region", position: 2, kind: .categorical(levels: Self.regions.sorted()),
                         values: regions.map { Double(Self.regions.sorted().firstIndex(of: Self.regions[Int($0)])!) }, missingCount: 0),
        ]
        for j in 0..<touchpoints {
            columns.append(SurveyColumn(name: touchpointNames[j], position: j + 3, kind: .numeric, values: ratings[j],
                                        missingCount: ratings[j].reduce(0) { $1.isNaN ? $0 + 1 : $0 }))
        }
        columns.append(SurveyColumn(
            name: columnNames.last!, position: touchpoints + 3,
            kind: outcome == .churn ? .binary(zero: "0", one: "1") : .numeric, values: outcomes, missingCount: 0))
        return SurveyData(source: "<synthetic seed \(seed)>", columns: columns, rowNumbers: Array(2..<(respondents + 2)))
    }

    /// Writes the survey as CSV, streaming (memory independent of `respondents`).
    /// `includeRegion: false` leaves out the text column (an all-numeric file).
    ///
    /// - Parameters:
    ///   - path: the file to create or overwrite.
    ///   - includeRegion: whether to write the text column `region`; `true` by default.
    /// - Throws: ``SurveyDataError/unreadable(path:reason:)`` when the file cannot be created
    ///   or a write fails (a full disk); a partial regular file is then removed. Not atomic:
    ///   `kda generate` writes through a temporary file and renames it.
    public func writeCSV(to path: String, includeRegion: Bool = true) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw SurveyDataError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        // A partial file is removed on failure — only a regular file, never a device or FIFO.
        var st = stat()
        let regular = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        var isOpen = true
        do {
            try writeCSV(includeRegion: includeRegion) { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw SurveyDataError.unreadable(path: path, reason: String(cString: strerror(errno)))
                    }
                    offset += written
                }
            }
            isOpen = false
            guard close(fd) == 0 else { throw SurveyDataError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        } catch {
            if isOpen { close(fd) }
            if regular { unlink(path) }
            throw error
        }
    }

    /// The survey as CSV bytes, handed to `append` in chunks of about 1 MB (memory independent
    /// of `respondents`); an error thrown by `append` stops the generation.
    ///
    /// - Parameters:
    ///   - includeRegion: whether to write the text column `region`; `true` by default.
    ///   - append: called with each chunk of bytes in order, header first; throwing stops the generation.
    public func writeCSV(includeRegion: Bool = true, _ append: ([UInt8]) throws -> Void) throws {
        var text = columnNames.filter { includeRegion || $0 != "region" }.joined(separator: ",") + "\n"
        func rating(_ v: Double) -> String { v.isNaN ? "" : String(Int(v)) }
        for i in 0..<respondents {
            let row = row(i)
            text += includeRegion ? "\(i + 1),\(Self.regions[row.region])," : "\(i + 1),"
            text += row.ratings.map(rating).joined(separator: ",")
            text += outcome == .linear ? ",\(row.outcome)\n" : ",\(Int(row.outcome))\n"
            if text.utf8.count > 1 << 20 {
                try append(Array(text.utf8))
                text.removeAll(keepingCapacity: true)
            }
        }
        try append(Array(text.utf8))
    }

    // MARK: Counter-based random numbers

    /// SplitMix64 finalizer of `(seed, row, stream)`: the counter-based random numbers used by
    /// the generator, sampled Shapley and the bootstrap.
    package static func hash(_ seed: UInt64, _ row: UInt64, _ stream: UInt64) -> UInt64 {
        var z = seed &* 0x9E37_79B9_7F4A_7C15 &+ row &* 0xD1B5_4A32_D192_ED03 &+ stream &* 0x8CB9_2BA7_2F3D_8DD7
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on [0, 1).
    static func uniform(_ seed: UInt64, _ row: UInt64, _ stream: UInt64) -> Double {
        Double(hash(seed, row, stream) >> 11) * 0x1p-53
    }

    /// Standard normal by Box–Muller from two uniforms of the stream.
    static func normal(_ seed: UInt64, _ row: UInt64, _ stream: UInt64) -> Double {
        let u1 = max(uniform(seed, row, stream), 0x1p-53), u2 = uniform(seed, row, stream &+ 1)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
