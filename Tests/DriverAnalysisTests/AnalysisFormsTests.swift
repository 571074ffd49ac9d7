import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// The synchronous and `async` analyses cannot be confused, checked by the compiler itself: small
/// programs written against the built `DriverAnalysis` module are type-checked with `swiftc`
/// (Swift 6 mode) and their diagnostics compared with what a user should see.
@Suite("sync and async analysis forms")
struct AnalysisFormsTests {
    /// The directory holding the built modules (`Modules/DriverAnalysis.swiftmodule`), found from
    /// the test bundle as `KDATests` finds `kda`.
    static func productsDirectory() throws -> URL {
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Modules/DriverAnalysis.swiftmodule").path) { return url }
            url.deleteLastPathComponent()
        }
        let fallback = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug")
        return try #require(FileManager.default.fileExists(atPath: fallback.appendingPathComponent("Modules/DriverAnalysis.swiftmodule").path)
            ? fallback : nil, "no built DriverAnalysis module next to the tests")
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `swiftc -typecheck` of `source` (a `main.swift`) against the built library; its diagnostics.
    static func typecheck(_ source: String) throws -> String {
        let products = try productsDirectory()
        let swiftc = try #require((ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/swiftc" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }, "swiftc not found on PATH")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-forms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("main.swift")
        try source.write(to: file, atomically: true, encoding: .utf8)
        return try ChildProcess.run(URL(fileURLWithPath: swiftc), [
            "-typecheck", "-swift-version", "6", "-I", products.appendingPathComponent("Modules").path,
            "-Xcc", "-fmodule-map-file=\(root.appendingPathComponent("Sources/CLAPACK/module.modulemap").path)",
            "-Xcc", "-fmodule-map-file=\(products.appendingPathComponent("CSVScan.build/module.modulemap").path)",
            file.path,
        ]).output
    }

    static let prelude = """
        import DriverAnalysis
        let survey = try SurveyData(columns: ["y": [1, 2, 3, 5], "x": [1, 2, 4, 4]])
        let configuration = AnalysisConfiguration(outcome: "y")

        """

    @Test func theSynchronousFormNeedsNoAwaitInAsyncCode() throws {
        let diagnostics = try Self.typecheck(Self.prelude + """
            func service(_ s: SurveyData, _ c: AnalysisConfiguration, token: CancellationToken) async throws -> [DriverReport] {
                let plain = try KeyDriverAnalysis.analyze(s, c)
                let cancellable = try KeyDriverAnalysis.analyze(s, c, progress: { _, _ in }, cancellation: token)
                let background = try await KeyDriverAnalysis.report(for: s, c, progress: { _, _ in })
                return [plain, cancellable, background]
            }
            """)
        #expect(!diagnostics.contains("error:") && !diagnostics.contains("warning:"), "\(diagnostics)")
    }

    @Test func awaitingTheSynchronousFormWithProgressAtTopLevelIsAnError() throws {
        // Was: bound to the synchronous overload with only a "no 'async' operations" warning.
        let diagnostics = try Self.typecheck(Self.prelude + """
            let report = try await KeyDriverAnalysis.analyze(survey, configuration, progress: { _, _ in })
            print(report)
            """)
        #expect(diagnostics.contains("error: static method 'analyze' is unavailable from asynchronous contexts; in async code, await KeyDriverAnalysis.report(for:_:progress:)"),
                "\(diagnostics)")
        let fixed = try Self.typecheck(Self.prelude + """
            let report = try await KeyDriverAnalysis.report(for: survey, configuration, progress: { _, _ in })
            print(report)
            """)
        #expect(!fixed.contains("error:") && !fixed.contains("warning:"), "\(fixed)")
    }
}
