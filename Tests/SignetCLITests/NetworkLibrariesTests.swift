import Foundation
import SignetTestSupport
import Testing

/// SignetCrypto's HTTP transport (TSA and OCSP posts) runs on libcurl, opened with dlopen on
/// the first post (CCurl), not linked and not through FoundationNetworking: linked, libcurl
/// and its ≈ 30 shared libraries (nghttp2, Kerberos, LDAP, ...) would load at every start of
/// `signet` (docs/benchmarks.md, "Verification": process start).
@Suite("no FoundationNetworking or libcurl at the start of signet")
struct NetworkLibrariesTests {
    /// File-name prefixes of FoundationNetworking and what it pulls in.
    static let networkingLibraries = [
        "libFoundationNetworking.so", "libcurl.so", "libgnutls.so", "libnghttp2.so", "libssh2.so", "librtmp.so",
        "libgssapi_krb5.so", "libkrb5.so", "libldap", "liblber", "libsasl2.so", "libpsl.so", "libidn2.so",
    ]

    @Test("signet --help, signet sign --help and signet verify load none of them")
    func notLoaded() throws {
        let unsigned = RepositoryPaths.fixtures.appendingPathComponent("pdf/cairo-pango.pdf").path
        for arguments in [["--help"], ["sign", "--help"], ["verify", unsigned]] {
            let result = try ExternalTool.run(try RepositoryPaths.signetExecutable().path, arguments,
                                              environment: ["LD_DEBUG": "libs"])
            // verify of an unsigned file exits 3 ("no signature"), after the whole start-up.
            #expect(result.status == (arguments[0] == "verify" ? 3 : 0), "\(result.combinedOutput)")
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

/// The libraries import FoundationEssentials, never Foundation: the static `signet` then links
/// neither Foundation nor CoreFoundation, FoundationInternationalization and ICU, which cost
/// every process ≈ 2 ms of relocations and conformance records (docs/engineering.md,
/// "Start-up of `signet verify`"). Full Foundation's symbols carry the module name
/// `10Foundation` in their mangling (`$s10Foundation…`, `$sSS10FoundationE…` for its
/// extensions of standard types).
@Suite("signet uses FoundationEssentials only")
struct FoundationEssentialsOnlyTests {
    @Test("the signet executable references no symbol of full Foundation")
    func noFoundationSymbols() throws {
        let result = try ExternalTool.run("nm", ["-u", try RepositoryPaths.signetExecutable().path])
        #expect(result.status == 0, "\(result.combinedOutput.prefix(500))")
        let undefined = result.output.split(separator: "\n")
        #expect(undefined.contains { $0.contains("malloc") }, "nm listed no C library symbol: \(result.output.prefix(500))")
        let foundation = undefined.filter { $0.contains("$s10Foundation") || $0.contains("10FoundationE") }
        #expect(foundation.isEmpty, "\(foundation.prefix(10).joined(separator: "\n"))")
    }
}
