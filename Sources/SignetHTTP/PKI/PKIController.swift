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
///   issuing CA's CRL is issued from the registry's revocations with its shared CRL numbers
///   and cached in memory only while it is at most an hour old, still current and the
///   registry's revoked set is unchanged (`SharedPKIState.currentIssuingCRL`), so every
///   instance on the same database reports a revocation made through another at once;
/// - `POST /pki/ocsp` and `GET /pki/ocsp/{base64}` (RFC 6960, including appendix A's GET
///   form): the delegated responder's answers from the registry; a request that cannot be read gets the
///   responder's `malformedRequest` answer (200, as RFC 6960 has it), never a 5xx;
/// - `POST /tsa` (RFC 3161): the key directory's TSA; a malformed request gets a rejection
///   `TimeStampResp`.
///
/// Private keys are never served: the routes name certificates and CRLs only.
public struct PKIController: Sendable {
    /// The PKI.
    public var keys: KeyDirectory { pki.keys }
    /// The PKI with its changing state (the service's database, or the key directory's files).
    public let pki: SharedPKIState
    private let bodyLimit: Int

    /// Media types of the PKI routes.
    enum MediaType {
        static let certificate = "application/pkix-cert"
        static let crl = "application/pkix-crl"
        static let ocspResponse = "application/ocsp-response"
        static let timeStampReply = "application/timestamp-reply"
    }

    /// A controller over `pki`, refusing OCSP and time-stamp requests larger than
    /// `bodyLimit` bytes (413).
    public init(pki: SharedPKIState, bodyLimit: Int) {
        self.pki = pki
        self.bodyLimit = bodyLimit
    }

    /// A controller over `keys` with its state in the key directory's own files (index,
    /// CRL number, TSA counter): a single host without the service.
    public init(keys: KeyDirectory, bodyLimit: Int) throws {
        self.init(pki: try SharedPKIState.fileBacked(keys: keys), bodyLimit: bodyLimit)
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
            case "issuing-ca":
                let pki = pki
                return Self.response(try await BlockingWork.run { try await pki.currentIssuingCRL().der }, type: MediaType.crl)
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
            let authority = pki.timeStampAuthority
            let reply = try await BlockingWork.run { await authority.respond(to: query) }
            return Self.response(reply, type: MediaType.timeStampReply)
        }
    }

    private func ocsp(_ der: [UInt8]) async throws -> Response {
        let responder = pki.ocspResponder
        return Self.response(try await BlockingWork.run { await responder.respond(to: der) }, type: MediaType.ocspResponse)
    }

    /// The body, at most `bodyLimit` bytes (413 `body_too_large` beyond; at once, from the
    /// head, when its `Content-Length` says so: the server neither reads nor waits for it).
    private func collect(_ request: Request) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > bodyLimit {
            throw APIProblem.bodyTooLarge(limit: bodyLimit)
        }
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
