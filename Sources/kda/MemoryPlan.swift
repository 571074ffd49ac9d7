import DriverAnalysis
import Foundation

/// Whether `kda analyze FILE` loads the file or streams it: the in-memory analysis's peak is
/// projected from the file's size and the width of its header (8 bytes per cell held once, plus
/// three quarters again for the parse buffers, residuals and the few per-row vectors — measured:
/// 460 MB for 10⁶ × 33 cells, 264 MB of them the cells), and compared with the memory budget.
struct MemoryPlan {
    /// Bytes of the file.
    let fileBytes: Int
    /// Fields in the header.
    let columns: Int
    /// Rows estimated from the mean length of the first records.
    let estimatedRows: Int

    /// Peak bytes of the in-memory analysis, projected.
    var projectedBytes: Double { Double(estimatedRows) * Double(columns) * 8 * 1.75 }

    /// The projection for `path`, from its size and its first 256 KB; `nil` when the file cannot
    /// be read (the reader reports that).
    init?(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.intValue, size > 0,
              let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 256 << 10), !head.isEmpty else { return nil }
        let bytes = [UInt8](head)
        let headerEnd = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        let header = bytes[..<headerEnd]
        let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        columns = 1 + (delimiters.map { d in header.reduce(0) { $1 == d ? $0 + 1 : $0 } }.max() ?? 0)
        let body = bytes.count - min(bytes.count, headerEnd + 1)
        let records = bytes[min(bytes.count, headerEnd + 1)...].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let meanLength = records > 0 ? Double(body) / Double(records) : Double(max(1, body))
        fileBytes = size
        estimatedRows = Int(min(1e12, (Double(size - min(size, headerEnd + 1)) / max(1, meanLength)).rounded(.up)))
    }

    /// `12.3 MB` / `1.2 GB`.
    static func megabytes(_ bytes: Double) -> String {
        bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.0f MB", bytes / 1e6)
    }
}

extension Analyze {
    /// Why the configuration needs the rows in memory (`nil`: it can stream). Streaming gives the
    /// linear model with classical inference and the correlation-based importance from the
    /// moments of its terms, default drivers and text drivers (factors, Yes/No) included
    /// (`KeyDriverAnalysis.analyzeStreamingLinear`), and the logistic model of named numeric
    /// drivers by IRLS passes over the file (``StreamingLogistic``).
    func rowLevelNeeds(_ c: AnalysisConfiguration) -> String? {
        var needs: [String] = []
        if c.model == .ordinal { needs.append("an ordinal model") }
        if c.missing != .listwise { needs.append("pairwise deletion") }
        if let fragments, fragments == "impute" || fragments == "per-source" { needs.append("--fragments \(fragments)") }
        if c.margin != nil { needs.append("--margin") }
        if c.bootstrap > 0 { needs.append("--bootstrap") }
        if c.segment != nil { needs.append("--segment") }
        if c.nps != nil { needs.append("--nps") }
        if !c.groups.isEmpty { needs.append("--group") }
        if !c.controls.isEmpty { needs.append("--control") }
        if !c.categorical.isEmpty || !c.references.isEmpty { needs.append("categorical drivers") }
        if !c.scales.isEmpty { needs.append("--scale") }
        if c.robust != nil { needs.append("--robust") }
        if c.weight != nil && c.weightKind == .sampling && c.methods.contains(.regression) {
            needs.append("sampling weights (design-based standard errors)")
        }
        let logistic = c.model == .logistic || c.event != nil
        if logistic && methodsGiven && (c.methods.contains(.shapley) || c.methods.contains(.dominance)) {
            needs.append("logistic Shapley/dominance (2^p fits)")
        }
        if logistic && c.weight != nil { needs.append("weights in a logistic model") }
        return needs.isEmpty ? nil : needs.joined(separator: ", ")
    }

    /// Whether `--methods` was given (else every method is asked for by default).
    var methodsGiven: Bool { methods != "all" }
}
