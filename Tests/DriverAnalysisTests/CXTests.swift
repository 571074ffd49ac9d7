import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// The CX value layer against independent computations (statsmodels / pandas / pingouin,
/// `Tests/Fixtures/Scripts/cx.py`, fixtures `cx_*.json`).
@Suite("CX value layer")
struct CXTests {
    @Test func telcoWhatIfMatchesStatsmodels() throws {
        let ref = try ReferenceValues("cx_telco")
        let data = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
        let sample = try data.sample(outcome: "Churn", drivers: ref.strings("drivers"))
        let model = try LogisticRegression(sample)
        let margins = sample.drivers[1]                       // MonthlyCharges as monthly margin
        let (results, value) = try WhatIf.churn(model: model, drivers: sample.drivers, scenario: .raise(by: 6), scale: 0...72,
                                                margin: .perCustomer(margins), lifetime: LifetimeValue(discountRate: 0.01))
        // 1e-8: two logistic fits (ours and statsmodels') agree to ~1e-10; CLV sums amplify a little.
        expectClose(value.baselineChurn, ref.number("baseline_churn"), relative: 1e-9)
        expectClose(value.totalCLV, ref.number("total_clv"), relative: 1e-8)
        for (k, r) in results.enumerated() {
            expectClose(r.churnChange!, ref.numbers("churn_change")[k], relative: 1e-8, r.driver)
            expectClose(r.clvAtStake!, ref.numbers("clv_at_stake")[k], relative: 1e-8, r.driver)
            expectClose(r.customersRetained!, -ref.numbers("churn_change")[k] * 7043, relative: 1e-8)
        }
    }

    @Test func syntheticChurnSurveyMatchesStatsmodelsAndTheTruthRanksFirst() throws {
        let ref = try ReferenceValues("cx_synthetic")
        let survey = try SyntheticSurvey(respondents: 3_000, touchpoints: 5, seed: 77, outcome: .churn)
        let sample = try survey.generate().sample(outcome: "churn", drivers: survey.touchpointNames)
        let (results, value) = try WhatIf.churnWithIntervals(sample: sample, scenario: .raise(by: 1), scale: 0...10,
                                                             margin: .constant(30), lifetime: LifetimeValue(discountRate: 0.1),
                                                             replicates: 60, seed: 3)
        expectClose(value.baselineChurn, ref.number("baseline_churn"), relative: 1e-9)
        for (k, r) in results.enumerated() {
            expectClose(r.churnChange!, ref.numbers("churn_change")[k], relative: 1e-8, r.driver)
            expectClose(r.clvAtStake!, ref.numbers("clv_at_stake")[k], relative: 1e-8, r.driver)
            let interval = try #require(r.interval)
            #expect(interval.lower <= r.clvAtStake! && r.clvAtStake! <= interval.upper)
        }
        // The driver with the largest true weight is worth the most.
        let strongest = survey.trueWeights.indices.max { survey.trueWeights[$0] < survey.trueWeights[$1] }!
        #expect(results.indices.max { results[$0].clvAtStake! < results[$1].clvAtStake! } == strongest)
    }

    @Test func linearWhatIfIsExact() throws {
        let survey = try SyntheticSurvey(respondents: 2_000, touchpoints: 3, seed: 5)
        let sample = try survey.generate().sample(outcome: "satisfaction", drivers: survey.touchpointNames)
        let model = try LinearRegression(sample)
        let results = try WhatIf.linear(model: model, drivers: sample.drivers, scenario: .raiseTo(target: 8), scale: 0...10)
        for (j, r) in results.enumerated() {
            let shifted = sample.drivers[j].map { max($0, 8) }
            let predicted = try model.predict(columns: sample.drivers.enumerated().map { $0.offset == j ? shifted : $0.element })
            let expected = (predicted.reduce(0, +) - model.fittedValues.reduce(0, +)) / Double(sample.observationCount)
            expectClose(r.outcomeChange, expected, relative: 1e-10)
        }
    }

    @Test func lifetimeValueConventions() throws {
        let ltv = try LifetimeValue(discountRate: 0.1)
        expectClose(try ltv.value(margin: 100, retention: 0.8), 100 * 0.8 / 0.3, relative: 1e-15)
        let finite = try LifetimeValue(discountRate: 0.1, horizon: 3)
        let q = 0.8 / 1.1
        expectClose(try finite.value(margin: 100, retention: 0.8), 100 * (q + q * q + q * q * q), relative: 1e-14)
        #expect(throws: CXError.invalidDiscountRate(-1)) { try LifetimeValue(discountRate: -1) }
        #expect(throws: CXError.invalidDiscountRate(.infinity)) { try LifetimeValue(discountRate: .infinity) }
        #expect(throws: CXError.invalidMargin(value: -5, observation: 0)) { try ltv.value(margin: -5, retention: 0.5) }
        #expect {
            try ltv.values(churnProbabilities: [0.1, 0.2], margins: .perCustomer([3, .nan]))
        } throws: { error in
            guard case let .invalidMargin(value, observation) = error as? CXError else { return false }
            return value.isNaN && observation == 2
        }
        #expect(throws: CXError.invalidRetention(1.5)) { try ltv.value(margin: 1, retention: 1.5) }
    }

    @Test func netPromoterScoreMatchesPandas() throws {
        let ref = try ReferenceValues("cx_nps_mobi")
        let data = try SurveyData.load(csv: FixtureData.url("ecsi-mobi/mobi.csv").path)
        let nps = try NetPromoterScore(answers: data.numericValues("CUSL3"), rows: data.rowNumbers)
        expectClose(nps.score, ref.number("score"), relative: 1e-13)
        expectClose(nps.promoters, ref.number("promoters"), relative: 1e-13)
        expectClose(nps.detractors, ref.number("detractors"), relative: 1e-13)
        expectClose(nps.standardError, ref.number("std_error"), relative: 1e-12)
        expectClose(nps.confidenceInterval.upper - nps.score, 1.959963984540054 * nps.standardError, relative: 1e-12)
        let weighted = try NetPromoterScore(answers: [10, 9, 7, 3], weights: [2, 1, 1, 0])
        expectClose(weighted.score, 75, relative: 1e-15)
        expectClose(weighted.effectiveSampleSize, 16.0 / 6.0, relative: 1e-15)
        let other = try NetPromoterScore(answers: [10, 0, 0, 5, 8])
        let difference = weighted.difference(from: other)
        expectClose(difference.points, 75 - (-40), relative: 1e-14)
        #expect(throws: CXError.invalidRecommendation(value: 11, row: 4)) { try NetPromoterScore(answers: [1, 2, 11]) }
        #expect(throws: CXError.invalidRecommendation(value: 7.5, row: 2)) { try NetPromoterScore(answers: [7.5]) }
        #expect(throws: CXError.empty("no likelihood-to-recommend answers")) { try NetPromoterScore(answers: [.nan]) }
    }

    @Test func priorityMatrixMatchesAnIndependentComputation() throws {
        let ref = try ReferenceValues("cx_priority_yellow_pages")
        let data = try SurveyData.load(csv: FixtureData.url("yellow-pages/customerSat.csv").path)
        let drivers = ref.strings("drivers")
        let shapley = try ShapleyDecomposition(ImportanceInput(sample: data.sample(outcome: "q1", drivers: drivers)))
        let matrix = try PriorityMatrix(names: drivers, importance: shapley.shares, ratings: drivers.map { try data.numericValues($0) }, scale: 1...10)
        for (k, d) in matrix.drivers.enumerated() {
            expectClose(d.importance, ref.numbers("importance")[k], relative: 1e-10)
            expectClose(d.performance, ref.numbers("performance")[k], relative: 1e-14)
            #expect(d.quadrant.rawValue == ref.strings("quadrant")[k], "\(d.name)")
            expectClose(d.priority, ref.numbers("priority")[k], relative: 1e-10)
            #expect(Double(d.rank) == ref.numbers("rank")[k])
        }
        #expect(matrix.ranked.first!.rank == 1)
        let boxes = try PriorityMatrix(names: ["a", "b"], importance: [0.7, 0.3], ratings: [[10, 9, 3, .nan], [1, 2, 10, 10]],
                                       scale: 1...10, measure: .topTwoBox, split: .median)
        expectClose(boxes.drivers[0].performance, 2.0 / 3.0, relative: 1e-15)
        #expect(boxes.drivers[0].quadrant == .keepUp && boxes.drivers[1].quadrant == .niceToHave)
        #expect(throws: CXError.self) { try PriorityMatrix(names: ["a"], importance: [1, 2], ratings: [[1]], scale: 0...10) }
    }

    @Test func whatIfRejectsANonFiniteDelta() throws {
        let survey = try SyntheticSurvey(respondents: 500, touchpoints: 2, seed: 5)
        let sample = try survey.generate().sample(outcome: "satisfaction", drivers: survey.touchpointNames)
        #expect {
            try WhatIf.linear(model: LinearRegression(sample), drivers: sample.drivers, scenario: .raise(by: .nan), scale: 0...10)
        } throws: { error in
            guard case let .invalidDelta(delta) = error as? CXError else { return false }
            return delta.isNaN
        }
    }

    @Test func segmentsAreComparedAndSmallOnesWarned() throws {
        let survey = try SyntheticSurvey(respondents: 2_400, touchpoints: 3, seed: 19)
        let full = survey.generate()
        // Keep only 5 rows of one region so it is too small for 4 parameters.
        let region = try full.column("region").values
        var keep: [Int] = [], seen = 0
        for i in 0..<full.rowCount {
            if region[i] == 0 { if seen < 4 { keep.append(i) }; seen += 1 } else { keep.append(i) }
        }
        let data = try full.rows(keep)
        let comparison = try SegmentComparison(data: data, segment: "region", outcome: "satisfaction", drivers: survey.touchpointNames, model: .linear)
        #expect(comparison.segments.count == 3)
        #expect(comparison.warnings.contains { $0.code == .smallSegment && $0.message.contains("east") && $0.message.contains("skipped") })
        for h in comparison.heterogeneity { #expect(h.degreesOfFreedom == 2 && h.pValue >= 0 && h.pValue <= 1) }
        // Same generating model in every region: no driver should look heterogeneous at 0.1 %.
        #expect(comparison.heterogeneity.allSatisfy { $0.pValue > 0.001 })
        for s in comparison.segments { expectClose(s.importance.reduce(0, +), s.fit, relative: 1e-10) }
    }
}
