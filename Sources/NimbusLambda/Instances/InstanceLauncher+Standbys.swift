import Foundation
import Logging
import NimbusCore
import NimbusRuntimes
import NimbusSandbox

/// Cold starts on standby runtimes (`Standbys`): giving one a function, and keeping each
/// runtime's standbys topped up.
extension InstanceLauncher {
    /// Gives `standby` the function: its limits, its code at the task root and its environment.
    /// `nil` when the standby cannot take it (it died, or this host refuses the mount: standbys
    /// then stop for good, and the caller spawns).
    func adopt(
        _ standby: Standby,
        function: LambdaShapes.FunctionConfiguration,
        key: InstanceKey,
        codeDirectory: String
    ) async -> Instance? {
        let id = String(RequestID.make().filter { $0 != "-" })
        let log = InstanceLog(functionName: key.functionName, version: key.version, instanceID: id, shipper: shipper, clock: clock)
        let memorySize = function.memorySize ?? 128
        let child = standby.child
        do throws(SandboxError) {
            try child.updateLimits(
                memoryLimitBytes: memorySize * 1_048_576,
                cpuShares: Self.cpuShares(memorySize),
                temporaryDirectoryBytes: Int(function.ephemeralStorage?.size ?? 512) * 1_048_576
            )
            if child.isNamespaced { try child.mountTaskDirectory(codeDirectory) }
            try child.setScheduling(.batch)
        } catch {
            if error.code == .mount || error.code == .scheduling, await standbys.disable(because: "\(error)") {
                logger.warning("standby runtimes are off: this host refused to give one a function", metadata: ["error": "\(error)"])
            }
            await standby.stop()
            return nil
        }
        let taskRoot = child.isNamespaced ? Confinement.taskRoot : codeDirectory
        let environment = await environment(
            of: function,
            taskRoot: taskRoot,
            runtimeDirectory: standby.runtimeDirectory,
            runtimeAPI: standby.binding.address,
            log: log
        )
        let variables = child.environment(for: environment.variables)
        let assignment = (try? JSONSerialization.data(withJSONObject: variables, options: [.sortedKeys])).map { [UInt8]($0) } ?? []
        standby.output.attach(log)
        let assigned = ContinuousClock.now
        guard standby.session.assign(assignment) else {
            await standby.stop()
            return nil
        }
        let instance = Instance(
            id: id,
            key: key,
            log: log,
            memorySize: memorySize,
            child: child,
            session: standby.session,
            binding: standby.binding,
            deadlines: deadlines,
            spawned: assigned
        )
        instance.watch()
        return instance
    }

    /// Tops up the standbys of `function`'s runtime in the background, to `settings.standbyInstances`
    /// served by each thread: after a cold start has answered, so that starting them does not slow it.
    func keepStandbys(for function: LambdaShapes.FunctionConfiguration) {
        let runtime = function.runtime ?? ""
        guard settings.standbyInstances > 0, RuntimeBootstraps.path(for: runtime) != nil else { return }
        Task {
            // Nimbus's own bootstrap: the code directory plays no part in its command.
            guard let command = try? await command(for: runtime, codeDirectory: "") else { return }
            for home in listener.homes {
                while await standbys.reserve(command.executable, on: home, upTo: settings.standbyInstances) {
                    let standby = await startStandby(command, on: home)
                    await standbys.shelve(standby, for: command.executable, on: home)
                    // One that did not start is tried again at the runtime's next cold start, not at once.
                    if standby == nil { return }
                }
            }
        }
    }

    /// A runtime process started with no function (`--standby`), once it waits for one; `nil`
    /// when it could not start or did not get that far within the Init phase's 10 s.
    private func startStandby(_ command: Command, on home: ObjectIdentifier) async -> Standby? {
        // 128 random bits; the runtime's environment is readable only inside its own sandbox.
        let token = (0..<2).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined(separator: "-")
        let session = RuntimeSession(standbyToken: token)
        guard let binding = try? await listener.open(for: session, on: home) else { return nil }
        let taskRoot = sandboxed ? Confinement.taskRoot : command.runtimeDirectory
        var environment = InstanceEnvironment.base(searchPath: await searchPath(), taskRoot: taskRoot)
        environment["AWS_LAMBDA_RUNTIME_API"] = binding.address
        environment["_NIMBUS_STANDBY_TOKEN"] = token
        let spec = ProcessSpec(
            executable: command.executable,
            arguments: command.arguments + ["--standby"],
            environment: environment,
            workingDirectory: taskRoot,
            limits: Self.limits,
            // A function's smallest limits until it gets one; the code directory is mounted then.
            confinement: confinement(
                memorySize: 128,
                temporaryDirectoryMegabytes: 512,
                cpus: binding.cpus,
                taskDirectory: nil,
                runtimeDirectory: command.runtimeDirectory,
                // Its start takes only CPU time nothing else wants: it must not slow the cold
                // start that asked for it, nor anything else running.
                scheduling: .idle
            )
        )
        let output = StandbyOutput()
        let child: ChildProcess
        do {
            child = try ChildProcess(spec) { line in output.write(line) }
        } catch {
            await binding.close()
            return nil
        }
        let standby = Standby(child: child, session: session, binding: binding, output: output, runtimeDirectory: command.runtimeDirectory)
        // Watched from the start: a runtime that dies before it asks for its function ends the wait.
        standby.watch()
        let deadline = deadlines.arm(at: .now + .seconds(10)) { child.kill() }
        let waiting = await session.standbyReady()
        deadlines.disarm(deadline)
        guard waiting else {
            if standby.claim() { await standby.stop() }
            return nil
        }
        return standby
    }
}
