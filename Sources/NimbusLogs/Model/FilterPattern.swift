import NimbusCore

/// A CloudWatch Logs filter pattern for unstructured log events.
///
/// Supported: space-separated terms that must all appear (`ERROR timeout`), `"exact phrases"`,
/// `?term` (at least one of the `?` terms must appear) and `-term` (must not appear). Matching
/// is case-sensitive, as on AWS. JSON (`{ $.level = "error" }`), space-delimited (`[ip, …]`)
/// and regular-expression (`%…%`) patterns are refused with `InvalidParameterException` until
/// Nimbus implements them.
/// See https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
struct FilterPattern: Sendable, Hashable {
    /// Matches every event.
    static let all = FilterPattern()

    var required: [String] = []
    var anyOf: [String] = []
    var excluded: [String] = []

    init() {}

    /// - Throws: `InvalidParameterException` for a pattern form Nimbus does not support yet or a malformed term.
    init(parsing text: String) throws(AWSError) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" }
        while index < scalars.count, isSpace(scalars[index]) { index += 1 }
        if index < scalars.count {
            switch scalars[index] {
            case "{": throw Self.unsupported("JSON filter patterns ({ $.field = value })")
            case "[": throw Self.unsupported("space-delimited filter patterns ([field1, field2, …])")
            case "%": throw Self.unsupported("regular-expression filter patterns (%regex%)")
            default: break
            }
        }
        while index < scalars.count {
            if isSpace(scalars[index]) {
                index += 1
                continue
            }
            var kind: Unicode.Scalar? = nil
            if scalars[index] == "?" || scalars[index] == "-", index + 1 < scalars.count, !isSpace(scalars[index + 1]) {
                kind = scalars[index]
                index += 1
            }
            var term = ""
            if scalars[index] == "\"" {
                index += 1
                var closed = false
                while index < scalars.count {
                    let scalar = scalars[index]
                    index += 1
                    if scalar == "\\", index < scalars.count {
                        term.unicodeScalars.append(scalars[index])
                        index += 1
                    } else if scalar == "\"" {
                        closed = true
                        break
                    } else {
                        term.unicodeScalars.append(scalar)
                    }
                }
                guard closed else { throw AWSError.invalidParameter("Invalid filter pattern: a quoted term is not closed") }
            } else {
                while index < scalars.count, !isSpace(scalars[index]) {
                    term.unicodeScalars.append(scalars[index])
                    index += 1
                }
                let allowed = term.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType != nil }
                guard allowed else {
                    throw AWSError.invalidParameter(
                        "Invalid character(s) in term '\(term)': terms with characters other than letters, digits and _ must be in double quotes"
                    )
                }
            }
            guard !term.isEmpty else { continue }
            switch kind {
            case "?": anyOf.append(term)
            case "-": excluded.append(term)
            default: required.append(term)
            }
        }
    }

    /// Whether `message` matches (the same test the store runs in SQL).
    func matches(_ message: String) -> Bool {
        required.allSatisfy { message.contains($0) }
            && (anyOf.isEmpty || anyOf.contains { message.contains($0) })
            && !excluded.contains { message.contains($0) }
    }

    private static func unsupported(_ form: String) -> AWSError {
        AWSError.invalidParameter(
            "Nimbus does not support \(form) yet; use space-separated terms, \"quoted phrases\", ?any-of and -excluded terms"
        )
    }
}
