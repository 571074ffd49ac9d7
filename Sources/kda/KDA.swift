import ArgumentParser
import DriverAnalysis

@main
struct KDA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kda",
        abstract: "Key driver analysis of customer-experience data.",
        version: KeyDriverAnalysis.version,
        subcommands: [Demo.self, Generate.self],
        defaultSubcommand: Demo.self
    )
}
