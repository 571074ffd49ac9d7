import DriverAnalysis
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress on standard error, only on a terminal: one line, redrawn in place as
/// `"\r" + text + ESC[K` (carriage return, the text, clear to the end of the line), so a shorter
/// text never leaves characters of a longer one behind. Shows the stage's label, the fraction
/// the library reports, the time elapsed and, once the fraction moves, an estimate of the time
/// left. Redraws at most ten times a second; a timer redraws every second so the elapsed time
/// moves even while a stage reports no fraction (the bootstrap reports only its start and end).
/// The line is cut to the terminal's width (a wrapped line cannot be redrawn in place).
final class ProgressLine: @unchecked Sendable {
    let enabled: Bool
    private let lock = NSLock()
    private var label: String?
    private var fraction = 0.0
    private var stageStart = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private var timer: DispatchSourceTimer?
    static let minimumInterval = 0.1

    init(enabled: Bool) { self.enabled = enabled }

    /// The library's callback, `nil` when progress is off (not a terminal, or `--quiet`).
    var callback: KeyDriverAnalysis.Progress? {
        guard enabled else { return nil }
        startTimer()
        return { [self] label, fraction in update(label: label.description, fraction: fraction) }
    }

    func update(label newLabel: String, fraction newFraction: Double) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let changed = newLabel != label
        if changed {
            label = newLabel
            stageStart = now
        }
        if newFraction.isFinite { fraction = min(1, max(0, newFraction)) }
        guard changed || now.timeIntervalSince(lastDraw) >= Self.minimumInterval else { return }
        draw(now)
    }

    /// Clears the line (after the analysis, and before an error message).
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        timer?.cancel()
        timer = nil
        if drawn { StandardStreams.writeError("\r\u{1B}[K") }
        drawn = false
        label = nil
    }

    private func startTimer() {
        lock.lock()
        defer { lock.unlock() }
        guard timer == nil else { return }
        let source = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        source.schedule(deadline: .now() + 1, repeating: 1)
        source.setEventHandler { [weak self] in self?.tick() }
        source.resume()
        timer = source
    }

    private func tick() {
        lock.lock()
        defer { lock.unlock() }
        guard label != nil, Date().timeIntervalSince(lastDraw) >= 0.9 else { return }
        draw(Date())
    }

    /// Writes the line; the lock is held.
    private func draw(_ now: Date) {
        guard let label else { return }
        let text = Self.text(label: label, fraction: fraction, elapsed: now.timeIntervalSince(stageStart))
        StandardStreams.writeError("\r" + Self.cut(text, to: Self.terminalColumns() - 1) + "\u{1B}[K")
        lastDraw = now
        drawn = true
    }

    /// `bootstrap (200 replicates): 37 % · 12 s, about 20 s left`.
    static func text(label: String, fraction: Double, elapsed: Double) -> String {
        var text = Escaping.terminal(label) + ": " + String(format: "%.0f %%", 100 * fraction)
        if elapsed >= 1 {
            text += " · " + duration(elapsed)
            if fraction >= 0.01 && fraction < 1 { text += ", about " + duration(elapsed * (1 - fraction) / fraction) + " left" }
        }
        return text
    }

    /// `42 s`, `3 min 05 s`, `1 h 02 min`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3_600 { return String(format: "%d min %02d s", s / 60, s % 60) }
        return String(format: "%d h %02d min", s / 3_600, (s % 3_600) / 60)
    }

    static func cut(_ text: String, to columns: Int) -> String {
        text.count <= columns ? text : String(text.prefix(max(1, columns - 1))) + "…"
    }

    /// The width of the terminal on standard error (80 when unknown).
    static func terminalColumns() -> Int {
        var size = winsize()
        #if os(Linux)
        let request = UInt(TIOCGWINSZ)
        #else
        let request = TIOCGWINSZ
        #endif
        guard ioctl(2, request, &size) == 0, size.ws_col > 10 else { return 80 }
        return Int(size.ws_col)
    }
}
