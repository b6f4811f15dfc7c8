import NIOCore
import NIOPosix
import NimbusLambda
import NimbusSandbox
import Testing

@testable import NimbusServer

/// An instance's Runtime API is served by one event loop: the loop of the invocation that
/// launched it, so that the caller's later invocations on that connection find the instance
/// there (`InstancePool.take(_:near:)`), and the loops in turn for launches from elsewhere.
@Suite struct RuntimeAPIServerTests {
    @Test func aListenerOpenedOnALoopIsServedByIt() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = RuntimeAPIServer(group: group)
        for loop in group.makeIterator() {
            // Twice from the same loop: round-robin would give the second to the other loop.
            let bindings = try await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
                #expect(server.currentHome() == ObjectIdentifier(loop))
                return [try await server.open(for: RuntimeSession()), try await server.open(for: RuntimeSession())]
            }
            let cpus = try await loop.submit { CPUAffinity.ofCurrentThread() }.get()
            for binding in bindings {
                #expect(binding.home == ObjectIdentifier(loop) && binding.cpus == cpus)
                await binding.close()
            }
        }
        #expect(server.currentHome() == nil)
        let homes = try await [server.open(for: RuntimeSession()), server.open(for: RuntimeSession())]
        #expect(Set(homes.map(\.home)).count == 2)
        for binding in homes { await binding.close() }
        try await group.shutdownGracefully()
    }

    /// A standby's listener is served by the loop it is asked for, whichever loop asks.
    @Test func aListenerGoesToTheLoopItIsAskedFor() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = RuntimeAPIServer(group: group)
        #expect(server.homes == group.makeIterator().map { ObjectIdentifier($0) })
        let caller = try #require(group.makeIterator().map { $0 }.first)
        for home in server.homes {
            let binding = try await withTaskExecutorPreference(EventLoopTaskExecutor(caller)) {
                try await server.open(for: RuntimeSession(standbyToken: "t"), on: home)
            }
            #expect(binding.home == home)
            await binding.close()
        }
        try await group.shutdownGracefully()
    }
}
