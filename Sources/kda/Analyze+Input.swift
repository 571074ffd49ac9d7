import ArgumentParser
import DriverAnalysis
import Foundation

/// The inputs of `kda analyze`: the files checked before the analysis, and the one input given —
/// a profile joined from `--source` exports, an `--engine` table or profile, `--from-moments`,
/// `--from-correlation`, or FILE — analysed.
extension Analyze {
    /// The input files (FILE, `--from-moments`, `--from-correlation`, the `--source` exports),
    /// each checked, after refusing an output (`--output`, `--chart`) that is one of them — before
    /// the (possibly long) analysis.
    func checkedInputs() throws -> [String] {
        let inputs = [file, fromMoments, fromCorrelation].compactMap { $0 } + (try profileSources.source.map { try ProfileSourceOptions.spec($0).path })
        for input in inputs { try InputFile.check(input) }
        // Refuse an output onto an input before the (possibly long) analysis.
        try OutputFile.checkDistinct([output, chart].compactMap { $0 })
        for path in [output, chart].compactMap({ $0 }) {
            if let identity = FileIdentity(path), let input = inputs.first(where: { FileIdentity($0) == identity }) {
                throw UsageError(message: "cannot write \(path): it is the input \(input); choose another output path")
            }
        }
        return inputs
    }

    /// The analysis of the input given, and the profile coverage to report with it (a profile's,
    /// or `nil`).
    func analysis(_ configuration: AnalysisConfiguration, sidecar: ProfileSidecar?, progress: ProgressLine) throws -> (Outcome, ProfileCoverage?) {
        if !profileSources.source.isEmpty && engine == nil {
            let (outcome, coverage) = try profiledAnalysis(configuration, options: try Self.csvOptions(naValues), progress: progress)
            return (outcome, coverage)
        } else if let engine {
            return try engineAnalysis(engine, configuration)
        } else if let fromMoments {
            guard file == nil, fromCorrelation == nil else { throw UsageError(message: "give one input: FILE, --from-moments or --from-correlation") }
            let text = try InputFile.text(fromMoments)
            return (.report(try KeyDriverAnalysis.analyze(moments: MomentsSQL.moments(fromCSV: text), configuration)), nil)
        } else if let fromCorrelation {
            return (.report(try correlationAnalysis(fromCorrelation, configuration)), nil)
        }
        guard let file else { throw UsageError(message: "missing FILE (or --source PATH:KEY…, --from-moments, --from-correlation)") }
        return (try fileAnalysis(file, configuration, sidecar: sidecar, progress: progress), sidecar?.coverage)
    }

    /// `--from-correlation PATH --n N`: the analysis of a correlation or covariance matrix.
    func correlationAnalysis(_ path: String, _ configuration: AnalysisConfiguration) throws -> DriverReport {
        guard file == nil else { throw UsageError(message: "give one input: FILE, --from-moments or --from-correlation") }
        guard let n else { throw UsageError(message: "--from-correlation needs --n, the number of respondents") }
        let table = try SurveyData.load(csv: path)
        let (matrix, names) = try CorrelationInput.matrix(table, path: path)
        try Budget.check(driverCount: names.count - 1, configuration)
        return try KeyDriverAnalysis.analyze(correlation: matrix, names: names, observations: n, configuration)
    }
}
