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

    /// A per-observation array written only on request (``Swift/CodingUserInfoKey/modelObservations``):
    /// empty when the document has none.
    func decodeObservations(_ key: Key) throws -> [Double] {
        contains(key) ? try decodeLenientArray(key) : []
    }
}

extension CodingUserInfoKey {
    /// Set to `true` in an encoder's `userInfo` to write a fitted model's per-observation arrays
    /// (`LinearRegression`'s residuals and fitted values, `LogisticRegression`'s fitted
    /// probabilities). By default they are left out: they grow with the data (a churn model of
    /// 7,043 customers was 140 kB, nearly all of it those arrays), and a service storing or
    /// sending a model rarely needs them. A model decoded without them has them empty.
    public static let modelObservations: CodingUserInfoKey = {
        guard let key = CodingUserInfoKey(rawValue: "DriverAnalysis.modelObservations") else {
            preconditionFailure("a non-empty raw value always makes a key")
        }
        return key
    }()
}

extension Encoder {
    /// Whether the caller asked for the per-observation arrays (``Swift/CodingUserInfoKey/modelObservations``).
    var includesModelObservations: Bool { userInfo[.modelObservations] as? Bool == true }
}

extension KeyedDecodingContainer {
    /// Throws `DecodingError.dataCorrupted` at `key` with `message` unless `condition` holds: the
    /// check every `init(from:)` runs on what it decoded, so that an inconsistent document (arrays
    /// of different lengths, a negative count) fails to decode instead of trapping later.
    func require(_ condition: Bool, _ key: Key, _ message: @autoclosure () -> String) throws {
        if !condition { throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: message()) }
    }
}
