import Foundation
import SignetCrypto
import SignetPAdES
import SignetPDF
import SignetTestSupport
import Testing
import SignetPKI

/// Validation data is only ever added: the DSS writer keeps every earlier entry as it was,
/// and the verifier refuses an update that removes or rewrites DSS evidence (issue 12, §3).
@Suite("DSS: validation data is only ever added")
struct DSSAddOnlyTests {
    typealias F = ModificationFixtures

    /// The DSS of `pdf`'s last revision, its raw entries unresolved.
    static func dss(_ pdf: [UInt8]) throws -> (document: PDFDocument, dss: PDFDictionary) {
        let document = try PDFDocument(bytes: pdf)
        let catalog = try F.catalog(document)
        return (document, try #require(try document.current.dictionary(catalog.dictionary[PDFName("DSS")])))
    }

    /// `pdf` with one update that rewrites its DSS object through `change`.
    static func changingDSS(_ pdf: [UInt8], _ change: (PDFDocument, inout PDFDictionary, inout PDFIncrementalUpdate) throws -> Void) throws -> [UInt8] {
        try F.append(pdf) { document, update in
            let catalog = try F.catalog(document)
            let reference = try #require(catalog.dictionary[PDFName("DSS")]?.referenceValue, "Signet writes the DSS as an indirect object")
            var dss = try #require(try document.current.dictionary(.reference(reference)))
            try change(document, &dss, &update)
            try update.set(.dictionary(dss), for: reference)
        }
    }

    // MARK: The writer

    @Test("A second B-LT signature adds to the DSS: earlier array items, VRI entries and streams stay as written")
    func secondSignatureOnlyAdds() async throws {
        let pki = try TestPKI()
        let once = try await F.signed(pki: pki, level: .bLT)
        let platform = try pki.padesSigner(organization: "Signet Platform Ltd", person: "Signet Platform Seal")
        let twice = try await platform.sign(once, level: .bLT, request: SignatureRequest(fieldName: "platform", metadata: F.metadata))
        let (_, before) = try Self.dss(once)
        let (document, after) = try Self.dss(twice)
        for key in ["Certs", "CRLs", "OCSPs"].map({ PDFName($0) }) {
            let old = before[key]?.arrayValue ?? [], new = after[key]?.arrayValue ?? []
            #expect(Array(new.prefix(old.count)) == old, "\(key): earlier items keep their place")
        }
        let oldVRI = try #require(before[PDFName("VRI")]?.dictionaryValue)
        let newVRI = try #require(after[PDFName("VRI")]?.dictionaryValue)
        #expect(oldVRI.count == 1 && newVRI.count == 2, "one VRI entry per signature: \(newVRI.keys)")
        for (key, value) in oldVRI.entries { #expect(newVRI[key] == value, "VRI \(key) unchanged") }
        // The last update (platform's DSS) wrote no object of the earlier DSS's evidence again.
        let rewritten = Set(document.revisions.last!.entries.keys)
        let evidence = ["Certs", "CRLs", "OCSPs"].flatMap { before[PDFName($0)]?.arrayValue ?? [] }.compactMap(\.referenceValue?.number)
        #expect(evidence.allSatisfy { !rewritten.contains($0) }, "evidence objects \(evidence) vs rewritten \(rewritten.sorted())")
        F.expectAllowed(try F.analysis(of: twice), [.dss])
        F.expectAllowed(try F.analysis(of: twice, field: "platform"), [.dss])
    }

    @Test("An indirect /Certs array and an indirect /VRI are extended in place; pyHanko accepts the result")
    func indirectStructuresExtendedInPlace() async throws {
        let pki = try TestPKI()
        let once = try await F.signed(pki: pki, level: .bLT)
        // Make /Certs and /VRI indirect objects.
        let reshaped = try Self.changingDSS(once) { _, dss, update in
            dss[PDFName("Certs")] = .reference(update.add(dss[PDFName("Certs")] ?? []))
            dss[PDFName("VRI")] = .reference(update.add(dss[PDFName("VRI")] ?? .dictionary([:])))
        }
        let platform = try pki.padesSigner(organization: "Signet Platform Ltd", person: "Signet Platform Seal")
        let twice = try await platform.sign(reshaped, level: .bLT, request: SignatureRequest(fieldName: "platform", metadata: F.metadata))
        let (_, before) = try Self.dss(reshaped)
        let (document, after) = try Self.dss(twice)
        let certs = try #require(before[PDFName("Certs")]?.referenceValue)
        let vri = try #require(before[PDFName("VRI")]?.referenceValue)
        #expect(after[PDFName("Certs")] == .reference(certs) && after[PDFName("VRI")] == .reference(vri), "same objects, updated in place")
        let oldCerts = try #require(try PDFDocument(bytes: reshaped).current.array(.reference(certs)))
        let newCerts = try #require(try document.current.array(.reference(certs)))
        #expect(Array(newCerts.prefix(oldCerts.count)) == oldCerts && newCerts.count > oldCerts.count)
        let newVRI = try #require(try document.current.dictionary(.reference(vri)))
        #expect(newVRI.count == 2)
        F.expectAllowed(try F.analysis(of: twice), [.dss])

        let dir = try TemporaryDirectory()
        try Data(twice).write(to: dir.file("twice.pdf"))
        let pyhanko = try PyHanko.validate(dir.file("twice.pdf"), trusting: [pki.rootFile])
        #expect(pyhanko.verdicts.map(\.fieldName) == ["merchant", "platform"], "\(pyhanko.raw.combinedOutput)")
        #expect(pyhanko.verdicts.first?.has("ACCEPTABLE_MODIFICATIONS") == true, "\(pyhanko.verdicts)")
        #expect(pyhanko.verdicts.allSatisfy { $0.isIntactAndTrusted }, "\(pyhanko.verdicts)")
    }

    @Test("Array items the writer does not understand (direct values) are kept, not dropped")
    func directItemsKept() async throws {
        let pki = try TestPKI()
        let once = try await F.signed(pki: pki, level: .bLT)
        let odd = try Self.changingDSS(once) { _, dss, _ in
            dss[PDFName("CRLs")] = .array((dss[PDFName("CRLs")]?.arrayValue ?? []) + [.integer(7)])
        }
        let extended = try DocumentSecurityStoreWriter.append(
            to: odd, material: ValidationMaterial(certificates: [try pki.signer(organization: "Other", person: "Other").1.der]))
        let (_, after) = try Self.dss(extended)
        #expect(after[PDFName("CRLs")]?.arrayValue?.last == .integer(7))
    }

    @Test("Nothing new to add: the file comes back unchanged, with no empty update")
    func nothingToAdd() async throws {
        let pki = try TestPKI()
        let once = try await F.signed(pki: pki, level: .bLT)
        let again = try await LTVExtender(source: pki.revocationSource).addValidationData(to: once)
        #expect(again == once)
        let same = try DocumentSecurityStoreWriter.append(
            to: once, material: ValidationMaterial(certificates: [pki.issuing.certificate.der], crls: pki.crls.map(\.der)))
        #expect(same == once)
    }

    // MARK: The verifier's rule

    @Test("Removing a certificate from /DSS /Certs is not allowed")
    func removedArrayItem() async throws {
        let pki = try TestPKI()
        let once = try await F.signed(pki: pki, level: .bLT)
        let pruned = try Self.changingDSS(once) { _, dss, _ in
            dss[PDFName("Certs")] = .array(Array((dss[PDFName("Certs")]?.arrayValue ?? []).dropFirst()))
        }
        F.expectDisallowed(try F.analysis(of: pruned), .dss)
    }

    @Test("Rewriting an existing VRI entry (what the old writer did on a second B-LT step) is not allowed")
    func rewrittenVRIEntry() async throws {
        let pki = try TestPKI()
        let once = try await F.signed(pki: pki, level: .bLT)
        let rewritten = try Self.changingDSS(once) { _, dss, update in
            var vri = try #require(dss[PDFName("VRI")]?.dictionaryValue)
            let key = try #require(vri.keys.first)
            let crl = update.add(.stream(try PDFStream.flateEncoded(data: pki.crls[1].der)))
            vri[key] = .dictionary([PDFName("CRL"): [.reference(crl)]])
            dss[PDFName("VRI")] = .dictionary(vri)
            dss[PDFName("CRLs")] = .array((dss[PDFName("CRLs")]?.arrayValue ?? []) + [.reference(crl)])
        }
        F.expectDisallowed(try F.analysis(of: rewritten), .dss)
    }

    @Test("Removing a VRI entry is not allowed")
    func removedVRIEntry() async throws {
        let pki = try TestPKI()
        let once = try await F.signed(pki: pki, level: .bLT)
        let removed = try Self.changingDSS(once) { _, dss, _ in
            dss[PDFName("VRI")] = .dictionary([:])
        }
        F.expectDisallowed(try F.analysis(of: removed), .dss)
    }

    @Test("Rewriting a DSS certificate stream in place is not allowed, even where only the DSS uses it")
    func rewrittenStream() async throws {
        let pki = try TestPKI()
        let once = try await F.signed(pki: pki, level: .bLT)
        let (_, dss) = try Self.dss(once)
        let certificate = try #require(dss[PDFName("Certs")]?.arrayValue?.last?.referenceValue)
        let rewritten = try F.append(once) { _, update in
            try update.set(.stream(try PDFStream.flateEncoded(data: pki.root.certificate.der + [0])), for: certificate)
        }
        F.expectDisallowed(try F.analysis(of: rewritten), .dss)
    }

    @Test("Removing a DSS that was added after signing is not allowed")
    func removedStore() async throws {
        let pki = try TestPKI()
        let once = try await F.signed(pki: pki, level: .bT)
        let withDSS = try await LTVExtender(source: pki.revocationSource).addValidationData(to: once)
        F.expectAllowed(try F.analysis(of: withDSS), [.dss])
        let removed = try F.append(withDSS) { document, update in
            var catalog = try F.catalog(document)
            catalog.dictionary[PDFName("DSS")] = nil
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
        }
        F.expectDisallowed(try F.analysis(of: removed), .dss)
    }
}
