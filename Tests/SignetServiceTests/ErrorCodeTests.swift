import Foundation
@testable import SignetCrypto  // OpenSSLError has no public initializer
import SignetPAdES
import SignetPDF
import SignetService
import SignetTemplates
import SignetTestSupport
import Testing
import SignetPKI

/// Every public error type's `code` (docs/error-codes.md): one sample of every case, codes
/// distinct and well formed, exactly the documented ones, and the documentation naming every
/// case the sources declare.
@Suite("Error codes")
struct ErrorCodeTests {
    /// One value of every case of every public error type, with the code `ErrorCodes` gives.
    private static func samples() throws -> [(type: String, code: String, viaErrorCodes: String?)] {
        func all<E: Error>(_ values: [E], _ code: (E) -> String) -> [(String, String, String?)] {
            values.map { ("\(E.self)", code($0), ErrorCodes.code(of: $0)) }
        }
        let root = try #require(try Certificate.loadAll(contentsOfFile: RepositoryPaths.corpus.appendingPathComponent("trust/pyhanko-testing-ca-root.cert.pem").path).first)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let fields = FieldValidationError(errors: [FieldError(field: "f", code: .tooLong, message: "m")])
        var rows: [(String, String, String?)] = []
        rows += all([PDFError.unexpectedEndOfInput(offset: 1), .unexpectedToken(expected: "a", found: "b", offset: 1), .invalidNumber(offset: 1),
                     .invalidString(reason: "r", offset: 1), .duplicateKey(PDFName("K"), offset: 1), .nestingTooDeep(limit: 1, offset: 1),
                     .missingHeader, .missingStartXRef(offset: 1), .invalidXRef(reason: "r", offset: 1), .xrefLoop(offset: 1),
                     .tooManyRevisions(limit: 1), .objectNumberOutOfRange(1, offset: 1),
                     .objectHeaderMismatch(expected: PDFReference(1), found: nil, offset: 1), .invalidStructure(reason: "r", offset: nil),
                     .invalidStreamLength(reason: "r", offset: 1), .missingEndstream(offset: 1), .circularReference(PDFReference(1), offset: nil),
                     .invalidObjectStream(reason: "r", offset: 1), .unsupportedFilter(PDFName("F"), offset: nil),
                     .decodeFailed(filter: PDFName("F"), reason: "r", offset: nil), .decodedLengthLimitExceeded(limit: 1, offset: nil),
                     .encrypted, .invalidPageTree(reason: "r", offset: nil), .invalidUpdate(reason: "r")], \.code)
        rows += all([CryptoError.malformed("m"), .wrongPassphrase, .unsupported("u"), .io(path: "p", reason: "r")], \.code)
        rows += all([OpenSSLError(operation: "o", details: [])], \.code)
        rows += all([CMSError.malformed("m"), .notSignedData(contentType: "c"), .invalidAttribute(oid: "1.2", reason: "r"), .noSignerInfo,
                     .encapsulatedContentPresent, .encapsulatedContentMissing, .missingSignedAttribute(name: "n"),
                     .contentTypeMismatch(attribute: "a", encapsulated: "e"), .unexpectedContentType(expected: "e", actual: "a"),
                     .signedAttributesRequired(contentType: "c"), .unsupportedAlgorithm("a"), .signerCertificateNotFound("s"),
                     .ambiguousSignerCertificate("s"), .messageDigestMismatch(attribute: [1], computed: [2]),
                     .signatureOverNonDERSignedAttributes, .signatureInvalid, .signatureAlgorithmKeyMismatch("w"),
                     .signingCertificateReferenceMissing, .signingCertificateReferenceMismatch("w"),
                     .digestLengthMismatch(expected: 32, actual: 1), .signingFailed("w"), .timestampDoesNotCoverSignature], \.code)
        rows += all([PathValidationError.noTrustAnchors, .noChainFound(certificate: root, reason: "r"), .untrustedRoot(root),
                     .badSignature(certificate: root, issuer: root), .expired(certificate: root, notAfter: now, validationTime: now),
                     .notYetValid(certificate: root, notBefore: now, validationTime: now), .notACertificateAuthority(root),
                     .issuerKeyUsageMissing(root), .pathLengthExceeded(certificate: root, constraint: 0, intermediatesBelow: 1),
                     .keyUsageNotAllowed(certificate: root, required: .none, actual: []),
                     .extendedKeyUsageNotAllowed(certificate: root, required: ExtendedKeyUsageRequirement(oid: "1.2"), actual: [], reason: "r"),
                     .unhandledCriticalExtension(certificate: root, oids: []),
                     .nameConstraintsViolated(certificate: root, constrainedBy: root, reason: "r"), .policyConstraintsViolated(reason: "r")], \.code)
        rows += all([OCSPError.unsuccessful(.tryLater), .unsupportedResponseType, .responderCertificateNotFound(responderID: "r"),
                     .badSignature(responder: "r"), .unauthorizedResponder(responder: "r", reason: "r"),
                     .invalidResponderCertificate("r"), .emptyRequest], \.code)
        rows += all([CRLError.noCRL("w"), .invalidUpdateTimes, .notACRLIssuer(subject: "s")], \.code)
        rows += all([TimeStampError.malformed("m"), .notATimeStampToken("w"), .signature(.signatureInvalid), .notATimeStampingCertificate("w"),
                     .imprintMismatch("w"), .nonceMismatch(expected: [1], actual: nil), .policyMismatch(expected: "1.2", actual: "1.3"),
                     .tsaNameMismatch("w"), .certificateMissing, .untrusted("w"), .rejected(status: 2, text: [], failureInfo: []),
                     .httpStatus(500), .unexpectedContentType(nil), .timeout, .transport("w"), .configuration("w"), .serialNumber("w")], \.code)
        rows += all([HTTPTransportError.timeout, .unreachable("w"), .unsupportedURL("u"), .replyTooLarge(limit: 1)], \.code)
        rows += all([OutboundAddressError.unresolvable(host: "h", reason: "r"), .refused(host: "h", address: "a", scope: .loopback)], \.code)
        rows += all([CertificateAuthorityError.invalidNameAttribute(type: "CN", value: "", reason: "r"),
                     .invalidValidity(notBefore: now, notAfter: now),
                     .validityOutsideIssuer(notBefore: now, notAfter: now, issuerNotBefore: now, issuerNotAfter: now),
                     .keyDoesNotMatchCertificate(subject: "s"), .notACertificateAuthority(subject: "s", reason: "r"),
                     .invalidSerialNumber("r"), .invalidURL("u"), .invalidPathLength(-1)], \.code)
        rows += all([CertificateAuthorityDatabaseError.unknownSerial("01"), .alreadyRevoked("01"), .duplicateSerial("01"),
                     .malformed(path: "p", line: "l")], \.code)
        rows += all([EventCertificateError.invalidSubject(field: "f", reason: "r"), .invalidChain("r"), .keyOutlivedSigningAct], \.code)
        rows += all([KeyDirectoryError.alreadyInitialized(directory: "d", files: []), .missingFile("f"),
                     .passphraseRequired(directory: "d", environmentVariable: "V"), .inconsistent(file: "f", reason: "r"),
                     .invalidOption("o")], \.code)
        rows += all([PAdESError.unreadablePDF("r"), .encryptedPDF, .fieldAlreadySigned("f"), .notASignatureField("f"), .invalidFieldName("f"),
                     .pageOutOfRange(page: 2, pageCount: 1), .invalidRectangle("r"), .invalidAppearance("r"),
                     .signatureTooLarge(needed: 2, capacity: 1), .nothingToExtend, .timestampRequired(level: "B-T"),
                     .validationDataRequired(level: "B-LT"), .noRevocationData(subject: "s"), .unreadableSignature(field: "f", reason: "r")], \.code)
        rows += all([SystemTrustStoreError.notFound([])], \.code)
        rows += all([TemplateError.templateNotFound(id: "i", available: []), .versionNotFound(id: "i", version: "1", available: []),
                     .unreadable(path: "p", reason: "r"), .invalidManifest(path: "p", problems: []), .invalidBody(path: "p", problems: []),
                     .unexpectedEntries(path: "p", entries: []), .notLocked(reference: "r"),
                     .changedWithoutVersionBump(reference: "r", locked: "a", actual: "b"), .digestMismatch(reference: "r", expected: "a", actual: "b"),
                     .lockedVersionsMissing([]), .malformedLock(line: 1, reason: "r"), .multiple([])], \.code)
        rows += all([RenderError.invalidFields(fields), .invalidMetadata([]), .fontsUnavailable("w"),
                     .unsupportedTemplateCharacters(reference: "r", characters: []), .contentTooTall("w"), .invalidSeal([]), .invalidImageScale(9), .cairo("w")], \.code)
        rows += all([fields], \.code)
        rows += all([FieldProblems([FieldProblem(.tooLong, "m")])], \.code)
        rows += all(FieldErrorCode.allCases.map { FieldError(field: "f", code: $0, message: "m") }) { $0.code.rawValue }
        rows += all([FieldValuesError.malformed("m"), .notAnObject("array")], \.code)
        rows += all([JSONValueError.malformed("m")], \.code)
        rows += all([ContractSigningError.missingPartyField(role: .merchant, field: "merchant_name"), .noSignatureBox(role: .platform),
                     .missingRegistration(role: .merchant), .unknownJurisdiction(role: .merchant, jurisdiction: "j"),
                     .sealDoesNotMatchParty(certificateOrganization: "a", contractParty: "b")], \.code)
        rows += all(["merchant", "contract", "template", "signer", "document", "page", "export"].map(ServiceError.notFound) + [
            ServiceError.merchantExists(externalID: "m"), .validationFailed([]), .invalidState(state: .voided, action: "signed"),
            .alreadySigned(role: .merchant), .signingInProgress(role: .merchant), .contractExpired, .signedDocumentNotReady, .notAPDF,
            .encryptedPDF, .damagedPDF("r"), .idempotencyKeyReused, .idempotencyKeyInUse, .internalFailure("d"), .linkInvalid, .linkExpired, .otpInvalid(triesLeft: 1), .otpExpired,
            .otpLocked(retryAfter: 1), .otpResendTooSoon(retryAfter: 1), .rateLimited(retryAfter: 1), .sessionRequired, .csrfFailed, .webhookURLRefused("r"),
            .webhookPayloadDropped, .exportFilterInvalid([]), .exportEmpty, .exportNotReady(state: "queued"), .exportFailed(code: "c"),
            .contractNotCompleted, .certificateUnknown(serial: "5A"), .certificateAlreadyRevoked(serial: "5A")], \.code)
        rows += all([StoreError.duplicate("d"), .missing("m"), .unavailable("u"), .corrupt("c")], \.code)
        return rows.map { (type: $0.0, code: $0.1, viaErrorCodes: $0.2) }
    }

    /// The tables of docs/error-codes.md: code → "Type.case" (the field-code table has no case column).
    private static func documented() throws -> [(code: String, swiftCase: String?)] {
        let text = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("docs/error-codes.md"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> (String, String?)? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard line.hasPrefix("| `"), let code = cells.first, code.hasPrefix("`") else { return nil }
            let swiftCase = cells.count == 3 && cells[1].hasPrefix("`") ? String(cells[1].dropFirst().dropLast()) : nil
            return (String(code.dropFirst().dropLast()), swiftCase)
        }
    }

    @Test("Every case has its own well-formed code, and ErrorCodes knows every type")
    func distinct() throws {
        let samples = try Self.samples()
        var seen: [String: String] = [:]
        for sample in samples {
            #expect(seen.updateValue(sample.type, forKey: sample.code) == nil, "\(sample.code) is used twice")
            #expect(sample.code.wholeMatch(of: /[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?/) != nil, "\(sample.code)")
            #expect(sample.viaErrorCodes == sample.code, "ErrorCodes.code(of:) of a \(sample.type)")
        }
        #expect(ErrorCodes.code(of: CocoaError(.fileNoSuchFile)) == nil)
    }

    @Test("The codes are exactly the documented ones, and the documentation names every declared case")
    func documentedAndStable() throws {
        let documented = try Self.documented()
        let codes = documented.map(\.code)
        #expect(Set(codes).count == codes.count, "a code is documented twice")
        #expect(Set(codes) == Set(try Self.samples().map(\.code)))
        // Each documented Swift case exists in the sources, and each enum case of a documented
        // type is documented: a new case without a row (and a sample above) fails here.
        let byType = Dictionary(grouping: documented.compactMap(\.swiftCase)) { String($0.split(separator: ".")[0]) }
        for (type, cases) in byType {
            let declared = try Self.declaredCases(of: type)
            guard !declared.isEmpty else { continue }  // a struct: one code for the type
            #expect(Set(cases.map { String($0.split(separator: ".")[1]) }) == declared, "\(type)")
        }
    }

    /// The case names of `public enum <type>` in Sources (empty for a struct).
    private static func declaredCases(of type: String) throws -> Set<String> {
        let sources = RepositoryPaths.root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            guard let start = text.range(of: "public enum \(type):") else { continue }
            // The enum's cases come before its first member property.
            let body = text[start.upperBound...]
            let end = body.range(of: "public var ")?.lowerBound ?? body.endIndex
            return Set(body[..<end].matches(of: /\n\s*case (\w+)/).map { String($0.output.1) })
        }
        return []
    }
}
