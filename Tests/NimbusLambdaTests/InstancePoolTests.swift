import Logging
import NimbusCore
import NimbusSandbox
import NimbusTesting
import Testing

@testable import NimbusLambda

/// A Runtime API binding that listens nowhere: the pool never talks to it.
private struct UnboundAPI: RuntimeAPIBinding {
    var address: String { "127.0.0.1:0" }
    var home: ObjectIdentifier
    var cpus: [Int] { [] }
    /// How long closing takes (a listener closes on its event loop, which may be busy).
    var closing: Duration = .zero
    func close() async { try? await Task.sleep(for: closing) }
}

private struct DiscardingSink: LogSink {
    func append(_ events: [NimbusCore.LogEvent], group: String, stream: String) async throws {}
}

/// An instance whose process is `sleep`: real enough to be stopped, never asked to run an event.
/// Threads that serve Runtime API listeners, for `take(_:near:)`.
private final class Home {}

private func instance(
    _ key: InstanceKey,
    home: Home = Home(),
    command: [String] = ["/bin/sleep", "30"],
    closing: Duration = .zero
) throws -> Instance {
    let id = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    let shipper = LogShipper(sink: DiscardingSink(), logger: .init(label: "test"))
    let spec = ProcessSpec(executable: command[0], arguments: Array(command.dropFirst()), confinement: Confinement(useNamespaces: false))
    let child = try ChildProcess(spec) { _ in }
    let instance = Instance(
        id: id,
        key: key,
        log: InstanceLog(functionName: key.functionName, version: key.version, instanceID: id, shipper: shipper, clock: TestWallClock()),
        memorySize: 128,
        child: child,
        session: RuntimeSession(),
        binding: UnboundAPI(home: ObjectIdentifier(home), closing: closing),
        deadlines: DeadlineWatch(),
        spawned: .now
    )
    instance.watch()
    return instance
}

@Suite struct InstancePoolTests {
    let v1 = InstanceKey(functionName: "fn", version: "$LATEST", revision: "r1")
    let v2 = InstanceKey(functionName: "fn", version: "$LATEST", revision: "r2")

    @Test func aReleasedInstanceIsReusedAndABusyOneIsNot() async throws {
        let pool = InstancePool()
        #expect(await pool.take(v1).instance == nil)
        let first = try instance(v1)
        await pool.admit(first)
        // While `first` is busy, a second invocation needs a new instance: the pool scales out.
        #expect(await pool.take(v1).instance == nil)
        let second = try instance(v1)
        await pool.admit(second)
        #expect(await pool.release(first))
        #expect(await pool.release(second))
        // The most recently used comes back first.
        #expect(await pool.take(v1).instance === second)
        #expect(await pool.take(v1).instance === first)
        #expect(await pool.counts == (live: 2, idle: 0))
        for instance in await pool.drain() { await instance.stop() }
    }

    /// An invocation prefers an idle instance served by the thread it arrived on, the most
    /// recently used of those, and takes the most recently used of any other thread otherwise.
    @Test func anInstanceOnTheCallersThreadComesFirst() async throws {
        let pool = InstancePool()
        let (here, there) = (Home(), Home())
        _ = await pool.take(v1)
        let near = try instance(v1, home: here)
        let far = try instance(v1, home: there)
        let farther = try instance(v1, home: there)
        for instance in [near, far, farther] {
            await pool.admit(instance)
            #expect(await pool.release(instance))
        }
        #expect(await pool.take(v1, near: ObjectIdentifier(here)).instance === near)
        #expect(await pool.take(v1, near: ObjectIdentifier(here)).instance === farther)
        #expect(await pool.take(v1, near: nil).instance === far)
        for instance in [near, far, farther] { await instance.stop() }
    }

    /// An instance whose process ended is unusable by the time its runtime's session says so,
    /// even while its listener is still closing: the pool must not take it back.
    @Test func aDeadInstanceIsUnusableOnceItsSessionEnds() async throws {
        let dying = try instance(v1, command: ["/bin/sh", "-c", "exit 3"], closing: .seconds(2))
        #expect(await dying.initialize(within: .seconds(10)) == .ended)
        #expect(!dying.isUsable)
        let pool = InstancePool()
        _ = await pool.take(v1)
        await pool.admit(dying)
        #expect(await !pool.release(dying))
    }

    @Test func aNewConfigurationNeverRunsOnOldInstances() async throws {
        let pool = InstancePool()
        _ = await pool.take(v1)
        let old = try instance(v1)
        await pool.admit(old)
        let busyOld = try instance(v1)
        await pool.admit(busyOld)
        #expect(await pool.release(old))

        let (warm, outdated) = await pool.take(v2)
        #expect(warm == nil)
        #expect(outdated.map(\.id) == [old.id])
        // The busy instance of the old configuration is refused when it comes back.
        #expect(await !pool.release(busyOld))
        for instance in outdated + [busyOld] { await instance.stop() }
    }

    @Test func deadInstancesAreSkipped() async throws {
        let pool = InstancePool()
        _ = await pool.take(v1)
        let dying = try instance(v1)
        await pool.admit(dying)
        #expect(await pool.release(dying))
        await dying.stop()
        #expect(await pool.take(v1).instance == nil)
        #expect(await pool.counts == (live: 0, idle: 0))
    }

    @Test func idleInstancesExpire() async throws {
        let pool = InstancePool()
        _ = await pool.take(v1)
        let idle = try instance(v1)
        await pool.admit(idle)
        #expect(await pool.release(idle))
        #expect(await pool.expired(idleFor: .seconds(60)).isEmpty)
        let expired = await pool.expired(idleFor: .seconds(60), now: .now + .seconds(61))
        #expect(expired.map(\.id) == [idle.id])
        #expect(await pool.counts == (live: 0, idle: 0))
        for instance in expired { await instance.stop() }
    }

    @Test func retiringAFunctionStopsItsIdleInstances() async throws {
        let pool = InstancePool()
        _ = await pool.take(v1)
        let idle = try instance(v1)
        await pool.admit(idle)
        #expect(await pool.release(idle))
        let retired = await pool.retire(functionName: "fn")
        #expect(retired.map(\.id) == [idle.id])
        for instance in retired { await instance.stop() }
    }

    @Test func keptInstancesOutliveTheIdleTimeoutAndVersionsDoNotShareInstances() async throws {
        let pool = InstancePool()
        let one = InstanceKey(functionName: "fn", version: "1", revision: "a")
        _ = await pool.take(one)
        _ = await pool.take(v1)
        let first = try instance(one)
        let second = try instance(one)
        let latest = try instance(v1)
        for each in [first, second, latest] { await pool.admit(each) }
        await pool.keepWarm(1, of: one.functionVersion)
        for each in [first, second, latest] { #expect(await pool.release(each)) }
        // Version 1 and $LATEST are both current: neither makes the other outdated.
        #expect(await pool.idleCount(of: one) == 2)
        let expired = await pool.expired(idleFor: .seconds(60), now: .now + .seconds(61))
        // The most recently released instance of version 1 is kept warm; the rest expire.
        #expect(Set(expired.map(\.id)) == [first.id, latest.id])
        #expect(await pool.take(one).instance === second)
        for instance in expired + (await pool.drain()) { await instance.stop() }
    }
}
