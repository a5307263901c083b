import FoundationEssentials
import SignetCrypto
import SignetPDF

/// A signature dictionary with its structure checked and its /Contents parsed, before the
/// document-wide steps (validation data, proofs of existence) run.
struct ParsedSignature {
    let candidate: SignatureCandidate
    let structure: SignatureStructure
    /// For approval signatures: the CMS, or why it could not be read.
    let signedData: Result<CMSSignedData, CMSError>?
    /// For document timestamps: the token, or why it could not be read.
    let token: Result<TimeStampToken, TimeStampError>?
    let claims: SignatureValidationResult.Claims
    /// DocMDP permissions when this is a certification signature.
    let docMDP: Int?
    /// The revision that wrote the signature dictionary (for ordering).
    let definedInRevision: Int?

    var kind: SignatureValidationResult.Kind { structure.kind }
    var signedRevision: Int? { structure.signedRevision }

    /// Report order: by the revision signed (else the one that wrote the dictionary), then
    /// by object number.
    static func reportOrder(_ a: ParsedSignature, _ b: ParsedSignature) -> Bool {
        func key(_ s: ParsedSignature) -> (Int, Int, Int) {
            (s.signedRevision ?? s.definedInRevision ?? Int.max, s.definedInRevision ?? Int.max, s.candidate.reference?.number ?? 0)
        }
        return key(a) < key(b)
    }

    /// Parses `candidate`'s /Contents, its certificates through the run's `certificateCache`.
    init(_ candidate: SignatureCandidate, document: PDFDocument, certificateCache: CertificateCache) {
        self.candidate = candidate
        let structure = SignatureStructure(candidate, in: document)
        self.structure = structure
        let contents = structure.contents ?? []
        if structure.kind == .documentTimestamp {
            signedData = nil
            token = contents.isEmpty ? nil : Result { () throws(TimeStampError) in
                try TimeStampToken(berEncoded: contents, allowingTrailingZeroPadding: true, certificateCache: certificateCache)
            }
        } else {
            token = nil
            signedData = contents.isEmpty ? nil : Result { () throws(CMSError) in
                try CMSSignedData(berEncoded: contents, allowingTrailingZeroPadding: true, certificateCache: certificateCache)
            }
        }
        let cmsSigningTime = (try? signedData?.get())?.signerInfos.first?.signedAttributes?.signingTime
        claims = Self.claims(candidate.dictionary, document: document, revision: candidate.asOfRevision, cmsSigningTime: cmsSigningTime)
        definedInRevision = candidate.reference.flatMap { try? document.definingRevision(of: $0.number, asOf: candidate.asOfRevision) }
        docMDP = Self.docMDPPermissions(candidate.dictionary, document: document, revision: candidate.asOfRevision)
    }

    private static func claims(_ dictionary: PDFDictionary, document: PDFDocument, revision: Int,
                               cmsSigningTime: Date?) -> SignatureValidationResult.Claims {
        func text(_ key: String) -> String? {
            guard let value = dictionary[PDFName(key)],
                  let string = (try? document.resolve(value, asOf: revision))?.stringValue else { return nil }
            let decoded = trimmingControlCharacters(string.text)
            return decoded.isEmpty ? nil : decoded
        }
        let m = text("M")
        return .init(signingTime: m.flatMap(PDFDateFormat.date(from:)), signingTimeText: m, cmsSigningTime: cmsSigningTime,
                     name: text("Name"), reason: text("Reason"), location: text("Location"), contactInfo: text("ContactInfo"))
    }

    /// `/P` of a DocMDP transform in the signature's `/Reference` (default 2), or nil.
    private static func docMDPPermissions(_ dictionary: PDFDictionary, document: PDFDocument, revision: Int) -> Int? {
        guard let references = try? document.resolveArray(dictionary[PDFName("Reference")], asOf: revision) else { return nil }
        for item in references.prefix(16) {
            guard let reference = try? document.resolveDictionary(item, asOf: revision),
                  reference[PDFName("TransformMethod")]?.nameValue == PDFName("DocMDP") else { continue }
            let params = try? document.resolveDictionary(reference[PDFName("TransformParams")], asOf: revision)
            let p = params?[PDFName("P")].flatMap { try? document.resolve($0, asOf: revision) }?.integerValue ?? 2
            return (1...3).contains(p) ? p : 2
        }
        return nil
    }
}

/// `text` without leading and trailing control and format characters (Unicode general
/// categories Cc and Cf, like Foundation's `.controlCharacters`), in the standard library:
/// Foundation's `trimmingCharacters(in:)` bridges through NSString (≈ 0.2 ms on first use).
func trimmingControlCharacters(_ text: String) -> String {
    func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let category = scalar.properties.generalCategory
        return category == .control || category == .format
    }
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !isControl($0) }), let last = scalars.lastIndex(where: { !isControl($0) }) else {
        return ""
    }
    return String(scalars[first...last])
}
