public import Hummingbird

/// Sets the JSON body limit of the request's context (`maxUploadSize`, which
/// `request.decode(as:context:)` enforces with a 413) from the server configuration.
public struct BodyLimitMiddleware: RouterMiddleware {
    private let jsonBodyLimit: Int

    /// A middleware setting the limit to `jsonBodyLimit` bytes.
    public init(jsonBodyLimit: Int) {
        self.jsonBodyLimit = jsonBodyLimit
    }

    /// Sets the limit and calls the chain.
    public func handle(_ request: Request, context: SignetRequestContext,
                       next: (Request, SignetRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.maxUploadSize = jsonBodyLimit
        return try await next(request, context)
    }
}
