import Foundation

/// How to read a delimited survey export.
public struct CSVOptions: Sendable, Equatable {
    /// Field delimiter; `nil` detects `,`, `;` or tab from the header line (the most frequent
    /// outside quotes; `,` on a tie).
    public var delimiter: Character?
    /// Cells that mean "missing", compared case-insensitively after trimming spaces. The empty
    /// cell is always missing.
    public var missingTokens: [String]
    /// Extra missing-value codes for every column, e.g. `["-99"]`. Numeric codes match
    /// numerically (`-99` matches `-99.0`), others as text.
    public var missingCodes: [String]
    /// Missing-value codes for single columns, e.g. `["Wifi service": ["0"]]` where 0 means
    /// "not applicable".
    public var columnMissingCodes: [String: [String]]
    /// Bytes read per chunk; memory for reading is bounded by about twice this.
    public var chunkSize: Int
    /// The longest record accepted; longer ones are reported as errors (usually an unbalanced quote).
    public var maximumRecordSize: Int
    /// Threads that parse a chunk; results do not depend on it.
    public var threads: Int

    /// The default missing tokens: `NA`, `N/A`, `NaN`, `null` (case-insensitive).
    public static let defaultMissingTokens = ["NA", "N/A", "NaN", "null"]

    /// Reading options. Defaults: detect the delimiter, ``defaultMissingTokens``, no missing codes,
    /// 8 MiB chunks (at least 4 KiB), records up to 64 MiB (at least one chunk), one thread per
    /// active processor (at least 1).
    ///
    /// - Parameters:
    ///   - delimiter: the field delimiter; `nil` (the default) detects `,`, `;` or tab from the header
    ///     line.
    ///   - missingTokens: cells that mean missing, matched case-insensitively after trimming;
    ///     ``defaultMissingTokens`` by default. The empty cell is always missing.
    ///   - missingCodes: extra missing-value codes for every column, e.g. `["-99"]`; numeric codes match
    ///     numerically. None by default.
    ///   - columnMissingCodes: missing-value codes for single columns, by column name; none by default.
    ///   - chunkSize: bytes read per chunk; 8 MiB by default, raised to at least 4 KiB.
    ///   - maximumRecordSize: the longest record accepted, in bytes; 64 MiB by default, raised to at least
    ///     `chunkSize`.
    ///   - threads: threads that parse a chunk; one per active processor by default, at least 1. Results do
    ///     not depend on it.
    public init(
        delimiter: Character? = nil, missingTokens: [String] = CSVOptions.defaultMissingTokens,
        missingCodes: [String] = [], columnMissingCodes: [String: [String]] = [:],
        chunkSize: Int = 8 << 20, maximumRecordSize: Int = 64 << 20,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.delimiter = delimiter
        self.missingTokens = missingTokens
        self.missingCodes = missingCodes
        self.columnMissingCodes = columnMissingCodes
        self.chunkSize = max(1 << 12, chunkSize)
        self.maximumRecordSize = max(self.chunkSize, maximumRecordSize)
        self.threads = max(1, threads)
    }
}
