import Foundation

/// A rectangle in SVG pixels.
struct ChartBox: Sendable, Equatable {
    var x: Double, y: Double, width: Double, height: Double
    var maxX: Double { x + width }
    var maxY: Double { y + height }
    func intersects(_ o: ChartBox) -> Bool { x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY }
    func contains(_ o: ChartBox) -> Bool { o.x >= x - 1e-9 && o.maxX <= maxX + 1e-9 && o.y >= y - 1e-9 && o.maxY <= maxY + 1e-9 }
}

/// A straight line in SVG pixels.
struct ChartSegment: Sendable, Equatable {
    var x1: Double, y1: Double, x2: Double, y2: Double
    var box: ChartBox { ChartBox(x: min(x1, x2), y: min(y1, y2), width: abs(x2 - x1), height: abs(y2 - y1)) }

    /// Whether the two segments cross (proper intersection; shared end points do not count).
    func crosses(_ o: ChartSegment) -> Bool {
        func orient(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, _ cx: Double, _ cy: Double) -> Double {
            (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
        }
        let d1 = orient(o.x1, o.y1, o.x2, o.y2, x1, y1), d2 = orient(o.x1, o.y1, o.x2, o.y2, x2, y2)
        let d3 = orient(x1, y1, x2, y2, o.x1, o.y1), d4 = orient(x1, y1, x2, y2, o.x2, o.y2)
        return d1 * d2 < 0 && d3 * d4 < 0
    }
}

/// The geometry of both charts, computed before any SVG is written so tests can check it:
/// every mark inside the canvas, labels apart, leader lines uncrossed.
struct ChartLayout: Sendable {
    /// One driver on the importance–performance matrix.
    struct MatrixPoint: Sendable {
        var name: String
        var label: String
        var unstable: Bool
        var cx: Double, cy: Double
        var whiskerX: ChartSegment?
        var whiskerY: ChartSegment?
        /// The label's text box (baseline at `label.maxY − 3`).
        var labelBox: ChartBox
        /// From the point to its label: a short tick for a label beside its point, a long line
        /// for a label in the column right of the plot.
        var leader: ChartSegment
        /// Whether the label sits in the column (no free place beside the point).
        var inColumn = true
    }
    /// One bar of the ranking.
    struct Bar: Sendable {
        var name: String
        var label: String
        var labelBox: ChartBox
        var bar: ChartBox
        var whisker: ChartSegment?
        var valueText: String
        var valueBox: ChartBox
    }

    static let charWidth = 7.2      // DejaVu Sans at 12 px: widest average glyph advance
    static let lineHeight = 16.0    // label pitch in the label column
    static let maxLabel = 46        // characters before a name is cut with "…" (full name in <title>)

    var width = 960.0
    var height = 0.0
    var matrixPlot = ChartBox(x: 0, y: 0, width: 0, height: 0)
    var xAxis = ChartAxis(covering: 0, 1)
    var yAxis = ChartAxis(covering: 0, 100)
    var xSplit = 0.0, ySplit = 0.0
    var points: [MatrixPoint] = []
    var legendY = 0.0
    var barTop = 0.0
    var barPlot = ChartBox(x: 0, y: 0, width: 0, height: 0)
    var barAxis = ChartAxis(covering: 0, 1)
    var bars: [Bar] = []
    var hasWhiskers = false
    var hasUnstable = false

    /// `name` cut to at most `limit` characters with an ellipsis.
    static func shortened(_ name: String, limit: Int = maxLabel) -> String {
        name.count <= limit ? name : String(name.prefix(limit - 1)) + "…"
    }

    static func textWidth(_ s: String) -> Double { Double(s.count) * charWidth }

    /// Lays out both charts for `report`.
    init(_ report: DriverReport) {
        let shapleyTotal = report.drivers.compactMap { $0.importance.shapley }.reduce(0, +)
        func shareInterval(_ d: DriverReport.DriverRow) -> ClosedInterval? {
            guard let i = d.importanceIntervals[.shapley], shapleyTotal > 0 else { return nil }
            return ClosedInterval(lower: max(0, i.lower / shapleyTotal), upper: i.upper / shapleyTotal)
        }
        let ranked = report.drivers.filter { $0.importance.rankingShare != nil }
            .sorted { $0.importance.rankingShare! > $1.importance.rankingShare! }
        let onMatrix = ranked.filter { $0.performancePercent != nil }
        hasWhiskers = ranked.contains { shareInterval($0) != nil }
        hasUnstable = onMatrix.contains { $0.quadrantUnstable == true }

        // Matrix: plot on the left, one label column on the right, tall enough for every label.
        let left = 70.0, top = 56.0, plotW = 500.0
        let plotH = max(400, Self.lineHeight * Double(onMatrix.count) + 24)
        matrixPlot = ChartBox(x: left, y: top, width: plotW, height: plotH)
        let xHigh = onMatrix.map { max($0.importance.rankingShare!, shareInterval($0)?.upper ?? 0) }.max() ?? 1
        xAxis = ChartAxis(covering: 0, xHigh, count: 6, limits: 0...1)
        func percent(_ d: DriverReport.DriverRow, _ v: Double) -> Double? {
            guard let scale = d.scale, scale.upper > scale.lower else { return nil }
            return 100 * (v - scale.lower) / (scale.upper - scale.lower)
        }
        let yValues = onMatrix.flatMap { d -> [Double] in
            [d.performancePercent!] + (d.performanceInterval.map { [percent(d, $0.lower), percent(d, $0.upper)].compactMap { $0 } } ?? [])
        }
        yAxis = ChartAxis(covering: (yValues.min() ?? 0) - 2, (yValues.max() ?? 100) + 2, count: 6, limits: 0...100)
        let xAxis = self.xAxis, yAxis = self.yAxis
        let px = { (x: Double) in xAxis.position(x, from: left, to: left + plotW) }
        let py = { (y: Double) in yAxis.position(y, from: top + plotH, to: top) }
        if !onMatrix.isEmpty {
            xSplit = onMatrix.map { $0.importance.rankingShare! }.reduce(0, +) / Double(onMatrix.count)
            ySplit = onMatrix.map { $0.performancePercent! }.reduce(0, +) / Double(onMatrix.count)
        }
        let labelX = left + plotW + 18
        var points = onMatrix.map { d -> MatrixPoint in
            let cx = px(d.importance.rankingShare!), cy = py(d.performancePercent!)
            let label = Self.shortened(d.name) + (d.quadrantUnstable == true ? " *" : "")
            return MatrixPoint(name: d.name, label: label, unstable: d.quadrantUnstable == true, cx: cx, cy: cy,
                               whiskerX: shareInterval(d).map { ChartSegment(x1: px($0.lower), y1: cy, x2: px(min($0.upper, xAxis.upper)), y2: cy) },
                               whiskerY: d.performanceInterval.flatMap { i in
                                   guard let lo = percent(d, i.lower), let hi = percent(d, i.upper) else { return nil }
                                   return ChartSegment(x1: cx, y1: py(max(lo, yAxis.lower)), x2: cx, y2: py(min(hi, yAxis.upper)))
                               },
                               labelBox: ChartBox(x: labelX, y: 0, width: Self.textWidth(label), height: 14),
                               leader: ChartSegment(x1: cx, y1: cy, x2: labelX - 4, y2: cy))
        }
        let corners = [ChartBox(x: left, y: top, width: 140, height: 24), ChartBox(x: left + plotW - 80, y: top, width: 80, height: 24),
                       ChartBox(x: left, y: top + plotH - 24, width: 110, height: 24), ChartBox(x: left + plotW - 80, y: top + plotH - 24, width: 80, height: 24)]
        // Labels beside their points where there is room, the rest in the column; a label beside
        // its point that a column leader would run through joins the column, until none does
        // (the column only grows, so this ends).
        var forced = Set<String>()
        while true {
            var placed = points
            Self.placeBeside(&placed, plot: matrixPlot, obstacles: corners, skipping: forced)
            var column = placed.filter(\.inColumn)
            Self.placeLabels(&column, top: top, bottom: top + plotH, labelX: labelX)
            let beside = placed.filter { !$0.inColumn }
            let hit = beside.filter { b in column.contains { c in c.leader.crosses(b.leader) || Self.crosses(c.leader, b.labelBox) } }
            if hit.isEmpty {
                points = beside + column
                break
            }
            forced.formUnion(hit.map(\.name))
        }
        self.points = points
        // Without rating drivers there is no matrix: the ranked bars follow the one-line note.
        legendY = onMatrix.isEmpty ? 48 : top + plotH + 58

        // Ranked bars: every driver with importance, names right-aligned before the bars.
        barTop = legendY + 44
        let longest = ranked.map { Self.textWidth(Self.shortened($0.name)) }.max() ?? 0
        let barLeft = 16 + min(longest, Self.textWidth(String(repeating: "x", count: Self.maxLabel))) + 10
        let barRight = width - 64   // room for the value label after the longest bar or whisker
        let rowH = 22.0
        barPlot = ChartBox(x: barLeft, y: barTop + 24, width: barRight - barLeft, height: rowH * Double(ranked.count))
        let barHigh = ranked.map { max($0.importance.rankingShare!, shareInterval($0)?.upper ?? 0) }.max() ?? 1
        barAxis = ChartAxis(covering: 0, barHigh, count: 6, limits: 0...1)
        let barAxis = self.barAxis, barPlot = self.barPlot
        let bx = { (x: Double) in barAxis.position(x, from: barLeft, to: barRight) }
        bars = ranked.enumerated().map { k, d in
            let y = barPlot.y + rowH * Double(k) + 3
            let share = d.importance.rankingShare!
            let label = Self.shortened(d.name)
            let whisker = shareInterval(d).map { ChartSegment(x1: bx($0.lower), y1: y + 8, x2: bx(min($0.upper, barAxis.upper)), y2: y + 8) }
            let end = max(bx(share), whisker.map { max($0.x1, $0.x2) } ?? 0)
            let value = String(format: "%.1f %%", 100 * share)
            return Bar(name: d.name, label: label, labelBox: ChartBox(x: barLeft - 8 - Self.textWidth(label), y: y + 1, width: Self.textWidth(label), height: 14),
                       bar: ChartBox(x: barLeft, y: y, width: max(0, bx(share) - barLeft), height: 16), whisker: whisker,
                       valueText: value, valueBox: ChartBox(x: end + 6, y: y + 1, width: Self.textWidth(value), height: 14))
        }
        height = barPlot.maxY + 40
    }

    /// Puts each label beside its point where it overlaps no point, whisker, corner caption or
    /// other label and stays inside the plot (right, left, then above and below); the labels
    /// that find no such place go to the column (``placeLabels``). Points are served from the
    /// most important down, so the drivers that matter most get the nearest labels.
    static func placeBeside(_ points: inout [MatrixPoint], plot: ChartBox, obstacles: [ChartBox], skipping: Set<String> = []) {
        var taken = obstacles
        taken += points.map { ChartBox(x: $0.cx - 6, y: $0.cy - 6, width: 12, height: 12) }
        taken += points.flatMap { [$0.whiskerX, $0.whiskerY].compactMap { $0?.box } }.map { ChartBox(x: $0.x - 1, y: $0.y - 1, width: $0.width + 2, height: $0.height + 2) }
        let order = points.indices.sorted { points[$0].cx > points[$1].cx }
        for i in order where !skipping.contains(points[i].name) {
            let p = points[i], w = p.labelBox.width
            let candidates = [ChartBox(x: p.cx + 9, y: p.cy - 7, width: w, height: 14), ChartBox(x: p.cx - 9 - w, y: p.cy - 7, width: w, height: 14),
                              ChartBox(x: p.cx + 4, y: p.cy - 22, width: w, height: 14), ChartBox(x: p.cx + 4, y: p.cy + 8, width: w, height: 14),
                              ChartBox(x: p.cx - 4 - w, y: p.cy - 22, width: w, height: 14), ChartBox(x: p.cx - 4 - w, y: p.cy + 8, width: w, height: 14)]
            guard let box = candidates.first(where: { c in plot.contains(c) && !taken.contains { $0.intersects(c) } }) else { continue }
            taken.append(box)
            points[i].labelBox = box
            points[i].inColumn = false
            // A short tick from the point's edge toward the nearest edge of its label.
            let tx = min(max(p.cx, box.x), box.maxX), ty = min(max(p.cy, box.y), box.maxY)
            let d = max(1e-9, ((tx - p.cx) * (tx - p.cx) + (ty - p.cy) * (ty - p.cy)).squareRoot())
            points[i].leader = ChartSegment(x1: p.cx + 5 * (tx - p.cx) / d, y1: p.cy + 5 * (ty - p.cy) / d, x2: tx, y2: ty)
        }
    }

    /// Whether the segment runs through the box (crosses one of its edges).
    static func crosses(_ s: ChartSegment, _ b: ChartBox) -> Bool {
        [ChartSegment(x1: b.x, y1: b.y, x2: b.maxX, y2: b.y), ChartSegment(x1: b.x, y1: b.maxY, x2: b.maxX, y2: b.maxY),
         ChartSegment(x1: b.x, y1: b.y, x2: b.x, y2: b.maxY), ChartSegment(x1: b.maxX, y1: b.y, x2: b.maxX, y2: b.maxY)].contains { s.crosses($0) }
    }

    /// Puts the labels in one column at least ``lineHeight`` apart, as near their points' heights
    /// as the column allows, then swaps label slots between points whose leader lines cross until
    /// none do. Each swap shortens the total leader length (triangle inequality), so it ends.
    static func placeLabels(_ points: inout [MatrixPoint], top: Double, bottom: Double, labelX: Double) {
        guard !points.isEmpty else { return }
        points.sort { ($0.cy, $0.cx) < ($1.cy, $1.cx) }
        var slots = points.map { $0.cy - 7 }   // box tops, centred on the point
        for k in slots.indices { slots[k] = max(slots[k], k == 0 ? top : slots[k - 1] + lineHeight) }
        let last = bottom - 14
        for k in slots.indices.reversed() { slots[k] = min(slots[k], k == slots.count - 1 ? last : slots[k + 1] - lineHeight) }
        func leader(_ p: MatrixPoint, _ slot: Double) -> ChartSegment { ChartSegment(x1: p.cx, y1: p.cy, x2: labelX - 4, y2: slot + 7) }
        var order = Array(points.indices)   // order[k]: the point whose label sits in slot k
        var changed = true, passes = 0
        while changed && passes < 200 {
            changed = false
            passes += 1
            for a in order.indices {
                for b in order.indices where b > a {
                    if leader(points[order[a]], slots[a]).crosses(leader(points[order[b]], slots[b])) {
                        order.swapAt(a, b)
                        changed = true
                    }
                }
            }
        }
        for (k, i) in order.enumerated() {
            points[i].labelBox.y = slots[k]
            points[i].leader = leader(points[i], slots[k])
        }
    }
}
