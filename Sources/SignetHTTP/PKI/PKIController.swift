import FoundationEssentials
import HTTPTypes
public import Hummingbird
import NIOCore
public import SignetCrypto
public import SignetPKI

/// The PKI's public endpoints, what the certificates' AIA and CRL distribution point URLs
/// name (`KeyDirectoryManifest.URLs`), without authentication:
/// - `GET /pki/root-ca.cer`, `GET /pki/cert/{name}.cer` (`root-ca`, `issuing-ca`, `tsa`,
///   `ocsp-responder`): DER, `application/pkix-cert`;
/// - `GET /pki/crl/{name}.crl` (`root-ca`, `issuing-ca`): DER, `application/pkix-crl`; the
///   issuing CA's CRL is re-issued when older than an hour, past its nextUpdate or behind a
///   revocation (`KeyDirectory.currentIssuingCRL`);
/// - `POST /pki/ocsp` and `GET /pki/ocsp/{base64}` (RFC 6960, including appendix A's GET
///   form): the delegated responder's answers; a request that cannot be read gets the
///   responder's `malformedRequest` answer (200, as RFC 6960 has it), never a 5xx;
/// - `POST /tsa` (RFC 3161): the key directory's TSA; a malformed request gets a rejection
///   `TimeStampResp`.
///
/// Private keys are never served: the routes name certificates and CRLs only.
public struct PKIController: Sendable {
    /// The PKI.
    public let keys: KeyDirectory
    private let ocspResponder: OCSPResponder
    private let timeStampAuthority: TimeStampAuthority
    private let bodyLimit: Int

    /// Media types of the PKI routes.
    enum MediaType {
        static let certificate = "application/pkix-cert"
        static let crl = "application/pkix-crl"
        static let ocspResponse = "application/ocsp-response"
        static let timeStampReply = "application/timestamp-reply"
    }

    /// A controller over `keys`, refusing OCSP and time-stamp requests larger than
    /// `bodyLimit` bytes (413).
    public init(keys: KeyDirectory, bodyLimit: Int) throws {
        self.keys = keys
        self.ocspResponder = try keys.makeOCSPResponder()
        self.timeStampAuthority = try keys.makeTimeStampAuthority()
        self.bodyLimit = bodyLimit
    }

    /// The certificates served under `/pki/cert/{name}.cer`.
    public var certificates: [String: Certificate] {
        ["root-ca": keys.root, "issuing-ca": keys.issuingAuthority.certificate, "tsa": keys.timeStamping.certificate,
         "ocsp-responder": keys.ocspResponder.certificate]
    }

    /// Adds the routes to `group` (the application's root).
    public func endpoints(to group: RouterGroup<SignetRequestContext>) {
        group.get("/pki/root-ca.cer") { _, _ in
            Self.response(keys.root.der, type: MediaType.certificate)
        }
        group.get("/pki/cert/{name}.cer") { _, context in
            guard let certificate = certificates[try context.parameters.require("name")] else {
                throw APIProblem.notFound(detail: "No such certificate.")
            }
            return Self.response(certificate.der, type: MediaType.certificate)
        }
        group.get("/pki/crl/{name}.crl") { _, context in
            let keys = keys
            switch try context.parameters.require("name") {
            case "issuing-ca": return Self.response(try await BlockingWork.run { try keys.currentIssuingCRL().der }, type: MediaType.crl)
            case "root-ca": return Self.response(try await BlockingWork.run { try keys.rootCRL().der }, type: MediaType.crl)
            default: throw APIProblem.notFound(detail: "No such CRL.")
            }
        }
        group.post("/pki/ocsp") { request, _ in
            try await ocsp(Array(buffer: try await collect(request)))
        }
        group.get("/pki/ocsp/**") { request, _ in
            let prefix = "/pki/ocsp/"
            let path = request.uri.path
            // Unreadable base64 goes to the responder too, which answers malformedRequest.
            let der = path.hasPrefix(prefix) ? OCSPGETPath.request(from: path.dropFirst(prefix.count)) : nil
            return try await ocsp(der ?? [])
        }
        group.post("/tsa") { request, _ in
            let query = Array(buffer: try await collect(request))
            let authority = timeStampAuthority
            let reply = try await BlockingWork.run { await authority.respond(to: query) }
            return Self.response(reply, type: MediaType.timeStampReply)
        }
    }

    private func ocsp(_ der: [UInt8]) async throws -> Response {
        let responder = ocspResponder
        return Self.response(try await BlockingWork.run { responder.respond(to: der) }, type: MediaType.ocspResponse)
    }

    /// The body, at most `bodyLimit` bytes (413 `body_too_large` beyond).
    private func collect(_ request: Request) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: bodyLimit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // NIOTooManyBytesError, which Hummingbird answers with 413.
            throw APIProblem.bodyTooLarge(limit: bodyLimit)
        }
    }

    static func response(_ body: [UInt8], type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
