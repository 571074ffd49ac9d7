import DriverAnalysis
import LinearAlgebra
import Fixtures
import Foundation
import Testing

/// The library as a Swift user meets it: models that print, encode and answer by name; errors
/// that describe themselves; construction from arrays; the pipeline stages on their own.
@Suite("library API")
struct LibraryAPITests {
    static let yellowDrivers = ["q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10"]

    static func yellowPages() throws -> SurveyData {
        try SurveyData.load(csv: FixtureData.url("yellow-pages/customerSat.csv").path)
    }

    static func telco() throws -> SurveyData {
        try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
    }

    @Test func modelsAnswerByNameAndGiveIntervalsAtAnyLevelMatchedToR() throws {
        let reference = try ReferenceValues("confint_90")
        let ols = try LinearRegression(Self.yellowPages().sample(outcome: "q1", drivers: Self.yellowDrivers))
        let intervals = ols.confidenceIntervals(level: 0.9)
        #expect(ols.termNames == reference.strings("lm_terms"))
        for (k, (term, interval)) in zip(ols.termNames, intervals).enumerated() {
            expectClose(interval.lower, reference.numbers("lm_lower")[k], relative: 1e-10, term)
            expectClose(interval.upper, reference.numbers("lm_upper")[k], relative: 1e-10, term)
            #expect(try ols.confidenceInterval(for: term, level: 0.9) == interval)
            #expect(ols.confidenceIntervalsByTerm(level: 0.9)[term] == interval)
        }
        #expect(throws: ModelError.self) { try ols.confidenceInterval(for: "q44", level: 0.9) }
        // At the fitted level the recomputed intervals are the ones the coefficients carry.
        for (interval, coefficient) in zip(ols.confidenceIntervals(level: 0.95), ols.coefficients) {
            expectClose(interval.lower, coefficient.confidenceInterval.lower, relative: 1e-13)
        }
        let q4 = try ols.coefficient(named: "q4")
        #expect(q4.name == "q4" && q4.estimate == ols.coefficients[3].estimate)
        #expect(ols.standardErrors.count == 10 && ols.termNames.first == "(Intercept)")
        do {
            _ = try ols.coefficient(named: "q44")
            Issue.record("expected an unknown term")
        } catch let error as ModelError {
            #expect(error.localizedDescription.contains("no term 'q44'; the nearest are: q4"))
        }

        let telco = try Self.telco()
        let logit = try LogisticRegression(telco.sample(outcome: "Churn", drivers: ["tenure", "MonthlyCharges", "SeniorCitizen"]),
                                           options: .init(tolerance: 1e-12))
        let wald = logit.confidenceIntervals(level: 0.9)
        #expect(logit.termNames == reference.strings("glm_terms"))
        for (k, (term, interval)) in zip(logit.termNames, wald).enumerated() {
            expectClose(interval.lower, reference.numbers("glm_lower")[k], relative: 1e-7, term)
            expectClose(interval.upper, reference.numbers("glm_upper")[k], relative: 1e-7, term)
        }
        #expect(ols.confidenceIntervals(level: 1.5).allSatisfy { $0.lower.isNaN })
        // Prediction by column name equals prediction by position.
        let byName = try logit.predict(telco)
        let byPosition = try logit.predictProbabilities(["tenure", "MonthlyCharges", "SeniorCitizen"].map { try telco.numericValues($0) })
        #expect(byName == byPosition)
    }

    @Test func modelsPrintACompactSummary() throws {
        let linear = try SyntheticSurvey(respondents: 20_000, touchpoints: 5, seed: 3, outcome: .linear)
        let names = linear.touchpointNames
        let ols = try LinearRegression(linear.generate().sample(outcome: "satisfaction", drivers: names))
        let text = ols.description
        #expect(text.split(separator: "\n").count <= 60)
        #expect(text.count < 3_000)
        #expect(text.contains(names[2]) && text.contains("R² =") && text.contains("(Intercept)") && text.contains("Residual standard error"))
        let survey = try SyntheticSurvey(respondents: 20_000, touchpoints: 5, seed: 3, outcome: .churn).generate()
        let logit = try LogisticRegression(survey.sample(outcome: "churn", drivers: names))
        #expect(logit.description.split(separator: "\n").count <= 60)
        #expect(logit.description.contains("Odds ratios") && logit.description.contains("AUC"))
        let ordinal = try OrdinalRegression(outcome: survey.numericValues(names[0]).map { ($0 / 2).rounded() }, drivers: [try survey.numericValues(names[1])], names: [names[1]])
        #expect(ordinal.description.contains("Cut-points"))
        // A table of many terms stays bounded.
        #expect(CoefficientTable.printedTermLimit == 40)
    }

    @Test func modelsAndReportsRoundTripThroughCodable() throws {
        let data = try Self.yellowPages()
        let sample = try data.sample(outcome: "q1", drivers: Self.yellowDrivers)
        let ols = try LinearRegression(sample)
        // The per-observation arrays are written only on request.
        let withRows = JSONEncoder()
        withRows.userInfo[.modelObservations] = true
        let decoded = try JSONDecoder().decode(LinearRegression.self, from: withRows.encode(ols))
        #expect(decoded.coefficients == ols.coefficients && decoded.rSquared == ols.rSquared && decoded.residuals == ols.residuals)
        let compact = try JSONDecoder().decode(LinearRegression.self, from: JSONEncoder().encode(ols))
        #expect(compact.coefficients == ols.coefficients && compact.residuals.isEmpty && compact.fittedValues.isEmpty)
        let telco = try Self.telco()
        let logit = try LogisticRegression(telco.sample(outcome: "Churn", drivers: ["tenure", "MonthlyCharges"]))
        let small = try JSONEncoder().encode(logit), large = try withRows.encode(logit)
        #expect(small.count < 10_000 && large.count > 100_000, "\(small.count) vs \(large.count) bytes")
        let back = try JSONDecoder().decode(LogisticRegression.self, from: small)
        #expect(back.coefficients == logit.coefficients && back.auc == logit.auc && back.covariance == logit.covariance)
        #expect(back.fittedProbabilities.isEmpty)
        #expect(try JSONDecoder().decode(LogisticRegression.self, from: large).fittedProbabilities == logit.fittedProbabilities)
        // Aliased terms (NaN) encode as null with a default encoder.
        let x = (0..<50).map { Double($0 % 7) }
        let aliased = try LinearRegression(outcome: x.map { $0 * 2 + Double($0.truncatingRemainder(dividingBy: 3)) }, drivers: [x, x.map { 3 * $0 }], names: ["a", "b"])
        let json = String(decoding: try JSONEncoder().encode(aliased), as: UTF8.self)
        #expect(json.contains("\"aliased\":true"))
        #expect(try JSONDecoder().decode(LinearRegression.self, from: Data(json.utf8)).coefficients[2].estimate.isNaN)

        let configuration = AnalysisConfiguration(outcome: "q1", drivers: Self.yellowDrivers, bootstrap: 10, margin: .value(3))
        #expect(try JSONDecoder().decode(AnalysisConfiguration.self, from: JSONEncoder().encode(configuration)) == configuration)

        let report = try KeyDriverAnalysis.analyze(data, AnalysisConfiguration(outcome: "q1", drivers: Self.yellowDrivers))
        let encoded = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        #expect(object["schema"] as? String == "kda.analysis/1")
        let reread = try JSONDecoder().decode(DriverReport.self, from: encoded)
        #expect(reread.drivers == report.drivers && reread.actionOrder == report.actionOrder)
        #expect(reread.model.rSquared == report.model.rSquared && reread.model.intercept?.estimate == report.model.intercept?.estimate)
        #expect(reread.warnings == report.warnings && reread.orderBasis == .priority)
        #expect(reread.json.rendered() == report.json.rendered())
        // A report prints as its terminal table, like a fitted model prints its summary.
        #expect(report.description == report.table() && "\(reread)" == report.table())
        #expect(report.description.contains("Outcome: q1") && report.description.contains("q4"))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DriverReport.self, from: Data("{\"schema\": \"other\"}".utf8)) }
    }

    @Test func errorsDescribeThemselvesWithAStableCode() throws {
        let data = try Self.yellowPages()
        do {
            _ = try data.sample(outcome: "no_such_column", drivers: ["q2"])
            Issue.record("expected an error")
        } catch {
            #expect(error.localizedDescription.contains("'no_such_column'"))
            let typed = try #require(error as? any DriverAnalysisError)
            #expect(typed.code == "survey_data.unknownColumn")
        }
        #expect(ImportanceError.cancelled.code == "importance.cancelled")
        // Acronyms stay whole in the family name (was c_x.empty).
        #expect(CXError.empty("x").code == "cx.empty")
        #expect(EngineError.needsRowKey(dialect: "spark").code == "engine.needsRowKey")
        #expect(AnalysisError.outcomeAmongDrivers(outcome: "q1").code == "analysis.outcomeAmongDrivers")
        // Control characters in a name never reach the terminal raw.
        let hostile = SurveyDataError.unknownColumn(name: "x\u{1B}[2J", suggestions: [])
        #expect(!(hostile.errorDescription ?? "").contains("\u{1B}"))
    }

    @Test func surveysAndSamplesAreBuiltFromArraysAndConcatenated() throws {
        let names = ["wifi", "checkin", "nps"]
        let columns = names.enumerated().map { k, name in (name: name, values: (0..<30).map { Double(($0 * (k + 3)) % 11) }) }
        let survey = try SurveyData(columns: columns)
        #expect(survey.columnNames == names && survey.rowCount == 30)
        let again = try SurveyData(columns: survey.columns)
        let both = try survey.appending(again)
        #expect(both.rowCount == 60 && both.columnNames == names)
        let reordered = try SurveyData(columns: columns.reversed())
        #expect(try survey.appending(reordered).numericValues("wifi") == (try survey.numericValues("wifi")) + (try survey.numericValues("wifi")))
        #expect(throws: SurveyDataError.self) { try survey.appending(SurveyData(columns: Array(columns.prefix(2)))) }
        #expect(throws: SurveyDataError.self) { try SurveyData(columns: [(name: "a", values: [1, 2]), (name: "a", values: [3, 4])]) }

        let sample = try AnalysisSample(outcome: ("nps", try survey.numericValues("nps")),
                                        drivers: [("wifi", try survey.numericValues("wifi")), ("checkin", try survey.numericValues("checkin"))])
        #expect(sample.observationCount == 30 && sample.driverNames == ["wifi", "checkin"])
        let fromSample = try LinearRegression(sample)
        let fromSurvey = try LinearRegression(survey.sample(outcome: "nps", drivers: ["wifi", "checkin"]))
        #expect(fromSample.coefficients == fromSurvey.coefficients)
        #expect(throws: SurveyDataError.self) { try AnalysisSample(outcome: ("y", [1, .nan]), drivers: [("x", [1, 2])]) }
    }

    @Test func theStagesRunOnTheirOwnAndComposeToTheFacade() throws {
        let data = try Self.yellowPages()
        let configuration = AnalysisConfiguration(outcome: "q1", drivers: Self.yellowDrivers)
        let selection = try DriverSelection(data: data, configuration: configuration)
        #expect(selection.modelKind == .linear && selection.drivers == Self.yellowDrivers)
        let fit = try ModelStage(data: data, selection: selection, configuration: configuration)
        let importance = try ImportanceStage(data: data, fit: fit, selection: selection, configuration: configuration)
        let report = try KeyDriverAnalysis.analyze(data, configuration)
        for (stage, facade) in zip(importance.scores, report.drivers.map(\.importance)) {
            for measure in ImportanceMeasure.allCases {
                expectClose(stage[measure] ?? .nan, facade[measure] ?? .nan, relative: 1e-12, measure.rawValue)
            }
        }
        #expect(fit.linear?.rSquared == report.model.rSquared)
        let priority = try PriorityStage(data: data, selection: selection, shares: importance.shares, configuration: configuration)
        let order = ActionOrder(rows: report.drivers, placements: priority.placements, conservative: false)
        #expect(order.order.map { selection.drivers[$0] } == report.actionOrder && order.basis == .priority)
    }

    @Test func impossibleConfigurationsAreRefusedNamingTheOption() throws {
        let data = try Self.yellowPages()
        func refuses(_ configuration: AnalysisConfiguration, _ expected: AnalysisError) {
            #expect(throws: expected) { try KeyDriverAnalysis.analyze(data, configuration) }
        }
        refuses(AnalysisConfiguration(outcome: "q1", drivers: ["q1", "q2"]), .outcomeAmongDrivers(outcome: "q1"))
        refuses(AnalysisConfiguration(outcome: "q1", drivers: ["q2", "q2"]), .duplicateDriver(name: "q2", role: "driver"))
        var control = AnalysisConfiguration(outcome: "q1", drivers: ["q2", "q3"])
        control.controls = ["q1"]
        refuses(control, .conflictingRoles(column: "q1", roles: ["the outcome", "a control"]))
        control.controls = ["q3"]
        refuses(control, .conflictingRoles(column: "q3", roles: ["a driver", "a control"]))
        #expect(throws: AnalysisError.self) { try KeyDriverAnalysis.analyze(data, AnalysisConfiguration(outcome: "q1", discountRate: -0.5)) }
        #expect(throws: AnalysisError.self) { try KeyDriverAnalysis.analyze(data, AnalysisConfiguration(outcome: "q1", scaleMax: 0)) }
        #expect(throws: AnalysisError.self) { try KeyDriverAnalysis.analyze(data, AnalysisConfiguration(outcome: "q1", bootstrap: 1_000_000_000)) }
    }

    @Test func theAsyncAnalysisMatchesAndStopsWhenCancelled() async throws {
        // Other tests' parallel regions change OpenBLAS's process-wide thread count: hold it at one.
        BLASThreads.enterParallelRegion()
        defer { BLASThreads.leaveParallelRegion() }
        let data = try Self.yellowPages()
        let configuration = AnalysisConfiguration(outcome: "q1", drivers: Self.yellowDrivers)
        // The synchronous form compiles here, in an async function, without `await` (it used to bind
        // to the async overload and need a closure around it); the async form has its own name.
        let sync = try KeyDriverAnalysis.analyze(data, configuration)
        let async = try await KeyDriverAnalysis.report(for: data, configuration)
        #expect(async.json.rendered() == sync.json.rendered())
        var slow = configuration
        slow.bootstrap = 100_000
        let task = Task { try await KeyDriverAnalysis.report(for: data, slow) }
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        let started = Date()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(Date().timeIntervalSince(started) < 30)
    }

    /// The synchronous form stops a churn analysis mid-walk with the one documented error,
    /// `ImportanceError.cancelled`, which `catch let e as DriverAnalysisError` catches.
    @Test func synchronousCancellationOfAChurnAnalysisIsTyped() throws {
        let survey = try SyntheticSurvey(respondents: 3_000, touchpoints: 14, seed: 2, outcome: .churn)
        let data = survey.generate()
        var configuration = AnalysisConfiguration(outcome: "churn", drivers: survey.touchpointNames)
        configuration.methods = [.regression, .shapley]
        configuration.logisticWorkBudget = .infinity
        let token = CancellationToken()
        do {
            _ = try KeyDriverAnalysis.analyze(data, configuration, progress: { step, fraction in
                if step.stage == .logisticDominance && fraction > 0.05 { token.cancel() }
            }, cancellation: token)
            Issue.record("the analysis was not cancelled")
        } catch let error as DriverAnalysisError {
            #expect(error.code == "importance.cancelled", "\(error.code)")
        }
    }

    /// Every model answers `warnings` with the report's codes, from its own state — so a decoded
    /// model says the same as the fitted one.
    @Test func everyModelHasTypedWarnings() throws {
        let x = [1.0, 2, 3, 4, 5, 6, 7, 8], z = x.map { 2 * $0 }, y = [1.0, 3, 2, 5, 4, 6, 8, 7]
        let linear = try LinearRegression(outcome: y, drivers: [x, z], names: ["x", "twice_x"])
        #expect(linear.warnings.map(\.code) == [.aliasedDrivers] && linear.warnings[0].message.contains("twice_x"))
        let clean = try LinearRegression(outcome: y, drivers: [x], names: ["x"])
        #expect(clean.warnings.isEmpty)
        let churn = [0.0, 0, 1, 0, 1, 1, 0, 1]
        let stopped = try LogisticRegression(outcome: churn, drivers: [x], names: ["x"], options: .init(maximumIterations: 1))
        #expect(!stopped.converged && stopped.warnings.map(\.code) == [.logisticConvergence])
        let decoded = try JSONDecoder().decode(LogisticRegression.self, from: JSONEncoder().encode(stopped))
        #expect(decoded.warnings == stopped.warnings)
    }
}

