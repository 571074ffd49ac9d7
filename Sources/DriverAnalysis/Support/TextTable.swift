/// Column alignment for the plain-text summaries (model `description`s, the terminal report).
enum TextTable {
    /// Pads every column to its widest cell: the `leftAligned` columns on the right, the others
    /// on the left (numbers line up on their last digit). Trailing spaces are trimmed.
    static func aligned(_ rows: [[String]], leftAligned: Set<Int> = [0], separator: String = "  ") -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            var line = ""
            for c in 0..<columns {
                let cell = c < row.count ? row[c] : ""
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                line += (c == 0 ? "" : separator) + (leftAligned.contains(c) ? cell + pad : pad + cell)
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
