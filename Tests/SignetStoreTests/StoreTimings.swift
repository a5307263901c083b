import Foundation
import SignetService
import SignetStore
import Testing

/// Not a test: the time of `insert` and `apply` per call on this machine, for the report
/// (`swift test --filter StoreTimings` after removing `.disabled`, or in a release build).
/// No assertion on time: it prints.
@Suite("store timings (measurement, disabled)", .disabled("a measurement; enable by hand"))
struct StoreTimings {
    @Test("insert and apply per call, synchronous=FULL")
    func insertAndApply() async throws {
        let store = try await TestStore()
        let merchant = try await store.merchant()
        let count = 300
        let clock = ContinuousClock()
        var contracts: [Contract] = []
        let insertTime = try await clock.measure {
            for _ in 0..<count {
                contracts.append(try await store.storage.contracts.insert(
                    Fixtures.contract(merchantID: merchant.id), events: [Fixtures.event("contract.created")]))
            }
        }
        let applyTime = try await clock.measure {
            for contract in contracts {
                guard case .committed = try await store.storage.contracts.apply(ContractApplyTests.viewed(contract)) else {
                    throw StoreError.unavailable("not committed")
                }
            }
        }
        let readTime = try await clock.measure {
            for contract in contracts { _ = try await store.storage.contracts.contract(id: contract.id) }
        }
        func perCall(_ duration: Duration) -> String {
            let microseconds = Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
            return String(format: "%.0f µs", microseconds / Double(count))
        }
        print("SignetStore timings (\(count) calls each): insert \(perCall(insertTime)), apply \(perCall(applyTime)), "
              + "read \(perCall(readTime))")
    }
}
