import Foundation

extension CustomerProfile {
    /// The profile as CSV (RFC 4180, LF line ends), handed to `append` in chunks of about 1 MB.
    ///
    /// Numbers are written in their shortest round-trip form (reading the file back gives the
    /// same `Double`s), Yes/No columns as `Yes`/`No`, text as it was read (quoted where it holds
    /// a comma, a quote or a line break — never altered: the profile is data, read back by `kda`),
    /// missing cells empty. O(rows × columns).
    ///
    /// - Parameter append: receives the UTF-8 bytes in order, header row first; an error it throws stops the
    ///   writing and is rethrown.
    public func writeCSV(_ append: ([UInt8]) throws -> Void) throws {
        var text = data.columnNames.map(Escaping.csvQuoted).joined(separator: ",") + "\n"
        for i in 0..<data.rowCount {
            text += data.columns.map { $0.cellText(i).map(Escaping.csvQuoted) ?? "" }.joined(separator: ",")
            text += "\n"
            if text.utf8.count > 1 << 20 {
                try append(Array(text.utf8))
                text.removeAll(keepingCapacity: true)
            }
        }
        try append(Array(text.utf8))
    }

    /// The whole profile as CSV text (see ``writeCSV(_:)``). O(rows × columns).
    public func csv() -> String {
        var bytes: [UInt8] = []
        try? writeCSV { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The sidecar document describing a profile written to `dataFile` (its file name is kept).
    ///
    /// - Parameter dataFile: the path or name of the profile's data file; only its file name is recorded.
    public func sidecar(dataFile: String) -> ProfileSidecar {
        ProfileSidecar(data: URL(fileURLWithPath: dataFile).lastPathComponent, key: key, keyCase: keyCase, columns: columns,
                       scales: scales, coverage: coverage, conflicts: conflicts)
    }
}

/// What `kda profile` writes next to a profile (`profile.csv` ↦ `profile.json`): schema
/// `kda.profile/1`, the data file's name, key, column provenance, declared scales, coverage and
/// conflicts — so `kda analyze profile.csv` needs no repeated `--scale`.
public struct ProfileSidecar: Sendable, Equatable, Codable {
    /// The schema name of this document.
    public static let schemaName = "kda.profile/1"

    /// Always ``schemaName``.
    public let schema: String
    /// The profile data file's name (no directory).
    public let data: String
    /// The key column.
    public let key: String
    /// How keys were matched.
    public let keyCase: ProfileOptions.KeyCase
    /// Where each column came from.
    public let columns: [ProfileColumn]
    /// Declared rating scales, in profile column names.
    public let scales: [AnalysisConfiguration.RatingScale]
    /// Customers per source, matches and repeats.
    public let coverage: ProfileCoverage
    /// Disagreements between sources.
    public let conflicts: [ProfileConflict]

    enum CodingKeys: String, CodingKey {
        case schema, data, key, columns, scales, coverage, conflicts
        case keyCase = "key_case"
    }

    /// A sidecar for the profile file named `data`.
    ///
    /// - Parameters:
    ///   - data: the profile data file's name (no directory).
    ///   - key: the key column.
    ///   - keyCase: how keys were matched.
    ///   - columns: where each column came from.
    ///   - scales: declared rating scales, in profile column names.
    ///   - coverage: customers per source, matches and repeats.
    ///   - conflicts: disagreements between sources.
    public init(data: String, key: String, keyCase: ProfileOptions.KeyCase, columns: [ProfileColumn],
                scales: [AnalysisConfiguration.RatingScale], coverage: ProfileCoverage, conflicts: [ProfileConflict]) {
        self.schema = Self.schemaName
        self.data = data
        self.key = key
        self.keyCase = keyCase
        self.columns = columns
        self.scales = scales
        self.coverage = coverage
        self.conflicts = conflicts
    }

    /// Pretty-printed JSON with sorted keys (byte-stable). O(size of the document).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// The sidecar path of a profile file: the same path with the extension `.json`
    /// (`out/profile.csv` ↦ `out/profile.json`).
    ///
    /// - Parameter path: the profile file's path.
    public static func path(forData path: String) -> String {
        let fileStart = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        if let dot = path[fileStart...].lastIndex(of: "."), dot > fileStart { return path[..<dot] + ".json" }
        return path + ".json"
    }

    /// The sidecar beside the profile file at `dataPath`, when there is one that describes it
    /// (schema ``schemaName`` and the same data file name); `nil` otherwise — any other JSON
    /// there (a report) is not a sidecar.
    ///
    /// - Parameter dataPath: the profile file's path.
    public static func find(forData dataPath: String) -> ProfileSidecar? {
        let path = path(forData: dataPath)
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let bytes = try? handle.read(upToCount: 64 << 20),
              let sidecar = try? JSONDecoder().decode(ProfileSidecar.self, from: bytes),
              sidecar.schema == schemaName, sidecar.data == URL(fileURLWithPath: dataPath).lastPathComponent else { return nil }
        return sidecar
    }
}
