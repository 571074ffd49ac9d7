@testable import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// Correlations against R 4.2.2 `cor.test(x, y, method = m, exact = FALSE)`.
@Suite("Correlations against R cor.test")
struct CorrelationTests {
    static func check(_ x: [Double], _ y: [Double], _ name: String) throws {
        let ref = try ReferenceValues(name)
        for method in CorrelationMethod.allCases {
            let test = try Correlation.test(x, y, method: method)
            let key = method.rawValue
            expectClose(test.estimate, ref.number("\(key)_estimate"), relative: 1e-12, "\(name) \(key) estimate")
            if method == .spearman {
                // R reports S = (n³ − n)(1 − ρ)/6; we report the t of the same approximation.
                let n = Double(x.count)
                expectClose((n * n * n - n) * (1 - test.estimate) / 6, ref.number("spearman_statistic"), relative: 1e-10, "\(name) S")
            } else {
                expectClose(test.statistic, ref.number("\(key)_statistic"), relative: 1e-10, "\(name) \(key) statistic")
            }
            expectClose(test.pValue, ref.number("\(key)_p_value"), relative: 1e-9, absolute: 1e-300, "\(name) \(key) p")
            if method == .pearson {
                expectClose(test.confidenceInterval!.lower, ref.number("pearson_ci_lower"), relative: 1e-12)
                expectClose(test.confidenceInterval!.upper, ref.number("pearson_ci_upper"), relative: 1e-12)
            }
        }
    }

    @Test func yellowPagesDriversVersusOverallSatisfaction() throws {
        let data = try SurveyData.load(csv: FixtureData.url("yellow-pages/customerSat.csv").path)
        let q1 = try data.numericValues("q1")
        for k in 2...10 { try Self.check(try data.numericValues("q\(k)"), q1, "cor_yellow_pages_q\(k)") }
    }

    @Test func mobiAndTelcoPointBiserial() throws {
        let mobi = try SurveyData.load(csv: FixtureData.url("ecsi-mobi/mobi.csv").path)
        try Self.check(try mobi.numericValues("PERQ1"), try mobi.numericValues("CUSL3"), "cor_mobi_cusl3_perq1")
        let telco = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
        let sample = try telco.sample(outcome: "Churn", drivers: ["tenure"], minimumRows: 3)   // drops the 11 blank TotalCharges? no: only tenure
        _ = sample
        let complete = try telco.sample(outcome: "Churn", drivers: ["tenure", "TotalCharges"])
        try Self.check(complete.drivers[0], complete.outcome, "cor_telco_churn_tenure")
    }

    @Test func kendallMatchesTheQuadraticDefinition() throws {
        var generator = SystemRandomNumberGenerator()
        let x = (0..<300).map { _ in Double(Int.random(in: 0...6, using: &generator)) }
        let y = (0..<300).map { _ in Double(Int.random(in: 0...4, using: &generator)) }
        var concordant = 0.0, discordant = 0.0, tiesX = 0.0, tiesY = 0.0
        for i in 0..<300 {
            for j in (i + 1)..<300 {
                let a = (x[i] - x[j]).sign == .minus ? -1.0 : (x[i] == x[j] ? 0 : 1)
                let b = (y[i] - y[j]).sign == .minus ? -1.0 : (y[i] == y[j] ? 0 : 1)
                if a == 0 { tiesX += 1 }
                if b == 0 { tiesY += 1 }
                if a * b > 0 { concordant += 1 } else if a * b < 0 { discordant += 1 }
            }
        }
        let n0 = 300.0 * 299 / 2
        let expected = (concordant - discordant) / ((n0 - tiesX) * (n0 - tiesY)).squareRoot()
        expectClose(Correlation.kendall(x, y).tau, expected, relative: 1e-13)
    }

    @Test func matricesListwiseAndPairwise() throws {
        let data = try SurveyData.load(csv: FixtureData.url("yellow-pages/customerSat.csv").path)
        let columns = try (1...4).map { try data.numericValues("q\($0)") }
        let pearson = try Correlation.matrix(columns)
        expectClose(pearson[0, 3], try Correlation.test(columns[3], columns[0]).estimate, relative: 1e-12)
        let spearman = try Correlation.matrix(columns, method: .spearman)
        expectClose(spearman[1, 2], try Correlation.test(columns[1], columns[2], method: .spearman).estimate, relative: 1e-12)
        let kendall = try Correlation.matrix(columns, method: .kendall)
        expectClose(kendall[0, 1], try Correlation.test(columns[0], columns[1], method: .kendall).estimate, relative: 1e-12)
        var holey = columns
        holey[0][0] = .nan
        holey[1][5] = .nan
        let listwise = try Correlation.matrix(holey, missing: .listwise)
        let pairwise = try Correlation.matrix(holey, missing: .pairwise)
        let keep = (0..<columns[0].count).filter { $0 != 0 && $0 != 5 }
        expectClose(listwise[2, 3], try Correlation.test(keep.map { columns[2][$0] }, keep.map { columns[3][$0] }).estimate, relative: 1e-12)
        expectClose(pairwise[2, 3], try Correlation.test(columns[2], columns[3]).estimate, relative: 1e-11)
        #expect(throws: ModelError.self) { try Correlation.test([1, 2], [2, 1]) }
        #expect(throws: ModelError.self) { try Correlation.test([1, 2, .nan], [2, 1, 3]) }
    }

    @Test func midRanksLikeR() {
        #expect(Ranks.midRanks([10, 20, 20, 5]) == [2, 3.5, 3.5, 1])
        let many = (0..<3000).map { Double($0 % 1500) + 0.5 }      // > 1,024 distinct: sorting path
        let ranks = Ranks.midRanks(many)
        #expect(ranks[0] == 1.5 && ranks[1499] == 2999.5)
    }
}
