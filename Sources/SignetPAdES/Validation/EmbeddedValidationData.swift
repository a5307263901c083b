import SignetCrypto
import SignetPDF

/// Every certificate, CRL and OCSP response the file carries: the DSS (ISO 32000-2
/// §12.8.4.3, with its VRI entries), and, added per signature, the CMS certificates and
/// revocation values, adbe-revocationInfoArchival and the timestamp tokens' certificates.
/// Nothing is fetched from the network.
struct EmbeddedValidationData {
    /// Indexed now, parsed when a lookup needs them (`CertificatePool`).
    private(set) var certificates: CertificatePool
    private(set) var crls: [[UInt8]] = []
    private(set) var ocspResponses: [[UInt8]] = []
    /// Entries that could not be read, for the report.
    private(set) var problems: [String] = []
    /// Whether the final revision has a DSS.
    private(set) var hasDSS = false

    private var crlSet = Set<ByteKey>()
    private var ocspSet = Set<ByteKey>()

    /// Reads the DSS of the document's final revision; certificates are parsed through the
    /// validation run's `certificateCache` when needed.
    init(document: PDFDocument, certificateCache: CertificateCache) {
        certificates = CertificatePool(cache: certificateCache)
        let view = document.current
        guard let catalog = try? view.catalog().dictionary, let dssValue = catalog[PDFName("DSS")] else { return }
        guard let dss = try? view.dictionary(dssValue) else {
            problems.append("the /DSS entry of the catalog is not a dictionary")
            return
        }
        hasDSS = true
        for der in streams(dss[PDFName("Certs")], view: view, what: "DSS certificate") { add(certificateDER: der, origin: "DSS") }
        for der in streams(dss[PDFName("CRLs")], view: view, what: "DSS CRL") { add(crl: der) }
        for der in streams(dss[PDFName("OCSPs")], view: view, what: "DSS OCSP response") { add(ocsp: der) }
        if let vri = try? view.dictionary(dss[PDFName("VRI")]) {
            for (_, value) in vri.entries.prefix(10_000) {
                guard let entry = try? view.dictionary(value) else { continue }
                for der in streams(entry[PDFName("Cert")], view: view, what: "VRI certificate") { add(certificateDER: der, origin: "VRI") }
                for der in streams(entry[PDFName("CRL")], view: view, what: "VRI CRL") { add(crl: der) }
                for der in streams(entry[PDFName("OCSP")], view: view, what: "VRI OCSP response") { add(ocsp: der) }
            }
        }
    }

    /// The decoded streams of an array (direct or indirect) of stream references.
    private mutating func streams(_ value: PDFObject?, view: PDFRevisionView, what: String) -> [[UInt8]] {
        guard let value else { return [] }
        guard let items = try? view.array(value) else {
            problems.append("a \(what) list is not an array")
            return []
        }
        var result: [[UInt8]] = []
        for item in items.prefix(100_000) {
            do {
                guard case .stream(let stream) = try view.resolve(item) else {
                    problems.append("a \(what) entry is not a stream")
                    continue
                }
                result.append(try view.document.decodedData(of: stream, asOf: view.revision))
            } catch {
                problems.append("a \(what) cannot be decoded: \(error)")
            }
        }
        return result
    }

    mutating func add(certificateDER der: [UInt8], origin: String) {
        if !certificates.add(der: der) { problems.append("a certificate in the \(origin) cannot be read") }
    }

    mutating func add(certificate: Certificate) {
        certificates.add(certificate)
    }

    mutating func add(crl der: [UInt8]) {
        if crlSet.insert(ByteKey(der)).inserted { crls.append(der) }
    }

    mutating func add(ocsp der: [UInt8]) {
        if ocspSet.insert(ByteKey(der)).inserted { ocspResponses.append(der) }
    }

    /// Adds what a CMS SignedData carries: certificates, CRLs, OCSP responses, and
    /// adbe-revocationInfoArchival from each signer's signed attributes.
    mutating func add(_ signedData: CMSSignedData) {
        for certificate in signedData.certificates { add(certificate: certificate) }
        for crl in signedData.crls { add(crl: crl) }
        for response in signedData.ocspResponses { add(ocsp: response) }
        for signer in signedData.signerInfos {
            guard let archival = signer.signedAttributes?.revocationInfoArchival else { continue }
            for crl in archival.crls { add(crl: crl) }
            for response in archival.ocspResponses { add(ocsp: response) }
        }
    }
}
