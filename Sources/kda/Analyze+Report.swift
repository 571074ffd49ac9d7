import DriverAnalysis
import Foundation

/// The report of `kda analyze` written: rendered in `--format` to `--output` (standard output
/// without it), the charts to `--chart`.
extension Analyze {
    /// Renders `report` in `--format` (JSON with the profile's coverage) and writes it, with the
    /// charts when asked for, refusing to write over an input.
    func writeReport(_ report: DriverReport, coverage: ProfileCoverage?, inputs: [String]) throws {
        let text: String
        switch format {
        case "json": text = Self.withCoverage(report.json, coverage).rendered() + "\n"
        case "csv": text = report.csv()
        case "markdown": text = report.markdown()
        case "html": text = report.html()
        default: text = report.table()
        }
        var outputs: [(text: String, path: String?)] = [(text, output)]
        if let chart { outputs.append((PriorityChart.svg(report), chart)) }
        try OutputFile.write(outputs, inputs: inputs)
    }
}
