/// A step of starting a child process that failed, with the path and errno involved.
package struct SandboxError: Error, Hashable, Sendable, CustomStringConvertible {
    package enum Code: Hashable, Sendable {
        case pipe
        case spawn
        case missingExecutable
    }

    package let code: Code
    package let path: String
    package let errno: Int32

    package var description: String { "\(code) \(path): errno \(errno)" }
}
