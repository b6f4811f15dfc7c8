/// The warm instances of every function version. Each instance serves one invocation at a
/// time: an invocation takes an idle instance of its version (the most recently used, so
/// warm state stays warm) or the invoker launches a new one, which is how the pool scales out.
/// Instances of an outdated configuration are never handed out again.
///
/// The pool only decides; the invoker starts and stops the processes it names.
actor InstancePool {
    private struct Idle {
        var instance: Instance
        var since: ContinuousClock.Instant
    }

    private var idle: [InstanceKey: [Idle]] = [:]
    /// The configuration each function's invocations use now.
    private var current: [String: InstanceKey] = [:]
    /// Every instance that has not been stopped, by id.
    private var live: [String: Instance] = [:]

    /// An idle instance of `key` to run an invocation on, or `nil` when a new one is needed;
    /// also the idle instances of the function's older configurations, which the caller stops.
    func take(_ key: InstanceKey) -> (instance: Instance?, outdated: [Instance]) {
        var outdated: [Instance] = []
        if let previous = current[key.functionName], previous != key {
            outdated = (idle.removeValue(forKey: previous) ?? []).map(\.instance)
            for instance in outdated { live[instance.id] = nil }
        }
        current[key.functionName] = key
        while let candidate = idle[key]?.popLast() {
            if candidate.instance.isUsable { return (candidate.instance, outdated) }
            live[candidate.instance.id] = nil
        }
        return (nil, outdated)
    }

    /// Counts a newly launched instance.
    func admit(_ instance: Instance) {
        live[instance.id] = instance
    }

    /// Takes an instance back after an invocation. Returns `false` when it must be stopped
    /// instead (it died, timed out, or its configuration is outdated).
    func release(_ instance: Instance) -> Bool {
        guard instance.isUsable, current[instance.key.functionName] == instance.key else {
            live[instance.id] = nil
            return false
        }
        idle[instance.key, default: []].append(Idle(instance: instance, since: .now))
        return true
    }

    /// Forgets a function (deleted): returns its idle instances to stop. Busy ones are
    /// refused on release.
    func retire(functionName: String) -> [Instance] {
        current[functionName] = nil
        let keys = idle.keys.filter { $0.functionName == functionName }
        let retired = keys.flatMap { idle.removeValue(forKey: $0) ?? [] }.map(\.instance)
        for instance in retired { live[instance.id] = nil }
        return retired
    }

    /// Idle instances unused for `limit` or longer, removed from the pool for the caller to stop.
    func expired(idleFor limit: Duration, now: ContinuousClock.Instant = .now) -> [Instance] {
        var expired: [Instance] = []
        for (key, entries) in idle {
            let (old, fresh) = (entries.filter { now - $0.since >= limit }, entries.filter { now - $0.since < limit })
            guard !old.isEmpty else { continue }
            idle[key] = fresh.isEmpty ? nil : fresh
            expired += old.map(\.instance)
        }
        for instance in expired { live[instance.id] = nil }
        return expired
    }

    /// Every live instance, removed from the pool (shutdown).
    func drain() -> [Instance] {
        defer {
            idle = [:]
            live = [:]
        }
        return Array(live.values)
    }

    /// How many instances run, and how many of them are idle.
    var counts: (live: Int, idle: Int) { (live.count, idle.values.reduce(0) { $0 + $1.count }) }
}
