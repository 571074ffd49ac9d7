import Foundation

/// Opening a CSV file for reading, one rule for the streaming reader and the whole-file loader.
enum CSVFileOpening {
    /// The file at `path` opened for reading: it must exist and not be a directory.
    ///
    /// - Throws: ``SurveyDataError/fileNotFound(path:)``, or
    ///   ``SurveyDataError/unreadable(path:reason:)`` for a directory or a file the process cannot open.
    static func open(_ path: String) throws -> FileHandle {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw SurveyDataError.fileNotFound(path: path) }
        if isDirectory.boolValue { throw SurveyDataError.unreadable(path: path, reason: "it is a directory, not a CSV file") }
        do { return try FileHandle(forReadingFrom: URL(fileURLWithPath: path)) } catch {
            throw SurveyDataError.unreadable(path: path, reason: error.localizedDescription)
        }
    }
}
