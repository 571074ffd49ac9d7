/// The analyst's declarations applied to report rows where no ``DriverSelection`` ran (the
/// warehouse and summary paths), by the same rules: each driver's role
/// (``AnalysisConfiguration/role(of:derived:)``), whether less is better, no what-if for a profile
/// attribute, and a factor's what-if framed by ``AnalysisConfiguration/factorFraming(of:)``.
/// (Derived columns need the rows, so these paths do not detect them.)
enum ActionRoles {
    /// Applies the declarations to `rows`; returns the note naming attributes assumed by name.
    static func apply(to rows: inout [DriverReport.DriverRow], configuration c: AnalysisConfiguration) -> [DriverReport.Warning] {
        var assumed: [String] = []
        for j in rows.indices {
            let name = rows[j].name
            let role = c.role(of: name)
            if role == .attribute && c.declaredRole(of: name) == nil { assumed.append(name) }
            rows[j].role = role
            if c.isLowerBetter(name) { rows[j].lowerIsBetter = true }
            if role == .attribute { rows[j].whatIf = nil }
            if var whatIf = rows[j].whatIf {
                whatIf.framing = rows[j].kind == .factor ? c.factorFraming(of: name) : .move
                rows[j].whatIf = whatIf
            }
        }
        return AnalysisConfiguration.profileAttributesNote(assumed).map { [$0] } ?? []
    }
}
