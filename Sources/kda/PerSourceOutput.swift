import DriverAnalysis
import Foundation

/// The output of `kda analyze --fragments per-source`: one report section per source (table,
/// Markdown) or one JSON document (`kda.per_source/1`) with a `per_source` array.
enum PerSourceOutput {
    /// The formats a per-source analysis is written in.
    static let formats = ["table", "markdown", "json"]

    /// The heading of a source's section: its customers and the model's count.
    static func heading(_ analysis: SourceAnalysis) -> String {
        "Source \(analysis.source): \(analysis.customers) base customers answered it; the model rests on n = \(analysis.report.model.observationCount) (drivers: \(analysis.drivers.joined(separator: ", ")))"
    }

    /// The whole output in `format` (one of ``formats``).
    static func render(_ analyses: [SourceAnalysis], choice: FragmentChoice, format: String, coverage: ProfileCoverage?) -> String {
        switch format {
        case "json":
            let sections: [JSONValue] = analyses.map { analysis in
                .object([("source", .string(analysis.source)), ("customers", .number(Double(analysis.customers))),
                         ("drivers", .array(analysis.drivers.map { .string($0) })), ("report", analysis.report.json)])
            }
            var fields: [(String, JSONValue)] = [("schema", .string("kda.per_source/1")), ("fragments", fragmentsJSON(choice)),
                                                 ("per_source", .array(sections))]
            if case let .object(withCoverage) = Analyze.withCoverage(.object([("warnings", .null)]), coverage),
               let value = withCoverage.first(where: { $0.0 == "coverage" })?.1 {
                fields.append(("coverage", value))
            }
            return JSONValue.object(fields).rendered() + "\n"
        case "markdown":
            return analyses.map { "## \(Escaping.markdown(heading($0)))\n\n" + $0.report.markdown() }.joined(separator: "\n")
        default:
            let rule = String(repeating: "=", count: 80)
            return analyses.map { "\(rule)\n\(Escaping.terminal(heading($0)))\n\(rule)\n" + $0.report.table() }.joined(separator: "\n")
        }
    }

    static func fragmentsJSON(_ choice: FragmentChoice) -> JSONValue {
        .object([("strategy", .string(choice.strategy.rawValue)), ("by_default", .bool(choice.byDefault)),
                 ("sources", .array(choice.sources.map { .string($0) })), ("customers_in_all", .number(Double(choice.customersInAll))),
                 ("base_customers", .number(Double(choice.baseCustomers))), ("note", .string(choice.note.message))])
    }
}
