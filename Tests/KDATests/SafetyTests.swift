import Fixtures
import Foundation
import Testing

/// `kda` on hostile input and hostile file systems: every case exits with the contract's code
/// and a message — never a crash (SIGILL/SIGABRT), never a silent answer — and output files are
/// replaced atomically or written in place, never half-written.
@Suite("kda safety", .serialized)
struct SafetyTests {
    /// A scratch directory with a small survey `s.csv` (y, a, b, rare 0/1 driver).
    final class Scratch: @unchecked Sendable {
        let url: URL
        var path: String { url.path }
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("kda-safety-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            var csv = "y,a,b,rare,w\n"
            for i in 0..<300 {
                let a = (i * 7) % 11, b = (i * 13) % 9, noise = Double((i * 31) % 17) / 8
                csv += "\(Double(a + 2 * b) + noise),\(a),\(b),\(i < 4 ? 1 : 0),\(1 + i % 3)\n"
            }
            try write("s.csv", csv)
        }
        func file(_ name: String) -> String { url.appendingPathComponent(name).path }
        @discardableResult func write(_ name: String, _ text: String) throws -> String {
            try Data(text.utf8).write(to: url.appendingPathComponent(name))
            return file(name)
        }
        @discardableResult func write(_ name: String, bytes: [UInt8]) throws -> String {
            try Data(bytes).write(to: url.appendingPathComponent(name))
            return file(name)
        }
        func entries() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    static func run(_ arguments: [String], in scratch: Scratch) throws -> KDARun {
        let process = Process()
        process.executableURL = KDARun.executable
        process.arguments = arguments
        process.currentDirectoryURL = scratch.url
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return KDARun(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }

    static let moments = "n,weight_sum,weight_squared_sum,mean__a,mean__y,cp__a__a,cp__a__y,cp__y__y\n"

    /// Hostile invocations: arguments (run in a scratch directory holding `s.csv` and the files
    /// below), expected exit status and a piece of the message.
    static let corpus: [(files: [String: [UInt8]], arguments: [String], status: Int32, message: String)] = [
        // Crashes before: unique-key dictionaries, Int(Double), allocation of every replicate.
        ([:], ["s.csv", "--outcome", "y", "--drivers", "a,a", "--methods", "shapley"], 2, "driver 'a' is listed twice"),
        ([:], ["s.csv", "--outcome", "y", "--drivers", "a,b", "--control", "b"], 2, "'b' is both a driver and a control"),
        (["m.csv": Array((moments + "1e19,1e19,1e19,1,2,3,1,3\n").utf8)], ["--from-moments", "m.csv", "--outcome", "y"], 3, "beyond 2^53"),
        (["m.csv": Array((moments + "inf,100,100,1,2,3,1,3\n").utf8)], ["--from-moments", "m.csv", "--outcome", "y"], 3, "not a finite number"),
        (["m.csv": Array((moments + "100,1e17,1e17,1,2,3,1,3\n").utf8)], ["--from-moments", "m.csv", "--outcome", "y"], 3, "weight_sum"),
        (["w.csv": Array(("y,a,b,w\n" + (0..<40).map { "\($0 % 7 + $0 % 3),\($0 % 7),\($0 % 3),1e17\n" }.joined()).utf8)],
         ["w.csv", "--outcome", "y", "--drivers", "a,b", "--weight", "w", "--methods", "shapley"], 3, "weight column 'w'"),
        (["w.csv": Array(("y,a,b,w\n" + (0..<40).map { "\($0 % 7 + $0 % 3),\($0 % 7),\($0 % 3),1e308\n" }.joined()).utf8)],
         ["w.csv", "--outcome", "y", "--weight", "w"], 3, "weight column 'w'"),
        ([:], ["s.csv", "--outcome", "y", "--bootstrap", "1000000000"], 2, "work budget"),
        // Silent wrong answers before.
        ([:], ["s.csv", "--outcome", "y", "--drivers", "a,y"], 2, "the outcome 'y' is also listed in --drivers"),
        ([:], ["s.csv", "--outcome", "y", "--control", "y"], 2, "the outcome 'y' cannot be a control"),
        ([:], ["s.csv", "--outcome", "y", "--control", "a,a"], 2, "listed twice in --control"),
        ([:], ["s.csv", "--outcome", "y", "--discount-rate=-0.5", "--margin", "10"], 2, "--discount-rate"),
        ([:], ["s.csv", "--outcome", "y", "--discount-rate", "-0.5", "--margin", "10"], 2, "--discount-rate must be a finite rate"),
        ([:], ["s.csv", "--outcome", "y", "--scale-max", "0"], 2, "--scale-max 0 is no longer an option"),
        ([:], ["s.csv", "--outcome", "y", "--role", "nope*=attribute"], 2, "matches no column"),
        ([:], ["s.csv", "--outcome", "y", "--kind", "a=ratio"], 2, "the kind must be rating, count, amount, binary or factor"),
        ([:], ["s.csv", "--outcome", "y", "--weight", "y"], 2, "cannot also be the --weight column"),
        ([:], ["s.csv", "--outcome", "y", "--drivers", "a,,b"], 2, "no empty name"),
        ([:], ["s.csv", "--outcome", "y", "--group", "g=a,b", "--group", "g=rare"], 2, "group 'g' is defined twice"),
        (["nul.csv": Array("y,a,b\n1,2,3\n2,5".utf8) + [0] + Array("999,1\n3,4,5\n4,1,2\n5,3,3\n6,6,1\n".utf8)],
         ["nul.csv", "--outcome", "y", "--drivers", "a,b"], 3, "row 3, column 'a': the field '5\\x00999' holds a control character"),
        (["c.csv": Array("a,b,y\n1,0.3,0.5\n0.9,1,0.4\n0.5,0.4,1\n".utf8)], ["--from-correlation", "c.csv", "--n", "100", "--outcome", "y"], 3, "not symmetric"),
        (["c.csv": Array("a,b,y\n1,0.3,0.5\n0.3,0,0.4\n0.5,0.4,1\n".utf8)], ["--from-correlation", "c.csv", "--n", "100", "--outcome", "y"], 3, "diagonal entry must be positive"),
        (["c.csv": Array("a,b,y\n1,0.3,0.5\n0.3,1,\n0.5,0.4,1\n".utf8)], ["--from-correlation", "c.csv", "--n", "100", "--outcome", "y"], 3, "missing value"),
        ([:], ["--from-correlation", "s.csv", "--n", "-5", "--outcome", "y"], 2, "--n must be a positive number"),
        (["t.csv": Array(("y,a,b\n" + (0..<60).map { "\($0 % 3),\($0 % 5),\($0 % 7)\n" }.joined()).utf8)],
         ["t.csv", "--outcome", "y", "--model", "logistic"], 3, "t.csv, column 'y': --model logistic needs a two-valued outcome, found 3 distinct values (0, 1, 2)"),
        ([:], ["s.csv", "--outcome", "y", "--n", "5"], 2, "--n gives the respondents behind --from-correlation"),
        // Unbounded work.
        (["o.csv": Array(("y,a,b\n" + (0..<400).map { "\(Double($0) / 7),\($0 % 5),\($0 % 3)\n" }.joined()).utf8)],
         ["o.csv", "--outcome", "y", "--model", "ordinal"], 2, "one cut-point per value"),
        (["wide.csv": Array((["y"] + (0..<250).map { "c\($0)" }).joined(separator: ",").utf8) + Array("\n".utf8)
            + (0..<12).flatMap { i in Array(((0..<251).map { "\(($0 * 7 + i * 3) % 10)" }).joined(separator: ",").utf8) + [10] }],
         ["wide.csv", "--outcome", "y", "--methods", "shapley"], 2, "sampled Shapley"),
        // Messages with file, row, column; no Foundation error codes, no raw control characters.
        ([:], [".", "--outcome", "y"], 3, "it is a directory"),
        (["u16.csv": [0xFF, 0xFE] + Array("y,a\n1,2\n2,3\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }], ["u16.csv", "--outcome", "y"], 3, "UTF-16"),
        (["esc.csv": Array("y,a,b\n1,2,3\n2,\u{1B}[2J\u{1B}]8;;http://x\u{7}evil,4\n".utf8)], ["esc.csv", "--outcome", "y", "--drivers", "a,b"], 3, "the field '\\x1B[2J\\x1B]8;;http://x\\x07evil' holds a control character"),
        (["huge.csv": Array("y,a,b\n1,2,3\n2,".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 2_000_000) + Array(",4\n".utf8)],
         ["huge.csv", "--outcome", "y", "--drivers", "a,b"], 3, "characters omitted"),
        // Outputs that cannot be.
        ([:], ["s.csv", "--outcome", "y", "--output", "s.csv"], 2, "it is the input"),
        ([:], ["s.csv", "--outcome", "y", "--output", "./s.csv"], 2, "it is the input"),
        ([:], ["s.csv", "--outcome", "y", "--output", "r.svg", "--chart", "r.svg"], 2, "given for two outputs"),
        ([:], ["s.csv", "--outcome", "y", "--output", "."], 2, "it is a directory"),
        ([:], ["s.csv", "--outcome", "y", "--output", "/dev/full"], 2, "No space left on device"),
        ([:], ["s.csv", "--outcome", "y", "--table", "t"], 2, "without --engine it would be ignored"),
        ([:], ["s.csv", "--outcome", "y", "--scale", "wfi=0..10"], 3, "There is no column 'wfi'"),
        ([:], ["s.csv", "--outcome", "y", "--scale", "a=-1e308..1e308"], 2, "a rating scale runs from a lower to a higher finite value"),
        ([:], ["s.csv", "--outcome", "y", "--output", "/nonexistent/r.txt"], 2, "cannot write /nonexistent/r.txt"),
    ]

    @Test("hostile invocations", arguments: SafetyTests.corpus.indices)
    func hostile(index: Int) throws {
        let entry = Self.corpus[index]
        let scratch = try Scratch()
        for (name, bytes) in entry.files { try scratch.write(name, bytes: bytes) }
        let before = scratch.entries()
        let run = try Self.run(["analyze"] + entry.arguments + ["--quiet"], in: scratch)
        #expect(run.status == entry.status, "\(entry.arguments): \(run.stderr)")
        #expect(run.stderr.contains(entry.message), "\(entry.arguments): \(run.stderr.prefix(500))")
        #expect(run.stderr.hasPrefix("kda: error: ") && run.stderr.count < 1_200, "\(entry.arguments)")
        #expect(!run.stderr.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) })
        #expect(run.stdout.isEmpty)
        #expect(scratch.entries() == before, "no file left behind")
    }

    /// `generate` refuses a row count that would fill the disk, before writing anything.
    @Test func generateBoundsItsSize() throws {
        let scratch = try Scratch()
        let before = scratch.entries()
        let run = try Self.run(["generate", "--respondents", "1000000000000", "--touchpoints", "3", "--output", "huge.csv"], in: scratch)
        #expect(run.status != 0 && run.stderr.contains("--respondents must be at most"), "\(run.stderr)")
        #expect(scratch.entries() == before)
    }

    /// Another user plants `report.txt → victim` in a shared (sticky, world-writable) folder: kda
    /// refuses to follow it for `--output`, `--chart` and `generate --output`, and the victim is
    /// untouched. The link is planted by a second user (uid 65534 through `setpriv`) where that is
    /// possible, else by the test itself (the rule does not depend on who planted it).
    @Test func plantedSymlinksInSharedDirectoriesAreNotFollowed() throws {
        let scratch = try Scratch()
        let shared = scratch.file("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        chmod(shared, 0o1777)
        let victim = try scratch.write("victim.txt", "secret")
        var secondUser = false
        if getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
            let plant = Process()
            plant.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            plant.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/ln", "-s", victim, shared + "/report.txt"]
            try plant.run()
            plant.waitUntilExit()
            secondUser = plant.terminationStatus == 0
        }
        if !secondUser {
            print("plantedSymlinksInSharedDirectoriesAreNotFollowed: no second user (setpriv as root); the test plants the link itself")
            try FileManager.default.createSymbolicLink(atPath: shared + "/report.txt", withDestinationPath: victim)
        }
        try FileManager.default.createSymbolicLink(atPath: shared + "/chart.svg", withDestinationPath: victim)
        try FileManager.default.createSymbolicLink(atPath: shared + "/gen.csv", withDestinationPath: victim)
        let runs = [
            try Self.run(["analyze", "s.csv", "--outcome", "y", "--quiet", "--output", "shared/report.txt"], in: scratch),
            try Self.run(["analyze", "s.csv", "--outcome", "y", "--quiet", "--output", "out.txt", "--chart", "shared/chart.svg"], in: scratch),
            try Self.run(["generate", "--respondents", "10", "--touchpoints", "2", "--output", "shared/gen.csv"], in: scratch),
        ]
        for run in runs {
            #expect(run.status == 2 && run.stderr.contains("shared directory"), "\(run.stderr)")
        }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "secret")
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared).sorted() == ["chart.svg", "gen.csv", "report.txt"])
        // A link whose owner is not the directory's owner (a directory handed to uid 65534, the
        // link made by this user) is not followed either.
        if getuid() == 0 {
            let owned = scratch.file("owned")
            try FileManager.default.createDirectory(atPath: owned, withIntermediateDirectories: false)
            chown(owned, 65534, 65534)
            try FileManager.default.createSymbolicLink(atPath: owned + "/r.txt", withDestinationPath: victim)
            let run = try Self.run(["analyze", "s.csv", "--outcome", "y", "--quiet", "--output", "owned/r.txt"], in: scratch)
            #expect(run.status == 2 && run.stderr.contains("not by the directory's owner"), "\(run.stderr)")
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "secret")
        }
    }

    @Test func degenerateBootstrapResamplesAreRedrawnNotFatal() throws {
        // `rare` is 1 in 4 of 300 rows: about 1.7 % of resamples draw it constant.
        let scratch = try Scratch()
        let run = try Self.run(["analyze", "s.csv", "--outcome", "y", "--drivers", "a,b,rare", "--bootstrap", "200", "--format", "json", "--quiet"], in: scratch)
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let drivers = json?["drivers"] as? [[String: Any]]
        #expect(drivers?.allSatisfy { ($0["importance_ci"] as? [String: Any])?["shapley"] is [Any] } == true)
    }

    @Test func specialFilesAreWrittenInPlaceAndRegularFilesReplacedAtomically() throws {
        let scratch = try Scratch()
        let args = ["analyze", "s.csv", "--outcome", "y", "--quiet"]
        // A character device (the null device, made here: /dev/null itself is never touched).
        #expect(mknod(scratch.file("null"), S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0 || getuid() != 0)
        if getuid() == 0 {
            #expect(try Self.run(args + ["--output", "null"], in: scratch).status == 0)
            #expect(try Self.fileType("null", scratch) == S_IFCHR)
            // A symbolic link to the device: the device is written, the link stays.
            try FileManager.default.createSymbolicLink(atPath: scratch.file("to-null"), withDestinationPath: "null")
            #expect(try Self.run(args + ["--output", "to-null", "--chart", "chart.svg"], in: scratch).status == 0)
            #expect(try Self.fileType("to-null", scratch, follow: false) == S_IFLNK && Self.fileType("null", scratch) == S_IFCHR)
        }
        // A FIFO: written in place, read by a reader on the other end.
        #expect(mkfifo(scratch.file("fifo"), 0o644) == 0)
        let reader = open(scratch.file("fifo"), O_RDONLY | O_NONBLOCK)   // so that kda's open does not wait
        try #require(reader >= 0)
        defer { close(reader) }
        #expect(try Self.run(args + ["--output", "fifo"], in: scratch).status == 0)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let count = read(reader, &buffer, buffer.count)
        #expect(count > 0 && String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).hasPrefix("Outcome: y"))
        #expect(try Self.fileType("fifo", scratch) == S_IFIFO)
        // A symbolic link to a regular file: the file is replaced, the link stays a link.
        try scratch.write("target.txt", "old")
        try FileManager.default.createSymbolicLink(atPath: scratch.file("link.txt"), withDestinationPath: "target.txt")
        #expect(try Self.run(args + ["--output", "link.txt"], in: scratch).status == 0)
        #expect(try Self.fileType("link.txt", scratch, follow: false) == S_IFLNK)
        #expect(try String(contentsOfFile: scratch.file("target.txt"), encoding: .utf8).hasPrefix("Outcome: y"))
        // A dangling link is refused.
        try FileManager.default.createSymbolicLink(atPath: scratch.file("dangling"), withDestinationPath: "nowhere")
        let dangling = try Self.run(args + ["--output", "dangling"], in: scratch)
        #expect(dangling.status == 2 && dangling.stderr.contains("symbolic link to a missing file"))
        // Permissions of a replaced report are kept (0600 stays 0600); a new file follows the umask.
        try scratch.write("private.txt", "old")
        chmod(scratch.file("private.txt"), 0o600)
        #expect(try Self.run(args + ["--output", "private.txt", "--chart", "private.svg"], in: scratch).status == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: scratch.file("private.txt"))[.posixPermissions] as? Int == 0o600)
        #expect(try String(contentsOfFile: scratch.file("private.svg"), encoding: .utf8).hasSuffix("</svg>\n"))
        // No temporary file is left anywhere.
        #expect(!scratch.entries().contains { $0.contains(".kda-") }, "\(scratch.entries())")
    }

    static func fileType(_ name: String, _ scratch: Scratch, follow: Bool = true) throws -> mode_t {
        var st = stat()
        let result = follow ? stat(scratch.file(name), &st) : lstat(scratch.file(name), &st)
        try #require(result == 0)
        return st.st_mode & S_IFMT
    }

    @Test func theTemporaryFileNameIsUnpredictableAndNeverFollowed() throws {
        let scratch = try Scratch()
        // An attacker's symlinks at the old predictable names (.NAME.kda-PID.tmp) for every PID
        // near ours: none may be followed, the victim file stays intact.
        try scratch.write("victim", "precious")
        for pid in 1..<64 {
            try? FileManager.default.createSymbolicLink(atPath: scratch.file(".r.txt.kda-\(pid).tmp"), withDestinationPath: "victim")
        }
        let run = try Self.run(["analyze", "s.csv", "--outcome", "y", "--output", "r.txt", "--quiet"], in: scratch)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try String(contentsOfFile: scratch.file("victim"), encoding: .utf8) == "precious")
        #expect(scratch.entries().filter { $0.contains(".kda-") && !$0.hasPrefix(".r.txt.kda-") }.isEmpty)
    }

    @Test func failedWritesExitTwoWithAMessageAndLeaveNothingPartial() throws {
        let scratch = try Scratch()
        // Standard output on a full device, a closed pipe and a closed descriptor.
        for target in ["full", "closed-pipe", "closed"] {
            let process = Process()
            process.executableURL = KDARun.executable
            process.arguments = ["analyze", "s.csv", "--outcome", "y", "--quiet"]
            process.currentDirectoryURL = scratch.url
            let err = Pipe()
            process.standardError = err
            var keep: Pipe? = nil
            switch target {
            case "full": process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
            case "closed-pipe":
                let pipe = Pipe()
                try pipe.fileHandleForReading.close()
                process.standardOutput = pipe
                keep = pipe
            default:   // started by a shell with standard output closed (>&-)
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", "exec \"$0\" analyze s.csv --outcome y --quiet >&-", KDARun.executable.path]
            }
            try process.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            _ = keep
            #expect(process.terminationReason == .exit && process.terminationStatus == 2, "\(target): \(message)")
            #expect(message.contains("cannot write standard output"), "\(target): \(message)")
        }
        // generate onto a full device: exit 2, a message, no crash.
        let full = try Self.run(["generate", "--respondents", "50000", "--touchpoints", "5", "--output", "/dev/full"], in: scratch)
        #expect(full.status == 2 && full.stderr.contains("No space left on device"), "\(full.stderr)")
        // generate replaces its output atomically: an existing file is never seen half-written.
        #expect(try Self.run(["generate", "--respondents", "2000", "--touchpoints", "3", "--output", "g.csv"], in: scratch).status == 0)
        let first = try Data(contentsOf: URL(fileURLWithPath: scratch.file("g.csv")))
        #expect(try Self.run(["generate", "--respondents", "2000", "--touchpoints", "3", "--seed", "9", "--output", "g.csv"], in: scratch).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.file("g.csv"))) != first)
        #expect(!scratch.entries().contains { $0.contains(".kda-") })
    }

    @Test func interruptedGenerateLeavesNoPartialFile() throws {
        let scratch = try Scratch()
        try scratch.write("survey.csv", "old,complete\n1,2\n")
        let process = Process()
        process.executableURL = KDARun.executable
        process.arguments = ["generate", "--respondents", "50000000", "--touchpoints", "20", "--output", "survey.csv"]
        process.currentDirectoryURL = scratch.url
        try process.run()
        Thread.sleep(forTimeInterval: 0.8)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(try String(contentsOfFile: scratch.file("survey.csv"), encoding: .utf8) == "old,complete\n1,2\n")
        #expect(scratch.entries() == ["s.csv", "survey.csv"], "\(scratch.entries())")
    }

    @Test func streamingAcceptsYesNoDriversLikeTheInMemoryPath() throws {
        let scratch = try Scratch()
        var csv = "y,a,promo\n"
        for i in 0..<200 { csv += "\(Double(i % 9) + (i % 3 == 0 ? 2 : 0) + Double(i % 5) / 4),\(i % 9),\(i % 3 == 0 ? "Yes" : "No")\n" }
        try scratch.write("yn.csv", csv)
        let run = try Self.run(["analyze", "yn.csv", "--outcome", "y", "--drivers", "a,promo", "--methods", "shapley", "--format", "json"], in: scratch)
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func sqlRefusesDuplicateAndEmptyNames() throws {
        let scratch = try Scratch()
        #expect(try Self.run(["sql", "--table", "t", "--outcome", "y", "--drivers", "a,a"], in: scratch).status == 2)
        #expect(try Self.run(["sql", "--table", "t", "--outcome", "y", "--drivers", "a,y"], in: scratch).status == 2)
        let ok = try Self.run(["sql", "--table", "t", "--outcome", "y", "--drivers", "a\"; DROP TABLE t; --,b"], in: scratch)
        #expect(ok.status == 0 && ok.stdout.contains("\"a\"\"; DROP TABLE t; --\""))
    }

    /// The sources hold no trap reachable from the command line: no `try!`, no `fatalError`, no
    /// `FileHandle.write` on the standard streams (it traps on EPIPE/ENOSPC), and `kda` prints
    /// only through its checked writer.
    @Test func noTrapsInTheSources() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 20)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let name = file.lastPathComponent
            for banned in ["try!", "fatalError(", "FileHandle.standardOutput.write", "FileHandle.standardError.write"] {
                #expect(!text.contains(banned), "\(name) uses \(banned)")
            }
            if file.path.contains("/Sources/kda/") {
                #expect(!text.contains(" print("), "\(name) prints without checking the write")
            }
        }
    }
}
