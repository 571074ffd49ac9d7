import Foundation

/// The steps of `ChartLayout/init(_:)`: the matrix's plot and axes, its points, their labels
/// (names, or numbers and a legend), then the ranked bars.
extension ChartLayout {
    /// A driver's Shapley interval as shares of the Shapley total (its lower end at least 0);
    /// `nil` without an interval or a positive total.
    static func shareInterval(_ d: DriverReport.DriverRow, shapleyTotal: Double) -> ClosedInterval? {
        guard let i = d.importanceIntervals[.shapley], shapleyTotal > 0 else { return nil }
        return ClosedInterval(lower: max(0, i.lower / shapleyTotal), upper: i.upper / shapleyTotal)
    }

    /// A performance value as a percentage of the driver's rating scale; `nil` without a scale.
    static func percent(_ d: DriverReport.DriverRow, _ v: Double) -> Double? {
        guard let scale = d.scale, scale.upper > scale.lower else { return nil }
        return 100 * (v - scale.lower) / (scale.upper - scale.lower)
    }

    /// The matrix's plot (the canvas width, taller when crowded), its importance and performance
    /// axes, the importance tick labels and the quadrant splits (the means of the points).
    mutating func layOutMatrixAxes(_ onMatrix: [DriverReport.DriverRow], drawWhiskers: Bool, shapleyTotal: Double) {
        // Matrix: the plot takes the canvas width (labels sit inside it), taller when crowded.
        let left = 70.0, top = 64.0, plotW = width - left - 24
        let plotH = onMatrix.count > 30 ? 600.0 : onMatrix.count > 12 ? 520.0 : 400.0
        matrixPlot = ChartBox(x: left, y: top, width: plotW, height: plotH)
        // Importance: the points' range with a margin, from 0 only when they come near it, broken
        // before a few far-right outliers; the whiskers are cut at the axis (an axis covering the
        // intervals would squeeze the points).
        let shares = onMatrix.map { $0.importance.rankingShare! }
        xScale = ImportanceScale(shares: shares, lowerEnds: onMatrix.map { drawWhiskers ? Self.shareInterval($0, shapleyTotal: shapleyTotal)?.lower : nil },
                                 from: left, to: left + plotW)
        let yValues = onMatrix.flatMap { d -> [Double] in
            [d.performancePercent!] + (!drawWhiskers ? [] : d.performanceInterval.map { [Self.percent(d, $0.lower), Self.percent(d, $0.upper)].compactMap { $0 } } ?? [])
        }
        yAxis = ChartAxis(covering: (yValues.min() ?? 0) - 2, (yValues.max() ?? 100) + 2, count: 7, limits: 0...100)
        for t in xScale.ticks {
            let text = xScale.label(t) + " %", w = Self.textWidth(text) * 0.85   // tick labels: 12 px digits and a space
            let box = ChartBox(x: xScale.position(t) - w / 2, y: top + plotH + 4, width: w, height: 14)
            if let last = xTickLabels.last?.box, last.maxX + 6 > box.x { continue }
            xTickLabels.append((text, box))
        }
        if !onMatrix.isEmpty {
            xSplit = shares.reduce(0, +) / Double(onMatrix.count)
            ySplit = onMatrix.map { $0.performancePercent! }.reduce(0, +) / Double(onMatrix.count)
        }
    }

    /// The matrix's points at their importance and performance, with their whiskers (when drawn)
    /// and the label boxes before placement.
    func matrixPoints(_ onMatrix: [DriverReport.DriverRow], drawWhiskers: Bool, shapleyTotal: Double) -> [MatrixPoint] {
        let top = matrixPlot.y, plotH = matrixPlot.height
        let xScale = self.xScale, yAxis = self.yAxis
        let px = { (x: Double) in xScale.position(x) }
        let py = { (y: Double) in yAxis.position(min(max(y, yAxis.lower), yAxis.upper), from: top + plotH, to: top) }
        return onMatrix.map { d -> MatrixPoint in
            let cx = px(d.importance.rankingShare!), cy = py(d.performancePercent!)
            let label = Self.shortened(d.name) + (d.quadrantUnstable == true ? " *" : "")
            return MatrixPoint(name: d.name, label: label, unstable: d.quadrantUnstable == true, cx: cx, cy: cy,
                               whiskerX: drawWhiskers ? Self.shareInterval(d, shapleyTotal: shapleyTotal).map { ChartSegment(x1: px($0.lower), y1: cy, x2: px($0.upper), y2: cy) } : nil,
                               whiskerY: d.performanceInterval.flatMap { i in
                                   guard drawWhiskers, let lo = Self.percent(d, i.lower), let hi = Self.percent(d, i.upper) else { return nil }
                                   return ChartSegment(x1: cx, y1: py(lo), x2: cx, y2: py(hi))
                               },
                               labelBox: ChartBox(x: cx, y: cy, width: Self.textWidth(label), height: 14))
        }
    }

    /// The quadrant captions' corners, then the points named beside them if every name fits
    /// there, otherwise numbered with a legend under the plot; and where the bars' note goes.
    mutating func placeLabels(_ points: [MatrixPoint], hasMatrix: Bool) {
        let left = matrixPlot.x, top = matrixPlot.y, plotW = matrixPlot.width, plotH = matrixPlot.height
        corners = [ChartBox(x: left, y: top, width: 140, height: 24), ChartBox(x: left + plotW - 80, y: top, width: 80, height: 24),
                   ChartBox(x: left, y: top + plotH - 24, width: 110, height: 24), ChartBox(x: left + plotW - 80, y: top + plotH - 24, width: 80, height: 24)]
        // Names beside their points if every one fits there; otherwise numbers and a legend.
        if let named = Self.place(points, plot: matrixPlot, obstacles: corners, reach: 0) {
            self.points = named
        } else {
            numbered = true
            self.points = Self.numbered(points, plot: matrixPlot, obstacles: corners)
            legend = Self.legend(for: self.points, left: left, top: top + plotH + 50, width: width - left - 16)
        }
        // Without rating drivers there is no matrix: the ranked bars follow the one-line note.
        let legendBottom = legend.map(\.box.maxY).max() ?? (top + plotH + 36)
        legendY = hasMatrix ? legendBottom + 24 : 48
    }

    /// Ranked bars: every driver with importance, names right-aligned before the bars, with
    /// their whiskers and value labels; and the canvas height.
    mutating func layOutBars(_ ranked: [DriverReport.DriverRow], shapleyTotal: Double) {
        barTop = legendY + 44
        let longest = ranked.map { Self.textWidth(Self.shortened($0.name)) }.max() ?? 0
        let barLeft = 16 + min(longest, Self.textWidth(String(repeating: "x", count: Self.maxLabel))) + 10
        let barRight = width - 64   // room for the value label after the longest bar or whisker
        let rowH = 22.0
        barPlot = ChartBox(x: barLeft, y: barTop + 24, width: barRight - barLeft, height: rowH * Double(ranked.count))
        let barHigh = ranked.map { max($0.importance.rankingShare!, Self.shareInterval($0, shapleyTotal: shapleyTotal)?.upper ?? 0) }.max() ?? 1
        barAxis = ChartAxis(covering: 0, barHigh, count: 6, limits: 0...1)
        let barAxis = self.barAxis, barPlot = self.barPlot
        let bx = { (x: Double) in barAxis.position(x, from: barLeft, to: barRight) }
        bars = ranked.enumerated().map { k, d in
            let y = barPlot.y + rowH * Double(k) + 3
            let share = d.importance.rankingShare!
            let label = Self.shortened(d.name)
            let whisker = Self.shareInterval(d, shapleyTotal: shapleyTotal).map { ChartSegment(x1: bx($0.lower), y1: y + 8, x2: bx(min($0.upper, barAxis.upper)), y2: y + 8) }
            let end = max(bx(share), whisker.map { max($0.x1, $0.x2) } ?? 0)
            let value = String(format: "%.1f %%", 100 * share)
            return Bar(name: d.name, label: label, labelBox: ChartBox(x: barLeft - 8 - Self.textWidth(label), y: y + 1, width: Self.textWidth(label), height: 14),
                       bar: ChartBox(x: barLeft, y: y, width: max(0, bx(share) - barLeft), height: 16), whisker: whisker,
                       valueText: value, valueBox: ChartBox(x: end + 6, y: y + 1, width: Self.textWidth(value), height: 14))
        }
        height = barPlot.maxY + 40
    }
}
