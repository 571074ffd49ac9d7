extension DriverReport {
    /// One self-contained HTML page: summary, ranked driver table, charts inline, notes.
    public func html() -> String {
        let rows = tableRows
        var page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Key driver analysis: \(PriorityChart.escape(outcome))</title>
        <style>body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:12px 0}
        th,td{border:1px solid #ccc;padding:3px 7px;text-align:right;white-space:nowrap;font-size:13px}th{background:#f0f3f6}td:nth-child(2),th:nth-child(2){text-align:left}
        .fix_first{color:#c0392b;font-weight:bold}.notes li{margin:4px 0}</style></head><body>
        <h1>Key driver analysis: \(PriorityChart.escape(outcome))</h1>

        """
        page += summaryLines.map { "<p>\(PriorityChart.escape($0))</p>" }.joined(separator: "\n")
        page += "\n<table>\n<tr>" + rows[0].map { "<th>\(PriorityChart.escape($0))</th>" }.joined() + "</tr>\n"
        for row in rows.dropFirst() {
            page += "<tr>" + row.map { "<td\(Self.htmlClass(forCell: $0))>\(PriorityChart.escape($0))</td>" }.joined() + "</tr>\n"
        }
        page += "</table>\n"
        page += "<p>\(PriorityChart.escape(orderLine))</p>\n"
        if !factorLines.isEmpty {
            page += "<h2>Factor levels</h2>\n<ul>" + factorLines.map { "<li>\(PriorityChart.escape($0))</li>" }.joined() + "</ul>\n"
        }
        if value != nil { page += "<p>\(PriorityChart.escape(valueLine))</p>\n" }
        page += PriorityChart.svg(self)
        if !warnings.isEmpty {
            page += "<h2>Notes</h2>\n<ul class=\"notes\">" + warnings.map { "<li><code>\(PriorityChart.escape($0.code))</code>: \(PriorityChart.escape(Escaping.truncated($0.message, limit: 1_000)))</li>" }.joined() + "</ul>\n"
        }
        return page + "<p><small>DriverAnalysis \(KeyDriverAnalysis.version)</small></p>\n</body></html>\n"
    }

    /// The `class` attribute of a table cell: only the four quadrant names, never cell text.
    static func htmlClass(forCell cell: String) -> String {
        let name = cell.hasSuffix(" *") ? String(cell.dropLast(2)) : cell
        return PriorityMatrix.Quadrant(rawValue: name) != nil ? " class=\"\(name)\"" : ""
    }
}
