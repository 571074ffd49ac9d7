/// One source's model in a per-source analysis of a customer profile
/// (``CustomerProfile/analyzePerSource(_:)``): the base's columns and this source's, on the
/// customers who answered this source.
public struct SourceAnalysis: Sendable, Codable {
    /// The source's name.
    public let source: String
    /// Base customers who answered the source (at least one of its columns non-missing; for the
    /// base, every customer). The model's own count, after rows missing the outcome or a driver
    /// are left out, is `report.model.observationCount`.
    public let customers: Int
    /// The drivers of this model: the analysis's drivers held by the base (and the outcome's
    /// source) or by this source.
    public let drivers: [String]
    /// The analysis, with a `per_source_model` note naming its customers and the drivers left to other sources.
    public let report: DriverReport

    /// A source's analysis from its parts (as ``CustomerProfile/analyzePerSource(_:)`` builds it).
    ///
    /// - Parameters:
    ///   - source: the source's name.
    ///   - customers: base customers who answered the source.
    ///   - drivers: the drivers of this source's model.
    ///   - report: the model's analysis.
    public init(source: String, customers: Int, drivers: [String], report: DriverReport) {
        self.source = source
        self.customers = customers
        self.drivers = drivers
        self.report = report
    }
}
