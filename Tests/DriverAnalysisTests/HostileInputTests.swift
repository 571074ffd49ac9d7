import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// The library on hostile input: typed errors with file, row and column, never a trap, never a
/// silently wrong number.
@Suite("Hostile input")
struct HostileInputTests {
    @Test func aNULByteEndsNoNumber() throws {
        let file = try TemporaryFile(bytes: Array("y,a\n1,2\n2,5".utf8) + [0] + Array("999\n3,4\n".utf8))
        // Refused at load, with file, row and column: a NUL would otherwise turn the column into
        // text that the default drivers drop as an identifier without a word.
        #expect(throws: SurveyDataError.controlCharacter(path: file.path, row: 3, column: "a", value: "5\u{0}999")) {
            try SurveyData.load(csv: file.path)
        }
        let bell = try TemporaryFile(bytes: Array("y,a\n1,x\n2,b".utf8) + [7] + Array("c\n".utf8))
        #expect(throws: SurveyDataError.controlCharacter(path: bell.path, row: 3, column: "a", value: "b\u{7}c")) {
            try SurveyData.load(csv: bell.path)
        }
        let codes = try TemporaryFile(bytes: Array("y,a\n1,2\n2,9".utf8) + [0] + Array("9\n3,4\n".utf8))
        var options = CSVOptions()
        options.missingCodes = ["9\u{0}9"]
        // A missing code with a NUL is text: it matches the same text, never the number 9.
        let coded = try SurveyData.load(csv: codes.path, options: options)
        #expect(try coded.numericValues("a").filter(\.isNaN).count == 1)
    }

    @Test func wideEncodingsAndDirectoriesAreNamed() throws {
        let utf16 = try TemporaryFile(bytes: [0xFF, 0xFE] + Array("y,a\n1,2\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        #expect(throws: SurveyDataError.unreadable(path: utf16.path, reason: "it is UTF-16 text; save it as UTF-8 (\"CSV UTF-8\" in Excel)")) {
            try SurveyData.load(csv: utf16.path)
        }
        let noMark = try TemporaryFile(bytes: Array("y,a\n1,2\n3,4\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        #expect(throws: SurveyDataError.self) { try SurveyData.load(csv: noMark.path) }
        let directory = utf16.directory.path
        #expect(throws: SurveyDataError.unreadable(path: directory, reason: "it is a directory, not a CSV file")) {
            try SurveyData.load(csv: directory)
        }
    }

    static let header = "n,weight_sum,weight_squared_sum,mean__a,mean__y,cp__a__a,cp__a__y,cp__y__y\n"

    @Test("moments that cannot be", arguments: [
        ("1e19,1e19,1e19,1,2,3,1,3", "beyond 2^53"), ("inf,100,100,1,2,3,1,3", "not a finite number"),
        ("100,1e17,1e17,1,2,3,1,3", "weight_sum"), ("100,0,0,1,2,3,1,3", "weight_sum"), ("100,100,100,1,2,-3,1,3", "cannot be negative"),
        ("100,100,100,nan,2,3,1,3", "not a finite number"), ("100,100,100,1\u{0}5,2,3,1,3", "not a number"), ("-4,100,100,1,2,3,1,3", "positive count"),
    ])
    func invalidMoments(row: String, message: String) {
        do {
            _ = try MomentsSQL.moments(fromCSV: Self.header + row + "\n")
            Issue.record("\(row) was accepted")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test func duplicateMomentColumnsAreRefused() {
        #expect(throws: SurveyDataError.self) {
            try MomentsSQL.moments(fromCSV: "n,n,weight_sum,mean__a,cp__a__a\n5,6,5,1,2\n")
        }
    }

    @Test func streamedWeightsMayNotSumBeyondExactCounts() throws {
        let file = try TemporaryFile(contents: "y,a,w\n" + (0..<50).map { "\($0 % 7),\($0 % 5),1e17\n" }.joined())
        do {
            _ = try Moments(csv: file.path, variables: ["a", "y"], weight: "w")
            Issue.record("accepted")
        } catch let SurveyDataError.invalidWeight(_, row, column, _, reason) {
            #expect(column == "w" && row == 2 && reason.contains("2^53"))
        }
    }

    @Test func degenerateResamplesAreRedrawnAndCounted() throws {
        // A statistic undefined on a quarter of resamples (row 0 not drawn): redrawn, never fatal.
        let n = 2
        let boot = try Bootstrap(rowCount: n, replicates: 200, seed: 3) { w in
            guard w[0] > 0 else { throw ImportanceError.zeroVariance(driver: "rare") }
            return [w[0]]
        }
        #expect(boot.redrawnResamples > 20)
        #expect(boot.replicates.allSatisfy { $0[0] > 0 })
        // The redraws are part of the seeded stream: the same seed gives the same replicates.
        let again = try Bootstrap(rowCount: n, replicates: 200, seed: 3) { w in
            guard w[0] > 0 else { throw ImportanceError.zeroVariance(driver: "rare") }
            return [w[0]]
        }
        #expect(again.replicates == boot.replicates && again.redrawnResamples == boot.redrawnResamples)
        // A statistic that never works on a resample still fails, with its own error.
        #expect(throws: ImportanceError.zeroVariance(driver: "x")) {
            try Bootstrap(rowCount: 10, replicates: 5, seed: 1) { w in
                if w.allSatisfy({ $0 == 1 }) { return [1] }
                throw ImportanceError.zeroVariance(driver: "x")
            }
        }
        // Cancellation is never redrawn, and the replicate count is bounded.
        #expect(throws: ImportanceError.cancelled) {
            try Bootstrap(rowCount: 10, replicates: 5, seed: 1) { w in
                if w.allSatisfy({ $0 == 1 }) { return [1] }
                throw ImportanceError.cancelled
            }
        }
        #expect(throws: ImportanceError.self) { try Bootstrap(rowCount: 10, replicates: 1_000_000_000, seed: 1) { _ in [1] } }
    }

    @Test func generatingOntoAFullDeviceThrowsAndLeavesTheDevice() throws {
        let survey = try SyntheticSurvey(respondents: 30_000, touchpoints: 6)
        #expect(throws: SurveyDataError.self) { try survey.writeCSV(to: "/dev/full") }
        var st = stat()
        #expect(stat("/dev/full", &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR)
    }

    /// Values whose squares overflow or underflow a Double are refused with the column and the
    /// fix, never called "zero variance" or left to surface as a non-finite eigenvalue.
    @Test func extremeScalesAreRefusedWithTheReason() throws {
        for scale in [1e200, 0x1.0p-1030, 1e-160] {   // 0x1.0p-1030 ≈ 8.7e-311, a subnormal
            let rows = (0..<50).map { i in "\(Double(i % 7 + 1) * scale),\(i % 5),\(Double(i % 7) + Double(i % 5) / 2 + Double(i % 3))" }
            let file = try TemporaryFile(contents: "a,b,y\n" + rows.joined(separator: "\n") + "\n")
            let data = try SurveyData.load(csv: file.path)
            do {
                _ = try KeyDriverAnalysis.analyze(data, AnalysisConfiguration(outcome: "y"))
                Issue.record("scale \(scale) was analysed")
            } catch let SurveyDataError.extremeScale(column, magnitude) {
                #expect(column == "a" && magnitude == 7 * scale)
            }
        }
        // 1e±100 is well inside the range: analysed, with the same importance as the unscaled data.
        let rows = (0..<50).map { i in "\(Double(i % 7 + 1) * 1e100),\(i % 5),\(Double(i % 7) + Double(i % 5) / 2 + Double(i % 3))" }
        let plain = (0..<50).map { i in "\(Double(i % 7 + 1)),\(i % 5),\(Double(i % 7) + Double(i % 5) / 2 + Double(i % 3))" }
        let scaledFile = try TemporaryFile(contents: "a,b,y\n" + rows.joined(separator: "\n"))
        let plainFile = try TemporaryFile(contents: "a,b,y\n" + plain.joined(separator: "\n"))
        let scaled = try KeyDriverAnalysis.analyze(SurveyData.load(csv: scaledFile.path), AnalysisConfiguration(outcome: "y", drivers: ["a", "b"]))
        let reference = try KeyDriverAnalysis.analyze(SurveyData.load(csv: plainFile.path), AnalysisConfiguration(outcome: "y", drivers: ["a", "b"]))
        for name in ["a", "b"] {
            expectClose(scaled.driver(named: name)?.importance.shapley ?? .nan, reference.driver(named: name)?.importance.shapley ?? .nan,
                        relative: 1e-9, name)
        }
    }

    /// A column with an infinity is reported with its row, not silently left out; a huge whole
    /// number is a measurement, not an identifier.
    @Test func infinitiesAreReportedWithTheirRow() throws {
        let rows = (0..<40).map { i in "\(i == 7 ? "inf" : String(i % 6)),\(Double(i) * 1e200 + 1e200),\(i % 4),\(i % 6 + i % 4)" }
        let file = try TemporaryFile(contents: "a,huge,b,y\n" + rows.joined(separator: "\n") + "\n")
        let data = try SurveyData.load(csv: file.path)
        let selection = try DriverSelection(data: data, configuration: AnalysisConfiguration(outcome: "y"))
        let notes = selection.warnings.filter { $0.code.rawValue == "column_left_out" }.map(\.message)
        #expect(notes.contains { $0.contains("'a'") && $0.contains("row 9") && $0.contains("inf") }, "\(notes)")
        #expect(!notes.contains { $0.contains("'huge'") }, "\(notes)")
        #expect(selection.drivers.contains("huge"))
    }

    /// Ragged prediction input throws for every model instead of trapping the host process.
    @Test func raggedPredictionInputThrows() throws {
        let x1: [Double] = (0..<40).map { Double($0 % 7) }, x2: [Double] = (0..<40).map { Double($0 % 5) }
        let y = zip(x1, x2).map { $0 + 0.5 * $1 + Double(Int($0 * 3) % 2) }
        let churn = zip(x1, x2).enumerated().map { i, v in (v.0 + v.1 + Double(i % 3)) > 6 ? 1.0 : 0.0 }
        let linear = try LinearRegression(outcome: y, drivers: [x1, x2], names: ["a", "b"])
        let logistic = try LogisticRegression(outcome: churn, drivers: [x1, x2], names: ["a", "b"])
        #expect(throws: ModelError.self) { try linear.predict(columns: [[1, 2, 3], [1]]) }
        #expect(throws: ModelError.self) { try logistic.predict(columns: [[1, 2, 3], [1]]) }
        #expect(try linear.predict(columns: [[1, 2], [3, 4]]).count == 2)
    }

    @Test func rowIndicesOutOfRangeThrow() throws {
        let data = try SurveyData(columns: ["a": [1, 2, 3], "b": [4, 5, 6]])
        #expect(throws: SurveyDataError.rowOutOfRange(index: 99, rowCount: 3)) { try data.rows([0, 99]) }
        #expect(throws: SurveyDataError.rowOutOfRange(index: -1, rowCount: 3)) { try data.rows([-1]) }
        #expect(try data.rows([2, 0]).numericValues("a") == [3, 1])
    }

    /// `0x10` is text (the column mixes numbers and text), never the number 16.
    @Test func hexadecimalIsNotANumber() throws {
        let file = try TemporaryFile(contents: "y,a\n1,0x10\n2,5\n3,0X1p3\n")
        let data = try SurveyData.load(csv: file.path)
        #expect(throws: SurveyDataError.nonNumeric(path: file.path, row: 2, column: "a", value: "0x10")) { try data.numericValues("a") }
    }

    /// A file with classic Mac OS line ends (CR only) is named as such, not read as one header
    /// row of duplicate column names.
    @Test func carriageReturnOnlyLineEndsAreNamed() throws {
        let file = try TemporaryFile(contents: "y,a,b\r1,2,3\r4,5,6\r7,8,9\r")
        #expect { try SurveyData.load(csv: file.path) } throws: { error in
            guard case let SurveyDataError.unreadable(_, reason) = error else { return false }
            return reason.contains("carriage return only")
        }
        // A CR inside a quoted header cell is text, and CRLF files read as before.
        let quoted = try TemporaryFile(contents: "\"y\ra\",b\n1,2\n")
        #expect(try SurveyData.load(csv: quoted.path).columnNames == ["y\ra", "b"])
        let windows = try TemporaryFile(contents: "y,a\r\n1,2\r\n3,4\r\n")
        #expect(try SurveyData.load(csv: windows.path).rowCount == 2)
    }

    /// A header beyond 100,000 columns is refused before any column is built.
    @Test func anAbsurdlyWideHeaderIsRefused() throws {
        let names = (0...100_000).map { "c\($0)" }
        let file = try TemporaryFile(contents: names.joined(separator: ",") + "\n" + names.map { _ in "1" }.joined(separator: ",") + "\n")
        #expect { try SurveyData.load(csv: file.path) } throws: { error in
            guard case let SurveyDataError.unreadable(_, reason) = error else { return false }
            return reason.contains("100001 columns")
        }
    }

    /// A column without a header is left out of the default drivers with a note, not silently.
    @Test func anUnnamedColumnIsNamedInANote() throws {
        let file = try TemporaryFile(contents: "y,,b\n1,2,3\n2,5,1\n3,4,4\n4,1,2\n5,3,3\n6,6,1\n")
        let selection = try DriverSelection(data: SurveyData.load(csv: file.path), configuration: AnalysisConfiguration(outcome: "y"))
        #expect(selection.drivers == ["b"])
        #expect(selection.warnings.contains { $0.code.rawValue == "column_left_out" && $0.message.contains("column 2 has no header") })
    }
}
