import ArgumentParser
import DriverAnalysis
import Foundation

/// `kda analyze --engine COMMAND`: the options checked, the engine started, then the analysis of
/// `--table` (or of the `--source` profile joined in the engine) inside it.
extension Analyze {
    /// The analysis inside the engine `command`, with the profile's coverage for `--source`.
    func engineAnalysis(_ command: String, _ configuration: AnalysisConfiguration) throws -> (Outcome, ProfileCoverage?) {
        guard file == nil, fromMoments == nil, fromCorrelation == nil else {
            throw UsageError(message: "give one input: FILE, --engine, --from-moments or --from-correlation")
        }
        guard profileSources.source.isEmpty != (table == nil) else {
            throw UsageError(message: table == nil ? "--engine needs --table, the table or view holding the survey (or --source TABLE:KEY… to join a profile in the engine)"
                                                   : "give --table or --source TABLE:KEY…, not both: the sources' join is the table")
        }
        guard let drivers = configuration.drivers, !drivers.isEmpty else {
            throw UsageError(message: "--engine needs the drivers named (--drivers or --driver): the engine's columns are not typed here")
        }
        guard configuration.model != .ordinal else {
            throw UsageError(message: "--engine fits linear and logistic models; ordinal models in the engine are not available yet (use FILE)")
        }
        let connection = try engineConnection(command)
        if let rowKey, rowKey.isEmpty { throw UsageError(message: "--row-key needs a column name") }
        if configuration.bootstrap > 0 && rowKey == nil && !SQLDialect.rowidDialects.contains(connection.dialect) {
            throw UsageError(message: EngineError.needsRowKey(dialect: connection.dialect.rawValue).description)
        }
        try EngineParity.refuseUnsupported(self, model: configuration.model)
        if let table {
            let report = try KeyDriverAnalysis.analyze(engine: connection, table: try connection.dialect.tableReference(table), configuration, rowKey: rowKey,
                                                       missing: try Self.csvOptions(naValues))
            return (.report(report), nil)
        }
        let (report, coverage) = try engineProfileAnalysis(connection, configuration, rowKey: rowKey)
        return (.report(report), coverage)
    }

    /// The engine `command` with `--engine-timeout` and `--dialect` checked (an engine that
    /// cannot be started is a usage error).
    func engineConnection(_ command: String) throws -> SQLEngine {
        guard engineTimeout.isFinite, engineTimeout > 0 else { throw UsageError(message: "--engine-timeout must be a positive number of seconds") }
        var sqlDialect: SQLDialect? = nil
        if let dialect {
            guard let parsed = SQLDialect(rawValue: dialect) else {
                throw UsageError(message: "--dialect must be duckdb, spark, sqlite or bigquery, not '\(dialect)'")
            }
            sqlDialect = parsed
        }
        do { return try SQLEngine(command: command, dialect: sqlDialect, timeout: engineTimeout) } catch let error as EngineError {
            throw UsageError(message: error.description)
        }
    }
}
