import FoundationEssentials
import PostgresNIO
import SignetService

/// `MerchantRepository` on PostgreSQL's `merchants` table.
struct PostgresMerchantRepository: MerchantRepository {
    let database: PostgresPool

    func insert(_ merchant: Merchant, claim: IdempotencyKey?) async throws {
        let (kind, country) = switch merchant.registration {
        case .creditCode: ("credit_code", "CN")
        case .foreign(_, let country): ("foreign", country)
        }
        try await database.write { session in
            try await PostgresIdempotencyClaim.record(merchant.id, under: claim, session)
            try await session.execute("""
                INSERT INTO merchants (id, external_id, name, registration_kind, registration_number,
                    registration_country, legal_representative, contact_name, contact_phone, contact_email, created_at)
                VALUES (\(merchant.id), \(merchant.externalID), \(merchant.name), \(kind), \(merchant.registration.number),
                    \(country), \(merchant.legalRepresentative), \(merchant.contact.name), \(merchant.contact.phone),
                    \(merchant.contact.email), \(ColumnCoding.milliseconds(merchant.createdAt)))
                """)
        }
    }

    func merchant(id: String) async throws -> Merchant? {
        try await database.read { session in
            try await session.row("SELECT * FROM merchants WHERE id = \(id)").map(Self.merchant)
        }
    }

    func merchant(externalID: String) async throws -> Merchant? {
        try await database.read { session in
            try await session.row("SELECT * FROM merchants WHERE external_id = \(externalID)").map(Self.merchant)
        }
    }

    func merchants(page: PageRequest) async throws -> Page<Merchant> {
        let merchants = try await database.read { session in
            try await session.rows("""
                SELECT * FROM merchants WHERE seq < \(page.after ?? Int64.max) ORDER BY seq DESC LIMIT \(page.limit + 1)
                """).map { (try Self.merchant($0), try $0.value("seq", as: Int64.self)) }
        }
        let result = Page<(Merchant, Int64)>.postgres(fetched: merchants, limit: page.limit, orderingKey: { $0.1 })
        return Page(items: result.items.map(\.0), next: result.next)
    }

    /// A merchant from its row.
    static func merchant(_ row: PostgresRandomAccessRow) throws -> Merchant {
        let number: String = try row.value("registration_number")
        let registration: MerchantRegistration = switch try row.value("registration_kind", as: String.self) {
        case "credit_code": .creditCode(number)
        case "foreign": .foreign(number: number, country: try row.value("registration_country"))
        default: throw StoreError.corrupt("merchant registration kind")
        }
        return Merchant(
            id: try row.value("id"), externalID: try row.value("external_id"), name: try row.value("name"),
            registration: registration, legalRepresentative: try row.value("legal_representative"),
            contact: MerchantContact(name: try row.value("contact_name"), phone: try row.value("contact_phone"),
                                     email: try row.value("contact_email")),
            createdAt: try row.requiredDate("created_at"))
    }
}
