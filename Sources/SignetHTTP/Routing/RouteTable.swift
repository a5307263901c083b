public import HTTPTypes
public import Hummingbird
import Synchronization

/// The router's front: every route added through it (directly or through a `group`) is
/// added to the Hummingbird router and recorded, so that a request whose path matches a
/// route but not its method gets 405 `method_not_allowed` with an `Allow` header instead of
/// Hummingbird's 404 (`ProblemMiddleware` asks `allowedMethods(forPath:)`).
///
/// Controllers receive a `RouterGroup` made from this table (`table.group("/pki")`), the
/// usual Hummingbird shape.
public final class RouteTable: RouterMethods {
    /// The context every route gets.
    public typealias Context = SignetRequestContext

    /// The Hummingbird router the routes go to.
    public let router: Router<SignetRequestContext>
    /// The routes added so far, for 405 answers.
    public let index = RouteIndex()

    /// A table adding to `router`.
    public init(router: Router<SignetRequestContext>) {
        self.router = router
    }

    /// Adds the route to the router and records it.
    @discardableResult
    public func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method, responder: Responder) -> Self
    where Responder.Context == SignetRequestContext {
        index.record(path, method: method)
        router.on(path, method: method, responder: responder)
        return self
    }

    /// Adds a middleware to the router (for the routes added after it).
    @discardableResult
    public func add(middleware: any MiddlewareProtocol<Request, Response, SignetRequestContext>) -> Self {
        router.add(middleware: middleware)
        return self
    }

}

/// The route templates and their methods, as `RouteTable` recorded them.
public final class RouteIndex: Sendable {
    private let routes = Mutex<[(path: RouterPath, methods: Set<HTTPRequest.Method>)]>([])

    /// An empty index.
    public init() {}

    /// Records that `path` has a route for `method`.
    func record(_ path: RouterPath, method: HTTPRequest.Method) {
        routes.withLock { routes in
            if let index = routes.firstIndex(where: { $0.path == path }) {
                routes[index].methods.insert(method)
            } else {
                routes.append((path, [method]))
            }
        }
    }

    /// Every route template recorded (`/v1/contracts/{id}`), with the methods it was added
    /// for (not the HEAD Hummingbird adds for a GET), in the order added: what a test that
    /// must cover every route enumerates.
    public var all: [(template: String, methods: [HTTPRequest.Method])] {
        routes.withLock { routes in routes.map { ($0.path.description, $0.methods.sorted { $0.rawValue < $1.rawValue }) } }
    }

    /// The route template matching `path` and the methods it has (HEAD wherever GET is), or
    /// nil when no route matches the path.
    public func allowedMethods(forPath path: String) -> (template: String, methods: [HTTPRequest.Method])? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return routes.withLock { routes in
            for route in routes where Self.matches(route.path, segments) {
                var methods = route.methods
                if methods.contains(.get) { methods.insert(.head) }
                return (route.path.description, Array(methods))
            }
            return nil
        }
    }

    /// Whether a route template matches the path's segments, as Hummingbird's trie would.
    static func matches(_ template: RouterPath, _ segments: [Substring]) -> Bool {
        let elements = template.components
        var index = 0
        for element in elements {
            if element == .recursiveWildcard { return index < segments.count }
            guard index < segments.count, element ~= segments[index] else { return false }
            index += 1
        }
        return index == segments.count
    }
}
