import FoundationEssentials
import PostgresNIO
import SignetCrypto
import SignetPKI
import SignetService

/// `CertificateRegistryStore` on PostgreSQL's `issued_certificates` and `crl_numbers` tables,
/// shared by every instance on the database.
struct PostgresCertificateRegistries: CertificateRegistryStore {
    let database: PostgresPool

    func registry(issuer: String) -> any CertificateRegistry & CertificateRegistryImport {
        PostgresCertificateRegistry(database: database, issuer: issuer)
    }
}

/// One issuing CA's records on PostgreSQL. Every change is one guarded statement: two
/// instances revoking the same certificate at once find one `UPDATE … WHERE revoked_at IS
/// NULL` succeeding (the row lock makes the other see 0 rows), and CRL numbers come from an
/// upsert, so no number is taken twice.
struct PostgresCertificateRegistry: CertificateRegistry, CertificateRegistryImport {
    let database: PostgresPool
    /// `CertificateRegistryKey.issuer` of the CA.
    let issuer: String

    func recordIssued(_ certificate: Certificate) async throws {
        let serial = CertificateRegistryKey.serial(certificate.serialNumber)
        let subject = CertificateRegistryRows.subject(of: certificate)
        let notAfter = ColumnCoding.milliseconds(certificate.notAfter)
        let now = ColumnCoding.milliseconds(Date())
        let inserted = try await database.write { session in
            try await session.execute("""
                INSERT INTO issued_certificates (issuer, serial, not_after, subject, recorded_at)
                VALUES (\(issuer), \(serial), \(notAfter), \(subject), \(now)) ON CONFLICT (issuer, serial) DO NOTHING
                """)
        }
        guard inserted == 1 else { throw CertificateAuthorityDatabaseError.duplicateSerial(serial) }
    }

    func revoke(serialNumber: [UInt8], at date: Date, reason: RevocationReason?, invalidityDate: Date?) async throws -> RevokedCertificate {
        let entry = RevokedCertificate(serialNumber: serialNumber, revocationDate: CertificateRegistryRows.wholeSeconds(date),
                                       reason: reason, invalidityDate: invalidityDate.map(CertificateRegistryRows.wholeSeconds))
        let serial = CertificateRegistryKey.serial(entry.serialNumber)
        let revokedAt = ColumnCoding.milliseconds(entry.revocationDate)
        let reasonCode = entry.reason.map { Int32($0.rawValue) }
        let invalidity = ColumnCoding.milliseconds(entry.invalidityDate)
        let outcome = try await database.write { session -> CertificateRegistryRows.RevocationOutcome in
            let updated = try await session.execute("""
                UPDATE issued_certificates SET revoked_at = \(revokedAt), revocation_reason = \(reasonCode), invalidity_date = \(invalidity)
                WHERE issuer = \(issuer) AND serial = \(serial) AND revoked_at IS NULL
                """)
            if updated == 1 { return .revoked }
            let known = try await session.row("SELECT 1 FROM issued_certificates WHERE issuer = \(issuer) AND serial = \(serial)") != nil
            return known ? .alreadyRevoked : .unknown
        }
        return try CertificateRegistryRows.result(outcome, entry)
    }

    func status(ofSerialNumber serialNumber: [UInt8]) async throws -> CertificateStatus {
        let serial = CertificateRegistryKey.serial(serialNumber)
        let row = try await database.read { session in
            try await session.row("""
                SELECT serial, revoked_at, revocation_reason, invalidity_date FROM issued_certificates
                WHERE issuer = \(issuer) AND serial = \(serial)
                """)
        }
        guard let row else { return .unknown }
        guard let revokedAt = try row.value("revoked_at", as: Int64?.self) else { return .good }
        return .revoked(try Self.entry(row, revokedAt: revokedAt))
    }

    func revokedCertificates() async throws -> [RevokedCertificate] {
        let rows = try await database.read { session in
            try await session.rows("""
                SELECT serial, revoked_at, revocation_reason, invalidity_date FROM issued_certificates
                WHERE issuer = \(issuer) AND revoked_at IS NOT NULL ORDER BY revoked_at, serial
                """)
        }
        return try rows.map { try Self.entry($0, revokedAt: $0.value("revoked_at", as: Int64.self)) }
    }

    func nextCRLNumber() async throws -> UInt64 {
        let row = try await database.write { session in
            try await session.row("""
                INSERT INTO crl_numbers (issuer, last) VALUES (\(issuer), 1)
                ON CONFLICT (issuer) DO UPDATE SET last = crl_numbers.last + 1 RETURNING last
                """)
        }
        guard let number = try row?.value("last", as: Int64.self), number > 0 else {
            throw StoreError.corrupt("the CRL number does not decode")
        }
        return UInt64(number)
    }

    func importEntries(_ entries: [CertificateAuthorityDatabase.Entry], nextCRLNumber: UInt64) async throws -> Int {
        let lastNumber = try CertificateRegistryRows.int64(nextCRLNumber > 0 ? nextCRLNumber - 1 : 0)
        let now = ColumnCoding.milliseconds(Date())
        return try await database.write { session in
            var changed = 0
            for entry in entries {
                let serial = CertificateRegistryKey.serial(entry.serialNumber)
                let notAfter = ColumnCoding.milliseconds(entry.notAfter)
                let revokedAt = ColumnCoding.milliseconds(entry.revocation?.revocationDate)
                let reasonCode = entry.revocation?.reason.map { Int32($0.rawValue) }
                let invalidity = ColumnCoding.milliseconds(entry.revocation?.invalidityDate)
                let inserted = try await session.execute("""
                    INSERT INTO issued_certificates (issuer, serial, not_after, subject, recorded_at, revoked_at, revocation_reason, invalidity_date)
                    VALUES (\(issuer), \(serial), \(notAfter), \(entry.subject), \(now), \(revokedAt), \(reasonCode), \(invalidity))
                    ON CONFLICT (issuer, serial) DO NOTHING
                    """)
                if inserted == 1 {
                    changed += 1
                } else if revokedAt != nil {
                    changed += try await session.execute("""
                        UPDATE issued_certificates SET revoked_at = \(revokedAt), revocation_reason = \(reasonCode), invalidity_date = \(invalidity)
                        WHERE issuer = \(issuer) AND serial = \(serial) AND revoked_at IS NULL
                        """)
                }
            }
            try await session.execute("""
                INSERT INTO crl_numbers (issuer, last) VALUES (\(issuer), \(lastNumber))
                ON CONFLICT (issuer) DO UPDATE SET last = GREATEST(crl_numbers.last, excluded.last)
                """)
            return changed
        }
    }

    /// A revoked row's CRL entry.
    private static func entry(_ row: PostgresRandomAccessRow, revokedAt: Int64) throws -> RevokedCertificate {
        try CertificateRegistryRows.entry(
            serial: row.value("serial", as: String.self), revokedAt: revokedAt,
            reason: row.value("revocation_reason", as: Int32?.self).map(Int.init),
            invalidity: row.value("invalidity_date", as: Int64?.self))
    }
}
