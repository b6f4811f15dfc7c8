/// What the qualifier of a function name denotes: `$LATEST` (or none), a published version
/// (`3`), or an alias (`prod`).
enum Qualifier: Hashable {
    case latest
    case version(Int)
    case alias(String)

    init(_ text: String?) {
        guard let text, text != "$LATEST" else {
            self = .latest
            return
        }
        if let number = Int(text), number > 0, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            self = .version(number)
        } else {
            self = .alias(text)
        }
    }

    /// A version as the API writes it: `$LATEST` or the number.
    static func versionName(_ version: Int?) -> String {
        version.map(String.init) ?? "$LATEST"
    }
}
