/// One result row: column values by name.
package struct SQLRow: Sendable, Hashable {
    package var columns: [String: SQLValue]

    package init(columns: [String: SQLValue]) {
        self.columns = columns
    }

    package subscript(_ column: String) -> SQLValue {
        columns[column] ?? .null
    }

    package func string(_ column: String) -> String? {
        if case .text(let text) = self[column] { return text }
        return nil
    }

    package func int(_ column: String) -> Int64? {
        switch self[column] {
        case .integer(let value): value
        case .double(let value): Int64(exactly: value)
        default: nil
        }
    }

    package func double(_ column: String) -> Double? {
        switch self[column] {
        case .double(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    package func bytes(_ column: String) -> [UInt8]? {
        switch self[column] {
        case .blob(let bytes): bytes
        case .text(let text): Array(text.utf8)
        default: nil
        }
    }
}
