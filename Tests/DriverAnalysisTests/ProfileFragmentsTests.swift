import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// Issue #30 item 5: the strategy for customers missing from some sources, chosen from the
/// coverage (``FragmentChoice``), and per-source models (``CustomerProfile/analyzePerSource(_:)``),
/// on the Telco split and on small profiles built in memory.
@Suite("Customer profile: fragmented answers")
struct ProfileFragmentsTests {
    static let allFour = ["Contract", "tenure", "TechSupport", "InternetService", "StreamingTV"]   // crm, calls, web, app

    /// Base customers absent from none of `sources` in the split.
    static func inAll(_ split: TelcoSplit, _ sources: [String]) -> Int {
        let absent = sources.reduce(into: Set<String>()) { $0.formUnion(split.missing[$1] ?? []) }
        return split.rows.count - absent.count
    }

    @Test func defaultRuleFollowsTheCoverageOfTheAnalysedSources() throws {
        let split = try TelcoSplit()
        let (profile, _) = try ProfileTelcoValidationTests.profile(split)
        // Drivers from all four sources: 5,404 of 7,043 (76.7 %) answered all → per-source.
        let four = try profile.fragmentChoice(for: AnalysisConfiguration(outcome: "Churn", drivers: Self.allFour))
        #expect(four.sources == ["crm", "calls", "web", "app"])
        #expect(four.customersInAll == split.inAll.count)
        #expect(four.share < FragmentChoice.listwiseThreshold)
        #expect(four.strategy == .perSource && four.byDefault)
        // Drivers from crm, calls and web only: the app export does not count → listwise (85.7 %).
        let three = try profile.fragmentChoice(for: AnalysisConfiguration(outcome: "Churn", drivers: ["Contract", "tenure", "TechSupport", "InternetService"]))
        #expect(three.sources == ["crm", "calls", "web"])
        #expect(three.customersInAll == Self.inAll(split, ["calls", "web"]))
        #expect(three.strategy == .listwise && three.share >= 0.8)
        #expect(three.note.code.rawValue == "fragments" && three.note.message.contains("chosen by default because at least 80 %"))
        // Asked for: kept, and said so.
        let asked = try profile.fragmentChoice(for: AnalysisConfiguration(outcome: "Churn", drivers: Self.allFour), requested: .impute)
        #expect(asked.strategy == .impute && !asked.byDefault && asked.note.message.contains("asked for"))
        #expect(FragmentChoice.defaultStrategy(share: 0.8) == .listwise && FragmentChoice.defaultStrategy(share: 0.7999) == .perSource)
    }

    /// One model per touchpoint source on the customers who answered it; each equals the plain
    /// analysis of those customers with the base's drivers and the source's.
    @Test func perSourceModelsRestOnEachSourcesRespondents() throws {
        let split = try TelcoSplit()
        let (profile, _) = try ProfileTelcoValidationTests.profile(split)
        let configuration = AnalysisConfiguration(outcome: "Churn", drivers: Self.allFour, methods: [.regression, .shapley])
        let analyses = try profile.analyzePerSource(configuration)
        #expect(analyses.map(\.source) == ["calls", "web", "app"])
        let n = split.rows.count
        for analysis in analyses {
            #expect(analysis.customers == n - (split.missing[analysis.source]?.count ?? 0), "\(analysis.source)")
            #expect(analysis.report.model.observationCount <= analysis.customers)
            #expect(analysis.report.warnings.contains { $0.code.rawValue == "per_source_model" && $0.message.contains("\(analysis.customers) of \(n)") })
        }
        #expect(analyses[0].drivers == ["Contract", "tenure", "TechSupport"])
        #expect(analyses[2].drivers == ["Contract", "tenure", "StreamingTV"])
        // The web model is the analysis of the web respondents with crm's and web's drivers.
        let webRows = profile.data.columns.first { $0.name == "InternetService" }.map { c in c.values.indices.filter { !c.values[$0].isNaN } } ?? []
        var plain = try profile.prepared(configuration)
        plain.drivers = ["Contract", "tenure", "InternetService"]
        let direct = try KeyDriverAnalysis.analyze(profile.data.rows(webRows), plain)
        #expect(analyses[1].report.model.observationCount == direct.model.observationCount)
        for (a, b) in zip(analyses[1].report.drivers, direct.drivers) {
            #expect(a.importance.shapley == b.importance.shapley, "\(a.name)")
            #expect(a.coefficient?.estimate == b.coefficient?.estimate, "\(a.name)")
        }
        // Drivers of the base only: one model, the base's, on every customer.
        let baseOnly = try profile.analyzePerSource(AnalysisConfiguration(outcome: "Churn", drivers: ["Contract", "tenure"], methods: [.regression]))
        #expect(baseOnly.map(\.source) == ["crm"] && baseOnly[0].customers == n)
    }

    /// A source whose respondents cannot carry a model is named in the error.
    @Test func aFailingSourceModelNamesTheSource() throws {
        let ids = (0..<40).map(Double.init)
        let crm = try SurveyData(columns: ["id": ids, "y": ids.map { ($0 * 7).truncatingRemainder(dividingBy: 5) }, "a": ids.map { $0.truncatingRemainder(dividingBy: 3) }])
        let tiny = try SurveyData(columns: ["cid": [0, 1], "b": [1, 2]])
        let profile = try SurveyData.joined([ProfileSource(name: "crm", data: crm, key: "id"), ProfileSource(name: "tiny", data: tiny, key: "cid")])
        let choice = try profile.fragmentChoice(for: AnalysisConfiguration(outcome: "y", drivers: ["a", "b"]))
        #expect(choice.strategy == .perSource && choice.customersInAll == 2)
        do {
            _ = try profile.analyzePerSource(AnalysisConfiguration(outcome: "y", drivers: ["a", "b"], methods: [.regression]))
            Issue.record("a model on 2 customers was fitted")
        } catch let error as ProfileError {
            #expect(error.description.contains("source 'tiny'") && error.description.contains("2 customers"), "\(error)")
        }
    }

    /// A column that cannot be imputed is named with its source.
    @Test func anImputationFailureNamesTheSource() throws {
        let ids = (0..<40).map(Double.init)
        let crm = try SurveyData(columns: ["id": ids, "y": ids.map { ($0 * 7).truncatingRemainder(dividingBy: 5) }, "a": ids.map { $0.truncatingRemainder(dividingBy: 3) }])
        let elsewhere = try SurveyData(columns: ["cid": [100, 101, 102], "b": [1, 2, 3]])   // no customer of the base
        let profile = try SurveyData.joined([ProfileSource(name: "crm", data: crm, key: "id"), ProfileSource(name: "survey", data: elsewhere, key: "cid")])
        do {
            _ = try profile.analyzeImputed(AnalysisConfiguration(outcome: "y", drivers: ["a", "b"], methods: [.regression]), options: .init(imputations: 2))
            Issue.record("a column without an observed value was imputed")
        } catch let error as ProfileError {
            #expect(error == .imputation(source: "survey", error: .nothingObserved(column: "b")), "\(error)")
            #expect(error.description.hasPrefix("source 'survey': column 'b' has no observed value"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// The split drops customers from each tool at random (MCAR), so the original table is the
    /// truth multiple imputation should recover. Each imputation's estimate is a draw from the
    /// distribution of the full-table estimate given the observed answers, whose variance B
    /// estimates; the mean of M draws differs from the full-table estimate with variance
    /// B + B/M, so the bound is 4 √((1 + 1/M) B) (a 4σ band).
    /// Listwise deletion on the same data has standard errors about √(7043/5404) ≈ 1.14 times the
    /// full table's; the imputed analysis uses every customer and its SE must be below listwise's.
    @Test func imputationRecoversTheFullTableUnderMCAR() throws {
        let split = try TelcoSplit()
        let (profile, _) = try ProfileTelcoValidationTests.profile(split)
        let drivers = ["Contract", "tenure", "TechSupport", "InternetService", "StreamingTV", "PaperlessBilling", "MonthlyCharges"]
        let configuration = AnalysisConfiguration(outcome: "Churn", drivers: drivers, methods: [.regression])
        let original = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
        let full = try KeyDriverAnalysis.analyze(original, configuration)
        var listwise = try profile.prepared(configuration)
        listwise.missing = .listwise
        let complete = try KeyDriverAnalysis.analyze(profile.data, listwise)
        let m = 10
        let imputed = try profile.analyzeImputed(configuration, options: ImputationOptions(imputations: m, seed: 3))
        #expect(imputed.rows == split.rows.count && complete.model.observationCount == split.inAll.count)
        func coefficients(_ report: DriverReport) -> [String: Coefficient] {
            var out: [String: Coefficient] = [:]
            for row in report.drivers {
                if let c = row.coefficient { out[c.name] = c }
                for level in row.levels { if let c = level.coefficient, !c.isAliased { out[c.name] = c } }
            }
            return out
        }
        let truth = coefficients(full), listwiseFit = coefficients(complete)
        var checked = 0
        for (name, reference) in truth {
            guard let pooled = imputed.coefficient(named: name)?.pooled, let lw = listwiseFit[name] else { continue }
            let bound = 4 * ((1 + 1 / Double(m)) * pooled.betweenVariance).squareRoot()
            #expect(abs(pooled.estimate - reference.estimate) <= bound, "\(name): imputed \(pooled.estimate) vs full \(reference.estimate), bound \(bound)")
            #expect(pooled.standardError < lw.standardError, "\(name): imputed SE \(pooled.standardError) vs listwise \(lw.standardError)")
            checked += 1
            print("mcar \(name): imputed \(pooled.estimate) (SE \(pooled.standardError)) full \(reference.estimate) (SE \(reference.standardError)) listwise SE \(lw.standardError) |Δ|/bound \(abs(pooled.estimate - reference.estimate) / bound) B \(pooled.betweenVariance)")
        }
        #expect(checked >= 9)
    }
}
