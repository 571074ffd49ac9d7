import DriverAnalysis
import Foundation

// Every ```swift block of README.md, Docs/*.md and the DocC catalog stands here verbatim,
// inside a function that sets up the names it uses, so the compiler checks it on every test
// build. `DocSnippetTests` fails when a block in the docs no longer appears here.

enum DocSnippets {
    // README.md — "A first program"
    static func readmeFirstProgram() throws {
        let survey = try SurveyData.load(csv: "survey.csv")   // satisfaction and five ratings
        let drivers = ["wifi", "check_in", "billing", "support", "app"]
        let ols = try LinearRegression(survey.sample(outcome: "satisfaction", drivers: drivers))
        print(ols)                                   // a summary like R's summary(lm)
        let wifi = try ols.coefficient(named: "wifi")
        print(wifi.estimate, wifi.standardError, wifi.pValue)
        print(try ols.confidenceInterval(for: "wifi", level: 0.9))   // any level, by term
        let churners = try SurveyData.load(csv: "churn.csv")  // the same ratings and a 0/1 churn
        let logit = try LogisticRegression(churners.sample(outcome: "churn", drivers: drivers))
        print(logit)                                 // coefficients, odds ratios, AUC
        let report = try KeyDriverAnalysis.analyze(survey, AnalysisConfiguration(outcome: "satisfaction", drivers: drivers))
        print(report.table())
        let json = try JSONEncoder().encode(report)  // the kda.analysis/1 document
        print(json.count)
    }

    // README.md — errors
    static func readmeErrors(survey: SurveyData, drivers: [String]) {
        do {
            _ = try survey.sample(outcome: "no_such_column", drivers: drivers)
        } catch let error as DriverAnalysisError {
            print(error.code)                  // survey_data.unknownColumn
            print(error.localizedDescription)  // There is no column 'no_such_column' (with the nearest names, when any are close)
        } catch {
            print(error)
        }
    }

    // Docs/cx-walkthrough.md
    static func walkthrough() throws {
        let survey = try SurveyData.load(csv: "Telco-Customer-Churn.csv")      // Yes/No columns become 0/1
        let drivers = ["tenure", "MonthlyCharges", "SeniorCitizen", "Partner", "Dependents", "PaperlessBilling", "PhoneService"]
        let sample = try survey.sample(outcome: "Churn", drivers: drivers)
        let model = try LogisticRegression(sample)                                   // churn model
        let importance = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: drivers)
        let (actions, value) = try WhatIf.churn(model: model, drivers: sample.drivers, scenario: .raise(by: 6), scale: 0...72,
                                                margin: .perCustomer(sample.drivers[1]),
                                                lifetime: LifetimeValue(discountRate: 0.01),
                                                tops: [72, 120, 1, 1, 1, 1, 1])
        _ = (importance, actions, value)
    }

    // Docs/profile.md — in Swift
    static func profileFromExports() throws {
        let crm = try ProfileSource.load(csv: "crm.csv", key: "customerID")
        let calls = try ProfileSource.load(csv: "calls.csv", key: "CustID", repeated: .latest(dateColumn: "answered_at"),
                                           scales: [.init(column: "sat", lower: 1, upper: 5)])
        let web = try ProfileSource.load(csv: "web.csv", key: "client")
        let app = try ProfileSource.load(csv: "app.csv", key: "Customer Ref")
        let profile = try SurveyData.joined([crm, calls, web, app], options: ProfileOptions(keyCase: .insensitive))
        print(profile.coverage.lines.joined(separator: "\n"))   // customers per source, matches, repeats
        // The declared scales (sat on 1…5) and the coverage notes come along:
        let configuration = try profile.prepared(AnalysisConfiguration(outcome: "Churn", drivers: ["Contract", "tenure", "sat"]))
        let report = try KeyDriverAnalysis.analyze(profile.data, configuration)
        let complete = try profile.inAllSources()                // customers present in every export
        print(report.table(), complete.rowCount)

        // Customers missing from some exports: the default strategy, per-source models, or imputation.
        let choice = try profile.fragmentChoice(for: configuration)        // FragmentChoice: .listwise at ≥ 80 %, else .perSource
        for source in try profile.analyzePerSource(configuration) {        // [SourceAnalysis]
            print(source.source, source.customers, source.report.model.observationCount, source.drivers)
        }
        let imputed = try profile.analyzeImputed(configuration, options: ImputationOptions(imputations: 20, seed: 1))
        print(imputed.report.table(), imputed.coefficient(named: "tenure")?.pooled.fractionMissingInformation ?? .nan)
        _ = choice
    }

    // Docs/data.md — loading
    static func dataLoading() throws {
        let survey = try SurveyData.load(csv: "survey.csv",
                                         options: CSVOptions(missingCodes: ["-99"],
                                                             columnMissingCodes: ["Inflight wifi service": ["0"]]))
        print(survey.missingCounts)             // ["Inflight wifi service": 3916, …]
        print(try survey.column("Churn").kind)  // binary (No = 0, Yes = 1)
    }

    // Docs/data.md — the analysis sample
    static func dataSample(survey: SurveyData) throws {
        let sample = try survey.sample(outcome: "satisfaction", drivers: ["wifi", "billing"], weight: "w")
        print(sample.observationCount, sample.droppedRows, sample.missingByColumn, sample.effectiveSampleSize)
    }

    // Docs/data.md — data already in memory
    static func dataInMemory(wifi: [Double], billing: [Double], satisfaction: [Double], wave2: SurveyData) throws {
        var columns: [(name: String, values: [Double])] = []
        columns.append((name: "wifi", values: wifi))
        columns.append((name: "billing", values: billing))
        columns.append((name: "satisfaction", values: satisfaction))
        let survey = try SurveyData(columns: columns)
        let both = try survey.appending(wave2)        // columns matched by name
        let a = try Moments(names: ["wifi", "satisfaction"], columns: [wifi, satisfaction])
        let b = try Moments(names: ["satisfaction", "wifi"], columns: [satisfaction, wifi])
        let merged = try a.merged(with: b)            // aligned by name; different variables throw
        print(both.rowCount, merged.count)
    }

    // Docs/data.md — warehouse SQL
    static func dataWarehouse(resultText: String) throws {
        let sql = MomentsSQL.query(table: "cx.survey_2026", variables: ["wifi", "billing", "nps"],
                                   weight: "w", dialect: .spark)
        // run it in the engine, save the one-row result as CSV, then:
        let moments = try MomentsSQL.moments(fromCSV: resultText)
        _ = (sql, moments)
    }

    // Docs/models.md — linear
    static func modelsLinear(survey: SurveyData) throws {
        let sample = try survey.sample(outcome: "satisfaction", drivers: ["wifi", "check_in", "billing"])
        let ols = try LinearRegression(sample, options: .init(covariance: .hc3))
        print(ols)                                            // summary table, R², F, AIC/BIC
        for c in ols.coefficients { print(c.name, c.estimate, c.standardError, c.pValue, c.confidenceInterval) }
        print(try ols.coefficient(named: "wifi").pValue, try ols.confidenceInterval(for: "wifi", level: 0.9))
        print(ols.rSquared, ols.adjustedRSquared, ols.fStatistic, ols.fPValue, ols.aic, ols.bic)
        print(ols.standardizedCoefficients, ols.varianceInflationFactors, ols.conditionNumber)
    }

    // Docs/models.md — logistic
    static func modelsLogistic(survey: SurveyData) throws {
        let churn = try LogisticRegression(survey.sample(outcome: "Churn", drivers: ["tenure", "MonthlyCharges"]))
        print(churn.oddsRatios, churn.mcFaddenRSquared, churn.nagelkerkeRSquared, churn.auc)
        let probabilities = try churn.predict(survey)         // by column name
        print(probabilities.count)
    }

    // Docs/models.md — categorical drivers
    // Docs/models.md — new customers built in memory
    static func modelsNewCustomers(churnModel: LogisticRegression) throws {
        let numbers = try SurveyData(columns: ["tenure": [1, 30]])
        let newCustomers = try SurveyData(columns: [SurveyColumn.text("Contract", ["Month-to-month", "Two year"]),
                                                    try numbers.column("tenure")])
        print(try churnModel.predict(newCustomers))                // one churn probability per customer
    }

    static func modelsFactors(survey: SurveyData, newCustomers: SurveyData) throws {
        let configuration = AnalysisConfiguration(outcome: "Churn", drivers: ["Contract", "tenure"], event: "Yes")
        let selection = try DriverSelection(data: survey, configuration: configuration)
        let design = try DriverDesign(data: survey, selection: selection, configuration: configuration)
        let churnModel = try LogisticRegression(design.sample)     // terms: Contract[One year], Contract[Two year], tenure
        print(try churnModel.coefficient(named: "Contract[One year]"), design.levels[0].map(\.level))
        let risk = try churnModel.predict(newCustomers)           // text columns coded like the fit's rows
        try modelsNewCustomers(churnModel: churnModel)
        print(risk.count)
    }

    // Docs/models.md — variance inflation
    static func modelsVarianceInflation(survey: SurveyData) throws {
        let vifConfiguration = AnalysisConfiguration(outcome: "Churn", drivers: ["tenure", "MonthlyCharges", "Contract"], event: "Yes")
        let vifSelection = try DriverSelection(data: survey, configuration: vifConfiguration)
        let vifDesign = try DriverDesign(data: survey, selection: vifSelection, configuration: vifConfiguration)
        let vifModel = try LogisticRegression(vifDesign.sample)
        let inflation = try vifModel.varianceInflation(terms: vifDesign.termRanges.map { Array($0) })   // Contract: one term, 2 columns
        for (name, v) in zip(vifSelection.drivers, inflation) { print(name, v.value, v.degreesOfFreedom, v.adjusted, v.isAliased) }
    }

    // Docs/tutorial.md
    static func tutorial() throws {
        // 1. Load and type the export (Yes/No columns become 0/1; "NA", "" and -99 are missing).
        let survey = try SurveyData.load(csv: "survey.csv", options: CSVOptions(missingCodes: ["-99"]))
        let touchpoints = ["wifi", "check_in", "billing", "support", "app"]

        // 2. The churn model with inference.
        let sample = try survey.sample(outcome: "churn", drivers: touchpoints)
        let model = try LogisticRegression(sample)
        print(model)

        // 3. Relative importance on McFadden R² (all 2^5 submodels) or, for a linear outcome,
        //    exact Shapley values from the correlation matrix.
        let importance = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: touchpoints)

        // 4. Priority matrix and the value of a one-point lift per touchpoint.
        let matrix = try PriorityMatrix(names: touchpoints, importance: importance.shares,
                                        ratings: touchpoints.map { try survey.numericValues($0) }, scale: 0...10)
        let (actions, base) = try WhatIf.churnWithIntervals(
            sample: sample, scenario: .raise(by: 1), scale: 0...10,
            margin: .constant(40), lifetime: LifetimeValue(discountRate: 0.01), replicates: 200)

        // Or all of it at once, as kda does:
        let report = try KeyDriverAnalysis.analyze(survey, AnalysisConfiguration(outcome: "churn", drivers: touchpoints,
                                                                                   margin: .value(40), discountRate: 0.01))
        print(report.table())
        let json = report.json.rendered()       // the kda.analysis/1 contract
        _ = (matrix, actions, base, json)
    }

    // Docs/tutorial.md — the pipeline stage by stage
    static func tutorialStages(survey: SurveyData) throws {
        let configuration = AnalysisConfiguration(outcome: "satisfaction", drivers: ["wifi", "check_in", "billing"])
        let selection = try DriverSelection(data: survey, configuration: configuration)
        let fit = try ModelStage(data: survey, selection: selection, configuration: configuration)
        let importance = try ImportanceStage(data: survey, fit: fit, selection: selection, configuration: configuration)
        let priority = try PriorityStage(data: survey, selection: selection, shares: importance.shares,
                                         configuration: configuration)
        print(fit.model?.description ?? "", importance.scores.map(\.shapleyShare), priority.matrix?.ranked.map(\.name) ?? [])
    }

    // Docs/tutorial.md — async, cancellable
    static func tutorialAsync(survey: SurveyData) async throws {
        let configuration = AnalysisConfiguration(outcome: "churn", bootstrap: 1_000)
        let task = Task { try await KeyDriverAnalysis.report(for: survey, configuration) }
        // … later, if the user navigates away:
        task.cancel()                            // the analysis stops with CancellationError
    }

    // DriverAnalysis.docc/DriverAnalysis.md
    static func doccLanding() throws {
        let survey = try SurveyData.load(csv: "survey.csv")
        let report = try KeyDriverAnalysis.analyze(survey, AnalysisConfiguration(outcome: "churn", margin: .value(40)))
        print(report.table())
    }

    // DriverAnalysis.docc/GettingStarted.md — every stage by hand
    static func gettingStartedAllStages(survey: SurveyData) throws {
        let configuration = AnalysisConfiguration(outcome: "churn", drivers: ["wifi", "check_in", "billing"],
                                                  segment: "region", bootstrap: 200, margin: .value(40))
        let selection = try DriverSelection(data: survey, configuration: configuration)
        let fit = try ModelStage(data: survey, selection: selection, configuration: configuration)
        let correlations = try CorrelationStage(fit)
        let importance = try ImportanceStage(data: survey, fit: fit, selection: selection, configuration: configuration)
        var rows = importance.annotating(correlations.annotating(fit.rows))
        let diagnostics = DriverDiagnostics(rows: rows, fit: fit, configuration: configuration)
        let priority = try PriorityStage(data: survey, selection: selection, shares: importance.shares,
                                         configuration: configuration)
        rows = priority.annotating(rows)
        let confidence = try ConfidenceStage(fit: fit, rows: rows, ranks: importance.ranks, matrix: priority.matrix,
                                             selection: selection, configuration: configuration)
        rows = confidence.annotating(rows)
        print(confidence.rankProbabilities)
        let value = try ValueStage(data: survey, fit: fit, selection: selection, margin: .value(40),
                                   configuration: configuration)
        rows = value.annotating(rows)
        let order = ActionOrder(rows: rows, placements: priority.placements, conservative: false)
        let segments = try SegmentStage(data: survey, selection: selection, configuration: configuration)
        print(correlations.pearson.count, diagnostics.suppressor, order.basis, segments.segments.count)
    }

    // DriverAnalysis.docc/ChoosingAnImportanceMeasure.md
    static func choosingAnImportanceMeasure(survey: SurveyData) throws {
        let sample = try survey.sample(outcome: "satisfaction", drivers: ["wifi", "check_in", "billing", "support"])
        let input = try ImportanceInput(sample: sample)
        let shapley = try ShapleyDecomposition(input)      // exact LMG: values sum to R²
        let weights = try RelativeWeights(input)           // Johnson's ε, also summing to R²
        let dominance = try DominanceAnalysis(input)       // conditional, general, complete
        let classic = try ClassicImportance(input)         // first, last, β², Pratt
        print(shapley.shares, weights.shares, dominance.complete, classic.pratt)
        let estimate = try ShapleyEstimate(input, allowSampling: true, seed: 7)
        print(estimate.values, estimate.standardErrors ?? [])
        let churn = try survey.sample(outcome: "churn", drivers: ["wifi", "check_in", "billing"])
        let logistic = try LogisticDominance(outcome: churn.outcome, drivers: churn.drivers, names: churn.driverNames)
        let logisticWeights = try RelativeWeights(logisticOutcome: churn.outcome, drivers: churn.drivers, names: churn.driverNames)
        print(logistic.shares, logistic.dominance.complete, logisticWeights.shares)
        let sampled = try SampledLogisticShapley(outcome: churn.outcome, drivers: churn.drivers, names: churn.driverNames, pairs: 200, seed: 7)
        print(sampled.values, sampled.standardErrors, sampled.permutations)
    }

    // DriverAnalysis.docc/CustomerValueGuide.md
    static func customerValue(survey: SurveyData, sample: AnalysisSample, answers: [Double], weights: [Double]?,
                              otherAnswers: [Double]) throws {
        let ols = try LinearRegression(sample)
        let lifts = try WhatIf.linear(model: ols, drivers: sample.drivers, scenario: .raiseTo(target: 8), scale: 0...10)
        for lift in lifts { print(lift.driver, lift.outcomeChange) }
        let lifetime = try LifetimeValue(discountRate: 0.10)
        let clv = try lifetime.value(margin: 40, retention: 0.9)        // 40·0.9/(1.1 − 0.9) = 180
        let threeYears = try LifetimeValue(discountRate: 0.10, horizon: 3)
        print(clv, try threeYears.value(margin: 40, retention: 0.9))
        let configuration = AnalysisConfiguration(outcome: "churn", bootstrap: 200, margin: .column("monthly_margin"),
                                                  discountRate: 0.008, conservative: true)
        let report = try KeyDriverAnalysis.analyze(survey, configuration)
        print(report.actionOrder, report.orderBasis)
        let nps = try NetPromoterScore(answers: answers, weights: weights)
        let other = try NetPromoterScore(answers: otherAnswers)
        print(nps.score, nps.confidenceInterval, nps.difference(from: other).pValue)
    }

    // DriverAnalysis.docc/ScaleOut.md — streaming a file
    static func scaleOutStreaming() throws {
        let moments = try Moments(csv: "survey.csv", variables: ["wifi", "billing", "nps"], weight: "w")
        let report = try KeyDriverAnalysis.analyze(moments: moments, AnalysisConfiguration(outcome: "nps"))
        print(report.table())
    }

    // DriverAnalysis.docc/ConcurrencyAndServices.md — the service loop's report (the job type
    // and the loop stand below, at file scope, as the article declares them)
    static func serviceAnswers(_ jobs: [AnalysisJob]) async {
        for (job, result) in zip(jobs, await analyzeAll(jobs, width: 2)) {
            switch result {
            case .success(let report):
                print(job.id, report.actionOrder.prefix(3), report.warnings.map(\.code))
            case .failure(let error as DriverAnalysisError):
                print(job.id, "refused:", error.code, error.localizedDescription)   // the client's input
            case .failure(is CancellationError):
                print(job.id, "cancelled")
            case .failure(let error):
                print(job.id, "failed:", error)
            }
        }
    }
}

// DriverAnalysis.docc/ConcurrencyAndServices.md — a service loop (run by ServiceExampleTests)

/// One analysis request of a service.
struct AnalysisJob: Sendable {
    let id: String
    let survey: SurveyData
    let configuration: AnalysisConfiguration
}

/// Analyses `jobs` concurrently, at most `width` at a time; the results in job order.
func analyzeAll(_ jobs: [AnalysisJob], width: Int) async -> [Result<DriverReport, any Error>] {
    await withTaskGroup(of: (Int, Result<DriverReport, any Error>).self) { group in
        var results = [Result<DriverReport, any Error>?](repeating: nil, count: jobs.count)
        var next = 0
        func startNext() {
            guard next < jobs.count else { return }
            let (index, job) = (next, jobs[next])
            next += 1
            group.addTask {
                do {
                    return (index, .success(try await KeyDriverAnalysis.report(for: job.survey, job.configuration)))
                } catch {
                    return (index, .failure(error))
                }
            }
        }
        for _ in 0..<max(1, width) { startNext() }
        for await (index, result) in group {
            results[index] = result
            startNext()
        }
        return results.map { $0 ?? .failure(CancellationError()) }
    }
}
