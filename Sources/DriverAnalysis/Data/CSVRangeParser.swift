#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one range of a whole-file load learned about a column, besides the values it wrote.
struct CSVColumnTally: Sendable {
    var missingCount = 0
    var textCount = 0
    /// First text cell: (row, text).
    var firstText: (row: Int, value: String)? = nil
    /// First infinite number: (row, text).
    var firstNonFinite: (row: Int, value: String)? = nil
    /// Distinct texts of the range, in order of first appearance.
    var levels = TextLevels()
    /// Per record of the range, the code of its text in `levels` (−1: not text); allocated on
    /// the first text cell.
    var textCodes: [Int32]? = nil
    /// The last few distinct cells that were text or missing, with their code (−1: missing), so
    /// a repeated label (`west`, `NA`) is recognised by comparing bytes, without a `String`.
    var recentBytes: [[UInt8]] = []
    var recentCodes: [Int32] = []

    static let recentLimit = 8

    /// Caches the code of the cell `bytes[s..<e]` while the cache has room.
    mutating func remember(_ bytes: UnsafePointer<UInt8>, _ s: Int, _ e: Int, code: Int32) {
        guard recentBytes.count < Self.recentLimit else { return }
        recentBytes.append(Array(UnsafeBufferPointer(start: bytes + s, count: e - s)))
        recentCodes.append(code)
    }

    /// The cached code of the cell `bytes[s..<e]`, if it was seen recently.
    @inline(__always)
    func recentCode(_ bytes: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int32? {
        for (k, key) in recentBytes.enumerated() where key.count == e - s {
            if key.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes + s, e - s) == 0 }) { return recentCodes[k] }
        }
        return nil
    }
}

/// The records of one range of a whole-file load: how many, and what each column learned.
struct CSVRangeTally: Sendable {
    var rowCount = 0
    var columns: [CSVColumnTally]
}

/// Parses the records that start in one byte range of a CSV file held in memory, writing each
/// number straight into its column's buffer (no per-cell allocation) and each row number into
/// the row buffer.
///
/// The dialect and the errors are those of ``CSVFieldParser`` (whose ``CSVFieldParser/cell(_:_:_:column:)``
/// classifies every cell that is not a plain number): a numeric cell is read in place with
/// ``DecimalParser/fastPrefix(_:count:)`` and accepted when the number runs exactly to the
/// delimiter or the end of the record; anything else takes the general path.
struct CSVRangeParser {
    let fields: CSVFieldParser

    static let quote = UInt8(ascii: "\""), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"),
               cr = UInt8(ascii: "\r"), newline = UInt8(ascii: "\n")

    /// Parses the records starting in `range` of `bytes[0..<end]`; `bytes[end]` must be a NUL
    /// sentinel (numbers are read up to the first non-digit without bounds checks).
    ///
    /// - Parameters:
    ///   - startsInQuotes: the quote parity before `range` is odd: the range begins inside a
    ///     quoted field of a record that an earlier range parses, so skip to that record's end.
    ///   - firstLine: 1-based line number at `range.lowerBound`.
    ///   - values: per column, where record `i` of the range goes (`values[c][i]`); room for
    ///     at least as many records as the range has newlines (+1 for the last range).
    ///   - rows: where record `i`'s row number goes.
    func parse(
        _ bytes: UnsafePointer<UInt8>, end: Int, range: Range<Int>, startsInQuotes: Bool, firstLine: Int,
        values: UnsafeBufferPointer<UnsafeMutablePointer<Double>>, rows: UnsafeMutablePointer<Int>, capacity: Int
    ) -> Result<CSVRangeTally, SurveyDataError> {
        let columnCount = fields.columnCount, delimiter = fields.delimiter
        var tally = CSVRangeTally(columns: [CSVColumnTally](repeating: CSVColumnTally(), count: columnCount))
        var pos = range.lowerBound, line = firstLine
        if startsInQuotes {
            var inQuotes = true
            while pos < end {
                let b = bytes[pos]
                pos += 1
                if b == Self.quote { inQuotes.toggle() } else if b == Self.newline { line += 1; if !inQuotes { break } }
            }
        }
        let hasCodes = (0..<columnCount).map { !fields.numericCodes[$0].isEmpty }
        let anyCodes = hasCodes.contains(true)
        let powers = DecimalParser.powersOfTen
        var scratch = [UInt8]()
        var n = 0
        while pos < range.upperBound {
            // Blank records (spaces, tabs, a CR) are skipped.
            var q = pos
            while q < end && (bytes[q] == Self.space || bytes[q] == Self.tab || bytes[q] == Self.cr) { q += 1 }
            if q == end { break }
            if bytes[q] == Self.newline { pos = q + 1; line += 1; continue }
            let row = line
            rows[n] = row
            var p = pos
            for c in 0..<columnCount {
                let last = c == columnCount - 1
                // Plain numbers: read in place, accepted when they end exactly at the field's end.
                if let (value, length) = powers.withUnsafeBufferPointer({ DecimalParser.plainPrefix(bytes + p, powers: $0.baseAddress!) })
                    ?? (p < end ? DecimalParser.fastPrefix(bytes + p, count: end - p) : nil) {
                    let t = p + length
                    if !last {
                        if t < end && bytes[t] == delimiter, !anyCodes || !hasCodes[c] || !fields.isMissingCode(value, column: c) {
                            values[c][n] = value
                            p = t + 1
                            continue
                        }
                    } else if let recordEnd = Self.recordEnd(bytes, t, end), !anyCodes || !hasCodes[c] || !fields.isMissingCode(value, column: c) {
                        values[c][n] = value
                        p = recordEnd
                        continue
                    }
                }
                let field: Field
                switch general(bytes, end: end, at: p, column: c, row: row, line: &line, scratch: &scratch) {
                case let .success(f): field = f
                case let .failure(error): return .failure(error)
                }
                values[c][n] = field.escaped
                    ? scratch.withUnsafeBufferPointer {
                        store($0.baseAddress!, 0, $0.count, column: c, row: row, index: n, capacity: capacity, into: &tally.columns[c])
                    }
                    : store(bytes, field.contentStart, field.contentEnd, column: c, row: row, index: n, capacity: capacity,
                            into: &tally.columns[c])
                if field.endsRecord {
                    if !last { return .failure(.raggedRow(path: fields.path, row: row, expected: columnCount, found: c + 1)) }
                    p = field.next
                } else if last {
                    return .failure(.raggedRow(path: fields.path, row: row, expected: columnCount,
                                               found: columnCount + extraFields(bytes, end: end, from: field.next)))
                } else {
                    p = field.next
                }
            }
            // p is at the record's newline (or the end of the data).
            n += 1
            if p < end { line += 1 }
            pos = p + 1
        }
        tally.rowCount = n
        for c in 0..<columnCount where tally.columns[c].textCodes != nil {
            tally.columns[c].textCodes!.removeLast(tally.columns[c].textCodes!.count - n)
        }
        return .success(tally)
    }

    /// A field read by the general path.
    struct Field {
        /// The content (inside the quotes, if quoted); with `escaped`, it is in the scratch buffer
        /// with doubled quotes undone.
        var contentStart: Int
        var contentEnd: Int
        var escaped = false
        /// After a delimiter: the next field's start; at the record's end: its newline (or the end).
        var next: Int
        var endsRecord: Bool
    }

    /// Where the record ends if it ends at `t` (an optional CR, then a newline or the end of the
    /// data): the index of the newline (or `end`).
    @inline(__always)
    static func recordEnd(_ bytes: UnsafePointer<UInt8>, _ t: Int, _ end: Int) -> Int? {
        if t == end || bytes[t] == newline { return t }
        if bytes[t] == cr && (t + 1 == end || bytes[t + 1] == newline) { return t + 1 }
        return nil
    }

    /// Reads the field at `p`: quoted (RFC 4180, may span lines) or not; spaces around it allowed.
    func general(
        _ bytes: UnsafePointer<UInt8>, end: Int, at p: Int, column c: Int, row: Int, line: inout Int,
        scratch: inout [UInt8]
    ) -> Result<Field, SurveyDataError> {
        var fieldStart = p
        while fieldStart < end && bytes[fieldStart] == Self.space { fieldStart += 1 }
        if fieldStart < end && bytes[fieldStart] == Self.quote {
            var j = fieldStart + 1
            var escaped = false
            var newlines = 0
            while true {
                guard j < end else { return .failure(.unterminatedQuote(path: fields.path, row: row, column: c + 1)) }
                let b = bytes[j]
                if b == Self.quote {
                    if j + 1 < end && bytes[j + 1] == Self.quote { escaped = true; j += 2; continue }
                    break
                }
                if b == Self.newline { newlines += 1 }
                j += 1
            }
            var after = j + 1
            while after < end && bytes[after] == Self.space { after += 1 }
            let next: Int, endsRecord: Bool
            if let recordEnd = Self.recordEnd(bytes, after, end) {
                next = recordEnd
                endsRecord = true
            } else if bytes[after] == fields.delimiter {
                next = after + 1
                endsRecord = false
            } else {
                return .failure(.malformedQuote(path: fields.path, row: row, column: c + 1))
            }
            line += newlines
            if escaped {
                scratch.removeAll(keepingCapacity: true)
                var k = fieldStart + 1
                while k < j {
                    scratch.append(bytes[k])
                    k += bytes[k] == Self.quote ? 2 : 1
                }
            }
            return .success(Field(contentStart: fieldStart + 1, contentEnd: j, escaped: escaped, next: next, endsRecord: endsRecord))
        }
        var j = fieldStart
        let delimiter = fields.delimiter
        while true {
            if let recordEnd = Self.recordEnd(bytes, j, end) {
                return .success(Field(contentStart: fieldStart, contentEnd: j, next: recordEnd, endsRecord: true))
            }
            let b = bytes[j]
            if b == delimiter {
                return .success(Field(contentStart: fieldStart, contentEnd: j, next: j + 1, endsRecord: false))
            }
            if b == Self.quote { return .failure(.malformedQuote(path: fields.path, row: row, column: c + 1)) }
            j += 1
        }
    }

    /// Classifies the cell `bytes[s..<e]` (a repeated text or missing cell from the column's
    /// cache), records it in `column` and returns the value to write.
    @inline(__always)
    func store(_ bytes: UnsafePointer<UInt8>, _ s: Int, _ e: Int, column c: Int, row: Int, index: Int, capacity: Int,
               into column: inout CSVColumnTally) -> Double {
        if let code = column.recentCode(bytes, s, e) {
            if code < 0 { column.missingCount += 1 } else { column.textCodes![index] = code; column.textCount += 1 }
            return .nan
        }
        switch fields.cell(bytes, s, e, column: c) {
        case let .number(value):
            return value
        case .missing:
            column.missingCount += 1
            column.remember(bytes, s, e, code: -1)
        case let .nonFinite(text):
            if column.firstNonFinite == nil { column.firstNonFinite = (row, text) }
        case let .text(text):
            if column.textCodes == nil { column.textCodes = [Int32](repeating: -1, count: capacity) }
            let code = column.levels.code(for: text)
            column.textCodes![index] = code
            column.textCount += 1
            if column.firstText == nil { column.firstText = (row, text) }
            column.remember(bytes, s, e, code: code)
        }
        return .nan
    }

    /// Fields after the last expected one (`from` is just past its delimiter), for the message.
    func extraFields(_ bytes: UnsafePointer<UInt8>, end: Int, from: Int) -> Int {
        var extra = 1
        var inQuotes = false
        var k = from
        while k < end && (inQuotes || bytes[k] != Self.newline) {
            if bytes[k] == Self.quote { inQuotes.toggle() } else if bytes[k] == fields.delimiter && !inQuotes { extra += 1 }
            k += 1
        }
        return extra
    }
}
