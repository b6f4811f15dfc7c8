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
    /// The configuration each function version's invocations use now.
    private var current: [InstanceKey.FunctionVersion: InstanceKey] = [:]
    /// Every instance that has not been stopped, by id.
    private var live: [String: Instance] = [:]
    /// How many idle instances of a version stay warm however long they idle (provisioned concurrency).
    private var kept: [InstanceKey.FunctionVersion: Int] = [:]

    /// An idle instance of `key` to run an invocation on, or `nil` when a new one is needed;
    /// also the idle instances of the function's older configurations, which the caller stops.
    /// The most recently used instance served by `home` (the thread the invocation arrived on)
    /// comes first, then the most recently used of the others.
    func take(_ key: InstanceKey, near home: ObjectIdentifier? = nil) -> (instance: Instance?, outdated: [Instance]) {
        let outdated = use(key)
        if let home, let position = idle[key]?.lastIndex(where: { $0.instance.home == home && $0.instance.isUsable }) {
            return (idle[key]?.remove(at: position).instance, outdated)
        }
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
        guard instance.isUsable, current[instance.key.functionVersion] == instance.key else {
            live[instance.id] = nil
            return false
        }
        idle[instance.key, default: []].append(Idle(instance: instance, since: .now))
        return true
    }

    /// Forgets a function or one of its versions (deleted): returns its idle instances to stop.
    /// Busy ones are refused on release.
    func retire(functionName: String, version: String? = nil) -> [Instance] {
        let retires = { (key: InstanceKey) in key.functionName == functionName && (version == nil || key.version == version) }
        current = current.filter { !retires($0.value) }
        kept = kept.filter { $0.key.functionName != functionName || (version != nil && $0.key.version != version) }
        let keys = idle.keys.filter(retires)
        let retired = keys.flatMap { idle.removeValue(forKey: $0) ?? [] }.map(\.instance)
        for instance in retired { live[instance.id] = nil }
        return retired
    }

    /// Idle instances unused for `limit` or longer, removed from the pool for the caller to stop;
    /// a version's kept instances (the most recently used) stay.
    func expired(idleFor limit: Duration, now: ContinuousClock.Instant = .now) -> [Instance] {
        var expired: [Instance] = []
        for (key, entries) in idle {
            let keep = current[key.functionVersion] == key ? kept[key.functionVersion] ?? 0 : 0
            let candidates = entries.dropLast(keep)
            let old = candidates.filter { now - $0.since >= limit }
            guard !old.isEmpty else { continue }
            let oldIDs = Set(old.map(\.instance.id))
            let remaining = entries.filter { !oldIDs.contains($0.instance.id) }
            idle[key] = remaining.isEmpty ? nil : remaining
            expired += old.map(\.instance)
        }
        for instance in expired { live[instance.id] = nil }
        return expired
    }

    /// Keeps `count` idle instances of `version` warm from now on (0 lets them expire again).
    func keepWarm(_ count: Int, of version: InstanceKey.FunctionVersion) {
        kept[version] = count > 0 ? count : nil
    }

    /// Idle instances of `key` now.
    func idleCount(of key: InstanceKey) -> Int {
        idle[key]?.count ?? 0
    }

    /// Makes `key` its version's current configuration; returns the idle instances of the
    /// version's older configurations, which the caller stops.
    func use(_ key: InstanceKey) -> [Instance] {
        var outdated: [Instance] = []
        if let previous = current[key.functionVersion], previous != key {
            outdated = (idle.removeValue(forKey: previous) ?? []).map(\.instance)
            for instance in outdated { live[instance.id] = nil }
        }
        current[key.functionVersion] = key
        return outdated
    }

    /// Every live instance, removed from the pool (shutdown).
    func drain() -> [Instance] {
        defer {
            idle = [:]
            live = [:]
        }
        return Array(live.values)
    }

    /// How many instances of `functionName` run, and how many of them are idle.
    func counts(of functionName: String) -> (live: Int, idle: Int) {
        let live = self.live.values.filter { $0.key.functionName == functionName }.count
        let idle = self.idle.filter { $0.key.functionName == functionName }.values.reduce(0) { $0 + $1.count }
        return (live, idle)
    }

    /// How many instances run, and how many of them are idle.
    var counts: (live: Int, idle: Int) { (live.count, idle.values.reduce(0) { $0 + $1.count }) }
}
