import Foundation

/// What the engine path carries out, per model: every configuration field it cannot honour is
/// refused by name (``AnalysisError/invalidOption(option:value:reason:)``), never ignored. `kda`'s
/// parity table (`Docs/scale-out.md`) lists the same rules per command-line option, and a test
/// runs each option through SQLite and DuckDB against the file path.
enum EngineSupport {
    /// One request the engine path does not carry out: the option as `kda` spells it and why.
    struct Refusal: Sendable, Equatable {
        let option: String
        let reason: String
    }

    /// The requests of `c` (model already settled: logistic or linear) that the engine refuses.
    static func refusals(_ c: AnalysisConfiguration, logistic: Bool) -> [Refusal] {
        var out: [Refusal] = []
        func refuse(_ when: Bool, _ option: String, _ reason: String) { if when { out.append(.init(option: option, reason: reason)) } }
        refuse(!c.intercept, "--no-intercept", "the engine's models always have an intercept (the moments and the IRLS terms are centred)")
        refuse(c.robust != nil, "--robust", "robust standard errors need each row's residual; the engine returns sums only")
        refuse(!c.groups.isEmpty, "--group", "group importance is not computed in the engine")
        refuse(!c.controls.isEmpty, "--control", "controls are not adjusted for in the engine")
        refuse(c.missing == .pairwise, "--missing pairwise", "the engine's moments are listwise")
        refuse(c.npsScale != nil, "--nps-scale", "the engine reads a 0–10 NPS item only")
        if logistic {
            refuse(c.segment != nil, "--segment", "segments of a logistic model are not computed in the engine")
            refuse(c.nps != nil, "--nps", "NPS beside a logistic model is not computed in the engine (it is, with a linear model)")
            refuse(!c.scales.isEmpty, "--scale", "the engine's logistic what-if caps a rating at its largest observed value, not at a declared scale")
            refuse(c.linearWorkBudget.isInfinite && (c.drivers?.count ?? 0) > KeyDriverAnalysis.engineImportanceLimit, "--exhaustive",
                   "logistic importance in the engine fits every submodel up to \(KeyDriverAnalysis.engineImportanceLimit) drivers only")
        } else {
            refuse(c.weight != nil, "--weight", "weighted linear standard errors need each row's residual (the file path's are design-based); the engine returns sums only")
            refuse(!c.categorical.isEmpty, "--categorical", "factors in a linear model are not computed in the engine")
            refuse(!c.references.isEmpty, "--reference", "factors in a linear model are not computed in the engine")
            refuse(!c.levelMoves.isEmpty, "--what-if-move", "the linear what-if needs the rows; the engine returns sums only")
            refuse(c.margin != nil, "--margin", "the linear what-if and lifetime values need the rows; the engine returns sums only")
            refuse(c.whatIfDelta != 1, "--what-if-delta", "the linear what-if needs the rows; the engine returns sums only")
            refuse(c.conservative, "--conservative", "there is no CLV at stake in a linear engine analysis")
            refuse(c.bootstrap > 0 && c.segment != nil, "--bootstrap with --segment", "the engine bootstraps the whole table, not each segment")
        }
        return out
    }

    /// Throws the first refusal of `c`, naming every refused option.
    static func check(_ c: AnalysisConfiguration, logistic: Bool) throws {
        let refused = refusals(c, logistic: logistic)
        guard let first = refused.first else { return }
        let model = logistic ? "logistic" : "linear"
        throw AnalysisError.invalidOption(option: refused.map(\.option).joined(separator: ", "), value: "given",
            reason: "not carried out by the engine path for a \(model) model — \(first.reason)\(refused.count > 1 ? " (and \(refused.count - 1) more)" : ""); drop \(refused.count > 1 ? "them" : "it") or analyse the table as a FILE (see the parity table in Docs/scale-out.md)")
    }
}
