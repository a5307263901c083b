import Synchronization
import SwiftASN1

/// The CRLs and OCSP responses a `RevocationChecker` decides from, indexed when supplied and
/// parsed by OpenSSL only when a certificate needs them: a CRL when its issuer is the
/// certificate's issuer, an OCSP response when it answers for the certificate's serial
/// number. Which sources apply, and in which order, is what parsing all of them first would
/// give; a validation-data store just carries many a CRL and response the file's chains do
/// not need, and OpenSSL 3.0 parses slowly (≈ 0.1 ms per embedded certificate, more per
/// CRL entry).
final class RevocationSources: Sendable {
    private struct Source: Sendable {
        let der: [UInt8]
        /// A CRL's issuer, or the magnitudes of the serial numbers an OCSP response answers
        /// for; nil when the index could not be read or holds a negative serial (the source is
        /// then parsed for every certificate, and parsing reports what is wrong with it).
        let issuer: DistinguishedName?
        let serialMagnitudes: Set<ByteKey>?
    }

    private let crlSources: [Source]
    private let ocspSources: [Source]
    private let parsedCRLs = Mutex<[Int: Result<CertificateRevocationList, any Error>]>([:])
    private let parsedOCSP = Mutex<[Int: Result<OCSPResponse, any Error>]>([:])

    init(crlDER: [[UInt8]], ocspDER: [[UInt8]]) {
        crlSources = crlDER.map { Source(der: $0, issuer: Self.crlIssuer($0), serialMagnitudes: nil) }
        ocspSources = ocspDER.map { Source(der: $0, issuer: nil, serialMagnitudes: Self.ocspSerialMagnitudes($0)) }
    }

    init(crls: [CertificateRevocationList], ocspResponses: [OCSPResponse]) {
        crlSources = crls.map { Source(der: $0.der, issuer: $0.issuer, serialMagnitudes: nil) }
        ocspSources = ocspResponses.map { response in
            Source(der: response.der, issuer: nil,
                   serialMagnitudes: Set(response.responses.map { ByteKey(normalizedSerial($0.certID.serialNumber)) }))
        }
        parsedCRLs.withLock { parsed in for (index, crl) in crls.enumerated() { parsed[index] = .success(crl) } }
        parsedOCSP.withLock { parsed in for (index, response) in ocspResponses.enumerated() { parsed[index] = .success(response) } }
    }

    /// The readable CRLs issued under `issuer`'s name, in the order supplied.
    func crls(issuedBy issuer: DistinguishedName) -> [CertificateRevocationList] {
        crlSources.indices.compactMap { index in
            if let own = crlSources[index].issuer, !own.matches(issuer) { return nil }
            guard let crl = try? crl(at: index).get(), crl.issuer.matches(issuer) else { return nil }
            return crl
        }
    }

    /// The readable OCSP responses that may answer for the certificate with this serial
    /// number (`Certificate.serialNumber`, a magnitude), in the order supplied.
    func ocspResponses(aboutSerial serialNumber: [UInt8]) -> [OCSPResponse] {
        let magnitude = normalizedSerial(serialNumber)
        return ocspSources.indices.compactMap { index in
            if let serials = ocspSources[index].serialMagnitudes, !serials.contains(ByteKey(magnitude)) { return nil }
            return try? ocspResponse(at: index).get()
        }
    }

    /// Every readable CRL / OCSP response (all parsed), in the order supplied.
    var allCRLs: [CertificateRevocationList] { crlSources.indices.compactMap { try? crl(at: $0).get() } }
    var allOCSPResponses: [OCSPResponse] { ocspSources.indices.compactMap { try? ocspResponse(at: $0).get() } }

    /// Why each unreadable source could not be read (all parsed).
    var unreadable: [String] {
        crlSources.indices.compactMap { index in
            guard case .failure(let error) = crl(at: index) else { return nil }
            return "CRL #\(index + 1) could not be read: \(error)"
        } + ocspSources.indices.compactMap { index in
            guard case .failure(let error) = ocspResponse(at: index) else { return nil }
            return "OCSP response #\(index + 1) could not be read: \(error)"
        }
    }

    private func crl(at index: Int) -> Result<CertificateRevocationList, any Error> {
        if let known = parsedCRLs.withLock({ $0[index] }) { return known }
        let result = Result { try CertificateRevocationList(der: crlSources[index].der) }
        parsedCRLs.withLock { $0[index] = result }
        return result
    }

    private func ocspResponse(at index: Int) -> Result<OCSPResponse, any Error> {
        if let known = parsedOCSP.withLock({ $0[index] }) { return known }
        let result = Result { try OCSPResponse(der: ocspSources[index].der) }
        parsedOCSP.withLock { $0[index] = result }
        return result
    }

    // MARK: - Indexes (SwiftASN1, microseconds)

    /// CertificateList → tbsCertList → issuer (RFC 5280 §5.1), read from the headers only:
    /// the issuer comes before the revoked-certificate list, which can run to megabytes.
    private static func crlIssuer(_ der: [UInt8]) -> DistinguishedName? {
        var top = DERHeaderCursor(der)
        guard var list = top.enter(0x30), var tbs = list.enter(0x30) else { return nil }
        if tbs.nextTag == 0x02 { _ = tbs.skip(0x02) }  // version
        guard tbs.skip(0x30), let issuer = tbs.take(0x30) else { return nil }
        return try? DistinguishedName(der: Array(issuer))
    }

    /// OCSPResponse → BasicOCSPResponse → each SingleResponse's certID serialNumber
    /// (RFC 6960 §4.2.1), as magnitudes; empty for a response without response bytes.
    private static func ocspSerialMagnitudes(_ der: [UInt8]) -> Set<ByteKey>? {
        guard let root = try? ASN1Read.parse(der, "OCSPResponse"),
              var outer = try? ASN1Read.children(root, .sequence, "OCSPResponse"),
              (try? outer.next(.enumerated, "responseStatus")) != nil else { return nil }
        guard let wrapped = outer.optional(.context(0)) else { return [] }
        guard var explicit = try? ASN1Read.children(wrapped, .context(0), "responseBytes"),
              let bytesNode = try? explicit.next(.sequence, "ResponseBytes"),
              var responseBytes = try? ASN1Read.children(bytesNode, .sequence, "ResponseBytes"),
              (try? responseBytes.next(.objectIdentifier, "responseType")) != nil,
              let octets = try? responseBytes.next(.octetString, "response"),
              let basicDER = try? ASN1Read.primitive(octets, "response"),
              let basicRoot = try? ASN1Read.parse(Array(basicDER), "BasicOCSPResponse"),
              var basic = try? ASN1Read.children(basicRoot, .sequence, "BasicOCSPResponse"),
              let dataNode = try? basic.next(.sequence, "tbsResponseData"),
              var data = try? ASN1Read.children(dataNode, .sequence, "ResponseData") else { return nil }
        _ = data.optional(.context(0))
        guard (try? data.next("responderID")) != nil, (try? data.next(.generalizedTime, "producedAt")) != nil,
              let responsesNode = try? data.next(.sequence, "responses"),
              let responses = try? ASN1Read.children(responsesNode, .sequence, "responses") else { return nil }
        var serials = Set<ByteKey>()
        for single in responses.nodes {
            guard var fields = try? ASN1Read.children(single, .sequence, "SingleResponse"),
                  let certIDNode = try? fields.next(.sequence, "certID"),
                  var certID = try? ASN1Read.children(certIDNode, .sequence, "CertID"),
                  (try? certID.next(.sequence, "hashAlgorithm")) != nil,
                  (try? certID.next(.octetString, "issuerNameHash")) != nil,
                  (try? certID.next(.octetString, "issuerKeyHash")) != nil,
                  let serialNode = try? certID.next(.integer, "serialNumber"),
                  let encoded = try? ASN1Read.integerBytes(serialNode, "serialNumber"),
                  let magnitude = ASN1Integers.magnitude(ofEncoded: encoded) else { return nil }
            serials.insert(ByteKey(magnitude))
        }
        return serials
    }
}
