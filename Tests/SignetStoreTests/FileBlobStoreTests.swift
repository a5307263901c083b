import Foundation
import SignetCrypto
import SignetService
import SignetStore
import SignetTestSupport
import Testing

@Suite("File blob store: content-addressed, durable, verified on read")
struct FileBlobStoreTests {
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        DigestAlgorithm.sha256.hash(bytes).hexString
    }

    @Test("put writes ab/cd/<sha256> (0640, the bytes), get returns them, contains knows them")
    func putAndGet() async throws {
        let directory = try TemporaryDirectory("signet-blobs")
        let blobs = FileBlobStore(directory: directory.file("blobs").path)
        let bytes = Array("%PDF-1.7 test blob".utf8)
        let stored = try await blobs.put(bytes)
        let digest = Self.sha256Hex(bytes)
        #expect(stored == StoredDocument(sha256: digest, size: bytes.count))

        let path = directory.file("blobs").appendingPathComponent(String(digest.prefix(2)))
            .appendingPathComponent(String(digest.dropFirst(2).prefix(2))).appendingPathComponent(digest).path
        #expect(FileManager.default.contents(atPath: path).map([UInt8].init) == bytes)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode & 0o027 == 0, "mode \(String(mode, radix: 8))")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(leftovers == [digest])

        #expect(try await blobs.get(digest) == bytes)
        #expect(try await blobs.contains(digest))
        #expect(try await blobs.contains(String(repeating: "0", count: 64)) == false)
        #expect(try await blobs.contains("../../etc/passwd") == false)
        await #expect(throws: StoreError.missing("blob")) { _ = try await blobs.get(String(repeating: "0", count: 64)) }
        await #expect(throws: StoreError.missing("blob")) { _ = try await blobs.get("../" + digest) }
    }

    @Test("a blob whose file was altered is reported corrupt, never returned")
    func corruptBlob() async throws {
        let directory = try TemporaryDirectory("signet-blobs")
        let blobs = FileBlobStore(directory: directory.file("blobs").path)
        let bytes = Array(repeating: UInt8(7), count: 4096)
        let digest = try await blobs.put(bytes).sha256
        let path = directory.file("blobs/\(digest.prefix(2))/\(digest.dropFirst(2).prefix(2))/\(digest)").path
        var altered = bytes
        altered[100] ^= 1
        try Data(altered).write(to: URL(fileURLWithPath: path))
        await #expect(throws: StoreError.self) { _ = try await blobs.get(digest) }
        do {
            _ = try await blobs.get(digest)
        } catch let error as StoreError {
            #expect(error.code == "store.corrupt")
        }
    }

    @Test("concurrent puts of the same bytes and of different bytes all succeed")
    func concurrentPuts() async throws {
        let directory = try TemporaryDirectory("signet-blobs")
        let blobs = FileBlobStore(directory: directory.file("blobs").path)
        let digests = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<24 {
                group.addTask { try await blobs.put(Array("blob \(index % 3)".utf8)).sha256 }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(digests.count == 3)
        for digest in digests {
            #expect(Self.sha256Hex(try await blobs.get(digest)) == digest)
        }
    }
}
