import ArgumentParser
import DriverAnalysis
import Foundation

/// `kda demo`: runs end to end on bundled data with no arguments.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the analysis end to end on bundled data.")

    func run() throws {
        func say(_ text: String) throws { try StandardStreams.writeOutput(text + "\n") }
        guard let telco = Bundle.module.url(forResource: "Telco-Customer-Churn", withExtension: "csv", subdirectory: "Resources") else {
            throw UsageError(message: "the bundled Telco data is missing from the kda resources")
        }
        try say("DriverAnalysis \(KeyDriverAnalysis.version) — kda demo\n")
        try say("1. What drives churn, and what is each lever worth? (IBM Telco sample, 7,043 customers;")
        try say("   contract, internet and payment type as categorical drivers; margin = monthly charges,")
        try say("   1 % monthly discount rate; the moves the business can make declared: month-to-month → one-year")
        try say("   contracts, online security and tech support sold, electronic check → bank transfer;")
        try say("   tenure, senior citizen and paperless billing are profile attributes, fibre → DSL a gap, not an action)\n")
        let data = try SurveyData.load(csv: telco.path)
        var churn = AnalysisConfiguration(
            outcome: "Churn",
            drivers: ["Contract", "InternetService", "OnlineSecurity", "TechSupport", "PaymentMethod", "PaperlessBilling",
                      "tenure", "MonthlyCharges", "SeniorCitizen"],
            event: "Yes", margin: .column("MonthlyCharges"), discountRate: 0.01, whatIfDelta: 6)
        churn.levelMoves = [.init(column: "Contract", from: "Month-to-month", to: "One year"), .init(column: "OnlineSecurity", from: "No", to: "Yes"),
                            .init(column: "TechSupport", from: "No", to: "Yes"),
                            .init(column: "PaymentMethod", from: "Electronic check", to: "Bank transfer (automatic)")]
        churn.roles = [.init("PaperlessBilling", .attribute)]     // a marker of who churns, not a lever
        try say(try KeyDriverAnalysis.analyze(data, churn).table())

        try say("2. What drives overall satisfaction? (synthetic survey: 5,000 respondents, 8 touchpoints on 0–10)\n")
        let survey = try SyntheticSurvey(respondents: 5_000, touchpoints: 8, seed: 2026)
        let satisfaction = AnalysisConfiguration(outcome: "satisfaction", drivers: survey.touchpointNames)
        try say(try KeyDriverAnalysis.analyze(survey.generate(), satisfaction).table())

        try say("""
        Try next:
          kda generate --respondents 100000 --touchpoints 12 --outcome churn --output survey.csv
          kda analyze survey.csv --outcome churn --margin 40 --discount-rate 0.01 --what-if-delta 1
          kda analyze survey.csv --outcome churn --format html --output report.html --chart matrix.svg
          kda analyze survey.csv --outcome churn --bootstrap 200 --format json
          kda analyze export.csv --outcome satisfaction --event "neutral or dissatisfied" --na-values "wifi=0"
          kda analyze --engine 'sqlite3 -csv -header survey.db' --table survey --outcome churn --event 1 --drivers wifi,billing,support
          kda sql --table cx.survey --outcome churn --drivers wifi,billing,support --dialect duckdb
        """)
    }
}
