import Foundation

/// One hostile call: a name and a body that returns `nil` when the public API behaved exactly as
/// expected (threw the specific error, or returned the specific value), else what happened
/// instead. A trap ends the whole process with a signal, which `HostileProbeTests` reports with
/// the name of the probe that started last.
struct Probe: Sendable {
    let name: String
    let run: @Sendable () throws -> String?
}

/// Comparisons of what a call did with what it must do.
enum Expect {
    /// `body` must throw an error equal to `expected` (same type, same associated values).
    static func error<E: Error & Equatable>(_ expected: E, _ body: () throws -> Any) -> String? {
        do {
            let value = try body()
            return "returned \(String(describing: value).prefix(200)) instead of throwing \(expected)"
        } catch let error as E {
            return error == expected ? nil : "threw \(error), expected \(expected)"
        } catch {
            return "threw \(type(of: error)): \(error), expected \(type(of: expected)): \(expected)"
        }
    }

    /// `body` must throw `DecodingError.dataCorrupted` whose description is `message`.
    static func corrupted(_ message: String, _ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return "decoded instead of throwing DecodingError.dataCorrupted(\(message))"
        } catch let DecodingError.dataCorrupted(context) {
            return context.debugDescription == message ? nil : "dataCorrupted(\(context.debugDescription)), expected dataCorrupted(\(message))"
        } catch {
            return "threw \(type(of: error)): \(error), expected DecodingError.dataCorrupted(\(message))"
        }
    }

    /// `body` must return `true` without throwing.
    static func holds(_ what: String, _ body: () throws -> Bool) -> String? {
        do { return try body() ? nil : "\(what) does not hold" } catch { return "threw \(type(of: error)): \(error)" }
    }
}

/// Runs every probe whose name contains the first argument (all without one), printing
/// `start NAME` before and `ok NAME` or `FAIL NAME: …` after each, then `probes: N ok, M failed`;
/// exits 0 only when every probe passed.
@main
enum ProbeRunner {
    static func main() {
        let filter = CommandLine.arguments.dropFirst().first
        let probes = ModelProbes.all + DataProbes.all + DecodingProbes.all + AnalysisProbes.all + ImportanceProbes.all + FuzzProbes.all
        var passed = 0, failed = 0
        for probe in probes where filter.map({ probe.name.contains($0) }) ?? true {
            say("start \(probe.name)")
            let outcome: String?
            do { outcome = try probe.run() } catch { outcome = "unexpected \(type(of: error)): \(error)" }
            if let outcome {
                say("FAIL \(probe.name): \(outcome)")
                failed += 1
            } else {
                say("ok \(probe.name)")
                passed += 1
            }
        }
        say("probes: \(passed) ok, \(failed) failed")
        exit(failed == 0 ? 0 : 1)
    }
}

/// Writes `line` to standard output at once (unbuffered), so that the last line before a trap
/// names the probe that trapped.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Small deterministic data the probes share.
enum ProbeData {
    static let a: [Double] = (0..<40).map { Double($0 % 7) }
    static let b: [Double] = (0..<40).map { Double(($0 * 3) % 5) }
    static let y: [Double] = zip(a, b).map { $0 + 0.5 * $1 + Double(Int($0 * 3) % 2) }
    static let churn: [Double] = zip(a, b).enumerated().map { i, v in (v.0 + v.1 + Double(i % 3)) > 6 ? 1 : 0 }
}
