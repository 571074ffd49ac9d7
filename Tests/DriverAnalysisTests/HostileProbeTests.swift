import Fixtures
import Foundation
import Testing

/// The public API driven with hostile input in a child process (`Tests/HostileProbe`): ragged,
/// empty, out-of-range, NaN, ±inf and 1e308 values, impossible sizes, inconsistent and mutated
/// JSON for every `Decodable` result, cancelled analyses. Each probe checks the *specific* error
/// (or value) the call must give; a trap would end the child with a signal, which fails this test
/// naming the probe that was running, instead of killing the whole test run.
@Suite("hostile probe (child process)")
struct HostileProbeTests {
    /// The probe executable, built with the tests (it is a dependency of this target).
    static var executable: URL {
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent("HostileProbe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/HostileProbe")
    }

    @Test func everyHostileCallThrowsItsTypedErrorAndNothingTraps() throws {
        let child = try ChildProcess.run(Self.executable)
        let lines = child.output.split(separator: "\n").map(String.init)
        let running = lines.last { $0.hasPrefix("start ") }.map { String($0.dropFirst(6)) } ?? "none"
        #expect(child.exited,
                "the probe died of signal \(child.status) (a trap) while running '\(running)'; last lines:\n\(lines.suffix(5).joined(separator: "\n"))")
        let failures = lines.filter { $0.hasPrefix("FAIL ") }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        let passed = lines.filter { $0.hasPrefix("ok ") }.count
        #expect(lines.last == "probes: \(passed) ok, 0 failed", "\(lines.suffix(3))")
        #expect(passed >= 97, "only \(passed) probes ran")
        #expect(child.status == 0)
    }
}
