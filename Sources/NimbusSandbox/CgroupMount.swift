import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One line of `/proc/self/mountinfo` for a cgroup file system.
struct Mount {
    var root: String
    var point: String
    var type: String
    var options: [String]

    static func all() -> [Mount] {
        parse((try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "")
    }

    /// The cgroup and cgroup2 mounts in `mountinfo` text.
    static func parse(_ text: String) -> [Mount] {
        text.split(separator: "\n").compactMap { line in
            // id parent major:minor root point options [optional…] - type source super-options
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2 else { return nil }
            let left = halves[0].split(separator: " ")
            let right = halves[1].split(separator: " ")
            guard left.count >= 5, right.count >= 3, right[0] == "cgroup" || right[0] == "cgroup2" else { return nil }
            return Mount(
                root: String(left[3]),
                point: String(left[4]),
                type: String(right[0]),
                options: right[2].split(separator: ",").map(String.init)
            )
        }
    }

    /// The directory of the cgroup at `path` (as `/proc/self/cgroup` names it) inside this mount, if writable.
    func directory(for path: String) -> String? {
        guard let directory = self.path(for: path) else { return nil }
        return access(directory, W_OK) == 0 ? directory : nil
    }

    /// Where the cgroup at `path` appears under this mount; `nil` when the mount does not contain it (a container
    /// that sees only its own subtree mounts it with that subtree as `root`).
    func path(for path: String) -> String? {
        let relative: Substring
        if root == "/" {
            relative = Substring(path)
        } else if path == root || path.hasPrefix(root + "/") {
            relative = path.dropFirst(root.count)
        } else {
            return nil
        }
        return relative == "/" || relative.isEmpty ? point : point + relative
    }
}

/// One line of `/proc/self/cgroup`: `id:controllers:path`.
struct Membership {
    var id: Int
    var controllers: [String]
    var path: String

    static func ofSelf() -> [Membership] {
        parse((try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? "")
    }

    static func parse(_ text: String) -> [Membership] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, let id = Int(fields[0]) else { return nil }
            return Membership(id: id, controllers: fields[1].split(separator: ",").map(String.init), path: String(fields[2]))
        }
    }
}
