extension DriverReport: CustomStringConvertible {
    /// The terminal report, ``table()``: the model summary, the drivers in action order with their
    /// importance, priority and value, the notes — what `print(report)` shows, like R's `summary()`
    /// of a fit. O(drivers × segments) characters.
    public var description: String { table() }
}
