import Foundation
import SignetCrypto
import SignetPAdES
import SignetPKI
import SignetPDF
import SignetTestSupport
import Testing

/// Changes the policy allows after a signature, made by Signet and by hand, must be judged
/// allowed, each with a finding of its kind.
@Suite("Modification analysis: allowed changes")
struct ModificationAnalysisAllowedTests {
    @Test("A signature with no later revision is untouched")
    func untouched() async throws {
        let pki = try TestPKI()
        let signed = try await ModificationFixtures.signed(pki: pki)
        let analysis = try ModificationFixtures.analysis(of: signed)
        #expect(analysis.verdict == .untouched)
        #expect(analysis.findings.isEmpty && analysis.categories.isEmpty)
    }

    @Test("Signet at every level: the revisions after the signature (DSS, document timestamp) are allowed", arguments: PAdESLevel.allCases)
    func signetLevels(level: PAdESLevel) async throws {
        let pki = try TestPKI()
        let signed = try await ModificationFixtures.signed(pki: pki, level: level)
        let analysis = try ModificationFixtures.analysis(of: signed)
        switch level {
        case .bB, .bT:
            #expect(analysis.verdict == .untouched, "\(ModificationFixtures.report(analysis))")
        case .bLT:
            ModificationFixtures.expectAllowed(analysis, [.dss])
            #expect(analysis.categories == [.dss], "\(ModificationFixtures.report(analysis))")
        case .bLTA:
            ModificationFixtures.expectAllowed(analysis, [.dss, .documentTimestamp, .signatureField, .pageAnnotations, .acroForm])
        }
    }

    @Test("A second Signet signature at every level keeps the first signature's changes allowed", arguments: PAdESLevel.allCases)
    func secondSignature(level: PAdESLevel) async throws {
        let pki = try TestPKI()
        let once = try await ModificationFixtures.signed(pki: pki, level: .bT)
        let platform = try pki.padesSigner(organization: "Signet Platform Ltd", person: "Signet Platform Seal")
        let twice = try await platform.sign(once, level: level, request: SignatureRequest(
            fieldName: "platform", visible: try ModificationFixtures.visible(page: 2), metadata: SignatureMetadata(signerName: "Signet Platform Ltd")))
        let first = try ModificationFixtures.analysis(of: twice)
        ModificationFixtures.expectAllowed(first, [.signatureField, .signature, .pageAnnotations, .acroForm])
        #expect(first.findings.contains { $0.category == .signatureField && $0.message.contains("'platform'") })
        let second = try ModificationFixtures.analysis(of: twice, field: "platform")
        if level >= .bLT {
            ModificationFixtures.expectAllowed(second, [.dss])
        } else {
            #expect(second.verdict == .untouched)
        }
    }

    @Test("Filling a prepared, empty signature field (with its own old appearance) is allowed")
    func fillPreparedField() async throws {
        let pki = try TestPKI()
        // Prepare an empty signature field "platform" with an appearance, then sign "merchant".
        let base = try BaseDocuments.fixture("ghostscript.pdf")
        let prepared = try ModificationFixtures.append(base) { document, update in
            let page = try ModificationFixtures.page(document)
            let appearance = update.add(.stream(try PDFStream.flateEncoded(dictionary: [
                .type: .name("XObject"), .subtype: .name("Form"), PDFName("BBox"): [0, 0, 100, 50],
            ], data: Array("0 0 1 rg 0 0 100 50 re S".utf8))))
            let field = update.add(.dictionary([
                PDFName("FT"): .name("Sig"), PDFName("T"): .string(PDFString("platform")), .type: .name("Annot"), .subtype: .name("Widget"),
                PDFName("Rect"): [50, 50, 150, 100], PDFName("F"): 4, PDFName("P"): .reference(page.reference),
                PDFName("AP"): .dictionary([PDFName("N"): .reference(appearance)]),
            ]))
            var pageDict = page.dictionary
            pageDict[PDFName("Annots")] = [.reference(field)]
            try update.set(.dictionary(pageDict), for: page.reference)
            let form = update.add(.dictionary([PDFName("Fields"): [.reference(field)]]))
            var catalog = try ModificationFixtures.catalog(document)
            catalog.dictionary[PDFName("AcroForm")] = .reference(form)
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
        }
        let merchant = try await ModificationFixtures.signed(prepared, pki: pki)
        // Sign the prepared field with Signet, which replaces its appearance.
        let twice = try await pki.padesSigner(organization: "Signet Platform Ltd", person: "Seal").sign(
            merchant, level: .bB, request: SignatureRequest(fieldName: "platform", visible: try ModificationFixtures.visible()))
        ModificationFixtures.expectAllowed(try ModificationFixtures.analysis(of: twice), [.signature])

        // An in-place rewrite of the field's own old appearance stream (the pyHanko control
        // case) is also allowed: nothing else in the signed document uses it.
        let inPlace = try ModificationFixtures.append(merchant) { document, update in
            let field = try ModificationFixtures.field(document, "platform")
            let appearance = try #require(field.dictionary[PDFName("AP")]?.dictionaryValue?[PDFName("N")]?.referenceValue)
            try update.set(try ModificationFixtures.contentStream("Signed by the platform"), for: appearance)
            let signature = update.add(.dictionary([.type: .name("Sig"), .filter: .name("Adobe.PPKLite"), .contents: .string(PDFString(bytes: [1, 2, 3], form: .hex))]))
            var dict = field.dictionary
            dict[PDFName("V")] = .reference(signature)
            try update.set(.dictionary(dict), for: field.reference)
        }
        ModificationFixtures.expectAllowed(try ModificationFixtures.analysis(of: inPlace), [.signature])
    }

    @Test("A new signature field with indirect /Lock, /SV and /MK dictionaries (as Acrobat writes them) is allowed")
    func signatureFieldDictionaries() async throws {
        let signed = try await ModificationFixtures.signed(pki: try TestPKI())
        let withField = try ModificationFixtures.append(signed) { document, update in
            let page = try ModificationFixtures.page(document)
            let lock = update.add(.dictionary([.type: .name("SigFieldLock"), PDFName("Action"): .name("All")]))
            let seed = update.add(.dictionary([.type: .name("SV"), PDFName("Ff"): 1, PDFName("SubFilter"): [.name("ETSI.CAdES.detached")]]))
            let characteristics = update.add(.dictionary([PDFName("BG"): [1]]))
            let widget = update.add(.dictionary([
                PDFName("FT"): .name("Sig"), PDFName("T"): .string(PDFString("platform")), .type: .name("Annot"), .subtype: .name("Widget"),
                PDFName("Rect"): [0, 0, 0, 0], PDFName("P"): .reference(page.reference), PDFName("Lock"): .reference(lock),
                PDFName("SV"): .reference(seed), PDFName("MK"): .reference(characteristics),
            ]))
            let form = try #require(try ModificationFixtures.catalog(document).dictionary[PDFName("AcroForm")]?.referenceValue)
            var formDict = try #require(try document.object(form).dictionaryValue)
            formDict[PDFName("Fields")] = .array(try document.current.formFields() + [.reference(widget)])
            try update.set(.dictionary(formDict), for: form)
        }
        let analysis = try ModificationFixtures.analysis(of: withField)
        ModificationFixtures.expectAllowed(analysis, [.signatureField, .acroForm])
        #expect(!analysis.categories.contains(.signature), "the field is not signed yet")
    }

    @Test("DSS added and then updated by hand (indirect arrays, VRI) is allowed")
    func dssByHand() async throws {
        let pki = try TestPKI()
        let signed = try await ModificationFixtures.signed(pki: pki)
        let withDSS = try DocumentSecurityStoreWriter.append(
            to: signed, material: ValidationMaterial(certificates: [pki.issuing.certificate.der, pki.root.certificate.der], crls: pki.crls.map(\.der)))
        ModificationFixtures.expectAllowed(try ModificationFixtures.analysis(of: withDSS), [.dss])
        // A second update replacing the DSS arrays with indirect ones and adding a VRI entry.
        let updated = try ModificationFixtures.append(withDSS) { document, update in
            let catalog = try ModificationFixtures.catalog(document)
            var dss = try #require(try document.current.dictionary(catalog.dictionary[PDFName("DSS")]))
            let certs = update.add(dss[PDFName("Certs")] ?? [])
            let crl = update.add(.stream(try PDFStream.flateEncoded(data: pki.crls[0].der)))
            dss[PDFName("Certs")] = .reference(certs)
            dss[PDFName("VRI")] = .dictionary([PDFName(String(repeating: "AB", count: 20)): .dictionary([PDFName("CRL"): [.reference(crl)], PDFName("TU"): .string(PDFString("D:20261122000000Z"))])])
            if case .reference(let ref)? = catalog.dictionary[PDFName("DSS")] {
                try update.set(.dictionary(dss), for: ref)
            } else {
                var dict = catalog.dictionary
                dict[PDFName("DSS")] = .dictionary(dss)
                try update.set(.dictionary(dict), for: catalog.reference)
            }
        }
        let analysis = try ModificationFixtures.analysis(of: updated)
        ModificationFixtures.expectAllowed(analysis, [.dss])
        #expect(analysis.findings.filter { $0.category == .dss }.count == 2, "\(ModificationFixtures.report(analysis))")
    }

    @Test("A document timestamp added with DocumentTimestamper is allowed")
    func documentTimestamp() async throws {
        let pki = try TestPKI()
        let signed = try await ModificationFixtures.signed(pki: pki)
        let stamped = try await DocumentTimestamper(provider: pki.tsa).timestamp(signed)
        let analysis = try ModificationFixtures.analysis(of: stamped)
        ModificationFixtures.expectAllowed(analysis, [.documentTimestamp, .signatureField, .pageAnnotations])
        #expect(!analysis.categories.contains(.signature))
    }

    @Test("XMP metadata added, then refreshed in place, is allowed")
    func xmpRefresh() async throws {
        let pki = try TestPKI()
        let signed = try await ModificationFixtures.signed(pki: pki)
        let added = try ModificationFixtures.append(signed) { document, update in
            var catalog = try ModificationFixtures.catalog(document)
            catalog.dictionary[PDFName("Metadata")] = .reference(update.add(ModificationFixtures.metadataStream(ModificationFixtures.xmp())))
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
        }
        ModificationFixtures.expectAllowed(try ModificationFixtures.analysis(of: added), [.metadata])
        let refreshed = try ModificationFixtures.append(added) { document, update in
            let ref = try #require(try ModificationFixtures.catalog(document).dictionary[PDFName("Metadata")]?.referenceValue)
            try update.set(.stream(try PDFStream.flateEncoded(dictionary: [.type: .name("Metadata"), .subtype: .name("XML")],
                                                              data: ModificationFixtures.xmp("<dc:format>application/pdf</dc:format>"))), for: ref)
        }
        let analysis = try ModificationFixtures.analysis(of: refreshed)
        ModificationFixtures.expectAllowed(analysis, [.metadata])
        #expect(analysis.findings.filter { $0.category == .metadata }.count == 2)
    }

    @Test("Well-formed XMP in its usual variants is accepted (UTF-16, bare rdf:RDF, comments, CDATA, references, padding)", arguments: [
        "utf16", "rdf", "rich", "padding",
    ])
    func xmpVariants(variant: String) async throws {
        let signed = try await ModificationFixtures.signed(pki: try TestPKI())
        let data: [UInt8]
        switch variant {
        case "utf16":
            let text = String(decoding: ModificationFixtures.xmp(), as: UTF8.self)
            data = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case "rdf":
            data = Array(#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""/></rdf:RDF>"#.utf8)
        case "rich":
            data = ModificationFixtures.xmp("<!-- edited -->\n<dc:description><![CDATA[<b>not markup</b>]]> &amp; &#x5408;&#21516; &lt;ok&gt;</dc:description><?php nothing?>")
        default:
            data = ModificationFixtures.xmp() + [UInt8](repeating: 0x20, count: 2048) + Array("\n".utf8)
        }
        let updated = try ModificationFixtures.append(signed) { document, update in
            var catalog = try ModificationFixtures.catalog(document)
            catalog.dictionary[PDFName("Metadata")] = .reference(update.add(ModificationFixtures.metadataStream(data)))
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
        }
        ModificationFixtures.expectAllowed(try ModificationFixtures.analysis(of: updated), [.metadata])
    }

    @Test("The /Info dictionary refreshed in place, or replaced by a new one, is allowed")
    func infoRefresh() async throws {
        let pki = try TestPKI()
        let signed = try await ModificationFixtures.signed(pki: pki)
        let document = try PDFDocument(bytes: signed)
        let info = try #require(document.trailer[.info]?.referenceValue, "the base has an /Info")
        let inPlace = try ModificationFixtures.append(signed) { document, update in
            var dict = try #require(try document.current.info()?.dictionary)
            dict[PDFName("ModDate")] = .string(PDFString("D:20261122120000+08'00'"))
            dict[PDFName("Producer")] = .string(PDFString("Signet"))
            try update.set(.dictionary(dict), for: info)
        }
        ModificationFixtures.expectAllowed(try ModificationFixtures.analysis(of: inPlace), [.info])
        let replaced = try ModificationFixtures.append(signed) { _, update in
            update.info = update.add(.dictionary([PDFName("Title"): .string(PDFString("Agreement")), PDFName("Author"): .string(PDFString("Signet"))]))
        }
        ModificationFixtures.expectAllowed(try ModificationFixtures.analysis(of: replaced), [.info])
    }

    @Test("An update that changes nothing (or rewrites objects identically) is allowed", arguments: [PDFIncrementalUpdate.XRefStyle.table, .stream])
    func emptyUpdate(style: PDFIncrementalUpdate.XRefStyle) async throws {
        let pki = try TestPKI()
        let signed = try await ModificationFixtures.signed(pki: pki)
        let empty = try ModificationFixtures.append(signed, style: style) { _, _ in }
        let analysis = try ModificationFixtures.analysis(of: empty)
        ModificationFixtures.expectAllowed(analysis, [.emptyUpdate])
        #expect(analysis.categories == [.emptyUpdate])
        let identical = try ModificationFixtures.append(empty, style: style) { document, update in
            let catalog = try ModificationFixtures.catalog(document)
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
            let page = try ModificationFixtures.page(document)
            try update.set(.dictionary(page.dictionary), for: page.reference)
        }
        let again = try ModificationFixtures.analysis(of: identical)
        ModificationFixtures.expectAllowed(again, [.emptyUpdate])
        #expect(again.categories == [.emptyUpdate], "\(ModificationFixtures.report(again))")
        // Unused new objects (some writers leave orphans) change nothing either.
        let orphan = try ModificationFixtures.append(signed) { _, update in
            update.add(try ModificationFixtures.contentStream("never shown"))
        }
        ModificationFixtures.expectAllowed(try ModificationFixtures.analysis(of: orphan), [.emptyUpdate])
    }

    @Test("Allowed changes written in an object stream with a cross-reference stream")
    func objectStreams() async throws {
        let pki = try TestPKI()
        let signed = try await ModificationFixtures.signed(pki: pki)
        // Streams cannot sit in object streams: the XMP goes in a classic update first (an
        // unused object there), then the catalog, rewritten in an object stream, uses it.
        var xmp = PDFReference(0)
        let withXMP = try ModificationFixtures.append(signed) { _, update in
            xmp = update.add(ModificationFixtures.metadataStream(ModificationFixtures.xmp()))
        }
        var catalog = try ModificationFixtures.catalog(try PDFDocument(bytes: withXMP))
        catalog.dictionary[PDFName("Metadata")] = .reference(xmp)
        let updated = try ModificationFixtures.appendInObjectStream(withXMP, objects: [(catalog.reference, .dictionary(catalog.dictionary))])
        let analysis = try ModificationFixtures.analysis(of: updated)
        ModificationFixtures.expectAllowed(analysis, [.metadata])
    }

    @Test("Signet signing third-party signed PDFs (Adobe object streams, DSS, plugtests), then a DSS and a document timestamp: their signatures' changes stay allowed",
          arguments: [
              "pyhanko/minimal-two-fields-signed-twice.pdf", "pyhanko/minimal-signed-twice-second-created.pdf",
              "pyhanko/pades-lta-dss-indirect-arrs-test.pdf", "pyhanko/form-update-override-appearance-stream.pdf",
              "dss/Signature-P-HU_POL-3.pdf", "dss/hello_signed_INCSAVE_signed.pdf", "dss/pdf-signed-original.pdf",
              "dss/Signature-P-HU_MIC-1.pdf", "dss/Signature-P-PK7-2.pdf",
          ])
    func signingThirdPartyFiles(file: String) async throws {
        let base = try [UInt8](Data(contentsOf: RepositoryPaths.corpus.appendingPathComponent(file)))
        let pki = try TestPKI()
        // B-LT would need revocation data for the third-party signers, which are not ours:
        // add Signet's signature, a DSS with our own chain and CRLs, and a document timestamp.
        let once = try await pki.padesSigner().sign(base, level: .bT, request: SignatureRequest(fieldName: "signet", metadata: ModificationFixtures.metadata))
        let withDSS = try DocumentSecurityStoreWriter.append(
            to: once, material: ValidationMaterial(certificates: [pki.issuing.certificate.der, pki.root.certificate.der], crls: pki.crls.map(\.der)))
        let signed = try await DocumentTimestamper(provider: pki.tsa).timestamp(withDSS)
        let document = try PDFDocument(bytes: signed)
        let analyzer = ModificationAnalyzer(document: document)
        let signatures = try ModificationFixtures.signatures(in: document)
        #expect(signatures.count >= 3)
        for (name, revision) in signatures {
            let revision = try #require(revision, "\(file) \(name)")
            let analysis = analyzer.analyze(after: revision)
            let report = "\(file) \(name): \(ModificationFixtures.report(analysis))"
            if revision == document.revisions.count - 1 {
                #expect(analysis.verdict == .untouched, "the document timestamp: \(report)")
            } else if name == "signet" {
                #expect(analysis.verdict == .allowed && analysis.categories.isSuperset(of: [.dss, .documentTimestamp]), "\(report)")
            } else {
                #expect(analysis.verdict == .allowed, "\(report)")
                #expect(analysis.categories.isSuperset(of: [.signature, .dss, .documentTimestamp]), "\(report)")
            }
        }
    }

    @Test("B-LTA over PDFs from other producers (object streams, xref streams, linearized, QDF): Signet's own updates are allowed")
    func foreignProducers() async throws {
        for (name, base) in try BaseDocuments.all() {
            let pki = try TestPKI()
            let once = try await ModificationFixtures.signed(base, pki: pki, level: .bT, visible: false)
            let twice = try await pki.padesSigner(organization: "Signet Platform Ltd", person: "Seal")
                .sign(once, level: .bLTA, request: SignatureRequest(fieldName: "platform", visible: try ModificationFixtures.visible()))
            let first = try ModificationFixtures.analysis(of: twice)
            #expect(first.verdict == .allowed, "\(name): \(ModificationFixtures.report(first))")
            #expect(first.categories.isSuperset(of: [.signature, .dss, .documentTimestamp]), "\(name): \(ModificationFixtures.report(first))")
            let second = try ModificationFixtures.analysis(of: twice, field: "platform")
            #expect(second.verdict == .allowed, "\(name): \(ModificationFixtures.report(second))")
        }
    }
}
