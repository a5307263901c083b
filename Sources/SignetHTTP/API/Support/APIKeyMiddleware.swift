import HTTPTypes
import Hummingbird
import SignetCrypto
import SignetService

/// Requires `Authorization: Bearer <api key>` on the API's routes: a missing, malformed,
/// unknown or revoked key gets the same 401 (no hint which part was wrong). The key's id
/// goes into the context (audit actor, idempotency scope); the key itself goes nowhere.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = SignetRequestContext
    let service: SignetService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.count <= 200,
              header.lowercased().hasPrefix("bearer "),
              let key = try await service.authenticate(apiKey: String(header.dropFirst(7)).trimmingWhitespace()) else {
            throw APIProblem(status: .unauthorized, code: "unauthorized", title: "Unauthorized",
                             detail: "Send a valid API key: Authorization: Bearer <key>.",
                             headers: [.wwwAuthenticate: "Bearer realm=\"signet\""])
        }
        var context = context
        context.apiKeyID = key.id
        return try await next(request, context)
    }
}
