import ArgumentParser
import DriverAnalysis

/// Every `kda analyze` option and what the engine path (`--engine`) does with it, per model: the
/// same answer as the file path, or a refusal (exit 2) naming the option — never ignored. A test
/// checks that this table lists every option the argument parser knows, that `Docs/scale-out.md`
/// prints it as `kda engine-parity` does, and runs each option through SQLite and DuckDB against
/// the file path. The model-dependent refusals are made by the library after it has settled the
/// model (`EngineSupport`), the others here before any query.
enum EngineParity {
    /// What the engine path does with an option.
    enum Support: Equatable, Sendable {
        /// Same answer as the file path on the same rows.
        case honoured
        /// Refused with exit 2 and this reason.
        case refused(String)
        /// Part of the engine path itself (`--engine`, `--table`, …).
        case engine
        /// Another input or a file-reading option: refused with `--engine`.
        case otherInput
        /// The same answer for the values named; the other values refused, for the reason given.
        case partly(honoured: String, refused: String)
    }

    struct Entry: Sendable {
        let option: String
        let linear: Support
        let logistic: Support
        /// Whether the option was given (differs from its default).
        let given: @Sendable (Analyze) -> Bool
    }

    static let per = "per-source models, imputation and pairwise moments need the rows"
    static let entries: [Entry] = [
        .init(option: "<file>", linear: .otherInput, logistic: .otherInput) { $0.file != nil },
        .init(option: "--outcome", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--drivers", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--driver", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--event", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--event-meaning", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--reference", linear: .refused("factors in a linear model are not computed in the engine"), logistic: .honoured) { !$0.reference.isEmpty },
        .init(option: "--categorical", linear: .refused("factors in a linear model are not computed in the engine"), logistic: .honoured) { $0.categorical != nil },
        .init(option: "--what-if-move", linear: .refused("the linear what-if needs the rows"), logistic: .honoured) { !$0.whatIfMove.isEmpty },
        .init(option: "--scale", linear: .honoured, logistic: .refused("the engine's what-if caps at the largest observed value")) { !$0.scale.isEmpty },
        .init(option: "--role", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--kind", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--lower-is-better", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--exclude", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--robust", linear: .refused("robust errors need each row's residual"), logistic: .refused("robust errors need each row's residual")) { $0.robust != nil },
        .init(option: "--model", linear: .honoured, logistic: .honoured) { $0.model == "ordinal" },
        .init(option: "--weight", linear: .refused("weighted linear standard errors need each row's residual"), logistic: .honoured) { _ in false },
        .init(option: "--weight-kind", linear: .refused("weighted linear standard errors need each row's residual"), logistic: .honoured) { _ in false },
        .init(option: "--segment", linear: .honoured, logistic: .refused("segments of a logistic model are not computed in the engine")) { _ in false },
        .init(option: "--source", linear: .engine, logistic: .engine) { _ in false },
        .init(option: "--repeated", linear: .engine, logistic: .engine) { _ in false },
        .init(option: "--key-case", linear: .engine, logistic: .engine) { _ in false },
        .init(option: "--missing", linear: .refused("the engine's moments are listwise"), logistic: .refused("the engine's fit is listwise")) { $0.missing == "pairwise" },
        .init(option: "--fragments", linear: .partly(honoured: "listwise", refused: per), logistic: .partly(honoured: "listwise", refused: per)) {
            $0.fragments != nil && $0.fragments != "listwise"
        },
        .init(option: "--imputations", linear: .otherInput, logistic: .otherInput) { $0.imputations != nil },
        .init(option: "--na-values", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--methods", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--bootstrap", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--seed", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--confidence", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--format", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--output", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--chart", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--no-intercept", linear: .refused("the engine's models always have an intercept"), logistic: .refused("the engine's models always have an intercept")) { $0.noIntercept },
        .init(option: "--scale-max", linear: .otherInput, logistic: .otherInput) { _ in false },
        .init(option: "--group", linear: .refused("group importance is not computed in the engine"), logistic: .refused("group importance is not computed in the engine")) { !$0.group.isEmpty },
        .init(option: "--control", linear: .refused("controls are not adjusted for in the engine"), logistic: .refused("controls are not adjusted for in the engine")) { $0.control != nil },
        .init(option: "--from-correlation", linear: .otherInput, logistic: .otherInput) { $0.fromCorrelation != nil },
        .init(option: "--n", linear: .otherInput, logistic: .otherInput) { $0.n != nil },
        .init(option: "--from-moments", linear: .otherInput, logistic: .otherInput) { $0.fromMoments != nil },
        .init(option: "--engine", linear: .engine, logistic: .engine) { _ in false },
        .init(option: "--table", linear: .engine, logistic: .engine) { _ in false },
        .init(option: "--dialect", linear: .engine, logistic: .engine) { _ in false },
        .init(option: "--engine-timeout", linear: .engine, logistic: .engine) { _ in false },
        .init(option: "--row-key", linear: .engine, logistic: .engine) { _ in false },
        .init(option: "--conservative", linear: .refused("there is no CLV at stake in a linear engine analysis"), logistic: .honoured) { _ in false },
        .init(option: "--nps", linear: .honoured, logistic: .refused("NPS beside a logistic model is not computed in the engine")) { _ in false },
        .init(option: "--nps-scale", linear: .refused("the engine reads a 0–10 NPS item only"), logistic: .refused("the engine reads a 0–10 NPS item only")) { $0.npsScale != nil },
        .init(option: "--margin", linear: .refused("the linear what-if and lifetime values need the rows"), logistic: .honoured) { _ in false },
        .init(option: "--discount-rate", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--what-if-delta", linear: .refused("the linear what-if needs the rows"), logistic: .honoured) { _ in false },
        .init(option: "--stream", linear: .otherInput, logistic: .otherInput) { $0.stream != "auto" },
        .init(option: "--memory-budget", linear: .otherInput, logistic: .otherInput) { $0.memoryBudget != 1024 },
        .init(option: "--quiet", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--exhaustive", linear: .honoured, logistic: .honoured) { _ in false },
        .init(option: "--version", linear: .engine, logistic: .engine) { _ in false },
        .init(option: "--help", linear: .engine, logistic: .engine) { _ in false },
    ]

    /// Refuses, before any query, every given option that the engine path refuses whatever the
    /// model, and those refused for the model declared with `--model`; the library refuses the
    /// rest once `auto` is settled.
    static func refuseUnsupported(_ command: Analyze, model: AnalysisConfiguration.ModelChoice) throws {
        for entry in entries where entry.given(command) {
            let statuses: [Support]
            switch model {
            case .linear: statuses = [entry.linear]
            case .logistic: statuses = [entry.logistic]
            default: statuses = [entry.linear, entry.logistic]
            }
            if statuses.allSatisfy({ $0 == .otherInput }) {
                throw UsageError(message: "\(entry.option) belongs to another input than --engine (a FILE, a profile or summary statistics); drop it or drop --engine")
            }
            let reasons = statuses.compactMap { status -> String? in
                switch status {
                case let .refused(reason), let .partly(_, reason): return reason
                default: return nil
                }
            }
            if reasons.count == statuses.count, let reason = reasons.first {
                throw UsageError(message: "\(entry.option) is not carried out by the engine path: \(reason); drop it or analyse the table as a FILE (see the parity table in Docs/scale-out.md)")
            }
        }
    }

    /// The table as Markdown (what `Docs/scale-out.md` holds).
    static var markdown: String {
        func cell(_ s: Support) -> String {
            switch s {
            case .honoured: return "same answer"
            case let .refused(reason): return "refused: \(reason)"
            case .engine: return "engine option"
            case .otherInput: return "refused: another input"
            case let .partly(honoured, refused): return "same answer for \(honoured); other values refused: \(refused)"
            }
        }
        return (["| option | linear model | logistic model |", "|---|---|---|"]
            + entries.map { "| `\($0.option)` | \(cell($0.linear)) | \(cell($0.logistic)) |" }).joined(separator: "\n") + "\n"
    }
}

/// `kda engine-parity`: prints the engine parity table (hidden; the docs and tests read it).
struct EngineParityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "engine-parity", abstract: "Print what --engine does with each analyze option.",
                                                    shouldDisplay: false)
    func run() throws { try StandardStreams.writeOutput(EngineParity.markdown) }
}
