import ArgumentParser
import DriverAnalysis

/// `kda sql`: the warehouse SQL that computes Moments where the data lives.
struct SQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql", abstract: "Print the SQL that computes the moments in a warehouse (then use analyze --from-moments).")

    @Option(help: "Table name (qualified as your engine wants).") var table: String
    @Option(help: "Outcome column.") var outcome: String
    @Option(help: "Driver columns, comma-separated.") var drivers: String
    @Option(help: "Weight column.") var weight: String?
    @Option(help: "duckdb, spark, sqlite or bigquery.") var dialect: String = "duckdb"

    func run() throws {
        guard let sqlDialect = SQLDialect(rawValue: dialect) else {
            throw UsageError(message: "--dialect must be duckdb, spark, sqlite or bigquery, not '\(dialect)'")
        }
        let names = try Analyze.list(drivers, option: "--drivers")
        guard !names.isEmpty else { throw UsageError(message: "--drivers needs at least one column") }
        guard names.count <= 1_000 else {
            throw UsageError(message: "\(names.count) drivers need \(names.count * (names.count + 1) / 2) cross-product columns; the limit is 1,000 drivers")
        }
        try Analyze.checkRoles(outcome: outcome, drivers: names, controls: [], weight: weight, segment: nil, groups: [])
        try StandardStreams.writeOutput(MomentsSQL.query(table: try sqlDialect.tableReference(table), variables: names + [outcome], weight: weight, dialect: sqlDialect) + "\n")
    }
}
