public import Hummingbird
import SignetService
public import Logging
import NIOCore

/// Builds the Hummingbird application of `signet serve`: the router with Signet's middleware
/// stack and every controller's routes.
///
/// Middleware, outermost first: `RequestIDMiddleware` (id in context, logs and response),
/// `AccessLogMiddleware` (one JSON line per request), `HTTPMetricsMiddleware` (Prometheus),
/// `ProblemMiddleware` (every error → problem+json), `BodyLimitMiddleware`,
/// `PagePathFallbackMiddleware` (an unrouted page path's 404/405 as an HTML page). A
/// controller added in `buildRouter` gets all of them; the pages and the console add their
/// security headers, HTML error pages and `CrossSiteFormMiddleware`.
public enum SignetApplication {
    /// The router with the middleware stack and the routes of every controller.
    public static func buildRouter(configuration: ServerConfiguration, services: HTTPServices) throws -> Router<SignetRequestContext> {
        try buildRoutes(configuration: configuration, services: services).router
    }

    /// The route table of `buildRouter`: its router and the index of every route added.
    public static func buildRoutes(configuration: ServerConfiguration, services: HTTPServices) throws -> RouteTable {
        PrometheusMetrics.bootstrap()
        let router = Router(context: SignetRequestContext.self, options: [.autoGenerateHeadEndpoints])
        let routes = RouteTable(router: router)
        routes.add(middleware: RequestIDMiddleware())
        routes.add(middleware: AccessLogMiddleware())
        routes.add(middleware: HTTPMetricsMiddleware())
        routes.add(middleware: ProblemMiddleware(routes: routes.index))
        routes.add(middleware: BodyLimitMiddleware(jsonBodyLimit: configuration.jsonBodyLimit))
        routes.add(middleware: PagePathFallbackMiddleware(routes: routes.index))

        let root = routes.group()
        OperationsController(readinessChecks: services.readinessChecks, openAPIDocument: services.openAPIDocument).endpoints(to: root)
        // With the service, the PKI's state is its database's (shared by every instance);
        // without, the key directory's files.
        if let pki = services.service?.signingFlow.pki {
            PKIController(pki: pki, bodyLimit: configuration.pkiBodyLimit).endpoints(to: root)
        } else {
            try PKIController(keys: services.keys, bodyLimit: configuration.pkiBodyLimit).endpoints(to: root)
        }
        // The signing pages may be framed as configured (server-wide, or per embedded link);
        // the console never.
        let pages = routes.group()
            .add(middleware: SecurityHeadersMiddleware(framing: configuration.framing))
            .add(middleware: PageErrorMiddleware())
            .add(middleware: CrossSiteFormMiddleware(baseURL: configuration.baseURL) { request in
                PageErrors.render(PageError(.forbidden, "csrf"), request: request)
            })
        let console = routes.group()
            .add(middleware: SecurityHeadersMiddleware())
            .add(middleware: PageErrorMiddleware())
            .add(middleware: CrossSiteFormMiddleware(baseURL: configuration.baseURL) { _ in
                ConsolePages.message(.forbidden, title: "The form has expired",
                                     text: "The form was sent from another site. Open the console page again.")
            })
        StaticAssets().endpoints(to: pages)
        if let service = services.service {
            SigningPagesController(service: service, cookies: PageCookies(baseURL: configuration.baseURL)).endpoints(to: pages)
            ConsoleController(service: service, cookies: PageCookies(baseURL: configuration.baseURL)).endpoints(to: console)
        }
        if let service = services.service {
            let api = routes.group("/v1")
                .add(middleware: APIKeyMiddleware(service: service))
                .add(middleware: IdempotencyMiddleware(service: service, bodyLimit: configuration.pdfBodyLimit))
            MerchantsController(service: service, pdfLimit: configuration.pdfBodyLimit).endpoints(to: api)
            TemplatesController(service: service).endpoints(to: api)
            ContractsController(service: service).endpoints(to: api)
            WebhooksController(service: service).endpoints(to: api)
            ExportsController(service: service).endpoints(to: api)
            CertificatesController(service: service).endpoints(to: api)
            DocumentsController(service: service, pdfLimit: configuration.pdfBodyLimit, extraTrustAnchors: services.extraTrustAnchors)
                .endpoints(to: api)
        }
        return routes
    }

    /// The application: the router on `configuration.host`:`port`, logging through `logger`;
    /// `onListening` gets the bound port once the server accepts connections.
    public static func build(
        configuration: ServerConfiguration, services: HTTPServices, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let router = try buildRouter(configuration: configuration, services: services)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }
}
