import ArgumentParser
import DriverAnalysis
import Foundation

/// The options that name a profile's sources, shared by `kda profile` and `kda analyze --source`.
struct ProfileSourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A source [NAME=]PATH:KEY, e.g. crm.csv:customerID or calls=exports/calls.csv:CustID (repeatable; the first is the base: one profile row per customer of it; NAME defaults to the file name without extension).", valueName: "[NAME=]PATH:KEY"))
    var source: [String] = []
    @Option(name: [.customLong("repeated"), .customLong("repeat")],
            help: ArgumentHelp("Which answer a source keeps for a customer on several rows: SOURCE=latest:DATECOL, SOURCE=earliest:DATECOL, SOURCE=first, SOURCE=last or SOURCE=mean[:DATECOL] (repeatable). Without one, repeated keys are refused.", valueName: "SOURCE=RULE"))
    var repeated: [String] = []
    @Option(help: "sensitive or insensitive: whether keys that differ only in case are one customer.")
    var keyCase: String = "sensitive"

    /// `--repeated` and `--key-case` describe sources: without `--source` they would be ignored.
    func validate() throws {
        if source.isEmpty && (!repeated.isEmpty || keyCase != "sensitive") {
            throw ValidationError("--repeated and --key-case describe the --source exports; give the sources with --source PATH:KEY")
        }
    }

    /// One parsed `--source`.
    struct Spec: Equatable {
        let name: String
        let path: String
        let key: String
    }

    /// `[NAME=]PATH:KEY`: a NAME is the text before the first `=` when it holds no `/` or `:`;
    /// the key follows the last `:`.
    static func spec(_ text: String) throws -> Spec {
        var rest = Substring(text), name: String? = nil
        if let equals = rest.firstIndex(of: "="), !rest[..<equals].contains("/"), !rest[..<equals].contains(":") {
            name = rest[..<equals].trimmingCharacters(in: .whitespaces)
            rest = rest[rest.index(after: equals)...]
        }
        guard let colon = rest.lastIndex(of: ":") else {
            throw UsageError(message: "--source takes [NAME=]PATH:KEY, e.g. calls.csv:CustID — which column of '\(text)' holds the customer id? (got no ':KEY')")
        }
        let path = String(rest[..<colon]), key = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty, !key.isEmpty else { throw UsageError(message: "--source takes [NAME=]PATH:KEY with a path and a key column (got '\(text)')") }
        if let name, name.isEmpty { throw UsageError(message: "--source NAME=PATH:KEY needs a name before '=' (got '\(text)')") }
        return Spec(name: name ?? ProfileSource.defaultName(forPath: path), path: path, key: key)
    }

    /// Every `--source`, checked: at least one, names distinct.
    func specs() throws -> [Spec] {
        guard !source.isEmpty else { throw UsageError(message: "give the sources with --source PATH:KEY (the first is the base, e.g. the CRM)") }
        let specs = try source.map(Self.spec)
        var seen = Set<String>()
        for spec in specs where !seen.insert(spec.name).inserted {
            throw UsageError(message: ProfileError.duplicateSourceName(name: spec.name).description)
        }
        return specs
    }

    /// `--repeated SOURCE=RULE` by source name.
    func rules(_ names: [String]) throws -> [String: RepeatedAnswerRule] {
        var rules: [String: RepeatedAnswerRule] = [:]
        for text in repeated {
            guard let equals = text.firstIndex(of: "=") else {
                throw UsageError(message: "--repeated takes SOURCE=RULE, e.g. calls=latest:answered_at (got '\(text)')")
            }
            let name = text[..<equals].trimmingCharacters(in: .whitespaces)
            guard names.contains(name) else { throw UsageError(message: "--repeated \(text): " + ProfileError.unknownSource(name: name, known: names).description) }
            guard rules[name] == nil else { throw UsageError(message: "--repeated gives two rules for '\(name)'") }
            do { rules[name] = try RepeatedAnswerRule(parsing: String(text[text.index(after: equals)...])) } catch {
                throw UsageError(message: "--repeated \(text): a rule is latest:DATECOL, earliest:DATECOL, first, last, mean or mean:DATECOL")
            }
        }
        return rules
    }

    /// Splits `--scale` values into those for a source (`SOURCE:COL=LO..HI`) and the rest.
    static func sourceScales(_ scales: [AnalysisConfiguration.RatingScale], names: [String])
        -> (bySource: [String: [AnalysisConfiguration.RatingScale]], rest: [AnalysisConfiguration.RatingScale]) {
        var bySource: [String: [AnalysisConfiguration.RatingScale]] = [:], rest: [AnalysisConfiguration.RatingScale] = []
        for scale in scales {
            if let colon = scale.column.firstIndex(of: ":"), names.contains(String(scale.column[..<colon])) {
                let column = String(scale.column[scale.column.index(after: colon)...])
                bySource[String(scale.column[..<colon]), default: []].append(.init(column: column, lower: scale.lower, upper: scale.upper))
            } else {
                rest.append(scale)
            }
        }
        return (bySource, rest)
    }

    /// Reads the sources and joins them. Repeated keys without a rule are a usage problem (exit 2).
    func profile(scales: [String: [AnalysisConfiguration.RatingScale]], csv: CSVOptions) throws -> CustomerProfile {
        guard let keyCase = ProfileOptions.KeyCase(rawValue: keyCase) else {
            throw UsageError(message: "--key-case must be sensitive or insensitive, not '\(keyCase)'")
        }
        let specs = try specs()
        let rules = try rules(specs.map(\.name))
        let sources = try specs.map { spec -> ProfileSource in
            do { try InputFile.check(spec.path) } catch let error as SurveyDataError {
                throw ProfileError.sourceData(source: spec.name, error: error)
            }
            return try ProfileSource.load(csv: spec.path, key: spec.key, name: spec.name, repeated: rules[spec.name],
                                          scales: scales[spec.name] ?? [], options: csv)
        }
        do {
            return try SurveyData.joined(sources, options: ProfileOptions(keyCase: keyCase))
        } catch let error as ProfileError {
            switch error {
            case .repeatedKeys, .duplicateSourceName, .unknownSource: throw UsageError(message: error.description)
            default: throw error
            }
        }
    }
}
