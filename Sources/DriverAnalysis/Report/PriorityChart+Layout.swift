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
        let ranked = report.drivers.filter { $0.importance.rankingShare != nil }
            .sorted { $0.importance.rankingShare! > $1.importance.rankingShare! }
        let onMatrix = ranked.filter { $0.performancePercent != nil }
        hasWhiskers = ranked.contains { Self.shareInterval($0, shapleyTotal: shapleyTotal) != nil }
        let drawWhiskers = onMatrix.count <= Self.matrixWhiskerLimit
        matrixWhiskers = drawWhiskers && (hasWhiskers || onMatrix.contains { $0.performanceInterval != nil })
        hasUnstable = onMatrix.contains { $0.quadrantUnstable == true }

        layOutMatrixAxes(onMatrix, drawWhiskers: drawWhiskers, shapleyTotal: shapleyTotal)
        let points = matrixPoints(onMatrix, drawWhiskers: drawWhiskers, shapleyTotal: shapleyTotal)
        placeLabels(points, hasMatrix: !onMatrix.isEmpty)
        layOutBars(ranked, shapleyTotal: shapleyTotal)
    }

    /// Whether the segment runs through the box (crosses one of its edges).
    static func crosses(_ s: ChartSegment, _ b: ChartBox) -> Bool {
        [ChartSegment(x1: b.x, y1: b.y, x2: b.maxX, y2: b.y), ChartSegment(x1: b.x, y1: b.maxY, x2: b.maxX, y2: b.maxY),
         ChartSegment(x1: b.x, y1: b.y, x2: b.x, y2: b.maxY), ChartSegment(x1: b.maxX, y1: b.y, x2: b.maxX, y2: b.maxY)].contains { s.crosses($0) }
    }
}
