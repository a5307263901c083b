import SignetCrypto
import SignetPDF

/// Writes or extends the Document Security Store (ISO 32000-2 §12.8.4.3, ETSI EN 319 142-1
/// §5.4): `/Certs`, `/CRLs`, `/OCSPs` arrays of streams in the catalog's `/DSS`, and a
/// `/VRI` entry per signature, in one incremental update. Existing entries are kept and
/// identical data is never stored twice.
public enum DocumentSecurityStoreWriter {
    /// Appends an update to `pdf` adding `material` to the DSS, and, per signature (keyed
    /// by the bytes of its `/Contents`), a VRI dictionary listing the data that validates it.
    public static func append(
        to pdf: [UInt8],
        material: ValidationMaterial,
        perSignature: [(contents: [UInt8], material: ValidationMaterial)] = []
    ) throws -> [UInt8] {
        let document = try openForSigning(pdf)
        let view = document.current
        var update = try PDFIncrementalUpdate(document: document)
        update.documentIDSecondElement = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let catalog = try mapPDFErrors { try view.catalog() }
        let dssValue = catalog.dictionary[PDFName("DSS")]
        var dss = try mapPDFErrors { try view.dictionary(dssValue) } ?? PDFDictionary()

        var store = StreamStore(view: view)
        try store.loadExisting(dss)
        var all = material
        for entry in perSignature { all.merge(entry.material) }
        for data in all.certificates { _ = try store.reference(for: data, kind: .certificate, update: &update) }
        for data in all.crls { _ = try store.reference(for: data, kind: .crl, update: &update) }
        for data in all.ocspResponses { _ = try store.reference(for: data, kind: .ocsp, update: &update) }

        dss[.type] = .name("DSS")
        dss[PDFName("Certs")] = .array(store.refs(.certificate).map(PDFObject.reference))
        dss[PDFName("CRLs")] = .array(store.refs(.crl).map(PDFObject.reference))
        dss[PDFName("OCSPs")] = .array(store.refs(.ocsp).map(PDFObject.reference))
        for key in [PDFName("Certs"), PDFName("CRLs"), PDFName("OCSPs")] where dss[key]?.arrayValue?.isEmpty == true {
            dss[key] = nil
        }

        if !perSignature.isEmpty {
            var vri = try mapPDFErrors { try view.dictionary(dss[PDFName("VRI")]) } ?? PDFDictionary()
            for entry in perSignature {
                let key = PDFName(DigestAlgorithm.sha1.hash(entry.contents).hexString.uppercased())
                var item = PDFDictionary()
                let certs = try entry.material.certificates.map { try store.reference(for: $0, kind: .certificate, update: &update) }
                let crls = try entry.material.crls.map { try store.reference(for: $0, kind: .crl, update: &update) }
                let ocsps = try entry.material.ocspResponses.map { try store.reference(for: $0, kind: .ocsp, update: &update) }
                if !certs.isEmpty { item[PDFName("Cert")] = .array(certs.map(PDFObject.reference)) }
                if !crls.isEmpty { item[PDFName("CRL")] = .array(crls.map(PDFObject.reference)) }
                if !ocsps.isEmpty { item[PDFName("OCSP")] = .array(ocsps.map(PDFObject.reference)) }
                vri[key] = .dictionary(item)
            }
            dss[PDFName("VRI")] = .dictionary(vri)
        }

        try mapPDFErrors {
            if case .reference(let dssRef) = dssValue {
                try update.set(.dictionary(dss), for: dssRef)
            } else {
                var newCatalog = catalog.dictionary
                newCatalog[PDFName("DSS")] = .reference(update.add(.dictionary(dss)))
                try update.set(.dictionary(newCatalog), for: catalog.reference)
            }
        }
        return try mapPDFErrors { try update.write() }.bytes
    }

    /// The DSS streams, existing and new, deduplicated by content.
    private struct StreamStore {
        enum Kind: CaseIterable { case certificate, crl, ocsp }

        let view: PDFRevisionView
        private var byContent: [Kind: [ByteKey: PDFReference]] = [:]
        private var order: [Kind: [PDFReference]] = [:]

        init(view: PDFRevisionView) { self.view = view }

        mutating func loadExisting(_ dss: PDFDictionary) throws {
            for (kind, key) in [(Kind.certificate, "Certs"), (.crl, "CRLs"), (.ocsp, "OCSPs")] {
                for item in try mapPDFErrors({ try view.array(dss[PDFName(key)]) }) ?? [] {
                    guard case .reference(let ref) = item else { continue }
                    order[kind, default: []].append(ref)
                    if case .stream(let stream) = try mapPDFErrors({ try view.resolve(item) }),
                       let data = try? view.document.decodedData(of: stream) {
                        byContent[kind, default: [:]][ByteKey(data)] = ref
                    }
                }
            }
        }

        mutating func reference(for data: [UInt8], kind: Kind, update: inout PDFIncrementalUpdate) throws -> PDFReference {
            if let existing = byContent[kind]?[ByteKey(data)] { return existing }
            let stream = try mapPDFErrors { try PDFStream.flateEncoded(data: data) }
            let ref = update.add(.stream(stream))
            byContent[kind, default: [:]][ByteKey(data)] = ref
            order[kind, default: []].append(ref)
            return ref
        }

        func refs(_ kind: Kind) -> [PDFReference] { order[kind] ?? [] }
    }
}
