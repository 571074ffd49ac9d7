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
        subcommands: [Analyze.self, Profile.self, Demo.self, Generate.self, SQL.self, EngineParityCommand.self],
        defaultSubcommand: nil
    )
}

/// Maps errors to the contract's exit codes: usage errors 2, data errors 3.
@main
enum Entry {
    static func main() {
        // Interrupted runs exit with 130 and leave no partial output behind. (The handler is also
        // needed because a parent may have started us with SIGINT ignored.)
        let interrupted: @convention(c) (Int32) -> Void = { signal in
            TemporaryFiles.removeAll()
            _exit(128 + signal)
        }
        // A closed pipe or a full disk is an error we report (exit 2), not a silent death by SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        StandardStreams.occupyClosedDescriptors()
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
            StandardStreams.writeError("kda: error: \(Escaping.message(error.message))\n")
            exit(ExitStatus.badUsage)
        } catch let error as AnalysisError {
            // An option the analysis cannot carry out: a usage problem.
            StandardStreams.writeError("kda: error: \(Escaping.message(error.description))\n")
            exit(ExitStatus.badUsage)
        } catch let error as DataProblem {
            fail(error.message)
        } catch where isDataError(error) {
            fail("\(error)")
        } catch {
            // ArgumentParser's own errors (bad flags, --help, --version).
            let code = KDA.exitCode(for: error)
            if code == .success {
                KDA.exit(withError: error)
            }
            StandardStreams.writeError(Escaping.message(KDA.fullMessage(for: error), keepingNewlines: true) + "\n")
            exit(ExitStatus.badUsage)
        }
    }

    /// The library's error families: all describe the data (exit code 3).
    static func isDataError(_ error: Error) -> Bool { error is any DriverAnalysisError }

    static func fail(_ message: String) -> Never {
        StandardStreams.writeError("kda: error: \(Escaping.message(message, keepingNewlines: true))\n")
        exit(ExitStatus.badData)
    }
}

/// A usage problem found after parsing (exit code 2).
struct UsageError: Error {
    let message: String
}

/// A data problem found by `kda` itself, before the library sees the data (exit code 3).
struct DataProblem: Error {
    let message: String
}
