import Foundation

/// A file in a fresh temporary directory, removed when the test's scope ends.
public final class TemporaryFile: @unchecked Sendable {
    public let directory: URL
    public let url: URL
    public var path: String { url.path }

    public init(name: String = "data.csv", contents: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        url = directory.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
    }

    public convenience init(name: String = "data.csv", bytes: [UInt8]) throws {
        try self.init(name: name, contents: "")
        try Data(bytes).write(to: url)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}
