@testable import DriverAnalysis
import Fixtures
import Foundation
import LinearAlgebra
import Testing

/// The block subset walk behind exact group Shapley values: against an independent Cholesky solve
/// of every coalition (with aliased columns dropped by a pseudo-inverse), against the one-column
/// walk when every player is one column, and beyond the 20 players whose table it keeps.
@Suite("Group subset walk")
struct GroupSubsetWalkTests {
    /// Correlations of `k` random columns on `n` rows; `aliased` makes column 1 = column 0 + column 2
    /// exactly (a factor dummy that is the sum of two others' shape).
    static func input(columns k: Int, rows n: Int = 400, seed: UInt64, aliased: Bool = false) throws -> ImportanceInput {
        var generator = SplitMix(seed: seed)
        var columns = (0..<k).map { _ in (0..<n).map { _ in generator.normal() } }
        for j in 1..<k { for i in 0..<n { columns[j][i] += 0.5 * columns[j - 1][i] } }   // correlated
        if aliased { for i in 0..<n { columns[1][i] = columns[0][i] + columns[2][i] } }
        let y = (0..<n).map { i in columns.indices.reduce(generator.normal()) { $0 + Double($1 % 3) * 0.3 * columns[$1][i] } }
        let names = (0..<k).map { "x\($0)" }
        let moments = try Moments(names: names + ["y"], columns: columns + [y])
        return try ImportanceInput(moments: moments, outcome: "y")
    }

    /// R² of a coalition by an eigen pseudo-inverse (aliased columns add nothing), as R's `lm` drops them.
    static func rSquared(_ input: ImportanceInput, _ members: [Int]) throws -> Double {
        guard !members.isEmpty else { return 0 }
        return input.subset(members.sorted()).rSquared()
    }

    /// Players of mixed widths, one of them holding an exact alias: every Shapley value,
    /// conditional value and complete-dominance entry equals the brute force over all coalitions.
    @Test(arguments: [false, true])
    func matchesBruteForceOverCoalitions(aliased: Bool) throws {
        let input = try Self.input(columns: 12, seed: aliased ? 3 : 2, aliased: aliased)
        let groups: [(name: String, members: [String])] = [("a", ["x0", "x1", "x2"]), ("b", ["x5", "x3"]), ("c", ["x7", "x8", "x9", "x10"])]
        let grouped = try GroupImportance(input, groups: groups)
        let players: [[Int]] = [[0, 1, 2], [5, 3], [7, 8, 9, 10], [4], [6], [11]]
        #expect(grouped.groups.map(\.name) == ["a", "b", "c", "x4", "x6", "x11"])
        var fits = [Double](repeating: 0, count: 1 << players.count)
        for mask in 1..<fits.count {
            fits[mask] = try Self.rSquared(input, players.indices.filter { mask & (1 << $0) != 0 }.flatMap { players[$0] })
        }
        let reference = try DominanceAnalysis(names: grouped.groups.map(\.name), fits: fits)
        let dominance = try #require(grouped.dominance)
        for j in players.indices {
            expectClose(grouped.groups[j].shapley, reference.general[j], relative: 0, absolute: 1e-12, "player \(j)")
            for k in players.indices {
                expectClose(grouped.conditional[j][k], reference.conditional[j][k], relative: 0, absolute: 1e-12)
                #expect(dominance.complete[j][k] == reference.complete[j][k])
            }
        }
        expectClose(grouped.groups.reduce(0) { $0 + $1.shapley }, fits[fits.count - 1], relative: 0, absolute: 1e-12)
        #expect(grouped.collinearTerms.isEmpty == !aliased)
    }

    /// Beyond the dominance table (24 players): with one column each, the block walk gives the
    /// one-column walk's values; with pairs, the values add up to the full R².
    @Test func beyondTwentyPlayersMatchesTheOneColumnWalk() throws {
        let input = try Self.input(columns: 24, rows: 300, seed: 5)
        let grouped = try GroupImportance(input, groups: [])
        let reference = try ShapleyDecomposition(input)
        #expect(grouped.dominance == nil)
        for j in 0..<24 {
            expectClose(grouped.groups[j].shapley, reference.values[j], relative: 0, absolute: 1e-12, "x\(j)")
            for k in 0..<24 { expectClose(grouped.conditional[j][k], reference.conditional[j][k], relative: 0, absolute: 1e-12) }
        }
        let wide = try Self.input(columns: 44, rows: 300, seed: 6)
        let pairs = (0..<22).map { (name: "g\($0)", members: ["x\(2 * $0)", "x\(2 * $0 + 1)"]) }
        let paired = try GroupImportance(wide, groups: pairs)
        expectClose(paired.groups.reduce(0) { $0 + $1.shapley }, paired.rSquared, relative: 0, absolute: 1e-12)
        expectClose(paired.rSquared, try wide.rSquaredBySolve(), relative: 0, absolute: 1e-12)
    }

    /// The work estimate counts columns and favours wide players first; the walk reports progress
    /// and stops when asked to.
    @Test func workProgressAndCancellation() throws {
        #expect(GroupImportance.work(columnsPerPlayer: Array(repeating: 19, count: 20)) > 1e10)
        #expect(GroupImportance.work(columnsPerPlayer: Array(repeating: 4, count: 20)) < 1e9)
        let input = try Self.input(columns: 14, rows: 200, seed: 7)
        let seen = Counter()
        _ = try GroupImportance(input, groups: [("g", ["x0", "x1"])]) { fraction in seen.add(fraction); return true }
        #expect(seen.count > 0)
        #expect(throws: ImportanceError.cancelled) {
            try GroupImportance(input, groups: [("g", ["x0", "x1"])]) { _ in false }
        }
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func add(_ value: Double) { lock.withLock { values.append(value) } }
    var count: Int { lock.withLock { values.count } }
}
