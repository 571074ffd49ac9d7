extension DriverReport {
    /// One self-contained HTML page: the report's sections (summary, drivers, groups, stability,
    /// segments, notes), those ``table()`` and ``markdown()`` draw, with the charts inline after the
    /// driver table. Laid out for a 1,400 px window: numbers stay on one line, driver names wrap
    /// (at most 20 em wide), so the widest tables — bootstrap columns, the what-if's CLV at stake —
    /// need no horizontal scrolling (checked in headless Chromium by `HTMLLayoutTests`).
    public func html() -> String {
        var page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Key driver analysis: \(PriorityChart.escape(outcome))</title>
        <style>body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:12px 0}
        th,td{border:1px solid #ccc;padding:3px 7px;text-align:right;white-space:nowrap;font-size:13px}th{background:#f0f3f6;white-space:normal}td:nth-child(2),th:nth-child(2){text-align:left}
        td:nth-child(2){white-space:normal;min-width:7em;max-width:20em;overflow-wrap:anywhere}
        .fix_first{color:#c0392b;font-weight:bold}.notes li{margin:4px 0}ul.lines{list-style:none;padding-left:0}ul.lines li{white-space:pre-wrap;margin:2px 0}.wide{overflow-x:auto}.small{font-size:12px;color:#555;margin:2px 0}</style></head><body>
        <h1>Key driver analysis: \(PriorityChart.escape(outcome))</h1>

        """
        for section in sections {
            if let title = section.title { page += "<h2>\(PriorityChart.escape(title))</h2>\n" }
            // One element per line: the summary's aligned spacing would collapse in a paragraph.
            if !section.lines.isEmpty {
                page += "<ul class=\"lines\">" + section.lines.map { "<li>\(PriorityChart.escape($0))</li>" }.joined() + "</ul>\n"
            }
            if let header = section.table.first {
                page += "<div class=\"wide\"><table>\n<tr>" + header.map { "<th>\(PriorityChart.escape($0))</th>" }.joined() + "</tr>\n"
                for row in section.table.dropFirst() {
                    page += "<tr>" + row.map { "<td\(Self.htmlClass(forCell: $0))>\(PriorityChart.escape($0))</td>" }.joined() + "</tr>\n"
                }
                page += "</table></div>\n"
            }
            if !section.bullets.isEmpty {
                page += "<ul class=\"notes\">" + section.bullets.map { "<li>\(PriorityChart.escape($0))</li>" }.joined() + "</ul>\n"
            }
            for note in section.footnotes { page += "<p class=\"small\">\(PriorityChart.escape(note))</p>\n" }
            if section.title == "Drivers" { page += PriorityChart.svg(self) }
            if section.title == "Actions (what-if)", let chart = ValueChart.svg(self) { page += chart }
        }
        return page + "<p><small>DriverAnalysis \(KeyDriverAnalysis.version)</small></p>\n</body></html>\n"
    }

    /// The `class` attribute of a table cell: only the four quadrant names, never cell text.
    static func htmlClass(forCell cell: String) -> String {
        let name = cell.hasSuffix(" *") ? String(cell.dropLast(2)) : cell
        return PriorityMatrix.Quadrant(rawValue: name) != nil ? " class=\"\(name)\"" : ""
    }
}
