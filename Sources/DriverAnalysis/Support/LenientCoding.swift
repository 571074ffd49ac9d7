/// Coding of `Double` values that may be non-finite (`NaN` for an aliased coefficient, `∞` for
/// a condition number): written as `null`, read back as `NaN`, so results encode with a
/// default `JSONEncoder` (which refuses non-finite numbers).
extension KeyedEncodingContainer {
    mutating func encodeLenient(_ value: Double, forKey key: Key) throws {
        if value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func encodeLenient(_ value: Double?, forKey key: Key) throws {
        if let value, value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func encodeLenient(_ values: [Double], forKey key: Key) throws {
        try encode(values.map { $0.isFinite ? $0 : nil }, forKey: key)
    }
}

extension KeyedDecodingContainer {
    func decodeLenient(_ key: Key) throws -> Double {
        try decodeIfPresent(Double.self, forKey: key) ?? .nan
    }

    func decodeLenientArray(_ key: Key) throws -> [Double] {
        try decode([Double?].self, forKey: key).map { $0 ?? .nan }
    }
}

extension KeyedDecodingContainer {
    /// Throws `DecodingError.dataCorrupted` at `key` with `message` unless `condition` holds: the
    /// check every `init(from:)` runs on what it decoded, so that an inconsistent document (arrays
    /// of different lengths, a negative count) fails to decode instead of trapping later.
    func require(_ condition: Bool, _ key: Key, _ message: @autoclosure () -> String) throws {
        if !condition { throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: message()) }
    }
}
