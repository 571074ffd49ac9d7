import Foundation

extension ChartLayout {
    /// The points numbered 1… in importance order (`points` are sorted so), each number placed by
    /// ``place(_:plot:obstacles:reach:order:strict:)``: most important first; if that leaves a
    /// label without a place, the points in the thickest crowd first, then from the left; only
    /// then with the fewest conflicts.
    static func numbered(_ points: [MatrixPoint], plot: ChartBox, obstacles: [ChartBox]) -> [MatrixPoint] {
        let numberedPoints = points.enumerated().map { k, point -> MatrixPoint in
            var p = point
            p.number = k + 1
            p.label = "\(k + 1)" + (point.unstable ? "*" : "")
            p.labelBox = ChartBox(x: point.cx, y: point.cy, width: Double(p.label.count) * numberWidth + 2, height: 13)
            return p
        }
        let byImportance = numberedPoints.indices.sorted {
            numberedPoints[$0].cx > numberedPoints[$1].cx || (numberedPoints[$0].cx == numberedPoints[$1].cx && $0 < $1)
        }
        let crowd = numberedPoints.map { p in numberedPoints.filter { abs($0.cx - p.cx) < 40 && abs($0.cy - p.cy) < 40 }.count }
        let byCrowd = numberedPoints.indices.sorted { crowd[$0] > crowd[$1] || (crowd[$0] == crowd[$1] && $0 < $1) }
        let fromLeft = Array(byImportance.reversed())
        return [byImportance, byCrowd, fromLeft].lazy.compactMap { place(numberedPoints, plot: plot, obstacles: obstacles, reach: 320, order: $0) }.first
            ?? place(numberedPoints, plot: plot, obstacles: obstacles, reach: 320, order: byCrowd, strict: false)
            // Non-finite coordinates (a decoded report with performance ±1e308) leave no candidate
            // at all: the numbers stay on their points rather than trapping.
            ?? numberedPoints
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

}
