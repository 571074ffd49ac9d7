/// How each stage writes its results into the report rows — the assembly ``KeyDriverAnalysis``
/// does, available to a caller who runs the stages by hand. A row's fields can only be set inside
/// the library; these return annotated copies, in the order the façade applies them:
/// ``ModelStage/rows`` → ``CorrelationStage/annotating(_:)`` → ``ImportanceStage/annotating(_:)``
/// → ``PriorityStage/annotating(_:)`` → ``ConfidenceStage/annotating(_:)`` →
/// ``ValueStage/annotating(_:)``.
extension CorrelationStage {
    /// `rows` with each driver's Pearson correlation, its p-value and Spearman's ρ.
    ///
    /// - Parameter rows: the rows of the ``ModelStage`` this stage was computed from.
    /// - Returns: the rows with ``DriverReport/DriverRow/pearson``, `pearsonPValue` and `spearman` set.
    public func annotating(_ rows: [DriverReport.DriverRow]) -> [DriverReport.DriverRow] {
        var copy = rows
        apply(to: &copy)
        return copy
    }
}

extension ImportanceStage {
    /// `rows` with each driver's importance scores and importance rank.
    ///
    /// - Parameter rows: the rows of the ``ModelStage`` this stage was computed from, in order.
    /// - Returns: the rows with ``DriverReport/DriverRow/importance`` and ``DriverReport/DriverRow/rank`` set.
    public func annotating(_ rows: [DriverReport.DriverRow]) -> [DriverReport.DriverRow] {
        var copy = rows
        for j in copy.indices where j < scores.count {
            copy[j].importance = scores[j]
            copy[j].rank = ranks?[j]
        }
        return copy
    }
}

extension PriorityStage {
    /// `rows` with each rating's mean, its performance on the 0–100 % scale and its quadrant. A
    /// rating whose rise worsens the outcome (``DriverReport/DriverRow/improves`` is `false`) gets
    /// no quadrant: it is never a lever to fix first.
    ///
    /// - Parameter rows: rows in the order of the selection this stage was computed from.
    /// - Returns: the rows with `performance`, `performancePercent` and `quadrant` set.
    public func annotating(_ rows: [DriverReport.DriverRow]) -> [DriverReport.DriverRow] {
        var copy = rows
        for j in copy.indices where j < placements.count {
            guard let placement = placements[j] else { continue }
            copy[j].performance = meanRatings[j]
            copy[j].performancePercent = placement.performance
            copy[j].quadrant = copy[j].improves == false ? nil : placement.quadrant
        }
        return copy
    }
}

extension ConfidenceStage {
    /// `rows` with the bootstrap intervals and probabilities: importance and performance
    /// intervals, sign-flip, rank and quadrant probabilities.
    ///
    /// - Parameter rows: the rows this stage was computed from.
    /// - Returns: the annotated rows.
    public func annotating(_ rows: [DriverReport.DriverRow]) -> [DriverReport.DriverRow] {
        var copy = rows
        apply(to: &copy)
        return copy
    }
}

extension ValueStage {
    /// `rows` with each driver's what-if (the outcome's change, customers moved, and with a
    /// margin the lifetime value at stake).
    ///
    /// - Parameter rows: rows in the order of the selection this stage was computed from.
    /// - Returns: the rows with ``DriverReport/DriverRow/whatIf`` set.
    public func annotating(_ rows: [DriverReport.DriverRow]) -> [DriverReport.DriverRow] {
        var copy = rows
        for (j, whatIf) in whatIf.enumerated() where j < copy.count { copy[j].whatIf = whatIf }
        return copy
    }
}
