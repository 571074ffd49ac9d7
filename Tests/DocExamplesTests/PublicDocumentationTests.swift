import Foundation
import Testing

/// Every public declaration of the library targets has a DocC abstract: a `///` comment directly
/// above it (attributes such as `@TaskLocal` may sit between), whose first line is a sentence and
/// not a `- Parameters:` / `- Throws:` callout. Checked: declarations marked `public` or `open`,
/// the `case`s of public enums and the requirements of public protocols. Not checked: `extension`
/// lines and the Codable witnesses `init(from decoder:)` / `encode(to encoder:)`, which Codable
/// documents.
@Suite("public documentation")
struct PublicDocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The library sources whose public declarations are checked.
    static let folders = ["Sources/DriverAnalysis", "Sources/LinearAlgebra"]

    /// What a `{` opened: the body of a public enum, of a public protocol, or anything else.
    enum Scope { case publicEnum, publicProtocol, other }

    /// `file:line: declaration` for every public declaration of `text` without a doc abstract.
    /// A line scanner, not a parser: braces inside string literals and `//` comments are ignored,
    /// multi-line string literals are skipped. O(length of `text`).
    static func undocumented(in text: String, file: String) -> [String] {
        let declaration = #/^(?:@\w+(?:\([^)]*\))?\s+)*(?:public|open)\s+(?:(?:private\(set\)|internal\(set\)|fileprivate\(set\)|static|class|final|mutating|nonmutating|nonisolated|indirect|override|convenience|required|lazy)\s+)*(func|var|let|init|struct|enum|class|protocol|typealias|subscript|case|actor|extension|associatedtype)\b/#
        let requirement = #/^(?:(?:static|mutating)\s+)*(?:func|var|init|associatedtype|subscript)\b/#
        let callout = #/^-\s*(?:Parameters?|Returns|Throws|Precondition|Postcondition|Complexity|Note|Important)\b/#
        let lines = text.components(separatedBy: "\n")
        let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }
        var missing: [String] = []
        var scopes: [Scope] = []
        var pending: Scope? = nil
        var inMultilineString = false
        for (i, line) in trimmed.enumerated() {
            let quotes = line.components(separatedBy: "\"\"\"").count - 1
            if inMultilineString {
                if quotes > 0 { inMultilineString = false }
                continue
            }
            if quotes % 2 == 1 { inMultilineString = true; continue }

            var checked = false
            if let match = line.firstMatch(of: declaration) {
                let keyword = String(match.output.1)
                checked = keyword != "extension" && !line.contains("init(from decoder") && !line.contains("func encode(to encoder")
                switch keyword {
                case "enum": pending = .publicEnum
                case "protocol": pending = .publicProtocol
                case "struct", "class", "actor", "extension": pending = .other
                default: break
                }
            } else if scopes.last == .publicEnum, line.hasPrefix("case ") || line.hasPrefix("indirect case ") {
                checked = true
            } else if scopes.last == .publicProtocol, line.firstMatch(of: requirement) != nil {
                checked = true
            }
            if checked {
                var j = i - 1
                while j >= 0 && trimmed[j].hasPrefix("@") { j -= 1 }
                let previous = j >= 0 ? trimmed[j] : ""
                var documented = previous.hasSuffix("*/")
                if previous.hasPrefix("///") {
                    var first = j
                    while first > 0 && trimmed[first - 1].hasPrefix("///") { first -= 1 }
                    let abstract = trimmed[first].dropFirst(3).trimmingCharacters(in: .whitespaces)
                    documented = !abstract.isEmpty && abstract.firstMatch(of: callout) == nil
                }
                if !documented { missing.append("\(file):\(i + 1): \(line.prefix(100))") }
            }

            for character in Self.code(of: line) {
                if character == "{" {
                    scopes.append(pending ?? .other)
                    pending = nil
                } else if character == "}", !scopes.isEmpty {
                    scopes.removeLast()
                }
            }
        }
        return missing
    }

    /// `line` without string literals and `//` comments (so their braces do not count).
    static func code(of line: String) -> String {
        var result = ""
        var inString = false
        var escaped = false
        var previous: Character? = nil
        for character in line {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "/", previous == "/" {
                result.removeLast()
                break
            } else {
                result.append(character)
            }
            previous = character
        }
        return result
    }

    @Test func everyPublicDeclarationHasAnAbstract() throws {
        var missing: [String] = []
        var files = 0
        for folder in Self.folders {
            let base = Self.root.appendingPathComponent(folder)
            let walker = try #require(FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil), "\(folder) not found")
            for case let url as URL in walker where url.pathExtension == "swift" {
                let relative = String(url.path.dropFirst(Self.root.path.count + 1))
                missing += Self.undocumented(in: try String(contentsOf: url, encoding: .utf8), file: relative)
                files += 1
            }
        }
        #expect(files >= 20)
        #expect(missing.isEmpty, "public declarations without a /// abstract:\n\(missing.sorted().joined(separator: "\n"))")
    }

    /// The scanner itself: it finds what it should and nothing else.
    @Test func scannerFindsUndocumentedDeclarations() {
        let source = """
        /// Documented.
        public struct Documented {
            /// Documented.
            public let a: Int
            public let b: Int
            /// - Returns: a callout is not an abstract.
            public func c() -> Int { 0 }
            let internalIsFine = "{ not a brace"
            public init(from decoder: Decoder) throws { b = 0; a = 0 }
        }
        public enum Choice: Codable {
            /// Documented.
            case one
            case two
            /// Documented.
            @TaskLocal public static var three: Int = 0
            /// Documented.
            public var description: String {
                switch self {
                case .one: return "one"
                case .two: return "two"
                }
            }
        }
        /// Documented.
        public protocol Model {
            func fit()
        }
        extension Documented {
            public func d() {}
        }
        """
        let found = Self.undocumented(in: source, file: "F").map { String($0.prefix { $0 != " " }) }
        #expect(found == ["F:5:", "F:7:", "F:11:", "F:14:", "F:27:", "F:30:"])
    }
}
