import FoundationEssentials
import SignetPDF

/// Adds a signature slot to a PDF as one incremental update: the signature field and its
/// widget (filling an existing empty field, or creating one on a page), the page's
/// `/Annots`, the AcroForm's `/Fields` and `/SigFlags`, and the signature dictionary with
/// `/ByteRange` computed and `/Contents` reserved. Earlier bytes never change.
public enum SignaturePreparer {
    /// Prepares `pdf` for one signature of `kind`, reserving `contentsCapacity` bytes for
    /// the CMS (or timestamp token).
    public static func prepare(
        _ pdf: [UInt8],
        kind: SignatureKind,
        request: SignatureRequest,
        contentsCapacity: Int
    ) throws -> PreparedSignature {
        let document = try openForSigning(pdf)
        var update = try PDFIncrementalUpdate(document: document)
        update.documentIDSecondElement = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let view = document.current
        let pages = try mapPDFErrors { try view.pages() }
        guard !pages.isEmpty else { throw PAdESError.unreadablePDF("the document has no pages") }

        let signatureRef = update.allocate()
        let fields = try mapPDFErrors { try view.allFormFields() }
        let fieldName: String
        if let requested = request.fieldName, let existing = fields.first(where: { $0.name == requested }) {
            fieldName = requested
            try fillExistingField(existing, signature: signatureRef, request: request, view: view, update: &update)
        } else {
            fieldName = request.fieldName ?? firstFreeName(fields.map(\.name))
            guard !fieldName.isEmpty, !fieldName.contains(".") else { throw PAdESError.invalidFieldName(fieldName) }
            try createField(named: fieldName, signature: signatureRef, request: request, pages: pages, view: view, update: &update)
        }

        let dictionary = signatureDictionary(kind: kind, metadata: request.metadata)
        try mapPDFErrors {
            try update.set(.dictionary(dictionary), for: signatureRef, placeholders: [
                PDFName("ByteRange"): .byteRange(),
                .contents: .hexString(byteCount: contentsCapacity),
            ])
        }
        var output = try mapPDFErrors { try update.write() }
        guard let contents = output.placeholder(for: .contents, in: signatureRef),
              let byteRangeSlot = output.placeholder(for: PDFName("ByteRange"), in: signatureRef)
        else { throw PAdESError.unreadablePDF("the writer lost the signature placeholders") }
        let byteRange = output.byteRange(excluding: contents)
        try mapPDFErrors { try output.patchByteRange(byteRangeSlot, with: byteRange) }
        return PreparedSignature(output: output, contents: contents, fieldName: fieldName,
                                 byteRange: byteRange, contentsCapacity: contentsCapacity)
    }

    // MARK: - Fields and widgets

    private static func fillExistingField(
        _ field: (reference: PDFReference?, dictionary: PDFDictionary, name: String),
        signature: PDFReference,
        request: SignatureRequest,
        view: PDFRevisionView,
        update: inout PDFIncrementalUpdate
    ) throws {
        guard field.dictionary[PDFName("FT")]?.nameValue == PDFName("Sig") else {
            throw PAdESError.notASignatureField(field.name)
        }
        guard field.dictionary[PDFName("V")] == nil || field.dictionary[PDFName("V")]?.isNull == true else {
            throw PAdESError.fieldAlreadySigned(field.name)
        }
        guard let reference = field.reference else {
            throw PAdESError.notASignatureField("\(field.name) (a direct field object cannot be filled in an update)")
        }
        var dictionary = field.dictionary
        dictionary[PDFName("V")] = .reference(signature)
        if let visible = request.visible, dictionary[.subtype]?.nameValue == PDFName("Widget") {
            let rect = PDFRectangle(dictionary[PDFName("Rect")]) ?? PDFRectangle(llx: 0, lly: 0, urx: 0, ury: 0)
            let appearance = try appearanceStream(for: visible, width: rect.width, height: rect.height, update: &update)
            dictionary[PDFName("AP")] = .dictionary([PDFName("N"): .reference(appearance)])
        }
        try mapPDFErrors { try update.set(.dictionary(dictionary), for: reference) }
        try ensureSigFlags(view: view, update: &update, addingField: nil)
    }

    private static func createField(
        named name: String,
        signature: PDFReference,
        request: SignatureRequest,
        pages: [PDFPage],
        view: PDFRevisionView,
        update: inout PDFIncrementalUpdate
    ) throws {
        let pageNumber = request.visible?.page ?? 1
        guard pageNumber >= 1 && pageNumber <= pages.count else {
            throw PAdESError.pageOutOfRange(page: pageNumber, pageCount: pages.count)
        }
        let page = pages[pageNumber - 1]
        var widget: PDFDictionary = [
            PDFName("FT"): .name("Sig"),
            PDFName("T"): .string(.textString(name)),
            PDFName("V"): .reference(signature),
            .type: .name("Annot"),
            .subtype: .name("Widget"),
            PDFName("F"): 132,  // Print + Locked
            PDFName("Rect"): PDFRectangle(llx: 0, lly: 0, urx: 0, ury: 0).object,
            PDFName("P"): .reference(page.reference),
        ]
        // An invisible signature has a zero-size widget, which needs no appearance (§12.5.5).
        if let visible = request.visible {
            let rect = try widgetRectangle(visible, on: page)
            let appearance = try appearanceStream(for: visible, width: rect.width, height: rect.height, update: &update)
            widget[PDFName("Rect")] = rect.object
            widget[PDFName("AP")] = .dictionary([PDFName("N"): .reference(appearance)])
        }
        let widgetRef = update.add(.dictionary(widget))
        try addAnnotation(widgetRef, to: page, view: view, update: &update)
        try ensureSigFlags(view: view, update: &update, addingField: widgetRef)
    }

    /// The widget rectangle of a visible signature, checked against the page.
    private static func widgetRectangle(_ visible: VisibleSignature, on page: PDFPage) throws -> PDFRectangle {
        let values = [visible.x, visible.y, visible.width, visible.height]
        guard values.allSatisfy(\.isFinite), visible.width > 0, visible.height > 0 else {
            throw PAdESError.invalidRectangle("width and height must be positive numbers")
        }
        let rect = PDFRectangle(llx: visible.x, lly: visible.y, urx: visible.x + visible.width, ury: visible.y + visible.height)
        if let box = page.visibleBox {
            let tolerance = 0.5
            guard rect.llx >= box.llx - tolerance, rect.lly >= box.lly - tolerance,
                  rect.urx <= box.urx + tolerance, rect.ury <= box.ury + tolerance else {
                throw PAdESError.invalidRectangle(
                    "[\(rect.llx) \(rect.lly) \(rect.urx) \(rect.ury)] lies outside page \(visible.page) ([\(box.llx) \(box.lly) \(box.urx) \(box.ury)])")
            }
        }
        return rect
    }

    /// A Form XObject of `width` × `height` drawing the appearance PDF's first page, scaled
    /// to fit with its aspect ratio kept and centred.
    private static func appearanceStream(
        for visible: VisibleSignature,
        width: Double,
        height: Double,
        update: inout PDFIncrementalUpdate
    ) throws -> PDFReference {
        let source: PDFDocument
        do {
            source = try PDFDocument(bytes: visible.appearancePDF)
        } catch {
            throw PAdESError.invalidAppearance("the appearance PDF cannot be read: \(error)")
        }
        var importer: PDFObjectImporter
        let seal: PDFReference
        let box: PDFRectangle
        do {
            importer = try PDFObjectImporter(source: source)
            seal = try importer.importPageAsFormXObject(pageIndex: 0, into: &update)
            guard let mediaBox = try source.current.page(at: 0).mediaBox, mediaBox.width > 0, mediaBox.height > 0 else {
                throw PAdESError.invalidAppearance("the appearance page has no usable media box")
            }
            box = mediaBox
        } catch let error as PAdESError {
            throw error
        } catch {
            throw PAdESError.invalidAppearance("the appearance page cannot be imported: \(error)")
        }
        let scale = min(width / box.width, height / box.height)
        let tx = (width - box.width * scale) / 2 - box.llx * scale
        let ty = (height - box.height * scale) / 2 - box.lly * scale
        let content = "q \(number(scale)) 0 0 \(number(scale)) \(number(tx)) \(number(ty)) cm /Seal Do Q"
        let stream = try mapPDFErrors {
            try PDFStream.flateEncoded(dictionary: [
                .type: .name("XObject"), .subtype: .name("Form"),
                PDFName("BBox"): PDFRectangle(llx: 0, lly: 0, urx: width, ury: height).object,
                .resources: .dictionary([PDFName("XObject"): .dictionary([PDFName("Seal"): .reference(seal)])]),
            ], data: Array(content.utf8))
        }
        return update.add(.stream(stream))
    }

    private static func number(_ value: Double) -> String { PDFReal(value, fractionDigits: 4).text }

    /// Appends `widget` to the page's `/Annots` (a direct array, an indirect one, or none yet).
    private static func addAnnotation(_ widget: PDFReference, to page: PDFPage, view: PDFRevisionView, update: inout PDFIncrementalUpdate) throws {
        let annots = page.dictionary[PDFName("Annots")]
        if case .reference(let arrayRef) = annots {
            let items = try mapPDFErrors { try view.array(annots) } ?? []
            try mapPDFErrors { try update.set(.array(items + [.reference(widget)]), for: arrayRef) }
        } else {
            var dictionary = page.dictionary
            dictionary[PDFName("Annots")] = .array((annots?.arrayValue ?? []) + [.reference(widget)])
            try mapPDFErrors { try update.set(.dictionary(dictionary), for: page.reference) }
        }
    }

    /// Makes sure the AcroForm exists, lists `addingField` (if any) and has `/SigFlags 3`
    /// (SignaturesExist | AppendOnly), touching as few objects as possible.
    private static func ensureSigFlags(view: PDFRevisionView, update: inout PDFIncrementalUpdate, addingField field: PDFReference?) throws {
        let catalog = try mapPDFErrors { try view.catalog() }
        let formValue = catalog.dictionary[PDFName("AcroForm")]
        var form = try mapPDFErrors { try view.dictionary(formValue) } ?? PDFDictionary()
        var formChanged = formValue == nil
        let flags = form[PDFName("SigFlags")]?.integerValue ?? 0
        if flags & 3 != 3 {
            form[PDFName("SigFlags")] = .integer(flags | 3)
            formChanged = true
        }
        if let field {
            let fieldsValue = form[PDFName("Fields")]
            let fields = try mapPDFErrors { try view.array(fieldsValue) } ?? []
            if case .reference(let fieldsRef) = fieldsValue {
                try mapPDFErrors { try update.set(.array(fields + [.reference(field)]), for: fieldsRef) }
            } else {
                form[PDFName("Fields")] = .array(fields + [.reference(field)])
                formChanged = true
            }
        }
        guard formChanged else { return }
        if case .reference(let formRef) = formValue {
            try mapPDFErrors { try update.set(.dictionary(form), for: formRef) }
        } else {
            var newCatalog = catalog.dictionary
            newCatalog[PDFName("AcroForm")] = .reference(update.add(.dictionary(form)))
            try mapPDFErrors { try update.set(.dictionary(newCatalog), for: catalog.reference) }
        }
    }

    private static func firstFreeName(_ taken: [String]) -> String {
        let names = Set(taken)
        var n = 1
        while names.contains("Signature\(n)") { n += 1 }
        return "Signature\(n)"
    }

    // MARK: - Signature dictionary

    static func signatureDictionary(kind: SignatureKind, metadata: SignatureMetadata) -> PDFDictionary {
        var dictionary = PDFDictionary()
        switch kind {
        case .approval:
            dictionary[.type] = .name("Sig")
            dictionary[.filter] = .name("Adobe.PPKLite")
            dictionary[PDFName("SubFilter")] = .name("ETSI.CAdES.detached")
            dictionary[PDFName("M")] = .string(PDFString(PDFDateFormat.string(from: metadata.signingTime)))
            if let name = metadata.signerName { dictionary[PDFName("Name")] = .string(.textString(name)) }
            if let reason = metadata.reason { dictionary[PDFName("Reason")] = .string(.textString(reason)) }
            if let location = metadata.location { dictionary[PDFName("Location")] = .string(.textString(location)) }
            if let contact = metadata.contactInfo { dictionary[PDFName("ContactInfo")] = .string(.textString(contact)) }
        case .documentTimestamp:
            dictionary[.type] = .name("DocTimeStamp")
            dictionary[.filter] = .name("Adobe.PPKLite")
            dictionary[PDFName("SubFilter")] = .name("ETSI.RFC3161")
        }
        return dictionary
    }
}

/// Opens a PDF for signing or extension, turning reader errors into `PAdESError`.
func openForSigning(_ pdf: [UInt8]) throws -> PDFDocument {
    let document: PDFDocument
    do {
        document = try PDFDocument(bytes: pdf)
    } catch PDFError.encrypted {
        throw PAdESError.encryptedPDF
    } catch {
        throw PAdESError.unreadablePDF("\(error)")
    }
    if document.isEncrypted { throw PAdESError.encryptedPDF }
    // A file whose last revision is not closed by `%%EOF`, or that has bytes after it, is
    // damaged or still being written: appending a signature would make the boundary of the
    // signed revision ambiguous. Quirks of earlier revisions are tolerated.
    let last = document.currentRevision.byteRange
    for anomaly in document.anomalies {
        switch anomaly.kind {
        case .trailingDataAfterEOF:
            throw PAdESError.unreadablePDF("bytes follow the final %%EOF (\(anomaly.message)); the file looks damaged")
        case .missingEOFMarker where anomaly.offset.map { last.contains($0) || $0 >= last.upperBound } ?? true:
            throw PAdESError.unreadablePDF("the last revision is not closed by startxref and %%EOF; the file looks truncated")
        default:
            continue
        }
    }
    return document
}

/// Runs a SignetPDF operation, reporting its errors as `PAdESError.unreadablePDF`.
func mapPDFErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as PAdESError {
        throw error
    } catch PDFError.encrypted {
        throw PAdESError.encryptedPDF
    } catch {
        throw PAdESError.unreadablePDF("\(error)")
    }
}
