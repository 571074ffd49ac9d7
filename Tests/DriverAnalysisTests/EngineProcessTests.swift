import DriverAnalysis
import Foundation
import Testing

/// The engine command's processes: a timeout ends every process the command started (not only
/// `/bin/sh`), and an engine that prints without end is stopped at the output limit.
@Suite("Engine processes")
struct EngineProcessTests {
    /// Processes whose command line contains `marker` (read from /proc; no procps needed).
    static func processes(containing marker: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return line.contains(marker) ? line : nil
        }
    }

    @Test func aTimeoutEndsTheWholeProcessGroup() throws {
        let duration = "31\(Int.random(in: 100...999)).5"
        let engine = try SQLEngine(command: "sleep \(duration); cat", dialect: .sqlite, timeout: 1)
        let start = Date()
        #expect(throws: EngineError.self) { try engine.run("SELECT 1") }
        // The query sleeps for hours: returning at all within minutes shows the timeout acted (a
        // tight wall-clock bound only measured the machine's load); the real check is below.
        #expect(Date().timeIntervalSince(start) < 300)
        #expect(Self.eventually { Self.processes(containing: "sleep \(duration)").isEmpty }, "the query outlived the timeout")
        // A background child of the shell is ended with it.
        let background = try SQLEngine(command: "sleep \(duration)1 & sleep \(duration)2; cat", dialect: .sqlite, timeout: 1)
        #expect(throws: EngineError.self) { try background.run("SELECT 1") }
        #expect(Self.eventually { Self.processes(containing: "sleep \(duration)1").isEmpty && Self.processes(containing: "sleep \(duration)2").isEmpty })
    }

    /// Whether `condition` holds within five seconds (polled every 0.1 s): the kernel reaps a
    /// killed group promptly, but not instantly on a loaded machine.
    static func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<50 {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return condition()
    }

    @Test func endlessOutputIsStoppedAtTheLimit() throws {
        var engine = try SQLEngine(command: "yes 1,2,3", dialect: .sqlite, timeout: 60)
        engine.outputLimit = 1 << 20
        do {
            _ = try engine.run("SELECT 1")
            Issue.record("an endless engine was read to the end")
        } catch let EngineError.outputTooLarge(_, limit, _) {
            #expect(limit == 1 << 20)
        }
        #expect(Self.processes(containing: "yes 1,2,3").isEmpty)
        // A normal result passes, with the engine's exit status and message kept.
        let echo = try SQLEngine(command: "cat >/dev/null; printf 'n\\n3\\n'", dialect: .sqlite)
        #expect(try echo.run("SELECT 3 AS n") == "n\n3\n")
        let failing = try SQLEngine(command: "cat >/dev/null; echo 'Error: no such table' >&2; exit 1", dialect: .sqlite)
        #expect(throws: EngineError.failed(command: "cat >/dev/null; echo 'Error: no such table' >&2; exit 1", status: 1,
                                           message: "Error: no such table\n", query: "SELECT 1")) { try failing.run("SELECT 1") }
    }
}
