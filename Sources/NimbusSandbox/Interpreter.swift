import Foundation
import Synchronization

/// Finds the real interpreter behind a command name, so instances exec it directly.
///
/// Version managers put shims first on `PATH` (pyenv's `python3` is a bash script that costs
/// about 130 ms per start); the interpreter asks itself for its own path once, and that path
/// is what instances run.
package enum Interpreter {
    /// The absolute path of the real `command` (`python3`, `node`), or `nil` when it is not installed.
    package static func resolve(_ command: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) async -> String? {
        guard let found = search(command, in: path ?? "/usr/local/bin:/usr/bin:/bin") else { return nil }
        let question: [String]
        switch command {
        case let name where name.hasPrefix("python"): question = ["-c", "import sys; print(sys.executable)"]
        case "node": question = ["-e", "console.log(process.execPath)"]
        default: return realPath(found)
        }
        return await ask(found, question, path: path).flatMap { FileManager.default.isExecutableFile(atPath: $0) ? realPath($0) : nil }
            ?? realPath(found)
    }

    private static func search(_ command: String, in path: String) -> String? {
        if command.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: command) ? command : nil }
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable arguments` unconfined (with the server's PATH, so shims can find their
    /// versions), waits at most 10 s, and returns its first output line; `nil` when it printed
    /// nothing or failed.
    package static func ask(_ executable: String, _ arguments: [String], path: String?) async -> String? {
        var environment = ["HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/"]
        if let path { environment["PATH"] = path }
        for key in ["PYENV_ROOT", "PYENV_VERSION"] { environment[key] = ProcessInfo.processInfo.environment[key] }
        let first = Mutex<String?>(nil)
        // A question to the host's own interpreter: no confinement needed, and none of its start-up cost.
        let spec = ProcessSpec(
            executable: executable,
            arguments: arguments,
            environment: environment,
            confinement: Confinement(useNamespaces: false, useCgroups: false)
        )
        guard let child = try? ChildProcess(spec, output: { line in first.withLock { $0 = $0 ?? line } }) else { return nil }
        // The deadline kills a hung interpreter, which also closes its output.
        guard case .exited(0) = await child.exit(within: .seconds(10)).exit else { return nil }
        await child.outputFinished()
        return first.withLock { $0 }?.trimmingCharacters(in: .whitespaces)
    }

    private static func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }
}
