import CSVScan
import Foundation
import LinearAlgebra

/// Loads a whole CSV file into columns: one read of the file, then the records parsed in
/// parallel straight into the final column arrays.
///
/// 1. The file is read once into memory (its bytes are the only other copy of the data).
/// 2. The header is read as by ``CSVReader`` (BOM, wide encodings, delimiter, names).
/// 3. The data is cut into ranges of about ``CSVOptions/chunkSize`` bytes, each ending just
///    after a newline; one vectorised pass per range counts its newlines and quotes
///    (`csv_count_two_bytes`). The quote counts give the quote parity at each range's start,
///    so a range that starts inside a quoted field (a quoted newline) skips to its record's
///    end and the previous range finishes that record — exactly the records the sequential
///    scanner finds. The newline counts bound each range's records, which fixes where each
///    range writes in the columns before any is parsed.
/// 4. The ranges are parsed in parallel (``CSVRangeParser``), each number written into its
///    column's array in place. Ranges that held fewer records than newlines (blank lines,
///    quoted newlines) are moved down afterwards; text cells are merged in file order.
///
/// Results do not depend on the thread count or the range size. The first error in the file
/// is the one reported (ranges are in file order).
struct CSVFileLoader {
    let path: String
    let options: CSVOptions
    /// The smallest piece of the file read by one worker (tests lower it to read small files in pieces).
    var readPieceBytes = 16 << 20

    /// Beyond this many columns ``SurveyData/load(csv:options:)`` reads through the streaming
    /// ``CSVReader`` (the column buffers are opened by nested closures, one per column).
    static let maximumColumns = 256

    /// The loaded survey, or `nil` when the file has more than ``maximumColumns`` columns.
    func load() throws -> SurveyData? {
        var reader = CSVReader(path: path, options: options)
        let bytes = try readFile()
        return try bytes.withUnsafeBufferPointer { buffer -> SurveyData? in
            let base = buffer.baseAddress!, end = buffer.count - 1   // the file's bytes, then a NUL sentinel
            guard end > 0 else { throw SurveyDataError.emptyFile(path: path) }
            var start = 0
            if end >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }
            if let encoding = CSVReader.wideEncoding(Array(buffer[start..<min(end, start + 64)])) {
                throw SurveyDataError.unreadable(path: path, reason: "it is \(encoding) text; save it as UTF-8 (\"CSV UTF-8\" in Excel)")
            }
            let header = try readHeader(base, start: start, end: end, reader: &reader)
            guard header.parser.columnCount <= Self.maximumColumns else { return nil }
            return try parseData(base, from: header.dataStart, end: end, firstLine: header.dataLine,
                                 parser: header.parser, reader: reader)
        }
    }

    /// The file's bytes, read in one go, followed by one NUL byte (a sentinel for the number
    /// reader, not part of the data). A file shorter at the end than at the start of the
    /// read was truncated meanwhile: an error, never a partial analysis.
    func readFile() throws -> [UInt8] {
        let handle = try CSVFileOpening.open(path)
        defer { try? handle.close() }
        let descriptor = handle.fileDescriptor
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw SurveyDataError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let expectedSize = Int(status.st_size)
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: expectedSize + 1) { buffer, count in
            Self.adviseHugePages(UnsafeMutableRawPointer(buffer.baseAddress!), bytes: expectedSize + 1)
            // Pieces of at least `readPieceBytes` (16 MB) read on all cores (`pread`): the kernel's copy and the
            // zeroing of fresh pages are most of a large read's cost. Each piece stops short at
            // end of file; the bytes read are counted up to the first short piece.
            let pieces = max(1, min(8, expectedSize / max(1, readPieceBytes)))
            let target = UncheckedSendable(buffer.baseAddress!)
            let results = Parallel.map(pieces) { piece -> (read: Int, error: Int32) in
                let start = expectedSize * piece / pieces, end = expectedSize * (piece + 1) / pieces
                var done = 0
                while start + done < end {
                    let got = pread(descriptor, target.value + start + done, end - start - done, off_t(start + done))
                    if got < 0 && errno == EINTR { continue }
                    if got < 0 { return (done, errno) }
                    if got == 0 { break }
                    done += got
                }
                return (done, 0)
            }
            for (piece, result) in results.enumerated() {
                count += result.read
                if result.error != 0 { failure = result.error; break }
                if result.read < expectedSize * (piece + 1) / pieces - expectedSize * piece / pieces { break }   // truncated
            }
            if failure == 0 && expectedSize > 0 && count == expectedSize && lseek(descriptor, off_t(expectedSize), SEEK_SET) < 0 { failure = errno }
        }
        if failure != 0 { throw SurveyDataError.unreadable(path: path, reason: String(cString: strerror(failure))) }
        if bytes.count < expectedSize {
            throw SurveyDataError.unreadable(path: path, reason: "the file was truncated while being read (\(bytes.count) of \(expectedSize) bytes)")
        }
        // A file that grew after the size was taken is read to its end, as the streaming reader does.
        var more = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = more.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got < 0 { throw SurveyDataError.unreadable(path: path, reason: String(cString: strerror(errno))) }
            if got == 0 { break }
            bytes.append(contentsOf: more[0..<got])
        }
        bytes.append(0)
        return bytes
    }

    /// The header: the first non-blank record; the field parser it defines; where data starts.
    func readHeader(
        _ base: UnsafePointer<UInt8>, start: Int, end: Int, reader: inout CSVReader
    ) throws -> (parser: CSVFieldParser, dataStart: Int, dataLine: Int) {
        var pos = start, line = 1
        while pos < end {
            var inQuotes = false
            var k = pos, newlines = 0
            while k < end {
                let b = base[k]
                if b == UInt8(ascii: "\"") { inQuotes.toggle() } else if b == UInt8(ascii: "\n") { newlines += 1; if !inQuotes { break } }
                k += 1
            }
            if k == end && inQuotes {
                let record = Array(UnsafeBufferPointer(start: base + pos, count: end - pos))
                let open = reader.openQuote(record, from: 0)
                throw open.atFieldStart
                    ? SurveyDataError.unterminatedQuote(path: path, row: line, column: open.column)
                    : SurveyDataError.malformedQuote(path: path, row: line, column: open.column)
            }
            let record = Array(UnsafeBufferPointer(start: base + pos, count: k - pos))
            let next = min(k + 1, end)
            if !reader.isBlankRecord(record, 0, record.count) {
                let parser = try reader.makeParser(record, start: 0, end: record.count, row: line)
                return (parser, next, line + newlines)
            }
            pos = next
            line += newlines
        }
        throw SurveyDataError.emptyFile(path: path)
    }

    /// A range of the data and what the counting pass found in it.
    struct Range {
        var bounds: Swift.Range<Int>
        var newlines = 0
        var quotes = 0
        /// Quote parity before the range, line at its start, first slot it writes to.
        var startsInQuotes = false
        var firstLine = 0
        var offset = 0
        /// Slots reserved: newlines, plus one for the last range (a final record without newline).
        var capacity = 0
    }

    /// Splits `[from, end)` into ranges ending just after a newline (the last at `end`).
    func ranges(_ base: UnsafePointer<UInt8>, from: Int, end: Int) -> [Range] {
        var result: [Range] = []
        var lower = from
        let size = options.chunkSize
        while lower < end {
            var upper = end
            if end - lower > size + size / 2 {
                let nominal = lower + size
                if let hit = memchr(base + nominal, Int32(UInt8(ascii: "\n")), end - nominal) {
                    upper = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base + 1
                }
            }
            result.append(Range(bounds: lower..<upper))
            lower = upper
        }
        return result
    }

    /// Counts, parses, compacts and types the data records.
    func parseData(
        _ base: UnsafePointer<UInt8>, from: Int, end: Int, firstLine: Int, parser: CSVFieldParser, reader: CSVReader
    ) throws -> SurveyData {
        var ranges = ranges(base, from: from, end: end)
        let source = UncheckedSendable(base)
        let counts = Parallel.map(ranges.count) { [ranges] k in
            var newlines = 0, quotes = 0
            let bounds = ranges[k].bounds
            csv_count_two_bytes(source.value + bounds.lowerBound, bounds.count, UInt8(ascii: "\n"), UInt8(ascii: "\""), &newlines, &quotes)
            return (newlines, quotes)
        }
        var quotes = 0, line = firstLine, offset = 0
        for k in ranges.indices {
            ranges[k].newlines = counts[k].0
            ranges[k].quotes = counts[k].1
            ranges[k].startsInQuotes = quotes % 2 == 1
            ranges[k].firstLine = line
            ranges[k].offset = offset
            ranges[k].capacity = counts[k].0 + (k == ranges.count - 1 ? 1 : 0)
            quotes += counts[k].1
            line += counts[k].0
            offset += ranges[k].capacity
        }
        let capacity = offset
        let rangeParser = CSVRangeParser(fields: parser)
        var tallies: [CSVRangeTally] = []
        var failure: SurveyDataError? = nil
        var rowCount = 0
        var columns: [[Double]] = []
        let rowNumbers = [Int](unsafeUninitializedCapacity: capacity) { rowBuffer, rowsInitialized in
            columns = Self.makeColumns(count: parser.columnCount, capacity: capacity) { pointers in
                let targets = UncheckedSendable((pointers, rowBuffer.baseAddress!))
                let results = Parallel.map(ranges.count) { [ranges] k in
                    let range = ranges[k]
                    let shifted = targets.value.0.map { $0 + range.offset }
                    return shifted.withUnsafeBufferPointer {
                        rangeParser.parse(source.value, end: end, range: range.bounds, startsInQuotes: range.startsInQuotes,
                                          firstLine: range.firstLine, values: $0, rows: targets.value.1 + range.offset,
                                          capacity: range.capacity)
                    }
                }
                for result in results {
                    switch result {
                    case let .success(tally): tallies.append(tally)
                    case let .failure(error): failure = error; return 0
                    }
                }
                rowCount = Self.compact(ranges, tallies, columns: pointers, rows: rowBuffer.baseAddress!)
                return rowCount
            }
            rowsInitialized = rowCount
        }
        if let failure { throw failure }
        if rowCount == 0 { throw SurveyDataError.headerOnly(path: path) }
        var builders = reader.columnNames.enumerated().map {
            SurveyColumnBuilder(name: $1, position: $0 + 1, isUnnamed: reader.isUnnamed[$0])
        }
        for c in builders.indices {
            builders[c].values = columns[c]
            columns[c] = []   // the builder holds the only reference: no copy when typed
            var rowsBefore = 0
            for tally in tallies {
                builders[c].append(tally.columns[c], rowCount: tally.rowCount, rowsBefore: rowsBefore)
                rowsBefore += tally.rowCount
            }
        }
        try SurveyColumnBuilder.checkControlCharacters(builders, path: path, rowNumbers: rowNumbers)
        return SurveyData(source: path, columns: builders.map { $0.build() }, rowNumbers: rowNumbers)
    }

    /// `count` arrays of up to `capacity` doubles, filled by `body` through pointers to their
    /// storage; `body` returns how many elements each array holds (all the same). The arrays are
    /// opened by nested closures (one per column), hence ``maximumColumns``.
    static func makeColumns(
        count: Int, capacity: Int, _ body: ([UnsafeMutablePointer<Double>]) -> Int
    ) -> [[Double]] {
        var pointers: [UnsafeMutablePointer<Double>] = []
        var made: [[Double]] = []
        func open(_ c: Int) -> Int {
            if c == count { return body(pointers) }
            var length = 0
            let column = [Double](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                pointers.append(buffer.baseAddress!)
                adviseHugePages(UnsafeMutableRawPointer(buffer.baseAddress!), bytes: capacity * MemoryLayout<Double>.stride)
                length = open(c + 1)
                initialized = length
            }
            made.append(column)
            return length
        }
        _ = open(0)
        return made.reversed()
    }

    /// Moves each range's records down to follow the previous range's (when a range held
    /// fewer records than its reserved slots); returns the number of records.
    static func compact(
        _ ranges: [Range], _ tallies: [CSVRangeTally], columns: [UnsafeMutablePointer<Double>], rows: UnsafeMutablePointer<Int>
    ) -> Int {
        var target = 0
        var moves: [(from: Int, to: Int, count: Int)] = []
        for k in ranges.indices {
            let n = tallies[k].rowCount
            if ranges[k].offset != target && n > 0 { moves.append((ranges[k].offset, target, n)) }
            target += n
        }
        guard !moves.isEmpty else { return target }
        let shared = UncheckedSendable(columns)
        Parallel.forEach(columns.count) { [moves] c in
            for move in moves { memmove(shared.value[c] + move.to, shared.value[c] + move.from, move.count * MemoryLayout<Double>.stride) }
        }
        for move in moves { memmove(rows + move.to, rows + move.from, move.count * MemoryLayout<Int>.stride) }
        return target
    }

    /// Asks the kernel for transparent huge pages on a large buffer about to be written (fewer
    /// page faults for the hundreds of megabytes a load touches). Advice only: ignored where
    /// unsupported.
    static func adviseHugePages(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        let huge = 2 << 20
        guard bytes >= 2 * huge else { return }
        let first = (Int(bitPattern: start) + huge - 1) & ~(huge - 1)
        let last = (Int(bitPattern: start) + bytes) & ~(huge - 1)
        if last > first { _ = madvise(UnsafeMutableRawPointer(bitPattern: first), last - first, MADV_HUGEPAGE) }
        #endif
    }
}
