extension DriverReport {
    /// This report with `extra` notes after its own — what a caller that ran the analysis knows
    /// and the report cannot (how the file was read, which fragments were used). The numbers are
    /// unchanged: a report's rows can only be built by the library.
    ///
    /// - Parameter extra: notes to add, in order, after ``warnings``.
    /// - Returns: a copy of the report with ``warnings`` followed by `extra`.
    public func appendingWarnings(_ extra: [Warning]) -> DriverReport {
        var copy = self
        copy.warnings += extra
        return copy
    }
}
