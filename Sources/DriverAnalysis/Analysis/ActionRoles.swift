/// The analyst's declarations applied to report rows where no ``DriverSelection`` ran (the
/// warehouse path): each driver's role (declared, or by its name — see
/// ``AnalysisConfiguration/defaultRole(of:)``), whether less is better, no what-if for a profile
/// attribute, and a factor's default what-if framed as the gap between two levels rather than
/// an action. The in-memory path sets the same fields from its selection and value stages.
enum ActionRoles {
    /// Applies the declarations to `rows`; returns the note naming attributes assumed by name.
    static func apply(to rows: inout [DriverReport.DriverRow], configuration c: AnalysisConfiguration) -> [DriverReport.Warning] {
        var assumed: [String] = []
        for j in rows.indices {
            let name = rows[j].name
            let declared = c.declaredRole(of: name)
            let role = declared ?? AnalysisConfiguration.defaultRole(of: name)
            if role == .attribute && declared == nil { assumed.append(name) }
            rows[j].role = role
            if c.isLowerBetter(name) { rows[j].lowerIsBetter = true }
            if role == .attribute { rows[j].whatIf = nil }
            if var whatIf = rows[j].whatIf {
                let declaredMove = c.levelMoves.contains { $0.column == name } || declared == .lever
                whatIf.framing = rows[j].kind == .factor && !declaredMove ? .gap : .move
                rows[j].whatIf = whatIf
            }
        }
        guard !assumed.isEmpty else { return [] }
        return [.init("profile_attributes", "\(assumed.joined(separator: ", ")) read as profile attributes by their names: in the model and the importance table, but no what-if and no action (declare --role COL=lever to make one a lever)")]
    }
}
