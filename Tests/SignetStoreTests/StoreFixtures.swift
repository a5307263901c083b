import Foundation
import SignetService
import SignetStore
import SignetTemplates
import SignetTestSupport
import SignetServiceTestSupport
import SignetArchive

/// A storage in a fresh temporary directory (SQLite) or database (PostgreSQL, with
/// `SIGNET_TEST_BACKEND=postgres`: `TestStorage`), kept as long as the value lives.
final class TestStore: Sendable {
    let directory: TemporaryDirectory
    let location: StorageLocation
    let store: any ServiceStore
    var storage: ServiceStorage { store.storage }

    init() async throws {
        directory = try TemporaryDirectory("signet-store")
        location = try TestStorage.location(in: directory.file("data"))
        store = try await TestStorage.open(location)
    }

    /// The SQLite storage, for tests that look at SQLite itself; fails on PostgreSQL.
    func sqlite() throws -> SQLiteStorage {
        guard let sqlite = store as? SQLiteStorage else { throw StoreTestError("this test reads SQLite itself") }
        return sqlite
    }

    /// Runs one raw SQL statement on either backend, behind the repositories' back (tampering
    /// tests); returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String) async throws -> Int {
        switch store {
        case let sqlite as SQLiteStorage: try await sqlite.executeForTests(sql)
        case let postgres as PostgresStorage: try await postgres.executeForTests(sql)
        default: throw StoreTestError("unknown backend \(type(of: store))")
        }
    }

    /// The first column of every row of a raw SQL query, as text, on either backend.
    func strings(_ sql: String) async throws -> [String] {
        switch store {
        case let sqlite as SQLiteStorage: try await sqlite.stringsForTests(sql)
        case let postgres as PostgresStorage: try await postgres.stringsForTests(sql)
        default: throw StoreTestError("unknown backend \(type(of: store))")
        }
    }

    /// A merchant inserted for the test.
    func merchant(_ externalID: String = "m-\(UUID().uuidString.prefix(8))") async throws -> Merchant {
        let merchant = Fixtures.merchant(externalID: externalID)
        try await storage.merchants.insert(merchant)
        return merchant
    }

    /// A contract of `merchant` inserted with a `contract.created` event.
    func contract(of merchant: Merchant, state: ContractState = .sent, createdAt: Date = Fixtures.time(0)) async throws -> Contract {
        try await storage.contracts.insert(
            Fixtures.contract(merchantID: merchant.id, state: state, createdAt: createdAt),
            events: [Fixtures.event("contract.created", at: createdAt)])
    }
}

/// Values with every member set (so a round trip shows each one survives), at millisecond
/// precision (what the store keeps).
enum Fixtures {
    /// A fixed instant plus `seconds` (with milliseconds, never finer).
    static func time(_ seconds: Double) -> Date {
        AuditChain.millisecondPrecision(Date(timeIntervalSince1970: 1_796_000_000.123 + seconds))
    }

    static func merchant(externalID: String) -> Merchant {
        Merchant(id: ResourceID.make(.merchant), externalID: externalID, name: "杭州示例科技有限公司",
                 registration: .creditCode("91330106MA2KX7Q38P"), legalRepresentative: "张三",
                 contact: MerchantContact(name: "李四", phone: "13800138000", email: "li@example.cn"),
                 createdAt: time(1))
    }

    static func signers() -> [Signer] {
        [
            Signer(role: .merchant, method: .link, name: "张三", phone: "13800138000", email: "zhang@example.cn",
                   state: .signed, linkTokenHash: String(repeating: "ab", count: 32) + UUID().uuidString,
                   linkIssuedAt: time(10), signedAt: time(20), certificateSerial: "0a1b2c",
                   claim: SigningClaim(id: ResourceID.make(.signingClaim), expiresAt: time(30))),
            Signer(role: .platform, method: .platform, name: "Signet Platform Ltd."),
        ]
    }

    static func contract(merchantID: String, state: ContractState = .sent, createdAt: Date = time(0)) -> Contract {
        Contract(
            id: ResourceID.make(.contract), number: "SN-2026-\(UUID().uuidString.prefix(6))", merchantID: merchantID,
            state: state, template: TemplateReference(id: "merchant-service-agreement", version: "1.0.0",
                                                      digest: String(repeating: "5e", count: 32)),
            title: "商户服务协议", locale: "zh-CN",
            fields: ["merchant_name": "杭州示例科技有限公司", "fee_rate": "0.6", "quote": "\"a\"\n\\b"],
            metadata: ["crm_id": "42", "note": "✓"], signers: signers(),
            signatureBoxes: [SignatureBox(role: .merchant, page: 6, rect: PDFRect(x: 72.5, y: 120, width: 190, height: 110)),
                             SignatureBox(role: .platform, page: 6, rect: PDFRect(x: 330.25, y: 120, width: 190, height: 110))],
            original: StoredDocument(sha256: String(repeating: "01", count: 32), size: 12_345, pageCount: 3),
            signed: StoredDocument(sha256: String(repeating: "02", count: 32), size: 23_456, pageCount: 3),
            issuedAt: createdAt, expiresAt: time(7 * 86_400), createdAt: createdAt, updatedAt: time(40),
            sentAt: time(50), completedAt: time(60), voidedAt: time(70), voidReason: "作废 reason",
            declinedAt: time(80), declineReason: "declined, because", version: 1)
    }

    static func event(_ type: String, at date: Date = time(0), data: [String: String] = [:]) -> AuditEventDraft {
        AuditEventDraft(type: type, actor: "api_key:key_test", occurredAt: date, data: data,
                        origin: RequestOrigin(actor: "api_key:key_test", ip: "127.0.0.1", userAgent: "curl/8"))
    }
}

/// A test's own failure.
struct StoreTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
