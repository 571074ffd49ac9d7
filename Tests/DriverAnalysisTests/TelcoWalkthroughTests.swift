import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// The Telco action list of `Docs/cx-walkthrough.md`, recomputed (and printed) on every run.
@Suite("Telco walk-through")
struct TelcoWalkthroughTests {
    @Test func actionList() throws {
        let data = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
        let drivers = ["tenure", "MonthlyCharges", "SeniorCitizen", "Partner", "Dependents", "PaperlessBilling", "PhoneService"]
        let sample = try data.sample(outcome: "Churn", drivers: drivers)
        let model = try LogisticRegression(sample)
        let dominance = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: drivers)
        // Lifts: tenure +6 months (cap 72); 0/1 drivers switched on for everyone (cap 1); charges +6 (cap 120).
        let tops: [Double] = [72, 120, 1, 1, 1, 1, 1]
        let (results, value) = try WhatIf.churn(model: model, drivers: sample.drivers, scenario: .raise(by: 6), scale: 0...72,
                                                margin: .perCustomer(sample.drivers[1]), lifetime: LifetimeValue(discountRate: 0.01),
                                                tops: tops)
        let order = results.indices.sorted { results[$0].clvAtStake! > results[$1].clvAtStake! }
        print(String(format: "customers %.0f, baseline churn %.4f, CLV per customer %.2f, total CLV %.0f",
                     value.customers, value.baselineChurn, value.clvPerCustomer, value.totalCLV))
        print("| rank | driver | McFadden share | odds ratio | churn change (pts) | customers retained | CLV at stake |")
        for (rank, j) in order.enumerated() {
            let r = results[j]
            print(String(format: "| %d | %@ | %.1f %% | %.3f | %+.2f | %+.0f | %+.0f |", rank + 1, drivers[j],
                         100 * dominance.shares[j], model.oddsRatios[j + 1], 100 * r.churnChange!, r.customersRetained!, r.clvAtStake!))
        }
        #expect(value.customers == 7043)
        expectClose(dominance.values.reduce(0, +), model.mcFaddenRSquared, relative: 1e-8)
        // Longer tenure retains customers; more expensive plans lose them.
        #expect(results[0].clvAtStake! > 0 && results[1].churnChange! > 0)
    }
}
