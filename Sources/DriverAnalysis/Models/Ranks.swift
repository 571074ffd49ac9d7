/// Mid-ranks (average ranks for ties), 1-based, as R's `rank(ties.method = "average")`.
enum Ranks {
    /// Ranks of `values` (no NaN). Columns with few distinct values — rating scales — are ranked
    /// by counting in O(n); others by sorting in O(n log n).
    static func midRanks(_ values: [Double]) -> [Double] {
        if let counted = countingRanks(values) { return counted }
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }

    /// O(n) ranking when there are at most 1,024 distinct values, else `nil`.
    static func countingRanks(_ values: [Double]) -> [Double]? {
        var index: [Double: Int] = [:]
        var distinct: [Double] = []
        var codes = [Int](repeating: 0, count: values.count)
        for (i, v) in values.enumerated() {
            if let code = index[v] {
                codes[i] = code
            } else {
                if distinct.count == 1024 { return nil }
                index[v] = distinct.count
                codes[i] = distinct.count
                distinct.append(v)
            }
        }
        var counts = [Int](repeating: 0, count: distinct.count)
        for c in codes { counts[c] += 1 }
        let order = distinct.indices.sorted { distinct[$0] < distinct[$1] }
        var rankOfCode = [Double](repeating: 0, count: distinct.count)
        var below = 0
        for code in order {
            rankOfCode[code] = Double(below) + Double(counts[code] + 1) / 2
            below += counts[code]
        }
        return codes.map { rankOfCode[$0] }
    }

    /// Sizes of the groups of tied values (only groups larger than 1).
    static func tieGroups(_ values: [Double]) -> [Int] {
        var counts: [Double: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        return counts.values.filter { $0 > 1 }
    }
}
