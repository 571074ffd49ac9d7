/// `Matrix` encodes as `{"rows": r, "columns": c, "elements": [column-major…]}`; a non-finite
/// element (a `NaN` row of an aliased term) is written as `null` so that a default
/// `JSONEncoder` accepts it, and read back as `NaN`.
extension Matrix: Codable {
    private enum CodingKeys: String, CodingKey { case rows, columns, elements }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rows = try container.decode(Int.self, forKey: .rows)
        let columns = try container.decode(Int.self, forKey: .columns)
        let elements = try container.decode([Double?].self, forKey: .elements).map { $0 ?? .nan }
        guard rows >= 0, columns >= 0, rows.multipliedReportingOverflow(by: columns) == (elements.count, false) else {
            throw DecodingError.dataCorruptedError(forKey: .elements, in: container,
                                                   debugDescription: "\(elements.count) elements for a \(rows) × \(columns) matrix")
        }
        try self.init(rows: rows, columns: columns, columnMajor: elements)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .rows)
        try container.encode(columns, forKey: .columns)
        try container.encode(elements.map { $0.isFinite ? $0 : nil }, forKey: .elements)
    }
}
