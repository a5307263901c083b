import Foundation
import SignetService
import SignetStore
import Testing

/// The signer pages' rate limiter (`SignerAccessRepository.hit`) when instances share the
/// database: a bucket's limit holds across them.
@Suite("Rate limits across instances")
struct RateLimitRaceTests {
    @Test("50 concurrent hits on one bucket from two instances, limit 10: exactly 10 allowed, the rest told when to retry")
    func limitHoldsAcrossInstances() async throws {
        let store = try await TestStore()
        let other = try await store.secondInstance()
        let instances = [store.storage.signerAccess, other.storage.signerAccess]
        let bucket = "otp:\(UUID().uuidString)"
        let now = Fixtures.time(0)
        let results = try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<50 {
                group.addTask { try await instances[index % 2].hit(bucket: bucket, limit: 10, window: 60, at: now) }
            }
            return try await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(results.count == 50)
        #expect(results.filter { $0 == nil }.count == 10)
        #expect(results.compactMap { $0 }.allSatisfy { $0 == 60 }, "\(results.compactMap { $0 })")
        // Another bucket is not affected; the window passing frees the first.
        #expect(try await instances[0].hit(bucket: bucket + "-other", limit: 10, window: 60, at: now) == nil)
        #expect(try await instances[1].hit(bucket: bucket, limit: 10, window: 60, at: now.addingTimeInterval(60)) == nil)
        try await other.close()
    }
}
