@testable import DriverAnalysis
import Fixtures
import Foundation
import PropertyBased
import Testing

/// The whole-file loader (ranges parsed in parallel into the columns) against the streaming
/// reader it replaces for `SurveyData.load`: the same data or the same error, on valid and
/// mutated files, for any range size and thread count; and the decimal parser against
/// `Double(_:)` on random decimal strings.
@Suite("CSV whole-file loader")
struct CSVFileLoaderTests {
    /// `a` and `b` agree: same rows, names, kinds, counts and bit-identical values (NaN = NaN).
    static func sameData(_ a: SurveyData, _ b: SurveyData, _ label: String) {
        #expect(a.rowNumbers == b.rowNumbers, "\(label): row numbers")
        #expect(a.columnNames == b.columnNames, "\(label): names")
        for (x, y) in zip(a.columns, b.columns) {
            #expect(x.kind == y.kind && x.missingCount == y.missingCount && x.isUnnamed == y.isUnnamed, "\(label): \(x.name)")
            #expect(x.firstText?.row == y.firstText?.row && x.firstText?.value == y.firstText?.value, "\(label): \(x.name) first text")
            #expect(x.firstNonFinite?.row == y.firstNonFinite?.row && x.firstNonFinite?.value == y.firstNonFinite?.value,
                    "\(label): \(x.name) first non-finite")
            #expect(x.values.elementsEqual(y.values) { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }, "\(label): \(x.name) values")
        }
    }

    /// Loads `bytes` both ways and compares; returns whether it loaded.
    @discardableResult
    static func compare(_ bytes: [UInt8], file: TemporaryFile, options: CSVOptions, _ label: String) throws -> Bool {
        try Data(bytes).write(to: file.url)
        let whole = Result { try SurveyData.load(csv: file.path, options: options) }
        let streamed = Result { try SurveyData.loadStreaming(csv: file.path, options: options) }
        switch (whole, streamed) {
        case let (.success(a), .success(b)):
            sameData(a, b, label)
            return true
        case let (.failure(a), .failure(b)):
            #expect(a as? SurveyDataError == b as? SurveyDataError, "\(label)")
            return false
        case let (.success, .failure(b)):
            Issue.record("\(label): loaded whole, streaming failed with \(b)")
        case let (.failure(a), .success):
            Issue.record("\(label): whole-file load failed with \(a), streaming loaded")
        }
        return false
    }

    /// Larger versions of the fuzzer's seeds (rows repeated), so that 4 KiB ranges cut them
    /// into many pieces, some inside quoted fields.
    static func largeSeeds() -> [[UInt8]] {
        let multiline = "id,comment,x,y\r\n" + (0..<400).map { i in
            "\(i),\(i % 3 == 0 ? "\"line one\nline \"\"two\"\"\"" : (i % 5 == 0 ? "" : "t\(i % 4)")),\(Double(i) * 0.125),\(i % 7 == 0 ? "NA" : String(i % 11))\r\n"
        }.joined()
        return FuzzTests.seeds().map { seed in
            let text = Array(seed)
            let firstNewline = text.firstIndex(of: 10)!
            let header = Array(text[...firstNewline]), body = Array(text[(firstNewline + 1)...])
            return header + Array([[UInt8]](repeating: body, count: 150).joined())
        } + [Array(multiline.utf8)]
    }

    @Test func mutantsLoadTheSameAsStreaming() throws {
        var g = FuzzTests.Generator(state: 20_261_205)
        let file = try TemporaryFile(contents: "")
        let seeds = Self.largeSeeds()
        var loaded = 0
        for k in 0..<400 {
            let mutant = FuzzTests.mutate(seeds[k % seeds.count], &g)
            let options = CSVOptions(chunkSize: 4_096, threads: k % 3 + 1)
            if try Self.compare(mutant, file: file, options: options, "mutant \(k)") { loaded += 1 }
        }
        #expect(loaded > 100)
    }

    @Test("edge cases", arguments: [
        "a,b\n1,2", "a,b\n1,2\n\n\n", "\n\n a,b\n1,2\n", "a,b\r\n1,2\r\n3,4", "a,b\n1,2\r\n  \r\n3,4\n", "a,b\n1, 2 \n 3 ,4\n",
        "a,b\n\"1\",\"2\"\n", "a,b\n\"1\" ,2\n", "a,b\n1,\"2\"x\n", "a,b\n1,2,\n", "a,b\n1\n", "a,b\n,\n", "a,b\n1,2\r3\n",
        "a,b\n-99,1e400\n", "a,b\ninf,-Infinity\n", "a,b\n0x1p3,.5\n", "a,b\n1e,2.\n", "a,b\n+.5e-3,-0\n", "a\n\"x\ny\"\n2\n",
        "a,b\n\"open,1\n2,3\n", "a,\"b\nc\"\n1,2\n", "a,b\n12345678901234567890,0.1000000000000000055511151231257827\n",
        "a;b\n1,5;2\n", "a\tb\n1\t 2\n", "a,b\n1,2\n3,\"4\"\"\"\n", "a,b\nNA,n/a\nnull,NaN\n",
    ])
    func edgeCasesLoadTheSameAsStreaming(text: String) throws {
        let file = try TemporaryFile(contents: "")
        var options = CSVOptions(chunkSize: 4_096, threads: 2)
        options.missingCodes = ["-99"]
        try Self.compare(Array(text.utf8), file: file, options: options, text.debugDescription)
    }

    @Test func rangesSplitInsideQuotedNewlinesAndBlankLines() throws {
        // Records with quoted newlines and blank lines around every range boundary.
        var lines = ["id,text,x"]
        for i in 0..<3_000 {
            lines.append("\(i),\(i % 4 == 0 ? "\"a\n\nb\"" : "w\(i % 3)"),\(i)")
            if i % 97 == 0 { lines.append("") }
        }
        let file = try TemporaryFile(contents: "")
        for threads in [1, 2, 8] {
            try Self.compare(Array(lines.joined(separator: "\n").utf8), file: file,
                             options: CSVOptions(chunkSize: 4_096, threads: threads), "threads \(threads)")
        }
        let data = try SurveyData.load(csv: file.path, options: CSVOptions(chunkSize: 4_096))
        #expect(data.rowCount == 3_000)
        #expect(try data.numericValues("x") == (0..<3_000).map(Double.init))
    }

    /// The file read in pieces on several workers (`pread`) is the file read at once: every piece
    /// size, including pieces that end inside a quoted field or a number.
    @Test func pieceWiseReadsEqualOneRead() throws {
        var lines = ["id,text,x"]
        for i in 0..<2_000 { lines.append("\(i),\(i % 4 == 0 ? "\"a\n,b\"" : "w\(i % 3)"),\(Double(i) / 8)") }
        let file = try TemporaryFile(contents: lines.joined(separator: "\n") + "\n")
        let reference = try SurveyData.loadStreaming(csv: file.path, options: CSVOptions())
        for piece in [1, 7, 1_000, 4_096, 1 << 20] {
            var loader = CSVFileLoader(path: file.path, options: CSVOptions(chunkSize: 4_096))
            loader.readPieceBytes = piece
            let data = try #require(try loader.load())
            Self.sameData(data, reference, "pieces of \(piece) bytes")
        }
    }

    /// A random decimal string: sign, 1–40 digits (leading zeros sometimes), a point anywhere,
    /// an exponent up to ±400 (or small), from one seed.
    static func decimalString(_ seed: UInt64) -> String {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = SyntheticSurvey.hash(state, 3, 5)
            return Int(state % UInt64(bound))
        }
        let lengths = [1, 2, 3, 5, 8, 15, 16, 17, 18, 19, 20, 25, 40]
        let count = lengths[next(lengths.count)]
        var digits = (0..<count).map { _ in Character(String(next(10))) }
        if next(4) == 0 { digits.insert(contentsOf: "000", at: 0) }
        var s = String(digits)
        switch next(3) {
        case 0: s.insert(".", at: s.index(s.startIndex, offsetBy: next(s.count + 1)))
        case 1: s += "." + String(next(1000))
        default: break
        }
        switch next(4) {
        case 0: s += "e" + String(next(801) - 400)
        case 1: s += "E" + (next(2) == 0 ? "+" : "-") + String(next(30))
        default: break
        }
        return ["", "-", "+"][next(3)] + s
    }

    @Test func decimalParserMatchesDoubleInitOnRandomStrings() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            for k in 0..<100 {
                let s = Self.decimalString(UInt64(seed) &+ UInt64(k) &* 0x9E37_79B9)
                let expected = Double(s)
                let bytes = Array(s.utf8)
                let parsed = bytes.withUnsafeBufferPointer { DecimalParser.parse($0.baseAddress!, count: $0.count) }
                #expect(parsed?.bitPattern == expected?.bitPattern, "\(s)")
                // The in-place prefix reader: when it takes the whole string, it agrees too.
                let prefix = (bytes + [UInt8(ascii: ",")]).withUnsafeBufferPointer { DecimalParser.fastPrefix($0.baseAddress!, count: $0.count) }
                if let (value, length) = prefix, length == bytes.count { #expect(value.bitPattern == expected?.bitPattern, "\(s)") }
            }
        }
    }

    @Test func hardRoundingCasesThroughTheLoader() throws {
        // Halfway and near-halfway cases, 2^53 ± 1, subnormals, the largest and smallest normals.
        let cells = ["9007199254740993", "9007199254740992", "9007199254740991", "0.1", "0.30000000000000004",
                     "2.2250738585072011e-308", "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308",
                     "7.038531e-26", "1448997445238699", "123456789012345678", "1e22", "1e23", "8.98846567431158e307",
                     "0.000000000000000000000000000001", "100000000000000000000000", "3.14159265358979323846264338327950288"]
        let file = try TemporaryFile(contents: "x,y\n" + cells.map { "\($0),\($0)" }.joined(separator: "\n") + "\n")
        let data = try SurveyData.load(csv: file.path)
        for name in ["x", "y"] {
            for (cell, value) in zip(cells, try data.numericValues(name)) {
                #expect(value.bitPattern == Double(cell)!.bitPattern, "\(cell)")
            }
        }
    }
}
