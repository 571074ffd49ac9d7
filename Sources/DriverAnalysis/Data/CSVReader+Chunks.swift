import Foundation

/// The steps of `CSVReader/read(_:)`, chunk by chunk: open the file, read a chunk, check the
/// start of the file, find the header, and hand the parsed records to the caller.
extension CSVReader {
    /// What the reading loop carries from one chunk to the next.
    struct ReadState {
        /// The file's size at open: reaching the end of the file before it means the file was
        /// truncated (or replaced) while being read — never analyse the part that happened to be read.
        let expectedSize: Int?
        var bytesRead = 0
        /// The bytes read but not yet consumed as records.
        var buffer = [UInt8]()
        /// The file line at which `buffer` starts.
        var firstLine = 1
        var eof = false
        /// The field parser, once the header has been read.
        var parser: CSVFieldParser? = nil
        var sawAnyByte = false
        var dataRows = 0

        init(expectedSize: Int?) { self.expectedSize = expectedSize }
    }

    /// The file opened for reading — it must exist and not be a directory — and its size at open.
    func openForReading() throws -> (handle: FileHandle, expectedSize: Int?) {
        let handle = try CSVFileOpening.open(path)
        let expectedSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        return (handle, expectedSize)
    }

    /// Appends the next chunk of the file to the buffer, or marks the end of the file — refusing
    /// a file that ends before its size at open.
    func readChunk(_ handle: FileHandle, into state: inout ReadState) throws {
        let data: Data?
        do { data = try handle.read(upToCount: options.chunkSize) } catch {
            throw SurveyDataError.unreadable(path: path, reason: error.localizedDescription)
        }
        if let data, !data.isEmpty {
            state.buffer.append(contentsOf: data)
            state.sawAnyByte = true
            state.bytesRead += data.count
            afterChunk?(state.bytesRead)
        } else {
            state.eof = true
            if let expectedSize = state.expectedSize, state.bytesRead < expectedSize {
                throw SurveyDataError.unreadable(path: path, reason: "the file was truncated while being read (\(state.bytesRead) of \(expectedSize) bytes)")
            }
        }
    }

    /// Before the header: refuses an empty file and a UTF-16 or UTF-32 one, and drops a UTF-8
    /// byte-order mark.
    func checkStartOfFile(_ state: inout ReadState) throws {
        guard state.parser == nil else { return }
        if !state.sawAnyByte && state.eof { throw SurveyDataError.emptyFile(path: path) }
        if state.buffer.starts(with: [0xEF, 0xBB, 0xBF]) { state.buffer.removeFirst(3) }
        if let encoding = Self.wideEncoding(state.buffer) {
            throw SurveyDataError.unreadable(path: path, reason: "it is \(encoding) text; save it as UTF-8 (\"CSV UTF-8\" in Excel)")
        }
    }

    /// The error for a file ending inside a quote: an unterminated quoted field, or a stray quote
    /// inside an unquoted one.
    func unclosedQuoteError(_ buffer: [UInt8], scan: CSVRecordScanner.Result) -> SurveyDataError {
        let row = scan.lines[scan.lines.count - 1]
        let open = openQuote(buffer, from: scan.starts[scan.starts.count - 1])
        return open.atFieldStart
            ? SurveyDataError.unterminatedQuote(path: path, row: row, column: open.column)
            : SurveyDataError.malformedQuote(path: path, row: row, column: open.column)
    }

    /// The index of the first data record among `scan`'s: 0 once the header has been read;
    /// before, the header is the first non-blank record and is read into ``columnNames``. `nil`
    /// when the chunk held only blank records (they are consumed).
    mutating func readHeaderIfNeeded(_ state: inout ReadState, scan: CSVRecordScanner.Result) throws -> Int? {
        guard state.parser == nil else { return 0 }
        var firstRecord = 0
        while firstRecord < scan.starts.count && isBlankRecord(state.buffer, scan.starts[firstRecord], scan.ends[firstRecord]) {
            firstRecord += 1
        }
        if firstRecord == scan.starts.count {
            if state.eof { throw SurveyDataError.emptyFile(path: path) }
            state.buffer.removeFirst(scan.consumed)
            state.firstLine += scan.linesConsumed
            return nil
        }
        state.parser = try makeParser(state.buffer, start: scan.starts[firstRecord], end: scan.ends[firstRecord], row: scan.lines[firstRecord])
        return firstRecord + 1
    }

    /// Parses the data `records` of the chunk in parallel and hands each non-empty block to
    /// `body`, in file order; the first failed run's error is thrown.
    func deliver(_ state: inout ReadState, scan: CSVRecordScanner.Result, records: Range<Int>,
                 to body: (_ header: CSVHeader, _ block: CSVBlock) throws -> Void) throws {
        guard !records.isEmpty, let parser = state.parser else { return }
        let blocks = parseInParallel(state.buffer, scan: scan, records: records, parser: parser)
        for result in blocks {
            let block = try result.get()
            state.dataRows += block.rowCount
            if block.rowCount > 0 { try body(CSVHeader(names: columnNames, isUnnamed: isUnnamed), block) }
        }
    }
}
