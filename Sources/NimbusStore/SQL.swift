/// A SQL statement built by string interpolation: interpolated values become bound
/// parameters, never text, so a statement cannot be injected.
///
///     let statement: SQL = "SELECT body FROM messages WHERE queue = \(queueID) AND id > \(lastID)"
///
/// Text that must be spliced (a table name chosen by code, never by input) says so: `\(raw: name)`.
package struct SQL: Sendable, Hashable, ExpressibleByStringInterpolation {
    /// The statement, split where parameters go; `fragments.count == binds.count + 1`.
    package private(set) var fragments: [String]
    package private(set) var binds: [SQLValue]

    package init(stringLiteral value: String) {
        fragments = [value]
        binds = []
    }

    package init(stringInterpolation: StringInterpolation) {
        fragments = stringInterpolation.fragments
        binds = stringInterpolation.binds
    }

    /// The statement text with `placeholder(n)` (1-based) in place of each parameter.
    package func text(placeholder: (Int) -> String) -> String {
        var text = fragments[0]
        text.reserveCapacity(fragments.reduce(0) { $0 + $1.utf8.count } + 4 * binds.count)
        for index in binds.indices {
            text += placeholder(index + 1) + fragments[index + 1]
        }
        return text
    }

    package struct StringInterpolation: StringInterpolationProtocol {
        var fragments: [String] = [""]
        var binds: [SQLValue] = []

        package init(literalCapacity: Int, interpolationCount: Int) {
            // Reserved up front: an insert of a batch interpolates dozens of values.
            fragments.reserveCapacity(interpolationCount + 1)
            binds.reserveCapacity(interpolationCount)
        }

        package mutating func appendLiteral(_ literal: String) {
            fragments[fragments.count - 1] += literal
        }

        package mutating func appendInterpolation(_ value: some SQLBindable) {
            binds.append(value.sqlValue)
            fragments.append("")
        }

        package mutating func appendInterpolation(_ value: (some SQLBindable)?) {
            binds.append(value?.sqlValue ?? .null)
            fragments.append("")
        }

        /// Splices `text` into the statement verbatim. Only for identifiers chosen by code.
        package mutating func appendInterpolation(raw text: String) {
            fragments[fragments.count - 1] += text
        }
    }
}

/// A value bound to a statement parameter or read from a column.
package enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

/// A Swift value that can be bound as a SQL parameter.
package protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension Int: SQLBindable { package var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLBindable { package var sqlValue: SQLValue { .integer(self) } }
extension Double: SQLBindable { package var sqlValue: SQLValue { .double(self) } }
extension String: SQLBindable { package var sqlValue: SQLValue { .text(self) } }
extension Bool: SQLBindable { package var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension Array: SQLBindable where Element == UInt8 { package var sqlValue: SQLValue { .blob(self) } }
extension SQLValue: SQLBindable { package var sqlValue: SQLValue { self } }
