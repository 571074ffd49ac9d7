import DriverAnalysis
import Foundation
import Testing

/// The typed warning codes and the catalogue an analyst reads (`Docs/warnings.md`) are one list:
/// ``WarningCode/catalogue`` holds exactly the documented codes, in their order, and the library
/// builds no code from a string of its own outside `WarningCode.swift`.
@Suite("warning code catalogue")
struct WarningCodeCatalogueTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The codes of the catalogue's table, in the order they appear (`a` / `b` rows give both).
    static func documentedCodes() throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("Docs/warnings.md"), encoding: .utf8)
        let row = #/^\| (`[a-z_0-9]+`(?: / `[a-z_0-9]+`)*) \|/#
        let code = #/`([a-z_0-9]+)`/#
        return text.split(separator: "\n").flatMap { line -> [String] in
            guard let match = line.firstMatch(of: row) else { return [] }
            return match.output.1.matches(of: code).map { String($0.output.1) }
        }
    }

    @Test func catalogueIsTheDocumentedList() throws {
        let documented = try Self.documentedCodes()
        #expect(documented.count >= 60)
        #expect(WarningCode.catalogue.map(\.rawValue) == documented)
        #expect(Set(WarningCode.catalogue).count == WarningCode.catalogue.count)
        #expect(WarningCode.catalogue.allSatisfy { $0.isCatalogued })
        #expect(!WarningCode(rawValue: "from_a_later_version").isCatalogued)
    }

    /// Every code the library raises is a named constant: no `WarningCode(rawValue: "…")` with a
    /// literal outside the file that declares the constants, so a typo cannot mint a code that
    /// the catalogue does not list.
    @Test func noCodeIsMintedFromALiteral() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        var minted: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift", url.lastPathComponent != "WarningCode.swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("WarningCode(rawValue: \"") {
                minted.append("\(url.lastPathComponent):\(i + 1)")
            }
        }
        #expect(minted.isEmpty, "\(minted)")
    }

    @Test func codesRoundTripAsTheirStrings() throws {
        let warning = DriverReport.Warning(.rowsDropped, "12 rows miss the outcome")
        let data = try JSONEncoder().encode(warning)
        #expect(String(decoding: data, as: UTF8.self).contains("\"code\":\"rows_dropped\""))
        let back = try JSONDecoder().decode(DriverReport.Warning.self, from: data)
        #expect(back == warning && back.code == .rowsDropped)
    }
}
