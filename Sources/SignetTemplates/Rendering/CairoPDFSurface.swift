import CPangoCairo

/// A Cairo PDF surface writing into memory, with a drawing context: where the renderer draws
/// contracts and seals. (Not SignetPDF's `PDFDocument`, which reads and updates PDFs.)
///
/// Not thread-safe: used inside `FontEnvironmentPool.withEnvironment`, with that environment.
final class CairoPDFSurface {
    /// Receives the bytes Cairo writes (through an unmanaged pointer in the C callback).
    private final class Sink {
        var bytes: [UInt8] = []
    }

    private let sink = Sink()
    private let surface: OpaquePointer
    let cairo: OpaquePointer
    private var finished = false

    /// Metadata written to the document information dictionary.
    struct Metadata {
        var title: String
        var subject: String
        var keywords: String
        var creator = "Signet"
        /// ISO 8601 with offset, e.g. `2025-03-01T10:00:00+08:00`; used for both
        /// /CreationDate and /ModDate so the bytes do not depend on the clock.
        var date: String
    }

    /// A PDF whose first page is `width` × `height` points.
    init(width: Double, height: Double, metadata: Metadata) throws(RenderError) {
        let write: cairo_write_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            let sink = Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }
        surface = cairo_pdf_surface_create_for_stream(write, Unmanaged.passUnretained(sink).toOpaque(), width, height)
        cairo = cairo_create(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw .cairo(String(cString: cairo_status_to_string(status)))
        }
        cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, metadata.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, metadata.subject)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, metadata.keywords)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, metadata.creator)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, metadata.date)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, metadata.date)
    }

    deinit {
        cairo_destroy(cairo)
        cairo_surface_destroy(surface)
    }

    /// Ends the current page and starts the next.
    func showPage() {
        cairo_show_page(cairo)
    }

    /// Adds an outline (bookmark) entry pointing at `page` (1-based), `y` points from the top.
    func addOutline(_ title: String, page: Int, y: Double) {
        let target = "page=\(page) pos=[0 \(Int(y.rounded()))]"
        _ = cairo_pdf_surface_add_outline(surface, 0 /* CAIRO_PDF_OUTLINE_ROOT */, title, target, CAIRO_PDF_OUTLINE_FLAG_OPEN)
    }

    /// Finishes the document and returns its bytes, with the date fix of `CairoDateFix`.
    func finish() throws(RenderError) -> [UInt8] {
        guard !finished else { throw .cairo("the PDF document was already finished") }
        finished = true
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw .cairo(String(cString: cairo_status_to_string(status)))
        }
        return try CairoDateFix.apply(sink.bytes)
    }
}
