import FoundationEssentials
import GRDB
import SignetCrypto
import SignetPKI
import SignetService

/// `CertificateRegistryStore` on SQLite's `issued_certificates` and `crl_numbers` tables.
struct SQLiteCertificateRegistries: CertificateRegistryStore {
    let database: SQLiteDatabase

    func registry(issuer: String) -> any CertificateRegistry & CertificateRegistryImport {
        SQLiteCertificateRegistry(database: database, issuer: issuer)
    }
}

/// One issuing CA's records on SQLite (the single writer serialises every change; each
/// guard is one statement anyway, as on PostgreSQL).
struct SQLiteCertificateRegistry: CertificateRegistry, CertificateRegistryImport {
    let database: SQLiteDatabase
    /// `CertificateRegistryKey.issuer` of the CA.
    let issuer: String

    func recordIssued(_ certificate: Certificate) async throws {
        let serial = CertificateRegistryKey.serial(certificate.serialNumber)
        let subject = CertificateRegistryRows.subject(of: certificate)
        let issuer = issuer
        let inserted = try await database.write { db in
            try db.execute(sql: """
                INSERT INTO issued_certificates (issuer, serial, not_after, subject, recorded_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (issuer, serial) DO NOTHING
                """, arguments: [issuer, serial, ColumnCoding.milliseconds(certificate.notAfter), subject,
                                 ColumnCoding.milliseconds(Date())])
            return db.changesCount == 1
        }
        guard inserted else { throw CertificateAuthorityDatabaseError.duplicateSerial(serial) }
    }

    func revoke(serialNumber: [UInt8], at date: Date, reason: RevocationReason?, invalidityDate: Date?) async throws -> RevokedCertificate {
        let entry = RevokedCertificate(serialNumber: serialNumber, revocationDate: CertificateRegistryRows.wholeSeconds(date),
                                       reason: reason, invalidityDate: invalidityDate.map(CertificateRegistryRows.wholeSeconds))
        let serial = CertificateRegistryKey.serial(entry.serialNumber)
        let issuer = issuer
        let outcome = try await database.write { db -> CertificateRegistryRows.RevocationOutcome in
            try db.execute(sql: """
                UPDATE issued_certificates SET revoked_at = ?, revocation_reason = ?, invalidity_date = ?
                WHERE issuer = ? AND serial = ? AND revoked_at IS NULL
                """, arguments: [ColumnCoding.milliseconds(entry.revocationDate), entry.reason?.rawValue,
                                 ColumnCoding.milliseconds(entry.invalidityDate), issuer, serial])
            if db.changesCount == 1 { return .revoked }
            let known = try Bool.fetchOne(db, sql: "SELECT 1 FROM issued_certificates WHERE issuer = ? AND serial = ?",
                                          arguments: [issuer, serial]) ?? false
            return known ? .alreadyRevoked : .unknown
        }
        return try CertificateRegistryRows.result(outcome, entry)
    }

    func status(ofSerialNumber serialNumber: [UInt8]) async throws -> CertificateStatus {
        let serial = CertificateRegistryKey.serial(serialNumber)
        let issuer = issuer
        return try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT serial, revoked_at, revocation_reason, invalidity_date FROM issued_certificates
                WHERE issuer = ? AND serial = ?
                """, arguments: [issuer, serial]) else { return .unknown }
            return try Self.status(row)
        }
    }

    func revokedCertificates() async throws -> [RevokedCertificate] {
        let issuer = issuer
        return try await database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT serial, revoked_at, revocation_reason, invalidity_date FROM issued_certificates
                WHERE issuer = ? AND revoked_at IS NOT NULL ORDER BY revoked_at, serial
                """, arguments: [issuer]).map { row in
                    try CertificateRegistryRows.entry(serial: row.decode(forColumn: "serial"), revokedAt: row.decode(forColumn: "revoked_at"),
                                                      reason: row.decode(forColumn: "revocation_reason"),
                                                      invalidity: row.decode(forColumn: "invalidity_date"))
                }
        }
    }

    func nextCRLNumber() async throws -> UInt64 {
        let issuer = issuer
        let number = try await database.write { db in
            try Int64.fetchOne(db, sql: """
                INSERT INTO crl_numbers (issuer, last) VALUES (?, 1)
                ON CONFLICT (issuer) DO UPDATE SET last = last + 1 RETURNING last
                """, arguments: [issuer])
        }
        guard let number, number > 0 else { throw StoreError.corrupt("the CRL number does not decode") }
        return UInt64(number)
    }

    func importEntries(_ entries: [CertificateAuthorityDatabase.Entry], nextCRLNumber: UInt64) async throws -> Int {
        let issuer = issuer
        let lastNumber = try CertificateRegistryRows.int64(nextCRLNumber > 0 ? nextCRLNumber - 1 : 0)
        return try await database.write { db in
            var changed = 0
            for entry in entries {
                let serial = CertificateRegistryKey.serial(entry.serialNumber)
                let revocation = entry.revocation
                try db.execute(sql: """
                    INSERT INTO issued_certificates (issuer, serial, not_after, subject, recorded_at, revoked_at, revocation_reason, invalidity_date)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (issuer, serial) DO NOTHING
                    """, arguments: [issuer, serial, ColumnCoding.milliseconds(entry.notAfter), entry.subject,
                                     ColumnCoding.milliseconds(Date()), ColumnCoding.milliseconds(revocation?.revocationDate),
                                     revocation?.reason?.rawValue, ColumnCoding.milliseconds(revocation?.invalidityDate)])
                if db.changesCount == 1 {
                    changed += 1
                } else if let revocation {
                    try db.execute(sql: """
                        UPDATE issued_certificates SET revoked_at = ?, revocation_reason = ?, invalidity_date = ?
                        WHERE issuer = ? AND serial = ? AND revoked_at IS NULL
                        """, arguments: [ColumnCoding.milliseconds(revocation.revocationDate), revocation.reason?.rawValue,
                                         ColumnCoding.milliseconds(revocation.invalidityDate), issuer, serial])
                    changed += db.changesCount
                }
            }
            try db.execute(sql: """
                INSERT INTO crl_numbers (issuer, last) VALUES (?, ?)
                ON CONFLICT (issuer) DO UPDATE SET last = MAX(last, excluded.last)
                """, arguments: [issuer, lastNumber])
            return changed
        }
    }

    /// A row's status: good, or revoked with its CRL entry.
    static func status(_ row: Row) throws -> CertificateStatus {
        guard let revokedAt: Int64 = try row.decode(forColumn: "revoked_at") else { return .good }
        return .revoked(try CertificateRegistryRows.entry(
            serial: row.decode(forColumn: "serial"), revokedAt: revokedAt, reason: row.decode(forColumn: "revocation_reason"),
            invalidity: row.decode(forColumn: "invalidity_date")))
    }
}
