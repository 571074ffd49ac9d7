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
        let names = drivers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty else { throw UsageError(message: "--drivers needs at least one column") }
        print(MomentsSQL.query(table: table, variables: names + [outcome], weight: weight, dialect: sqlDialect))
    }
}
