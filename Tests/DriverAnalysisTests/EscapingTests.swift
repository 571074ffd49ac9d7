import DriverAnalysis
import Fixtures
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PropertyBased
import Testing

/// Escaping is a property of each renderer: any byte string as a column name or a cell leaves
/// every output format well-formed and inert.
@Suite("Escaping")
struct EscapingTests {
    @Test func markupEscapesEveryMetacharacterAndDropsWhatXMLForbids() {
        #expect(Escaping.markup("\"><img src=x onerror=alert(1)>") == "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
        #expect(Escaping.markup("a&b'c") == "a&amp;b&#39;c")
        #expect(Escaping.markup("\u{1B}[2J\u{0}\u{FFFE}\u{85}") == "\u{FFFD}[2J\u{FFFD}\u{FFFD}\u{FFFD}")
    }

    @Test func csvNeutralisesFormulasAndQuotes() {
        #expect(Escaping.csvText("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(Escaping.csvText("+cmd") == "'+cmd")
        #expect(Escaping.csvText("@SUM(A1)") == "'@SUM(A1)")
        #expect(Escaping.csvText("-2+3") == "'-2+3")
        #expect(Escaping.csvText("\tx") == "'\tx")
        #expect(Escaping.csvText("\rx") == "\"'\rx\"")
        #expect(Escaping.csvText("a,b") == "\"a,b\"")
        #expect(Escaping.csvText("wifi") == "wifi")
        #expect(Escaping.csvText("\u{1B}[2J") == "\u{FFFD}[2J")
    }

    @Test func markdownHasNoRawHTMLNoCellBreakNoLineBreak() {
        #expect(Escaping.markdown("a|b\nc<script>") == "a\\|b c&lt;script&gt;")
        #expect(Escaping.markdown("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))")
        #expect(Escaping.markdownCode("aliased_drivers") == "`aliased_drivers`")
        #expect(Escaping.markdownCode("a`b") == "a\\`b")
    }

    @Test func terminalShowsControlsInsteadOfSendingThem() {
        #expect(Escaping.terminal("\u{1B}[2Jx") == "\\u{1B}[2Jx")
        #expect(Escaping.terminal("\u{1B}]8;;http://x\u{7}l") == "\\u{1B}]8;;http://x\\u{7}l")
        #expect(Escaping.terminal("a\nb") == "a\\u{A}b")
        #expect(Escaping.terminal("a\nb", keepingNewlines: true) == "a\nb")
        #expect(Escaping.terminal("abc\u{202E}cba") == "abc\\u{202E}cba")
        #expect(Escaping.terminal("plain — ünïcode") == "plain — ünïcode")
    }

    @Test func longMessagesAreCutInTheMiddle() {
        let message = "file.csv, row 3, column 'a': found '" + String(repeating: "x", count: 10_000_000) + "'"
        let short = Escaping.message(message)
        #expect(short.count < 1_100)
        #expect(short.hasPrefix("file.csv, row 3, column 'a'") && short.contains("characters omitted"))
    }

    // MARK: The property: any bytes as names and cells

    static let fragments: [[UInt8]] = [
        "\"><img src=x onerror=alert(1)>", "=HYPERLINK(\"http://x\")", "+cmd", "@SUM(1)", "-2+3", "|", "\n", "\r\n", "\r",
        "\u{1B}[2J", "\u{1B}]8;;http://x\u{7}", "&amp;", "<script>", "'", "\"", "`", "*_[]~#", "\u{202E}", "\u{0}", "\u{FFFE}",
        "]]>", "<!--", "\\", ",", ";", "\t", "—", "\u{85}", "\u{2028}",
    ].map { Array($0.utf8) }

    /// A hostile byte string: random bytes (invalid UTF-8 included) and fragments, from `seed`.
    static func hostile(_ seed: UInt64, _ k: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var state = SyntheticSurvey.hash(seed, UInt64(k), 77)
        for _ in 0..<(1 + Int(state % 4)) {
            state = SyntheticSurvey.hash(state, 1, 2)
            if state % 3 == 0 {
                for _ in 0..<(state >> 8) % 6 { state = SyntheticSurvey.hash(state, 3, 4); bytes.append(UInt8(truncatingIfNeeded: state)) }
            } else {
                bytes += fragments[Int((state >> 8) % UInt64(fragments.count))]
            }
        }
        return bytes
    }

    static func quoted(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8(ascii: "\"")] + bytes.flatMap { $0 == UInt8(ascii: "\"") ? [$0, $0] : [$0] } + [UInt8(ascii: "\"")]
    }

    /// A survey whose driver names (and one text cell) are hostile when `hostile`, plain
    /// otherwise; the numbers are the same either way.
    /// A survey whose driver names are hostile bytes, or plain — `d0`, `d1`… or, given `widths`,
    /// plain names of those widths (so that a chart lays them out as it lays out the hostile ones:
    /// beside their points or numbered, depending on how wide the names are).
    static func survey(seed: UInt64, drivers p: Int, hostile: Bool, widths: [Int]? = nil) -> [UInt8] {
        let names: [[UInt8]] = (0..<p).map { j in
            if hostile { return Self.hostile(seed, j) + Array("_\(j)".utf8) }
            guard let widths, widths.indices.contains(j) else { return Array("d\(j)".utf8) }
            let suffix = "_\(j)"
            return Array((String(repeating: "x", count: max(1, widths[j] - suffix.count)) + suffix).utf8)
        }
        var file = Array("y,".utf8) + names.map(quoted).joined(separator: [UInt8(ascii: ",")]) + Array(",extra\n".utf8)
        for i in 0..<60 {
            var y = 0.0, cells: [String] = []
            for j in 0..<p {
                let x = Double(SyntheticSurvey.hash(seed, UInt64(i), UInt64(j)) % 11)
                y += Double(j + 1) * x
                cells.append("\(Int(x))")
            }
            y += Double(SyntheticSurvey.hash(seed, UInt64(i), 99) % 7)
            file += Array((["\(y)"] + cells).joined(separator: ",").utf8) + [UInt8(ascii: ",")]
            // The text cell keeps every hostile byte but C0 controls and DEL, which the reader
            // refuses with file, row and column (HostileInputTests); names keep them all.
            let cell = Self.hostile(seed, 100).filter { $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            file += i == 3 ? quoted(hostile ? cell + [UInt8(ascii: "x")] : Array("x".utf8)) : Array("\(i)".utf8)
            file.append(UInt8(ascii: "\n"))
        }
        return file
    }

    static func report(_ bytes: [UInt8]) throws -> (DriverReport, [String]) {
        let file = try TemporaryFile(bytes: bytes)
        let data = try SurveyData.load(csv: file.path)
        var configuration = AnalysisConfiguration(outcome: "y")
        configuration.methods = [.regression, .relativeWeights, .correlation]
        // The text cell is in a column that is not analysed, but is named in a warning.
        let report = try KeyDriverAnalysis.analyze(data, configuration)
        return (report, Array(data.columnNames.dropFirst().dropLast()))
    }

    /// Tag names and attribute names in document order (values and text left out): the DOM shape.
    static func shape(_ html: String) -> [String] {
        // On scalars, as an HTML tokenizer reads (a combining mark after `>` would join it in a Character).
        var tags: [String] = []
        var current: String.UnicodeScalarView? = nil
        for scalar in html.unicodeScalars {
            if scalar == "<" { if current != nil { tags.append("UNCLOSED") }; current = String.UnicodeScalarView([scalar]); continue }
            guard current != nil else { continue }
            current!.append(scalar)
            if scalar == ">" {
                tags.append(String(current!).replacingOccurrences(of: "=\"[^\"]*\"", with: "", options: .regularExpression))
                current = nil
            }
        }
        if current != nil { tags.append("UNCLOSED") }
        return tags
    }

    /// RFC 4180 records.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = "", inQuotes = false, quoted = false
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if scalars.first == "\"" { field.unicodeScalars.append("\""); scalars.removeFirst() } else { inQuotes = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" && field.isEmpty && !quoted { inQuotes = true; quoted = true
            } else if c == "," { record.append(field); field = ""; quoted = false
            } else if c == "\n" { record.append(field); records.append(record); record = []; field = ""; quoted = false
            } else { field.unicodeScalars.append(c) }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }

    static func isUnsafeForTerminal(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s != "\n") || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
    }

    @Test func anyBytesAsNamesAndCellsLeaveEveryFormatWellFormed() async {
        await propertyCheck(count: 25, input: Gen.int(in: 0...1_000_000)) { seed in Self.checkWellFormed(seed: seed) }
        for seed in 0..<100 { Self.checkWellFormed(seed: seed) }   // small seeds, where shrinking goes
    }

    static func checkWellFormed(seed: Int) {
        do {
            let p = 3 + seed % 3
            let hostile: DriverReport, names: [String], plain: DriverReport
            do {
                (hostile, names) = try Self.report(Self.survey(seed: UInt64(seed), drivers: p, hostile: true))
                (plain, _) = try Self.report(Self.survey(seed: UInt64(seed), drivers: p, hostile: false, widths: names.map(\.count)))
            } catch {
                Issue.record("seed \(seed): the survey did not load or analyse: \(error)")
                return
            }
            #expect(names.count == p)
            #expect(names.contains { $0.unicodeScalars.contains { !$0.properties.isAlphabetic && !("0"..."9").contains($0) && $0 != "_" } },
                    "seed \(seed): the names are hostile")
            #expect(hostile.warnings.contains { $0.message.contains("extra") }, "seed \(seed): the text cell is echoed in a warning")
            // JSON parses and keeps every name exactly.
            let json = try? JSONSerialization.jsonObject(with: Data(hostile.json.rendered().utf8)) as? [String: Any]
            let jsonNames = (json?["drivers"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(jsonNames.map(Set.init) == Set(names), "seed \(seed)")
            // HTML: the same DOM shape as with plain names; the chart is well-formed XML.
            #expect(Self.shape(hostile.html()) == Self.shape(plain.html()), "seed \(seed)")
            let svg = PriorityChart.svg(hostile)
            #expect(XMLParser(data: Data(svg.utf8)).parse(), "seed \(seed)")
            #expect(Self.shape(svg) == Self.shape(PriorityChart.svg(plain)), "seed \(seed)")
            // CSV: one record per driver, every record as wide as the header, names recovered.
            let records = Self.parseCSV(hostile.csv())
            #expect(records.count == p + 1 && records.allSatisfy { $0.count == records[0].count }, "seed \(seed)")
            let expected = Set(names.map { Escaping.csvText($0) }.map { Self.parseCSV($0 + "\n").first?.first ?? "" })
            #expect(Set(records.dropFirst().map { $0[0] }) == expected, "seed \(seed)")
            #expect(!records.dropFirst().contains { ["=", "+", "-", "@", "\t", "\r"].contains($0[0].unicodeScalars.first.map(Character.init)) })
            // Markdown: no raw HTML, the same lines and cells as with plain names.
            let markdown = hostile.markdown()
            #expect(!markdown.contains("<") && markdown.split(separator: "\n").count == plain.markdown().split(separator: "\n").count, "seed \(seed)")
            let cells = { (line: Substring) in line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count }
            // Tables: consecutive "|" lines; the driver table has a row per driver, every table's rows the same cells.
            var tables: [[Substring]] = [], current: [Substring] = []
            for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("|") { current.append(line) } else if !current.isEmpty { tables.append(current); current = [] }
            }
            if !current.isEmpty { tables.append(current) }
            #expect(tables.first?.count == p + 2 && tables.allSatisfy { Set($0.map(cells)).count == 1 }, "seed \(seed)")
            // Terminal: no control character but line feeds, no bidi override; the same lines.
            let table = hostile.table()
            #expect(!table.unicodeScalars.contains(where: Self.isUnsafeForTerminal), "seed \(seed)")
            // (unwrapped: long hostile names wrap prose into more lines, which is not an injected line)
            #expect(hostile.table(width: .max).split(separator: "\n").count == plain.table(width: .max).split(separator: "\n").count, "seed \(seed)")
        }
    }
}
