import Foundation
import SignetTestSupport
import Testing

/// SignetCrypto's HTTP transport (TSA and OCSP posts) runs on AsyncHTTPClient/SwiftNIO with
/// TLS built in, not on FoundationNetworking, which would bring libcurl and its ≈ 36 shared
/// libraries (GnuTLS, Kerberos, LDAP, ...) into every start of `signet` (docs/benchmarks.md,
/// "Verification": process start).
@Suite("no FoundationNetworking or libcurl in signet")
struct NetworkLibrariesTests {
    /// File-name prefixes of FoundationNetworking and what it pulls in.
    static let networkingLibraries = [
        "libFoundationNetworking.so", "libcurl.so", "libgnutls.so", "libnghttp2.so", "libssh2.so", "librtmp.so",
        "libgssapi_krb5.so", "libkrb5.so", "libldap", "liblber", "libsasl2.so", "libpsl.so", "libidn2.so",
    ]

    @Test("signet --help and signet sign --help load none of them")
    func notLoaded() throws {
        for arguments in [["--help"], ["sign", "--help"]] {
            let result = try ExternalTool.run(try RepositoryPaths.signetExecutable().path, arguments,
                                              environment: ["LD_DEBUG": "libs"])
            #expect(result.status == 0, "\(result.combinedOutput)")
            var loaded = Set<String>()
            for line in result.errorOutput.split(separator: "\n") {
                guard let range = line.range(of: "calling init: ") else { continue }
                loaded.insert(String(line[range.upperBound...].split(separator: "/").last ?? ""))
            }
            #expect(loaded.contains { $0.hasPrefix("libc.so") }, "no LD_DEBUG trace:\n\(result.errorOutput.prefix(2000))")
            let networking = loaded.filter { name in Self.networkingLibraries.contains { name.hasPrefix($0) } }
            #expect(networking.isEmpty, "\(arguments): \(networking.sorted())")
        }
    }
}
