import Foundation
import NimbusTesting
import Testing

@testable import NimbusStoreSQLite

@Suite struct WALResidencyTests {
    /// The log's pages up to the limit are mapped, locked when the process may lock them, and
    /// follow the log as it grows, is replaced and disappears.
    @Test func keepsTheLogUpToItsLimitAndFollowsIt() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.path + "/test.sqlite-wal"
            try write(bytes: 1_048_576 + 100, to: path)
            var residency = WALResidency(path: path, limit: 2 * 1_048_576)
            residency.refresh()
            #expect(residency.kept.bytes == 1_048_576, "whole pages of the file")
            #expect(try lockedKilobytes(of: path) == (residency.kept.locked ? 1_024 : 0))

            try write(bytes: 3 * 1_048_576, to: path)
            residency.refresh()
            #expect(residency.kept.bytes == 2 * 1_048_576, "no more than the limit")
            #expect(try lockedKilobytes(of: path) == (residency.kept.locked ? 2_048 : 0))

            // SQLite deletes the log only when every connection has closed; a new one is another file.
            try FileManager.default.removeItem(atPath: path)
            try write(bytes: 8_192, to: path)
            residency.refresh()
            #expect(residency.kept.bytes == 8_192)
            #expect(try lockedKilobytes(of: path) == (residency.kept.locked ? 8 : 0))

            try FileManager.default.removeItem(atPath: path)
            residency.refresh()
            #expect(residency.kept.bytes == 0)
            #expect(try mappings(of: path).isEmpty)
        }
    }

    /// Locking is what keeps the pages when the kernel reclaims clean file pages: root (which
    /// `RLIMIT_MEMLOCK` does not bind) always locks.
    @Test(.enabled(if: getuid() == 0)) func rootLocks() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.path + "/test.sqlite-wal"
            try write(bytes: 4_096, to: path)
            var residency = WALResidency(path: path, limit: 1_048_576)
            residency.refresh()
            #expect(residency.kept.locked)
            #expect(try lockedKilobytes(of: path) == 4)
        }
    }

    private func write(bytes count: Int, to path: String) throws {
        try Data(repeating: 1, count: count).write(to: URL(fileURLWithPath: path))
    }

    /// `/proc/self/<name>`, read to its end (`/proc` files report no size).
    private func procFile(_ name: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/" + name))
        defer { try? handle.close() }
        return String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
    }

    /// The lines of `/proc/self/maps` that map `path`.
    private func mappings(of path: String) throws -> [String] {
        try procFile("maps").split(separator: "\n").filter { $0.hasSuffix(" " + path) }.map(
            String.init
        )
    }

    /// The `Locked:` kilobytes `/proc/self/smaps` reports for the mappings of `path`.
    private func lockedKilobytes(of path: String) throws -> Int {
        var total = 0
        var inMapping = false
        for line in try procFile("smaps").split(separator: "\n") {
            if let first = line.first, first.isHexDigit, line.contains("-") {
                inMapping = line.hasSuffix(" " + path)
            } else if inMapping, line.hasPrefix("Locked:") {
                total += Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
            }
        }
        return total
    }
}
