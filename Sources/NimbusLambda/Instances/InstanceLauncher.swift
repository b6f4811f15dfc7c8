import Foundation
import Logging
import NimbusCore
import NimbusRuntimes
import NimbusSandbox
import Synchronization

/// Where instances run and what they may see: set by the server at start.
package struct InstanceSettings: Sendable {
    /// Where each instance's private `/tmp` is created.
    package var temporaryRoot: String
    /// Paths a function must not see (the platform's data directory).
    package var hiddenPaths: [String]
    /// Use Linux namespaces (bubblewrap) when the host has them.
    package var useNamespaces: Bool
    /// How long an idle instance stays warm.
    package var idleTimeout: Duration
    /// Runtime processes kept started ahead of cold starts, per runtime command in use and per
    /// thread serving Runtime APIs (see `Standbys`).
    package var standbyInstances: Int
    package var region: String
    package var credentials: FunctionCredentials
    /// The most invocations the account runs at once (AWS's default quota: 1,000).
    package var accountConcurrency: Int

    package init(
        temporaryRoot: String,
        hiddenPaths: [String] = [],
        useNamespaces: Bool = true,
        idleTimeout: Duration = .seconds(600),
        standbyInstances: Int = 1,
        region: String = "us-east-1",
        credentials: FunctionCredentials,
        accountConcurrency: Int = 1000
    ) {
        self.temporaryRoot = temporaryRoot
        self.hiddenPaths = hiddenPaths
        self.useNamespaces = useNamespaces
        self.idleTimeout = idleTimeout
        self.standbyInstances = standbyInstances
        self.region = region
        self.credentials = credentials
        self.accountConcurrency = accountConcurrency
    }
}

/// Starts instances: a Runtime API listener, then the runtime's process confined as AWS
/// confines it (memory, CPU share, processes, files, a private `/tmp`, read-only code).
final class InstanceLauncher: Sendable {
    let settings: InstanceSettings
    let listener: any RuntimeAPIListener
    let shipper: LogShipper
    let clock: any WallClock
    let interpreters = InterpreterCache()
    /// The timeouts of every instance this launcher starts.
    let deadlines = DeadlineWatch()
    /// Where Nimbus's edge listens (known once the server has bound it).
    let endpoint = Mutex<String?>(nil)
    /// Runtime processes started ahead of cold starts.
    let standbys = Standbys()

    let logger: Logger

    init(settings: InstanceSettings, listener: any RuntimeAPIListener, shipper: LogShipper, clock: any WallClock, logger: Logger) {
        self.settings = settings
        self.listener = listener
        self.shipper = shipper
        self.clock = clock
        self.logger = logger
    }

    /// An instance of `function` running the code in `codeDirectory`, not yet initialised: a
    /// standby given the function when one fits it, otherwise a process spawned for it.
    /// - Throws: `LaunchError` when the runtime cannot be started.
    func launch(_ function: LambdaShapes.FunctionConfiguration, key: InstanceKey, codeDirectory: String) async throws(LaunchError) -> Instance {
        let command = try await command(for: function.runtime ?? "", codeDirectory: codeDirectory)
        if command.hasStandbys, settings.standbyInstances > 0 {
            let memorySize = function.memorySize ?? 128
            // A standby runs on its thread's CPUs: it fits a function that would run there too.
            let standby = await standbys.take(command.executable, near: listener.currentHome()) {
                Self.runsOn($0.binding.cpus, memorySize: memorySize) && Standby.fits(function)
            }
            if let standby, let instance = await adopt(standby, function: function, key: key, codeDirectory: codeDirectory) { return instance }
        }
        return try await spawn(command, function: function, key: key, codeDirectory: codeDirectory)
    }

    /// Starts `command` for `function` in a new confined process.
    private func spawn(
        _ command: Command,
        function: LambdaShapes.FunctionConfiguration,
        key: InstanceKey,
        codeDirectory: String
    ) async throws(LaunchError) -> Instance {
        // 32 hex digits, as in AWS's log stream names; from the seeded generator, no system call.
        let id = String(RequestID.make().filter { $0 != "-" })
        let log = InstanceLog(functionName: key.functionName, version: key.version, instanceID: id, shipper: shipper, clock: clock)
        let session = RuntimeSession()
        let binding: any RuntimeAPIBinding
        do {
            binding = try await listener.open(for: session)
        } catch {
            throw LaunchError(type: "Runtime.Unknown", detail: "could not open the Runtime API listener: \(error)")
        }
        let memorySize = function.memorySize ?? 128
        let taskRoot = sandboxed ? Confinement.taskRoot : codeDirectory
        let environment = await environment(
            of: function,
            taskRoot: taskRoot,
            runtimeDirectory: command.runtimeDirectory,
            runtimeAPI: binding.address,
            log: log
        )
        let spec = ProcessSpec(
            executable: command.executable,
            arguments: command.arguments,
            environment: environment.variables,
            workingDirectory: taskRoot,
            limits: Self.limits,
            confinement: confinement(
                memorySize: memorySize,
                temporaryDirectoryMegabytes: function.ephemeralStorage?.size ?? 512,
                cpus: binding.cpus,
                taskDirectory: codeDirectory,
                runtimeDirectory: command.runtimeDirectory,
                // Woken by its event, the runtime waits until the loop that wrote it is done
                // instead of preempting it halfway (an involuntary switch per invocation before).
                scheduling: .batch
            )
        )
        let spawned = ContinuousClock.now
        let child: ChildProcess
        do {
            child = try ChildProcess(spec) { line in log.write(line) }
        } catch {
            await binding.close()
            throw LaunchError(type: "Runtime.InvalidEntrypoint", detail: "could not start \(command.executable): \(error)")
        }
        let instance = Instance(
            id: id,
            key: key,
            log: log,
            memorySize: memorySize,
            child: child,
            session: session,
            binding: binding,
            deadlines: deadlines,
            spawned: spawned
        )
        instance.watch()
        return instance
    }

    /// Whether instances run in their own namespaces (and see their code at `/var/task`).
    var sandboxed: Bool { settings.useNamespaces && ChildProcess.capabilities.namespaces }

    /// AWS's rlimits for a function's processes.
    static let limits = ResourceLimits(openFiles: 1024, processes: 1024)

    /// AWS's CPU share: 1,769 MB is one vCPU.
    static func cpuShares(_ memorySize: Int) -> Int { max(2, memorySize * 1024 / 1769) }

    /// Whether an instance of `memorySize` MB runs on `cpus`, those of the thread that serves its
    /// Runtime API: as far as its memory's share of CPU fits there; a larger function runs anywhere.
    static func runsOn(_ cpus: [Int], memorySize: Int) -> Bool { memorySize <= 1769 * cpus.count }

    /// How an instance of `memorySize` MB is confined, as AWS confines it.
    func confinement(
        memorySize: Int,
        temporaryDirectoryMegabytes: Int,
        cpus: [Int],
        taskDirectory: String?,
        runtimeDirectory: String,
        scheduling: Confinement.Scheduling
    ) -> Confinement {
        Confinement(
            memoryLimitBytes: memorySize * 1_048_576,
            cpuShares: Self.cpuShares(memorySize),
            cpus: Self.runsOn(cpus, memorySize: memorySize) ? cpus : nil,
            scheduling: scheduling,
            maxProcesses: 1024,
            temporaryDirectoryRoot: settings.temporaryRoot,
            temporaryDirectoryBytes: temporaryDirectoryMegabytes * 1_048_576,
            readOnlyPaths: [runtimeDirectory],
            hiddenPaths: settings.hiddenPaths,
            taskDirectory: taskDirectory,
            useNamespaces: settings.useNamespaces
        )
    }

    func environment(
        of function: LambdaShapes.FunctionConfiguration,
        taskRoot: String,
        runtimeDirectory: String,
        runtimeAPI: String,
        log: InstanceLog
    ) async -> InstanceEnvironment {
        InstanceEnvironment(
            function: function,
            taskRoot: taskRoot,
            runtimeDirectory: runtimeDirectory,
            runtimeAPI: runtimeAPI,
            logGroup: log.group,
            logStream: log.stream,
            region: settings.region,
            credentials: settings.credentials,
            endpointURL: endpoint.withLock { $0 },
            searchPath: await searchPath()
        )
    }

    struct Command {
        var executable: String
        var arguments: [String]
        var runtimeDirectory: String
        /// Nimbus's own bootstrap, which can start as a standby; a zip's `bootstrap` cannot.
        var hasStandbys = false
    }

    /// What runs a runtime: Nimbus's bootstrap on the real interpreter, or the zip's `bootstrap`.
    func command(for runtime: String, codeDirectory: String) async throws(LaunchError) -> Command {
        if let bootstrap = RuntimeBootstraps.path(for: runtime) {
            let name = runtime.hasPrefix("python") ? "python3" : "node"
            guard let interpreter = await interpreters.resolve(name) else {
                throw LaunchError(type: "Runtime.Unknown", detail: "\(runtime) needs \(name), which is not installed on this host")
            }
            var arguments = [bootstrap]
            if name == "python3" {
                // `-S`: no `site` module at start (its .pth hooks can cost tens of milliseconds);
                // the runtime puts the interpreter's site-packages on the path itself.
                arguments = ["-S", bootstrap, "--site-packages", await interpreters.pythonSitePackages().joined(separator: ":")]
            }
            return Command(
                executable: interpreter,
                arguments: arguments,
                runtimeDirectory: (bootstrap as NSString).deletingLastPathComponent,
                hasStandbys: true
            )
        }
        let bootstrap = "\(codeDirectory)/bootstrap"
        guard FileManager.default.fileExists(atPath: bootstrap) else {
            throw LaunchError(type: "Runtime.InvalidEntrypoint", detail: "Couldn't find valid bootstrap(s): [\(bootstrap)]")
        }
        guard FileManager.default.isExecutableFile(atPath: bootstrap) else {
            throw LaunchError(type: "Runtime.InvalidEntrypoint", detail: "fork/exec \(bootstrap): permission denied")
        }
        return Command(executable: bootstrap, arguments: [], runtimeDirectory: codeDirectory)
    }

    /// The real interpreters' folders first, so `python3` in a `provided` bootstrap is never a shim.
    func searchPath() async -> String {
        var folders: [String] = []
        for name in ["python3", "node"] {
            if let path = await interpreters.resolve(name) {
                let folder = (path as NSString).deletingLastPathComponent
                if !folders.contains(folder) { folders.append(folder) }
            }
        }
        return (folders + ["/usr/local/bin", "/usr/bin", "/bin"]).joined(separator: ":")
    }
}

/// Why an instance could not be started; reported to the caller as the invocation's error.
struct LaunchError: Error {
    var type: String
    var detail: String
}

/// Interpreter paths, resolved once per server.
actor InterpreterCache {
    private var resolved: [String: String?] = [:]
    private var sitePackages: [String]?

    /// The python interpreter's site-packages folders (system and user), asked once.
    func pythonSitePackages() async -> [String] {
        if let sitePackages { return sitePackages }
        var folders: [String] = []
        if let python = await resolve("python3") {
            let script = "import site; print(':'.join(site.getsitepackages() + [site.getusersitepackages()]))"
            folders = (await Interpreter.ask(python, ["-c", script], path: nil) ?? "").split(separator: ":").map(String.init)
        }
        sitePackages = folders
        return folders
    }

    func resolve(_ name: String) async -> String? {
        if let known = resolved[name] { return known }
        let path = await Interpreter.resolve(name)
        if name == "python3", let path { await Self.compilePythonRuntime(with: path) }
        resolved[name] = path
        return path
    }

    /// Python instances import Nimbus's runtime as a module (see `Runtimes/python`): compiled
    /// once here, every instance loads its cached bytecode instead of compiling it at start.
    /// Best effort: where the runtime's folder is read-only, instances compile it themselves.
    private static func compilePythonRuntime(with interpreter: String) async {
        guard let bootstrap = RuntimeBootstraps.path(for: "python3") else { return }
        let module = (bootstrap as NSString).deletingLastPathComponent + "/_nimbus_runtime.py"
        _ = await Interpreter.ask(interpreter, ["-m", "py_compile", module], path: nil)
    }
}
