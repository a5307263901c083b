import Foundation
import SignetTestSupport
import Testing

/// Outbound HTTP (TSA and OCSP posts) goes through AsyncHTTPClient, a Swift package linked into
/// `signet` like the others: no system HTTP library (libcurl, FoundationNetworking and what they
/// pull in: nghttp2, Kerberos, LDAP, ...) is linked, nor loaded when a command starts.
@Suite("no FoundationNetworking or libcurl in signet")
struct NetworkLibrariesTests {
    /// File-name prefixes of FoundationNetworking, libcurl and what they pull in.
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

/// AsyncHTTPClient brings TLS through NIOSSL, which compiles its own copy of BoringSSL into
/// `signet`, next to the system OpenSSL 3 (libcrypto) that SignetCrypto signs and verifies
/// with. BoringSSL's symbols carry a `CNIOBoringSSL_` prefix; were they plain (`X509_free`,
/// `EVP_DigestVerify`, ...), the static link would bind SignetCrypto's OpenSSL calls to
/// BoringSSL's functions instead of libcrypto's, silently and with other structure layouts.
@Suite("two TLS libraries in signet, kept apart")
struct TLSLibrariesTests {
    /// Symbol names in `nm` output lines ("ADDRESS TYPE NAME" or "         U NAME"), without
    /// their symbol version ("X509_free@OPENSSL_3.0.0", "@@" where defined).
    static func names(_ output: String) -> Set<String> {
        Set(output.split(separator: "\n").compactMap { line in
            line.split(separator: " ").last.map { String($0.prefix { $0 != "@" }) }
        })
    }

    @Test("signet defines no symbol that libcrypto exports; its OpenSSL calls are left to libcrypto")
    func openSSLCallsReachLibcrypto() throws {
        let signet = try RepositoryPaths.signetExecutable().path
        let ldd = try ExternalTool.run("ldd", [signet])
        let libcrypto = try #require(ldd.output.split(separator: "\n").lazy.compactMap { line -> String? in
            guard line.contains("libcrypto.so"), let arrow = line.range(of: "=> ") else { return nil }
            return line[arrow.upperBound...].split(separator: " ").first.map(String.init)
        }.first, "signet does not link libcrypto: \(ldd.output)")

        let exported = Self.names(try ExternalTool.run("nm", ["-D", "--defined-only", libcrypto]).output)
        let defined = Self.names(try ExternalTool.run("nm", ["--defined-only", signet]).output)
        let undefined = Self.names(try ExternalTool.run("nm", ["-u", signet]).output)
        // The reading works: libcrypto exports OpenSSL's API, SignetCrypto calls it, and NIOSSL's
        // BoringSSL is in the binary under its prefix.
        #expect(exported.contains("X509_verify_cert") && exported.contains("EVP_DigestVerify"))
        #expect(undefined.contains("X509_verify_cert") && undefined.contains("X509_free"), "\(undefined.count) undefined symbols")
        #expect(defined.contains { $0.hasPrefix("CNIOBoringSSL_") }, "no BoringSSL in signet: is AsyncHTTPClient linked?")

        let clashes = defined.intersection(exported)
        #expect(clashes.isEmpty, "\(clashes.count) symbols of libcrypto also defined in signet: \(clashes.sorted().prefix(20))")
    }
}

/// The libraries import FoundationEssentials, never Foundation: the static `signet` then links
/// neither Foundation nor CoreFoundation, FoundationInternationalization and ICU, which cost
/// every process ≈ 2 ms of relocations and conformance records (docs/engineering.md,
/// "Start-up of `signet verify`"). Full Foundation's symbols carry the module name
/// `10Foundation` in their mangling (`$s10Foundation…`, `$sSS10FoundationE…` for its
/// extensions of standard types).
/// Signet's own code imports FoundationEssentials, never full Foundation: the verifier and the
/// signer stay usable in a process without it. (The `signet` executable links full Foundation
/// since the service: GRDB, the SQLite library SignetStore is built on, imports it.)
@Suite("Signet's sources use FoundationEssentials only")
struct FoundationEssentialsOnlyTests {
    @Test("no file under Sources/ imports full Foundation (or FoundationNetworking)")
    func noFoundationImports() throws {
        let sources = RepositoryPaths.root.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 100, "found \(files.count) Swift files")
        var offenders: [String] = []
        for file in files {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                      words[..<index].allSatisfy({ ["public", "package", "internal", "@preconcurrency", "@_exported"].contains($0) })
                else { continue }
                if ["Foundation", "FoundationNetworking"].contains(words[index + 1]) {
                    offenders.append("\(file.lastPathComponent): \(line)")
                }
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }
}
