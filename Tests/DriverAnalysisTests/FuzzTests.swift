import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// A deterministic mutation fuzzer for the CSV reader and the analysis: byte flips, truncation,
/// inserted quotes, delimiters and newlines, huge fields, invalid UTF-8 and NUL bytes, applied to
/// valid survey files. Every mutant must load or fail with a typed `SurveyDataError`, and every
/// mutant that loads must analyse or fail with one of the library's typed errors — never crash
/// or hang. `swift test` runs a small budget; `KDA_FUZZ_ITERATIONS=100000 swift test --filter Fuzz`
/// runs more.
@Suite("Fuzzing")
struct FuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["KDA_FUZZ_ITERATIONS"] ?? "") ?? 600

    static func seeds() -> [[UInt8]] {
        [
            Array("id,wifi,billing,\"support, chat\",churn\r\n1,7,8,\"9\",Yes\r\n2,5,,3,No\r\n3,9,9,10,No\r\n4,2,3,1,Yes\r\n5,6,7,8,No\r\n6,4,4,5,Yes\r\n7,8,9,9,No\r\n".utf8),
            Array("\u{FEFF};a;b;y\n0;1,5;2;3\n1;2;3;4\n2;3;1;5\n3;4;4;7\n4;5;2;6\n5;6;6;9\n6;1;5;2\n".utf8),
            Array("q1\tq2\tq3\n1\t2\t3\n2\t3\t3\n4\t4\t5\n5\t5\t6\n6\t7\t6\n7\t7\t8\n".utf8),
        ]
    }

    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = SyntheticSurvey.hash(state, 1, 2)
            return Int(state % UInt64(max(1, bound)))
        }
    }

    static func mutate(_ input: [UInt8], _ g: inout Generator) -> [UInt8] {
        var bytes = input
        for _ in 0...g.next(3) {
            let position = bytes.isEmpty ? 0 : g.next(bytes.count)
            switch g.next(9) {
            case 0: if !bytes.isEmpty { bytes[position] ^= UInt8(1 << g.next(8)) }
            case 1: bytes = Array(bytes.prefix(position))
            case 2: bytes.insert(UInt8(ascii: "\""), at: position)
            case 3: bytes.insert([UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")][g.next(3)], at: position)
            case 4: bytes.insert(contentsOf: [[10], [13, 10], [13]][g.next(3)], at: position)
            case 5: bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "9"), count: 1 + g.next(5_000)), at: position)
            case 6: bytes.insert(contentsOf: [0xFF, 0xFE, 0xC3][0...g.next(3) % 3], at: position)
            case 7: bytes.insert(0, at: position)
            default: if !bytes.isEmpty { bytes.remove(at: position) }
            }
        }
        return bytes
    }

    static func isTyped(_ error: Error) -> Bool {
        error is any DriverAnalysisError
    }

    @Test func mutantsLoadOrFailWithTypedErrors() throws {
        var g = Generator(state: 20_261_123)
        let file = try TemporaryFile(contents: "")
        var loaded = 0, analysed = 0, rejected = 0
        let seeds = Self.seeds()
        for k in 0..<Self.iterations {
            let mutant = Self.mutate(seeds[k % seeds.count], &g)
            try Data(mutant).write(to: file.url)
            let data: SurveyData
            do {
                data = try SurveyData.load(csv: file.path, options: CSVOptions(chunkSize: 4_096, threads: 2))
                loaded += 1
            } catch {
                #expect(error is SurveyDataError, "mutant \(k): \(error)")
                rejected += 1
                continue
            }
            guard let outcome = data.columnNames.last else { continue }
            do {
                _ = try KeyDriverAnalysis.analyze(data, AnalysisConfiguration(outcome: outcome, methods: [.regression, .correlation, .shapley, .relativeWeights]))
                analysed += 1
            } catch {
                #expect(Self.isTyped(error), "mutant \(k): \(type(of: error)) \(error)")
            }
        }
        print("fuzz: \(Self.iterations) mutants, \(loaded) loaded, \(rejected) rejected with a typed error, \(analysed) analysed")
        #expect(loaded + rejected == Self.iterations)
    }
}
