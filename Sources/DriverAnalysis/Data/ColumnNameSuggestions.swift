/// "Did you mean" for column names (StatsModels.jl-style friendly errors).
enum ColumnNameSuggestions {
    /// Up to three names closest to `name` by case-insensitive edit distance (or containing it),
    /// within a distance of a third of the name's length (at least 2).
    static func nearest(to name: String, in candidates: [String]) -> [String] {
        let target = Array(name.lowercased())
        let limit = max(2, target.count / 3)
        let scored = candidates.map { candidate -> (String, Int) in
            let lower = candidate.lowercased()
            if lower.contains(name.lowercased()) || name.lowercased().contains(lower) { return (candidate, 0) }
            let full = distance(target, Array(lower))
            let prefix = distance(target, Array(lower.prefix(target.count)))
            return (candidate, min(full, prefix))
        }
        return scored.filter { $0.1 <= limit }.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(3).map(\.0)
    }

    /// Levenshtein distance.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
