@testable import DriverAnalysis
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Geometry of the priority matrix and the ranking bars from 5 to 50 drivers with long names,
/// clustered points and wide bootstrap intervals: every mark inside the canvas, labels apart,
/// leader lines uncrossed, nice ticks.
@Suite("Chart geometry")
struct ChartGeometryTests {
    /// A report with `p` rating drivers (the last two non-ratings, off the matrix), shares that
    /// cluster, performance that clusters, and a whisker past the largest share.
    static func report(drivers p: Int, longNames: Bool = true) -> DriverReport {
        var rows: [DriverReport.DriverRow] = []
        let raw: [Double] = (0..<p).map { (j: Int) -> Double in
            let base = 1 / Double(j + 1)
            return base + 0.02 * Double((j * 7) % 3)
        }
        let total = raw.reduce(0, +)
        for j in 0..<p {
            var row = DriverReport.DriverRow(name: longNames ? "Departure/Arrival time convenience and on-time performance of leg \(j + 1)" : "Q\(j + 1)")
            let share = raw[j] / total
            row.importance.shapley = 0.5 * share
            row.importance.shapleyShare = share
            row.importanceIntervals[.shapley] = ClosedInterval(lower: 0.5 * share * 0.4, upper: 0.5 * share * (j == 0 ? 2.2 : 1.6))
            if j < p - 2 {
                row.kind = .rating
                row.scale = ClosedInterval(lower: 1, upper: 10)
                let wave: Double = 8 * sin(Double(j))
                let percent: Double = 60 + wave + (j % 4 == 0 ? 0.1 : 0)   // many near-ties
                row.performancePercent = percent
                row.performance = 1 + 9 * percent / 100
                row.performanceInterval = ClosedInterval(lower: row.performance! - 0.6, upper: row.performance! + 0.6)
                row.quadrant = .keepUp
                row.quadrantUnstable = j % 3 == 0
            } else {
                row.kind = .binary
            }
            rows.append(row)
        }
        return DriverReport(outcome: "Overall satisfaction with the airline (0–10)", model: .init(kind: .linear, observationCount: 1_000, rSquared: 0.5),
                            drivers: rows, actionOrder: rows.map(\.name), orderBasis: .importance)
    }

    @Test(arguments: [5, 13, 23, 30, 50], [true, false])
    func marksStayInsideAndLabelsApart(drivers p: Int, longNames: Bool) throws {
        let report = Self.report(drivers: p, longNames: longNames)
        let layout = ChartLayout(report)
        let canvas = ChartBox(x: 0, y: 0, width: layout.width, height: layout.height)
        let plot = layout.matrixPlot
        #expect(layout.points.count == p - 2 && layout.bars.count == p)
        if !longNames && p <= 5 { #expect(!layout.numbered, "a few short names sit beside their points") }
        if p >= 23 && longNames { #expect(layout.numbered, "a crowded matrix numbers its points") }
        #expect(layout.numbered == !layout.legend.isEmpty)
        let dots = layout.points.map { ChartBox(x: $0.cx - 5, y: $0.cy - 5, width: 10, height: 10) }
        for point in layout.points {
            let dot = ChartBox(x: point.cx - 5, y: point.cy - 5, width: 10, height: 10)
            #expect(plot.contains(ChartBox(x: point.cx, y: point.cy, width: 0, height: 0)), "\(point.name) inside the plot")
            #expect(canvas.contains(dot) && plot.contains(point.labelBox) && (point.leader.map { plot.contains($0.box) } ?? true))
            for w in [point.whiskerX, point.whiskerY].compactMap({ $0 }) { #expect(plot.contains(w.box), "whisker of \(point.name) inside the plot") }
            #expect(point.labelBox.y >= 60, "labels below the titles")
            for (other, box) in zip(layout.points, dots) where other.name != point.name {
                #expect(!point.labelBox.intersects(box), "\(point.name)'s label covers \(other.name)'s point")
                if let leader = point.leader { #expect(!box.contains(ChartBox(x: leader.x2, y: leader.y2, width: 0, height: 0)), "\(point.name)'s leader ends on \(other.name)'s point") }
            }
            for corner in layout.corners { #expect(!point.labelBox.intersects(corner), "\(point.name)'s label on a quadrant caption") }
            if point.leader == nil {
                // Without a line, the label is nearer its own point than any other.
                let own = ChartLayout.distance(from: point.cx, point.cy, to: point.labelBox)
                for other in layout.points where other.name != point.name {
                    #expect(ChartLayout.distance(from: other.cx, other.cy, to: point.labelBox) > own, "\(point.name)'s label is nearer \(other.name)")
                }
            }
            #expect((point.number != nil) == layout.numbered)
        }
        for (a, b) in pairs(layout.points) {
            #expect(!a.labelBox.intersects(b.labelBox), "labels of \(a.name) and \(b.name) overlap")
            if let la = a.leader, let lb = b.leader { #expect(!la.crosses(lb), "leader lines of \(a.name) and \(b.name) cross") }
            if let la = a.leader { #expect(!ChartLayout.crosses(la, b.labelBox), "\(a.name)'s leader runs through \(b.name)'s label") }
            if let lb = b.leader { #expect(!ChartLayout.crosses(lb, a.labelBox), "\(b.name)'s leader runs through \(a.name)'s label") }
        }
        // The numbered legend: one entry per point, in number order, inside the canvas, apart,
        // under the plot's axis title and above the colour legend.
        #expect(layout.legend.map(\.number) == Array(1...max(1, layout.legend.count)).prefix(layout.legend.count).map { $0 })
        for entry in layout.legend {
            #expect(canvas.contains(entry.box) && entry.box.y >= plot.maxY + 40 && entry.box.maxY <= layout.legendY - 8, "\(entry.text)")
        }
        for (a, b) in pairs(layout.legend) { #expect(!a.box.intersects(b.box), "legend entries \(a.number) and \(b.number) overlap") }
        for (a, b) in pairs(layout.xTickLabels) { #expect(!a.box.intersects(b.box), "tick labels \(a.text) and \(b.text) overlap") }
        for bar in layout.bars {
            #expect(canvas.contains(bar.labelBox) && canvas.contains(bar.bar) && canvas.contains(bar.valueBox), "\(bar.name): \(bar.valueBox)")
            if let w = bar.whisker {
                #expect(canvas.contains(w.box) && w.box.maxX <= bar.valueBox.x, "whisker clear of the value label")
            }
            #expect(bar.labelBox.maxX <= bar.bar.x && bar.labelBox.y >= layout.barTop, "name left of its bar, under the title")
        }
        for (a, b) in pairs(layout.bars) { #expect(!a.labelBox.intersects(b.labelBox) && !a.bar.intersects(b.bar)) }
        // The bar axis covers every interval; the matrix's importance axis every point.
        let widest = report.drivers.compactMap { $0.importanceIntervals[.shapley]?.upper }.max()! / 0.5
        #expect(layout.barAxis.upper >= widest - 1e-12)
        let svg = PriorityChart.svg(report)
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        #expect(svg.contains("performance (% of scale)") && svg.contains("bootstrap interval") && svg.contains("quadrant unstable"))
        if layout.numbered { #expect(svg.contains("named under the plot")) }
    }

    /// One driver far ahead of twenty: the importance axis breaks before it, so the twenty spread
    /// over most of the width, and every point keeps its true value on its segment's ticks.
    @Test func farOutlierBreaksTheImportanceAxis() {
        let shares = (0..<20).map { 0.02 + 0.002 * Double($0) } + [0.164]
        let scale = ImportanceScale(shares: shares, from: 70, to: 936)
        #expect(scale.outliers != nil && scale.main.upper < 0.164 && scale.main.upper >= 0.058)
        let spread = scale.position(0.058) - scale.position(0.02)
        #expect(spread > 0.5 * (936 - 70), "the twenty take more than half the width, not a fifth")
        #expect(scale.position(0.164) > scale.outliersStart && scale.position(0.164) <= 936)
        for (a, b) in zip(shares.sorted(), shares.sorted().dropFirst()) { #expect(scale.position(a) < scale.position(b)) }
        // An even spread keeps one axis; points far from 0 get an axis that does not start at 0.
        #expect(ImportanceScale(shares: [0.1, 0.2, 0.3, 0.4], from: 0, to: 100).outliers == nil)
        #expect(ImportanceScale(shares: [0.30, 0.31, 0.33, 0.36], from: 0, to: 100).lower > 0.2)
    }

    func pairs<T>(_ items: [T]) -> [(T, T)] {
        items.indices.flatMap { i in items.indices.filter { $0 > i }.map { (items[i], items[$0]) } }
    }

    @Test func ticksAreNice() {
        let share = ChartAxis(covering: 0, 0.163, count: 6, limits: 0...1)
        #expect(share.step == 0.05 && share.lower == 0 && share.upper == 0.2)
        #expect(share.ticks.map { share.label($0, scale: 100) } == ["0", "5", "10", "15", "20"])
        let performance = ChartAxis(covering: 52, 79, count: 6, limits: 0...100)
        #expect(performance.ticks == [50, 60, 70, 80])
        let small = ChartAxis(covering: 0, 0.031)
        #expect(small.ticks.map { small.label($0, scale: 100) } == ["0", "1", "2", "3", "4"])
        let quarter = ChartAxis(covering: 0, 0.1)
        #expect(quarter.ticks.map { quarter.label($0, scale: 100) } == ["0.0", "2.5", "5.0", "7.5", "10.0"])
        for (low, high) in [(0.0, 0.0147), (3.2, 97.0), (0, 1e-9), (12, 12)] {
            let axis = ChartAxis(covering: low, high)
            let mantissa = axis.step / pow(10, floor(log10(axis.step)))
            #expect([1, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-9 }, "\(low)…\(high): step \(axis.step)")
            #expect(axis.lower <= low + 1e-12 && axis.upper >= high - 1e-12)
        }
    }

    @Test func segmentsCross() {
        #expect(ChartSegment(x1: 0, y1: 0, x2: 10, y2: 10).crosses(ChartSegment(x1: 0, y1: 10, x2: 10, y2: 0)))
        #expect(!ChartSegment(x1: 0, y1: 0, x2: 10, y2: 0).crosses(ChartSegment(x1: 0, y1: 5, x2: 10, y2: 5)))
    }
}

/// Number formats of the human-readable reports.
@Suite("Report number formats")
struct ReportNumberFormatTests {
    @Test func formats() {
        #expect(NumberFormat.grouped(-34_360.2) == "-34,360")
        #expect(NumberFormat.grouped(-3_436.4) == "-3436")
        #expect(NumberFormat.grouped(107.13) == "107.1")
        #expect(NumberFormat.grouped(0.012345) == "0.01235")
        #expect(NumberFormat.grouped(nil) == "—" && NumberFormat.grouped(.nan) == "—")
        #expect(NumberFormat.pValue(0) == "< 1e-300" && NumberFormat.pValueClause(0, symbol: "p(F)") == "p(F) < 1e-300")
        #expect(NumberFormat.pValueClause(0.0312) == "p = 0.0312")
        #expect(NumberFormat.money(3_446_996.4, signed: true) == "+3,446,996")
        #expect(NumberFormat.count(7_043) == "7,043")
        #expect(NumberFormat.rankInterval(ClosedInterval(lower: 3, upper: 3.025)) == "[3, 3]")
        #expect(NumberFormat.rankInterval(ClosedInterval(lower: 1.6, upper: 4.4)) == "[2, 4]")
        #expect(NumberFormat.percent(0.1634) == "16.3 %")
    }

    @Test func summaryLinesUseThem() {
        var model = DriverReport.ModelSummary(kind: .logistic, observationCount: 70_432, logLikelihood: -34_360.2, nullLogLikelihood: -40_001, mcFaddenRSquared: 0.141)
        model.auc = 0.84
        let report = DriverReport(outcome: "Churn", model: model, drivers: [], actionOrder: [])
        #expect(report.summaryLines[0].contains("n = 70,432"))
        #expect(report.summaryLines[1].hasPrefix("log L = -34,360   null log L = -40,000"))
        let linear = DriverReport(outcome: "y", model: .init(kind: .linear, observationCount: 10, rSquared: 0.9, adjustedRSquared: 0.89, fStatistic: 12_345, fPValue: 0), drivers: [], actionOrder: [])
        #expect(linear.summaryLines[1].hasSuffix("F = 12,340   p(F) < 1e-300") || linear.summaryLines[1].hasSuffix("F = 12,350   p(F) < 1e-300"))
    }

    @Test func npsLineNamesItsConfidenceLevel() throws {
        let answers = (0..<200).map { Double($0 % 11) }
        let nps90 = try NetPromoterScore(answers: answers, confidenceLevel: 0.9)
        #expect(DriverReport.npsLine(nps90).contains("(90 % interval"))
        let nps95 = try NetPromoterScore(answers: answers)
        #expect(DriverReport.npsLine(nps95).contains("(95 % interval"))
    }
}
