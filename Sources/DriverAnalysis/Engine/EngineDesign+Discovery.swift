import Foundation

/// The queries ``EngineDesign/init(engine:table:configuration:)`` discovers the design with:
/// which drivers hold text, the listwise filter, and the levels of the text and categorical
/// drivers in the analysed rows.
extension EngineDesign {
    /// One query: per driver, whether any of its values in `table` is text (not a number).
    static func textDrivers(_ drivers: [String], engine: SQLEngine, table: String) throws -> [Bool] {
        let d = engine.dialect
        let probe = "SELECT " + drivers.enumerated().map { "SUM(CASE WHEN \(d.isNonNumericText($1)) THEN 1 ELSE 0 END) AS t\($0)" }
            .joined(separator: ", ") + " FROM \(table)"
        let types = try EngineLogistic.row(engine.run(probe), query: probe, engine: engine)
        return drivers.indices.map { (types["t\($0)"] ?? 0) > 0 }
    }

    /// The outcome coded 1 for the event (or read as a number without an event), and the
    /// listwise filter: outcome, drivers (as text or numbers), positive weight, margin column.
    static func outcomeAndFilter(_ c: AnalysisConfiguration, drivers: [String], isText: [Bool], dialect d: SQLDialect) -> (y: String, filter: [String]) {
        let y: String
        var filter: [String]
        if let event = c.event {
            // A BOOLEAN column (DuckDB reads Yes/No files so) shows as true/false: Yes/Y match true, No/N false.
            var match = "\(d.text(c.outcome)) = \(d.string(event))"
            // A numeric outcome's event matches numerically (DuckDB prints 1.0 for a DOUBLE 1).
            if let value = DecimalParser.parse(event.trimmingCharacters(in: .whitespaces)), value.isFinite {
                match += " OR (NOT \(d.isNonNumericText(c.outcome)) AND \(d.tryNumeric(c.outcome)) = \(d.number(value)))"
            }
            if ["yes", "y"].contains(event.lowercased()) { match += " OR lower(\(d.text(c.outcome))) = 'true'" }
            if ["no", "n"].contains(event.lowercased()) { match += " OR lower(\(d.text(c.outcome))) = 'false'" }
            y = "CASE WHEN \(match) THEN 1.0 ELSE 0.0 END"
            filter = ["\(d.quote(c.outcome)) IS NOT NULL AND \(d.text(c.outcome)) <> ''"]
        } else {
            y = d.numeric(c.outcome)
            filter = [d.numeric(c.outcome) + " IS NOT NULL"]
        }
        for (j, name) in drivers.enumerated() {
            filter.append(isText[j] ? "\(d.quote(name)) IS NOT NULL AND \(d.text(name)) <> ''" : d.numeric(name) + " IS NOT NULL")
        }
        if let w = c.weight { filter.append(d.numeric(w) + " IS NOT NULL AND \(d.numeric(w)) > 0") }
        if case let .column(m)? = c.margin, !drivers.contains(m) { filter.append(d.numeric(m) + " IS NOT NULL") }
        return (y, filter)
    }

    /// One `GROUP BY` query (none when no driver is text or categorical): per driver, its levels
    /// in the rows passing `filter` with their counts, in the engine's order.
    static func levelCounts(_ drivers: [String], isText: [Bool], categorical: [Bool], filter: [String],
                            engine: SQLEngine, table: String) throws -> [[(level: String, count: Int)]] {
        let d = engine.dialect
        var counts = [[(level: String, count: Int)]](repeating: [], count: drivers.count)
        let leveled = drivers.indices.filter { isText[$0] || categorical[$0] }
        guard !leveled.isEmpty else { return counts }
        let parts = leveled.map { j in
            // Text levels come back hexadecimal: no quote or line break in a level can break the result.
            let value = isText[j] ? d.text(drivers[j]) : d.numeric(drivers[j])
            return "SELECT \(j) AS j, \(isText[j] ? d.hex(value) : value) AS lv, COUNT(*) AS n FROM \(table) WHERE \(filter.joined(separator: " AND ")) GROUP BY \(value)"
        }
        let sql = parts.joined(separator: "\nUNION ALL\n")
        let text = try engine.run(sql)
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        for line in lines.dropFirst() {
            let fields = MomentsSQL.splitCSVLine(line)
            guard fields.count == 3, let j = Int(fields[0].trimmingCharacters(in: .whitespaces)), counts.indices.contains(j),
                  let n = Int(fields[2].trimmingCharacters(in: .whitespaces)), n >= 0 else {
                throw EngineError.badResult(command: engine.command, reason: "a levels row is not (driver, level, count): '\(line)'", query: sql)
            }
            let level = try decodedLevel(fields[1], of: drivers[j], isText: isText[j], engine: engine, query: sql)
            counts[j].append((level, n))
        }
        return counts
    }

    /// A level as the levels query returned it, decoded: hexadecimal text, or a number written
    /// with 15 significant digits.
    static func decodedLevel(_ level: String, of driver: String, isText: Bool, engine: SQLEngine, query sql: String) throws -> String {
        if isText {
            guard let decoded = EngineSource.unhex(level.trimmingCharacters(in: .whitespaces)) else {
                throw EngineError.badResult(command: engine.command, reason: "level '\(level)' of '\(driver)' is not hexadecimal text", query: sql)
            }
            return decoded
        }
        guard let value = Double(level.trimmingCharacters(in: .whitespaces)) else {
            throw EngineError.badResult(command: engine.command, reason: "level '\(level)' of '\(driver)' is not a number", query: sql)
        }
        return NumberFormat.significant(value, digits: 15)
    }
}
