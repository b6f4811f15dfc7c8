import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where this server may create cgroups for its children, detected once per process.
///
/// cgroup v2 when `/sys/fs/cgroup` (or wherever `cgroup2` is mounted) offers memory, cpu or pids and the server can
/// delegate them to a `nimbus-<pid>` subtree of its own cgroup; otherwise cgroup v1, one hierarchy per controller,
/// under the server's own path in each. A controller counts only when a directory can really be created there.
struct CgroupHierarchy: Sendable {
    static let controllers = ["memory", "cpu", "pids"]

    /// 1 or 2.
    let version: Int
    /// Controller name → the server's own cgroup directory in that controller's hierarchy (the same for all on v2).
    let ownDirectories: [String: String]

    /// `nimbus-<server pid>`: the directory under the server's own cgroup that holds one cgroup per child.
    static let serverDirectoryName = "nimbus-\(getpid())"

    static let detected: CgroupHierarchy? = {
        let mounts = Mount.all()
        let memberships = Membership.ofSelf()
        let hierarchy = unified(mounts: mounts, memberships: memberships) ?? perController(mounts: mounts, memberships: memberships)
        if let hierarchy { hierarchy.removeStale() }
        return hierarchy
    }()

    /// The writable controllers, in `controllers` order.
    var available: [String] { Self.controllers.filter { ownDirectories[$0] != nil } }

    /// cgroup v2: the server's cgroup must offer the controllers and let it enable them for a child directory.
    private static func unified(mounts: [Mount], memberships: [Membership]) -> CgroupHierarchy? {
        guard let mount = mounts.first(where: { $0.type == "cgroup2" }),
            let own = memberships.first(where: { $0.id == 0 }).flatMap({ mount.directory(for: $0.path) }),
            let offered = try? String(contentsOfFile: "\(own)/cgroup.controllers", encoding: .utf8)
        else { return nil }
        let wanted = controllers.filter { offered.split(whereSeparator: \.isWhitespace).contains(Substring($0)) }
        guard !wanted.isEmpty else { return nil }
        // Processes in a non-root cgroup forbid enabling controllers for its children ("no internal processes"):
        // then only a delegated subtree works (see docs/sandbox.md).
        let delegated = wanted.filter { CgroupFile.write("+\($0)", to: "\(own)/cgroup.subtree_control") == 0 }
        guard !delegated.isEmpty else { return nil }
        let probe = "\(own)/\(serverDirectoryName)"
        guard mkdir(probe, 0o755) == 0 || errno == EEXIST else { return nil }
        rmdir(probe)
        return CgroupHierarchy(version: 2, ownDirectories: Dictionary(uniqueKeysWithValues: delegated.map { ($0, own) }))
    }

    /// cgroup v1: per controller, the server's own directory in that controller's hierarchy, if a child can be made.
    private static func perController(mounts: [Mount], memberships: [Membership]) -> CgroupHierarchy? {
        var directories: [String: String] = [:]
        for controller in controllers {
            guard let mount = mounts.first(where: { $0.type == "cgroup" && $0.options.contains(controller) }),
                let membership = memberships.first(where: { $0.controllers.contains(controller) }),
                let own = mount.directory(for: membership.path)
            else { continue }
            let probe = "\(own)/\(serverDirectoryName)"
            guard mkdir(probe, 0o755) == 0 || errno == EEXIST else { continue }
            rmdir(probe)
            directories[controller] = own
        }
        return directories.isEmpty ? nil : CgroupHierarchy(version: 1, ownDirectories: directories)
    }

    /// Kills and removes the `nimbus-<pid>` directories of servers that died without cleaning up.
    private func removeStale() {
        for own in Set(ownDirectories.values) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: own) else { continue }
            for name in names where name.hasPrefix("nimbus-") && name != Self.serverDirectoryName {
                guard let server = Int32(name.dropFirst("nimbus-".count)), kill(server, 0) != 0, errno == ESRCH else { continue }
                let directory = "\(own)/\(name)"
                for child in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                    var info = stat()
                    guard stat("\(directory)/\(child)", &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
                    _ = try? CgroupFile.killAll(in: ["\(directory)/\(child)"], sparing: nil)
                    rmdir("\(directory)/\(child)")
                }
                rmdir(directory)
            }
        }
    }
}
