/// Multiple-testing adjustments for the driver table (many touchpoints are tested at once).
public enum Multiplicity {
    /// Holm (1979) and Benjamini–Hochberg (1995) adjusted p-values; `NaN` entries are ignored and stay `NaN`.
    ///
    /// - Parameter pValues: the unadjusted p-values, in [0, 1]; `NaN` entries are left out of the family.
    public static func adjust(_ pValues: [Double]) -> (holm: [Double], benjaminiHochberg: [Double]) {
        let valid = pValues.indices.filter { !pValues[$0].isNaN }
        let m = Double(valid.count)
        var holm = [Double](repeating: .nan, count: pValues.count), bh = holm
        let ascending = valid.sorted { pValues[$0] < pValues[$1] }
        var running = 0.0
        for (k, i) in ascending.enumerated() {
            running = max(running, min(1, (m - Double(k)) * pValues[i]))
            holm[i] = running
        }
        var minimum = 1.0
        for (k, i) in ascending.enumerated().reversed() {
            minimum = min(minimum, m / Double(k + 1) * pValues[i])
            bh[i] = min(1, minimum)
        }
        return (holm, bh)
    }
}
