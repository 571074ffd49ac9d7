import DriverAnalysis
import Fixtures
import Foundation
import Testing

@Suite("CSV reader and typing")
struct CSVReaderTests {
    @Test func rfc4180QuotingCRLFAndBOM() throws {
        let text = "\u{FEFF}id,comment,score\r\n1,\"Fast, friendly\",9\r\n2,\"She said \"\"wow\"\"\",10\r\n3,\"two\nlines\",7\r\n\r\n\r\n"
        let file = try TemporaryFile(contents: text)
        let data = try SurveyData.load(csv: file.path)
        #expect(data.columnNames == ["id", "comment", "score"])
        #expect(data.rowCount == 3)
        #expect(try data.numericValues("score") == [9, 10, 7])
        let comment = try data.column("comment")
        #expect(comment.levels == ["Fast, friendly", "She said \"wow\"", "two\nlines"])
        #expect(data.rowNumbers == [2, 3, 4])
    }

    @Test func emptyHeaderCellBecomesAnUnnamedColumn() throws {
        // The airline satisfaction export starts with an unnamed index column.
        let file = try TemporaryFile(contents: ",id,Inflight wifi service,satisfaction\n0,19556,5,satisfied\n1,90035,1,neutral or dissatisfied\n")
        let data = try SurveyData.load(csv: file.path)
        #expect(data.columnNames == ["column_1", "id", "Inflight wifi service", "satisfaction"])
        #expect(try data.column("column_1").isUnnamed)
        #expect(data.numericColumnNames == ["id", "Inflight wifi service"])
        #expect(throws: SurveyDataError.unnamedColumn(path: file.path, column: 1)) {
            try data.sample(outcome: "id", drivers: ["column_1"], minimumRows: 2)
        }
    }

    @Test("delimiter detection", arguments: [(",", ","), (";", ";"), ("\t", "\t")])
    func delimiterDetection(delimiter: String, _: String) throws {
        let text = ["a", "b", "c"].joined(separator: delimiter) + "\n" + ["1.5", "2", "x"].joined(separator: delimiter) + "\n"
        let file = try TemporaryFile(contents: text)
        let data = try SurveyData.load(csv: file.path)
        #expect(data.columnNames == ["a", "b", "c"])
        #expect(try data.numericValues("a") == [1.5])
    }

    @Test func typingBinaryCategoricalAndMixed() throws {
        let text = """
        churn,plan,tenure,region,code
        Yes,basic,3,north,1
        no,premium,,south,x
        YES,basic,NA,north,2
        No,basic,7,null,3

        """
        let file = try TemporaryFile(contents: text)
        let data = try SurveyData.load(csv: file.path)
        let churn = try data.column("churn")
        #expect(churn.kind == .binary(zero: "no", one: "Yes") || churn.kind == .binary(zero: "No", one: "Yes"))
        #expect(churn.values == [1, 0, 1, 0])
        #expect(try data.column("plan").kind == .categorical(levels: ["basic", "premium"]))
        #expect(try data.column("plan").values == [0, 1, 0, 0])
        let tenure = try data.column("tenure")
        #expect(tenure.kind == .numeric && tenure.missingCount == 2)
        #expect(try data.column("region").missingCount == 1)
        #expect(try data.column("code").kind == .mixed)
        #expect(throws: SurveyDataError.nonNumeric(path: data.source, row: 3, column: "code", value: "x")) {
            try data.numericValues("code")
        }
        #expect(data.missingCounts["tenure"] == 2)
    }

    @Test func missingCodesPerFileAndPerColumn() throws {
        let text = "wifi,food,age\n0,-99,30\n4,3,-99.0\n5,0,41\n"
        let options = CSVOptions(missingCodes: ["-99"], columnMissingCodes: ["wifi": ["0"]])
        let file = try TemporaryFile(contents: text)
        let data = try SurveyData.load(csv: file.path, options: options)
        #expect(try data.column("wifi").missingCount == 1)
        #expect(try data.numericValues("food")[0].isNaN && data.numericValues("food")[2] == 0)
        #expect(try data.numericValues("age")[1].isNaN)
    }

    @Test func badInputErrorsNameFileRowAndColumn() throws {
        let missing = "/nonexistent/survey.csv"
        #expect(throws: SurveyDataError.fileNotFound(path: missing)) { try SurveyData.load(csv: missing) }
        let empty = try TemporaryFile(contents: "")
        #expect(throws: SurveyDataError.emptyFile(path: empty.path)) { try SurveyData.load(csv: empty.path) }
        let blank = try TemporaryFile(contents: "\n\n  \n")
        #expect(throws: SurveyDataError.emptyFile(path: blank.path)) { try SurveyData.load(csv: blank.path) }
        let header = try TemporaryFile(contents: "a,b\n")
        #expect(throws: SurveyDataError.headerOnly(path: header.path)) { try SurveyData.load(csv: header.path) }
        let ragged = try TemporaryFile(contents: "a,b\n1,2\n3\n4,5,6\n")
        #expect(throws: SurveyDataError.raggedRow(path: ragged.path, row: 3, expected: 2, found: 1)) {
            try SurveyData.load(csv: ragged.path)
        }
        let extra = try TemporaryFile(contents: "a,b\n1,2\n4,5,6\n")
        #expect(throws: SurveyDataError.raggedRow(path: extra.path, row: 3, expected: 2, found: 3)) {
            try SurveyData.load(csv: extra.path)
        }
        let open = try TemporaryFile(contents: "a,b\n1,2\n3,\"never closed\n4,5\n")
        #expect(throws: SurveyDataError.unterminatedQuote(path: open.path, row: 3, column: 2)) {
            try SurveyData.load(csv: open.path)
        }
        let stray = try TemporaryFile(contents: "a,b\n1,5\" screen\n")
        #expect(throws: SurveyDataError.malformedQuote(path: stray.path, row: 2, column: 2)) {
            try SurveyData.load(csv: stray.path)
        }
        let duplicate = try TemporaryFile(contents: "a,b,a\n1,2,3\n")
        #expect(throws: SurveyDataError.duplicateColumnName(path: duplicate.path, name: "a", columns: [1, 3])) {
            try SurveyData.load(csv: duplicate.path)
        }
        let infinite = try TemporaryFile(contents: "a,b\n1,2\ninf,3\n")
        let data = try SurveyData.load(csv: infinite.path)
        #expect(throws: SurveyDataError.nonFinite(path: infinite.path, row: 3, column: "a", value: "inf")) {
            try data.numericValues("a")
        }
        #expect(throws: SurveyDataError.unknownColumn(name: "wfi", suggestions: [])) { try data.column("wfi") }
    }

    @Test func unknownColumnSuggestsNearestNames() throws {
        let data = try SurveyData(columns: ["wifi": [1], "wifi_speed": [2], "billing": [3]])
        #expect(throws: SurveyDataError.unknownColumn(name: "wfi", suggestions: ["wifi", "wifi_speed"])) {
            try data.column("wfi")
        }
        #expect(SurveyDataError.unknownColumn(name: "wfi", suggestions: ["wifi"]).description
                == "There is no column 'wfi'; the nearest names are: wifi")
    }

    @Test func resultsDoNotDependOnChunkSizeOrThreads() throws {
        var lines = ["id,text,x,y"]
        for i in 0..<20_000 {
            let text = i % 7 == 0 ? "\"multi\nline, \"\"quoted\"\"\"" : (i % 5 == 0 ? "" : "t\(i % 13)")
            lines.append("\(i),\(text),\(Double(i) * 0.25),\(i % 3 == 0 ? "NA" : String(i % 11))")
        }
        let file = try TemporaryFile(contents: lines.joined(separator: "\n"))
        let reference = try SurveyData.load(csv: file.path, options: CSVOptions(threads: 1))
        let chunked = try SurveyData.load(csv: file.path, options: CSVOptions(chunkSize: 4096, threads: 8))
        #expect(reference.rowCount == 20_000)
        #expect(reference.rowNumbers == chunked.rowNumbers)
        for name in reference.columnNames {
            let a = try reference.column(name), b = try chunked.column(name)
            #expect(a.values.elementsEqual(b.values) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(name)")
            #expect(a.kind == b.kind && a.missingCount == b.missingCount)
        }
        #expect(try reference.column("text").levels?.contains("multi\nline, \"quoted\"") == true)
        #expect(reference.rowNumbers.last! > 20_001)   // multi-line records push row numbers down
    }

    @Test func numbersParseExactlyLikeDoubleInit() throws {
        var generator = SystemRandomNumberGenerator()
        var cells: [String] = []
        for k in 0..<100_000 {
            let digits = Int.random(in: 1...22, using: &generator)
            var s = (0..<digits).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            switch k % 6 {
            case 0: s.insert(".", at: s.index(s.startIndex, offsetBy: Int.random(in: 0...digits, using: &generator)))
            case 1: s = "-" + s + "e" + String(Int.random(in: -330...310, using: &generator))
            case 2: s = "+" + s + "." + "E-" + String(Int.random(in: 0...25, using: &generator))
            case 3: s = "." + s
            case 4: s = s + "e+" + String(Int.random(in: 0...22, using: &generator))
            default: break
            }
            cells.append(s)
        }
        let file = try TemporaryFile(contents: "x\n" + cells.joined(separator: "\n") + "\n")
        let parsed = try SurveyData.load(csv: file.path).column("x")
        var mismatches = 0
        for (cell, value) in zip(cells, parsed.values) {
            guard let expected = Double(cell) else { continue }
            if expected.isInfinite { continue }   // recorded as non-finite, not data
            if expected.bitPattern != value.bitPattern && !(expected == 0 && value == 0 && expected.sign == value.sign) {
                mismatches += 1
                if mismatches < 5 { Issue.record("'\(cell)': Double(_:) gives \(expected), reader \(value)") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func telcoChurnLoadsWithItsBlankTotalCharges() throws {
        let data = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
        #expect(data.rowCount == 7043)
        #expect(data.columns.count == 21)
        #expect(try data.column("TotalCharges").missingCount == 11)
        #expect(try data.column("TotalCharges").kind == .numeric)
        #expect(try data.column("Churn").kind == .binary(zero: "No", one: "Yes"))
        #expect(try data.numericValues("Churn").reduce(0, +) == 1869)
        #expect(try data.column("Contract").levels == ["Month-to-month", "One year", "Two year"])
        #expect(try data.column("customerID").kind == .categorical(levels: try data.column("customerID").levels!))
    }
}
