@testable import DriverAnalysis
import Fixtures
import Foundation
import Testing

@Suite("Predictor groups and always-in controls")
struct GroupsAndControlsTests {
    static let yellow = try! SurveyData.load(csv: FixtureData.url("yellow-pages/customerSat.csv").path)
    static let all = (2...10).map { "q\($0)" }

    static func input() throws -> ImportanceInput {
        try ImportanceInput(sample: yellow.sample(outcome: "q1", drivers: all))
    }

    @Test func controlsAreAdjustedForAndGetNoImportance() throws {
        let full = try Self.input()
        let (partial, controlR2) = try full.controlling(for: ["q9", "q10"])
        let shapley = try ShapleyDecomposition(partial)
        #expect(shapley.names == (2...8).map { "q\($0)" })
        // Sums to R²(full) − R²(controls).
        let controlsOnly = try BruteForceImportance.rSquared(full, [7, 8])
        expectClose(controlR2, controlsOnly, relative: 1e-12)
        expectClose(shapley.values.reduce(0, +), try full.rSquaredBySolve() - controlsOnly, relative: 1e-10)
        // Brute force: Shapley over the drivers of v(S) = R²(S ∪ C) − R²(C).
        let p = 7
        var reference = [Double](repeating: 0, count: p)
        func factorial(_ k: Int) -> Double { k <= 1 ? 1 : (2...k).reduce(1.0) { $0 * Double($1) } }
        var table = [Double](repeating: 0, count: 1 << p)
        for mask in 0..<(1 << p) {
            table[mask] = try BruteForceImportance.rSquared(full, (0..<p).filter { mask & (1 << $0) != 0 } + [7, 8]) - controlsOnly
        }
        for j in 0..<p {
            for mask in 0..<(1 << p) where mask & (1 << j) == 0 {
                let k = mask.nonzeroBitCount
                reference[j] += factorial(k) * factorial(p - k - 1) / factorial(p) * (table[mask | (1 << j)] - table[mask])
            }
        }
        for j in 0..<p { expectClose(shapley.values[j], reference[j], relative: 1e-10) }
        #expect(throws: ImportanceError.self) { try full.controlling(for: ["nope"]) }
    }

    @Test func groupsActAsOnePlayer() throws {
        let input = try Self.input()
        let grouped = try GroupImportance(input, groups: [("pricing", ["q2", "q3", "q4"]), ("reach", ["q5", "q6", "q7", "q8"])])
        #expect(grouped.groups.map(\.name) == ["pricing", "reach", "q9", "q10"])
        expectClose(grouped.groups.reduce(0) { $0 + $1.shapley }, grouped.rSquared, relative: 1e-12)
        expectClose(grouped.groups.reduce(0) { $0 + $1.share }, 1, relative: 1e-12)
        // Brute force over the four players.
        let members: [[Int]] = [[0, 1, 2], [3, 4, 5, 6], [7], [8]]
        var fits = [Double](repeating: 0, count: 16)
        for mask in 1..<16 { fits[mask] = try BruteForceImportance.rSquared(input, (0..<4).filter { mask & (1 << $0) != 0 }.flatMap { members[$0] }) }
        let reference = try DominanceAnalysis(names: ["a", "b", "c", "d"], fits: fits)
        for j in 0..<4 { expectClose(grouped.groups[j].shapley, reference.general[j], relative: 1e-10) }
        // One-member groups are the ordinary Shapley values.
        let singletons = try GroupImportance(input, groups: [])
        let shapley = try ShapleyDecomposition(input)
        for j in 0..<9 { expectClose(singletons.groups[j].shapley, shapley.values[j], relative: 1e-10) }
        #expect(throws: ImportanceError.self) { try GroupImportance(input, groups: [("a", ["q2"]), ("b", ["q2"])]) }
        #expect(throws: ImportanceError.self) { try GroupImportance(input, groups: [("a", ["zz"])]) }
    }
}
