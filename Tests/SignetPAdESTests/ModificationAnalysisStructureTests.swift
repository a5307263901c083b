import Foundation
import SignetCrypto
import SignetPAdES
import SignetPDF
import SignetTestSupport
import Testing
import SignetPKI

/// Structures the analysis must not assume: default resources holding arrays as well as
/// dictionaries, and values of any type anywhere (a seeded fuzz of the signed and the
/// updated catalog, AcroForm, `/DR`, page and field dictionaries).
@Suite("Modification analysis: unusual structures")
struct ModificationAnalysisStructureTests {
    typealias F = ModificationFixtures

    /// ghostscript.pdf with a form (an empty signature field, a text field) whose `/DR`
    /// holds a font dictionary and a `/ProcSet` array, as Acrobat and LibreOffice write it.
    static func formBase() throws -> [UInt8] {
        let (base, _) = try SharedAppearanceFixtures.base(reach: .otherField, path: .direct)
        return try F.append(base) { document, update in
            let form = try #require(try F.catalog(document).dictionary[PDFName("AcroForm")]?.referenceValue)
            var dict = try #require(try document.object(form).dictionaryValue)
            let helvetica = update.add(.dictionary([.type: .name("Font"), .subtype: .name("Type1"), PDFName("BaseFont"): .name("Helvetica")]))
            dict[PDFName("DR")] = .dictionary([
                PDFName("Font"): .dictionary([PDFName("Helv"): .reference(helvetica)]),
                PDFName("ProcSet"): [.name("PDF"), .name("Text")],
            ])
            dict[PDFName("DA")] = .string(PDFString("/Helv 0 Tf 0 g"))
            try update.set(.dictionary(dict), for: form)
        }
    }

    /// `pdf` with the AcroForm's `/DR` changed by `body` in one update.
    static func changingDR(_ pdf: [UInt8], _ body: (inout PDFDictionary, inout PDFIncrementalUpdate) throws -> Void) throws -> [UInt8] {
        try F.append(pdf) { document, update in
            let form = try #require(try F.catalog(document).dictionary[PDFName("AcroForm")]?.referenceValue)
            var dict = try #require(try document.object(form).dictionaryValue)
            var resources = try #require(dict[PDFName("DR")]?.dictionaryValue)
            try body(&resources, &update)
            dict[PDFName("DR")] = .dictionary(resources)
            try update.set(.dictionary(dict), for: form)
        }
    }

    @Test("A font added to default resources that also hold a /ProcSet array is allowed (as pyHanko says); /ProcSet may change too")
    func fontNextToProcSet() async throws {
        let pki = try TestPKI()
        let signed = try await F.signed(try Self.formBase(), pki: pki)
        let withFont = try Self.changingDR(signed) { resources, update in
            var fonts = try #require(resources[PDFName("Font")]?.dictionaryValue)
            fonts[PDFName("SigF")] = .reference(update.add(.dictionary([.type: .name("Font"), .subtype: .name("Type1"), PDFName("BaseFont"): .name("Courier")])))
            resources[PDFName("Font")] = .dictionary(fonts)
            resources[PDFName("ProcSet")] = [.name("PDF"), .name("Text"), .name("ImageC")]
        }
        let analysis = try F.analysis(of: withFont)
        F.expectAllowed(analysis, [.acroForm])
        #expect(analysis.findings.contains { $0.message.contains("/Font/SigF") }, "\(F.report(analysis))")
        let theirs = try pki.pyhankoVerdict(withFont)
        #expect(theirs.status.first == "INTACT:TRUSTED" && !theirs.has("ILLEGAL_MODIFICATIONS"), "pyHanko: \(theirs)")
    }

    @Test("Default resources changed in type or content are disallowed findings, not failed comparisons", arguments: [
        "font category made an array", "ProcSet made a dictionary", "ProcSet holding a reference to a font", "a font replaced", "DR made an array",
    ])
    func resourcesOfOtherTypes(change: String) async throws {
        let signed = try await F.signed(try Self.formBase(), pki: try TestPKI())
        let changed: [UInt8]
        if change == "DR made an array" {
            changed = try F.append(signed) { document, update in
                let form = try #require(try F.catalog(document).dictionary[PDFName("AcroForm")]?.referenceValue)
                var dict = try #require(try document.object(form).dictionaryValue)
                dict[PDFName("DR")] = [.name("Font")]
                try update.set(.dictionary(dict), for: form)
            }
        } else {
            changed = try Self.changingDR(signed) { resources, update in
                switch change {
                case "font category made an array": resources[PDFName("Font")] = [resources[PDFName("Font")] ?? .null]
                case "ProcSet made a dictionary": resources[PDFName("ProcSet")] = .dictionary([PDFName("PDF"): true])
                case "ProcSet holding a reference to a font":
                    resources[PDFName("ProcSet")] = [.name("PDF"), .reference(update.add(.dictionary([.type: .name("Font")])))]
                default:
                    resources[PDFName("Font")] = .dictionary([PDFName("Helv"): .dictionary([.type: .name("Font"), .subtype: .name("Type1"), PDFName("BaseFont"): .name("Symbol")])])
                }
            }
        }
        F.expectDisallowed(try F.analysis(of: changed), .acroForm)
    }

    @Test("A page's /Annots replaced by a lone annotation dictionary (not an array) is disallowed")
    func annotationsNotAnArray() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        // Page 2, which has no /Annots to lose, only one to gain.
        let changed = try F.append(signed) { document, update in
            let page = try F.page(document, 1)
            var dict = page.dictionary
            dict[PDFName("Annots")] = .dictionary([
                .type: .name("Annot"), .subtype: .name("FreeText"), PDFName("Rect"): [72, 72, 300, 120],
                .contents: .string(PDFString("Void")), PDFName("DA"): .string(PDFString("/Helv 24 Tf 1 0 0 rg")),
            ])
            try update.set(.dictionary(dict), for: page.reference)
        }
        F.expectDisallowed(try F.analysis(of: changed), .annotation)
    }

    // MARK: Fuzzing

    /// Values of every type, for replacing entries.
    struct ValueFuzzer {
        var random: SplitMix64
        /// Object numbers references may point to (some exist, some do not).
        let numbers: [Int]
        static let names: [PDFName] = [
            "Fields", "DR", "DA", "Font", "ProcSet", "XObject", "Annots", "Kids", "AP", "N", "V", "FT", "T", "Type", "Subtype",
            "Extensions", "Version", "DSS", "Metadata", "Resources", "MediaBox", "Contents", "Parent", "Pages", "AcroForm", "SigFlags",
            "NeedAppearances", "ESIC", "ADBE", "ISO_", "BaseVersion", "ExtensionLevel", "Sig", "Widget", "Page", "Certs", "VRI",
        ]

        mutating func int(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }

        mutating func name() -> PDFName { Self.names[int(Self.names.count)] }

        mutating func value(depth: Int = 0) -> PDFObject {
            switch int(10) {
            case 0: return .null
            case 1: return .boolean(int(2) == 0)
            case 2: return .integer(int(2000) - 100)
            case 3: return .real(PDFReal(Double(int(20_000)) / 8 - 100))
            case 4: return .string(PDFString(bytes: (0..<int(6)).map { _ in UInt8(int(256)) }, form: int(2) == 0 ? .literal : .hex))
            case 5: return .name(int(4) == 0 ? PDFName("2.0") : name())
            case 6: return depth < 3 ? .array((0..<int(4)).map { _ in value(depth: depth + 1) }) : .integer(0)
            case 7: return depth < 3 ? .dictionary(PDFDictionary((0..<int(4)).map { _ in (name(), value(depth: depth + 1)) })) : .null
            default: return .reference(PDFReference(numbers[int(numbers.count)]))
            }
        }
    }

    /// The dictionaries a mutation may hit: an object and the keys leading to a direct
    /// dictionary inside it.
    static func targets(_ document: PDFDocument) throws -> [(PDFReference, [PDFName])] {
        let catalog = try F.catalog(document)
        var result: [(PDFReference, [PDFName])] = [(catalog.reference, []), (catalog.reference, [PDFName("Extensions")])]
        if let form = catalog.dictionary[PDFName("AcroForm")]?.referenceValue {
            result += [(form, []), (form, [PDFName("DR")]), (form, [PDFName("DR"), PDFName("Font")])]
        }
        let page = try F.page(document)
        result += [(page.reference, []), (page.reference, [.resources])]
        for field in (try? document.current.allFormFields()) ?? [] {
            if let reference = field.reference { result += [(reference, []), (reference, [PDFName("AP")])] }
        }
        return result
    }

    /// Applies `count` random mutations to `document` in `update`; returns whether one of
    /// them changed the value of a page-1 entry other than `/Annots` (which must then be
    /// disallowed).
    static func mutate(_ document: PDFDocument, _ update: inout PDFIncrementalUpdate, count: Int, fuzzer: inout ValueFuzzer) throws -> Bool {
        let targets = try targets(document)
        let page = try F.page(document).reference
        var pageChanged = false
        var written: [PDFReference: PDFObject] = [:]
        for _ in 0..<count {
            let (reference, path) = targets[fuzzer.int(targets.count)]
            var object = try written[reference] ?? document.object(reference)
            if path.isEmpty && fuzzer.int(12) == 0 {
                object = fuzzer.value()  // the whole object replaced by something else
                if reference == page { pageChanged = true }
            } else {
                let key = fuzzer.int(3) == 0 ? fuzzer.name() : (lookUp(object, path)?.keys.randomElement(using: &fuzzer.random) ?? fuzzer.name())
                let value: PDFObject? = fuzzer.int(6) == 0 ? nil : fuzzer.value()
                let old = lookUp(object, path)?[key]
                guard let changed = replace(object, path: path, key: key, with: value) else { continue }
                object = changed
                if reference == page && path.isEmpty && key != PDFName("Annots")
                    && !PDFValueComparison(document: document, left: document.revisions.count - 1, right: document.revisions.count - 1).equal(old, value) {
                    pageChanged = true
                }
            }
            written[reference] = object
        }
        for (reference, object) in written { try update.set(object, for: reference) }
        return pageChanged
    }

    static func lookUp(_ object: PDFObject, _ path: [PDFName]) -> PDFDictionary? {
        var current = object.dictionaryValue
        for key in path { current = current?[key]?.dictionaryValue }
        return current
    }

    /// `object` with the dictionary at `path` given `key` = `value` (nil removes it); nil
    /// when there is no dictionary there or the object is a stream.
    static func replace(_ object: PDFObject, path: [PDFName], key: PDFName, with value: PDFObject?) -> PDFObject? {
        guard case .dictionary(var dict) = object else { return nil }
        if let first = path.first {
            guard let inner = dict[first], case .dictionary = inner, let changed = replace(inner, path: Array(path.dropFirst()), key: key, with: value) else { return nil }
            dict[first] = changed
        } else {
            dict[key] = value
        }
        return .dictionary(dict)
    }

    @Test("Seeded fuzz: values of any type in the signed and the updated structures; the analysis always answers, consistently")
    func fuzz() async throws {
        let pki = try TestPKI()
        let signer = try pki.padesSigner()
        let base = try Self.formBase()
        var generator = SplitMix64(seed: 0x51_6E_E7)
        var answered = 0, verdicts: [ModificationAnalysis.Verdict: Int] = [:]
        for round in 0..<120 {
            // Every third round, the signed revision itself is mutated before signing.
            var signedBase = base
            let mutateSigned = round % 3 == 0
            if mutateSigned {
                let document = try PDFDocument(bytes: base)
                var fuzzer = ValueFuzzer(random: generator, numbers: Array(1..<(document.nextObjectNumber + 3)))
                var update = try PDFIncrementalUpdate(document: document)
                _ = try Self.mutate(document, &update, count: 1 + fuzzer.int(3), fuzzer: &fuzzer)
                generator = fuzzer.random
                signedBase = try update.write().bytes
            }
            guard let signed = try? await signer.sign(signedBase, level: .bB, request: SignatureRequest(fieldName: "merchant", metadata: F.metadata)) else {
                continue  // Signet's signer refused the mutated form: nothing to analyse
            }
            let signedDocument = try PDFDocument(bytes: signed)
            var fuzzer = ValueFuzzer(random: generator, numbers: Array(1..<(signedDocument.nextObjectNumber + 3)))
            var pageChanged = false
            // A signed revision mutated past reading (no page 1) cannot be updated the same way.
            guard let later = try? F.append(signed, style: fuzzer.int(2) == 0 ? .table : .stream, { document, update in
                if fuzzer.int(3) == 0 {
                    // Sometimes next to an allowed change: a DSS and a raised version.
                    var catalog = try F.catalog(document)
                    let certificate = update.add(.stream(try PDFStream.flateEncoded(data: pki.root.certificate.der)))
                    catalog.dictionary[PDFName("DSS")] = .dictionary([PDFName("Certs"): [.reference(certificate)]])
                    catalog.dictionary[PDFName("Version")] = .name("2.0")
                    try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
                }
                pageChanged = try Self.mutate(document, &update, count: 1 + fuzzer.int(4), fuzzer: &fuzzer)
            }) else {
                generator = fuzzer.random
                continue
            }
            generator = fuzzer.random
            guard let document = try? PDFDocument(bytes: later) else { continue }
            let revision = signedDocument.revisions.count - 1
            let analyzer = ModificationAnalyzer(document: document)
            let analysis = analyzer.analyze(after: revision)
            answered += 1
            verdicts[analysis.verdict, default: 0] += 1
            let report = "round \(round): \(F.report(analysis))"
            #expect(analysis.verdict != .untouched, "\(report)")
            #expect((analysis.verdict == .disallowed) == analysis.findings.contains { !$0.allowed }, "\(report)")
            #expect(analysis.findings.allSatisfy { !$0.message.isEmpty && $0.revision == revision + 1 }, "\(report)")
            #expect(analysis == analyzer.analyze(after: revision), "deterministic: \(report)")
            if pageChanged { #expect(analysis.verdict == .disallowed, "page 1 changed: \(report)") }
        }
        #expect(answered > 80, "most rounds should produce a readable document: \(answered)")
        #expect((verdicts[.allowed] ?? 0) > 0 && (verdicts[.disallowed] ?? 0) > 0, "both verdicts are reached: \(verdicts)")
    }
}
