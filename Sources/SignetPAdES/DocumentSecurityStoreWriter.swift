import SignetCrypto
import SignetPDF

/// Writes or extends the Document Security Store (ISO 32000-2 §12.8.4.3, ETSI EN 319 142-1
/// §5.4): `/Certs`, `/CRLs`, `/OCSPs` arrays of streams in the catalog's `/DSS`, and a
/// `/VRI` entry per signature, in one incremental update.
///
/// Validation data is only ever added. Every entry already in the DSS stays exactly as it
/// was: array items (whatever they are) keep their place and are followed by the new
/// streams; an indirect array, `/VRI` dictionary or DSS is updated in place (same object);
/// an existing VRI entry is never rewritten, even if newer data exists for its signature.
/// This is what pyHanko's DSS rule and Signet's own verifier accept after a signature.
/// Identical data is never stored twice.
public enum DocumentSecurityStoreWriter {
    /// Appends an update to `pdf` adding `material` to the DSS, and, per signature (keyed
    /// by the bytes of its `/Contents`) that has no VRI entry yet, a VRI dictionary listing
    /// the data that validates it. Returns `pdf` unchanged when there is nothing to add.
    public static func append(
        to pdf: [UInt8],
        material: ValidationMaterial,
        perSignature: [(contents: [UInt8], material: ValidationMaterial)] = []
    ) throws -> [UInt8] {
        let document = try openForSigning(pdf)
        let view = document.current
        var update = try PDFIncrementalUpdate(document: document)
        let catalog = try mapPDFErrors { try view.catalog() }
        let dssValue = catalog.dictionary[PDFName("DSS")]
        var dss = try mapPDFErrors { try view.dictionary(dssValue) } ?? PDFDictionary()

        var store = try StreamStore(view: view, dss: dss)
        var vri = try VRIEntries(view: view, value: dss[PDFName("VRI")])
        var all = material
        let newEntries = perSignature.filter { !vri.contains(vriKey(forContents: $0.contents)) }
        for entry in newEntries { all.merge(entry.material) }
        for kind in StreamStore.Kind.allCases {
            for data in all[kind] { _ = try store.reference(for: data, kind: kind, update: &update) }
        }
        for entry in newEntries {
            var item = PDFDictionary()
            for kind in StreamStore.Kind.allCases where !entry.material[kind].isEmpty {
                let refs = try entry.material[kind].map { try store.reference(for: $0, kind: kind, update: &update) }
                item[kind.vriKey] = .array(refs.map(PDFObject.reference))
            }
            vri.add(vriKey(forContents: entry.contents), item)
        }
        guard store.hasAdditions || vri.hasAdditions else { return pdf }

        dss[.type] = .name("DSS")
        for kind in StreamStore.Kind.allCases {
            if let array = store.updatedArray(kind) {
                try mapPDFErrors {
                    if let holder = store.holders[kind] { try update.set(array, for: holder) } else { dss[kind.dssKey] = array }
                }
            }
        }
        if let vriDictionary = vri.updatedDictionary {
            try mapPDFErrors {
                if let holder = vri.holder { try update.set(vriDictionary, for: holder) } else { dss[PDFName("VRI")] = vriDictionary }
            }
        }
        update.documentIDSecondElement = (0..<16).map { _ in UInt8.random(in: 0...255) }
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

    /// The `/VRI` key of a signature: the upper-case hex SHA-1 of its `/Contents` bytes.
    static func vriKey(forContents contents: [UInt8]) -> PDFName {
        PDFName(DigestAlgorithm.sha1.hash(contents).hexString.uppercased())
    }

    /// The VRI keys present in the DSS of `view` (empty when there is no DSS or no VRI).
    static func existingVRIKeys(in view: PDFRevisionView) throws -> Set<PDFName> {
        let catalog = try mapPDFErrors { try view.catalog() }
        guard let dss = try mapPDFErrors({ try view.dictionary(catalog.dictionary[PDFName("DSS")]) }) else { return [] }
        return try VRIEntries(view: view, value: dss[PDFName("VRI")]).keys
    }
}

extension ValidationMaterial {
    /// The DER items of one kind of DSS stream.
    fileprivate subscript(kind: DocumentSecurityStoreWriter.StreamStore.Kind) -> [[UInt8]] {
        switch kind {
        case .certificate: certificates
        case .crl: crls
        case .ocsp: ocspResponses
        }
    }
}

extension DocumentSecurityStoreWriter {
    /// The DSS arrays, existing and new: existing items kept as written, new streams
    /// appended, identical content stored once.
    fileprivate struct StreamStore {
        enum Kind: CaseIterable {
            case certificate, crl, ocsp

            var dssKey: PDFName {
                switch self {
                case .certificate: PDFName("Certs")
                case .crl: PDFName("CRLs")
                case .ocsp: PDFName("OCSPs")
                }
            }

            var vriKey: PDFName {
                switch self {
                case .certificate: PDFName("Cert")
                case .crl: PDFName("CRL")
                case .ocsp: PDFName("OCSP")
                }
            }
        }

        /// The indirect array object holding each kind, when the DSS refers to one.
        private(set) var holders: [Kind: PDFReference] = [:]
        private var existing: [Kind: [PDFObject]] = [:]
        private var added: [Kind: [PDFReference]] = [:]
        private var byContent: [Kind: [ByteKey: PDFReference]] = [:]

        init(view: PDFRevisionView, dss: PDFDictionary) throws {
            for kind in Kind.allCases {
                guard let value = dss[kind.dssKey] else { continue }
                if case .reference(let ref) = value { holders[kind] = ref }
                let items = try mapPDFErrors { try view.array(value) } ?? []
                existing[kind] = items
                for item in items {
                    guard case .reference(let ref) = item,
                          case .stream(let stream)? = try? view.resolve(item),
                          let data = try? view.document.decodedData(of: stream) else { continue }
                    byContent[kind, default: [:]][ByteKey(data)] = byContent[kind]?[ByteKey(data)] ?? ref
                }
            }
        }

        var hasAdditions: Bool { added.values.contains { !$0.isEmpty } }

        mutating func reference(for data: [UInt8], kind: Kind, update: inout PDFIncrementalUpdate) throws -> PDFReference {
            if let known = byContent[kind]?[ByteKey(data)] { return known }
            let stream = try mapPDFErrors { try PDFStream.flateEncoded(data: data) }
            let ref = update.add(.stream(stream))
            byContent[kind, default: [:]][ByteKey(data)] = ref
            added[kind, default: []].append(ref)
            return ref
        }

        /// The array of `kind` with the new streams appended; nil when nothing was added.
        func updatedArray(_ kind: Kind) -> PDFObject? {
            guard let new = added[kind], !new.isEmpty else { return nil }
            return .array((existing[kind] ?? []) + new.map(PDFObject.reference))
        }
    }

    /// The `/VRI` dictionary: existing entries kept exactly as written, new keys added.
    fileprivate struct VRIEntries {
        /// The indirect dictionary object, when the DSS refers to one.
        let holder: PDFReference?
        private var dictionary: PDFDictionary
        private(set) var hasAdditions = false

        init(view: PDFRevisionView, value: PDFObject?) throws {
            if case .reference(let ref)? = value { holder = ref } else { holder = nil }
            dictionary = try mapPDFErrors { try view.dictionary(value) } ?? PDFDictionary()
        }

        var keys: Set<PDFName> { Set(dictionary.keys) }

        /// Whether `key` is present (even with a `null` value, which stays as written).
        func contains(_ key: PDFName) -> Bool { dictionary.contains(key) }

        mutating func add(_ key: PDFName, _ item: PDFDictionary) {
            guard !contains(key) else { return }
            dictionary[key] = .dictionary(item)
            hasAdditions = true
        }

        /// The dictionary with its new entries; nil when nothing was added.
        var updatedDictionary: PDFObject? { hasAdditions ? .dictionary(dictionary) : nil }
    }
}
