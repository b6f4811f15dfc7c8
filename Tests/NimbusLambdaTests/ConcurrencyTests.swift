import NimbusCore
import NimbusTesting
import Testing

@testable import NimbusLambda

@Suite struct ConcurrencyLimiterTests {
    @Test func reservedFunctionsRunUpToTheirReservationOutsideTheSharedPool() throws {
        let limiter = ConcurrencyLimiter(accountLimit: 103)
        limiter.setReserved(2, for: "reserved")
        #expect(limiter.unreserved == 101)
        let first = try limiter.acquire("reserved").get()
        _ = try limiter.acquire("reserved").get()
        #expect(throws: ConcurrencyLimiter.RefusalError.self) { try limiter.acquire("reserved").get() }
        #expect(limiter.running("reserved") == 2)
        limiter.release(first)
        _ = try limiter.acquire("reserved").get()

        // The other functions share the 101 left, whatever the reserved one does.
        var permits: [ConcurrencyLimiter.Permit] = []
        for index in 0..<101 { permits.append(try limiter.acquire("f\(index % 3)").get()) }
        switch limiter.acquire("f0") {
        case .success: Issue.record("the unreserved pool is exhausted")
        case .failure(let refusal): #expect(refusal.refusal == .account)
        }
        limiter.release(permits[0])
        _ = try limiter.acquire("f0").get()
    }

    @Test func zeroReservedIsAlwaysThrottled() {
        let limiter = ConcurrencyLimiter(accountLimit: 1000)
        limiter.setReserved(0, for: "off")
        guard case .failure(let refusal) = limiter.acquire("off") else {
            Issue.record("a function with no reserved concurrency ran")
            return
        }
        #expect(refusal.refusal == .reserved)
        #expect(refusal.awsError.status == 429)
        #expect(refusal.awsError.details["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded")
    }

    @Test func invocationsRunningWhenAReservationIsSetCountAgainstIt() throws {
        let limiter = ConcurrencyLimiter(accountLimit: 101)
        let shared = try limiter.acquire("f").get()
        limiter.setReserved(1, for: "f")
        #expect(throws: ConcurrencyLimiter.RefusalError.self) { try limiter.acquire("f").get() }
        limiter.release(shared)
        // The permit went back to the shared pool it came from; `f` now runs on its reservation.
        _ = try limiter.acquire("f").get()
        _ = try limiter.acquire("g").get()
        #expect(limiter.unreserved == 100)
    }
}

@Suite struct AliasRoutingTests {
    @Test func picksTheAdditionalVersionWithItsWeight() throws {
        let routing = try AliasRouting(functionVersion: "1", weights: ["2": 0.25])
        #expect(routing.pick(0.0) == "2")
        #expect(routing.pick(0.2499) == "2")
        #expect(routing.pick(0.25) == "1")
        #expect(routing.pick(0.99) == "1")
        #expect(try AliasRouting(functionVersion: "$LATEST", weights: nil).pick(0.1) == "$LATEST")
    }

    @Test func rejectsWhatAWSRejects() {
        let bad: [(String, [String: Double]?)] = [
            ("prod", nil), ("1", ["2": 1.5]), ("1", ["2": -0.1]), ("1", ["1": 0.5]), ("$LATEST", ["2": 0.5]),
            ("1", ["2": 0.1, "3": 0.1]), ("1", ["$LATEST": 0.5]),
        ]
        for (version, weights) in bad {
            #expect(throws: (any Error).self, "\(version) \(String(describing: weights))") {
                try AliasRouting(functionVersion: version, weights: weights)
            }
        }
    }

    @Test func qualifiersAreVersionsAliasesOrLatest() {
        #expect(Qualifier(nil) == .latest)
        #expect(Qualifier("$LATEST") == .latest)
        #expect(Qualifier("12") == .version(12))
        #expect(Qualifier("prod") == .alias("prod"))
        #expect(Qualifier("0") == .alias("0"))
        #expect(Qualifier("1a") == .alias("1a"))
    }
}
