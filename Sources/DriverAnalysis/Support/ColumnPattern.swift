/// A column name or a glob over column names: `*` matches any run of characters (including
/// none), `?` exactly one; every other character matches itself (case-sensitive, as column
/// names are). `s*` matches `s1` … `s23`; a pattern without wildcards is one exact name.
public struct ColumnPattern: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String

    /// A pattern from its text.
    ///
    /// - Parameter text: a column name, or a glob with `*` (any run of characters) and `?` (one character).
    public init(_ text: String) { self.text = text }

    /// Whether the pattern holds a wildcard.
    public var isGlob: Bool { text.contains("*") || text.contains("?") }

    /// The pattern as written.
    public var description: String { text }

    /// Whether `name` matches. Complexity: O(|pattern| · |name|).
    ///
    /// - Parameter name: the column name, compared case-sensitively.
    public func matches(_ name: String) -> Bool {
        guard isGlob else { return text == name }
        let p = Array(text), s = Array(name)
        // Iterative matching with backtracking to the last `*`.
        var i = 0, j = 0, star = -1, mark = 0
        while j < s.count {
            if i < p.count && (p[i] == "?" || p[i] == s[j]) {
                i += 1; j += 1
            } else if i < p.count && p[i] == "*" {
                star = i; mark = j; i += 1
            } else if star >= 0 {
                i = star + 1; mark += 1; j = mark
            } else {
                return false
            }
        }
        while i < p.count && p[i] == "*" { i += 1 }
        return i == p.count
    }

    /// The names in `names` that match, in their order.
    ///
    /// - Parameter names: the column names to filter.
    public func matching(_ names: [String]) -> [String] { names.filter(matches) }
}
