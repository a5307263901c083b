import FoundationEssentials
import HTTPTypes
import Hummingbird
import NIOCore
import SignetCrypto
import SignetService
import SignetTemplates

/// Reading API requests: JSON bodies (content type, size, syntax), ids in paths, list
/// queries, and who is asking (for audit events).
enum APIRequest {
    /// The body as JSON (nil for an empty body when `allowEmpty`): 415 for another content
    /// type, 413 past the limit, 400 `invalid_json` for bad syntax or UTF-8.
    static func json(_ request: Request, context: SignetRequestContext, allowEmpty: Bool = false) async throws -> JSONValue? {
        try refuseDeclaredOversize(request, limit: context.maxUploadSize)
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        if buffer.readableBytes == 0 {
            if allowEmpty { return nil }
            throw APIProblem.invalidJSON("The request body is empty; send a JSON object.")
        }
        guard isJSON(request.headers[.contentType]) else { throw APIProblem.unsupportedMediaType(expected: "application/json") }
        do {
            return try JSONValue.parse(Data(buffer.readableBytesView))
        } catch {
            throw APIProblem.invalidJSON()
        }
    }

    /// The body as PDF bytes: 415 unless `application/pdf`, 413 past `limit`.
    static func pdf(_ request: Request, limit: Int) async throws -> [UInt8] {
        guard let type = request.headers[.contentType], mediaType(type) == "application/pdf" else {
            throw APIProblem.unsupportedMediaType(expected: "application/pdf")
        }
        try refuseDeclaredOversize(request, limit: limit)
        let buffer = try await request.body.collect(upTo: limit)
        return Array(buffer.readableBytesView)
    }

    /// 413 before reading a byte of a body whose `Content-Length` is past `limit` (the client
    /// learns at once, and the server does not read 50 MB to refuse them).
    static func refuseDeclaredOversize(_ request: Request, limit: Int) throws {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIProblem.bodyTooLarge(limit: limit)
        }
    }

    /// A path id that must look like an id of `kind`; anything else is simply not found.
    static func id(_ context: SignetRequestContext, _ name: String = "id", kind: ResourceID.Kind, missing: String) throws -> String {
        guard let value = context.parameters.get(name), ResourceID.isWellFormed(value, kind: kind) else {
            throw APIProblem.notFound(code: "\(missing)_not_found", detail: "no such \(missing)")
        }
        return value
    }

    /// `limit` and `cursor` of a list request.
    static func page(_ request: Request) throws -> PageRequest {
        let query = request.uri.queryParameters
        var limit = 20
        if let text = query.get("limit") {
            guard let value = Int(text), (1...100).contains(value) else { throw APIProblem.invalidQuery("limit", "an integer from 1 to 100") }
            limit = value
        }
        var after: Int64?
        if let text = query.get("cursor") {
            guard let position = Cursor.decode(text) else { throw APIProblem.invalidQuery("cursor", "not a cursor this API returned") }
            after = position
        }
        return PageRequest(limit: limit, after: after)
    }

    /// Who is asking, for the audit trail: the API key, the peer address and user agent.
    static func origin(_ request: Request, context: SignetRequestContext) -> RequestOrigin {
        var ip: String?
        if let address = context.remoteAddress { ip = address.ipAddress }
        let agent = request.headers[.userAgent].map { String($0.prefix(512)) }
        return RequestOrigin(actor: "api_key:\(context.apiKeyID ?? "unknown")", ip: ip, userAgent: agent)
    }

    /// The `Idempotency-Key` the idempotency middleware started for this request (it refused a
    /// malformed one already), scoped to the API key; nil without one. A creating POST hands it
    /// to the service, which records the new resource under it (`SignetService.createOnce`).
    static func idempotencyKey(_ request: Request, context: SignetRequestContext) -> IdempotencyKey? {
        context.apiKeyID.flatMap { scope in request.headers[.idempotencyKey].map { IdempotencyKey(scope: scope, key: $0) } }
    }

    private static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = mediaType(contentType)
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }

    private static func mediaType(_ contentType: String) -> String {
        contentType.split(separator: ";").first.map { $0.trimmingWhitespace().lowercased() } ?? ""
    }
}

/// JSON responses of the API.
enum APIResponse {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// `value` as `application/json` with `status`.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let body = try encoder.encode(value)
        var headers = headers
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A stored PDF: `ETag` (its SHA-256), `Content-Digest` (RFC 9530), 304 for a matching
    /// `If-None-Match`.
    static func pdf(_ download: SignetService.Download, request: Request) -> Response {
        let etag = "\"\(download.document.sha256)\""
        var headers: HTTPFields = [
            .eTag: etag, .cacheControl: "private, no-cache",
            .contentDisposition: "attachment; filename=\"\(download.fileName)\"",
        ]
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: {
            let tag = $0.trimmingWhitespace()
            return tag == etag || tag == "W/\(etag)" || tag == "*"
        }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "application/pdf"
        headers[.contentDigest] = "sha-256=:\(base64(hex: download.document.sha256)):"
        headers[.contentLength] = String(download.bytes.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: download.bytes)))
    }

    /// The base64 of the bytes a hex digest spells (`Content-Digest`).
    static func base64(hex: String) -> String { Data(hexToBytes(hex)).base64EncodedString() }

    private static func hexToBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            if let byte = UInt8(hex[index..<next], radix: 16) { bytes.append(byte) }
            index = next
        }
        return bytes
    }
}

extension HTTPField.Name {
    /// RFC 9530.
    static let contentDigest = HTTPField.Name("Content-Digest")!
    /// draft-ietf-httpapi-idempotency-key-header.
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// Set on a replayed response.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
