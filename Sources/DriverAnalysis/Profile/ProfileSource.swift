import Foundation

/// One export that feeds a customer profile: its data, the column holding the customer id, and
/// what to do with customers who answered more than once.
///
/// The first source given to ``SurveyData/joined(_:options:)`` is the **base** (the CRM): the
/// profile has one row per base customer. Scales are declared in the source's own column names.
public struct ProfileSource: Sendable {
    /// The source's name: the prefix of its columns where their names collide, and the name in
    /// every message and in ``ProfileCoverage``.
    public let name: String
    /// The rows of the export (as read, before any reduction).
    public let data: SurveyData
    /// The column holding the customer id (any spelling: `customerID`, `CustID`, `client`).
    public let key: String
    /// Which answer to keep for a customer on several rows; `nil` refuses repeated keys.
    public var repeated: RepeatedAnswerRule?
    /// Declared rating scales of this source's columns (column names as in this source).
    public var scales: [AnalysisConfiguration.RatingScale]

    /// A source from data already in memory.
    ///
    /// - Parameters:
    ///   - name: the source's name, the prefix of its colliding columns and the name in every message.
    ///   - data: the rows of the export, as read.
    ///   - key: the column holding the customer id.
    ///   - repeated: which answer to keep for a customer on several rows; `nil` (default) refuses repeated
    ///     keys.
    ///   - scales: declared rating scales, in this source's column names; default none.
    public init(name: String, data: SurveyData, key: String, repeated: RepeatedAnswerRule? = nil,
                scales: [AnalysisConfiguration.RatingScale] = []) {
        self.name = name
        self.data = data
        self.key = key
        self.repeated = repeated
        self.scales = scales
    }

    /// Reads a CSV export as a source named `name` (default: the file name without its
    /// extension, ``defaultName(forPath:)``).
    ///
    /// - Parameters:
    ///   - path: the CSV file's path.
    ///   - key: the column holding the customer id.
    ///   - name: the source's name; `nil` (default): the file name without its extension.
    ///   - repeated: which answer to keep for a customer on several rows; `nil` (default) refuses repeated
    ///     keys.
    ///   - scales: declared rating scales, in this source's column names; default none.
    ///   - options: how the file is read; default ``CSVOptions``' defaults.
    /// - Throws: ``ProfileError/sourceData(source:error:)`` wrapping the reader's
    ///   ``SurveyDataError`` (a missing file, a malformed row), so the message names the source.
    /// Complexity: that of ``SurveyData/load(csv:options:)``.
    public static func load(csv path: String, key: String, name: String? = nil, repeated: RepeatedAnswerRule? = nil,
                            scales: [AnalysisConfiguration.RatingScale] = [], options: CSVOptions = .init()) throws -> ProfileSource {
        let name = name ?? defaultName(forPath: path)
        do {
            let data = try SurveyData.load(csv: path, options: options)
            return ProfileSource(name: name, data: data, key: key, repeated: repeated, scales: scales)
        } catch let error as SurveyDataError {
            throw ProfileError.sourceData(source: name, error: error)
        }
    }

    /// The file name without directory and extension: `exports/calls.csv` ↦ `calls`.
    ///
    /// - Parameter path: a file path, relative or absolute.
    public static func defaultName(forPath path: String) -> String {
        let file = URL(fileURLWithPath: path).lastPathComponent
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}

/// How ``SurveyData/joined(_:options:)`` matches keys.
public struct ProfileOptions: Sendable, Equatable, Codable {
    /// Whether `ab12` and `AB12` are one customer.
    public enum KeyCase: String, Sendable, Equatable, Codable, CaseIterable {
        /// Keys match as text exactly (after trimming spaces).
        case sensitive
        /// Keys match ignoring case (Unicode lower-casing); the base's spelling is kept.
        case insensitive
    }

    /// Key matching; default ``KeyCase/sensitive``.
    public var keyCase: KeyCase
    /// How many example keys coverage and conflicts list (default 5).
    public var exampleLimit: Int

    /// Options: keys matched case-sensitively, five examples.
    ///
    /// - Parameters:
    ///   - keyCase: how keys are matched; default ``KeyCase/sensitive``.
    ///   - exampleLimit: how many example keys coverage and conflicts list; default 5.
    public init(keyCase: KeyCase = .sensitive, exampleLimit: Int = 5) {
        self.keyCase = keyCase
        self.exampleLimit = max(0, exampleLimit)
    }
}
