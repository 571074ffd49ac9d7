import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// Prediction as statsmodels and GLM.jl offer it: new rows of a survey coded into the fitted
/// design (text columns included, with the fit's levels and reference), row-wise and column-wise
/// numeric input with labels that cannot be confused, typed errors for what cannot be predicted.
///
/// Tolerance: predicting the training rows recomputes `xᵢᵀβ` (and the logistic link) with the same
/// coefficients, in another summation order than the fit's residual-based fitted values — an
/// error of a few ε·Σ|xᵢⱼβⱼ| (≈ 1e-13 here), far inside the 1e-10 asked.
@Suite("prediction")
struct PredictionTests {
    static func telco() throws -> SurveyData {
        try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
    }

    static let drivers = ["Contract", "tenure", "PaymentMethod", "InternetService", "SeniorCitizen", "Partner"]

    static func churnDesign(_ telco: SurveyData) throws -> DriverDesign {
        let configuration = AnalysisConfiguration(outcome: "Churn", drivers: drivers, event: "Yes")
        let selection = try DriverSelection(data: telco, configuration: configuration)
        return try DriverDesign(data: telco, selection: selection, configuration: configuration)
    }

    @Test func aChurnModelWithFactorsPredictsItsTrainingRowsFromTheSurvey() throws {
        let telco = try Self.telco()
        let design = try Self.churnDesign(telco)
        #expect(design.sample.observationCount == telco.rowCount)    // no missing cell in these columns: row i is fitted row i
        let model = try LogisticRegression(design.sample)
        #expect(model.driverNames.contains("Contract[One year]") && model.driverNames.contains("PaymentMethod[Mailed check]"))
        #expect(model.termCoding.factors.map(\.column) == ["Contract", "PaymentMethod", "InternetService"])
        #expect(model.termCoding.factors[0].reference == "Month-to-month")
        // Typed terms: the dummy by column and level is the coefficient named `Contract[One year]`.
        let oneYear = TermCoding.Term(column: "Contract", level: "One year")
        #expect(model.termCoding.terms.contains(oneYear) && oneYear.name == "Contract[One year]")
        #expect(try model.coefficient(for: oneYear) == model.coefficient(named: "Contract[One year]"))
        #expect(throws: ModelError.self) { try model.coefficient(for: .init(column: "Contract", level: "Month-to-month")) }

        let predicted = try model.predict(telco)
        #expect(predicted.count == telco.rowCount)
        let worst = zip(predicted, model.fittedProbabilities).map { abs($0 - $1) }.max() ?? .nan
        #expect(worst <= 1e-10, "largest difference from the fitted probabilities: \(worst)")

        // Row-wise and column-wise numeric input give the same numbers as the survey form.
        let columns = design.sample.drivers
        let rows = (0..<design.sample.observationCount).map { i in columns.map { $0[i] } }
        #expect(try model.predict(rows: rows) == model.predict(columns: columns))
        let byRows = try model.predict(rows: rows)
        #expect(zip(byRows, predicted).allSatisfy { abs($0 - $1) <= 1e-12 })

        // A few customers on their own: one-level text columns are typed differently (a single
        // 'Two year' is categorical with one level, a lone 'Yes' is binary) and still coded right.
        for picked in [[0], [5, 17, 4_000], [7_042]] {
            let subset = try model.predict(telco.rows(picked))
            for (k, i) in picked.enumerated() { expectClose(subset[k], model.fittedProbabilities[i], relative: 1e-10, "row \(i)") }
        }
    }

    @Test func aLinearModelWithFactorsPredictsItsTrainingRows() throws {
        let telco = try Self.telco()
        let configuration = AnalysisConfiguration(outcome: "MonthlyCharges", drivers: ["Contract", "InternetService", "tenure", "PhoneService"])
        let selection = try DriverSelection(data: telco, configuration: configuration)
        let design = try DriverDesign(data: telco, selection: selection, configuration: configuration)
        let model = try LinearRegression(design.sample)
        let predicted = try model.predict(telco)
        let worst = zip(predicted, model.fittedValues).map { abs($0 - $1) }.max() ?? .nan
        #expect(worst <= 1e-10, "largest difference from the fitted values: \(worst)")
    }

    @Test func anUnseenLevelIsRefusedNamingColumnAndLevel() throws {
        let telco = try Self.telco()
        let model = try LogisticRegression(Self.churnDesign(telco).sample)
        let first = try telco.rows([0, 1])
        // The same two customers, one of them on a contract the model never saw.
        var columns = first.columns
        let contract = try #require(columns.firstIndex { $0.name == "Contract" })
        columns[contract] = SurveyColumn(name: "Contract", position: columns[contract].position, kind: .categorical(levels: ["Month-to-month", "Three year"]),
                                         values: [0, 1], missingCount: 0)
        let edited = try SurveyData(columns: columns)
        #expect(throws: ModelError.unseenLevel(column: "Contract", level: "Three year", knownLevels: ["Month-to-month", "One year", "Two year"])) {
            try model.predict(edited)
        }
        // A missing cell is a NaN prediction for its row only.
        columns[contract] = SurveyColumn(name: "Contract", position: columns[contract].position, kind: .categorical(levels: ["One year"]),
                                         values: [.nan, 0], missingCount: 1)
        let gap = try model.predict(SurveyData(columns: columns))
        #expect(gap[0].isNaN && gap[1].isFinite)
        // A column the model needs and the survey lacks is named.
        let noTenure = try SurveyData(columns: first.columns.filter { $0.name != "tenure" })
        #expect(throws: SurveyDataError.unknownColumn(name: "tenure", suggestions: [])) { try model.predict(noTenure) }
    }

    @Test func theCodingTravelsWithTheModelsJSON() throws {
        let telco = try Self.telco()
        let model = try LogisticRegression(Self.churnDesign(telco).sample)
        let data = try JSONEncoder().encode(model)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["design"] != nil)
        let decoded = try JSONDecoder().decode(LogisticRegression.self, from: data)
        #expect(decoded.termCoding == model.termCoding)
        let sample = try telco.rows([3, 9])
        #expect(try decoded.predict(sample) == model.predict(sample))

        // A coding no fit could have built, or one that does not match the terms, does not decode.
        func mutated(_ edit: (inout [String: Any]) -> Void) throws -> Data {
            var copy = object
            var design = try #require(copy["design"] as? [String: Any])
            edit(&design)
            copy["design"] = design
            return try JSONSerialization.data(withJSONObject: copy)
        }
        let bad: [(String, Data)] = [
            ("no factors", try mutated { $0["factors"] = [] }),
            ("no terms", try mutated { $0["terms"] = [] }),
            ("reference not first", try mutated { design in
                var factors = design["factors"] as? [[String: Any]] ?? []
                factors[0]["reference"] = "Two year"
                design["factors"] = factors
            }),
        ]
        for (label, json) in bad {
            #expect(throws: DecodingError.self, "\(label)") { try JSONDecoder().decode(LogisticRegression.self, from: json) }
        }
        // A model written before the coding was kept predicts from numeric columns by name.
        var old = object
        old["design"] = nil
        let plain = try JSONDecoder().decode(LogisticRegression.self, from: JSONSerialization.data(withJSONObject: old))
        #expect(plain.termCoding.factors.isEmpty && plain.termCoding.termNames == model.driverNames)
    }

    @Test func rowWiseInputOfTheWrongShapeIsATypedError() throws {
        let x1: [Double] = (0..<40).map { Double($0 % 7) }, x2: [Double] = (0..<40).map { Double($0 % 5) }
        let y = zip(x1, x2).map { $0 + 0.5 * $1 + Double(Int($0 * 3) % 2) }
        let model = try LinearRegression(outcome: y, drivers: [x1, x2], names: ["a", "b"])
        #expect(try model.predict(rows: [[1, 2], [3, 4]]) == model.predict(columns: [[1, 3], [2, 4]]))
        #expect(try model.predict(rows: []) == [])
        #expect(throws: ModelError.dimensionMismatch("row 2 has 1 values for the model's 2 terms (a, b)")) {
            try model.predict(rows: [[1, 2], [3]])
        }
        #expect(throws: ModelError.dimensionMismatch("column 2 (b) has 1 values, the first has 3")) {
            try model.predict(columns: [[1, 2, 3], [1]])
        }
        #expect(throws: ModelError.dimensionMismatch("3 columns for the model's 2 terms")) {
            try model.predict(columns: [[1], [2], [3]])
        }
    }

    /// New customers built in memory, a text column included: `SurveyColumn.text` types the cells
    /// as the CSV reader does, so the prediction equals the one from the same rows read from the file.
    @Test func newCustomersBuiltInMemoryPredictAsFromTheFile() throws {
        let telco = try Self.telco()
        let configuration = AnalysisConfiguration(outcome: "Churn", drivers: ["Contract", "tenure", "MonthlyCharges"], event: "Yes")
        let design = try DriverDesign(data: telco, selection: DriverSelection(data: telco, configuration: configuration),
                                      configuration: configuration)
        let model = try LogisticRegression(design.sample)
        let rows = [0, 1, 2, 5]
        let fromFile = try model.predict(telco.rows(rows))
        let contract = try telco.column("Contract")
        let levels = try #require(contract.levels)
        let tenure = try telco.numericValues("tenure"), charges = try telco.numericValues("MonthlyCharges")
        let numbers = try SurveyData(columns: ["tenure": rows.map { tenure[$0] }, "MonthlyCharges": rows.map { charges[$0] }])
        let newCustomers = try SurveyData(columns: [SurveyColumn.text("Contract", rows.map { levels[Int(contract.values[$0])] })]
                                          + numbers.columnNames.map { try numbers.column($0) })
        let inMemory = try model.predict(newCustomers)
        for (a, b) in zip(inMemory, fromFile) { #expect(abs(a - b) <= 1e-12) }
        // Two-valued text is binary, as the reader types it: a model's Yes/No driver reads it as 0/1.
        let yesNo = SurveyColumn.text("PaperlessBilling", ["Yes", "no", nil, " "])
        #expect(yesNo.kind == .binary(zero: "no", one: "Yes") && yesNo.missingCount == 2)
        #expect(yesNo.values[0] == 1 && yesNo.values[1] == 0 && yesNo.values[2].isNaN && yesNo.values[3].isNaN)
        // Codes that are not those of the column's levels are refused, naming the row.
        let bad = SurveyColumn(name: "Contract", position: 1, kind: .categorical(levels: ["A", "B", "C"]), values: [0, 7], missingCount: 0)
        #expect(throws: SurveyDataError.self) { try SurveyData(columns: [bad]) }
        let halfCode = SurveyColumn(name: "b", position: 1, kind: .binary(zero: "No", one: "Yes"), values: [0, 0.5], missingCount: 0)
        #expect(throws: SurveyDataError.self) { try SurveyData(columns: [halfCode]) }
        // A confidence level outside (0, 1) is refused by the one-term form.
        #expect(throws: AnalysisError.self) { try model.confidenceInterval(for: "tenure", level: 1.5) }
        #expect(throws: AnalysisError.self) { try model.confidenceInterval(for: "tenure", level: .nan) }
    }
}

