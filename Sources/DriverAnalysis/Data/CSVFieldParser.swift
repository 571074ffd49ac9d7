/// Splits records into fields and classifies every cell as a number, missing, or text.
///
/// RFC 4180: a field that starts with `"` runs to the matching `"` (with `""` standing for
/// one quote) and may contain delimiters and newlines; spaces around fields are trimmed; a
/// trailing `\r` (CRLF files) is dropped; blank records are skipped. Numbers parse exactly as
/// `Double(_:)` (``DecimalParser``).
struct CSVFieldParser: Sendable {
    let path: String
    let delimiter: UInt8
    let columnCount: Int
    /// Lower-cased missing tokens.
    let missingTokens: Set<String>
    /// Per column: numeric missing codes.
    let numericCodes: [[Double]]
    /// Per column: textual missing codes.
    let textCodes: [Set<String>]

    static let quote = UInt8(ascii: "\""), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), cr = UInt8(ascii: "\r")

    /// Parses records `range` of `scan` into a block, or returns the first error.
    func parse(_ buffer: UnsafePointer<UInt8>, scan: CSVRecordScanner.Result, range: Range<Int>) -> Result<CSVBlock, SurveyDataError> {
        var columns = [CSVColumnBlock](repeating: CSVColumnBlock(), count: columnCount)
        for c in 0..<columnCount { columns[c].values.reserveCapacity(range.count) }
        var rows = [Int]()
        rows.reserveCapacity(range.count)
        var unescaped = [UInt8]()
        for r in range {
            let start = scan.starts[r]
            var end = scan.ends[r]
            if end > start && buffer[end - 1] == Self.cr { end -= 1 }
            if isBlank(buffer, start, end) { continue }
            let row = scan.lines[r]
            let index = rows.count
            rows.append(row)
            var pos = start
            for c in 0..<columnCount {
                if pos > end { return .failure(.raggedRow(path: path, row: row, expected: columnCount, found: c)) }
                // Skip leading spaces to find a quote.
                var fieldStart = pos
                while fieldStart < end && buffer[fieldStart] == Self.space { fieldStart += 1 }
                if fieldStart < end && buffer[fieldStart] == Self.quote {
                    var j = fieldStart + 1
                    var closed = false
                    var escaped = false
                    while j < end {
                        if buffer[j] == Self.quote {
                            if j + 1 < end && buffer[j + 1] == Self.quote { escaped = true; j += 2; continue }
                            closed = true
                            break
                        }
                        j += 1
                    }
                    guard closed else { return .failure(.unterminatedQuote(path: path, row: row, column: c + 1)) }
                    var after = j + 1
                    while after < end && buffer[after] == Self.space { after += 1 }
                    guard after == end || buffer[after] == delimiter else {
                        return .failure(.malformedQuote(path: path, row: row, column: c + 1))
                    }
                    let contentStart = fieldStart + 1, contentEnd = j
                    if escaped {
                        unescaped.removeAll(keepingCapacity: true)
                        var k = contentStart
                        while k < contentEnd {
                            unescaped.append(buffer[k])
                            k += buffer[k] == Self.quote ? 2 : 1
                        }
                        let error = unescaped.withUnsafeBufferPointer {
                            classify($0.baseAddress!, 0, $0.count, column: c, row: row, index: index, into: &columns[c])
                        }
                        if let error { return .failure(error) }
                    } else if let error = classify(buffer, contentStart, contentEnd, column: c, row: row, index: index, into: &columns[c]) {
                        return .failure(error)
                    }
                    pos = after + 1
                } else {
                    var j = fieldStart
                    while j < end && buffer[j] != delimiter {
                        if buffer[j] == Self.quote { return .failure(.malformedQuote(path: path, row: row, column: c + 1)) }
                        j += 1
                    }
                    if let error = classify(buffer, fieldStart, j, column: c, row: row, index: index, into: &columns[c]) {
                        return .failure(error)
                    }
                    pos = j + 1
                }
            }
            if pos <= end {
                // More delimiters than the header has: count the fields for the message.
                var extra = 1
                var inQuotes = false
                for k in pos..<end {
                    if buffer[k] == Self.quote { inQuotes.toggle() } else if buffer[k] == delimiter && !inQuotes { extra += 1 }
                }
                return .failure(.raggedRow(path: path, row: row, expected: columnCount, found: columnCount + extra))
            }
        }
        for c in 0..<columnCount { columns[c].padTextCodes() }
        return .success(CSVBlock(rowCount: rows.count, rows: rows, columns: columns))
    }

    @inline(__always)
    func isBlank(_ buffer: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var k = start
        while k < end {
            let b = buffer[k]
            if b != Self.space && b != Self.tab && b != Self.cr { return false }
            k += 1
        }
        return true
    }

    /// What a cell holds, decided once for both readers (the streaming blocks and the whole-file load).
    enum Cell {
        /// A finite number that is not a missing code.
        case number(Double)
        /// Empty, a missing token, a missing code or `NaN`.
        case missing
        /// An infinite number, with its text.
        case nonFinite(String)
        /// Anything else.
        case text(String)
    }

    /// Classifies the cell `bytes[start..<end]`: spaces (and tabs, unless they delimit) around
    /// it are trimmed; numbers parse as `Double(_:)` does (``DecimalParser``).
    @inline(__always)
    func cell(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int, column c: Int) -> Cell {
        var s = start, e = end
        while s < e && (bytes[s] == Self.space || (bytes[s] == Self.tab && delimiter != Self.tab)) { s += 1 }
        while e > s && (bytes[e - 1] == Self.space || (bytes[e - 1] == Self.tab && delimiter != Self.tab)) { e -= 1 }
        if s == e { return .missing }
        let first = bytes[s]
        if first &- 48 < 10 || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") {
            if let value = DecimalParser.parse(bytes + s, count: e - s) {
                if !value.isFinite { return value.isNaN ? .missing : .nonFinite(text(bytes, s, e)) }
                return isMissingCode(value, column: c) ? .missing : .number(value)
            }
        }
        let cell = text(bytes, s, e)
        if missingTokens.contains(cell.lowercased()) || textCodes[c].contains(cell) { return .missing }
        if let value = DecimalParser.parse(cell), !value.isFinite { return .nonFinite(cell) }   // "inf", "-Infinity"
        return .text(cell)
    }

    /// Whether `value` is one of column `c`'s numeric missing codes.
    @inline(__always)
    func isMissingCode(_ value: Double, column c: Int) -> Bool {
        !numericCodes[c].isEmpty && numericCodes[c].contains(value)
    }

    /// Classifies the cell `bytes[start..<end]` and appends it to `column`.
    @inline(__always)
    func classify(
        _ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int, column c: Int, row: Int, index: Int,
        into column: inout CSVColumnBlock
    ) -> SurveyDataError? {
        switch cell(bytes, start, end, column: c) {
        case let .number(value):
            column.values.append(value)
        case .missing:
            column.values.append(.nan)
            column.missingCount += 1
        case let .nonFinite(text):
            if column.firstNonFinite == nil { column.firstNonFinite = (row, text) }
            column.values.append(.nan)
        case let .text(text):
            column.values.append(.nan)
            column.appendText(text, row: row, index: index)
        }
        return nil
    }

    @inline(__always)
    func text(_ bytes: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes + s, count: e - s), as: UTF8.self)
    }
}
