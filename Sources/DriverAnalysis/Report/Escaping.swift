/// The escaping function of each output format. Every string a renderer prints — column names,
/// factor levels, warning messages, labels — passes through the function of its format, so any
/// byte string as a name leaves the document well-formed and inert:
///
/// | format   | function | what it does |
/// |----------|----------|--------------|
/// | HTML, SVG (XML) | ``markup(_:)`` | `& < > " '` as entities; characters XML forbids (C0 controls but tab, LF, CR; U+FFFE, U+FFFF) and C1 controls become U+FFFD |
/// | Markdown | ``markdown(_:)`` | markup escaping, then `\ ` * _ [ ] | ~ #` backslash-escaped; line breaks and controls become spaces |
/// | CSV      | ``csvText(_:)`` | controls but tab/LF/CR become U+FFFD; formula neutralisation (a leading `'` before `= + - @`, tab, CR; OWASP); RFC 4180 quoting |
/// | terminal | ``terminal(_:)`` | C0/C1 controls, DEL and bidirectional overrides shown as `\u{…}` (no ESC sequences, OSC 8 links, spoofed lines) |
/// | messages | ``message(_:limit:keepingNewlines:)`` | terminal escaping, long text cut in the middle |
///
/// JSON needs no function here: ``JSONValue`` escapes every control character itself.
package enum Escaping {
    /// Text for HTML or XML content and for attribute values (double- or single-quoted).
    ///
    /// Complexity: O(n) in the length of `text`.
    public static func markup(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\r": out += "&#13;"
            default:
                if isControl(scalar) || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out.unicodeScalars.append("\u{FFFD}")
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Text for one Markdown table cell or list item: no raw HTML, no emphasis, links or code
    /// spans, no cell break (`|`) and no line break.
    public static func markdown(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "|", "~", "#": out += "\\"; out.unicodeScalars.append(scalar)
            default:
                if isControl(scalar) || isLineBreak(scalar) || isBidiControl(scalar) {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A code span (`` `code` ``) for identifiers such as warning codes; anything but letters,
    /// digits and `_ - .` falls back to ``markdown(_:)``.
    public static func markdownCode(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && (("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)) }
        return plain ? "`" + text + "`" : markdown(text)
    }

    /// A text cell of a CSV file (RFC 4180): a cell a spreadsheet would read as a formula
    /// (first character `=`, `+`, `-`, `@`, tab or CR, as the OWASP guidance on CSV injection
    /// lists) gets a leading `'`; the cell is then quoted when it holds a comma, a quote or a line
    /// break. Numbers are not text cells: they are written plain.
    /// Control characters other than tab and line breaks (ESC sequences that would reach a
    /// terminal showing the file) and bidirectional overrides become U+FFFD.
    public static func csvText(_ text: String) -> String {
        var cell = text
        if cell.unicodeScalars.contains(where: { (isControl($0) && $0 != "\r") || isBidiControl($0) }) {
            cell = String(String.UnicodeScalarView(cell.unicodeScalars.map { (isControl($0) && $0 != "\r") || isBidiControl($0) ? "\u{FFFD}" : $0 }))
        }
        if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { cell = "'" + cell }
        return csvQuoted(cell)
    }

    /// RFC 4180 quoting only (for header names the program itself chose).
    public static func csvQuoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) || cell.unicodeScalars.contains("\r") else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text for a terminal: every control character (C0, DEL, C1 — ESC sequences, OSC 8
    /// hyperlinks, carriage returns that overwrite a line) and every bidirectional override is
    /// shown as `\u{XX}`; with `keepingNewlines`, line feeds stay.
    public static func terminal(_ text: String, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) || isBidiControl($0) || isLineBreak($0) || $0 == "\t" }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" && keepingNewlines {
                out += "\n"
            } else if isControl(scalar) || isBidiControl(scalar) || isLineBreak(scalar) || scalar == "\t" {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A message for standard error or a report note: ``terminal(_:keepingNewlines:)``, and at
    /// most `limit` characters — a longer message keeps its beginning (file, row, column) and
    /// end, and says how much was cut.
    public static func message(_ text: String, limit: Int = 1_000, keepingNewlines: Bool = false) -> String {
        let clean = terminal(text, keepingNewlines: keepingNewlines)
        return truncated(clean, limit: limit)
    }

    /// `text` cut in the middle to about `limit` characters.
    public static func truncated(_ text: String, limit: Int) -> String {
        guard text.count > limit, limit >= 20 else { return text }
        let head = limit * 3 / 4, tail = limit / 4
        let cut = text.count - head - tail
        return String(text.prefix(head)) + "… [\(cut) characters omitted] …" + String(text.suffix(tail))
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s != "\t" && s != "\n" && s != "\r") || s == "\r" || (s.value >= 0x7F && s.value <= 0x9F)
    }

    static func isLineBreak(_ s: Unicode.Scalar) -> Bool {
        s == "\n" || s == "\r" || s.value == 0x0B || s.value == 0x0C || s.value == 0x85 || s.value == 0x2028 || s.value == 0x2029
    }

    /// Bidirectional embedding, override and isolate controls (the "Trojan Source" characters).
    static func isBidiControl(_ s: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value) || s.value == 0x200E || s.value == 0x200F || s.value == 0x061C
    }
}
