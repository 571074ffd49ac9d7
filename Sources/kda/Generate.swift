import ArgumentParser
import DriverAnalysis

/// `kda generate`: a synthetic survey with known driver weights, written as CSV.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a synthetic CX survey with known driver weights.")

    @Option(help: "Number of respondents (rows).") var respondents: Int
    @Option(help: "Number of touchpoint ratings (drivers).") var touchpoints: Int
    @Option(help: "Random seed; the same seed gives the same file.") var seed: UInt64 = 1
    @Option(help: "Outcome column: linear (satisfaction) or churn (0/1).") var outcome: SyntheticSurvey.Outcome = .linear
    @Option(help: "Share of ratings left missing at random (0–1).") var missingRate: Double = 0
    @Option(help: "Rating scale: 10 (0–10) or 5 (1–5).") var scaleMax: Int = 10
    @Option(help: "Output CSV path.") var output: String

    /// The most rows `generate` writes in one file.
    static let respondentLimit = 1_000_000_000

    func validate() throws {
        guard respondents > 0 else { throw ValidationError("--respondents must be positive") }
        // About 60 bytes a row per 10 touchpoints: 10⁹ rows are tens of GB already.
        guard respondents <= Self.respondentLimit else {
            throw ValidationError("--respondents must be at most \(Self.respondentLimit) (a larger file would fill the disk); generate several files for more")
        }
        guard touchpoints > 0 else { throw ValidationError("--touchpoints must be positive") }
        guard touchpoints <= Budget.drivers else { throw ValidationError("--touchpoints must be at most \(Budget.drivers)") }
        guard missingRate >= 0, missingRate < 1 else { throw ValidationError("--missing-rate must be in [0, 1)") }
        guard scaleMax == 10 || scaleMax == 5 else { throw ValidationError("--scale-max must be 10 or 5") }
    }

    func run() throws {
        let survey = try SyntheticSurvey(respondents: respondents, touchpoints: touchpoints, seed: seed, outcome: outcome,
                                     scale: scaleMax == 10 ? .zeroToTen : .oneToFive, missingRate: missingRate)
        // The same writer as every report: a temporary file renamed into place when complete,
        // so an interrupted run or a full disk never leaves a CSV cut mid-number.
        try OutputFile.stream(to: output) { append in try survey.writeCSV(append) }
    }
}

extension SyntheticSurvey.Outcome: ExpressibleByArgument {}
