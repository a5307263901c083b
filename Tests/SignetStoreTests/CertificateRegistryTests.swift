import Foundation
import SignetCrypto
import SignetPKI
import SignetService
import SignetStore
import SignetServiceTestSupport
import Testing

/// The PKI's changing state in the database (v6-pki-state), on the backend the run selects:
/// the issuing CA's registry keeps the `CertificateRegistry` contract of the index file, CRL
/// numbers and TSA serials are never handed out twice, also between two storages on one
/// database (two instances).
@Suite("Certificate registry and TSA serials in the database")
struct CertificateRegistryTests {
    /// A throwaway CA and certificates it issues.
    struct Issuer {
        let authority: CertificateAuthority
        let now = Date()

        init(_ name: String = "Registry Test CA") throws {
            authority = try CertificateAuthority.makeRoot(
                subject: try DistinguishedName([(.country, "CN"), (.organization, "Signet Tests"), (.commonName, name)]),
                key: try PrivateKey.generate(.p256), notBefore: Date().addingTimeInterval(-3600), notAfter: Date().addingTimeInterval(86_400))
        }

        var key: String { CertificateRegistryKey.issuer(authority.certificate) }

        func issue(_ name: String, serial: [UInt8]? = nil) throws -> Certificate {
            var builder = CertificateBuilder.signer(
                subject: try DistinguishedName([(.country, "CN"), (.organization, "商户"), (.commonName, name)]),
                publicKey: try PrivateKey.generate(.p256).publicKey, notBefore: now.addingTimeInterval(-60), notAfter: now.addingTimeInterval(3600))
            builder.serialNumber = serial
            return try authority.issue(builder)
        }
    }

    @Test("recorded certificates are good, others unknown; a serial is recorded once; leading zero bytes do not matter")
    func recordAndStatus() async throws {
        let store = try await TestStore()
        let ca = try Issuer()
        let registry = store.storage.certificateRegistries.registry(issuer: ca.key)
        let first = try ca.issue("first", serial: [0x00, 0x7A, 0x01])
        try await registry.recordIssued(first)
        #expect(try await registry.status(ofSerialNumber: first.serialNumber) == .good)
        #expect(try await registry.status(ofSerialNumber: [0x7A, 0x01]) == .good)
        #expect(try await registry.status(ofSerialNumber: [0x00, 0x00, 0x7A, 0x01]) == .good)
        #expect(try await registry.status(ofSerialNumber: [0x7A, 0x02]) == .unknown)
        await #expect(throws: CertificateAuthorityDatabaseError.duplicateSerial("7A01")) { try await registry.recordIssued(first) }

        // Another CA's registry does not see this CA's certificates.
        let other = store.storage.certificateRegistries.registry(issuer: try Issuer("Other CA").key)
        #expect(try await other.status(ofSerialNumber: first.serialNumber) == .unknown)
        #expect(try await registry.revokedCertificates().isEmpty)
    }

    @Test("a revocation happens once: whole-second date, reason and invalidity date kept, listed for the CRL; unknown and repeated ones refused")
    func revocation() async throws {
        let store = try await TestStore()
        let ca = try Issuer()
        let registry = store.storage.certificateRegistries.registry(issuer: ca.key)
        let certificates = try (0..<3).map { try ca.issue("c\($0)") }
        for certificate in certificates { try await registry.recordIssued(certificate) }

        let when = Date(timeIntervalSince1970: 1_796_000_000.75)
        let compromised = Date(timeIntervalSince1970: 1_795_990_000.5)
        let entry = try await registry.revoke(serialNumber: certificates[1].serialNumber, at: when, reason: .keyCompromise,
                                              invalidityDate: compromised)
        #expect(entry.revocationDate == Date(timeIntervalSince1970: 1_796_000_000))
        #expect(entry.invalidityDate == Date(timeIntervalSince1970: 1_795_990_000))
        #expect(try await registry.status(ofSerialNumber: certificates[1].serialNumber) == .revoked(entry))
        #expect(try await registry.status(ofSerialNumber: certificates[0].serialNumber) == .good)

        let serial = CertificateRegistryKey.serial(certificates[1].serialNumber)
        await #expect(throws: CertificateAuthorityDatabaseError.alreadyRevoked(serial)) {
            try await registry.revoke(serialNumber: certificates[1].serialNumber, at: Date(), reason: .superseded, invalidityDate: nil)
        }
        #expect(try await registry.status(ofSerialNumber: certificates[1].serialNumber) == .revoked(entry))  // the first stands
        await #expect(throws: CertificateAuthorityDatabaseError.unknownSerial("7E57")) {
            try await registry.revoke(serialNumber: [0x7E, 0x57], at: Date(), reason: nil, invalidityDate: nil)
        }

        let plain = try await registry.revoke(serialNumber: certificates[2].serialNumber, at: when.addingTimeInterval(10), reason: nil,
                                              invalidityDate: nil)
        #expect(plain.reason == nil)
        #expect(try await registry.revokedCertificates() == [entry, plain])
    }

    @Test("two storages on one database revoking the same certificate at once: exactly one succeeds")
    func concurrentRevocation() async throws {
        let store = try await TestStore()
        let second = try await TestStorage.open(store.location)
        let ca = try Issuer()
        let certificate = try ca.issue("raced")
        try await store.storage.certificateRegistries.registry(issuer: ca.key).recordIssued(certificate)
        let registries = [store.storage, second.storage].map { $0.certificateRegistries.registry(issuer: ca.key) }
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<10 {
                let registry = registries[index % 2]
                group.addTask {
                    (try? await registry.revoke(serialNumber: certificate.serialNumber, at: Date(), reason: .keyCompromise, invalidityDate: nil)) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try await registries[1].revokedCertificates().count == 1)
        try await second.close()
    }

    @Test("CRL numbers count 1, 2, 3… per CA, never the same twice under concurrent takers on two storages")
    func crlNumbers() async throws {
        let store = try await TestStore()
        let second = try await TestStorage.open(store.location)
        let ca = try Issuer()
        let registry = store.storage.certificateRegistries.registry(issuer: ca.key)
        #expect(try await registry.nextCRLNumber() == 1)
        #expect(try await registry.nextCRLNumber() == 2)
        let registries = [registry, second.storage.certificateRegistries.registry(issuer: ca.key)]
        let numbers = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for index in 0..<20 {
                let registry = registries[index % 2]
                group.addTask { try await registry.nextCRLNumber() }
            }
            return try await group.reduce(into: [UInt64]()) { $0.append($1) }
        }
        #expect(numbers.sorted() == Array(3...22))
        #expect(try await store.storage.certificateRegistries.registry(issuer: try Issuer("Other").key).nextCRLNumber() == 1)
        try await second.close()
    }

    @Test("importing an index file is idempotent, carries revocations over and keeps CRL numbers going up")
    func importIndex() async throws {
        let store = try await TestStore()
        let ca = try Issuer()
        let registry = store.storage.certificateRegistries.registry(issuer: ca.key)
        let valid = try ca.issue("valid")
        let revokedLater = try ca.issue("revoked later")
        let alreadyRecorded = try ca.issue("recorded")
        try await registry.recordIssued(alreadyRecorded)
        let revokedAt = Date(timeIntervalSince1970: 1_796_000_000)
        func entry(_ certificate: Certificate, revoked: Bool) -> CertificateAuthorityDatabase.Entry {
            CertificateAuthorityDatabase.Entry(
                serialNumber: certificate.serialNumber, notAfter: certificate.notAfter, subject: "/CN=\(certificate.subject.commonName ?? "")",
                revocation: revoked ? RevokedCertificate(serialNumber: certificate.serialNumber, revocationDate: revokedAt, reason: .superseded) : nil)
        }

        #expect(try await registry.importEntries([entry(valid, revoked: false), entry(revokedLater, revoked: false),
                                                  entry(alreadyRecorded, revoked: false)], nextCRLNumber: 5) == 2)
        #expect(try await registry.status(ofSerialNumber: valid.serialNumber) == .good)
        #expect(try await registry.importEntries([entry(valid, revoked: false)], nextCRLNumber: 5) == 0)

        // The file revoked one since: the import carries it over, once.
        let later = [entry(valid, revoked: false), entry(revokedLater, revoked: true), entry(alreadyRecorded, revoked: true)]
        #expect(try await registry.importEntries(later, nextCRLNumber: 6) == 2)
        #expect(try await registry.importEntries(later, nextCRLNumber: 6) == 0)
        let expected = RevokedCertificate(serialNumber: revokedLater.serialNumber, revocationDate: revokedAt, reason: .superseded)
        #expect(try await registry.status(ofSerialNumber: revokedLater.serialNumber) == .revoked(expected))
        #expect(try await registry.revokedCertificates().count == 2)
        // The file's next CRL number was 6: the registry's continue from there, and an older file does not take them back.
        #expect(try await registry.nextCRLNumber() == 6)
        _ = try await registry.importEntries(later, nextCRLNumber: 2)
        #expect(try await registry.nextCRLNumber() == 7)
    }

    @Test("TSA serial blocks from two storages reserving at once never overlap, and continue above advance(past:)")
    func timeStampSerials() async throws {
        let store = try await TestStore()
        let second = try await TestStorage.open(store.location)
        try await store.storage.timeStampSerials.advance(past: 1000)
        let first = try await store.storage.timeStampSerials.reserve(1)
        #expect(first == 1001...1001)
        try await second.storage.timeStampSerials.advance(past: 10)  // lower: nothing changes
        let sources = [store.storage.timeStampSerials, second.storage.timeStampSerials]
        let blocks = try await withThrowingTaskGroup(of: ClosedRange<UInt64>.self) { group in
            for index in 0..<30 {
                let source = sources[index % 2]
                group.addTask { try await source.reserve(1 + index % 5) }
            }
            return try await group.reduce(into: [ClosedRange<UInt64>]()) { $0.append($1) }
        }
        let serials: [UInt64] = blocks.flatMap { block in block.map { $0 } }
        #expect(Set(serials).count == serials.count)
        #expect(serials.allSatisfy { $0 > 1001 })
        let requested = (0..<30).map { 1 + $0 % 5 }.reduce(0, +)
        #expect(serials.count == requested)
        try await second.close()
    }
}
