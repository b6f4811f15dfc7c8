import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A snapshot of every process's parent, process group and resident memory, read from `/proc/<pid>/stat`.
///
/// The fallback for hosts without a memory cgroup: a child's tree is its process group plus every descendant (a
/// descendant that called `setsid` left the group but not the tree).
struct ProcessTable {
    struct Entry {
        var pid: pid_t
        var parent: pid_t
        var group: pid_t
        var residentBytes: Int
    }

    var entries: [Entry] = []

    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    static func scan() -> ProcessTable {
        var table = ProcessTable()
        guard let directory = opendir("/proc") else { return table }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard let pid = pid_t(name), let entry = read(pid) else { continue }
            table.entries.append(entry)
        }
        return table
    }

    /// Parses `/proc/<pid>/stat`: the fields after the command name (which may hold spaces and parentheses).
    private static func read(_ pid: pid_t) -> Entry? {
        let descriptor = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0, let end = buffer[0..<count].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        // After ")": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        // priority nice threads itrealvalue starttime vsize rss.
        let fields = buffer[(end + 1)..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 21, let parent = Int32(fields[1]), let group = Int32(fields[2]), let pages = Int(fields[21]) else { return nil }
        return Entry(pid: pid, parent: parent, group: group, residentBytes: pages * pageSize)
    }

    /// The processes of `root`'s tree: its process group and all its descendants.
    func tree(of root: pid_t) -> [Entry] {
        var children: [pid_t: [Entry]] = [:]
        for entry in entries { children[entry.parent, default: []].append(entry) }
        var members: [pid_t: Entry] = [:]
        for entry in entries where entry.group == root { members[entry.pid] = entry }
        var queue = entries.filter { $0.pid == root }
        while let next = queue.popLast() {
            members[next.pid] = next
            queue += children[next.pid] ?? []
        }
        return Array(members.values)
    }
}

extension Int32 {
    fileprivate init?(_ bytes: ArraySlice<UInt8>) {
        guard let value = Int(bytes) else { return nil }
        self.init(truncatingIfNeeded: value)
    }
}

extension Int {
    fileprivate init?(_ bytes: ArraySlice<UInt8>) {
        self.init(String(decoding: bytes, as: UTF8.self))
    }
}
