@testable import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// What the analyst declares — roles, kinds, polarity, exclusions, scales by glob, NPS codings —
/// and what the action list, the what-ifs and the errors make of it.
@Suite("Declared roles, kinds and polarity")
struct DeclarationsTests {
    /// A churn file shaped like a telecom export: service calls (0–9, fewer is better), a 1–5
    /// satisfaction rating, a monthly charge, gender, a voice-mail flag, churn driven by calls.
    static func churnFile() throws -> TemporaryFile {
        var generator = SplitMix(seed: 31)
        var lines = ["customer_service_calls,sat,monthly_charge,gender,voice_mail,nps_1_11,churn"]
        for _ in 0..<1_500 {
            let calls = Int(generator.uniform() * 10), sat = 1 + Int(generator.uniform() * 5)
            let charge = 20 + generator.uniform() * 80, female = generator.uniform() < 0.5, mail = generator.uniform() < 0.3
            let eta = -2.0 + 0.45 * Double(calls) - 0.4 * Double(sat - 3) + 0.01 * (charge - 60) + (mail ? -0.3 : 0)
            let churn = generator.uniform() < 1 / (1 + exp(-eta))
            let nps = 1 + min(10, max(0, 10 - calls + Int(generator.uniform() * 3)))
            lines.append("\(calls),\(sat),\(String(format: "%.2f", charge)),\(female ? "Female" : "Male"),\(mail ? "yes" : "no"),\(nps),\(churn ? 1 : 0)")
        }
        return try TemporaryFile(contents: lines.joined(separator: "\n") + "\n")
    }

    @Test func countsAttributesAndPolarityShapeTheActionList() throws {
        let file = try Self.churnFile()
        let data = try SurveyData.load(csv: file.path)
        var c = AnalysisConfiguration(outcome: "churn", drivers: ["customer_service_calls", "sat", "monthly_charge", "gender", "voice_mail"],
                                      margin: .value(30), discountRate: 0.01)
        c.lowerIsBetter = [ColumnPattern("customer_service*")]
        c.whatIfDelta = 3
        let report = try KeyDriverAnalysis.analyze(data, c)
        let calls = try #require(report.driver(named: "customer_service_calls"))
        // A count by its name, never a rating; its what-if lowers calls, never below the observed 0.
        #expect(calls.kind == .count && calls.quadrant == nil && calls.lowerIsBetter == true)
        #expect(calls.improves == true && (calls.whatIf?.clvAtStake ?? 0) > 0)
        let moved = try #require(calls.whatIf?.customersMoved)
        let atZero = Double(data.rowCount) - (try data.numericValues("customer_service_calls").filter { $0 > 0 }.count).double
        #expect(moved == Double(data.rowCount) - atZero)
        #expect(report.warnings.contains { $0.code.rawValue == "counts_by_name" })
        // Gender is a profile attribute: in the importance table, no what-if, no action row.
        let gender = try #require(report.driver(named: "gender"))
        #expect(gender.role == .attribute && gender.whatIf == nil && gender.importance.rankingShare != nil)
        #expect(!report.actionOrder.contains("gender") && report.actionOrder.first == "customer_service_calls")
        // The lowered calls equal a model prediction with every count floored at 0.
        // (gender enters as its level code, Female 0 / Male 1: the same model space as its dummy)
        let names = ["customer_service_calls", "sat", "monthly_charge", "gender", "voice_mail"]
        let columns = try names.map { try $0 == "gender" ? data.column($0).values : data.numericValues($0) }
        let model = try LogisticRegression(outcome: try data.numericValues("churn"), drivers: columns, names: names)
        var lowered = columns
        lowered[0] = lowered[0].map { max(0, $0 - 3) }
        let before = try model.predict(columns: columns).reduce(0, +), after = try model.predict(columns: lowered).reduce(0, +)
        expectClose(calls.whatIf?.churnChange ?? .nan, (after - before) / Double(data.rowCount), relative: 1e-7)
    }

    /// A switch that lands customers where the data never are (a voice-mail plan switched on for
    /// customers with no voice-mail messages, a combination the plan holders never show) is said,
    /// naming the term and where the moved values lie against the target customers'; a switch
    /// within the data is not.
    @Test func aWhatIfOutsideTheDataIsSaid() throws {
        var random = SplitMix(seed: 31)
        var lines = ["churn,vmail_plan,vmail_messages,day_minutes"]
        for _ in 0..<2_000 {
            let plan = random.uniform() < 0.3
            let messages = plan ? 5 + Int(random.next() % 40) : 0, minutes = 120 + 120 * random.uniform()
            let eta = -2 + 0.01 * (minutes - 180) - (plan ? 0.8 : 0)
            lines.append("\(random.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0),\(plan ? "yes" : "no"),\(messages),\(minutes)")
        }
        let file = try TemporaryFile(contents: lines.joined(separator: "\n") + "\n")
        var c = AnalysisConfiguration(outcome: "churn", drivers: ["vmail_plan", "vmail_messages", "day_minutes"])
        c.margin = .value(20)
        let report = try KeyDriverAnalysis.analyze(SurveyData.load(csv: file.path), c)
        let note = try #require(report.warnings.first { $0.code.rawValue == "what_if_off_support" })
        #expect(note.message.contains("vmail_plan") && note.message.contains("vmail_messages = 0") && note.message.contains("outside their 0.5–99.5 % range 5–44"), "\(note.message)")
        // Without the impossible pairing (messages independent of the plan) there is no note.
        let independent = lines.enumerated().map { k, line -> String in
            guard k > 0 else { return line }
            var cells = line.split(separator: ",").map(String.init)
            cells[2] = String(k % 30)
            return cells.joined(separator: ",")
        }
        let plain = try TemporaryFile(contents: independent.joined(separator: "\n") + "\n")
        let fine = try KeyDriverAnalysis.analyze(SurveyData.load(csv: plain.path), c)
        #expect(!fine.warnings.contains { $0.code.rawValue == "what_if_off_support" })
    }

    /// Numbers other than ratings carry their odds ratio per standard deviation, with its
    /// interval, in the JSON as the table shows it.
    @Test func oddsRatiosPerStandardDeviation() throws {
        let telco = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
        let report = try KeyDriverAnalysis.analyze(telco, AnalysisConfiguration(outcome: "Churn", drivers: ["tenure", "MonthlyCharges", "Contract"]))
        let charges = try #require(report.drivers.first { $0.name == "MonthlyCharges" })
        let perSD = try #require(DriverReport.perSD(charges))
        let beta = try #require(charges.coefficient), sd = try #require(charges.standardDeviation)
        expectClose(perSD.ratio, exp(beta.estimate * sd), relative: 1e-12)
        #expect(perSD.lower < perSD.ratio && perSD.ratio < perSD.upper)
        #expect(DriverReport.perSD(try #require(report.drivers.first { $0.name == "Contract" })) == nil)
    }

    @Test func declarationsOverrideDefaultsAndBadOnesAreRefused() throws {
        let file = try Self.churnFile()
        let data = try SurveyData.load(csv: file.path)
        var c = AnalysisConfiguration(outcome: "churn")
        c.roles = [.init("gender", .lever)]
        c.kinds = [.init("customer_service_calls", .rating)]
        c.excluded = [ColumnPattern("nps_*")]
        c.levelMoves = [.init(column: "voice_mail", from: "no", to: "yes")]
        c.margin = .value(30)
        let report = try KeyDriverAnalysis.analyze(data, c)
        #expect(report.driver(named: "nps_1_11") == nil && report.warnings.contains { $0.code.rawValue == "excluded" })
        #expect(report.driver(named: "customer_service_calls")?.kind == .rating)
        #expect(report.driver(named: "gender")?.role == .lever && report.driver(named: "gender")?.whatIf != nil)
        let mail = try #require(report.driver(named: "voice_mail")?.whatIf)
        #expect(mail.from == "no" && mail.to == "yes" && mail.framing == .move)
        func refused(_ change: (inout AnalysisConfiguration) -> Void, _ fragment: String) {
            var bad = AnalysisConfiguration(outcome: "churn")
            change(&bad)
            #expect { try KeyDriverAnalysis.analyze(data, bad) } throws: { "\($0)".contains(fragment) }
        }
        refused({ $0.roles = [.init("nope*", .attribute)] }, "matches no column")
        refused({ $0.kinds = [.init("gender", .count)] }, "can only be a factor")
        refused({ $0.lowerIsBetter = [ColumnPattern("gender")]; $0.kinds = [.init("gender", .factor)]; $0.roles = [.init("gender", .lever)] }, "levels have no order")
        refused({ $0.scales = [.init(column: "sat*", lower: 1, upper: 4)] }, "outside")
        refused({ $0.excluded = [ColumnPattern("churn")] }, "is the outcome")
        refused({ $0.roles = [.init("gender", .lever), .init("gender", .attribute)] }, "give it one role")
        refused({ $0.excluded = [ColumnPattern("sat")]; $0.roles = [.init("sat", .lever)] }, "is excluded but declared")
    }

    @Test func anElevenPointNPSItemIsRecoded() throws {
        let file = try Self.churnFile()
        let data = try SurveyData.load(csv: file.path)
        var c = AnalysisConfiguration(outcome: "churn", drivers: ["sat", "monthly_charge"], nps: "nps_1_11")
        c.npsScale = 1...11
        let report = try KeyDriverAnalysis.analyze(data, c)
        let nps = try #require(report.nps)
        let shifted = try data.numericValues("nps_1_11").map { $0 - 1 }
        let reference = try NetPromoterScore(answers: shifted)
        expectClose(nps.score, reference.score, relative: 1e-12)
        c.npsScale = 0...10
        #expect(throws: SurveyDataError.self) { try KeyDriverAnalysis.analyze(data, c) }     // 11 lies outside 0..10
        c.npsScale = 1...5
        #expect(throws: AnalysisError.self) { try KeyDriverAnalysis.analyze(data, c) }
    }

    /// A suppressor — its coefficient's sign against its own correlation — is never ranked above
    /// a driver with a direct effect, however large its share.
    @Test func suppressorsComeAfterDirectEffects() {
        func row(_ name: String, share: Double, suppressor: Bool) -> DriverReport.DriverRow {
            var r = DriverReport.DriverRow(name: name)
            r.coefficient = Coefficient(name: name, estimate: 0.3, standardError: 0.05, statistic: 6, pValue: 1e-9,
                                        confidenceInterval: ClosedInterval(lower: 0.2, upper: 0.4), isAliased: false)
            r.importance.shapleyShare = share
            r.suppressor = suppressor
            return r
        }
        let order = ActionOrder(rows: [row("shared", share: 0.5, suppressor: true), row("direct", share: 0.2, suppressor: false)], conservative: false)
        #expect(order.order == [1, 0])
    }

    /// The warehouse path reads roles and framing by the file path's rule: a declared move makes
    /// a profile-named factor a lever with a move, an undeclared factor keeps a gap.
    @Test func warehouseRowsFollowTheSameRoleRule() {
        var c = AnalysisConfiguration(outcome: "churn")
        c.levelMoves = [.init(column: "gender", from: "Male", to: "Female")]
        var rows = ["gender", "Contract", "SeniorCitizen"].map { name -> DriverReport.DriverRow in
            var r = DriverReport.DriverRow(name: name)
            r.kind = name == "SeniorCitizen" ? .binary : .factor
            r.whatIf = .init(delta: 1, outcomeChange: -0.01)
            return r
        }
        let notes = ActionRoles.apply(to: &rows, configuration: c)
        #expect(rows[0].role == .lever && rows[0].whatIf?.framing == .move)
        #expect(rows[1].role == .lever && rows[1].whatIf?.framing == .gap)
        #expect(rows[2].role == .attribute && rows[2].whatIf == nil)
        #expect(notes.map(\.code.rawValue) == ["profile_attributes"] && notes[0].message.hasPrefix("SeniorCitizen "))
        #expect(c.role(of: "gender") == .lever && c.role(of: "TotalCharges", derived: true) == .attribute)
    }

    @Test func columnPatterns() {
        #expect(ColumnPattern("s*").matches("s23") && !ColumnPattern("s*").matches("xs1"))
        #expect(ColumnPattern("*_count_*").matches("Contacts_count_12_mon"))
        #expect(ColumnPattern("q?").matches("q1") && !ColumnPattern("q?").matches("q10"))
        #expect(ColumnPattern("a*b*c").matches("aXbYc") && !ColumnPattern("a*b*c").matches("aXbY"))
        #expect(AnalysisConfiguration.namedLikeCount("CustServCalls") && AnalysisConfiguration.namedLikeCount("Total_Trans_Ct"))
        #expect(!AnalysisConfiguration.namedLikeCount("wifi") && !AnalysisConfiguration.namedLikeCount("account"))
        #expect(AnalysisConfiguration.defaultRole(of: "Senior Citizen") == .attribute && AnalysisConfiguration.defaultRole(of: "wifi") == .lever)
    }
}

private extension Int {
    var double: Double { Double(self) }
}

/// Text columns as controls, and what a control does to the importance a churn model reports.
@Suite("Text controls")
struct TextControlTests {
    @Test func aTextControlEntersAsDummiesAndIsSaidSo() throws {
        let data = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
        var c = AnalysisConfiguration(outcome: "Churn", drivers: ["tenure", "Contract", "PaperlessBilling"], event: "Yes")
        c.roles = [.init("PaymentMethod", .control)]
        c.methods = [.regression, .shapley, .relativeWeights]
        let report = try KeyDriverAnalysis.analyze(data, c)
        #expect(report.controls.map(\.name) == ["PaymentMethod[Bank transfer (automatic)]", "PaymentMethod[Credit card (automatic)]", "PaymentMethod[Mailed check]"])
        #expect(report.warnings.contains { $0.code.rawValue == "text_controls" && $0.message.contains("Electronic check") })
        // Relative weights cannot hold controls apart in a logistic model: said, not silently empty.
        #expect(report.warnings.contains { $0.code.rawValue == "not_computed" && $0.message.contains("relative weights") })
        // The drivers' Shapley values decompose what they add beyond the controls: less than the model's R².
        let shapley = report.drivers.compactMap(\.importance.shapley).reduce(0, +)
        #expect(shapley > 0 && shapley < (report.model.mcFaddenRSquared ?? 0))
    }
}
