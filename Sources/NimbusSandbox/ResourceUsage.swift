/// What a child used of its confinement; final once `ChildProcess.exit()` has returned.
package struct ResourceUsage: Sendable, Hashable {
    /// The most memory the child's tree held at once: the memory cgroup's peak (page cache included), or the highest
    /// summed RSS the fallback watchdog saw. `nil` when nothing measured it.
    package var peakMemoryBytes: Int?
    /// Whether the memory limit ended the child: the kernel's OOM killer fired in its cgroup, or the fallback
    /// watchdog killed the tree for exceeding `Confinement.memoryLimitBytes`.
    package var outOfMemory: Bool
    /// Whether the tree was killed because its `/tmp` grew past `Confinement.temporaryDirectoryBytes`.
    package var temporaryDirectoryExceeded: Bool

    package init(peakMemoryBytes: Int? = nil, outOfMemory: Bool = false, temporaryDirectoryExceeded: Bool = false) {
        self.peakMemoryBytes = peakMemoryBytes
        self.outOfMemory = outOfMemory
        self.temporaryDirectoryExceeded = temporaryDirectoryExceeded
    }
}
