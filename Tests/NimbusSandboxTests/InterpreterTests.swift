import Foundation
import NimbusRuntimes
import NimbusSandbox
import Testing

@Suite struct InterpreterTests {
    @Test func resolvesPythonPastShims() async throws {
        let python = try #require(await Interpreter.resolve("python3"), "python3 is on every machine of this kind")
        #expect(!python.contains("/shims/"))
        let firstLine = try String(contentsOfFile: python, encoding: .isoLatin1).prefix(2)
        #expect(firstLine != "#!", "\(python) is a script, not the interpreter")
        let (child, output) = try start(ProcessSpec(executable: python, arguments: ["-c", "print(40 + 2)"]))
        #expect(await child.exit() == .exited(0))
        await child.outputFinished()
        #expect(output.received == ["42"])
    }

    @Test func missingCommandsAreNil() async {
        #expect(await Interpreter.resolve("no-such-interpreter-here") == nil)
    }

    @Test func bootstrapsShipAsResources() throws {
        let python = try #require(RuntimeBootstraps.path(for: "python3.12"))
        #expect(FileManager.default.fileExists(atPath: python))
        let node = try #require(RuntimeBootstraps.path(for: "nodejs20.x"))
        #expect(FileManager.default.fileExists(atPath: node))
        #expect(RuntimeBootstraps.path(for: "provided.al2023") == nil)
    }
}
