public import FoundationEssentials
import Glibc
import NIOPosix

/// What kind of network an IP address belongs to, as far as an outbound request (a webhook)
/// is concerned: only `.public` is reachable without the operator's say-so.
public enum AddressScope: String, Sendable, Equatable {
    /// A globally routable address.
    case `public`
    /// 127.0.0.0/8, ::1.
    case loopback
    /// RFC 1918 (10/8, 172.16/12, 192.168/16), 100.64/10 (shared address space), fec0::/10.
    case `private`
    /// 169.254/16 (cloud metadata lives here), fe80::/10.
    case linkLocal = "link_local"
    /// fc00::/7.
    case uniqueLocal = "unique_local"
    /// 224/4, ff00::/8.
    case multicast
    /// 0.0.0.0/8, ::.
    case unspecified
    /// 240/4, 255.255.255.255, 192.0.0/24, 198.18/15 and the documentation ranges: never a
    /// destination.
    case reserved

    /// Whether a request may go to an address of this scope; `allowPrivate` opens loopback,
    /// private, link-local and unique-local (development), never multicast, unspecified or
    /// reserved addresses.
    public func isAllowed(allowPrivate: Bool) -> Bool {
        switch self {
        case .public: true
        case .loopback, .private, .linkLocal, .uniqueLocal: allowPrivate
        case .multicast, .unspecified, .reserved: false
        }
    }
}

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
public struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    /// The address in network byte order.
    public let bytes: [UInt8]

    /// An address of 4 or 16 bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// The address written as text (`192.0.2.1`, `2001:db8::1`); nil when it is not a
    /// numeric IPv4 or IPv6 address (a bracketed IPv6 literal is accepted).
    public init?(text: String) {
        var text = text
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
    }

    /// Whether this is an IPv6 address.
    public var isIPv6: Bool { bytes.count == 16 }

    /// The address as text (`inet_ntop`).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(isIPv6 ? AF_INET6 : AF_INET, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        return ok ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
    }

    /// The address in a URL's host part: IPv6 in brackets.
    public var urlHost: String { isIPv6 ? "[\(description)]" : description }

    /// The network this address belongs to. IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible
    /// (`::a.b.c.d`) and NAT64 (`64:ff9b::a.b.c.d`) addresses are judged by their IPv4 part.
    public var scope: AddressScope {
        bytes.count == 4 ? Self.scopeV4(bytes) : Self.scopeV6(bytes)
    }

    private static func scopeV4(_ b: [UInt8]) -> AddressScope {
        switch (b[0], b[1], b[2]) {
        case (0, _, _): .unspecified
        case (127, _, _): .loopback
        case (10, _, _), (172, 16...31, _), (192, 168, _), (100, 64...127, _): .private
        case (169, 254, _): .linkLocal
        case (224...239, _, _): .multicast
        case (240...255, _, _), (192, 0, 0), (198, 18...19, _), (192, 0, 2), (198, 51, 100), (203, 0, 113): .reserved
        default: .public
        }
    }

    private static func scopeV6(_ b: [UInt8]) -> AddressScope {
        let first10Zero = b[0..<10].allSatisfy { $0 == 0 }
        if first10Zero && b[10] == 0xFF && b[11] == 0xFF { return scopeV4(Array(b[12...])) }  // ::ffff:a.b.c.d
        if b[0..<15].allSatisfy({ $0 == 0 }) { return b[15] == 1 ? .loopback : b[15] == 0 ? .unspecified : .reserved }
        if b[0..<12].allSatisfy({ $0 == 0 }) { return scopeV4(Array(b[12...])) }  // ::a.b.c.d (deprecated)
        if b[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return scopeV4(Array(b[12...])) }  // NAT64
        switch (b[0], b[1] & 0xC0) {
        case (0xFF, _): return .multicast
        case (0xFE, 0x80): return .linkLocal
        case (0xFE, 0xC0): return .private
        case (0xFC...0xFD, _): return .uniqueLocal
        default: break
        }
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0D, b[3] == 0xB8 { return .reserved }  // 2001:db8::/32
        return .public
    }
}

/// Why an outbound destination was refused.
public enum OutboundAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host name did not resolve.
    case unresolvable(host: String, reason: String)
    /// The host is, or resolves to, an address of a scope that is not allowed.
    case refused(host: String, address: String, scope: AddressScope)

    /// A stable, machine-readable code (docs/error-codes.md).
    public var code: String {
        switch self {
        case .unresolvable: "outbound_address.unresolvable"
        case .refused: "outbound_address.refused"
        }
    }

    /// What was refused, in words.
    public var description: String {
        switch self {
        case .unresolvable(let host, let reason): "\(host) does not resolve: \(reason)"
        case .refused(let host, let address, let scope): "\(host) is \(address), a \(scope.rawValue.replacing("_", with: "-")) address"
        }
    }
}

/// Resolves a host and checks every address it has against the allowed scopes, before each
/// outbound request (a check at registration alone would not stop a name that later
/// resolves elsewhere).
public enum OutboundAddressCheck {
    /// Every address of `host` (an IP literal is its own only address), through
    /// `getaddrinfo` on NIO's blocking thread pool.
    public static func resolve(_ host: String) async throws -> [IPAddress] {
        if let literal = IPAddress(text: host) { return [literal] }
        return try await NIOThreadPool.singleton.runIfActive { try resolveBlocking(host) }
    }

    /// The addresses of `host`, all of them allowed for `allowPrivate`; throws
    /// `OutboundAddressError` when the name does not resolve or any of its addresses is
    /// refused (a name with one public and one private address is refused: the client
    /// might pick either).
    public static func check(host: String, allowPrivate: Bool) async throws -> [IPAddress] {
        let addresses = try await resolve(host)
        for address in addresses where !address.scope.isAllowed(allowPrivate: allowPrivate) {
            throw OutboundAddressError.refused(host: host, address: address.description, scope: address.scope)
        }
        return addresses
    }

    private static func resolveBlocking(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw OutboundAddressError.unresolvable(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let entry = node {
            if let sockaddr = entry.pointee.ai_addr {
                switch entry.pointee.ai_family {
                case AF_INET:
                    var address = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    addresses.append(IPAddress(bytes: withUnsafeBytes(of: &address) { Array($0) })!)
                case AF_INET6:
                    var address = sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    addresses.append(IPAddress(bytes: withUnsafeBytes(of: &address) { Array($0) })!)
                default: break
                }
            }
            node = entry.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw OutboundAddressError.unresolvable(host: host, reason: "no IPv4 or IPv6 address") }
        var unique: [IPAddress] = []
        for address in addresses where !unique.contains(address) { unique.append(address) }
        return unique
    }
}
