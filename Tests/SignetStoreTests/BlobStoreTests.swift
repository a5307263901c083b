import Foundation
import SignetCrypto
import SignetService
import SignetStore
import SignetServiceTestSupport
import Testing

/// The service's blob store on the test's backend (files on SQLite, the `blobs` table on
/// PostgreSQL): content-addressed, shared by instances, verified on every read.
@Suite("Blob store on both backends: round trip, another instance reads it, corruption detected")
struct BlobStoreTests {
    @Test("put is idempotent and returns the digest, get returns the bytes to another instance, contains knows them")
    func roundTrip() async throws {
        let store = try await TestStore()
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let digest = DigestAlgorithm.sha256.hash(bytes).hexString
        #expect(try await store.storage.blobs.put(bytes) == StoredDocument(sha256: digest, size: bytes.count))
        #expect(try await store.storage.blobs.put(bytes) == StoredDocument(sha256: digest, size: bytes.count), "a second put changes nothing")
        let other = try await store.secondInstance()
        #expect(try await other.storage.blobs.get(digest) == bytes)
        #expect(try await other.storage.blobs.contains(digest))
        let absent = String(repeating: "0", count: 64)
        #expect(try await other.storage.blobs.contains(absent) == false)
        #expect(try await other.storage.blobs.contains("not-a-digest") == false)
        await #expect(throws: StoreError.missing("blob")) { _ = try await other.storage.blobs.get(absent) }
        await #expect(throws: StoreError.missing("blob")) { _ = try await other.storage.blobs.get("../" + digest) }
        try await other.close()
    }

    @Test("concurrent puts of the same bytes from two instances all succeed; one blob")
    func concurrentPuts() async throws {
        let store = try await TestStore()
        let other = try await store.secondInstance()
        let bytes = Array("%PDF-1.7 concurrent".utf8)
        let stores = [store.storage.blobs, other.storage.blobs]
        let results = try await withThrowingTaskGroup(of: StoredDocument.self) { group in
            for index in 0..<12 { group.addTask { try await stores[index % 2].put(bytes) } }
            return try await group.reduce(into: [StoredDocument]()) { $0.append($1) }
        }
        #expect(Set(results.map(\.sha256)) == [DigestAlgorithm.sha256.hash(bytes).hexString] && results.count == 12)
        #expect(try await store.storage.blobs.get(results[0].sha256) == bytes)
        try await other.close()
    }

    @Test("a blob altered behind the store's back is reported corrupt, never returned")
    func corruptionDetected() async throws {
        let store = try await TestStore()
        let bytes = Array(repeating: UInt8(7), count: 4096)
        let digest = try await store.storage.blobs.put(bytes).sha256
        switch store.location {
        case .sqlite(let directory):
            var altered = bytes
            altered[100] ^= 1
            try Data(altered).write(to: URL(fileURLWithPath: "\(directory)/blobs/\(digest.prefix(2))/\(digest.dropFirst(2).prefix(2))/\(digest)"))
        case .postgres:
            try await store.rawSQL("UPDATE blobs SET bytes = set_byte(bytes, 100, get_byte(bytes, 100) # 1) WHERE sha256 = '\(digest)'")
        }
        do {
            _ = try await store.storage.blobs.get(digest)
            Issue.record("an altered blob was returned")
        } catch let error as StoreError {
            #expect(error.code == "store.corrupt")
        }
    }
}
