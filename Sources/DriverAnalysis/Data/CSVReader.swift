import Dispatch
import Foundation
import LinearAlgebra

/// Column names of a CSV file.
struct CSVHeader: Sendable {
    let names: [String]
    let isUnnamed: [Bool]
}

/// A streaming reader of delimited survey exports (RFC 4180).
///
/// The file is read in chunks of ``CSVOptions/chunkSize`` bytes; each chunk's complete records
/// are split into ``CSVOptions/threads`` runs parsed in parallel, and handed to the caller in
/// file order. Memory for reading is bounded by about two chunks (plus the longest record),
/// whatever the file size; results do not depend on the thread count or the chunk size.
///
/// Handles CRLF and LF, a UTF-8 byte-order mark, quoted fields with embedded delimiters,
/// quotes and newlines, delimiter detection (`,` `;` tab), blank lines, and empty header cells
/// (named `column_<k>`, flagged ``isUnnamed``).
public struct CSVReader: Sendable {
    /// The path, as given (used in every error message).
    public let path: String
    /// The reading options.
    public let options: CSVOptions
    /// Column names from the header, trimmed; empty cells become `column_<k>` (1-based).
    public private(set) var columnNames: [String] = []
    /// `true` for columns whose header cell was empty.
    public private(set) var isUnnamed: [Bool] = []
    /// The delimiter used (given or detected).
    public private(set) var delimiter: UInt8 = UInt8(ascii: ",")

    /// Test hook: called after each chunk is read with the bytes read so far.
    var afterChunk: (@Sendable (Int) -> Void)? = nil

    /// A reader of the file at `path`; nothing is opened until the file is read.
    ///
    /// - Parameters:
    ///   - path: the file's path, as it should appear in error messages.
    ///   - options: delimiter, missing tokens and codes, chunk and record sizes and threads; the defaults
    ///     of
    ///     ``CSVOptions/init(delimiter:missingTokens:missingCodes:columnMissingCodes:chunkSize:maximumRecordSize:threads:)``.
    public init(path: String, options: CSVOptions = .init()) {
        self.path = path
        self.options = options
    }

    /// Reads the file, calling `body` with consecutive blocks of parsed records (after the
    /// header has been read into ``columnNames``).
    ///
    /// - Throws: ``SurveyDataError`` naming the file, row and column of the first problem.
    mutating func read(_ body: (_ header: CSVHeader, _ block: CSVBlock) throws -> Void) throws {
        let file = try openForReading()
        defer { try? file.handle.close() }
        var state = ReadState(expectedSize: file.expectedSize)
        while true {
            if !state.eof { try readChunk(file.handle, into: &state) }
            try checkStartOfFile(&state)
            let scan = state.buffer.withUnsafeBufferPointer {
                CSVRecordScanner.scan($0.baseAddress!, count: $0.count, firstLine: state.firstLine, isFinal: state.eof)
            }
            if scan.starts.isEmpty {
                if state.eof { break }
                if state.buffer.count > options.maximumRecordSize {
                    throw SurveyDataError.recordTooLong(path: path, row: state.firstLine, limit: options.maximumRecordSize)
                }
                continue
            }
            if state.eof && scan.openQuoteAtEnd { throw unclosedQuoteError(state.buffer, scan: scan) }
            guard let firstRecord = try readHeaderIfNeeded(&state, scan: scan) else { continue }
            try deliver(&state, scan: scan, records: firstRecord..<scan.starts.count, to: body)
            state.buffer.removeFirst(scan.consumed)
            state.firstLine += scan.linesConsumed
            if state.eof { break }
        }
        if state.parser == nil { throw SurveyDataError.emptyFile(path: path) }
        if state.dataRows == 0 { throw SurveyDataError.headerOnly(path: path) }
    }

    /// Splits the records into `threads` runs and parses them concurrently; results in order.
    /// A failed run's error is the earliest in the file, since the runs are in file order.
    func parseInParallel(
        _ buffer: [UInt8], scan: CSVRecordScanner.Result, records: Range<Int>, parser: CSVFieldParser
    ) -> [Result<CSVBlock, SurveyDataError>] {
        let jobs = min(options.threads, max(1, records.count / 2048))
        let size = (records.count + jobs - 1) / jobs
        let ranges = (0..<jobs).map { k in
            (records.lowerBound + k * size)..<min(records.upperBound, records.lowerBound + (k + 1) * size)
        }
        let results = buffer.withUnsafeBufferPointer { bytes in
            let base = UncheckedSendable(bytes.baseAddress!)
            return Parallel.map(jobs) { k in parser.parse(base.value, scan: scan, range: ranges[k]) }
        }
        var ordered: [Result<CSVBlock, SurveyDataError>] = []
        for result in results {
            ordered.append(result)
            if case .failure = result { break }
        }
        return ordered
    }

    /// Reads the header record, detects the delimiter and prepares the field parser.
    mutating func makeParser(_ buffer: [UInt8], start: Int, end: Int, row: Int) throws -> CSVFieldParser {
        var headerEnd = end
        if headerEnd > start && buffer[headerEnd - 1] == UInt8(ascii: "\r") { headerEnd -= 1 }
        let header = Array(buffer[start..<headerEnd])
        // Classic Mac OS line ends (CR only) would make the whole file one header record, read as
        // duplicate or absurd column names: say what the file is instead.
        if let cr = header.firstIndex(of: UInt8(ascii: "\r")), cr + 1 < header.count, header[cr + 1] != UInt8(ascii: "\n"),
           !header.contains(UInt8(ascii: "\n")), !Self.insideQuotes(header, upTo: cr) {
            throw SurveyDataError.unreadable(path: path, reason: "its lines end with a carriage return only (classic Mac OS line ends), so the whole file reads as one header row: convert the line ends to newlines first (e.g. tr '\\r' '\\n' < in.csv > out.csv)")
        }
        if let given = options.delimiter, let ascii = given.asciiValue {
            delimiter = ascii
        } else {
            delimiter = Self.detectDelimiter(header)
        }
        // Parse the header with a one-off parser that treats every cell as text.
        let names = try Self.splitHeader(header, delimiter: delimiter, path: path, row: row)
        // Every column holds a builder per chunk: a header of millions of cells would take
        // gigabytes before the first row (2·10⁶ columns: 1 GB, 51 s). No survey export is that wide.
        guard names.count <= Self.columnLimit else {
            throw SurveyDataError.unreadable(path: path, reason: "its header has \(names.count) columns, beyond the limit of \(Self.columnLimit) (is the delimiter right, or is it a transposed file?)")
        }
        var seen: [String: [Int]] = [:]
        columnNames = []
        isUnnamed = []
        for (k, raw) in names.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            if name.isEmpty {
                columnNames.append("column_\(k + 1)")
                isUnnamed.append(true)
            } else {
                columnNames.append(name)
                isUnnamed.append(false)
            }
            seen[columnNames[k], default: []].append(k + 1)
        }
        if let duplicate = seen.filter({ $0.value.count > 1 }).min(by: { $0.value[0] < $1.value[0] }) {
            throw SurveyDataError.duplicateColumnName(path: path, name: duplicate.key, columns: duplicate.value)
        }
        let lowered = Set(options.missingTokens.map { $0.lowercased() })
        var numeric: [[Double]] = [], text: [Set<String>] = []
        for name in columnNames {
            let codes = options.missingCodes + (options.columnMissingCodes[name] ?? [])
            numeric.append(codes.compactMap { DecimalParser.parse($0.trimmingCharacters(in: .whitespaces)) })
            text.append(Set(codes.filter { DecimalParser.parse($0.trimmingCharacters(in: .whitespaces)) == nil }))
        }
        return CSVFieldParser(path: path, delimiter: delimiter, columnCount: columnNames.count,
                              missingTokens: lowered, numericCodes: numeric, textCodes: text)
    }

    /// "UTF-16" or "UTF-32" when the start of the file has their byte-order mark or the NUL
    /// bytes of ASCII text in a wide encoding; `nil` for UTF-8 (and single-byte) text.
    static func wideEncoding(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xFF, 0xFE, 0, 0]) || bytes.starts(with: [0, 0, 0xFE, 0xFF]) { return "UTF-32" }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return "UTF-16" }
        let head = bytes.prefix(64)
        guard head.count >= 4 else { return nil }
        let zeros = head.filter { $0 == 0 }.count
        return zeros * 3 >= head.count ? (zeros * 4 >= head.count * 3 - 4 ? "UTF-32" : "UTF-16") : nil
    }

    /// The widest header read: 100,000 columns.
    static let columnLimit = 100_000

    /// Whether byte `position` of `bytes` lies inside a quoted field.
    static func insideQuotes(_ bytes: [UInt8], upTo position: Int) -> Bool {
        bytes[..<position].reduce(false) { inside, byte in byte == UInt8(ascii: "\"") ? !inside : inside }
    }

    /// `,`, `;` or tab: whichever occurs most often outside quotes in the header (`,` on ties).
    static func detectDelimiter(_ header: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var inQuotes = false
        for byte in header {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() } else if !inQuotes, counts[byte] != nil { counts[byte]! += 1 }
        }
        let comma = counts[UInt8(ascii: ",")]!, semicolon = counts[UInt8(ascii: ";")]!, tab = counts[UInt8(ascii: "\t")]!
        if semicolon > comma && semicolon >= tab { return UInt8(ascii: ";") }
        if tab > comma && tab > semicolon { return UInt8(ascii: "\t") }
        return UInt8(ascii: ",")
    }

    /// Header cells as text, honouring quotes.
    static func splitHeader(_ header: [UInt8], delimiter: UInt8, path: String, row: Int) throws -> [String] {
        var cells: [String] = []
        var current: [UInt8] = []
        var inQuotes = false
        var i = 0
        while i < header.count {
            let b = header[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < header.count && header[i + 1] == UInt8(ascii: "\"") { current.append(b); i += 1 } else { inQuotes = false }
                } else {
                    current.append(b)
                }
            } else if b == UInt8(ascii: "\"") {
                inQuotes = true
            } else if b == delimiter {
                cells.append(String(decoding: current, as: UTF8.self))
                current.removeAll()
            } else {
                current.append(b)
            }
            i += 1
        }
        if inQuotes { throw SurveyDataError.unterminatedQuote(path: path, row: row, column: cells.count + 1) }
        cells.append(String(decoding: current, as: UTF8.self))
        return cells
    }

    func isBlankRecord(_ buffer: [UInt8], _ start: Int, _ end: Int) -> Bool {
        buffer[start..<end].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
    }

    /// The 1-based column in which the last record's unmatched quote opens, and whether it
    /// opens a quoted field (else it is a stray quote inside an unquoted field).
    func openQuote(_ buffer: [UInt8], from start: Int) -> (column: Int, atFieldStart: Bool) {
        var column = 1
        var inQuotes = false
        var openedAt = 1
        var atFieldStart = true
        var fieldHasText = false
        for byte in buffer[start...] {
            if byte == UInt8(ascii: "\"") {
                if !inQuotes { openedAt = column; atFieldStart = !fieldHasText }
                inQuotes.toggle()
                fieldHasText = true
            } else if byte == delimiter && !inQuotes {
                column += 1
                fieldHasText = false
            } else if byte != UInt8(ascii: " ") && !inQuotes {
                fieldHasText = true
            }
        }
        return (openedAt, atFieldStart)
    }
}
