import ArgumentParser
import DriverAnalysis

extension Analyze {
    /// `--role`, `--kind`, `--lower-is-better` and `--exclude` into the configuration: each takes
    /// column names, comma lists and globs (`s*`); the library refuses a pattern that matches no
    /// column, naming the option.
    func applyDeclarations(to configuration: inout AnalysisConfiguration) throws {
        for text in role {
            let (columns, value) = try Self.declaration(text, option: "--role", form: "COLS=lever|attribute|control")
            guard let role = AnalysisConfiguration.DriverRole(rawValue: value.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw UsageError(message: "--role \(text): the role must be lever, attribute or control, not '\(value)'")
            }
            configuration.roles += columns.map { .init($0, role) }
        }
        for text in kind {
            let (columns, value) = try Self.declaration(text, option: "--kind", form: "COLS=rating|count|amount|binary|factor")
            guard let kind = AnalysisConfiguration.DeclaredKind(rawValue: value.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw UsageError(message: "--kind \(text): the kind must be rating, count, amount, binary or factor, not '\(value)'")
            }
            configuration.kinds += columns.map { .init($0, kind) }
        }
        configuration.lowerIsBetter = try lowerIsBetter.map { try Self.list($0, option: "--lower-is-better").map(ColumnPattern.init) } ?? []
        configuration.excluded = try exclude.map { try Self.list($0, option: "--exclude").map(ColumnPattern.init) } ?? []
        if let npsScale {
            guard nps != nil else { throw UsageError(message: "--nps-scale needs --nps, the likelihood-to-recommend column") }
            let ends = npsScale.components(separatedBy: "..")
            guard ends.count == 2, let lower = Double(ends[0].trimmingCharacters(in: .whitespaces)),
                  let upper = Double(ends[1].trimmingCharacters(in: .whitespaces)), lower.isFinite, upper.isFinite, lower < upper else {
                throw UsageError(message: "--nps-scale takes LO..HI, e.g. 1..11 (got '\(npsScale)')")
            }
            configuration.npsScale = lower...upper
        }
    }

    /// `COLS=VALUE` split at the last `=` (a column name may hold `=`, a value does not): the
    /// columns a comma list (with CSV-style quoting) of names or globs.
    static func declaration(_ text: String, option: String, form: String) throws -> ([String], String) {
        guard let equals = text.lastIndex(of: "=") else { throw UsageError(message: "\(option) takes \(form) (got '\(text)')") }
        let columns = String(text[..<equals]), value = String(text[text.index(after: equals)...])
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { throw UsageError(message: "\(option) takes \(form) (got '\(text)')") }
        return (try list(columns, option: option), value)
    }
}
