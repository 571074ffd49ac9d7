import Foundation
import LinearAlgebra

/// What every error of the library is: a `LocalizedError` whose message names the file, row
/// and column (or driver, option, term) concerned, with a stable ``code`` for programs.
///
/// The library's families — ``SurveyDataError`` (reading and selecting data), ``ModelError``
/// (fitting), ``ImportanceError`` (importance measures), ``CXError`` (value and NPS),
/// ``AnalysisError`` (the analysis configuration), ``DistributionError`` and
/// `LinearAlgebraError` — all conform, so one `catch let error as DriverAnalysisError` covers them:
///
/// ```swift
/// do { _ = try survey.sample(outcome: "no_such_column", drivers: drivers) }
/// catch let error as DriverAnalysisError { print(error.code, error.localizedDescription) }
/// ```
public protocol DriverAnalysisError: LocalizedError, CustomStringConvertible, Sendable {
    /// A stable identifier, `family.case` (e.g. `survey_data.unknownColumn`), for programs
    /// that branch on the kind of failure. It does not change when the message is reworded.
    var code: String { get }
}

extension DriverAnalysisError {
    /// The family name and the enum case, read from the value itself.
    public var code: String {
        let family = String(describing: type(of: self)).replacingOccurrences(of: "Error", with: "")
        // snake_case that keeps an acronym whole: SurveyData → survey_data, CX → cx, SQLEngine → sql_engine.
        let letters = Array(family)
        var snake = ""
        for (i, ch) in letters.enumerated() {
            let previous = i > 0 ? letters[i - 1] : nil, next = i + 1 < letters.count ? letters[i + 1] : nil
            if ch.isUppercase, let previous, previous.isLowercase || (previous.isUppercase && next?.isLowercase == true) { snake.append("_") }
            snake.append(Character(ch.lowercased()))
        }
        let caseName = Mirror(reflecting: self).children.first?.label ?? String(describing: self).prefix { $0.isLetter }.description
        return "\(snake).\(caseName)"
    }

    /// The message (`description`), with terminal control characters made visible.
    public var errorDescription: String? { Escaping.message(description, limit: 2_000) }
}

extension SurveyDataError: DriverAnalysisError {}
extension ModelError: DriverAnalysisError {}
extension ImportanceError: DriverAnalysisError {}
extension CXError: DriverAnalysisError {}
extension DistributionError: DriverAnalysisError {}
extension LinearAlgebraError: DriverAnalysisError {}
