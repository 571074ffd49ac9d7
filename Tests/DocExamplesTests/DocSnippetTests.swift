import Foundation
import DriverAnalysis
import Testing

/// Docs that cannot drift: every Swift block in README.md, Docs/*.md and the DocC catalog is
/// compiled (it stands verbatim in `DocSnippets.swift`), and every manifest block is a valid
/// `Package.swift` (`swift package dump-package` accepts it).
@Suite("documentation snippets")
struct DocSnippetTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The ```swift blocks of one Markdown file, with the line each starts on.
    static func swiftBlocks(in file: URL) throws -> [(line: Int, text: [String])] {
        let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        var blocks: [(Int, [String])] = []
        var current: [String]? = nil
        var start = 0
        for (k, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current == nil, trimmed == "```swift" { current = []; start = k + 1; continue }
            if current != nil, trimmed == "```" { blocks.append((start, current!)); current = nil; continue }
            current?.append(line)
        }
        return blocks
    }

    static func documents() throws -> [URL] {
        var files = [root.appendingPathComponent("README.md")]
        let fm = FileManager.default
        for folder in ["Docs", "Sources/DriverAnalysis/DriverAnalysis.docc"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = fm.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.pathExtension == "md" { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    static func normalized(_ lines: [String]) -> [String] {
        lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Test func everySwiftBlockIsCompiled() throws {
        let examples = try String(contentsOf: Self.root.appendingPathComponent("Tests/DocExamplesTests/DocSnippets.swift"), encoding: .utf8)
        let compiled = Self.normalized(examples.components(separatedBy: "\n"))
        var checked = 0
        for file in try Self.documents() {
            for block in try Self.swiftBlocks(in: file) {
                let lines = Self.normalized(block.text)
                if lines.first?.hasPrefix("// swift-tools-version") == true { continue }   // a manifest: checked below
                let found = !lines.isEmpty && compiled.indices.contains { start in
                    start + lines.count <= compiled.count && Array(compiled[start..<(start + lines.count)]) == lines
                }
                #expect(found, "\(file.lastPathComponent):\(block.line): this Swift block is not in DocSnippets.swift, so nothing compiles it")
                checked += 1
            }
        }
        #expect(checked >= 10)
    }

    @Test func everyManifestBlockIsAValidPackage() throws {
        let swift = ["/usr/bin/swift", "/opt/swift/usr/bin/swift"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map { "\($0)/swift" }
                .first { FileManager.default.isExecutableFile(atPath: $0) }
        let path = try #require(swift, "swift not found on PATH")
        var manifests = 0
        for file in try Self.documents() {
            for block in try Self.swiftBlocks(in: file) where block.text.first?.hasPrefix("// swift-tools-version") == true {
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-manifest-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory.appendingPathComponent("Sources/MyDashboard"), withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: directory) }
                try block.text.joined(separator: "\n").write(to: directory.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
                try "print(1)\n".write(to: directory.appendingPathComponent("Sources/MyDashboard/main.swift"), atomically: true, encoding: .utf8)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: path)
                process.arguments = ["package", "--package-path", directory.path, "dump-package"]
                let output = Pipe()
                process.standardOutput = output
                process.standardError = output
                try process.run()
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                let text = String(decoding: data, as: UTF8.self)
                #expect(process.terminationStatus == 0, "\(file.lastPathComponent):\(block.line): \(text.prefix(500))")
                #expect(text.contains("DriverAnalysis"))
                manifests += 1
            }
        }
        #expect(manifests >= 1)
    }
}

/// The README's first program runs on the files `kda generate` writes (not only compiles): in a
/// scratch folder holding `survey.csv` and `churn.csv` made as `kda generate --respondents 5000
/// --touchpoints 5` (and `--outcome churn`) makes them.
@Suite("the README's first program runs")
struct ReadmeProgramTests {
    @Test func itRunsOnGeneratedData() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kda-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try SyntheticSurvey(respondents: 5000, touchpoints: 5, seed: 1).writeCSV(to: folder.appendingPathComponent("survey.csv").path)
        try SyntheticSurvey(respondents: 5000, touchpoints: 5, seed: 1, outcome: .churn).writeCSV(to: folder.appendingPathComponent("churn.csv").path)
        // The program names its files relative to the working directory, as a reader runs it.
        let previous = FileManager.default.currentDirectoryPath
        #expect(FileManager.default.changeCurrentDirectoryPath(folder.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        try DocSnippets.readmeFirstProgram()
    }
}
