import Foundation
import SignetCrypto
import SignetPAdES
import SignetPDF
import SignetTestSupport
import Testing
import SignetPKI

/// The catalog's `/Version` and `/Extensions`: tools that add a DSS or a signature raise
/// them (pyHanko: `/Version /2.0` and ISO 32002 for ECDSA and EdDSA; Acrobat's "enable
/// LTV": `/Version /1.7` and ADBE extension level 5). Allowed together with such an update,
/// never on their own, never lowered or rewritten into other extensions.
@Suite("Modification analysis: version and extension bookkeeping")
struct ModificationAnalysisVersionTests {
    typealias F = ModificationFixtures

    static let version = PDFName("Version"), extensions = PDFName("Extensions")

    /// A developer extension dictionary.
    static func developerExtension(_ base: String, level: Int, url: String? = nil) -> PDFObject {
        var dict: PDFDictionary = [.type: .name("DeveloperExtensions"), PDFName("BaseVersion"): .name(PDFName(base)), PDFName("ExtensionLevel"): .integer(level)]
        if let url { dict[PDFName("URL")] = .string(PDFString(url)) }
        return .dictionary(dict)
    }

    /// `pdf` plus one update that sets the catalog entries `entries` (nil removes one) and,
    /// with `dss`, adds a DSS holding the issuing CA's certificate.
    static func update(_ pdf: [UInt8], _ entries: [PDFName: PDFObject?], dss: Bool, pki: TestPKI) throws -> [UInt8] {
        try F.append(pdf) { document, update in
            var catalog = try F.catalog(document)
            for (key, value) in entries { catalog.dictionary[key] = value }
            if dss {
                let certificate = update.add(.stream(try PDFStream.flateEncoded(data: pki.issuing.certificate.der)))
                catalog.dictionary[PDFName("DSS")] = .dictionary([PDFName("Certs"): [.reference(certificate)]])
            }
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
        }
    }

    /// ghostscript.pdf whose catalog carries `entries` before it is signed.
    static func signedBase(_ entries: [PDFName: PDFObject], pki: TestPKI) async throws -> [UInt8] {
        let prepared = try F.append(try BaseDocuments.fixture("ghostscript.pdf")) { document, update in
            var catalog = try F.catalog(document)
            for (key, value) in entries { catalog.dictionary[key] = value }
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
        }
        return try await F.signed(prepared, pki: pki)
    }

    @Test("pyHanko co-signs a Signet contract (ECDSA P-256, Ed25519): /Version 2.0 and ISO 32002 come with the signature; allowed, as pyHanko says",
          arguments: ["ecdsa", "ed25519"])
    func pyhankoCoSignature(algorithm: String) async throws {
        let pki = try TestPKI()
        let signed = try await F.signed(pki: pki)
        let twice = try PyHankoSigning.sign(signed, field: "platform", signer: algorithm == "ed25519" ? .ed25519 : try pki.pyhankoSigner())
        let catalog = try F.catalog(try PDFDocument(bytes: twice)).dictionary
        #expect(catalog[Self.version] == .name("2.0"), "pyHanko wrote \(catalog)")
        #expect(catalog[Self.extensions] != nil, "pyHanko wrote \(catalog)")
        let analysis = try F.analysis(of: twice)
        F.expectAllowed(analysis, [.signature, .signatureField, .version, .extensions])
        let theirs = try pki.pyhankoVerdict(twice)
        #expect(theirs.status.first == "INTACT:TRUSTED" && !theirs.has("ILLEGAL_MODIFICATIONS"), "pyHanko: \(theirs)")
        // The whole verifier: Signet's signature passes (it failed the file before).
        let report = PDFSignatureValidator(options: ValidationOptions(trustAnchors: [pki.root.certificate], requireRevocationData: false)).validate(pdf: twice)
        let merchant = try #require(report.signatures.first { $0.fieldName == "merchant" })
        #expect(merchant.modifications.verdict == .allowed && merchant.indication == .totalPassed, "\(merchant.reasons)")
    }

    @Test("Acrobat's 'enable LTV': a DSS with /Version 1.7 and ADBE extension level 5 in one update is allowed, as pyHanko says")
    func acrobatEnableLTV() async throws {
        let pki = try TestPKI()
        let signed = try await F.signed(pki: pki)
        let ltv = try Self.update(signed, [
            Self.version: .name("1.7"),
            Self.extensions: .dictionary([PDFName("ADBE"): Self.developerExtension("1.7", level: 5)]),
        ], dss: true, pki: pki)
        let analysis = try F.analysis(of: ltv)
        F.expectAllowed(analysis, [.dss, .version, .extensions])
        let theirs = try pki.pyhankoVerdict(ltv)
        #expect(theirs.status.first == "INTACT:TRUSTED" && !theirs.has("ILLEGAL_MODIFICATIONS"), "pyHanko: \(theirs)")
    }

    @Test("Declared extensions raised or extended with a DSS: ADBE 5 → 8, ISO_ 32001 → [32001, 32002], ESIC added")
    func extensionsRaised() async throws {
        let pki = try TestPKI()
        let signed = try await Self.signedBase([Self.extensions: .dictionary([
            PDFName("ADBE"): Self.developerExtension("1.7", level: 5),
            PDFName("ISO_"): Self.developerExtension("2.0", level: 32001, url: "https://www.iso.org/standard/45874.html"),
        ])], pki: pki)
        let raised = try Self.update(signed, [Self.version: .name("2.0"), Self.extensions: .dictionary([
            PDFName("ADBE"): Self.developerExtension("1.7", level: 8),
            PDFName("ISO_"): [Self.developerExtension("2.0", level: 32001), Self.developerExtension("2.0", level: 32002)],
            PDFName("ESIC"): Self.developerExtension("1.7", level: 1),
        ])], dss: true, pki: pki)
        F.expectAllowed(try F.analysis(of: raised), [.dss, .version, .extensions])
    }

    /// A catalog change that is not allowed, with what it must be reported as.
    struct Refused: Sendable, CustomStringConvertible {
        let name: String
        let before: [PDFName: PDFObject]
        let after: [PDFName: PDFObject?]
        let dss: Bool
        let category: ModificationFinding.Category
        var description: String { name }
    }

    static let refused: [Refused] = [
        Refused(name: "version raised alone", before: [:], after: [version: .name("2.0")], dss: false, category: .version),
        Refused(name: "extensions added alone", before: [:], after: [extensions: .dictionary([PDFName("ESIC"): developerExtension("1.7", level: 1)])],
                dss: false, category: .extensions),
        Refused(name: "version lowered", before: [version: .name("2.0")], after: [version: .name("1.4")], dss: true, category: .version),
        Refused(name: "version below the header's", before: [:], after: [version: .name("1.3")], dss: true, category: .version),
        Refused(name: "version removed", before: [version: .name("2.0")], after: [version: nil], dss: true, category: .version),
        Refused(name: "version not a version", before: [:], after: [version: .real(PDFReal(2.0))], dss: true, category: .version),
        Refused(name: "extension lowered", before: [extensions: .dictionary([PDFName("ADBE"): developerExtension("1.7", level: 5)])],
                after: [extensions: .dictionary([PDFName("ADBE"): developerExtension("1.7", level: 3)])], dss: true, category: .extensions),
        Refused(name: "extension removed", before: [extensions: .dictionary([PDFName("ADBE"): developerExtension("1.7", level: 5)])],
                after: [extensions: .dictionary([PDFName("ESIC"): developerExtension("1.7", level: 1)])], dss: true, category: .extensions),
        Refused(name: "ISO extension replaced", before: [extensions: .dictionary([PDFName("ISO_"): [developerExtension("2.0", level: 32001)]])],
                after: [extensions: .dictionary([PDFName("ISO_"): [developerExtension("2.0", level: 32002)]])], dss: true, category: .extensions),
        Refused(name: "extension holding a dictionary", before: [:],
                after: [extensions: .dictionary([PDFName("XYZ"): .dictionary([PDFName("JS"): .dictionary([PDFName("S"): .name("JavaScript")])])])],
                dss: true, category: .extensions),
    ]

    @Test("Version and extension changes that are not allowed", arguments: refused)
    func notAllowed(_ change: Refused) async throws {
        let pki = try TestPKI()
        let signed = change.before.isEmpty ? try await F.signed(pki: pki) : try await Self.signedBase(change.before, pki: pki)
        let changed = try Self.update(signed, change.after, dss: change.dss, pki: pki)
        let analysis = try F.analysis(of: changed)
        F.expectDisallowed(analysis, change.category)
    }

    @Test("Bookkeeping next to an XMP refresh only, or next to a DSS that comes with a page change, is not allowed")
    func notACover() async throws {
        let pki = try TestPKI()
        let signed = try await F.signed(pki: pki)
        let withXMP = try F.append(signed) { document, update in
            var catalog = try F.catalog(document)
            catalog.dictionary[PDFName("Metadata")] = .reference(update.add(F.metadataStream(F.xmp())))
            catalog.dictionary[Self.version] = .name("2.0")
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
        }
        F.expectDisallowed(try F.analysis(of: withXMP), .version)

        let together = try F.append(signed) { document, update in
            var catalog = try F.catalog(document)
            catalog.dictionary[Self.version] = .name("2.0")
            let certificate = update.add(.stream(try PDFStream.flateEncoded(data: pki.issuing.certificate.der)))
            catalog.dictionary[PDFName("DSS")] = .dictionary([PDFName("Certs"): [.reference(certificate)]])
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
            let page = try F.page(document)
            var dict = page.dictionary
            dict[PDFName("Rotate")] = 90
            try update.set(.dictionary(dict), for: page.reference)
        }
        let analysis = try F.analysis(of: together)
        F.expectDisallowed(analysis, .pageContent)
        #expect(analysis.findings.contains { $0.category == .version && $0.allowed }, "the version is bookkeeping of the DSS: \(F.report(analysis))")
    }

    @Test("Known disagreement: pyHanko allows a /Version raised on its own; Signet does not")
    func versionAloneDisagreement() async throws {
        let pki = try TestPKI()
        let raised = try Self.update(try await F.signed(pki: pki), [Self.version: .name("2.0")], dss: false, pki: pki)
        F.expectDisallowed(try F.analysis(of: raised), .version)
        let theirs = try pki.pyhankoVerdict(raised)
        #expect(theirs.status.first == "INTACT:TRUSTED" && !theirs.has("ILLEGAL_MODIFICATIONS"), "pyHanko changed its mind: \(theirs)")
    }
}
