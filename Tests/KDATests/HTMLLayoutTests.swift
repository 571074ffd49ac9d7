import Foundation
import Testing

/// The HTML report in a real browser: headless Chromium renders wide reports — many ratings, two
/// with survey-length names; a churn model with `--margin` (what-if, churn change, retained and
/// CLV-at-stake columns); a bootstrap (intervals, P(rank), rank and P(quadrant) columns) — in a
/// 1,400 px window, and a script in the page records every element that ends past the window's
/// right edge and every box that hides its content behind a horizontal scroll bar. Skipped,
/// saying so, where `chromium` is not installed (`.ci/run` installs it).
@Suite("HTML report in a browser", .serialized)
struct HTMLLayoutTests {
    /// The browser found on the `PATH`, if any.
    static let chromium: URL? = {
        let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in names {
                let url = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
        }
        print("HTMLLayoutTests: chromium is not installed, so the 1,400 px screenshot test is skipped (apt-get install chromium)")
        return nil
    }()

    /// Appended to the page: on load, lists what overflows horizontally as JSON in `#layout-check`.
    static let check = """
    <script>
    window.addEventListener('load', function () {
      var width = document.documentElement.clientWidth, issues = [];
      if (document.documentElement.scrollWidth > width) issues.push('page scrollWidth ' + document.documentElement.scrollWidth + ' > ' + width);
      var all = document.body.querySelectorAll('*');
      for (var i = 0; i < all.length; i++) {
        var e = all[i];
        if (e.closest('svg') && e.tagName.toLowerCase() !== 'svg') continue;
        var r = e.getBoundingClientRect(), text = (e.textContent || '').trim().slice(0, 60);
        if (r.right > width + 0.5) issues.push(e.tagName + ' ends at ' + Math.round(r.right) + ': ' + text);
        if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible') issues.push(e.tagName + ' scrolls ' + e.scrollWidth + ' > ' + e.clientWidth + ': ' + text);
      }
      var out = document.createElement('pre');
      out.id = 'layout-check';
      out.textContent = JSON.stringify({ width: width, tables: document.querySelectorAll('table').length, svgs: document.querySelectorAll('svg').length, issues: issues });
      document.body.appendChild(out);
    });
    </script>
    """

    /// A churn model with `--margin` (what-if, churn change, retained, CLV at stake with its
    /// bootstrap interval) on 20 ratings, and a linear model with a bootstrap (share intervals,
    /// P(rank), rank and P(quadrant) columns) on 16; each with two survey-length names.
    @Test(.enabled(if: chromium != nil, "chromium is not installed"), .timeLimit(.minutes(5)),
          arguments: [("churn", 20, ["--outcome", "churn", "--margin", "30", "--methods", "regression,relative-weights,correlation"],
                       ["CLV at stake", "churn Δ", "retained"]),
                      ("linear", 16, ["--outcome", "satisfaction"], ["P(rank)", "P(quadrant)", "share ["])])
    func wideReportFitsFourteenHundredPixels(_ model: String, _ touchpoints: Int, _ options: [String], _ columns: [String]) throws {
        let browser = try #require(Self.chromium)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let survey = directory.appendingPathComponent("survey.csv"), page = directory.appendingPathComponent("report.html")
        #expect(try KDARun.run(["generate", "--respondents", "1500", "--touchpoints", "\(touchpoints)", "--seed", "7", "--outcome",
                                model == "churn" ? "churn" : "linear", "--output", survey.path]).status == 0)
        // Two questions named as survey tools export them.
        var text = try String(contentsOf: survey, encoding: .utf8)
        let header = try #require(text.split(separator: "\n").first.map(String.init))
        let renamed = header.replacingOccurrences(of: ",wifi,", with: ",How satisfied are you with the wifi on board during your most recent flight?,")
            .replacingOccurrences(of: ",check_in,", with: ",Departure/Arrival time convenient (check-in and boarding),")
        text = renamed + text.dropFirst(header.count)
        try text.write(to: survey, atomically: true, encoding: .utf8)
        let run = try KDARun.run(["analyze", survey.path] + options + ["--bootstrap", "20", "--format", "html", "--output", page.path, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: page, encoding: .utf8)
        for column in columns { #expect(html.contains(column), "the \(model) report has \(column)") }
        try html.replacingOccurrences(of: "</body>", with: Self.check + "</body>").write(to: page, atomically: true, encoding: .utf8)

        let dom = try Self.render(page, browser: browser, profile: directory.appendingPathComponent("profile"))
        let json = try #require(dom.components(separatedBy: "<pre id=\"layout-check\">").dropFirst().first?.components(separatedBy: "</pre>").first,
                                "the check ran in the page")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(Self.unescaped(json).utf8)) as? [String: Any])
        #expect(result["width"] as? Int == 1_400)
        #expect((result["tables"] as? Int ?? 0) >= 3 && (result["svgs"] as? Int ?? 0) >= 1, "tables and charts rendered")
        let issues = result["issues"] as? [String] ?? ["no result"]
        #expect(issues.isEmpty, "\(model) report overflows at 1,400 px: \(issues.prefix(8))")
    }

    /// The page's DOM after load in a 1,400 × 1,000 window (headless, its own profile, killed
    /// after 90 s).
    static func render(_ page: URL, browser: URL, profile: URL) throws -> String {
        let process = Process()
        process.executableURL = browser
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=\(profile.path)", "--window-size=1400,1000", "--virtual-time-budget=5000", "--dump-dom",
                             page.absoluteString]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 90, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return String(decoding: data, as: UTF8.self)
    }

    /// `--dump-dom` writes the `<pre>`'s text with `&`, `<`, `>` and `"` escaped.
    static func unescaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}
