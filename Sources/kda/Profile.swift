import ArgumentParser
import DriverAnalysis
import Foundation

/// `kda profile --source crm.csv:customerID --source calls.csv:CustID … --output profile.csv`:
/// one customer profile from fragmented exports, its coverage said first.
struct Profile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join CRM and survey exports into one row per customer, and say who is where.",
        discussion: "The first --source is the base (one row per customer of it). Writes PATH and, beside it, PATH with the extension .json (schema kda.profile/1: sources, coverage, scales), which kda analyze PATH reads.")

    @OptionGroup var sources: ProfileSourceOptions
    @Option(help: ArgumentHelp("Rating scale of a source's column SOURCE:COL=LO..HI, e.g. calls:sat=1..5 (repeatable); kept in the sidecar for kda analyze.", valueName: "SOURCE:COL=LO..HI"))
    var scale: [String] = []
    @Option(parsing: .unconditionalSingleValue, help: "Missing-value codes for every source: \"NA,99\", or COL=0,-99 for one column (repeatable).")
    var naValues: [String] = []
    @Option(help: "table (coverage in plain words) or json (the kda.profile/1 document).") var format: String = "table"
    @Option(help: "Write the profile CSV here, and its sidecar beside it (same name, .json). Without it only the coverage is printed.")
    var output: String?

    func run() throws {
        guard ["table", "json"].contains(format) else { throw UsageError(message: "--format must be table or json, not '\(format)'") }
        let names = try sources.specs().map(\.name)
        let declared = try scale.map(Self.scale)
        let (bySource, rest) = ProfileSourceOptions.sourceScales(declared, names: names)
        if let loose = rest.first {
            throw UsageError(message: "--scale \(loose.column)=…: name the source, SOURCE:COL=LO..HI (sources: \(names.joined(separator: ", ")))")
        }
        let inputs = try sources.specs().map(\.path)
        var outputs: [(text: String, path: String?)] = []
        if let output {
            guard ProfileSidecar.path(forData: output) != output else {
                throw UsageError(message: "--output \(output): the profile is CSV and its sidecar is written beside it as .json; give a .csv path")
            }
            outputs = [("", output), ("", ProfileSidecar.path(forData: output))]
            try OutputFile.checkDistinct(outputs.compactMap(\.path))
            for path in outputs.compactMap(\.path) {
                if let identity = FileIdentity(path), let input = inputs.first(where: { FileIdentity($0) == identity }) {
                    throw UsageError(message: "cannot write \(path): it is the input \(input); choose another output path")
                }
            }
        }
        let profile = try sources.profile(scales: bySource, csv: try Analyze.csvOptions(naValues))
        let sidecar = profile.sidecar(dataFile: output ?? "")
        if let output {
            outputs = [(profile.csv(), output), (try sidecar.json(), ProfileSidecar.path(forData: output))]
            try OutputFile.write(outputs, inputs: inputs)
        }
        let report = format == "json" ? try sidecar.json() : Self.summary(profile, output: output)
        try OutputFile.write(report, to: nil)
    }

    /// `SOURCE:COL=LO..HI` (the column part keeps its `SOURCE:` prefix).
    static func scale(_ text: String) throws -> AnalysisConfiguration.RatingScale {
        let (column, range) = try Analyze.assignment(text, option: "--scale", form: "SOURCE:COL=LO..HI")
        let ends = range.components(separatedBy: "..")
        guard ends.count == 2, let lower = Double(ends[0].trimmingCharacters(in: .whitespaces)),
              let upper = Double(ends[1].trimmingCharacters(in: .whitespaces)), lower.isFinite, upper.isFinite, lower < upper else {
            throw UsageError(message: "--scale takes SOURCE:COL=LO..HI with LO < HI, e.g. calls:sat=1..5 (got '\(text)')")
        }
        return .init(column: column, lower: lower, upper: upper)
    }

    /// The terminal report: coverage first, then codings, conflicts, scales and what was written.
    static func summary(_ profile: CustomerProfile, output: String?) -> String {
        var lines = ["Coverage"] + profile.coverage.lines.map { "  " + $0 }
        let recoded = profile.columns.filter { $0.coding != nil }
        if !recoded.isEmpty {
            lines.append("Codings")
            lines += recoded.map { "  \($0.name) (\($0.source)): \($0.coding ?? "")" }
        }
        if !profile.conflicts.isEmpty {
            lines.append("Conflicts (a column the base holds keeps its plain name with the base's values; the others are prefixed)")
            for conflict in profile.conflicts {
                let examples = conflict.examples.map { "\($0.key): \($0.values.joined(separator: " vs "))" }.joined(separator: "; ")
                lines.append("  '\(conflict.column)': \(conflict.sources.joined(separator: " vs ")) differ for \(conflict.customers) customers (\(examples)); kept as \(conflict.columns.joined(separator: " and "))")
            }
        }
        if !profile.scales.isEmpty {
            lines.append("Scales")
            lines += profile.scales.map { "  \($0.column) = \(NumberFormat.significant($0.lower))..\(NumberFormat.significant($0.upper))" }
        }
        let shape = "\(profile.data.rowCount) rows × \(profile.data.columns.count) columns"
        if let output {
            lines.append("Wrote \(output) (\(shape)) and \(ProfileSidecar.path(forData: output))")
        } else {
            lines.append("Profile: \(shape); nothing written (give --output PATH.csv)")
        }
        return lines.map { Escaping.terminal($0) }.joined(separator: "\n") + "\n"
    }
}
