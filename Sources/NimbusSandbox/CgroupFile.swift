import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reading and writing cgroup control files, which take one `write` each and report failure through its errno.
enum CgroupFile {
    /// Writes `value` with a single `write`; returns 0 or the errno.
    static func write(_ value: String, to path: String) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        let bytes = Array(value.utf8)
        return Glibc.write(descriptor, bytes, bytes.count) == bytes.count ? 0 : errno
    }

    static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A file holding one decimal number (`memory.failcnt`…), read with one `read` into a stack buffer.
    static func integer(_ path: String) -> Int? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return integer(descriptor)
    }

    /// The decimal number at the start of the open file `descriptor`, read with one `pread` at
    /// offset 0 (which reads a control file's current value again, however often it was read).
    static func integer(_ descriptor: Int32) -> Int? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer -> Int? in
            var count = -1
            repeat { count = pread(descriptor, buffer.baseAddress, buffer.count, 0) } while count < 0 && errno == EINTR
            guard count > 0 else { return nil }
            var value = 0
            var digits = 0
            for byte in buffer[0..<count] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
                let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                value = shifted + Int(byte - UInt8(ascii: "0"))
                digits += 1
            }
            return digits > 0 ? value : nil
        }
    }

    /// The value of `key` in a flat-keyed file such as `memory.events` or `memory.oom_control` (`key value` lines).
    static func field(_ key: String, in path: String) -> Int? {
        guard let text = read(path) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == key { return Int(parts[1]) }
        }
        return nil
    }

    static func processes(in directory: String) -> [pid_t] {
        (read("\(directory)/cgroup.procs") ?? "").split(separator: "\n").compactMap { pid_t($0) }
    }

    /// SIGKILLs every process in `directories` until none is left (new forks included), or throws after 5 s.
    /// - Parameter sparing: a pid not to wait for (the reaped or about-to-be-reaped main child).
    static func killAll(in directories: [String], sparing: pid_t?) throws(SandboxError) {
        if directories.count == 1, access("\(directories[0])/cgroup.kill", W_OK) == 0 {
            _ = write("1", to: "\(directories[0])/cgroup.kill")
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let remaining = Set(directories.flatMap { processes(in: $0) }).subtracting(sparing.map { [$0] } ?? [])
            if remaining.isEmpty { return }
            guard ContinuousClock.now < deadline else {
                throw SandboxError(code: .cgroupKill, path: directories[0], errno: EBUSY)
            }
            for pid in remaining { _ = kill(pid, SIGKILL) }
            usleep(1000)
        }
    }
}

/// A cgroup file holding one number, kept open for reading again: an invocation's `REPORT`
/// line reads the peak memory, and opening and closing the file each time cost more than the read.
final class CgroupCounter: Sendable {
    private let descriptor: Int32

    /// Opens `path`; `nil` when the kernel has no such file.
    init?(path: String) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
    }

    /// The file's current value.
    var value: Int? { CgroupFile.integer(descriptor) }

    deinit { close(descriptor) }
}
