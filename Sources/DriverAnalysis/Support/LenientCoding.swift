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
