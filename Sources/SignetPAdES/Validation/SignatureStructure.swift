import SignetPDF

/// The `/SubFilter` values Signet validates.
enum SignatureSubFilter: String {
    /// PKCS#7 detached: CMS over the byte ranges, signed attributes optional.
    case adbePKCS7Detached = "adbe.pkcs7.detached"
    /// PAdES: CAdES detached, signed attributes and signing-certificate(-v2) required.
    case etsiCAdESDetached = "ETSI.CAdES.detached"
    /// A document timestamp: an RFC 3161 token over the byte ranges.
    case etsiRFC3161 = "ETSI.RFC3161"
    /// Deprecated PKCS#7 whose encapsulated content is the SHA-1 digest of the byte ranges.
    case adbePKCS7SHA1 = "adbe.pkcs7.sha1"
}

/// The outcome of the structural checks of one signature dictionary (ISO 32000-2
/// §12.8.1, ETSI EN 319 142-1 §5): kind, sub-filter, `/Contents`, `/ByteRange`, and the
/// revision it signs. Any failure is FORMAT_FAILURE; these are the checks that stop
/// universal signature forgery, signature wrapping and dictionary spoofing.
struct SignatureStructure {
    var kind: SignatureValidationResult.Kind = .approval
    var subFilter: SignatureSubFilter?
    var subFilterName: String?
    /// `/ByteRange` as written, when it is an array of integers.
    var byteRange: [Int]?
    /// The two signed ranges, once they are known to lie inside the file.
    var ranges: [Range<Int>]?
    /// The revision (0-based) whose end the second range reaches.
    var signedRevision: Int?
    /// The bytes of `/Contents`.
    var contents: [UInt8]?
    var checks: [ValidationCheck] = []

    /// Whether every structural check passed.
    var isSound: Bool { !checks.contains { $0.outcome == .failed } }

    /// Checks `candidate` in `document`.
    init(_ candidate: SignatureCandidate, in document: PDFDocument) {
        let dictionary = candidate.dictionary
        let type = dictionary[.type]?.nameValue?.string
        let subFilterObject = dictionary[PDFName("SubFilter")]
        subFilterName = subFilterObject?.nameValue?.string
        subFilter = subFilterName.flatMap(SignatureSubFilter.init(rawValue:))
        kind = (type == "DocTimeStamp" || subFilter == .etsiRFC3161) ? .documentTimestamp : .approval

        func fail(_ message: String) { checks.append(.problem(.structure, .formatFailure, Self.sentence(message))) }
        if let problem = candidate.unreadable {
            fail("the signature dictionary \(candidate.reference.map { "\($0)" } ?? "") cannot be read: \(problem)")
            return
        }

        // Type and sub-filter.
        switch (type, subFilter) {
        case (_, nil):
            fail(subFilterName.map { "the signature format /SubFilter /\($0) is not supported" }
                 ?? "the signature dictionary has no /SubFilter naming its format")
        case ("DocTimeStamp", let sub?) where sub != .etsiRFC3161:
            fail("a document timestamp (/Type /DocTimeStamp) must use /SubFilter /ETSI.RFC3161, not /\(sub.rawValue)")
        case ("Sig", .etsiRFC3161?):
            fail("/SubFilter /ETSI.RFC3161 is for document timestamps, but the dictionary says /Type /Sig")
        case (let other?, _) where other != "Sig" && other != "DocTimeStamp":
            fail("the signature dictionary has /Type /\(other), not /Sig or /DocTimeStamp")
        default:
            break
        }

        // /Contents.
        if case .string(let string)? = dictionary[.contents] {
            contents = string.bytes
            if string.form != .hex { fail("/Contents is a literal string; a signature's /Contents must be a hexadecimal string") }
            if string.bytes.isEmpty { fail("/Contents is empty: there is no signature") }
        } else {
            fail(dictionary[.contents] == nil ? "the signature dictionary has no /Contents" : "/Contents is not a direct string")
        }

        if let problem = checkByteRange(candidate, in: document) { fail(problem) }
        if isSound {
            checks.append(.passed(.structure, "/ByteRange excludes exactly this dictionary's /Contents and ends where revision \(signedRevision! + 1) ends; the dictionary was written in that revision."))
        }
    }

    /// `text` with a capital first letter and a final period.
    static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst() + (text.hasSuffix(".") ? "" : ".")
    }

    /// Checks `/ByteRange` and the revision it signs; returns the first problem.
    private mutating func checkByteRange(_ candidate: SignatureCandidate, in document: PDFDocument) -> String? {
        func fail(_ message: String) -> String? { message }
        guard let value = candidate.dictionary[PDFName("ByteRange")] else { return fail("the signature dictionary has no /ByteRange") }
        guard case .array(let items) = value else { return fail("/ByteRange is not a direct array") }
        let numbers = items.compactMap(\.integerValue)
        guard numbers.count == items.count else { return fail("/ByteRange holds something other than integers") }
        byteRange = numbers
        guard numbers.count == 4 else { return fail("/ByteRange has \(numbers.count) numbers; it must have exactly 4 (two ranges)") }
        let (a, b, c, d) = (numbers[0], numbers[1], numbers[2], numbers[3])
        guard a == 0 else { return fail("/ByteRange starts at byte \(a), not at the beginning of the file") }
        guard b >= 0, c >= 0, d >= 0 else { return fail("/ByteRange has a negative number") }
        let (gapStart, o1) = a.addingReportingOverflow(b)
        let (signedEnd, o2) = c.addingReportingOverflow(d)
        guard !o1, !o2 else { return fail("/ByteRange numbers overflow") }
        guard gapStart < c else { return fail("/ByteRange ranges overlap or touch: the second starts at \(c), before the first ends at \(gapStart)") }
        guard signedEnd <= document.bytes.count else {
            return fail("/ByteRange reaches byte \(signedEnd), beyond the end of the \(document.bytes.count)-byte file: the file was cut short or its structure is damaged, and the signed bytes cannot be hashed")
        }
        ranges = [a..<gapStart, c..<signedEnd]

        // The second range must end where a revision ends, and the dictionary must have
        // been written in that revision (not redefined or added later).
        guard let revision = document.revision(endingAt: signedEnd) else {
            return fail("the signed bytes end at \(signedEnd), which is not the end of any revision: the signature does not cover a whole revision")
        }
        signedRevision = revision.index
        guard let reference = candidate.reference else {
            return fail("the signature dictionary is a direct object inside its field; it must be an indirect object so that its /Contents can be located")
        }
        let finalRevision = candidate.inFinalForm ? document.revisions.count - 1 : candidate.asOfRevision
        let defining = try? document.definingRevision(of: reference.number, asOf: finalRevision)
        guard defining == revision.index else {
            let when = defining.map { "revision \($0 + 1)" } ?? "no revision"
            return fail("the signature dictionary \(reference) in force was written in \(when), but the signed bytes end with revision \(revision.index + 1): the dictionary shown is not the one that was signed")
        }

        // The excluded gap must be exactly this dictionary's /Contents hex string.
        let object: PDFIndirectObject?
        do {
            object = try document.indirectObject(reference, asOf: candidate.asOfRevision)
        } catch {
            return fail("the signature dictionary \(reference) cannot be read: \(error)")
        }
        guard let object else { return fail("the signature dictionary \(reference) is missing") }
        guard case .file = object.location, let objectRange = object.byteRange,
              let contentsPosition = object.entryPositions[.contents] else {
            return fail("the signature dictionary \(reference) is inside an object stream, so its /Contents cannot be excluded from the signed bytes")
        }
        let gap = gapStart..<c
        guard contentsPosition.valueRange == gap else {
            let actual = contentsPosition.valueRange
            return fail("the bytes excluded from the signature (\(gap.lowerBound)..<\(gap.upperBound)) are not exactly this dictionary's /Contents (\(actual.lowerBound)..<\(actual.upperBound)): the unsigned gap could hide other content")
        }
        guard objectRange.upperBound <= signedEnd else {
            return fail("the signature dictionary lies outside the bytes it signs")
        }
        return nil
    }
}
