import Foundation

extension AnalysisConfiguration {
    /// What a driver is to the business, which decides whether it gets a what-if and a row in
    /// the action list.
    public enum DriverRole: String, Sendable, Codable, CaseIterable {
        /// Something the business can change (a touchpoint rating, a service, a price): a what-if
        /// and a place in the action list.
        case lever
        /// A profile attribute (gender, age, region, senior citizen, marital status…): in the
        /// model and the importance table, but no what-if and no action.
        case attribute
        /// An always-in covariate (``AnalysisConfiguration/controls``): adjusted for, given no importance.
        case control
    }

    /// A declared role for the columns a pattern matches (`--role COL=attribute`, globs allowed).
    public struct RoleDeclaration: Sendable, Equatable, Codable {
        /// The columns (a name or a glob such as `s*`).
        public let pattern: ColumnPattern
        /// Their role.
        public let role: DriverRole
        /// `pattern`'s columns have `role`.
        ///
        /// - Parameters:
        ///   - pattern: a column name or a glob (`*`, `?`), as ``ColumnPattern`` reads it.
        ///   - role: the role of every column the pattern matches.
        public init(_ pattern: String, _ role: DriverRole) { self.pattern = ColumnPattern(pattern); self.role = role }
    }

    /// What a numeric driver measures, when its values alone would mislead: a count of calls
    /// (0–9) looks like a 0–10 rating but is not one.
    public enum DeclaredKind: String, Sendable, Codable, CaseIterable {
        /// A rating on a scale (declared with ``AnalysisConfiguration/scales`` or inferred).
        case rating
        /// A count (calls, contacts, products held, months): never a rating, never on the matrix.
        case count
        /// An amount (spend, charges, balance): never a rating, never on the matrix.
        case amount
        /// A 0/1 attribute.
        case binary
        /// Categories, dummy-coded against a reference level.
        case factor
    }

    /// A declared kind for the columns a pattern matches (`--kind COL=count`, globs allowed).
    public struct KindDeclaration: Sendable, Equatable, Codable {
        /// The columns (a name or a glob).
        public let pattern: ColumnPattern
        /// Their kind.
        public let kind: DeclaredKind
        /// `pattern`'s columns are of `kind`.
        ///
        /// - Parameters:
        ///   - pattern: a column name or a glob (`*`, `?`), as ``ColumnPattern`` reads it.
        ///   - kind: what every column the pattern matches measures.
        public init(_ pattern: String, _ kind: DeclaredKind) { self.pattern = ColumnPattern(pattern); self.kind = kind }
    }

    /// The configuration with the columns declared ``DriverRole/control`` (names or globs) among
    /// ``controls`` and out of ``drivers``.
    ///
    /// - Parameter columns: the data's column names, matched against the ``DriverRole/control`` declarations;
    ///   the outcome and columns already among ``controls`` are skipped.
    public func resolvingControlRoles(columns: [String]) -> AnalysisConfiguration {
        guard roles.contains(where: { $0.role == .control }) else { return self }
        var c = self
        for name in columns where declaredRole(of: name) == .control && !c.controls.contains(name) && name != outcome {
            c.controls.append(name)
        }
        c.drivers = drivers?.filter { declaredRole(of: $0) != .control }
        return c
    }

    /// The role of driver `column`: declared; else a lever when a move is declared for it; else an
    /// attribute when it is `derived` from other columns or its name is a common profile name
    /// (`tenure`, `Customer_Age`, `region`…; the internal `defaultRole(of:)`); else a lever. The one rule of the file, streamed and warehouse paths.
    ///
    /// - Parameters:
    ///   - column: the driver's column name.
    ///   - derived: whether the column is derived from other columns (an attribute unless declared otherwise);
    ///     default `false`.
    public func role(of column: String, derived: Bool = false) -> DriverRole {
        if let declared = declaredRole(of: column) { return declared }
        if levelMoves.contains(where: { $0.column == column }) { return .lever }
        return derived ? .attribute : Self.defaultRole(of: column)
    }

    /// How a factor's what-if reads: a move the business can make when declared (a
    /// `--what-if-move`, or the driver declared a lever), else the gap between two levels.
    func factorFraming(of column: String) -> DriverReport.WhatIfRow.Framing {
        levelMoves.contains(where: { $0.column == column }) || declaredRole(of: column) == .lever ? .move : .gap
    }

    /// The note naming the drivers read as profile attributes by their names (`nil` for none).
    static func profileAttributesNote(_ names: [String]) -> DriverReport.Warning? {
        guard !names.isEmpty else { return nil }
        return .init(.profileAttributes, "\(names.joined(separator: ", ")) read as profile attributes by their names: in the model and the importance table, but no what-if and no action (declare --role COL=lever to make one a lever)")
    }

    /// The declared role of `column` (the last matching declaration wins), `nil` when none.
    ///
    /// - Parameter column: the column name, matched against each declaration's name or glob.
    public func declaredRole(of column: String) -> DriverRole? {
        roles.last { $0.pattern.matches(column) }?.role
    }

    /// The declared kind of `column` (the last matching declaration wins), `nil` when none.
    ///
    /// - Parameter column: the column name, matched against each declaration's name or glob.
    public func declaredKind(of column: String) -> DeclaredKind? {
        kinds.last { $0.pattern.matches(column) }?.kind
    }

    /// Whether `column` is declared lower-is-better (`--lower-is-better`).
    ///
    /// - Parameter column: the column name, matched against the ``lowerIsBetter`` names and globs.
    public func isLowerBetter(_ column: String) -> Bool {
        lowerIsBetter.contains { $0.matches(column) }
    }

    /// Whether `column` is excluded (`--exclude`).
    ///
    /// - Parameter column: the column name, matched against the ``excluded`` names and globs.
    public func isExcluded(_ column: String) -> Bool {
        excluded.contains { $0.matches(column) }
    }

    /// The declared scale of `column`: the last ``scales`` entry whose column (a name or a glob) matches.
    ///
    /// - Parameter column: the column name; `nil` is returned when no ``scales`` entry matches it.
    public func declaredScale(of column: String) -> RatingScale? {
        scales.last { ColumnPattern($0.column).matches(column) }
    }

    /// Every pattern the configuration declares (roles, kinds, polarity, exclusions, scales),
    /// with the option it came from — each must match a column of the data.
    var declaredPatterns: [(option: String, pattern: ColumnPattern)] {
        roles.map { ("role", $0.pattern) } + kinds.map { ("kind", $0.pattern) } + lowerIsBetter.map { ("lower-is-better", $0) }
            + excluded.map { ("exclude", $0) } + scales.map { ("scale", ColumnPattern($0.column)) }
    }

    /// Names that read as profile attributes rather than levers (case-insensitive, ignoring `_`,
    /// `-` and spaces): demographics and firmographics. Used when a driver's role is not declared.
    static let attributeNames: [String] = [
        "gender", "sex", "age", "agegroup", "ageband", "seniorcitizen", "senior", "maritalstatus", "married", "partner",
        "dependents", "dependentcount", "children", "kids", "householdsize", "income", "incomecategory", "incomeband",
        "education", "educationlevel", "ethnicity", "race", "religion", "nationality", "language", "occupation", "region",
        "country", "state", "province", "city", "zip", "zipcode", "postcode", "postalcode", "areacode", "customertype",
        // Time as a customer is a consequence of staying, not something to pull.
        "tenure", "accountlength", "accountage", "monthsonbook", "customersince",
        "typeoftravel", "purposeoftravel", "travelpurpose",
    ]

    /// Words that make any name a profile attribute (`Customer_Age`, `Income_Category`,
    /// `Marital_Status`, `Dependent_count`).
    static let attributeWords: Set<String> = [
        "age", "gender", "sex", "income", "education", "marital", "married", "ethnicity", "race", "religion", "nationality",
        "region", "country", "dependent", "dependents", "senior", "zip", "zipcode", "postcode", "occupation",
    ]

    /// The default role of a driver whose role is not declared: ``DriverRole/attribute`` when its
    /// name is one of the common profile names (``attributeNames``), else ``DriverRole/lever``.
    static func defaultRole(of column: String) -> DriverRole {
        let key = column.lowercased().filter { $0.isLetter || $0.isNumber }
        if attributeNames.contains(key) { return .attribute }
        return words(of: column).contains(where: attributeWords.contains) ? .attribute : .lever
    }

    /// Words that make a numeric column a count, not a rating, when its kind is not declared
    /// (`Contacts_Count_12_mon`, `CustServ Calls`, `Months_Inactive`, `num_products`).
    static let countWords: [String] = ["count", "calls", "contacts", "visits", "tickets", "complaints", "months", "days", "number", "num", "products", "orders", "purchases", "transactions", "ct"]

    /// Whether a column's name reads as a count (one of ``countWords`` as a word of the name).
    static func namedLikeCount(_ column: String) -> Bool {
        words(of: column).contains { countWords.contains($0) }
    }

    /// The lower-cased words of a column name, split at non-alphanumerics and camelCase
    /// boundaries: `CustServCalls` → cust, serv, calls.
    static func words(of column: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        for ch in column {
            if !(ch.isLetter || ch.isNumber) {
                if !current.isEmpty { words.append(current.lowercased()); current = "" }
                previousLower = false
                continue
            }
            // camelCase boundary: "CustServCalls" → cust, serv, calls.
            if ch.isUppercase && previousLower && !current.isEmpty { words.append(current.lowercased()); current = "" }
            current.append(ch)
            previousLower = ch.isLowercase
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }
}
