import Foundation

/// A JSON document with ordered keys and explicit nulls: the `kda.analysis/1` contract lists
/// keys in a fixed order and requires `null` (never an omitted key) where a value cannot be
/// computed. Non-finite numbers are written as `null`.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }

    /// `.number` for finite values, `.null` otherwise.
    public static func finite(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    public func rendered(indent: Int = 0, pretty: Bool = true) -> String {
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let close = pretty ? String(repeating: "  ", count: indent) : ""
        let newline = pretty ? "\n" : ""
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(x):
            if !x.isFinite { return "null" }
            if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
            return "\(x)"
        case let .string(s): return Self.quote(s)
        case let .array(items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy({ if case .number = $0 { return true }; if case .null = $0 { return true }; return false }) {
                return "[" + items.map { $0.rendered(pretty: false) }.joined(separator: ", ") + "]"
            }
            return "[" + newline + items.map { pad + $0.rendered(indent: indent + 1, pretty: pretty) }.joined(separator: "," + newline) + newline + close + "]"
        case let .object(fields):
            if fields.isEmpty { return "{}" }
            return "{" + newline + fields.map { pad + Self.quote($0.0) + ": " + $0.1.rendered(indent: indent + 1, pretty: pretty) }
                .joined(separator: "," + newline) + newline + close + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// Member lookup for objects (tests, renderers).
    public subscript(key: String) -> JSONValue? {
        if case let .object(fields) = self { return fields.first { $0.0 == key }?.1 }
        return nil
    }
}
