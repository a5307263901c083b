import Foundation
@testable import SignetArchive
import SignetCrypto
import SignetPAdES
import SignetPKI
import SignetService
import SignetServiceTestSupport
import SignetTemplates
import SignetTestSupport
import ZIPFoundation

/// Completed contracts of a real service (two merchants, zh-CN, en and bilingual templates),
/// gathered as `ArchivedContract`s, and an archive of them sealed by the platform.
struct ArchiveFixture: Sendable {
    let service: ServiceFixture
    let contracts: [ArchivedContract]
    let seal: ArchiveSeal
    let directory: TemporaryDirectory
    /// The sealed archive of every contract.
    let archive: URL
    /// The platform root as PEM, given to the verifier with --trust.
    let rootPEM: URL

    /// Built once per test process.
    static let shared = Task { try await ArchiveFixture.make() }

    static func make() async throws -> ArchiveFixture {
        let fixture = try await ServiceFixture.make()
        let service = fixture.service
        let first = try await service.createMerchant(ServiceFixture.merchantInput)
        let second = try await service.createMerchant(ServiceFixture.englishMerchantInput)
        var ids: [String] = []
        for (merchant, template) in [(first, "merchant-service-agreement"), (second, "payment-processing-agreement"),
                                     (first, "merchant-service-agreement"), (second, "payment-processing-agreement")] {
            ids.append(try await fixture.completedContract(merchantID: merchant.id, templateID: template).id)
        }
        var gathered: [ArchivedContract] = []
        for id in ids {
            // The sealed evidence report first: sealing it appends `evidence.sealed` to the trail.
            let evidence = try await service.evidencePDF(contractID: id).bytes
            let contract = try await service.contract(id: id)
            let signed = try await service.signedPDF(contractID: id).bytes
            let report = PDFSignatureValidator(options: ValidationOptions(trustAnchors: [fixture.keys.root])).validate(pdf: signed)
            let templateDirectory = RepositoryPaths.templates.appendingPathComponent(contract.template.id)
                .appendingPathComponent(contract.template.version)
            gathered.append(ArchivedContract(
                record: contract.archiveRecord(utcOffsetSeconds: service.configuration.utcOffsetSeconds),
                auditTrail: ArchivedAuditTrail(contractID: id, merchantID: contract.merchantID,
                                               events: try await service.auditTrail(contractID: id).events),
                originalPDF: try await service.originalPDF(contractID: id).bytes, signedPDF: signed,
                evidencePDF: evidence, verificationJSON: Array(try ValidationReportFormatter.json(report).utf8),
                templateFiles: try TemplateDigest.readFiles(in: templateDirectory)))
        }

        let seal = try platformSeal(fixture.keys, timestamps: service.signingFlow.timestamps)
        let directory = try TemporaryDirectory()
        let archive = directory.file("contracts.asice")
        try await write(gathered, seal: seal, to: archive)
        let rootPEM = directory.file("root.pem")
        try Data(fixture.keys.root.pem.utf8).write(to: rootPEM)
        return ArchiveFixture(service: fixture, contracts: gathered, seal: seal, directory: directory, archive: archive, rootPEM: rootPEM)
    }

    /// The platform seal of `keys` with its TSA and revocation data.
    static func platformSeal(_ keys: KeyDirectory, timestamps: any TimeStampProvider) throws -> ArchiveSeal {
        ArchiveSeal(signer: try CMSSigner(key: keys.seal.privateKey, certificate: keys.seal.certificate, chain: keys.seal.chain),
                    timestamps: timestamps, revocation: KeyDirectoryRevocationSource(keys: keys), root: keys.root)
    }

    /// An archive of `contracts` sealed by `seal` at `url`.
    @discardableResult
    static func write(_ contracts: [ArchivedContract], seal: ArchiveSeal, to url: URL) async throws -> ArchiveSummary {
        let writer = try ArchiveWriter(destination: url, seal: seal, generator: "signet tests")
        for contract in contracts { try writer.add(contract) }
        return try await writer.finish(createdAt: Date(timeIntervalSince1970: 1_790_000_000))
    }

    func verify(_ url: URL) async -> ArchiveVerificationReport {
        await ArchiveVerifier(trustRoots: [service.keys.root]).verify(archiveAt: url)
    }
}

/// Rewrites an archive entry by entry (ZIPFoundation), as an attacker without the seal's key
/// could: `edit` returns the new entries for each (path, bytes), in order (none removes it).
enum ArchiveRewriter {
    static func entries(of url: URL) throws -> [(path: String, bytes: [UInt8], stored: Bool)] {
        let archive = try Archive(url: url, accessMode: .read, pathEncoding: nil)
        var result: [(String, [UInt8], Bool)] = []
        for entry in archive {
            var bytes: [UInt8] = []
            _ = try archive.extract(entry) { bytes += $0 }
            result.append((entry.path, bytes, !entry.isCompressed))
        }
        return result
    }

    static func write(_ entries: [(path: String, bytes: [UInt8], stored: Bool)], to url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create, pathEncoding: nil)
        for entry in entries {
            try archive.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(entry.bytes.count),
                                 compressionMethod: entry.stored ? .none : .deflate) { position, size in
                Data(entry.bytes[Int(position)..<Int(position) + size])
            }
        }
    }

    /// A copy of `source` at `destination` with `edit` applied to each entry.
    static func rewrite(_ source: URL, to destination: URL,
                        edit: (String, [UInt8]) throws -> [(String, [UInt8])]) throws {
        var out: [(path: String, bytes: [UInt8], stored: Bool)] = []
        for entry in try entries(of: source) {
            for (path, bytes) in try edit(entry.path, entry.bytes) { out.append((path, bytes, entry.stored)) }
        }
        try write(out, to: destination)
    }

    /// Recomputes SHA256SUMS and the manifest from the entries (the attacker's best effort),
    /// keeping the old signature.
    static func relist(_ url: URL) throws {
        var all = try entries(of: url)
        let data = all.filter { ![ArchiveLayout.mimetypePath, ArchiveLayout.sumsPath, ArchiveLayout.manifestPath, ArchiveLayout.signaturePath].contains($0.path) }
        let sums = SHA256Sums.text(data.map { ($0.path, DigestAlgorithm.sha256.hash($0.bytes)) })
        if let index = all.firstIndex(where: { $0.path == ArchiveLayout.sumsPath }) { all[index].bytes = sums }
        let listed = all.filter { ![ArchiveLayout.mimetypePath, ArchiveLayout.manifestPath, ArchiveLayout.signaturePath].contains($0.path) }
        let manifest = ASiCManifest(references: listed.map {
            ASiCManifest.Reference(uri: $0.path, mimeType: ArchiveLayout.mediaType(of: $0.path), sha256: DigestAlgorithm.sha256.hash($0.bytes))
        }).xml()
        if let index = all.firstIndex(where: { $0.path == ArchiveLayout.manifestPath }) { all[index].bytes = manifest }
        try write(all, to: url)
    }
}
