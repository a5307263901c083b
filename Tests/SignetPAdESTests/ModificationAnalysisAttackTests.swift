import Foundation
import SignetCrypto
import SignetPAdES
import SignetPDF
import SignetTestSupport
import Testing

/// Changes made after a Signet signature that the policy forbids: each must make the
/// analysis disallowed, with a finding of the right kind.
@Suite("Modification analysis: disallowed changes")
struct ModificationAnalysisAttackTests {
    typealias F = ModificationFixtures

    @Test("Page content replaced: /Contents pointed at a new stream, or the signed content stream rewritten in place")
    func pageContent() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let repointed = try F.append(signed) { document, update in
            let page = try F.page(document)
            var dict = page.dictionary
            dict[.contents] = .reference(update.add(try F.contentStream("Pay 1,000,000")))
            try update.set(.dictionary(dict), for: page.reference)
        }
        F.expectDisallowed(try F.analysis(of: repointed), .pageContent)

        let inPlace = try F.append(signed) { document, update in
            let page = try F.page(document)
            let contents = try #require(Self.firstContentStream(page))
            try update.set(try F.contentStream("Pay 1,000,000"), for: contents)
        }
        let analysis = try F.analysis(of: inPlace)
        F.expectDisallowed(analysis, .pageContent)
        #expect(analysis.disallowedFindings.contains { $0.message.contains("page 1") }, "\(F.report(analysis))")
    }

    @Test("Page resources changed, or a font/image object of the page redefined (shadow 'hide' by redefinition)")
    func resourcesAndRedefinition() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let resources = try F.append(signed) { document, update in
            let page = try F.page(document)
            var dict = page.dictionary
            dict[.resources] = .dictionary([:])
            try update.set(.dictionary(dict), for: page.reference)
        }
        F.expectDisallowed(try F.analysis(of: resources), .pageContent)

        let document = try PDFDocument(bytes: signed)
        let font = try #require(try Self.firstFont(document), "the base page uses an indirect font")
        let redefined = try F.append(signed) { _, update in
            try update.set(.dictionary([.type: .name("Font"), .subtype: .name("Type1"), PDFName("BaseFont"): .name("ZapfDingbats")]), for: font)
        }
        let analysis = try F.analysis(of: redefined)
        F.expectDisallowed(analysis, .objectRedefined)
        #expect(analysis.disallowedFindings.contains { $0.object == "\(font.number) \(font.generation) R" }, "\(F.report(analysis))")
    }

    @Test("Annotations added: a /Text note, a /FreeText box, a /Link; or a signed annotation removed", arguments: ["Text", "FreeText", "Link"])
    func annotationAdded(subtype: String) async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let annotated = try F.append(signed) { document, update in
            let page = try F.page(document)
            let note = update.add(.dictionary([
                .type: .name("Annot"), .subtype: .name(PDFName(subtype)), PDFName("Rect"): [100, 100, 300, 200],
                .contents: .string(PDFString("The price is 10x")), PDFName("P"): .reference(page.reference),
            ]))
            var dict = page.dictionary
            let existing = try document.current.annotations(of: page)
            if case .reference(let annots)? = dict[PDFName("Annots")] {
                try update.set(.array(existing + [.reference(note)]), for: annots)
            } else {
                dict[PDFName("Annots")] = .array(existing + [.reference(note)])
                try update.set(.dictionary(dict), for: page.reference)
            }
        }
        let analysis = try F.analysis(of: annotated)
        F.expectDisallowed(analysis, .annotation)
        #expect(analysis.disallowedFindings.contains { $0.message.contains(subtype) }, "\(F.report(analysis))")

        // Removing the signed widget from the page's annotations.
        let removed = try F.append(signed) { document, update in
            let page = try F.page(document)
            var dict = page.dictionary
            dict[PDFName("Annots")] = []
            try update.set(.dictionary(dict), for: page.reference)
        }
        F.expectDisallowed(try F.analysis(of: removed), .annotation)
    }

    @Test("A form field filled in after signing (the shadow 'replace' attack), or a new text field added")
    func formField() async throws {
        let pki = try TestPKI()
        let base = try Self.withTextField(try BaseDocuments.fixture("ghostscript.pdf"), value: "100 EUR")
        let signed = try await F.signed(base, pki: pki)
        let filled = try F.append(signed) { document, update in
            let field = try F.field(document, "Amount")
            var dict = field.dictionary
            dict[PDFName("V")] = .string(PDFString("1,000,000 EUR"))
            dict[PDFName("AP")] = .dictionary([PDFName("N"): .reference(update.add(try F.contentStream("1,000,000 EUR")))])
            try update.set(.dictionary(dict), for: field.reference)
        }
        let analysis = try F.analysis(of: filled)
        F.expectDisallowed(analysis, .formField)
        #expect(analysis.disallowedFindings.contains { $0.message.contains("'Amount'") && $0.message.contains("1,000,000 EUR") }, "\(F.report(analysis))")

        // Only the appearance, in place: the text field's own appearance stream rewritten.
        let appearanceOnly = try F.append(signed) { document, update in
            let field = try F.field(document, "Amount")
            let stream = try #require(field.dictionary[PDFName("AP")]?.dictionaryValue?[PDFName("N")]?.referenceValue)
            try update.set(try F.contentStream("1,000,000 EUR"), for: stream)
        }
        F.expectDisallowed(try F.analysis(of: appearanceOnly), .objectRedefined)

        let newField = try Self.withTextField(signed, value: "extra clause", name: "Clause")
        F.expectDisallowed(try F.analysis(of: newField), .formField)
    }

    @Test("Catalog entries added: /OpenAction JavaScript, /Names JavaScript, /AA, /Perms; the catalog replaced")
    func catalogEntries() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        for key in ["OpenAction", "Names", "AA", "Perms"] {
            let changed = try F.append(signed) { document, update in
                var catalog = try F.catalog(document)
                let action = update.add(.dictionary([PDFName("S"): .name("JavaScript"), PDFName("JS"): .string(PDFString("app.alert('x')"))]))
                switch key {
                case "Names": catalog.dictionary[PDFName(key)] = .dictionary([PDFName("JavaScript"): .dictionary([PDFName("Names"): [.string(PDFString("a")), .reference(action)]])])
                case "AA": catalog.dictionary[PDFName(key)] = .dictionary([PDFName("WC"): .reference(action)])
                case "Perms": catalog.dictionary[PDFName(key)] = .dictionary([PDFName("DocMDP"): .reference(action)])
                default: catalog.dictionary[PDFName(key)] = .reference(action)
                }
                try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
            }
            let analysis = try F.analysis(of: changed)
            F.expectDisallowed(analysis, .catalog)
            #expect(analysis.disallowedFindings.contains { $0.message.contains("/\(key)") }, "\(key): \(F.report(analysis))")
        }
        // Another catalog object, judged against the signed catalog like an in-place rewrite.
        let replaced = try F.append(signed) { document, update in
            var catalog = try F.catalog(document).dictionary
            catalog[PDFName("PageMode")] = .name("FullScreen")
            update.root = update.add(.dictionary(catalog))
        }
        let analysis = try F.analysis(of: replaced)
        F.expectDisallowed(analysis, .catalog)
        #expect(analysis.disallowedFindings.contains { $0.message.contains("/PageMode") }, "\(F.report(analysis))")
        // A signed object (the page's font) rewritten into a copy of the catalog and made the
        // catalog: equal entries, but the page's font is gone.
        let document = try PDFDocument(bytes: signed)
        let font = try #require(try Self.firstFont(document))
        let reused = try F.append(signed) { document, update in
            try update.set(.dictionary(try F.catalog(document).dictionary), for: font)
            update.root = font
        }
        F.expectDisallowed(try F.analysis(of: reused), .catalog)
    }

    @Test("A page added, a page removed, the pages reordered")
    func pages() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let document = try PDFDocument(bytes: signed)
        let root = try #require(try F.catalog(document).dictionary[PDFName("Pages")]?.referenceValue)
        let tree = try #require(try document.current.dictionary(.reference(root)))
        let kids = try #require(tree[.kids]?.arrayValue)
        try #require(kids.count == 2, "ghostscript.pdf has two pages under the root node")
        func rewrite(_ body: (inout PDFDictionary, inout PDFIncrementalUpdate) throws -> Void) throws -> [UInt8] {
            try F.append(signed) { _, update in
                var dict = tree
                try body(&dict, &update)
                try update.set(.dictionary(dict), for: root)
            }
        }
        let added = try rewrite { dict, update in
            let page = update.add(.dictionary([.type: .name("Page"), .parent: .reference(root), PDFName("MediaBox"): [0, 0, 595, 842],
                                               .contents: .reference(update.add(try F.contentStream("Annex: new terms")))]))
            dict[.kids] = .array(kids + [.reference(page)])
            dict[PDFName("Count")] = 3
        }
        let analysis = try F.analysis(of: added)
        F.expectDisallowed(analysis, .pages)
        #expect(analysis.disallowedFindings.contains { $0.message.contains("added") }, "\(F.report(analysis))")
        let removed = try rewrite { dict, _ in
            dict[.kids] = [kids[0]]
            dict[PDFName("Count")] = 1
        }
        F.expectDisallowed(try F.analysis(of: removed), .pages)
        let reordered = try rewrite { dict, _ in dict[.kids] = [kids[1], kids[0]] }
        F.expectDisallowed(try F.analysis(of: reordered), .pages)
        let inherited = try rewrite { dict, _ in dict[PDFName("Rotate")] = 90 }
        F.expectDisallowed(try F.analysis(of: inherited), .pageContent)
    }

    @Test("The page tree restructured with the same pages in the same order (a new node with inherited /Rotate)")
    func pageTreeRestructured() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let document = try PDFDocument(bytes: signed)
        let root = try #require(try F.catalog(document).dictionary[PDFName("Pages")]?.referenceValue)
        let tree = try #require(try document.object(root).dictionaryValue)
        let kids = try #require(tree[.kids]?.arrayValue)
        let restructured = try F.append(signed) { _, update in
            let node = update.add(.dictionary([.type: .name("Pages"), .parent: .reference(root), .kids: .array(kids),
                                               PDFName("Count"): .integer(kids.count), PDFName("Rotate"): 180]))
            var dict = tree
            dict[.kids] = [.reference(node)]
            try update.set(.dictionary(dict), for: root)
        }
        let analysis = try F.analysis(of: restructured)
        F.expectDisallowed(analysis, .pages)
        #expect(analysis.disallowedFindings.contains { $0.message.contains("new node") }, "\(F.report(analysis))")
    }

    @Test("A further signature whose revision also rewrites the page's content stream (incremental saving attack)")
    func signatureWithContentChange() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let document = try PDFDocument(bytes: signed)
        let contents = try #require(Self.firstContentStream(try F.page(document)))
        let attack = try F.append(signed) { document, update in
            try update.set(try F.contentStream("Pay 1,000,000"), for: contents)
            let page = try F.page(document)
            let signature = update.add(.dictionary([.type: .name("Sig"), .filter: .name("Adobe.PPKLite"), .contents: .string(PDFString(bytes: [9, 9], form: .hex))]))
            let widget = update.add(.dictionary([
                PDFName("FT"): .name("Sig"), PDFName("T"): .string(PDFString("platform")), .type: .name("Annot"), .subtype: .name("Widget"),
                PDFName("Rect"): [0, 0, 0, 0], PDFName("P"): .reference(page.reference), PDFName("V"): .reference(signature),
                // Whatever a new field refers to is "its content", but that must never extend
                // to signed objects reached through it (here the page, and so its content).
                PDFName("MK"): .dictionary([PDFName("Page"): .reference(page.reference)]),
            ]))
            var dict = page.dictionary
            dict[PDFName("Annots")] = .array(try document.current.annotations(of: page) + [.reference(widget)])
            try update.set(.dictionary(dict), for: page.reference)
            let form = try #require(try F.catalog(document).dictionary[PDFName("AcroForm")]?.referenceValue)
            var formDict = try #require(try document.object(form).dictionaryValue)
            formDict[PDFName("Fields")] = .array(try document.current.formFields() + [.reference(widget)])
            try update.set(.dictionary(formDict), for: form)
        }
        let analysis = try F.analysis(of: attack)
        F.expectDisallowed(analysis, .pageContent)
        #expect(analysis.findings.contains { $0.category == .signature && $0.allowed }, "the signature itself is still seen: \(F.report(analysis))")
    }

    @Test("The signed signature dictionary rewritten (spoofing), replaced by a new one, or copied into a new field")
    func signatureDictionary() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let document = try PDFDocument(bytes: signed)
        let field = try F.field(document, "merchant")
        let signatureRef = try #require(field.dictionary[PDFName("V")]?.referenceValue)
        let original = try #require(try document.object(signatureRef).dictionaryValue)

        let rewritten = try F.append(signed) { _, update in
            var dict = original
            dict[PDFName("Reason")] = .string(PDFString("EVIL"))
            try update.set(.dictionary(dict), for: signatureRef)
        }
        let analysis = try F.analysis(of: rewritten)
        F.expectDisallowed(analysis, .signatureDictionaryReplaced)
        #expect(analysis.disallowedFindings.contains { $0.message.contains("EVIL") }, "\(F.report(analysis))")

        let repointed = try F.append(signed) { _, update in
            var copy = original
            copy[PDFName("M")] = .string(PDFString("D:20200101000000Z"))
            var dict = field.dictionary
            dict[PDFName("V")] = .reference(update.add(.dictionary(copy)))
            try update.set(.dictionary(dict), for: field.reference)
        }
        F.expectDisallowed(try F.analysis(of: repointed), .signatureDictionaryReplaced)

        let copied = try F.append(signed) { document, update in
            var copy = original
            copy[PDFName("Name")] = .string(PDFString("Somebody Else"))
            let page = try F.page(document)
            let widget = update.add(.dictionary([
                PDFName("FT"): .name("Sig"), PDFName("T"): .string(PDFString("ceo")), .type: .name("Annot"), .subtype: .name("Widget"),
                PDFName("Rect"): [0, 0, 0, 0], PDFName("P"): .reference(page.reference), PDFName("V"): .reference(update.add(.dictionary(copy))),
            ]))
            let form = try #require(try F.catalog(document).dictionary[PDFName("AcroForm")])
            var formDict = try #require(try document.current.dictionary(form))
            formDict[PDFName("Fields")] = .array(try document.current.formFields() + [.reference(widget)])
            if case .reference(let ref) = form { try update.set(.dictionary(formDict), for: ref) }
        }
        F.expectDisallowed(try F.analysis(of: copied), .signatureDictionaryReplaced)
    }

    @Test("The signed widget's appearance overwritten in place or replaced; the signed field otherwise changed")
    func signedWidgetAppearance() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let document = try PDFDocument(bytes: signed)
        let field = try F.field(document, "merchant")
        let appearance = try #require(field.dictionary[PDFName("AP")]?.dictionaryValue?[PDFName("N")]?.referenceValue)
        let overwritten = try F.append(signed) { _, update in
            try update.set(.stream(try PDFStream.flateEncoded(dictionary: [.type: .name("XObject"), .subtype: .name("Form"), PDFName("BBox"): [0, 0, 160, 80]],
                                                              data: Array("BT /F1 12 Tf 0 0 Td (Approved by nobody) Tj ET".utf8))), for: appearance)
        }
        F.expectDisallowed(try F.analysis(of: overwritten), .objectRedefined)
        let replaced = try F.append(signed) { _, update in
            var dict = field.dictionary
            dict[PDFName("AP")] = .dictionary([PDFName("N"): .reference(update.add(try F.contentStream("forged")))])
            try update.set(.dictionary(dict), for: field.reference)
        }
        F.expectDisallowed(try F.analysis(of: replaced), .signatureWidget)
        let moved = try F.append(signed) { _, update in
            var dict = field.dictionary
            dict[PDFName("Rect")] = [0, 0, 595, 842]
            try update.set(.dictionary(dict), for: field.reference)
        }
        F.expectDisallowed(try F.analysis(of: moved), .signatureField)
    }

    @Test("Sneaky: a new signature's appearance reuses an object of signed content (a page content stream)")
    func sneakyReuse() async throws {
        let pki = try TestPKI()
        let signed = try await F.signed(pki: pki)
        let document = try PDFDocument(bytes: signed)
        let contents = try #require(Self.firstContentStream(try F.page(document)))
        // A second signature field whose appearance stream *is* the page's content stream,
        // rewritten: the new path (a widget's appearance) is allowed, the old one is not.
        let sneaky = try F.append(signed) { document, update in
            try update.set(try F.contentStream("Pay 1,000,000"), for: contents)
            let page = try F.page(document)
            let widget = update.add(.dictionary([
                PDFName("FT"): .name("Sig"), PDFName("T"): .string(PDFString("witness")), .type: .name("Annot"), .subtype: .name("Widget"),
                PDFName("Rect"): [0, 0, 10, 10], PDFName("P"): .reference(page.reference),
                PDFName("AP"): .dictionary([PDFName("N"): .reference(contents)]),
            ]))
            let form = try #require(try F.catalog(document).dictionary[PDFName("AcroForm")]?.referenceValue)
            var formDict = try #require(try document.object(form).dictionaryValue)
            formDict[PDFName("Fields")] = .array(try document.current.formFields() + [.reference(widget)])
            try update.set(.dictionary(formDict), for: form)
        }
        let analysis = try F.analysis(of: sneaky)
        F.expectDisallowed(analysis, .objectRedefined)
        #expect(analysis.disallowedFindings.contains { $0.object == "\(contents.number) \(contents.generation) R" }, "\(F.report(analysis))")

        // The same with a "DSS certificate" that is the page's content stream.
        let dss = try F.append(signed) { document, update in
            try update.set(try F.contentStream("Pay 1,000,000"), for: contents)
            var catalog = try F.catalog(document)
            catalog.dictionary[PDFName("DSS")] = .dictionary([PDFName("Certs"): [.reference(contents)]])
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
        }
        F.expectDisallowed(try F.analysis(of: dss), .objectRedefined)

        // And with the XMP metadata: the metadata stream of the signed document doubles as
        // an image of the page (the corpus' shadow 'hide'), then is "refreshed".
        let shared = try F.append(try Self.withSharedMetadata(try BaseDocuments.fixture("ghostscript.pdf"))) { _, _ in }
        let sharedSigned = try await F.signed(shared, pki: pki)
        let hidden = try F.append(sharedSigned) { document, update in
            let xmp = try #require(try F.catalog(document).dictionary[PDFName("Metadata")]?.referenceValue)
            try update.set(F.metadataStream(F.xmp("<dc:format>image/none</dc:format>")), for: xmp)
        }
        F.expectDisallowed(try F.analysis(of: hidden), .objectRedefined)
    }

    @Test("A new signature field carrying actions (/AA JavaScript when the page opens, /A on click)")
    func signatureFieldWithActions() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        for key in ["AA", "A"] {
            let withAction = try F.append(signed) { document, update in
                let page = try F.page(document)
                let script = update.add(.dictionary([PDFName("S"): .name("JavaScript"), PDFName("JS"): .string(PDFString("this.getField('merchant').display = display.hidden"))]))
                let action: PDFObject = key == "AA" ? .dictionary([PDFName("PO"): .reference(script)]) : .reference(script)
                let widget = update.add(.dictionary([
                    PDFName("FT"): .name("Sig"), PDFName("T"): .string(PDFString("witness")), .type: .name("Annot"), .subtype: .name("Widget"),
                    PDFName("Rect"): [0, 0, 0, 0], PDFName("P"): .reference(page.reference), PDFName(key): action,
                ]))
                let form = try #require(try F.catalog(document).dictionary[PDFName("AcroForm")]?.referenceValue)
                var formDict = try #require(try document.object(form).dictionaryValue)
                formDict[PDFName("Fields")] = .array(try document.current.formFields() + [.reference(widget)])
                try update.set(.dictionary(formDict), for: form)
            }
            F.expectDisallowed(try F.analysis(of: withAction), .signatureWidget)
        }
    }

    @Test("A signed document whose /Info is its page: refreshing that 'Info' must not vouch for the page's content stream")
    func infoThatIsAPage() async throws {
        let pki = try TestPKI()
        // Prepared before signing: the trailer's /Info points at page 1.
        let prepared = try F.append(try BaseDocuments.fixture("ghostscript.pdf")) { document, update in
            update.info = try F.page(document).reference
        }
        let signed = try await F.signed(prepared, pki: pki)
        let document = try PDFDocument(bytes: signed)
        let page = try F.page(document)
        let contents = try #require(Self.firstContentStream(page))
        let attack = try F.append(signed) { _, update in
            try update.set(.dictionary(page.dictionary), for: page.reference)  // the "Info refresh"
            try update.set(try F.contentStream("Pay 1,000,000"), for: contents)
        }
        F.expectDisallowed(try F.analysis(of: attack), .pageContent)
    }

    @Test("Malformed or hostile XMP metadata is disallowed", arguments: [
        "<dc:title>unclosed", "<!DOCTYPE x [<!ENTITY a \"b\">]><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>",
        "&xxe;", "<rdf:li>a</rdf:Bag>", "not xml at all \u{1}",
    ])
    func malformedXMP(body: String) async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let data: [UInt8] = body.hasPrefix("<!DOCTYPE") ? Array(body.utf8) : F.xmp(body)
        let bad = try F.append(signed) { document, update in
            var catalog = try F.catalog(document)
            catalog.dictionary[PDFName("Metadata")] = .reference(update.add(F.metadataStream(data)))
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
        }
        F.expectDisallowed(try F.analysis(of: bad), .metadata)
        let notXMP = try F.append(signed) { document, update in
            var catalog = try F.catalog(document)
            catalog.dictionary[PDFName("Metadata")] = .reference(update.add(F.metadataStream(Array("<html><body>hello</body></html>".utf8))))
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
        }
        F.expectDisallowed(try F.analysis(of: notXMP), .metadata)
    }

    @Test("The form asked to redraw its fields (/NeedAppearances) or given an XFA form")
    func acroFormKeys() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        for (key, value) in [("NeedAppearances", PDFObject.boolean(true)), ("XFA", PDFObject.array([]))] {
            let changed = try F.append(signed) { document, update in
                let form = try #require(try F.catalog(document).dictionary[PDFName("AcroForm")]?.referenceValue)
                var dict = try #require(try document.object(form).dictionaryValue)
                dict[PDFName(key)] = value
                try update.set(.dictionary(dict), for: form)
            }
            F.expectDisallowed(try F.analysis(of: changed), .acroForm)
        }
    }

    @Test("An object the signed document refers to but lacked is defined later; a used object is freed")
    func danglingAndFreed() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        // Signed revision: the page's /Contents array names a missing object (read as null).
        let document = try PDFDocument(bytes: signed)
        let missing = document.nextObjectNumber + 50
        let preparedBase = try F.append(try BaseDocuments.fixture("ghostscript.pdf")) { document, update in
            let page = try F.page(document)
            var dict = page.dictionary
            let contents = dict[.contents] ?? .null
            dict[.contents] = .array((contents.arrayValue ?? [contents]) + [.reference(PDFReference(missing))])
            try update.set(.dictionary(dict), for: page.reference)
        }
        let prepared = try await F.signed(preparedBase, pki: try TestPKI())
        let content = "BT /F1 24 Tf 72 700 Td (Pay more) Tj ET"
        let defined = try F.appendRawUpdate(prepared, entries: [(missing, Array("\(missing) 0 obj\n<</Length \(content.utf8.count)>>stream\n\(content)\nendstream\nendobj".utf8))])
        F.expectDisallowed(try F.analysis(of: defined), .pageContent)

        let contents = try #require(Self.firstContentStream(try F.page(document)))
        let freed = try F.appendInObjectStream(signed, objects: [], free: [contents.number])
        F.expectDisallowed(try F.analysis(of: freed), .objectRedefined)
    }

    @Test("Trailer: /Encrypt added")
    func trailerEncrypt() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let document = try PDFDocument(bytes: signed)
        let number = document.nextObjectNumber
        let encrypted = try F.appendRawUpdate(signed, entries: [(number, Array("\(number) 0 obj\n<</Filter /Standard /V 1 /R 2>>\nendobj".utf8))],
                                              trailerExtra: " /Encrypt \(number) 0 R")
        F.expectDisallowed(try F.analysis(of: encrypted), .other)
    }

    @Test("Attacks written in object streams with a cross-reference stream are caught the same way")
    func attacksInObjectStreams() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let document = try PDFDocument(bytes: signed)
        var catalog = try F.catalog(document)
        catalog.dictionary[PDFName("OpenAction")] = .dictionary([PDFName("S"): .name("JavaScript"), PDFName("JS"): .string(PDFString("x"))])
        F.expectDisallowed(try F.analysis(of: try F.appendInObjectStream(signed, objects: [(catalog.reference, .dictionary(catalog.dictionary))])), .catalog)
        let font = try #require(try Self.firstFont(document))
        let redefined = try F.appendInObjectStream(signed, objects: [(font, .dictionary([.type: .name("Font"), .subtype: .name("Type1"), PDFName("BaseFont"): .name("Symbol")]))])
        F.expectDisallowed(try F.analysis(of: redefined), .objectRedefined)
        // A cross-reference stream that takes the number of the page's content stream
        // replaces it (viewers would draw the cross-reference data).
        let contents = try #require(Self.firstContentStream(try F.page(document)))
        let xrefAsContent = try F.appendInObjectStream(signed, objects: [(catalog.reference, .dictionary(try F.catalog(document).dictionary))], xrefNumber: contents.number)
        #expect(try PDFDocument(bytes: xrefAsContent).object(contents).dictionaryValue?.type == PDFName("XRef"))
        F.expectDisallowed(try F.analysis(of: xrefAsContent), .pageContent)
        // Rewriting an object stream of the signed revision changes the objects stored in it.
        let compressed = try F.appendInObjectStream(try BaseDocuments.fixture("ghostscript.pdf"), objects: [(font, .dictionary([.type: .name("Font"), .subtype: .name("Type1"), PDFName("BaseFont"): .name("Courier")]))])
        let compressedSigned = try await F.signed(compressed, pki: try TestPKI())
        let stream = try #require(Self.objectStreamHolding(font, in: try PDFDocument(bytes: compressedSigned)))
        let rewrittenStream = try F.append(compressedSigned) { _, update in
            let body = Array("\(font.number) 0 ".utf8)
            let data = body + PDFSerializer.serialize(.dictionary([.type: .name("Font"), .subtype: .name("Type1"), PDFName("BaseFont"): .name("Symbol")]))
            try update.set(.stream(try PDFStream.flateEncoded(dictionary: [.type: .name("ObjStm"), PDFName("N"): 1, PDFName("First"): .integer(body.count)], data: data)), for: stream)
        }
        let analysis = try F.analysis(of: rewrittenStream)
        F.expectDisallowed(analysis, .objectRedefined)
        #expect(analysis.disallowedFindings.contains { $0.object == "\(font.number) 0 R" }, "\(F.report(analysis))")
    }

    // MARK: Helpers

    static func firstContentStream(_ page: PDFPage) -> PDFReference? {
        switch page.dictionary[.contents] {
        case .reference(let ref)?: return ref
        case .array(let items)?: return items.first?.referenceValue
        default: return nil
        }
    }

    /// The first indirect font of page 1.
    static func firstFont(_ document: PDFDocument) throws -> PDFReference? {
        let page = try F.page(document)
        let resources = try document.current.dictionary(page.resources)
        let fonts = try document.current.dictionary(resources?[PDFName("Font")])
        return fonts?.entries.lazy.compactMap(\.value.referenceValue).first
    }

    static func objectStreamHolding(_ reference: PDFReference, in document: PDFDocument) -> PDFReference? {
        guard case .compressed(let stream, _)? = (try? document.xrefEntry(for: reference.number))?.entry else { return nil }
        return PDFReference(stream)
    }

    /// `pdf` with a text field `name` holding `value` on page 1 (and an AcroForm if needed).
    static func withTextField(_ pdf: [UInt8], value: String, name: String = "Amount") throws -> [UInt8] {
        try F.append(pdf) { document, update in
            let page = try F.page(document)
            let appearance = update.add(.stream(try PDFStream.flateEncoded(dictionary: [
                .type: .name("XObject"), .subtype: .name("Form"), PDFName("BBox"): [0, 0, 200, 20],
            ], data: Array("BT /Helv 12 Tf 2 5 Td (\(value)) Tj ET".utf8))))
            let field = update.add(.dictionary([
                PDFName("FT"): .name("Tx"), PDFName("T"): .string(PDFString(name)), PDFName("V"): .string(PDFString(value)),
                .type: .name("Annot"), .subtype: .name("Widget"), PDFName("Rect"): [72, 600, 272, 620], PDFName("F"): 4,
                PDFName("P"): .reference(page.reference), PDFName("AP"): .dictionary([PDFName("N"): .reference(appearance)]),
            ]))
            var pageDict = page.dictionary
            if case .reference(let annots)? = pageDict[PDFName("Annots")] {
                try update.set(.array(try document.current.annotations(of: page) + [.reference(field)]), for: annots)
            } else {
                pageDict[PDFName("Annots")] = .array(try document.current.annotations(of: page) + [.reference(field)])
                try update.set(.dictionary(pageDict), for: page.reference)
            }
            var catalog = try F.catalog(document)
            if case .reference(let form)? = catalog.dictionary[PDFName("AcroForm")] {
                var dict = try #require(try document.object(form).dictionaryValue)
                dict[PDFName("Fields")] = .array(try document.current.formFields() + [.reference(field)])
                try update.set(.dictionary(dict), for: form)
            } else {
                catalog.dictionary[PDFName("AcroForm")] = .reference(update.add(.dictionary([PDFName("Fields"): [.reference(field)]])))
                try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
            }
        }
    }

    /// `pdf` whose catalog /Metadata stream is also drawn on page 1 as a Form XObject.
    static func withSharedMetadata(_ pdf: [UInt8]) throws -> [UInt8] {
        try F.append(pdf) { document, update in
            let xmp = update.add(.stream(PDFStream(dictionary: [
                .type: .name("XObject"), .subtype: .name("Form"), PDFName("BBox"): [0, 0, 595, 842],
            ], rawData: F.xmp())))
            var catalog = try F.catalog(document)
            catalog.dictionary[PDFName("Metadata")] = .reference(xmp)
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
            let page = try F.page(document)
            var resources = try document.current.dictionary(page.resources) ?? PDFDictionary()
            var xobjects = try document.current.dictionary(resources[PDFName("XObject")]) ?? PDFDictionary()
            xobjects[PDFName("Cover")] = .reference(xmp)
            resources[PDFName("XObject")] = .dictionary(xobjects)
            var dict = page.dictionary
            dict[.resources] = .dictionary(resources)
            try update.set(.dictionary(dict), for: page.reference)
        }
    }
}
