import Crypto
import Foundation
import NimbusCore
import ZIPFoundation

/// A deployment package: a zip validated against AWS's limits and unpacked once, by its
/// SHA-256, into a read-only directory.
struct CodePackage {
    /// AWS: 50 MB for a zip uploaded directly, 250 MB unzipped.
    static let maximumZippedSize = 52_428_800
    static let maximumUnzippedSize: UInt64 = 262_144_000

    let bytes: [UInt8]
    /// Base64 SHA-256 of the zip, as `CodeSha256` reports it.
    let sha256: String
    /// Hex SHA-256, used for file and blob names.
    let hexDigest: String

    /// Validates `bytes` as a zip within AWS's limits whose entries stay inside the package.
    /// - Throws: `RequestEntityTooLargeException`, or `InvalidParameterValueException` naming the problem.
    init(zip bytes: [UInt8]) throws(AWSError) {
        guard bytes.count <= Self.maximumZippedSize else {
            throw AWSError(
                code: "RequestEntityTooLargeException",
                status: 413,
                message: "Request must be smaller than \(Self.maximumZippedSize) bytes for the CreateFunction operation"
            )
        }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw .invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.")
        }
        var unzipped: UInt64 = 0
        for entry in archive {
            let path = entry.path
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains(".."), !path.contains("\\") else {
                throw .invalidParameter("The zip entry '\(path)' would be written outside the function's code directory")
            }
            unzipped += entry.uncompressedSize
        }
        guard unzipped < Self.maximumUnzippedSize else {
            throw .invalidParameter("Unzipped size must be smaller than \(Self.maximumUnzippedSize) bytes")
        }
        let digest = SHA256.hash(data: bytes)
        self.bytes = bytes
        sha256 = Data(digest).base64EncodedString()
        hexDigest = Hex.encode(digest)
    }

    /// Unpacks the package under `root/<hex digest>` unless it is there already; returns the directory.
    /// Files and folders are made read-only once complete; a partial unpack is never left under the final name.
    func unpack(under root: String) throws -> String {
        let final = "\(root)/\(hexDigest)"
        if FileManager.default.fileExists(atPath: final) { return final }
        let staging = "\(root)/.staging-\(hexDigest)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        do {
            let archive = try Archive(data: Data(bytes), accessMode: .read)
            let base = URL(fileURLWithPath: staging)
            for entry in archive {
                _ = try archive.extract(entry, to: base.appendingPathComponent(entry.path))
            }
            try makeReadOnly(staging)
            try FileManager.default.moveItem(atPath: staging, toPath: final)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            if FileManager.default.fileExists(atPath: final) { return final }
            throw error
        }
        return final
    }

    /// Removes every unpacked package under `root` but those of `digests`, and any staging folder
    /// a crash left behind. Run at start, while no instance runs code from there.
    static func sweep(_ root: String, keeping digests: Set<String>) throws {
        for entry in try FileManager.default.contentsOfDirectory(atPath: root) where !digests.contains(entry) {
            remove(digest: entry, under: root)
        }
    }

    /// Removes the unpacked code of `digest` (its folders are read-only, so they are opened up first).
    static func remove(digest: String, under root: String) {
        let directory = "\(root)/\(digest)"
        let manager = FileManager.default
        guard manager.fileExists(atPath: directory) else { return }
        try? manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
        for case let relative as String in manager.enumerator(atPath: directory) ?? FileManager.DirectoryEnumerator() {
            try? manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(directory)/\(relative)")
        }
        try? manager.removeItem(atPath: directory)
    }

    private func makeReadOnly(_ directory: String) throws {
        let manager = FileManager.default
        for case let relative as String in manager.enumerator(atPath: directory) ?? FileManager.DirectoryEnumerator() {
            let path = "\(directory)/\(relative)"
            let attributes = try manager.attributesOfItem(atPath: path)
            let permissions = (attributes[.posixPermissions] as? Int) ?? 0o644
            let isDirectory = (attributes[.type] as? FileAttributeType) == .typeDirectory
            try manager.setAttributes([.posixPermissions: isDirectory ? 0o555 : permissions & 0o555], ofItemAtPath: path)
        }
        try manager.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory)
    }
}
