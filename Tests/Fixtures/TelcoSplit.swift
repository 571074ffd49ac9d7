import Foundation

/// IBM's Telco churn table split into four exports, as CX data arrive: a CRM and three touchpoint
/// tools, each with its own key name, shuffled rows, customers missing from some tools, repeated
/// answers with dates (the latest true, earlier ones wrong), Yes/No recoded as 1/0 (calls) and
/// Y/N (web), keys in lower case (app), a few keys that match nothing, empty keys, and a
/// `tenure` copy in the app export that disagrees for a few customers. The calls export also
/// carries `sat`, a 1–5 satisfaction rating drawn at random (unrelated to churn): a rating
/// whose scale is declared per source.
///
/// Deterministic (SplitMix64 from `seed`). The ground truth — who was left out of which source,
/// how many rows were repeated — is kept, so a test can check the profile counts exactly that.
public struct TelcoSplit: Sendable {
    /// One export: its name (file stem), key column and CSV text.
    public struct Export: Sendable {
        public let name: String
        public let key: String
        public let text: String
    }

    /// The original header and rows (cells as text).
    public let header: [String]
    public let rows: [[String]]
    /// crm (customerID), calls (CustID, repeated, answered_at), web (client), app (Customer Ref).
    public let exports: [Export]
    /// Customer ids absent from calls, web and app.
    public let missing: [String: Set<String>]
    /// Customer ids present in every export.
    public let inAll: Set<String>
    /// calls: customers with earlier (wrong) answers, and the extra rows.
    public let repeatedCustomers: Int
    public let repeatedRows: Int
    /// Keys that match no CRM customer (calls), rows with an empty key (web), app `tenure` conflicts.
    public let ghostKeys: [String]
    public let emptyKeyRows: Int
    public let tenureConflicts: Int

    public static let crmColumns = ["customerID", "gender", "SeniorCitizen", "Partner", "Dependents", "tenure", "Contract",
                                    "PaymentMethod", "MonthlyCharges", "TotalCharges", "Churn"]
    public static let callColumns = ["PhoneService", "MultipleLines", "TechSupport"]
    public static let webColumns = ["InternetService", "OnlineSecurity", "OnlineBackup", "DeviceProtection", "PaperlessBilling"]
    public static let appColumns = ["StreamingTV", "StreamingMovies", "tenure"]

    public init(seed: UInt64 = 30) throws {
        let text = try FixtureData.text("telco/Telco-Customer-Churn.csv")
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        var random = SplitMix(seed: seed)
        func shuffled(_ lines: [String]) -> [String] {
            var lines = lines
            for i in stride(from: lines.count - 1, to: 0, by: -1) { lines.swapAt(i, Int(random.next() % UInt64(i + 1))) }
            return lines
        }
        func cells(_ row: [String], _ names: [String]) -> [String] { names.map { row[column[$0]!] } }
        let ids = rows.map { $0[0] }
        var missing: [String: Set<String>] = [:]
        for (name, share) in [("calls", 0.06), ("web", 0.08), ("app", 0.10)] {
            missing[name] = Set(ids.filter { _ in Double(random.next() % 1000) < share * 1000 })
        }
        self.missing = missing
        inAll = Set(ids).subtracting(missing.values.reduce(Set<String>()) { $0.union($1) })

        let crm = rows.map { cells($0, Self.crmColumns).joined(separator: ",") }

        // calls: PhoneService as 1/0; 15 % of customers also answered earlier, with other values.
        var calls: [String] = [], repeated = 0, extra = 0
        let flip = ["Yes": "No", "No": "Yes", "No phone service": "No", "No internet service": "Yes"]
        for row in rows where !missing["calls"]!.contains(row[0]) {
            let day = 1 + Int(random.next() % 28)
            var values = cells(row, Self.callColumns)
            values[0] = values[0] == "Yes" ? "1" : "0"
            calls.append("\(row[0]),2024-06-\(String(format: "%02d", day))T1\(random.next() % 10):30,\(1 + random.next() % 5),\(values.joined(separator: ","))")
            if random.next() % 100 < 15 {
                repeated += 1
                let earlier = 1 + Int(random.next() % 2)
                extra += earlier
                for k in 0..<earlier {
                    let wrong = [values[0] == "1" ? "0" : "1", flip[values[1]] ?? values[1], flip[values[2]] ?? values[2]]
                    calls.append("\(row[0]),2024-0\(3 + k)-\(String(format: "%02d", day)),\(1 + random.next() % 5),\(wrong.joined(separator: ","))")
                }
            }
        }
        ghostKeys = ["0000-GHOST", "0001-GHOST", "0002-GHOST"]
        calls += ghostKeys.map { "\($0),2024-06-01,3,1,No,No" }
        repeatedCustomers = repeated
        repeatedRows = extra

        // web: PaperlessBilling as Y/N, two rows without a key.
        var web = rows.filter { !missing["web"]!.contains($0[0]) }.map { row -> String in
            var values = cells(row, Self.webColumns)
            values[4] = values[4] == "Yes" ? "Y" : "N"
            return "\(row[0]),\(values.joined(separator: ","))"
        }
        web += [",DSL,No,No,No,Y", " ,Fiber optic,Yes,No,No,N"]
        emptyKeyRows = 2

        // app: keys in lower case; tenure off by one for every 500th customer in it.
        var conflicts = 0
        let app = rows.enumerated().filter { !missing["app"]!.contains($1[0]) }.map { i, row -> String in
            var values = cells(row, Self.appColumns)
            if i % 500 == 0, let t = Int(values[2]) { values[2] = String(t + 1); conflicts += 1 }
            return "\(row[0].lowercased()),\(values.joined(separator: ","))"
        }
        tenureConflicts = conflicts

        exports = [
            Export(name: "crm", key: "customerID", text: ([Self.crmColumns.joined(separator: ",")] + shuffled(crm)).joined(separator: "\n") + "\n"),
            Export(name: "calls", key: "CustID", text: (["CustID,answered_at,sat," + Self.callColumns.joined(separator: ",")] + shuffled(calls)).joined(separator: "\n") + "\n"),
            Export(name: "web", key: "client", text: (["client," + Self.webColumns.joined(separator: ",")] + shuffled(web)).joined(separator: "\n") + "\n"),
            Export(name: "app", key: "Customer Ref", text: (["Customer Ref," + Self.appColumns.joined(separator: ",")] + shuffled(app)).joined(separator: "\n") + "\n"),
        ]
    }

    /// Writes `crm.csv`, `calls.csv`, `web.csv`, `app.csv` into `directory`.
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for export in exports {
            try Data(export.text.utf8).write(to: directory.appendingPathComponent("\(export.name).csv"))
        }
    }
}
