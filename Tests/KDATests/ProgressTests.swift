import Foundation
import Testing

/// The progress line under a pseudo-terminal (`script` from util-linux): one line redrawn in
/// place with `\r` … `ESC[K`, fractions that move, cleared at the end; nothing off a terminal.
@Suite("kda progress", .serialized)
struct ProgressTests {
    static var script: String? {
        ["/usr/bin/script", "/bin/script"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: script != nil, "needs `script` (util-linux) for a pseudo-terminal"))
    func redrawsOneLineUnderATerminal() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let survey = directory.appendingPathComponent("churn.csv").path, report = directory.appendingPathComponent("r.txt").path
        #expect(try KDARun.run(["generate", "--respondents", "2000", "--touchpoints", "8", "--outcome", "churn", "--seed", "5", "--output", survey]).status == 0)
        let command = [KDARun.executable.path, "analyze", survey, "--outcome", "churn", "--bootstrap", "10", "--output", report]
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.script!)
        process.arguments = ["-qfec", command, "/dev/null"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains("Drivers"))
        let terminal = String(decoding: data, as: UTF8.self)
        let chunks = terminal.split(separator: "\r", omittingEmptySubsequences: true)
        try #require(chunks.count >= 3, "progress drawn: \(terminal.debugDescription)")
        #expect(terminal.hasPrefix("\r"), "every redraw starts at the line's beginning")
        for chunk in chunks {
            #expect(chunk.hasSuffix("\u{1B}[K"), "every redraw clears the rest of the line: \(chunk.debugDescription)")
            #expect(!chunk.contains("\n"), "one line, never a new one")
        }
        #expect(chunks.last == "\u{1B}[K", "the line is cleared at the end")
        let dominance = chunks.filter { $0.hasPrefix("logistic dominance") }
        let percents = Set(dominance.compactMap { $0.split(separator: ":").last?.split(separator: "%").first })
        #expect(percents.count >= 3, "the fraction moves: \(percents)")
        #expect(chunks.contains { $0.hasPrefix("bootstrap") })
    }

    @Test func silentOffATerminal() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let survey = directory.appendingPathComponent("churn.csv").path
        #expect(try KDARun.run(["generate", "--respondents", "500", "--touchpoints", "5", "--outcome", "churn", "--output", survey]).status == 0)
        let run = try KDARun.run(["analyze", survey, "--outcome", "churn", "--bootstrap", "5"])
        #expect(run.status == 0 && !run.stderr.contains("\r") && !run.stderr.contains("\u{1B}"))
    }
}
