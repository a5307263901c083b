public import Logging
public import ServiceLifecycle
import UnixSignals

/// Runs the application until SIGTERM or SIGINT, in a swift-service-lifecycle `ServiceGroup`:
/// on the signal the server stops accepting connections, lets the requests in flight finish
/// with their normal responses, and returns.
public enum SignetServer {
    /// Serves `services` as `configuration` says until a shutdown signal; `onListening` gets
    /// the bound port once connections are accepted.
    public static func run(configuration: ServerConfiguration, services: HTTPServices, logger: Logger,
                           additionalServices: [any Service] = [],
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let application = try SignetApplication.build(configuration: configuration, services: services, logger: logger,
                                                       onListening: onListening)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [application] + additionalServices, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
