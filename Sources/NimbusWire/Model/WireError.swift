/// A failure to turn bytes into values (or back) in the wire layer; names the piece at fault.
package struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    package enum Code: Hashable, Sendable {
        /// The body is not well-formed JSON, XML or form data.
        case malformedBody
        /// A member has the wrong type or an unparsable value.
        case invalidValue
        /// A required member is absent.
        case missingMember
        /// The model shipped with Nimbus is inconsistent (a codegen bug).
        case modelInconsistent
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
}
