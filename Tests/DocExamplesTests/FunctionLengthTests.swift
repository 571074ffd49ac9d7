import Foundation
import Testing

/// Functions stay short enough to read (issue 29): no function, initializer, accessor or
/// subscript of the library, `kda` or the linear algebra core runs over 80 lines, counted from its
/// signature to its closing brace. Long work is a pipeline of named steps instead.
@Suite("function length")
struct FunctionLengthTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let limit = 80

    /// `(line, length, signature)` of every body-carrying declaration of `text` longer than `limit`.
    /// A line scanner, not a parser: string literals (single-line and `"""` blocks) and `//`
    /// comments are blanked before braces are counted. O(length of `text`).
    static func longFunctions(in text: String, limit: Int) -> [(line: Int, length: Int, signature: String)] {
        let declaration = #/^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|private|fileprivate|static|class|final|override|mutating|nonmutating|convenience|required|nonisolated|private\(set\)|internal\(set\)|package\(set\)|public\(set\))\s+)*(?:func\s|init[?!]?\s*[(<]|subscript\s*[(<]|deinit\b)/#
        let lines = blanked(text)
        var found: [(Int, Int, String)] = []
        for start in lines.indices where lines[start].firstMatch(of: declaration) != nil {
            var depth = 0, opened = false, end = start
            scan: for k in start..<lines.count {
                for ch in lines[k] {
                    if ch == "{" { depth += 1; opened = true } else if ch == "}" { depth -= 1 }
                }
                // Depth is read at line ends, so a default closure in the signature
                // (`= { _ in false }`) does not end the declaration.
                if opened && depth <= 0 { end = k; break scan }
                if !opened && k > start + 20 { break }     // a protocol requirement: no body
            }
            let length = end - start + 1
            if opened && length > limit { found.append((start + 1, length, lines[start].trimmingCharacters(in: .whitespaces))) }
        }
        return found
    }

    /// The lines of `text` with string literals and `//` comments replaced by spaces.
    static func blanked(_ text: String) -> [String] {
        var inBlock = false
        return text.components(separatedBy: "\n").map { line in
            var out = "", inString = false, escaped = false
            let chars = Array(line)
            var i = 0
            while i < chars.count {
                let ch = chars[i]
                if inBlock {
                    if ch == "\"" && i + 2 < chars.count && chars[i + 1] == "\"" && chars[i + 2] == "\"" { inBlock = false; i += 3; continue }
                    i += 1; continue
                }
                if inString {
                    if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
                    out.append(" "); i += 1; continue
                }
                if ch == "\"" && i + 2 < chars.count && chars[i + 1] == "\"" && chars[i + 2] == "\"" { inBlock = true; i += 3; continue }
                if ch == "\"" { inString = true; out.append(" "); i += 1; continue }
                if ch == "/" && i + 1 < chars.count && chars[i + 1] == "/" { break }
                out.append(ch); i += 1
            }
            return out
        }
    }

    @Test func noFunctionRunsOverEightyLines() throws {
        var long: [String] = []
        var scanned = 0
        for folder in ["Sources/DriverAnalysis", "Sources/LinearAlgebra", "Sources/kda"] {
            let walker = FileManager.default.enumerator(at: Self.root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = walker?.nextObject() as? URL {
                guard url.pathExtension == "swift" else { continue }
                scanned += 1
                for f in Self.longFunctions(in: try String(contentsOf: url, encoding: .utf8), limit: Self.limit) {
                    long.append("\(folder)/…/\(url.lastPathComponent):\(f.line): \(f.length) lines: \(f.signature.prefix(80))")
                }
            }
        }
        #expect(scanned > 100)
        #expect(long.isEmpty, "functions over \(Self.limit) lines:\n\(long.joined(separator: "\n"))")
    }

    @Test func theScannerCountsBodiesNotStrings() {
        let text = """
            func short() {
                let s = "}}}{"
                // }
            }
            func long() {
            \(String(repeating: "    x += 1\n", count: 90))}
            protocol P {
                func requirement()
            }
            """
        let found = Self.longFunctions(in: text, limit: 80)
        #expect(found.count == 1 && found.first?.line == 5 && found.first?.length == 92, "\(found)")
    }
}
