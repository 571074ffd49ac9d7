/// Temporary: string literals as codes while call sites move to the named constants.
extension WarningCode: ExpressibleByStringLiteral {
    /// The code with identifier `value`.
    public init(stringLiteral value: String) { self.init(rawValue: value) }
}
