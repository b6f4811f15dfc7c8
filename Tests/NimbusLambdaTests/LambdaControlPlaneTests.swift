import Foundation
import HTTPTypes
import Logging
import NimbusCore
import NimbusStoreSQLite
import NimbusTesting
import NimbusWire
import Testing
import ZIPFoundation

@testable import NimbusLambda

/// A zip made in memory with ZIPFoundation, entry names as given (even hostile ones).
func makeZip(_ files: [String: String]) throws -> Data {
    let archive = try Archive(data: Data(), accessMode: .create)
    for (path, text) in files.sorted(by: { $0.key < $1.key }) {
        let bytes = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count)) { position, size in
            bytes.subdata(in: Int(position)..<Int(position) + size)
        }
    }
    return try #require(archive.data)
}

@Suite struct CodePackageTests {
    @Test func unpacksOnceIntoAReadOnlyDirectory() async throws {
        try await TemporaryDirectory.with { directory in
            let package = try CodePackage(zip: [UInt8](try makeZip(["app.py": "x = 1\n", "lib/util.py": "y = 2\n"])))
            let path = try package.unpack(under: directory.path)
            #expect(path.hasSuffix(package.hexDigest))
            #expect(FileManager.default.contents(atPath: path + "/lib/util.py") == Data("y = 2\n".utf8))
            #expect(!FileManager.default.isWritableFile(atPath: path + "/app.py") || getuid() == 0)
            let permissions = try FileManager.default.attributesOfItem(atPath: path + "/app.py")[.posixPermissions] as? Int
            #expect((permissions ?? 0o777) & 0o222 == 0)
            #expect(try package.unpack(under: directory.path) == path)
        }
    }

    @Test(arguments: ["../escape.py", "/etc/evil", "a/../../b"])
    func rejectsEntriesOutsideThePackage(_ entry: String) throws {
        let zip = try makeZip([entry: "x"])
        #expect(throws: AWSError.self) { try CodePackage(zip: [UInt8](zip)) }
    }

    @Test func rejectsWhatIsNotAZip() {
        #expect(throws: AWSError.self) { try CodePackage(zip: Array("not a zip".utf8)) }
    }
}

@Suite struct FunctionNameTests {
    let account = AccountContext()

    @Test func acceptsNamesPartialAndFullARNs() throws {
        #expect(try FunctionName("my-fn", account: account).name == "my-fn")
        #expect(try FunctionName("my-fn:prod", account: account).qualifier == "prod")
        #expect(try FunctionName("000000000000:function:my-fn", account: account).name == "my-fn")
        let full = try FunctionName("arn:aws:lambda:us-east-1:000000000000:function:my-fn:3", account: account)
        #expect(full.name == "my-fn" && full.qualifier == "3")
        #expect(full.arn(in: account) == "arn:aws:lambda:us-east-1:000000000000:function:my-fn")
    }

    @Test(arguments: [
        "", "bad name", "arn:aws:lambda:eu-west-1:000000000000:function:x", "arn:aws:sqs:us-east-1:000000000000:q", String(repeating: "a", count: 65),
    ])
    func rejectsOthers(_ text: String) {
        #expect(throws: AWSError.self) { try FunctionName(text, account: account) }
    }
}

@Suite struct LambdaServiceTests {
    private func context() -> RequestContext {
        RequestContext(requestID: "r", account: AccountContext(), caller: .anonymous, request: AWSRequest(method: .get, target: "/"))
    }

    @Test func createGetListDelete() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path + "/db.sqlite")
            let service = try await LambdaService(
                store: store,
                blobs: try FileBlobStore(root: directory.path + "/blobs"),
                codeRoot: directory.path + "/code",
                invoker: unusedInvoker(),
                clock: TestWallClock()
            )
            let zip = try makeZip(["app.py": "def handler(e, c): return 1\n"])
            let created = try await service.createFunction(
                .init(
                    code: .init(zipFile: zip),
                    functionName: "fn",
                    handler: "app.handler",
                    role: "arn:aws:iam::000000000000:role/r",
                    runtime: "python3.12"
                ),
                context: context()
            )
            #expect(created.state == "Pending")
            #expect(created.lastModified == "2026-01-02T03:04:05.000+0000")
            let read = try await service.getFunctionConfiguration(.init(functionName: "fn"), context: context())
            #expect(read.state == "Active")
            #expect(read.codeSha256 == created.codeSha256)
            #expect(try await service.listFunctions(.init(), context: context()).functions?.map(\.functionName) == ["fn"])
            _ = try await service.deleteFunction(.init(functionName: "fn"), context: context())
            await #expect(throws: AWSError.self) { try await service.getFunction(.init(functionName: "fn"), context: context()) }
            try await store.close()
        }
    }
}

extension LambdaServiceTests {
    @Test func replacedCodeIsRemovedOnceNothingRefersToIt() async throws {
        try await TemporaryDirectory.with { directory in
            let codeRoot = directory.path + "/code"
            let blobs = try FileBlobStore(root: directory.path + "/blobs")
            func open(_ store: SQLiteStore) async throws -> LambdaService {
                try await LambdaService(store: store, blobs: blobs, codeRoot: codeRoot, invoker: unusedInvoker(), clock: TestWallClock())
            }
            let store = try SQLiteStore(path: directory.path + "/db.sqlite")
            let service = try await open(store)
            let first = try CodePackage(zip: [UInt8](try makeZip(["app.py": "v = 1\n"])))
            let second = try CodePackage(zip: [UInt8](try makeZip(["app.py": "v = 2\n"])))
            _ = try await service.createFunction(
                .init(
                    code: .init(zipFile: Data(first.bytes)),
                    functionName: "fn",
                    handler: "app.h",
                    role: "arn:aws:iam::000000000000:role/r",
                    runtime: "python3.12"
                ),
                context: context()
            )
            // A published version keeps the first code alive through the first update.
            _ = try await service.publishVersion(.init(functionName: "fn"), context: context())
            _ = try await service.updateFunctionCode(.init(functionName: "fn", zipFile: Data(second.bytes)), context: context())
            #expect(try await blobs.get(LambdaService.codeBlobKey(digest: first.hexDigest)) != nil)
            _ = try await service.deleteFunction(.init(functionName: "fn", qualifier: "1"), context: context())
            #expect(try await blobs.get(LambdaService.codeBlobKey(digest: first.hexDigest)) == nil)
            // Back to the first code: the second is now unreferenced; its folder stays until the next start.
            _ = try await service.updateFunctionCode(.init(functionName: "fn", zipFile: Data(first.bytes)), context: context())
            #expect(try await blobs.get(LambdaService.codeBlobKey(digest: second.hexDigest)) == nil)
            _ = try second.unpack(under: codeRoot)
            try FileManager.default.createDirectory(atPath: codeRoot + "/.staging-left-by-a-crash", withIntermediateDirectories: true)
            try await store.close()

            let reopened = try SQLiteStore(path: directory.path + "/db.sqlite")
            _ = try await open(reopened)
            #expect(try FileManager.default.contentsOfDirectory(atPath: codeRoot).sorted() == [first.hexDigest])
            try await reopened.close()
        }
    }
}

/// An invoker for control-plane tests, which never start an instance.
private func unusedInvoker() -> FunctionInvoker {
    struct NoListener: RuntimeAPIListener {
        func open(for session: RuntimeSession, on home: ObjectIdentifier?) async throws -> any RuntimeAPIBinding { throw CancellationError() }
        var homes: [ObjectIdentifier] { [] }
        func currentHome() -> ObjectIdentifier? { nil }
    }
    struct NoSink: LogSink {
        func append(_ events: [NimbusCore.LogEvent], group: String, stream: String) async throws {}
    }
    return FunctionInvoker(
        settings: InstanceSettings(temporaryRoot: "/tmp", credentials: FunctionCredentials(accessKeyID: "a", secretAccessKey: "s")),
        listener: NoListener(),
        logSink: NoSink(),
        logger: .init(label: "test"),
        clock: TestWallClock()
    )
}
