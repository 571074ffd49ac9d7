import Foundation

/// SVG charts of a ``DriverReport``: the importance–performance matrix (rating drivers, performance
/// as percent of each rating's own scale) and a ranked importance bar chart of every driver with
/// bootstrap whiskers. Self-contained (no fonts or scripts fetched). Every mark, whisker and label
/// lies inside the canvas; a crowded matrix numbers its points and names them in a legend under
/// the plot (the internal `ChartLayout`); names longer than 46 characters are cut (the full name is the
/// label's `<title>`).
public enum PriorityChart {
    /// XML text and attribute escaping (`Escaping.markup(_:)`).
    static func escape(_ s: String) -> String { Escaping.markup(s) }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    /// A text element with its full name as a tooltip.
    static func label(_ text: String, full: String, x: Double, y: Double, anchor: String? = nil) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\"\(anchor.map { " text-anchor=\"\($0)\"" } ?? "")><title>\(escape(full))</title>\(escape(text))</text>\n"
    }

    static func line(_ s: ChartSegment, _ style: String) -> String {
        "<line x1=\"\(f(s.x1))\" y1=\"\(f(s.y1))\" x2=\"\(f(s.x2))\" y2=\"\(f(s.y2))\" \(style)/>\n"
    }

    /// Both charts stacked in one SVG document.
    ///
    /// - Parameter report: the analysis whose drivers are charted.
    public static func svg(_ report: DriverReport) -> String {
        let layout = ChartLayout(report)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(layout.width))\" height=\"\(Int(layout.height))\" viewBox=\"0 0 \(Int(layout.width)) \(Int(layout.height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        guard !layout.bars.isEmpty else { return svg + "<text x=\"20\" y=\"30\">No importance to chart.</text>\n</svg>\n" }
        let fitName = report.model.kind == .linear ? "R²" : "McFadden R²"
        if layout.points.isEmpty {
            svg += "<text x=\"70\" y=\"30\" fill=\"#555\">Priority matrix: no rating drivers to place (only ratings have a performance).</text>\n"
        } else {
            svg += matrix(layout, outcome: ChartLayout.shortened(report.outcome, limit: 40), fitName: fitName)
        }
        svg += bars(layout, fitName: fitName)
        return svg + "</svg>\n"
    }

    static func matrix(_ l: ChartLayout, outcome: String, fitName: String) -> String {
        let p = l.matrixPlot
        var svg = "<text x=\"\(f(p.x))\" y=\"22\" font-size=\"16\" font-weight=\"bold\">Priority matrix: importance vs performance (\(escape(outcome)))</text>\n"
        var notes: [String] = []
        if l.xScale.lower > 0 { notes.append("Importance axis from \(l.xScale.label(l.xScale.lower)) %, not 0.") }
        if let o = l.xScale.outliers {
            notes.append("Axis broken (≈) between \(l.xScale.main.label(l.xScale.main.upper, scale: 100)) % and \(o.label(o.lower, scale: 100)) %.")
        }
        if l.numbered { notes.append("Numbers: importance rank among the ratings, named under the plot.") }
        svg += "<text x=\"\(f(p.x))\" y=\"40\" fill=\"#555\" font-size=\"11\">Rating drivers; quadrant lines at the drivers' mean importance and mean performance.</text>\n"
        if !notes.isEmpty {
            svg += "<text x=\"\(f(p.x))\" y=\"54\" fill=\"#555\" font-size=\"11\">\(escape(notes.joined(separator: " ")))</text>\n"
        }
        let px = { (x: Double) in l.xScale.position(x) }
        let py = { (y: Double) in l.yAxis.position(y, from: p.maxY, to: p.y) }
        for t in l.xScale.ticks { svg += line(ChartSegment(x1: px(t), y1: p.y, x2: px(t), y2: p.maxY), "stroke=\"#eee\"") }
        for tick in l.xTickLabels {
            svg += "<text x=\"\(f(tick.box.x + tick.box.width / 2))\" y=\"\(f(p.maxY + 16))\" text-anchor=\"middle\" fill=\"#555\">\(tick.text)</text>\n"
        }
        if l.xScale.outliers != nil {
            // The break: a white band across the plot with a zigzag on both axes' edges.
            let a = l.xScale.mainEnd, b = l.xScale.outliersStart
            svg += "<rect x=\"\(f(a + 4))\" y=\"\(f(p.y))\" width=\"\(f(b - a - 8))\" height=\"\(f(p.height))\" fill=\"#f7f7f7\"/>\n"
            for y in [p.y, p.maxY] {
                svg += "<polyline points=\"\(f(a + 4)),\(f(y + 5)) \(f(a + 9)),\(f(y - 5)) \(f(b - 9)),\(f(y + 5)) \(f(b - 4)),\(f(y - 5))\" fill=\"none\" stroke=\"#888\"/>\n"
            }
        }
        for t in l.yAxis.ticks {
            svg += line(ChartSegment(x1: p.x, y1: py(t), x2: p.maxX, y2: py(t)), "stroke=\"#eee\"")
            svg += "<text x=\"\(f(p.x - 6))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\" fill=\"#555\">\(l.yAxis.label(t))</text>\n"
        }
        svg += "<rect x=\"\(f(p.x))\" y=\"\(f(p.y))\" width=\"\(f(p.width))\" height=\"\(f(p.height))\" fill=\"none\" stroke=\"#888\"/>\n"
        svg += line(ChartSegment(x1: px(l.xSplit), y1: p.y, x2: px(l.xSplit), y2: p.maxY), "stroke=\"#bbb\" stroke-dasharray=\"4 3\"")
        svg += line(ChartSegment(x1: p.x, y1: py(l.ySplit), x2: p.maxX, y2: py(l.ySplit)), "stroke=\"#bbb\" stroke-dasharray=\"4 3\"")
        let corners = [("possible_overkill", p.x + 6, p.y + 16, "start"), ("keep_up", p.maxX - 6, p.y + 16, "end"),
                       ("nice_to_have", p.x + 6, p.maxY - 8, "start"), ("fix_first", p.maxX - 6, p.maxY - 8, "end")]
        for (text, x, y, anchor) in corners {
            svg += "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\" fill=\"\(text == "fix_first" ? "#c0392b" : "#999")\" font-weight=\"bold\">\(text)</text>\n"
        }
        svg += "<text x=\"\(f(p.x + p.width / 2))\" y=\"\(f(p.maxY + 36))\" text-anchor=\"middle\">importance (share of \(fitName), %)</text>\n"
        svg += "<text transform=\"translate(16 \(f(p.y + p.height / 2))) rotate(-90)\" text-anchor=\"middle\">performance (% of scale)</text>\n"
        for point in l.points { if let leader = point.leader { svg += line(leader, "stroke=\"#999\"") } }
        for point in l.points {
            if let w = point.whiskerX { svg += line(w, "stroke=\"#777\"") }
            if let w = point.whiskerY { svg += line(w, "stroke=\"#777\"") }
        }
        for point in l.points {
            svg += "<circle cx=\"\(f(point.cx))\" cy=\"\(f(point.cy))\" r=\"5\" fill=\"\(point.unstable ? "#f5b041" : "#2e86c1")\" stroke=\"#333\"/>\n"
            if point.number != nil {
                svg += "<text x=\"\(f(point.labelBox.x + 1))\" y=\"\(f(point.labelBox.maxY - 2))\" font-size=\"11\" font-weight=\"bold\"><title>\(escape(point.name))</title>\(escape(point.label))</text>\n"
            } else {
                svg += label(point.label, full: point.name, x: point.labelBox.x, y: point.labelBox.maxY - 3)
            }
        }
        for entry in l.legend {
            let number = "\(entry.number)"
            svg += "<text x=\"\(f(entry.box.x))\" y=\"\(f(entry.box.maxY - 3))\"><title>\(escape(entry.name))</title><tspan font-weight=\"bold\">\(number)</tspan>\(escape(String(entry.text.dropFirst(number.count))))</text>\n"
        }
        svg += legend(l, y: l.legendY)
        return svg
    }

    /// What the colours and whiskers mean, in one row under the matrix.
    static func legend(_ l: ChartLayout, y: Double) -> String {
        var x = l.matrixPlot.x
        var svg = "<circle cx=\"\(f(x + 5))\" cy=\"\(f(y - 4))\" r=\"5\" fill=\"#2e86c1\" stroke=\"#333\"/>\n"
        svg += "<text x=\"\(f(x + 14))\" y=\"\(f(y))\" font-size=\"11\">quadrant stable</text>\n"
        x += 120
        if l.hasUnstable {
            svg += "<circle cx=\"\(f(x + 5))\" cy=\"\(f(y - 4))\" r=\"5\" fill=\"#f5b041\" stroke=\"#333\"/>\n"
            svg += "<text x=\"\(f(x + 14))\" y=\"\(f(y))\" font-size=\"11\">* quadrant unstable (&lt; 80 % of resamples)</text>\n"
            x += 290
        }
        if l.matrixWhiskers {
            svg += line(ChartSegment(x1: x, y1: y - 4, x2: x + 24, y2: y - 4), "stroke=\"#777\"")
            svg += "<text x=\"\(f(x + 30))\" y=\"\(f(y))\" font-size=\"11\">bootstrap interval</text>\n"
        } else if l.hasWhiskers {
            svg += "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"11\">bootstrap intervals: in the ranking below (not drawn on a matrix of more than \(ChartLayout.matrixWhiskerLimit) ratings)</text>\n"
        }
        return svg
    }

    static func bars(_ l: ChartLayout, fitName: String) -> String {
        let p = l.barPlot
        var svg = "<text x=\"16\" y=\"\(f(l.barTop))\" font-size=\"16\" font-weight=\"bold\">Importance ranking (share of \(fitName))</text>\n"
        let bx = { (x: Double) in l.barAxis.position(x, from: p.x, to: p.maxX) }
        for t in l.barAxis.ticks {
            svg += line(ChartSegment(x1: bx(t), y1: p.y - 4, x2: bx(t), y2: p.maxY), "stroke=\"#eee\"")
            svg += "<text x=\"\(f(bx(t)))\" y=\"\(f(p.maxY + 16))\" text-anchor=\"middle\" fill=\"#555\">\(l.barAxis.label(t, scale: 100)) %</text>\n"
        }
        for bar in l.bars {
            svg += label(bar.label, full: bar.name, x: bar.labelBox.maxX, y: bar.labelBox.maxY - 3, anchor: "end")
            svg += "<rect x=\"\(f(bar.bar.x))\" y=\"\(f(bar.bar.y))\" width=\"\(f(bar.bar.width))\" height=\"\(f(bar.bar.height))\" fill=\"#2e86c1\"/>\n"
            if let w = bar.whisker {
                svg += line(w, "stroke=\"#222\" stroke-width=\"1.5\"")
                for x in [w.x1, w.x2] { svg += line(ChartSegment(x1: x, y1: w.y1 - 4, x2: x, y2: w.y1 + 4), "stroke=\"#222\" stroke-width=\"1.5\"") }
            }
            svg += "<text x=\"\(f(bar.valueBox.x))\" y=\"\(f(bar.valueBox.maxY - 3))\" class=\"value\">\(bar.valueText)</text>\n"
        }
        if l.hasWhiskers {
            svg += "<text x=\"16\" y=\"\(f(p.maxY + 32))\" font-size=\"11\" fill=\"#555\">Bars: importance share; black whiskers: bootstrap interval of the share.</text>\n"
        }
        return svg
    }
}
