import Foundation

/// A JSON document with ordered keys and explicit nulls: the `kda.analysis/1` contract lists
/// keys in a fixed order and requires `null` (never an omitted key) where a value cannot be
/// computed. Non-finite numbers are written as `null`.
public indirect enum JSONValue: Sendable, Equatable {
    /// `null`: a value that could not be computed.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number; written as an integer when whole and below 10¹⁵ in magnitude, as `null` when not finite.
    case number(Double)
    /// A string, escaped as JSON requires.
    case string(String)
    /// An array; arrays of numbers and nulls are written on one line.
    case array([JSONValue])
    /// An object whose keys keep the given order.
    case object([(String, JSONValue)])

    /// Equal when both render to the same text (so key order matters and non-finite numbers equal `null`).
    /// O(size of both documents).
    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }

    /// `.number` for finite values, `.null` otherwise.
    ///
    /// - Parameter value: the number; `nil`, `NaN` and infinities give `.null`.
    public static func finite(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// The JSON text: pretty-printed with two-space indentation from nesting level `indent`, or
    /// compact when `pretty` is `false`. O(size of the document).
    ///
    /// - Parameters:
    ///   - indent: the nesting level the value starts at (2 spaces each); default 0.
    ///   - pretty: whether to indent and break lines; default `true`.
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
    ///
    /// - Parameter key: the member's name; `nil` is returned for a missing key or a value that is not an
    ///   object.
    public subscript(key: String) -> JSONValue? {
        if case let .object(fields) = self { return fields.first { $0.0 == key }?.1 }
        return nil
    }
}
