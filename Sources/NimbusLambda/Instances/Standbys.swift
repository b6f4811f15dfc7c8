import NimbusSandbox
import Synchronization

/// A runtime process started before any function needed it: Nimbus's python or node bootstrap
/// with `--standby`, confined as an instance is (with a function's smallest limits and an empty
/// `/var/task`), waiting on its Runtime API for the function it is to run. A cold start that
/// takes it skips the interpreter's start: the launcher sets the function's limits, mounts its
/// code and answers with its environment, and the runtime goes on to load the handler.
final class Standby: Sendable {
    let child: ChildProcess
    let session: RuntimeSession
    let binding: any RuntimeAPIBinding
    let output: StandbyOutput
    let runtimeDirectory: String
    private let state = Mutex(State())

    private struct State {
        /// Taken off the shelf: whoever took it stops it or makes it an instance.
        var claimed = false
        var ended = false
    }

    init(child: ChildProcess, session: RuntimeSession, binding: any RuntimeAPIBinding, output: StandbyOutput, runtimeDirectory: String) {
        self.child = child
        self.session = session
        self.binding = binding
        self.output = output
        self.runtimeDirectory = runtimeDirectory
    }

    /// Whether a function's variables let it run on a standby: none of them acts only when an
    /// interpreter starts (`NODE_OPTIONS`, `PYTHONPATH`, `LD_PRELOAD`, the locale…).
    static func fits(_ function: LambdaShapes.FunctionConfiguration) -> Bool {
        !(function.environment?.variables ?? [:]).keys.contains(where: actsAtStart)
    }

    private static func actsAtStart(_ name: String) -> Bool {
        let prefixes = ["PYTHON", "NODE_", "LD_", "MALLOC_", "GLIBC_", "UV_", "OPENSSL_", "SSL_CERT_", "LC_"]
        return prefixes.contains { name.hasPrefix($0) } || ["LANG", "LANGUAGE", "AWS_LAMBDA_EXEC_WRAPPER"].contains(name)
    }

    /// Claims the standby for an instance; `false` when its process has already ended.
    func claim() -> Bool {
        state.withLock { state in
            guard !state.ended else { return false }
            state.claimed = true
            return true
        }
    }

    /// Watches the process while it waits on the shelf: when it ends unclaimed, its Runtime API
    /// stops answering (a claimed one is its instance's to watch).
    func watch() {
        Task {
            _ = await child.exit()
            let claimed = state.withLock { state in
                state.ended = true
                return state.claimed
            }
            guard !claimed else { return }
            session.end()
            await binding.close()
        }
    }

    /// Stops the process and its listener.
    func stop() async {
        child.kill()
        _ = await child.exit()
        session.end()
        await binding.close()
    }
}

/// Where a standby's output goes: kept until the standby has a function, then that function's log.
final class StandbyOutput: Sendable {
    private let state = Mutex<(log: InstanceLog?, early: [String])>((nil, []))

    func write(_ line: String) {
        let log = state.withLock { state -> InstanceLog? in
            if state.log == nil, state.early.count < 1000 { state.early.append(line) }
            return state.log
        }
        log?.write(line)
    }

    /// Sends what was printed so far, and every line from now on, to `log`.
    func attach(_ log: InstanceLog) {
        let early = state.withLock { state in
            state.log = log
            defer { state.early = [] }
            return state.early
        }
        for line in early { log.write(line) }
    }
}

/// The standbys ready for cold starts, per runtime command (an interpreter's path) and per
/// thread serving their Runtime API, and how many more are starting. A cold start prefers one
/// served by the thread its invocation arrived on: the caller's next invocations arrive there
/// too, and reach the instance without a hop to another thread. The launcher tops a command up
/// after each cold start of its runtime, so a server keeps standbys only of the runtimes its
/// functions use.
actor Standbys {
    private struct Shelf: Hashable {
        var command: String
        var home: ObjectIdentifier
    }

    private var ready: [Shelf: [Standby]] = [:]
    private var starting: [Shelf: Int] = [:]
    /// Why standbys stopped for good (the host refused to give one a function).
    private(set) var disabled: String?

    /// A ready standby of `command` that `fits`, claimed: one served by `home` when there is one,
    /// else any; `nil` when there is none.
    func take(_ command: String, near home: ObjectIdentifier?, where fits: (Standby) -> Bool) -> Standby? {
        guard disabled == nil else { return nil }
        let shelves = ready.keys.filter { $0.command == command }.sorted { $0.home == home && $1.home != home }
        for shelf in shelves {
            while let index = ready[shelf]?.firstIndex(where: fits), let standby = ready[shelf]?.remove(at: index) {
                if ready[shelf]?.isEmpty == true { ready[shelf] = nil }
                if standby.claim() { return standby }
            }
        }
        return nil
    }

    /// Whether one more standby of `command` served by `home` should start, to keep `count` of
    /// them; it counts as starting until `shelve`.
    func reserve(_ command: String, on home: ObjectIdentifier, upTo count: Int) -> Bool {
        let shelf = Shelf(command: command, home: home)
        guard disabled == nil, (ready[shelf]?.count ?? 0) + (starting[shelf] ?? 0) < count else { return false }
        starting[shelf, default: 0] += 1
        return true
    }

    /// Puts a started standby on its shelf (`nil`: it failed to start); stops it when standbys are off.
    func shelve(_ standby: Standby?, for command: String, on home: ObjectIdentifier) async {
        let shelf = Shelf(command: command, home: home)
        starting[shelf, default: 1] -= 1
        guard let standby else { return }
        guard disabled == nil else {
            await standby.stop()
            return
        }
        ready[shelf, default: []].append(standby)
    }

    /// Stops every standby and starts no more; `true` the first time.
    @discardableResult
    func disable(because reason: String) async -> Bool {
        let first = disabled == nil
        disabled = disabled ?? reason
        let shelved = ready.values.flatMap { $0 }
        ready = [:]
        for standby in shelved where standby.claim() { await standby.stop() }
        return first
    }
}
