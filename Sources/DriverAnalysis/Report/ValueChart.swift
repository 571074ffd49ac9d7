import Foundation

/// An SVG bar chart of the CLV at stake of each action, in the action order, with its bootstrap
/// interval as a whisker: gains to the right of zero, losses to the left. Self-contained, every
/// label escaped (`Escaping.markup(_:)`) and cut at 40 characters (the full name is its
/// `<title>`); `nil` when no action has a CLV at stake.
enum ValueChart {
    static func svg(_ report: DriverReport) -> String? {
        let rows = report.actionOrder.compactMap { name in report.drivers.first { $0.name == name } }
            .compactMap { row -> (name: String, value: Double, interval: ClosedInterval?)? in
                guard let value = row.whatIf?.clvAtStake, value.isFinite else { return nil }
                return (row.name, value, row.whatIf?.interval.flatMap { $0.lower.isFinite && $0.upper.isFinite ? $0 : nil })
            }
        guard !rows.isEmpty else { return nil }
        var values: [Double] = [0]
        for row in rows {
            values.append(row.value)
            if let i = row.interval { values += [i.lower, i.upper] }
        }
        let low = values.min() ?? 0, high = values.max() ?? 0
        let span = high - low > 0 ? high - low : 1
        let left = 230.0, width = 520.0, rowHeight = 24.0, top = 40.0
        let x = { (v: Double) in left + (v - low) / span * width }
        let height = top + Double(rows.count) * rowHeight + 40
        let f = { (v: Double) in String(format: "%.1f", v) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + width + 140))\" height=\"\(Int(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"16\" y=\"22\" font-size=\"16\" font-weight=\"bold\">CLV at stake per action</text>\n"
        svg += "<line x1=\"\(f(x(0)))\" y1=\"\(f(top - 6))\" x2=\"\(f(x(0)))\" y2=\"\(f(top + Double(rows.count) * rowHeight))\" stroke=\"#888\"/>\n"
        for (k, row) in rows.enumerated() {
            let y = top + Double(k) * rowHeight
            let name = row.name.count > 40 ? String(row.name.prefix(39)) + "…" : row.name
            svg += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 15))\" text-anchor=\"end\"><title>\(Escaping.markup(row.name))</title>\(k + 1). \(Escaping.markup(name))</text>\n"
            let a = x(min(0, row.value)), b = x(max(0, row.value))
            svg += "<rect x=\"\(f(a))\" y=\"\(f(y + 4))\" width=\"\(f(max(1, b - a)))\" height=\"\(f(rowHeight - 8))\" fill=\"\(row.value >= 0 ? "#27ae60" : "#c0392b")\"/>\n"
            if let i = row.interval {
                let y0 = y + rowHeight / 2
                svg += "<line x1=\"\(f(x(i.lower)))\" y1=\"\(f(y0))\" x2=\"\(f(x(i.upper)))\" y2=\"\(f(y0))\" stroke=\"#222\" stroke-width=\"1.5\"/>\n"
            }
            let labelX = row.value >= 0 ? x(max(row.value, row.interval?.upper ?? row.value)) + 6 : x(max(0, row.interval?.upper ?? 0)) + 6
            svg += "<text x=\"\(f(labelX))\" y=\"\(f(y + 15))\" fill=\"#333\">\(Escaping.markup(NumberFormat.money(row.value, signed: true)))</text>\n"
        }
        let note = rows.contains { $0.interval != nil } ? "Bars: CLV at stake of each action's what-if; whiskers: its bootstrap interval." : "Bars: CLV at stake of each action's what-if (add --bootstrap for intervals)."
        svg += "<text x=\"16\" y=\"\(f(height - 12))\" font-size=\"11\" fill=\"#555\">\(note)</text>\n"
        return svg + "</svg>\n"
    }
}
