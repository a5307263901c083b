import FoundationEssentials
import HTTPTypes
import Hummingbird
import NIOCore
import SignetService
import Synchronization

/// `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header): the first
/// response to a key (scoped to the API key) is stored — problems included, server errors
/// not — and replayed for the same method, path and body with `Idempotent-Replayed: true`;
/// another body under the key → 422 `idempotency_key_reused`; a retry while the first runs →
/// 409 `idempotency_key_in_use`.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = SignetRequestContext
    let service: SignetService
    /// The largest body a POST may have (PDF uploads); the body is read once here.
    let bodyLimit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let header = request.headers[.idempotencyKey] else { return try await next(request, context) }
        guard !header.isEmpty, header.count <= 255, header.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
            throw APIProblem(status: .badRequest, code: "invalid_header", title: "Invalid header",
                             detail: "Idempotency-Key must be 1 to 255 printable ASCII characters.")
        }
        guard let scope = context.apiKeyID else { return try await next(request, context) }
        let key = IdempotencyKey(scope: scope, key: header)
        try APIRequest.refuseDeclaredOversize(request, limit: bodyLimit)
        let buffer = try await request.body.collect(upTo: bodyLimit)
        let body = Array(buffer.readableBytesView)
        do {
            if let stored = try await service.beginIdempotent(key, method: request.method.rawValue, path: request.uri.path, body: body) {
                return replay(stored)
            }
        } catch let error as ServiceError {
            throw APIProblem(error)
        }
        var forwarded = request
        forwarded.body = RequestBody(buffer: buffer)
        let response: Response
        do {
            response = try await next(forwarded, context)
        } catch {
            var problem = (error as? APIProblem) ?? (error as? ServiceError).map(APIProblem.init) ?? .internalError
            guard problem.status.code < 500 else {
                await service.abandonIdempotent(key)
                throw error
            }
            problem.requestID = context.requestID
            let problemResponse = try problem.response(from: request, context: context)
            return try await store(problemResponse, key: key)
        }
        guard response.status.code < 500 else {
            await service.abandonIdempotent(key)
            return response
        }
        return try await store(response, key: key)
    }

    /// Stores a response (its body collected: the API's POST responses are small JSON) and
    /// returns it with the same body.
    private func store(_ response: Response, key: IdempotencyKey) async throws -> Response {
        var response = response
        let sink = CollectedBody()
        let body = response.body
        try await body.write(CollectingWriter(sink: sink))
        let bytes = sink.bytes.withLock { $0 }
        let headers = response.headers.filter { $0.name != .contentLength }.map { [$0.name.rawName, $0.value] }
        try await service.finishIdempotent(key, response: StoredResponse(status: response.status.code, headers: headers, body: bytes))
        response.body = ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        return response
    }

    private func replay(_ stored: StoredResponse) -> Response {
        var headers = HTTPFields()
        for pair in stored.headers where pair.count == 2 {
            if let name = HTTPField.Name(pair[0]) { headers.append(HTTPField(name: name, value: pair[1])) }
        }
        headers[.idempotentReplayed] = "true"
        headers[.contentLength] = String(stored.body.count)
        return Response(status: HTTPResponse.Status(code: stored.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored.body)))
    }
}

/// The bytes a `CollectingWriter` received.
final class CollectedBody: Sendable {
    let bytes = Mutex<[UInt8]>([])
}

/// A response body writer that keeps what it is given (to store a response for replay).
struct CollectingWriter: ResponseBodyWriter {
    let sink: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        sink.bytes.withLock { $0 += buffer.readableBytesView }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
