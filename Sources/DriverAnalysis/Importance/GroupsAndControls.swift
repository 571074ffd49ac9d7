import LinearAlgebra

extension ImportanceInput {
    /// The drivers' correlations with the always-in `controls` partialled out: the Schur
    /// complement `R_DD − R_DC R_CC⁻¹ R_CD` and `r_D − R_DC R_CC⁻¹ r_C`, plus `R²(controls)`.
    ///
    /// Every importance method run on the result decomposes `R²(full) − R²(controls)`: the
    /// variance the drivers explain beyond the controls (relaimpo's `always =`; the
    /// `dominanceanalysis` constants).
    ///
    /// - Throws: ``ImportanceError/dimensionMismatch(_:)`` for unknown names or no drivers left.
    public func controlling(for controls: [String]) throws -> (input: ImportanceInput, controlRSquared: Double) {
        guard !controls.isEmpty else { return (self, 0) }
        let c = try controls.map { name -> Int in
            guard let k = names.firstIndex(of: name) else { throw ImportanceError.dimensionMismatch("there is no control '\(name)' among the variables") }
            return k
        }
        let d = names.indices.filter { !c.contains($0) }
        guard !d.isEmpty else { throw ImportanceError.dimensionMismatch("no drivers remain besides the controls") }
        let controlPart = subset(c)
        var rcc = controlPart.driverCorrelation
        // Pseudo-inverse tolerant of collinear controls.
        let eigen = try SymmetricEigen(rcc)
        let largest = eigen.values.last ?? 1
        rcc = try eigen.reconstructed { $0 > 1e-12 * largest ? 1 / $0 : 0 }
        var a = Matrix(rows: d.count, columns: d.count)
        var b = [Double](repeating: 0, count: d.count)
        for (i, di) in d.enumerated() {
            var bi = outcomeCorrelation[di]
            for (k, ck) in c.enumerated() { for (l, cl) in c.enumerated() { bi -= driverCorrelation[di, ck] * rcc[k, l] * outcomeCorrelation[cl] } }
            b[i] = bi
            for (j, dj) in d.enumerated() {
                var value = driverCorrelation[di, dj]
                for (k, ck) in c.enumerated() { for (l, cl) in c.enumerated() { value -= driverCorrelation[di, ck] * rcc[k, l] * driverCorrelation[cl, dj] } }
                a[i, j] = value
            }
        }
        var controlR2 = 0.0
        for k in c.indices { for l in c.indices { controlR2 += outcomeCorrelation[c[k]] * rcc[k, l] * outcomeCorrelation[c[l]] } }
        return (ImportanceInput(names: d.map { names[$0] }, outcomeName: outcomeName, driverCorrelation: a, outcomeCorrelation: b), controlR2)
    }
}

/// Shapley (LMG) importance of predictor groups — several touchpoints treated as one player,
/// e.g. the digital channels — with the members' own Shapley values inside each group
/// (relaimpo's `groups =`).
///
/// Players are the groups plus every ungrouped driver; `R²` of a coalition is the R² of the
/// union of its members, by a Cholesky solve per subset (`2^g` subsets for `g` players), and the
/// group values are the general dominance of ``DominanceAnalysis`` over those fits.
public struct GroupImportance: Sendable {
    /// One player: a named group, or an ungrouped driver as a one-member group.
    public struct Group: Sendable, Equatable {
        /// The group's name (the driver's name for an ungrouped driver).
        public let name: String
        /// The drivers in the group.
        public let members: [String]
        /// Shapley value of the group (R² units) and its share.
        public let shapley: Double
        /// `shapley / R²`; the shares sum to 1.
        public let share: Double
    }
    /// Groups first (in the given order), then the ungrouped drivers as one-member groups.
    public let groups: [Group]
    /// R² of the model with every driver.
    public let rSquared: Double
    /// Dominance over the players (groups then ungrouped drivers): conditional and complete.
    public let dominance: DominanceAnalysis

    /// The largest number of players (groups plus ungrouped drivers).
    public static let playerLimit = 20

    /// Shapley values of the groups and the remaining drivers from the correlations in `input`.
    ///
    /// - Throws: ``ImportanceError/dimensionMismatch(_:)`` for an unknown member, a driver in two
    ///   groups or an empty group; ``ImportanceError/tooManyDriversForExact(count:limit:)`` beyond
    ///   ``playerLimit`` players.
    /// Complexity: `2^g` Cholesky solves of up to p × p, O(2^g·p³) for g players.
    public init(_ input: ImportanceInput, groups: [(name: String, members: [String])]) throws {
        var players: [(name: String, members: [Int])] = []
        var used = Set<Int>()
        for group in groups {
            let members = try group.members.map { name -> Int in
                guard let k = input.names.firstIndex(of: name) else {
                    throw ImportanceError.dimensionMismatch("group '\(group.name)': there is no driver '\(name)'")
                }
                guard !used.contains(k) else { throw ImportanceError.dimensionMismatch("driver '\(name)' is in more than one group") }
                used.insert(k)
                return k
            }
            guard !members.isEmpty else { throw ImportanceError.dimensionMismatch("group '\(group.name)' has no members") }
            players.append((group.name, members))
        }
        for k in input.names.indices where !used.contains(k) { players.append((input.names[k], [k])) }
        guard players.count <= Self.playerLimit else {
            throw ImportanceError.tooManyDriversForExact(count: players.count, limit: Self.playerLimit)
        }
        let g = players.count
        let fits = try (0..<(1 << g)).map { mask -> Double in
            let members = (0..<g).filter { mask & (1 << $0) != 0 }.flatMap { players[$0].members }.sorted()
            return members.isEmpty ? 0 : try input.subset(members).rSquaredBySolve()
        }
        let dominance = try DominanceAnalysis(names: players.map(\.name), fits: fits)
        let total = fits[(1 << g) - 1]
        self.groups = players.enumerated().map { j, player in
            Group(name: player.name, members: player.members.map { input.names[$0] }, shapley: dominance.general[j],
                  share: dominance.general[j] / total)
        }
        rSquared = total
        self.dominance = dominance
    }
}

extension ImportanceInput {
    /// `rᵀR⁻¹r` by Cholesky (pseudo-inverse for collinear drivers).
    func rSquaredBySolve() throws -> Double {
        do {
            let beta = try Cholesky(driverCorrelation).solve(outcomeCorrelation)
            return zip(beta, outcomeCorrelation).reduce(0) { $0 + $1.0 * $1.1 }
        } catch {
            return rSquared()
        }
    }
}
