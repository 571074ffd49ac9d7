import Foundation

/// A program run to its end with its standard output and error merged: how the tests drive
/// executables whose crash must not take the test run down with it (the hostile probe, `swiftc`).
public struct ChildProcess: Sendable {
    /// The merged output, decoded as UTF-8 (invalid bytes replaced).
    public let output: String
    /// The exit status, or the signal number when ``exited`` is `false`.
    public let status: Int32
    /// Whether it exited (rather than died of a signal).
    public let exited: Bool

    /// Runs `executable` with `arguments` and waits for it.
    ///
    /// - Throws: what `Process.run()` throws when it cannot start.
    public static func run(_ executable: URL, _ arguments: [String] = []) throws -> ChildProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ChildProcess(output: String(decoding: data, as: UTF8.self), status: process.terminationStatus,
                            exited: process.terminationReason == .exit)
    }
}
