/// Plain-text safety for anything a terminal shows: control characters (ESC sequences, OSC 8
/// links, bells, carriage returns) become visible `\u{…}` escapes, and long values are cut.
public enum TextEscaping {
    /// `text` with every C0/C1 control character and DEL replaced by a visible escape, and cut
    /// to `limit` characters with `…` when longer.
    public static func terminal(_ text: String, limit: Int = 200) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit { out += "…"; break }
            let v = scalar.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 {
                out += "\\u{\(String(v, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }
}
