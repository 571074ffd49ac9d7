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
        let data = try SurveyData.load(csv: file.path)
        #expect(throws: SurveyDataError.nonNumeric(path: file.path, row: 3, column: "a", value: "5\u{0}999")) {
            try data.numericValues("a")
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
        let survey = SyntheticSurvey(respondents: 30_000, touchpoints: 6)
        #expect(throws: SurveyDataError.self) { try survey.writeCSV(to: "/dev/full") }
        var st = stat()
        #expect(stat("/dev/full", &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR)
    }
}
