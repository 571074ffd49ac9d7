import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// Real survey files analysed as an analyst would: text columns as factors (one player each),
/// text outcomes with a declared event, per-column missing codes — matched to R `glm` with
/// factors and to brute-force group Shapley values (Tests/Fixtures/Scripts/categorical.R/.py).
@Suite("real CX data: factors, events, scales")
struct RealCXDataTests {
    static func telco() throws -> SurveyData {
        try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
    }

    static let telcoDrivers = ["gender", "SeniorCitizen", "Partner", "Dependents", "tenure", "PhoneService", "MultipleLines",
                               "InternetService", "OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV",
                               "StreamingMovies", "Contract", "PaperlessBilling", "PaymentMethod", "MonthlyCharges"]

    @Test func theFullTelcoChurnModelWithFactorsMatchesRGlm() throws {
        let reference = try ReferenceValues("glm_telco_full")
        let data = try Self.telco()
        let configuration = AnalysisConfiguration(outcome: "Churn", drivers: Self.telcoDrivers, event: "Yes")
        let selection = try DriverSelection(data: data, configuration: configuration)
        #expect(selection.modelKind == .logistic && selection.outcomeCoding.meaning == .defection)
        let kinds = Dictionary(uniqueKeysWithValues: zip(selection.drivers, selection.variables.map(\.kind)))
        #expect(kinds["Contract"] == .factor && kinds["gender"] == .factor && kinds["Partner"] == .binary && kinds["tenure"] == .numeric)
        let fit = try ModelStage(data: data, selection: selection, configuration: configuration)
        let model = try #require(fit.logistic)
        #expect(model.observationCount == Int(reference.number("n")))
        let terms = reference.strings("terms")
        #expect(model.termNames == terms)
        for (k, term) in terms.enumerated() {
            let c = try model.coefficient(named: term)
            let expected = reference.numbers("estimate")[k]
            if expected.isNaN {
                #expect(c.isAliased, "\(term) should be aliased, as in R")
            } else {
                expectClose(c.estimate, expected, relative: 1e-6, absolute: 1e-9, term)
                expectClose(c.standardError, reference.numbers("std_error")[k], relative: 1e-6, term)
            }
        }
        expectClose(model.logLikelihood, reference.number("log_likelihood"), relative: 1e-10)
        expectClose(model.mcFaddenRSquared, reference.number("mcfadden_r2"), relative: 1e-9)
        // Factor rows: reference = most frequent level, counts as in R's table().
        let contract = try #require(fit.rows.first { $0.name == "Contract" })
        #expect(contract.reference == "Month-to-month" && contract.coefficient == nil)
        #expect(contract.levels.map(\.level) == ["Month-to-month", "One year", "Two year"])
        #expect(contract.levels.map(\.count) == [3875, 1473, 1695])
    }

    @Test func factorsAreOnePlayerInShapleyMatchedToBruteForce() throws {
        let reference = try ReferenceValues("group_shapley_telco")
        let data = try Self.telco()
        let players = reference.strings("players")
        // McFadden R² (logistic) …
        var configuration = AnalysisConfiguration(outcome: "Churn", drivers: players, event: "Yes")
        configuration.methods = [.regression, .shapley, .dominance]
        let logistic = try KeyDriverAnalysis.analyze(data, configuration)
        for (k, name) in players.enumerated() {
            let row = try #require(logistic.driver(named: name))
            expectClose(row.importance.shapley ?? .nan, reference.numbers("shapley_mcfadden_r2")[k], relative: 1e-7, name)
        }
        // … and OLS R² of the 0/1 outcome (linear), each factor's dummies entering together.
        configuration.model = .linear
        let linear = try KeyDriverAnalysis.analyze(data, configuration)
        for (k, name) in players.enumerated() {
            let row = try #require(linear.driver(named: name))
            expectClose(row.importance.shapley ?? .nan, reference.numbers("shapley_ols_r2")[k], relative: 1e-9, name)
        }
        let total = players.compactMap { linear.driver(named: $0)?.importance.shapley }.reduce(0, +)
        expectClose(total, reference.number("full_ols_r2"), relative: 1e-10)
        #expect(linear.dominance != nil)
    }

    @Test(.enabled(if: SharedData.path("airline-passenger-satisfaction/train.csv") != nil,
                   "needs ../shared/data (the airline data has no licence for bundling)"))
    func airlineWithATextOutcomeAnEventAndPerColumnCodes() throws {
        let reference = try ReferenceValues("glm_airline_categorical")
        let ratings = ["Inflight wifi service", "Departure/Arrival time convenient", "Ease of Online booking", "Gate location",
                       "Food and drink", "Online boarding", "Seat comfort", "Inflight entertainment", "On-board service",
                       "Leg room service", "Baggage handling", "Checkin service", "Inflight service", "Cleanliness"]
        var options = CSVOptions()
        for name in ratings { options.columnMissingCodes[name] = ["0"] }
        let data = try SurveyData.load(csv: SharedData.path("airline-passenger-satisfaction/train.csv")!, options: options)
        let drivers = Array(reference.strings("terms").dropFirst()).map { $0.split(separator: "[").first.map(String.init) ?? $0 }
            .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let configuration = AnalysisConfiguration(outcome: "satisfaction", drivers: drivers, event: "neutral or dissatisfied")
        let selection = try DriverSelection(data: data, configuration: configuration)
        #expect(selection.outcomeCoding.meaning == .adverse)
        #expect(selection.variables.filter { $0.kind == .rating }.allSatisfy { $0.scale == 1...5 })
        let fit = try ModelStage(data: data, selection: selection, configuration: configuration)
        let model = try #require(fit.logistic)
        #expect(model.observationCount == Int(reference.number("n")))
        for (k, term) in reference.strings("terms").enumerated() {
            let c = try model.coefficient(named: term)
            expectClose(c.estimate, reference.numbers("estimate")[k], relative: 1e-6, absolute: 1e-9, term)
            expectClose(c.standardError, reference.numbers("std_error")[k], relative: 1e-6, term)
        }
        expectClose(model.logLikelihood, reference.number("log_likelihood"), relative: 1e-10)
    }

    @Test func badRequestsNameTheColumn() throws {
        let data = try Self.telco()
        func refuses(_ configuration: AnalysisConfiguration, mentioning text: String) {
            do {
                _ = try KeyDriverAnalysis.analyze(data, configuration)
                Issue.record("expected a refusal mentioning \(text)")
            } catch {
                #expect("\(error)".contains(text), "\(error)")
            }
        }
        var c = AnalysisConfiguration(outcome: "Churn", drivers: ["Contract", "tenure"], event: "Maybe")
        refuses(c, mentioning: "'Maybe'")
        c.event = nil
        c.references = [.init(column: "Contract", level: "Three year")]
        refuses(c, mentioning: "Three year")
        c.references = []
        c.drivers = ["customerID", "tenure"]
        refuses(c, mentioning: "customerID")
        c.drivers = ["tenure", "MonthlyCharges"]
        c.scales = [.init(column: "tenure", lower: 1, upper: 5)]
        refuses(c, mentioning: "tenure")
    }

    @Test func eventsScalesAndDirectionsAreReadRight() throws {
        // A 0–5 rating whose zeros mean "not applicable" is a 1–5 rating with zeros outside it.
        #expect(DriverVariable.inferKind(values: [0, 1, 2, 3, 4, 5, 5]).scale == 1...5)
        let ratings = (0..<60).map { Double($0 % 6) }        // 0–5 with zeros meaning "not applicable"
        let survey = try SurveyData(columns: [(name: "wifi", values: ratings), (name: "y", values: ratings.enumerated().map { Double($0.offset % 7) + $0.element })])
        let selection = try DriverSelection(data: survey, configuration: AnalysisConfiguration(outcome: "y", drivers: ["wifi"]))
        #expect(selection.warnings.contains { $0.code.rawValue == "zeros_outside_scale" && $0.message.contains("wifi=0") })
        #expect(DriverVariable.inferKind(values: [1, 2, 3, 4, 5, 6, 7]).scale == 1...7)
        #expect(DriverVariable.inferKind(values: [0, 1, 0, 1]).kind == .binary)
        #expect(DriverVariable.inferKind(values: [0, 12, 72, 30]).kind == .numeric)
        // Edge cases of the one-pass summary: missing cells, fractions, huge whole numbers, a
        // third distinct value far down the column, two-valued and negative columns.
        #expect(DriverVariable.inferKind(values: [.nan, 1, 2, .nan, 3]).scale == 1...5)
        #expect(DriverVariable.inferKind(values: [0, .nan, 1, 1]).kind == .binary)
        #expect(DriverVariable.inferKind(values: [1, 2.5, 3, 4]).kind == .numeric)
        #expect(DriverVariable.inferKind(values: [1, 2, 3, 0.5e-300]).kind == .numeric)
        #expect(DriverVariable.inferKind(values: [1e16, 2, 3]).kind == .numeric)
        #expect(DriverVariable.inferKind(values: [1, 2, 3, .infinity]).kind == .numeric)
        #expect(DriverVariable.inferKind(values: [Double](repeating: 1, count: 10_001) + [2] + [Double](repeating: 1, count: 9) + [4]).scale == 1...5)
        #expect(DriverVariable.inferKind(values: [Double](repeating: 2, count: 10_000) + [5]).kind == .numeric)
        #expect(DriverVariable.inferKind(values: [-1, 0, 1]).kind == .numeric)
        let data = try Self.telco()
        // Without --event a Yes/No outcome models Yes; the meaning is inferred from "Churn".
        let report = try KeyDriverAnalysis.analyze(data, AnalysisConfiguration(outcome: "Churn", drivers: ["Contract", "tenure", "SeniorCitizen"],
                                                                               margin: .column("MonthlyCharges"), discountRate: 0.01))
        #expect(report.model.event == "Yes" && report.model.eventMeaning == .defection)
        let contract = try #require(report.driver(named: "Contract"))
        #expect(contract.whatIf?.from == "Month-to-month" && contract.whatIf?.to == "One year" && contract.whatIf?.customersMoved == 3875)
        #expect((contract.whatIf?.clvAtStake ?? 0) > 0 && contract.improves == true)
        let senior = try #require(report.driver(named: "SeniorCitizen"))
        #expect(senior.improves == false && senior.quadrant == nil)
        // Senior citizen and tenure are profile attributes (no what-if), and Contract's default
        // what-if is the gap between two levels: no action row until the move is declared.
        #expect(senior.role == .attribute && senior.whatIf == nil && report.driver(named: "tenure")?.role == .attribute)
        #expect(contract.whatIf?.framing == .gap && report.actionOrder.isEmpty)
        var asLever = AnalysisConfiguration(outcome: "Churn", drivers: ["Contract", "tenure", "SeniorCitizen"], margin: .column("MonthlyCharges"), discountRate: 0.01)
        asLever.levelMoves = [.init(column: "Contract", from: "Month-to-month", to: "One year")]
        asLever.roles = [.init("Senior*", .lever)]
        let levers = try KeyDriverAnalysis.analyze(data, asLever)
        #expect(levers.actionOrder == ["Contract", "SeniorCitizen"] && levers.orderBasis == .clvAtStake)
        #expect(levers.driver(named: "Contract")?.whatIf?.framing == .move)
        // An analyst's own move for a factor replaces the default one-level-up move.
        var declared = AnalysisConfiguration(outcome: "Churn", drivers: ["Contract", "tenure"], margin: .column("MonthlyCharges"), discountRate: 0.01)
        declared.levelMoves = [.init(column: "Contract", from: "Month-to-month", to: "Two year")]
        let moved = try #require(try KeyDriverAnalysis.analyze(data, declared).driver(named: "Contract")?.whatIf)
        #expect(moved.to == "Two year" && moved.customersMoved == 3875 && (moved.clvAtStake ?? 0) > (contract.whatIf?.clvAtStake ?? 0))
        declared.levelMoves = [.init(column: "Contract", from: "Month-to-month", to: "Three year")]
        #expect(throws: SurveyDataError.self) { try KeyDriverAnalysis.analyze(data, declared) }
        // Predictor groups in a churn model: a group of drivers is one player on McFadden R².
        var grouped = AnalysisConfiguration(outcome: "Churn", drivers: ["Contract", "tenure", "SeniorCitizen"])
        grouped.groups = [.init(name: "relationship", members: ["Contract", "tenure"])]
        let groupReport = try KeyDriverAnalysis.analyze(data, grouped)
        #expect(groupReport.groups.map(\.name) == ["relationship", "SeniorCitizen"])
        expectClose(groupReport.groups.map(\.shapley).reduce(0, +), groupReport.model.mcFaddenRSquared ?? .nan, relative: 1e-8)
        // A non-defection event gets no lifetime value, only the change in its probability.
        var adverse = AnalysisConfiguration(outcome: "Churn", drivers: ["Contract", "tenure"], margin: .value(50))
        adverse.eventMeaning = .adverse
        let noValue = try KeyDriverAnalysis.analyze(data, adverse)
        #expect(noValue.value == nil && noValue.drivers.filter { $0.role != .attribute }.allSatisfy { $0.whatIf?.clvAtStake == nil && $0.whatIf?.outcomeChange != nil })
    }

    /// The action list of `Docs/cx-walkthrough.md` (and `kda demo`), recomputed.
    @Test func theWalkThroughActionList() throws {
        let data = try Self.telco()
        var configuration = AnalysisConfiguration(
            outcome: "Churn",
            drivers: ["Contract", "InternetService", "OnlineSecurity", "TechSupport", "PaymentMethod", "PaperlessBilling",
                      "tenure", "MonthlyCharges", "SeniorCitizen"],
            event: "Yes", margin: .column("MonthlyCharges"), discountRate: 0.01, whatIfDelta: 6)
        // The moves the business can make; InternetService's fibre → DSL stays a gap, tenure and
        // SeniorCitizen are attributes.
        configuration.levelMoves = [.init(column: "Contract", from: "Month-to-month", to: "One year"), .init(column: "OnlineSecurity", from: "No", to: "Yes"),
                                    .init(column: "TechSupport", from: "No", to: "Yes"),
                                    .init(column: "PaymentMethod", from: "Electronic check", to: "Bank transfer (automatic)")]
        configuration.roles = [.init("PaperlessBilling", .attribute)]
        let report = try KeyDriverAnalysis.analyze(data, configuration)
        #expect(report.actionOrder == ["OnlineSecurity", "Contract", "TechSupport", "PaymentMethod", "MonthlyCharges"])
        #expect(report.driver(named: "InternetService")?.whatIf?.framing == .gap)
        #expect(report.driver(named: "tenure")?.whatIf == nil && report.driver(named: "SeniorCitizen")?.role == .attribute)
        // Contract's joint test (likelihood ratio on 2 df) is what makes it significant.
        let test = try #require(report.driver(named: "Contract")?.jointTest)
        #expect(test.kind == .likelihoodRatio && test.degreesOfFreedom == 2 && test.pValue < 1e-10)
        let value = try #require(report.value)
        expectClose(value.totalCLV, 4_301_059, relative: 1e-6)
        let contract = try #require(report.driver(named: "Contract"))
        expectClose(contract.whatIf?.clvAtStake ?? .nan, 390_367, relative: 1e-5)
        expectClose(contract.importance.shapleyShare ?? .nan, 0.233, relative: 0.01)
        #expect(contract.whatIf?.customersRetained.map { $0.rounded() } == 502)
        let shares = report.drivers.compactMap(\.importance.shapleyShare)
        expectClose(shares.reduce(0, +), 1, relative: 1e-12)
        // Aliased dummies count once in each submodel that holds them: the values add up to the full McFadden R².
        let values = report.drivers.compactMap(\.importance.shapley)
        expectClose(values.reduce(0, +), report.model.mcFaddenRSquared ?? .nan, relative: 1e-8)
        #expect(!report.warnings.contains { $0.code.rawValue == "near_separation" })
        #expect(report.driver(named: "PaperlessBilling")?.improves == false)
    }
}
