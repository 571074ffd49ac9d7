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
/// every mark inside the canvas, labels apart, no leader line through a label or another leader.
///
/// The matrix names its points beside them when every name finds a free place next to its point;
/// otherwise (crowded matrices, 20–50 ratings) each point carries its number — 1 the most
/// important — placed by a search around the point outward (a short leader line when it had to
/// move away), and a legend under the plot lists the numbers with the names. The importance axis
/// (``ImportanceScale``) covers the points' range rather than starting at 0 when they sit away
/// from it, and breaks before a few far-right outliers; the plot takes the canvas width.
struct ChartLayout: Sendable {
    /// One driver on the importance–performance matrix.
    struct MatrixPoint: Sendable {
        var name: String
        /// The text by the point: the name (shortened), or the point's number in a crowded matrix.
        var label: String
        var unstable: Bool
        var cx: Double, cy: Double
        var whiskerX: ChartSegment?
        var whiskerY: ChartSegment?
        /// The label's text box (baseline at `label.maxY − 3`).
        var labelBox: ChartBox
        /// From the point's edge to its label; `nil` when the label touches the point.
        var leader: ChartSegment?
        /// The point's number in the legend (crowded matrices), `nil` when named beside it.
        var number: Int?
    }
    /// One line of the numbered legend under a crowded matrix.
    struct LegendEntry: Sendable {
        var number: Int
        var name: String
        /// `"12  Departure/Arrival time convenience…"`, its box.
        var text: String
        var box: ChartBox
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
    static let numberWidth = 7.0    // a digit of the bold 11 px number labels
    static let lineHeight = 16.0    // pitch of the legend's lines
    static let maxLabel = 46        // characters before a name is cut with "…" (full name in <title>)

    var width = 960.0
    var height = 0.0
    var matrixPlot = ChartBox(x: 0, y: 0, width: 0, height: 0)
    var xScale = ImportanceScale(shares: [], from: 0, to: 1)
    /// The importance ticks' labels (`"12.5 %"`) with their boxes; a label that would overlap the
    /// one before it (at the axis break) is left out.
    var xTickLabels: [(text: String, box: ChartBox)] = []
    var yAxis = ChartAxis(covering: 0, 100)
    var xSplit = 0.0, ySplit = 0.0
    var points: [MatrixPoint] = []
    /// Whether the points carry numbers (explained by ``legend``) instead of names.
    var numbered = false
    var legend: [LegendEntry] = []
    /// The boxes of the four quadrant captions in the plot's corners.
    var corners: [ChartBox] = []
    var legendY = 0.0
    var barTop = 0.0
    var barPlot = ChartBox(x: 0, y: 0, width: 0, height: 0)
    var barAxis = ChartAxis(covering: 0, 1)
    var bars: [Bar] = []
    var hasWhiskers = false
    /// Whether the matrix draws the bootstrap whiskers: up to ``matrixWhiskerLimit`` points (beyond,
    /// a thicket of crossing lines; the colour marks an unstable quadrant, the ranking bars and the
    /// tables give the intervals).
    var matrixWhiskers = false
    static let matrixWhiskerLimit = 20
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
        let drawWhiskers = onMatrix.count <= Self.matrixWhiskerLimit
        matrixWhiskers = drawWhiskers && (hasWhiskers || onMatrix.contains { $0.performanceInterval != nil })
        hasUnstable = onMatrix.contains { $0.quadrantUnstable == true }

        // Matrix: the plot takes the canvas width (labels sit inside it), taller when crowded.
        let left = 70.0, top = 64.0, plotW = width - left - 24
        let plotH = onMatrix.count > 30 ? 600.0 : onMatrix.count > 12 ? 520.0 : 400.0
        matrixPlot = ChartBox(x: left, y: top, width: plotW, height: plotH)
        // Importance: the points' range with a margin, from 0 only when they come near it, broken
        // before a few far-right outliers; the whiskers are cut at the axis (an axis covering the
        // intervals would squeeze the points).
        let shares = onMatrix.map { $0.importance.rankingShare! }
        xScale = ImportanceScale(shares: shares, lowerEnds: onMatrix.map { drawWhiskers ? shareInterval($0)?.lower : nil }, from: left, to: left + plotW)
        func percent(_ d: DriverReport.DriverRow, _ v: Double) -> Double? {
            guard let scale = d.scale, scale.upper > scale.lower else { return nil }
            return 100 * (v - scale.lower) / (scale.upper - scale.lower)
        }
        let yValues = onMatrix.flatMap { d -> [Double] in
            [d.performancePercent!] + (!drawWhiskers ? [] : d.performanceInterval.map { [percent(d, $0.lower), percent(d, $0.upper)].compactMap { $0 } } ?? [])
        }
        yAxis = ChartAxis(covering: (yValues.min() ?? 0) - 2, (yValues.max() ?? 100) + 2, count: 7, limits: 0...100)
        for t in xScale.ticks {
            let text = xScale.label(t) + " %", w = Self.textWidth(text) * 0.85   // tick labels: 12 px digits and a space
            let box = ChartBox(x: xScale.position(t) - w / 2, y: top + plotH + 4, width: w, height: 14)
            if let last = xTickLabels.last?.box, last.maxX + 6 > box.x { continue }
            xTickLabels.append((text, box))
        }
        let xScale = self.xScale, yAxis = self.yAxis
        let px = { (x: Double) in xScale.position(x) }
        let py = { (y: Double) in yAxis.position(min(max(y, yAxis.lower), yAxis.upper), from: top + plotH, to: top) }
        if !onMatrix.isEmpty {
            xSplit = shares.reduce(0, +) / Double(onMatrix.count)
            ySplit = onMatrix.map { $0.performancePercent! }.reduce(0, +) / Double(onMatrix.count)
        }
        let points = onMatrix.map { d -> MatrixPoint in
            let cx = px(d.importance.rankingShare!), cy = py(d.performancePercent!)
            let label = Self.shortened(d.name) + (d.quadrantUnstable == true ? " *" : "")
            return MatrixPoint(name: d.name, label: label, unstable: d.quadrantUnstable == true, cx: cx, cy: cy,
                               whiskerX: drawWhiskers ? shareInterval(d).map { ChartSegment(x1: px($0.lower), y1: cy, x2: px($0.upper), y2: cy) } : nil,
                               whiskerY: d.performanceInterval.flatMap { i in
                                   guard drawWhiskers, let lo = percent(d, i.lower), let hi = percent(d, i.upper) else { return nil }
                                   return ChartSegment(x1: cx, y1: py(lo), x2: cx, y2: py(hi))
                               },
                               labelBox: ChartBox(x: cx, y: cy, width: Self.textWidth(label), height: 14))
        }
        corners = [ChartBox(x: left, y: top, width: 140, height: 24), ChartBox(x: left + plotW - 80, y: top, width: 80, height: 24),
                   ChartBox(x: left, y: top + plotH - 24, width: 110, height: 24), ChartBox(x: left + plotW - 80, y: top + plotH - 24, width: 80, height: 24)]
        // Names beside their points if every one fits there; otherwise numbers and a legend.
        if let named = Self.place(points, plot: matrixPlot, obstacles: corners, reach: 0) {
            self.points = named
        } else {
            numbered = true
            let numberedPoints = points.enumerated().map { k, point -> MatrixPoint in
                var p = point
                p.number = k + 1
                p.label = "\(k + 1)" + (point.unstable ? "*" : "")
                p.labelBox = ChartBox(x: point.cx, y: point.cy, width: Double(p.label.count) * Self.numberWidth + 2, height: 13)
                return p
            }
            // Most important first; if that leaves a label without a place, the points in the
            // thickest crowd first, then from the left.
            let byImportance = numberedPoints.indices.sorted { numberedPoints[$0].cx > numberedPoints[$1].cx || (numberedPoints[$0].cx == numberedPoints[$1].cx && $0 < $1) }
            let crowd = numberedPoints.map { p in numberedPoints.filter { abs($0.cx - p.cx) < 40 && abs($0.cy - p.cy) < 40 }.count }
            let byCrowd = numberedPoints.indices.sorted { crowd[$0] > crowd[$1] || (crowd[$0] == crowd[$1] && $0 < $1) }
            let fromLeft = Array(byImportance.reversed())
            let plot = matrixPlot, corners = self.corners
            self.points = [byImportance, byCrowd, fromLeft].lazy.compactMap {
                Self.place(numberedPoints, plot: plot, obstacles: corners, reach: 320, order: $0)
            }.first ?? Self.place(numberedPoints, plot: plot, obstacles: corners, reach: 320, order: byCrowd, strict: false)!
            legend = Self.legend(for: self.points, left: left, top: top + plotH + 50, width: width - left - 16)
        }
        // Without rating drivers there is no matrix: the ranked bars follow the one-line note.
        let legendBottom = legend.map(\.box.maxY).max() ?? (top + plotH + 36)
        legendY = onMatrix.isEmpty ? 48 : legendBottom + 24

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

    /// Places every label inside the plot, clear of the points, whiskers, `obstacles` and the
    /// labels placed before it, nearer its own point than any other when it has no leader line,
    /// its leader line crossing no label or other leader — or `nil`
    /// when some label finds no such place. Labels are served in `order` (by default from the most
    /// important point down, so the drivers that matter most get the nearest places). Candidates: beside the point
    /// (right, left, above, below), then, up to `reach` pixels away, on rings of growing radius in
    /// 16 directions; a place over a whisker, or whose line passes another point, only when no
    /// place without is in reach. With `strict: false` a label that finds no place takes the candidate with the
    /// fewest conflicts (a last resort no test data has needed).
    /// Complexity: O(m² · candidates) for m points.
    static func place(_ points: [MatrixPoint], plot: ChartBox, obstacles: [ChartBox], reach: Double, order given: [Int]? = nil,
                      strict: Bool = true) -> [MatrixPoint]? {
        var placed = points
        let dots = points.map { ChartBox(x: $0.cx - 6, y: $0.cy - 6, width: 12, height: 12) }
        let whiskers = points.flatMap { [$0.whiskerX, $0.whiskerY].compactMap { $0?.box } }
            .map { ChartBox(x: $0.x - 1, y: $0.y - 1, width: $0.width + 2, height: $0.height + 2) }
        var labels: [ChartBox] = [], leaders: [ChartSegment] = []
        let order = given ?? points.indices.sorted { points[$0].cx > points[$1].cx || (points[$0].cx == points[$1].cx && $0 < $1) }
        for i in order {
            let p = points[i], w = p.labelBox.width, h = p.labelBox.height
            var candidates = [ChartBox(x: p.cx + 9, y: p.cy - h / 2, width: w, height: h), ChartBox(x: p.cx - 9 - w, y: p.cy - h / 2, width: w, height: h),
                              ChartBox(x: p.cx + 4, y: p.cy - 8 - h, width: w, height: h), ChartBox(x: p.cx + 4, y: p.cy + 8, width: w, height: h),
                              ChartBox(x: p.cx - 4 - w, y: p.cy - 8 - h, width: w, height: h), ChartBox(x: p.cx - 4 - w, y: p.cy + 8, width: w, height: h)]
            var radius = 16.0
            while radius <= reach {
                let directions = radius < 60 ? 16 : 32
                for k in 0..<directions {
                    let angle = Double(k) * 2 * Double.pi / Double(directions)
                    let (dx, dy) = (cos(angle), sin(angle))
                    // The box's centre on the ring pushed out by its half size, so its near edge is `radius` away.
                    let centreX = p.cx + dx * (radius + w / 2), centreY = p.cy + dy * (radius + h / 2)
                    candidates.append(ChartBox(x: centreX - w / 2, y: centreY - h / 2, width: w, height: h))
                }
                radius += radius < 40 ? 8 : 16
            }
            // Hard conflicts (a label, point, caption or leader in the way, a line crossing a label
            // or another line) rule a place out. Soft ones — a whisker under the text, a line past
            // another point's dot — are taken only where no place without them is in reach.
            var best: (box: ChartBox, leader: ChartSegment?, conflicts: Int)? = nil
            var softest: (box: ChartBox, leader: ChartSegment?, penalty: Int)? = nil
            for box in candidates where plot.contains(box) {
                let leader = Self.leader(from: p, to: box)
                var conflicts = 0
                for (k, dot) in dots.enumerated() where k != i && dot.intersects(box) { conflicts += 1 }
                conflicts += labels.filter { $0.intersects(box) }.count + obstacles.filter { $0.intersects(box) }.count
                var penalty = whiskers.contains { $0.intersects(box) } ? 1 : 0
                if let leader {
                    conflicts += labels.filter { Self.crosses(leader, $0) }.count
                    conflicts += leaders.filter { $0.crosses(leader) }.count
                    conflicts += dots.enumerated().filter { $0.offset != i && $0.element.contains(ChartBox(x: leader.x2, y: leader.y2, width: 0, height: 0)) }.count
                    penalty += 2 * dots.enumerated().filter { $0.offset != i && Self.crosses(leader, $0.element) }.count
                } else {
                    // Without a line, a label must be nearer its own point than any other point.
                    let own = Self.distance(from: p.cx, p.cy, to: box)
                    conflicts += points.indices.filter { $0 != i && Self.distance(from: points[$0].cx, points[$0].cy, to: box) <= own + 3 }.count
                }
                conflicts += leaders.filter { Self.crosses($0, box) }.count
                if conflicts == 0 {
                    if penalty == 0 { best = (box, leader, 0); break }
                    if softest == nil || penalty < softest!.penalty { softest = (box, leader, penalty) }
                }
                if best == nil || conflicts < best!.conflicts { best = (box, leader, conflicts) }
            }
            if best?.conflicts != 0, let fallback = softest { best = (fallback.box, fallback.leader, 0) }
            guard let chosen = best, chosen.conflicts == 0 || !strict else { return nil }
            placed[i].labelBox = chosen.box
            placed[i].leader = chosen.leader
            labels.append(chosen.box)
            if let leader = chosen.leader { leaders.append(leader) }
        }
        return placed
    }

    /// The line from the point's edge to the nearest point of its label box; `nil` when the label
    /// is within 10 pixels of the point's centre (beside it, no line needed).
    static func leader(from p: MatrixPoint, to box: ChartBox) -> ChartSegment? {
        let tx = min(max(p.cx, box.x), box.maxX), ty = min(max(p.cy, box.y), box.maxY)
        let d = ((tx - p.cx) * (tx - p.cx) + (ty - p.cy) * (ty - p.cy)).squareRoot()
        guard d > 10 else { return nil }
        return ChartSegment(x1: p.cx + 5 * (tx - p.cx) / d, y1: p.cy + 5 * (ty - p.cy) / d, x2: tx, y2: ty)
    }

    /// The distance from a point to the nearest point of a box (0 inside it).
    static func distance(from x: Double, _ y: Double, to box: ChartBox) -> Double {
        let dx = max(box.x - x, 0, x - box.maxX), dy = max(box.y - y, 0, y - box.maxY)
        return (dx * dx + dy * dy).squareRoot()
    }

    /// The numbered legend: `number  name` entries in as many columns as fit `width`, filled
    /// column by column in number order.
    static func legend(for points: [MatrixPoint], left: Double, top: Double, width: Double) -> [LegendEntry] {
        let entries = points.compactMap { p in p.number.map { ($0, p.name, "\($0)  " + shortened(p.name) + (p.unstable ? " *" : "")) } }
            .sorted { $0.0 < $1.0 }
        guard !entries.isEmpty else { return [] }
        let columnWidth = (entries.map { textWidth($0.2) }.max() ?? 0) + 24
        let columns = max(1, min(4, Int(width / columnWidth)))
        let rows = (entries.count + columns - 1) / columns
        let pitch = columns > 1 ? width / Double(columns) : columnWidth
        return entries.enumerated().map { k, entry in
            let column = k / rows, row = k % rows
            return LegendEntry(number: entry.0, name: entry.1, text: entry.2,
                               box: ChartBox(x: left + Double(column) * pitch, y: top + Double(row) * lineHeight, width: textWidth(entry.2), height: 14))
        }
    }

    /// Whether the segment runs through the box (crosses one of its edges).
    static func crosses(_ s: ChartSegment, _ b: ChartBox) -> Bool {
        [ChartSegment(x1: b.x, y1: b.y, x2: b.maxX, y2: b.y), ChartSegment(x1: b.x, y1: b.maxY, x2: b.maxX, y2: b.maxY),
         ChartSegment(x1: b.x, y1: b.y, x2: b.x, y2: b.maxY), ChartSegment(x1: b.maxX, y1: b.y, x2: b.maxX, y2: b.maxY)].contains { s.crosses($0) }
    }
}
