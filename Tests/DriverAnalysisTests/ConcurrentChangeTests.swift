@testable import DriverAnalysis
import Fixtures
import Foundation
import Testing

@Suite("Files that change while being read")
struct ConcurrentChangeTests {
    @Test func truncationDuringTheReadIsAnError() throws {
        let survey = try SyntheticSurvey(respondents: 3_000, touchpoints: 4, seed: 61)
        let file = try TemporaryFile(contents: "")
        try survey.writeCSV(to: file.path)
        var reader = CSVReader(path: file.path, options: CSVOptions(chunkSize: 4_096))
        let path = file.path
        reader.afterChunk = { bytes in
            if bytes == 4_096 { truncate(path, 6_000) }     // another process cuts the file short
        }
        #expect {
            try reader.read { _, _ in }
        } throws: { error in
            guard case let .unreadable(p, reason) = error as? SurveyDataError else { return false }
            return p == path && reason.contains("truncated while being read")
        }
    }

    @Test func aFileRemovedAfterOpeningIsReadWhole() throws {
        // On POSIX systems an open file outlives its name: the read completes on the original data.
        let survey = try SyntheticSurvey(respondents: 2_000, touchpoints: 3, seed: 62)
        let file = try TemporaryFile(contents: "")
        try survey.writeCSV(to: file.path)
        var reader = CSVReader(path: file.path, options: CSVOptions(chunkSize: 4_096))
        let path = file.path
        reader.afterChunk = { bytes in if bytes == 4_096 { unlink(path) } }
        var rows = 0
        try reader.read { _, block in rows += block.rowCount }
        #expect(rows == 2_000)
    }
}
