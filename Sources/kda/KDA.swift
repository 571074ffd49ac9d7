import ArgumentParser
import DriverAnalysis
import Foundation

/// Exit codes of the public contract.
enum ExitStatus {
    static let badUsage: Int32 = 2
    static let badData: Int32 = 3
}

struct KDA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kda",
        abstract: "Key driver analysis of customer-experience data.",
        discussion: "Exit codes: 0 success, 2 bad usage, 3 bad data (the message names the file, row and column).",
        version: KeyDriverAnalysis.version,
        subcommands: [Analyze.self, Demo.self, Generate.self, SQL.self],
        defaultSubcommand: nil
    )
}

/// Maps errors to the contract's exit codes: usage errors 2, data errors 3.
/// The temporary output file being written, removed if the run is interrupted (C string:
/// read from a signal handler).
nonisolated(unsafe) var temporaryOutputPath: UnsafeMutablePointer<CChar>? = nil

@main
enum Entry {
    static func main() {
        // Interrupted runs exit with 130 and leave no partial output behind. (The handler is also
        // needed because a parent may have started us with SIGINT ignored.)
        let interrupted: @convention(c) (Int32) -> Void = { signal in
            if let path = temporaryOutputPath { unlink(path) }
            _exit(128 + signal)
        }
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        signal(SIGINT, interrupted)
        signal(SIGTERM, interrupted)
        do {
            var command = try KDA.parseAsRoot()
            try command.run()
        } catch let error as UsageError {
            FileHandle.standardError.write(Data("kda: error: \(error.message)\n".utf8))
            exit(ExitStatus.badUsage)
        } catch let error as AnalysisError {
            // An option the analysis cannot carry out: a usage problem.
            FileHandle.standardError.write(Data("kda: error: \(error.localizedDescription)\n".utf8))
            exit(ExitStatus.badUsage)
        } catch where isDataError(error) {
            fail(error.localizedDescription)
        } catch {
            // ArgumentParser's own errors (bad flags, --help, --version).
            let code = KDA.exitCode(for: error)
            if code == .success {
                KDA.exit(withError: error)
            }
            FileHandle.standardError.write(Data((KDA.fullMessage(for: error) + "\n").utf8))
            exit(ExitStatus.badUsage)
        }
    }

    /// The library's error families: all describe the data (exit code 3).
    static func isDataError(_ error: Error) -> Bool { error is any DriverAnalysisError }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kda: error: \(message)\n".utf8))
        exit(ExitStatus.badData)
    }
}

/// A usage problem found after parsing (exit code 2).
struct UsageError: Error {
    let message: String
}
