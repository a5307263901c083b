import Foundation
import SignetCrypto
import SignetPDF
import SignetTestSupport
import Testing

/// Documents with an empty signature field "platform" whose appearance stream is also
/// reached from somewhere else, for the "form filling over shared content" attack: a later
/// update signs the field and, in the same update, rewrites that stream in place.
enum SharedAppearanceFixtures {
    typealias F = ModificationFixtures

    /// Where else the signed document reaches the field's appearance stream.
    enum Reach: String, CaseIterable, Sendable, CustomStringConvertible {
        /// The widget of a text field "Amount" on page 1.
        case otherField
        /// A private catalog entry `/FooBar`.
        case catalog
        /// A private trailer entry `/FooBar`.
        case trailer
        /// Page 1's `/Resources/XObject/Fm0`, drawn by the page.
        case pageResource
        /// The widget of a text field "Amount" whose `/AP` is the widget itself, holding
        /// `/N` (so that, through the holder, the field's appearance dictionary *is* that widget).
        case widgetItself

        var description: String { rawValue }
    }

    /// How the other place reaches the stream.
    enum Path: String, CaseIterable, Sendable, CustomStringConvertible {
        /// It refers to the stream itself.
        case direct
        /// It refers to an object the field's appearance also goes through: the field's
        /// indirect `/AP` dictionary, or (for a page resource) the appearance's own Form
        /// XObject, which draws the stream.
        case throughHolder

        var description: String { rawValue }
    }

    /// ghostscript.pdf with the empty signature field "platform" (a zero-size widget on page
    /// 1, so signing it keeps its appearance) and the stream it shows, reached also from
    /// `reach` (nil: nowhere else, the genuine case); and the stream's reference.
    static func base(reach: Reach?, path: Path) throws -> (pdf: [UInt8], stream: PDFReference) {
        var stream = PDFReference(0), holder = PDFReference(0)
        var pdf = try F.append(try BaseDocuments.fixture("ghostscript.pdf")) { document, update in
            let page = try F.page(document)
            stream = update.add(.stream(try PDFStream.flateEncoded(
                dictionary: [.type: .name("XObject"), .subtype: .name("Form"), PDFName("BBox"): [0, 0, 100, 20]],
                data: Array("0 0 1 rg 0 0 100 20 re f".utf8))))
            // The field's /AP, and what the other place refers to.
            let appearance: PDFObject
            var shared = PDFObject.reference(stream)
            switch (path, reach) {
            case (.throughHolder, .pageResource?):
                holder = update.add(.stream(try PDFStream.flateEncoded(dictionary: [
                    .type: .name("XObject"), .subtype: .name("Form"), PDFName("BBox"): [0, 0, 100, 20],
                    .resources: .dictionary([PDFName("XObject"): .dictionary([PDFName("Inner"): .reference(stream)])]),
                ], data: Array("/Inner Do".utf8))))
                appearance = .dictionary([PDFName("N"): .reference(holder)])
                shared = .reference(holder)
            case (.throughHolder, .widgetItself?):
                holder = update.allocate()
                appearance = .reference(holder)
            case (.throughHolder, _):
                holder = update.add(.dictionary([PDFName("N"): .reference(stream)]))
                appearance = .reference(holder)
                shared = appearance
            case (.direct, _):
                appearance = .dictionary([PDFName("N"): .reference(stream)])
            }
            var annotations = try document.current.annotations(of: page)
            var fields = try document.current.formFields()
            let platform = update.add(.dictionary([
                PDFName("FT"): .name("Sig"), PDFName("T"): .string(PDFString("platform")), .type: .name("Annot"), .subtype: .name("Widget"),
                PDFName("Rect"): [0, 0, 0, 0], PDFName("F"): 4, PDFName("P"): .reference(page.reference), PDFName("AP"): appearance,
            ]))
            annotations.append(.reference(platform))
            fields.append(.reference(platform))
            var pageDict = page.dictionary
            var catalog = try F.catalog(document)
            switch reach {
            case .otherField?:
                let amount = update.add(.dictionary([
                    PDFName("FT"): .name("Tx"), PDFName("T"): .string(PDFString("Amount")), PDFName("V"): .string(PDFString("100 EUR")),
                    .type: .name("Annot"), .subtype: .name("Widget"), PDFName("Rect"): [72, 600, 172, 620], PDFName("F"): 4,
                    PDFName("P"): .reference(page.reference),
                    PDFName("AP"): path == .direct ? .dictionary([PDFName("N"): shared]) : shared,
                ]))
                annotations.append(.reference(amount))
                fields.append(.reference(amount))
            case .widgetItself?:
                let widget = path == .direct ? update.allocate() : holder
                try update.set(.dictionary([
                    PDFName("FT"): .name("Tx"), PDFName("T"): .string(PDFString("Amount")), PDFName("V"): .string(PDFString("100 EUR")),
                    .type: .name("Annot"), .subtype: .name("Widget"), PDFName("Rect"): [72, 600, 172, 620], PDFName("F"): 4,
                    PDFName("P"): .reference(page.reference), PDFName("AP"): .reference(widget), PDFName("N"): .reference(stream),
                ]), for: widget)
                annotations.append(.reference(widget))
                fields.append(.reference(widget))
            case .catalog?:
                catalog.dictionary[PDFName("FooBar")] = shared
            case .pageResource?:
                var resources = try document.current.dictionary(page.resources) ?? PDFDictionary()
                var xobjects = try document.current.dictionary(resources[PDFName("XObject")]) ?? PDFDictionary()
                xobjects[PDFName("Fm0")] = shared
                resources[PDFName("XObject")] = .dictionary(xobjects)
                pageDict[.resources] = .dictionary(resources)
                let draw = update.add(.stream(PDFStream(dictionary: PDFDictionary(), rawData: Array("q 1 0 0 1 72 600 cm /Fm0 Do Q".utf8))))
                let contents = pageDict[.contents] ?? .null
                pageDict[.contents] = .array((contents.arrayValue ?? [contents]) + [.reference(draw)])
            case .trailer?, nil:
                break
            }
            pageDict[PDFName("Annots")] = .array(annotations)
            try update.set(.dictionary(pageDict), for: page.reference)
            catalog.dictionary[PDFName("AcroForm")] = .reference(update.add(.dictionary([PDFName("Fields"): .array(fields)])))
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
        }
        if reach == .trailer {
            // A private trailer entry (in an update that adds one unused object); later
            // writers (Signet, pyHanko) carry it over.
            let target = path == .direct ? stream : holder
            let spare = try PDFDocument(bytes: pdf).nextObjectNumber
            pdf = try F.appendRawUpdate(pdf, entries: [(spare, Array("\(spare) 0 obj\n<<>>\nendobj".utf8))], trailerExtra: " /FooBar \(target.number) 0 R")
        }
        return (pdf, stream)
    }
}
