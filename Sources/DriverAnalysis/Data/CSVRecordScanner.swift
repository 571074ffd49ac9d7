/// Finds record boundaries in a buffer of CSV bytes.
///
/// A newline ends a record unless it is inside quotes. Quote state toggles on every `"`:
/// in RFC 4180 data, quotes inside a quoted field come doubled (`""`), so their toggles cancel.
/// The loop looks at each byte once, which is why quotes inside *unquoted* fields are reported
/// as errors by the field parser rather than tolerated.
enum CSVRecordScanner {
    struct Result {
        /// Start offset of each complete record (blank records included; the parser skips them).
        var starts: [Int] = []
        /// End offset (exclusive, before `\n`) of each record.
        var ends: [Int] = []
        /// 1-based line number where each record starts.
        var lines: [Int] = []
        /// Offset of the first byte not consumed (start of an incomplete last record).
        var consumed = 0
        /// Lines consumed (newlines seen before `consumed`).
        var linesConsumed = 0
        /// The last record is still inside quotes at the end of the data.
        var openQuoteAtEnd = false
    }

    /// Scans `buffer[0..<count]`. With `isFinal`, a trailing record without newline is complete.
    static func scan(_ buffer: UnsafePointer<UInt8>, count: Int, firstLine: Int, isFinal: Bool) -> Result {
        var result = Result()
        result.starts.reserveCapacity(count / 64)
        result.ends.reserveCapacity(count / 64)
        result.lines.reserveCapacity(count / 64)
        var inQuotes = false
        var recordStart = 0
        var line = firstLine
        var recordLine = firstLine
        var i = 0
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
        while i < count {
            let byte = buffer[i]
            if byte == quote {
                inQuotes.toggle()
            } else if byte == newline {
                line += 1
                if !inQuotes {
                    result.starts.append(recordStart)
                    result.ends.append(i)
                    result.lines.append(recordLine)
                    recordStart = i + 1
                    recordLine = line
                }
            }
            i += 1
        }
        if isFinal && recordStart < count {
            result.starts.append(recordStart)
            result.ends.append(count)
            result.lines.append(recordLine)
            result.openQuoteAtEnd = inQuotes
            result.consumed = count
            result.linesConsumed = line - firstLine
        } else {
            result.consumed = recordStart
            result.linesConsumed = recordLine - firstLine
        }
        return result
    }
}
