import LinearAlgebra

extension ImportanceInput {
    /// The drivers' correlations with the always-in `controls` partialled out: the Schur
    /// complement `R_DD − R_DC R_CC⁻¹ R_CD` and `r_D − R_DC R_CC⁻¹ r_C`, plus `R²(controls)`.
    ///
    /// Every importance method run on the result decomposes `R²(full) − R²(controls)`: the
    /// variance the drivers explain beyond the controls (relaimpo's `always =`; the
    /// `dominanceanalysis` constants).
    ///
    /// - Parameter controls: the controls' names, among the input's drivers; the result's drivers are the
    ///   others.
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
        var a = Matrix(uncheckedRows: d.count, columns: d.count)
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
/// e.g. the digital channels, or a factor's dummies — (relaimpo's `groups =`).
///
/// Players are the groups plus every ungrouped driver; `R²` of a coalition is the R² of the
/// union of its members. All `2^g` coalitions are walked depth first, each from its parent by
/// eliminating the new player's columns from the parent's Schur complement
/// (`GroupSubsetRSquaredWalk`, on all cores), and the group values are the general dominance
/// (Shapley values) over those fits. Up to ``dominanceLimit`` players the fit of every
/// coalition is kept and ``dominance`` adds complete dominance.
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
    /// `conditional[j][k]`: player `j`'s mean R² increment over coalitions of `k` other players
    /// (Azen & Budescu 2003); its mean over `k` is the Shapley value.
    public let conditional: [[Double]]
    /// Dominance over the players (groups then ungrouped drivers): conditional and complete;
    /// `nil` beyond ``dominanceLimit`` players (complete dominance compares every coalition).
    public let dominance: DominanceAnalysis?
    /// Terms found in the span of other terms in some coalition (aliased); they add nothing there.
    public let collinearTerms: [String]

    /// The largest number of players (groups plus ungrouped drivers): 2^30 coalitions.
    public static let playerLimit = 30
    /// The largest number of players whose complete dominance is computed (2^20 fits kept).
    public static let dominanceLimit = DominanceAnalysis.exactLimit

    /// Multiply-adds of the walk for players of these column counts (see the type's discussion).
    ///
    /// - Parameter widths: each player's design-column count, in walk order (1 for a one-column driver, levels
    ///   − 1 for a factor).
    public static func work(columnsPerPlayer widths: [Int]) -> Double {
        GroupSubsetRSquaredWalk.work(widths: widths)
    }

    /// Shapley values of the groups and the remaining drivers from the correlations in `input`.
    ///
    /// - Parameters:
    ///   - input: the drivers' correlations and their correlations with the outcome (controls
    ///     already partialled out with ``ImportanceInput/controlling(for:)``, if any).
    ///   - groups: the named groups, each a non-empty list of driver names from `input.names`,
    ///     no driver in two; the drivers in no group are players of their own.
    ///   - progress: the fraction done (from 12 players on); return `false` to cancel.
    /// - Throws: ``ImportanceError/dimensionMismatch(_:)`` for an unknown member, a driver in two
    ///   groups or an empty group; ``ImportanceError/tooManyDriversForExact(count:limit:)`` beyond
    ///   ``playerLimit`` players; ``ImportanceError/cancelled``.
    /// Complexity: about ``work(columnsPerPlayer:)`` multiply-adds, `O(k²)` memory per worker
    /// and depth (k design columns), plus `2^g` values up to ``dominanceLimit`` players.
    public init(_ input: ImportanceInput, groups: [(name: String, members: [String])],
                progress: (@Sendable (Double) -> Bool)? = nil) throws {
        let players = try Self.players(input, groups: groups)
        guard players.count <= Self.playerLimit else {
            throw ImportanceError.tooManyDriversForExact(count: players.count, limit: Self.playerLimit)
        }
        try self.init(input, players: players, progress: progress)
    }

    /// The players as column indices into `input`: groups in order, then the ungrouped drivers.
    static func players(_ input: ImportanceInput, groups: [(name: String, members: [String])]) throws -> [(name: String, members: [Int])] {
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
        return players
    }

    /// The walk over players given as column indices (each column in at most one player).
    init(_ input: ImportanceInput, players: [(name: String, members: [Int])], progress: (@Sendable (Double) -> Bool)?) throws {
        let g = players.count
        guard g > 0 else { throw ImportanceError.tooFewDrivers(count: 0, minimum: 1) }
        guard g <= Self.playerLimit else { throw ImportanceError.tooManyDriversForExact(count: g, limit: Self.playerLimit) }
        // The walk's players: widest first (a player's columns are eliminated at every node that
        // adds it, and late players are added at the most nodes), each one's columns contiguous.
        let walkOrder = players.indices.sorted { (players[$0].members.count, $1) > (players[$1].members.count, $0) }
        let order = walkOrder.flatMap { players[$0].members }
        var start = [0]
        for p in walkOrder { start.append(start.last! + players[p].members.count) }
        let k = order.count
        var correlation = [Double](repeating: 0, count: k * k)
        for (b, column) in order.enumerated() {
            for (a, row) in order.enumerated() { correlation[a + b * k] = input.driverCorrelation[row, column] }
        }
        let walk = GroupSubsetRSquaredWalk(correlation: correlation, outcome: order.map { input.outcomeCorrelation[$0] }, start: start)
        let totals = try walk.run(recordTable: g <= Self.dominanceLimit, progress: progress)
        let (walkValues, walkConditional) = ShapleyDecomposition.fromTotals(bySize: totals.bySize, byMember: totals.byMember, players: g)
        var values = [Double](repeating: 0, count: g), conditional = [[Double]](repeating: [], count: g)
        for (position, p) in walkOrder.enumerated() {
            values[p] = walkValues[position]
            conditional[p] = walkConditional[position]
        }
        let total = totals.bySize[g]
        self.groups = players.enumerated().map { j, player in
            Group(name: player.name, members: player.members.map { input.names[$0] }, shapley: values[j], share: values[j] / total)
        }
        rSquared = total
        self.conditional = conditional
        dominance = try totals.table.map { walkTable in
            // Player masks from the walk's order back to the players' order.
            var fits = [Double](repeating: 0, count: walkTable.count)
            for mask in walkTable.indices {
                var original = 0
                for (position, p) in walkOrder.enumerated() where mask & (1 << position) != 0 { original |= 1 << p }
                fits[original] = walkTable[mask]
            }
            return try DominanceAnalysis(names: players.map(\.name), fits: fits)
        }
        collinearTerms = totals.collinear.sorted().map { input.names[order[$0]] }
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
