/// Composing statements from statements, for services that build queries from parts.
extension SQL.StringInterpolation {
    /// Splices another statement in place: its text verbatim, its parameters as parameters.
    package mutating func appendInterpolation(sql: SQL) {
        appendInterpolation(raw: sql.fragments[0])
        for index in sql.binds.indices {
            appendInterpolation(sql.binds[index])
            appendInterpolation(raw: sql.fragments[index + 1])
        }
    }
}

extension SQL {
    /// `parts` one after the other, with `separator` (text chosen by code) between them.
    package static func joined(_ parts: [SQL], separator: String) -> SQL {
        var interpolation = SQL.StringInterpolation(literalCapacity: 0, interpolationCount: parts.reduce(0) { $0 + $1.binds.count })
        for (index, part) in parts.enumerated() {
            if index > 0 { interpolation.appendInterpolation(raw: separator) }
            interpolation.appendInterpolation(sql: part)
        }
        return SQL(stringInterpolation: interpolation)
    }

    /// `AND`-joined conditions, or a condition that always holds when there are none.
    package static func all(_ conditions: [SQL]) -> SQL {
        conditions.isEmpty ? "1 = 1" : joined(conditions, separator: " AND ")
    }

    /// Whether `column` contains `text` (case-sensitive), in the backend's dialect.
    package static func contains(_ column: String, _ text: String, dialect: SQLDialect) -> SQL {
        switch dialect {
        case .sqlite: "instr(\(raw: column), \(text)) > 0"
        case .postgres: "strpos(\(raw: column), \(text)) > 0"
        }
    }

    /// Whether `column` starts with `prefix` (case-sensitive), in any dialect.
    package static func hasPrefix(_ column: String, _ prefix: String) -> SQL {
        "substr(\(raw: column), 1, \(prefix.unicodeScalars.count)) = \(prefix)"
    }

    /// `(a, b, c)` for an `IN` list of ids.
    package static func list(_ ids: some Collection<Int64>) -> SQL {
        var interpolation = SQL.StringInterpolation(literalCapacity: 0, interpolationCount: ids.count)
        interpolation.appendInterpolation(raw: "(")
        for (index, id) in ids.enumerated() {
            if index > 0 { interpolation.appendInterpolation(raw: ", ") }
            interpolation.appendInterpolation(id)
        }
        interpolation.appendInterpolation(raw: ")")
        return SQL(stringInterpolation: interpolation)
    }
}
