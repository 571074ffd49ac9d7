import DriverAnalysis
import Fixtures
import Foundation
import Testing

@Suite("Moments: one pass, mergeable, weighted, pairwise")
struct MomentsTests {
    static let survey = try! SyntheticSurvey(respondents: 70_001, touchpoints: 6, seed: 11).generate()
    static var names: [String] { try! SyntheticSurvey(respondents: 1, touchpoints: 6).touchpointNames + ["satisfaction"] }

    static func columns() throws -> [[Double]] { try names.map { try survey.numericValues($0) } }

    /// Two-pass reference in 80-bit arithmetic where available.
    static func reference(_ columns: [[Double]], weights: [Double]? = nil) -> (means: [Double], cross: [[Double]]) {
        let n = columns[0].count, d = columns.count
        let w = weights ?? [Double](repeating: 1, count: n)
        let total = w.reduce(0, +)
        let means = columns.map { c in zip(c, w).reduce(0.0) { $0 + $1.0 * $1.1 } / total }
        var cross = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for a in 0..<d {
            for b in 0..<d {
                var s = 0.0, comp = 0.0
                for i in 0..<n {   // Kahan-compensated
                    let term = w[i] * (columns[a][i] - means[a]) * (columns[b][i] - means[b]) - comp
                    let t = s + term
                    comp = (t - s) - term
                    s = t
                }
                cross[a][b] = s
            }
        }
        return (means, cross)
    }

    @Test func matchesATwoPassReference() throws {
        let columns = try Self.columns()
        let moments = try Moments(names: Self.names, columns: columns)
        let ref = Self.reference(columns)
        #expect(moments.count == 70_001 && moments.weightSum == 70_001)
        for a in 0..<columns.count {
            expectClose(moments.means[a], ref.means[a], relative: 1e-14)
            for b in 0..<columns.count { expectClose(moments.crossProducts[a, b], ref.cross[a][b], relative: 1e-12, absolute: 1e-9) }
        }
        let r = moments.correlation()
        expectClose(r[0, 0], 1, relative: 0)
        #expect(abs(r[0, 1]) < 1 && r[0, 1] == r[1, 0])
        let cov = moments.covariance()
        expectClose(cov[2, 2], ref.cross[2][2] / 70_000, relative: 1e-12)
    }

    @Test func mergeIsAssociativeAndCommutative() throws {
        let columns = try Self.columns()
        func part(_ range: Range<Int>) throws -> Moments {
            try Moments(names: Self.names, columns: columns.map { Array($0[range]) })
        }
        let a = try part(0..<10_000), b = try part(10_000..<45_123), c = try part(45_123..<70_001)
        let left = try a.merged(with: b).merged(with: c), right = try a.merged(with: b.merged(with: c))
        let swapped = try c.merged(with: a).merged(with: b)
        let whole = try Moments(names: Self.names, columns: columns)
        for m in [left, right, swapped] {
            #expect(m.count == whole.count)
            for k in 0..<whole.means.count { expectClose(m.means[k], whole.means[k], relative: 1e-13) }
            for k in 0..<whole.crossProducts.elements.count {
                expectClose(m.crossProducts.elements[k], whole.crossProducts.elements[k], relative: 1e-12, absolute: 1e-8)
            }
        }
        let empty = Moments(names: Self.names)
        #expect(try empty.merged(with: a).means == a.means)
        #expect(try a.merged(with: empty).crossProducts == a.crossProducts)
    }

    @Test func mergeAlignsVariablesByNameAndRefusesDifferentSets() throws {
        let columns = try Self.columns()
        let first = try Moments(names: Self.names, columns: columns.map { Array($0[0..<5_000]) })
        let reversedNames = Array(Self.names.reversed())
        let second = try Moments(names: reversedNames, columns: columns.reversed().map { Array($0[5_000..<12_000]) })
        let whole = try Moments(names: Self.names, columns: columns.map { Array($0[0..<12_000]) })
        let merged = try first.merged(with: second)
        #expect(merged.names == Self.names)
        for k in 0..<whole.means.count { expectClose(merged.means[k], whole.means[k], relative: 1e-13) }
        for k in 0..<whole.crossProducts.elements.count {
            expectClose(merged.crossProducts.elements[k], whole.crossProducts.elements[k], relative: 1e-12, absolute: 1e-8)
        }
        let fewer = try Moments(names: Array(Self.names.dropLast()), columns: columns.dropLast().map { Array($0[0..<100]) })
        #expect(throws: SurveyDataError.columnSetMismatch(missing: [], extra: [Self.names.last!])) { try fewer.merged(with: first) }
        let renamed = try Moments(names: Self.names.dropLast() + ["other"], columns: columns.map { Array($0[0..<100]) })
        #expect(throws: SurveyDataError.self) { try first.merged(with: renamed) }
    }

    @Test func weightsActAsFrequencies() throws {
        // Integer weights equal duplicated rows.
        let x = [1.0, 2, 4, 7], y = [2.0, 1, 5, 3], w = [1.0, 3, 2, 1]
        let weighted = try Moments(names: ["x", "y"], columns: [x, y], weights: w)
        var xs: [Double] = [], ys: [Double] = []
        for i in 0..<4 { for _ in 0..<Int(w[i]) { xs.append(x[i]); ys.append(y[i]) } }
        let duplicated = try Moments(names: ["x", "y"], columns: [xs, ys])
        for k in 0..<4 { expectClose(weighted.crossProducts.elements[k], duplicated.crossProducts.elements[k], relative: 1e-14) }
        expectClose(weighted.covariance(weights: .frequency)[0, 1], duplicated.covariance()[0, 1], relative: 1e-14)
        expectClose(weighted.effectiveSampleSize, 49.0 / 15.0, relative: 1e-15)
        // Sampling weights: denominator Σw − Σw²/Σw.
        expectClose(weighted.covariance(weights: .sampling)[0, 0], weighted.crossProducts[0, 0] / (7 - 15.0 / 7), relative: 1e-15)
    }

    @Test func independentOfThreadCountAndBlocking() throws {
        // Blocks are fixed-size and merged in order; only BLAS threading could differ.
        let columns = try Self.columns()
        let once = try Moments(names: Self.names, columns: columns)
        let again = try Moments(names: Self.names, columns: columns)
        #expect(once.crossProducts == again.crossProducts && once.means == again.means)
    }

    @Test func pairwiseEqualsListwiseOnCompleteData() throws {
        let columns = try Self.columns()
        let listwise = try Moments(names: Self.names, columns: columns)
        let pairwise = try PairwiseMoments(names: Self.names, columns: columns)
        let r1 = listwise.correlation(), r2 = pairwise.correlation()
        for k in 0..<r1.elements.count { expectClose(r2.elements[k], r1.elements[k], relative: 1e-11, absolute: 1e-13) }
    }

    @Test func pairwiseUsesEveryPairOfPresentValues() throws {
        let x: [Double] = [1, 2, .nan, 4, 5, 6], y: [Double] = [2, .nan, 3, 5, 4, 7], z: [Double] = [1, 1, 2, 2, .nan, 3]
        let p = try PairwiseMoments(names: ["x", "y", "z"], columns: [x, y, z])
        // x–y over rows 0, 3, 4, 5 only.
        let xs = [1.0, 4, 5, 6], ys = [2.0, 5, 4, 7]
        let direct = try Moments(names: ["x", "y"], columns: [xs, ys]).correlation()[0, 1]
        expectClose(p.correlation()[0, 1], direct, relative: 1e-14)
        #expect(p.weightSums[0, 1] == 4 && p.weightSums[0, 2] == 4 && p.weightSums[1, 2] == 4)
        let xz = try Moments(names: ["x", "z"], columns: [[1, 2, 4, 6], [1, 1, 2, 3]])
        expectClose(p.covariance()[0, 2], xz.covariance()[0, 1], relative: 1e-14)
    }

    @Test func sampleDropsIncompleteRowsListwise() throws {
        let data = try SurveyData(columns: ["y": [1, 2, 3, .nan, 5, 6], "a": [1, .nan, 2, 3, 1, 2], "b": [0, 1, 1, 0, 1, 0], "w": [1, 1, 2, 1, 0.5, 1]])
        let sample = try data.sample(outcome: "y", drivers: ["a", "b"], weight: "w", minimumRows: 3)
        #expect(sample.observationCount == 4 && sample.droppedRows == 2)
        #expect(sample.rowNumbers == [2, 4, 6, 7])
        #expect(sample.missingByColumn == ["y": 1, "a": 1, "b": 0, "w": 0])
        expectClose(sample.effectiveSampleSize, 4.5 * 4.5 / 6.25, relative: 1e-15)
        #expect(try sample.designMatrix().columns == 3)
    }

    @Test func sampleRejectsBadInput() throws {
        let data = try SurveyData(columns: ["y": [1, 2, 3, 4], "c": [2, 2, 2, 2], "m": [.nan, .nan, .nan, .nan],
                                           "w": [1, -1, 1, 1], "z": [0, 0, 0, 0], "x": [1, 3, 2, 5]])
        #expect(throws: SurveyDataError.constantColumn(column: "c", value: 2)) { try data.sample(outcome: "y", drivers: ["c"]) }
        #expect(throws: SurveyDataError.allMissing(column: "m")) { try data.sample(outcome: "y", drivers: ["m"]) }
        #expect(throws: SurveyDataError.invalidWeight(path: "<memory>", row: 3, column: "w", value: -1, reason: "weights must not be negative")) {
            try data.sample(outcome: "y", drivers: ["x"], weight: "w")
        }
        #expect(throws: SurveyDataError.allWeightsZero(column: "z")) { try data.sample(outcome: "y", drivers: ["x"], weight: "z") }
        #expect(throws: SurveyDataError.tooFewCompleteRows(needed: 5, available: 4, reason: "1 drivers with an intercept")) {
            try data.sample(outcome: "y", drivers: ["x"], minimumRows: 5)
        }
        #expect(throws: AnalysisError.duplicateDriver(name: "x", role: "driver")) { try data.sample(outcome: "y", drivers: ["x", "x", "x"]) }
        #expect {
            try data.sample(outcome: "outcome", drivers: ["x"])
        } throws: { error in
            guard case let .unknownColumn(name, _) = error as? SurveyDataError else { return false }
            return name == "outcome"
        }
        #expect(throws: SurveyDataError.columnLengthMismatch(column: "b", expected: 2, found: 1)) {
            try SurveyData(columns: ["a": [1, 2], "b": [1]])
        }
    }

    @Test func splitBySegment() throws {
        let data = try SyntheticSurvey(respondents: 400, touchpoints: 3, seed: 3).generate()
        let parts = try data.split(by: "region")
        #expect(parts.map(\.level) == ["east", "north", "south", "west"])
        #expect(parts.reduce(0) { $0 + $1.data.rowCount } == 400)
        #expect(parts.allSatisfy { $0.data.rowCount > 50 })
    }
}

@Suite("Moments streamed from CSV")
struct MomentsStreamingTests {
    @Test func streamingEqualsLoadingThenComputing() throws {
        let survey = try SyntheticSurvey(respondents: 30_000, touchpoints: 5, seed: 21, missingRate: 0.02)
        let file = try TemporaryFile(contents: "")
        try survey.writeCSV(to: file.path)
        let variables = survey.touchpointNames + ["satisfaction"]
        let streamed = try Moments(csv: file.path, variables: variables, options: CSVOptions(chunkSize: 1 << 16))
        let sample = try SurveyData.load(csv: file.path).sample(outcome: "satisfaction", drivers: survey.touchpointNames)
        let loaded = try sample.moments()
        #expect(streamed.count == sample.observationCount && streamed.skippedRows == sample.droppedRows)
        for k in 0..<loaded.crossProducts.elements.count {
            expectClose(streamed.crossProducts.elements[k], loaded.crossProducts.elements[k], relative: 1e-12, absolute: 1e-8)
        }
        #expect(throws: SurveyDataError.self) { try Moments(csv: file.path, variables: ["region"]) }
        #expect(throws: SurveyDataError.self) { try Moments(csv: file.path, variables: ["wfi"]) }
    }

    /// Beyond the exact limit the summary path samples Shapley values as the row-level path does,
    /// and now says so in the same fields: each value's standard error and the estimate's method.
    @Test func sampledShapleyFromMomentsCarriesItsStandardErrors() throws {
        let survey = try SyntheticSurvey(respondents: 2_000, touchpoints: 32, seed: 21).generate()
        let drivers = try SyntheticSurvey(respondents: 1, touchpoints: 32).touchpointNames
        let moments = try Moments(names: drivers + ["satisfaction"], columns: try (drivers + ["satisfaction"]).map { try survey.numericValues($0) })
        let configuration = AnalysisConfiguration(outcome: "satisfaction", drivers: drivers, methods: [.shapley])
        let summary = try KeyDriverAnalysis.analyze(moments: moments, configuration)
        let rows = try KeyDriverAnalysis.analyze(survey, configuration)
        #expect(summary.shapleyEstimation?.method == .sampled)
        #expect(summary.shapleyEstimation?.permutations == rows.shapleyEstimation?.permutations)
        for (a, b) in zip(summary.drivers, rows.drivers) {
            let error = try #require(a.importance.shapleyStandardError)
            #expect(error > 0 && error < abs(a.importance.shapley ?? 0))
            // Same seed, same orderings: the two paths agree up to the moments' rounding.
            expectClose(a.importance.shapley ?? .nan, b.importance.shapley ?? .nan, relative: 1e-9)
            expectClose(error, b.importance.shapleyStandardError ?? .nan, relative: 1e-6)
        }
        #expect(summary.json.rendered().contains("\"shapley_std_error\""))
    }
}
