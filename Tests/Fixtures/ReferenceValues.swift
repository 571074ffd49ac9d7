import Foundation

/// A JSON file of reference values (`Data/models/*.json`), written by the scripts in
/// `Tests/Fixtures/Scripts` with a `provenance` field naming tool, version and call.
public struct ReferenceValues: Sendable {
    public let name: String
    let fields: [String: ReferenceValue]

    enum ReferenceValue: Sendable {
        case number(Double)
        case numbers([Double])
        case strings([String])
        case text(String)
    }

    public init(_ name: String) throws {
        self.name = name
        let data = try Data(contentsOf: FixtureData.url("models/\(name).json"))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var fields: [String: ReferenceValue] = [:]
        for (key, value) in object {
            if let s = value as? String { fields[key] = .text(s) }
            else if let n = value as? NSNumber { fields[key] = .number(n.doubleValue) }
            else if value is NSNull { fields[key] = .number(.nan) }
            else if let a = value as? [Any] {
                if let strings = a as? [String] { fields[key] = .strings(strings) }
                else { fields[key] = .numbers(a.map { ($0 as? NSNumber)?.doubleValue ?? .nan }) }
            }
        }
        self.fields = fields
    }

    public static func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: FixtureData.url("models/\(name).json").path)
    }

    public func number(_ key: String) -> Double {
        if case let .number(v)? = fields[key] { return v }
        fatalError("\(name): no number '\(key)'")
    }

    public func numbers(_ key: String) -> [Double] {
        if case let .numbers(v)? = fields[key] { return v }
        fatalError("\(name): no numbers '\(key)'")
    }

    public func strings(_ key: String) -> [String] {
        if case let .strings(v)? = fields[key] { return v }
        fatalError("\(name): no strings '\(key)'")
    }

    public var provenance: String {
        if case let .text(v)? = fields["provenance"] { return v }
        return ""
    }
}

/// The shared data folder beside the project root (`../shared/data`), if present. Tests on data
/// whose licence does not allow bundling it run only when it is there (CI has it).
public enum SharedData {
    public static func path(_ relative: String) -> String? {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }   // Tests/Fixtures/ReferenceValues.swift → project's parent
        let path = url.appendingPathComponent("shared/data").appendingPathComponent(relative).path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
