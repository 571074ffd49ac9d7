import Foundation

/// SVG charts of a ``DriverReport``: the importance–performance matrix and a ranked importance
/// bar chart with bootstrap whiskers. Self-contained (no fonts or scripts fetched).
public enum PriorityChart {
    /// XML text and attribute escaping (``Escaping/markup(_:)``).
    static func escape(_ s: String) -> String { Escaping.markup(s) }

    /// Both charts stacked in one SVG document.
    public static func svg(_ report: DriverReport) -> String {
        let points = report.drivers.compactMap { d -> (String, Double, Double, ClosedInterval?, ClosedInterval?, Bool)? in
            guard let share = d.importance.rankingShare,
                  let performance = d.performance else { return nil }
            let ci = d.importanceIntervals[.shapley].flatMap { i -> ClosedInterval? in
                let total = report.drivers.compactMap { $0.importance.shapley }.reduce(0, +)
                return total > 0 ? ClosedInterval(lower: i.lower / total, upper: i.upper / total) : nil
            }
            return (d.name, share, performance, ci, d.performanceInterval, d.quadrantUnstable ?? false)
        }
        let width = 860.0, matrixHeight = 560.0
        let barHeight = 22.0 * Double(points.count) + 80
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(matrixHeight + barHeight + 20))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        guard !points.isEmpty else { return svg + "<text x=\"20\" y=\"30\">No importance to chart.</text>\n</svg>\n" }
        // Matrix.
        let left = 70.0, top = 40.0, plotW = width - left - 200, plotH = matrixHeight - top - 60
        let xs = points.map { $0.1 }, ys = points.map { $0.2 }
        let xMax = max(xs.max()! * 1.1, 1e-9), yMin = ys.min()! - 0.05 * max(1e-9, ys.max()! - ys.min()!) - 0.1
        let yMax = ys.max()! + 0.05 * max(1e-9, ys.max()! - ys.min()!) + 0.1
        func px(_ x: Double) -> Double { left + x / xMax * plotW }
        func py(_ y: Double) -> Double { top + (yMax - y) / (yMax - yMin) * plotH }
        let xSplit = xs.reduce(0, +) / Double(xs.count), ySplit = ys.reduce(0, +) / Double(ys.count)
        svg += "<text x=\"\(left)\" y=\"24\" font-size=\"16\" font-weight=\"bold\">Priority matrix: importance vs performance (\(escape(report.outcome)))</text>\n"
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#888\"/>\n"
        svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n", px(xSplit), top, px(xSplit), top + plotH)
        svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n", left, py(ySplit), left + plotW, py(ySplit))
        let labels = [("possible_overkill", left + 6, top + 16, "start"), ("keep_up", left + plotW - 6, top + 16, "end"),
                      ("nice_to_have", left + 6, top + plotH - 8, "start"), ("fix_first", left + plotW - 6, top + plotH - 8, "end")]
        for (text, x, y, anchor) in labels {
            svg += "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"\(anchor)\" fill=\"\(text == "fix_first" ? "#c0392b" : "#777")\" font-weight=\"bold\">\(text)</text>\n"
        }
        for k in 0...4 {
            let xv = xMax * Double(k) / 4, yv = yMin + (yMax - yMin) * Double(k) / 4
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#555\">%.0f %%</text>\n", px(xv), top + plotH + 16, 100 * xv)
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%.2f</text>\n", left - 6, py(yv) + 4, yv)
        }
        svg += "<text x=\"\(left + plotW / 2)\" y=\"\(top + plotH + 40)\" text-anchor=\"middle\">importance (share)</text>\n"
        svg += "<text transform=\"translate(14 \(top + plotH / 2)) rotate(-90)\" text-anchor=\"middle\">performance</text>\n"
        // Labels in a column right of the plot, in the points' vertical order, at least 14 px
        // apart, each joined to its point by a thin leader line: no overlaps for any number of
        // drivers that fits the height (30 drivers need 420 px).
        let sortedPoints = points.sorted { $0.2 > $1.2 }
        var labelY: [Double] = []
        for point in sortedPoints {
            let wanted = py(point.2) + 4
            labelY.append(max(wanted, (labelY.last ?? -Double.infinity) + 14))
        }
        let overflow = (labelY.last ?? 0) - (top + plotH + 4)
        if overflow > 0 {   // shift up, keeping the spacing
            for k in labelY.indices.reversed() {
                let limit = k == labelY.count - 1 ? labelY[k] - overflow : labelY[k + 1] - 14
                labelY[k] = min(labelY[k], limit)
            }
        }
        let labelX = left + plotW + 12
        for (k, (name, x, y, ci, pci, unstable)) in sortedPoints.enumerated() {
            let cx = px(x), cy = py(y)
            if let ci { svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>\n", px(ci.lower), cy, px(ci.upper), cy) }
            if let pci { svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>\n", cx, py(pci.lower), cx, py(pci.upper)) }
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", cx, cy, labelX - 3, labelY[k] - 4)
            svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%@\" stroke=\"#333\"/>\n", cx, cy, unstable ? "#f5b041" : "#2e86c1")
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\">%@%@</text>\n", labelX, labelY[k], escape(name), unstable ? " *" : "")
        }
        // Ranked bars.
        let barTop = matrixHeight + 10
        svg += "<text x=\"\(left)\" y=\"\(barTop)\" font-size=\"16\" font-weight=\"bold\">Importance ranking (share of explained variation)</text>\n"
        let ranked = points.sorted { $0.1 > $1.1 }
        let barLeft = 230.0, barW = width - barLeft - 80
        for (k, point) in ranked.enumerated() {
            let y = barTop + 20 + 22 * Double(k)
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%@</text>\n", barLeft - 8, y + 13, escape(point.0))
            svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"#2e86c1\"/>\n", barLeft, y, point.1 / xMax * barW)
            if let ci = point.3 {
                svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#222\" stroke-width=\"1.5\"/>\n",
                              barLeft + ci.lower / xMax * barW, y + 8, barLeft + ci.upper / xMax * barW, y + 8)
            }
            let end = max(point.1, point.3?.upper ?? point.1)
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\">%.1f %%</text>\n", barLeft + end / xMax * barW + 6, y + 13, 100 * point.1)
        }
        return svg + "</svg>\n"
    }
}
