import FoundationEssentials
import GRDB
import SignetService

/// `MerchantRepository` on the `merchants` table.
struct SQLiteMerchantRepository: MerchantRepository {
    let database: SQLiteDatabase

    func insert(_ merchant: Merchant, claim: IdempotencyKey?) async throws {
        let (kind, country) = switch merchant.registration {
        case .creditCode: ("credit_code", "CN")
        case .foreign(_, let country): ("foreign", country)
        }
        try await database.write { db in
            try IdempotencyClaimRows.record(merchant.id, under: claim, db)
            try db.execute(
                sql: """
                    INSERT INTO merchants (id, external_id, name, registration_kind, registration_number,
                        registration_country, legal_representative, contact_name, contact_phone, contact_email, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [merchant.id, merchant.externalID, merchant.name, kind, merchant.registration.number, country,
                            merchant.legalRepresentative, merchant.contact.name, merchant.contact.phone,
                            merchant.contact.email, ColumnCoding.milliseconds(merchant.createdAt)])
        }
    }

    func merchant(id: String) async throws -> Merchant? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM merchants WHERE id = ?", arguments: [id]).map(Self.merchant)
        }
    }

    func merchant(externalID: String) async throws -> Merchant? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM merchants WHERE external_id = ?", arguments: [externalID])
                .map(Self.merchant)
        }
    }

    func merchants(page: PageRequest) async throws -> Page<Merchant> {
        try await database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM merchants WHERE seq < ? ORDER BY seq DESC LIMIT ?",
                                        arguments: [page.after ?? Int64.max, page.limit + 1])
            return try Page.from(rows, limit: page.limit, orderingKey: "seq") { try $0.map(Self.merchant) }
        }
    }

    /// A merchant from its row.
    static func merchant(_ row: Row) throws -> Merchant {
        let number: String = try row.decode(forColumn: "registration_number")
        let registration: MerchantRegistration = switch try row.decode(String.self, forColumn: "registration_kind") {
        case "credit_code": .creditCode(number)
        case "foreign": .foreign(number: number, country: try row.decode(forColumn: "registration_country"))
        default: throw StoreError.corrupt("merchant registration kind")
        }
        return Merchant(
            id: try row.decode(forColumn: "id"), externalID: try row.decode(forColumn: "external_id"),
            name: try row.decode(forColumn: "name"), registration: registration,
            legalRepresentative: try row.decode(forColumn: "legal_representative"),
            contact: MerchantContact(name: try row.decode(forColumn: "contact_name"),
                                     phone: try row.decode(forColumn: "contact_phone"),
                                     email: try row.decode(forColumn: "contact_email")),
            createdAt: try row.requiredDate("created_at"))
    }
}
