// swift-tools-version: 6.1
// Signet: electronic contract signing. Layers (DESIGN.md), dependencies point down only:
//
//   signet (CLI) ─▶ SignetHTTP ─▶ SignetService ─▶ SignetPAdES ─▶ SignetPDF ─▶ CSignetZlib
//                   (Hummingbird)              │              └▶ SignetCrypto ─▶ COpenSSL, AsyncHTTPClient
//                                              ├▶ SignetPKI ─▶ SignetCrypto
//                                              └▶ SignetTemplates ─▶ CPangoCairo  (and SignetCrypto, for SHA-256;
//                                                                                 SignetPDF, for zlib in page images)
//   SignetStore ─▶ SignetService, GRDB (SQLite), PostgresNIO (PostgreSQL): the service's repositories, the only SQL
//
// SignetCrypto is what a verifier needs (keys, certificates, CMS, path validation, revocation
// checking, timestamps, outbound HTTP through AsyncHTTPClient); SignetPKI is everything that
// issues (CAs, event certificates, CRLs, the OCSP responder, the TSA, the development key
// directory). Only SignetCrypto imports OpenSSL and makes outbound HTTP requests, only
// SignetTemplates imports Pango/Cairo, only SignetPDF imports zlib, only SignetHTTP imports
// Hummingbird. docs/architecture.md.
//
// Other packages can depend on the library products from a URL: SwiftPM refuses `unsafeFlags`
// in a remote dependency, so only executable and test targets may carry them
// (`ManifestTests` reads `swift package dump-package` and fails otherwise). C libraries come
// through `pkgConfig` or `linkedLibrary`, never through -I/-L flags.
//
// Platform: Linux (Debian 12 and its packages: Glibc, OpenSSL 3, Pango/Cairo); no Apple
// platform is claimed.
import Foundation
import PackageDescription

#if arch(arm64)
let multiarch = "aarch64-linux-gnu"
#else
let multiarch = "x86_64-linux-gnu"
#endif

// libstdc++ linked statically into the executables when the Swift runtime is
// (`--static-swift-stdlib`) and Debian 12's archive is there: scripts/static-libstdc++/README.md.
// An executable's setting only: never on a library target.
let staticLibstdcxxDirectory = "\(Context.packageDirectory)/scripts/static-libstdc++/\(multiarch)"
let staticLibstdcxx: [LinkerSetting] = FileManager.default.fileExists(atPath: "\(staticLibstdcxxDirectory)/libstdc++.a")
    ? [.unsafeFlags(["-L\(staticLibstdcxxDirectory)"])] : []

/// Every Swift target: language mode 6 with these upcoming features. No unsafe flags here, the
/// library targets use this list.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Signet",
    products: [
        .executable(name: "signet", targets: ["signet"]),
        .executable(name: "signet-bench", targets: ["signet-bench"]),
        .library(name: "SignetTemplates", targets: ["SignetTemplates"]),
        .library(name: "SignetCrypto", targets: ["SignetCrypto"]),
        .library(name: "SignetPKI", targets: ["SignetPKI"]),
        .library(name: "SignetPDF", targets: ["SignetPDF"]),
        .library(name: "SignetPAdES", targets: ["SignetPAdES"]),
        // The fuzz harnesses' bodies, for the libFuzzer executables of the nested package in
        // Fuzz/ (built with -sanitize=fuzzer,address by scripts/fuzz.sh) and the replay tests.
        // Not part of the product. docs/fuzzing.md.
        .library(name: "SignetFuzzHarnesses", targets: ["SignetFuzzHarnesses"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // The service's HTTP layer (SignetHTTP only). FullFoundation alone: the default
        // ConfigurationSupport trait would pull swift-configuration into every build.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // SQLite for SignetStore (the system's libsqlite3, `libsqlite3-dev`).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        // PostgreSQL for SignetStore's second backend (several instances on one database server).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        // The signing page's (and the console's) server-rendered HTML (SignetHTTP only).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        // The auditors' ASiC-E archives: ZIP reading (SignetArchive's ArchiveReader, the tests'
        // ArchiveRewriter). Not writing: 0.9's `addEntry` re-reads and re-writes the whole central
        // directory per entry (O(n²)); SignetArchive's ZIPStreamWriter writes in one pass, and
        // ZIPFoundation reading its archives back is the independent check. docs/archives.md.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // C libraries, one importer each.
        // Pango, Cairo (PDF surface), PangoFT2 and fontconfig: flags from pkg-config.
        .systemLibrary(
            name: "CPangoCairo",
            pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]
        ),
        // zlib for SignetPDF (its one importer in Signet; ZIPFoundation brings its own module,
        // named `CZlib`, which is why this one has another name).
        .systemLibrary(
            name: "CSignetZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // OpenSSL 3 plus a small shim for its macros (sk_X509_*, BIO_get_mem_data, ...).
        .target(
            name: "COpenSSL",
            linkerSettings: [.linkedLibrary("crypto")]
        ),

        // Library layers.
        .target(
            name: "SignetTemplates",
            // SignetPDF for zlib (the page images' PNG data; SignetPDF is zlib's one importer).
            dependencies: ["CPangoCairo", "SignetCrypto", "SignetPDF"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SignetCrypto",
            dependencies: [
                "COpenSSL",
                .product(name: "SwiftASN1", package: "swift-asn1"),
                // Every outbound HTTP request (TSA, OCSP, later webhooks).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // getaddrinfo for the webhook address check, off the cooperative threads.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // The issuing side, on SignetCrypto's package-level issuing helpers (no OpenSSL here).
        .target(
            name: "SignetPKI",
            dependencies: ["SignetCrypto"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SignetPDF",
            dependencies: ["CSignetZlib"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SignetPAdES",
            dependencies: ["SignetPDF", "SignetCrypto"],
            swiftSettings: swiftSettings
        ),

        // Evidence reports, ASiC-E archives and their verification; the audit chain's format.
        .target(
            name: "SignetArchive",
            dependencies: ["SignetTemplates", "SignetPAdES", "SignetPDF", "SignetCrypto",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "SignetService",
            dependencies: ["SignetArchive", "SignetTemplates", "SignetPAdES", "SignetPKI", "SignetPDF", "SignetCrypto",
                           // The `log` one-time code notifier (swift-log's API only, no backend).
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),

        // The service's HTTP layer: Hummingbird routes, problem+json errors, request ids, JSON
        // logs, Prometheus metrics, PKI/TSA endpoints. The only importer of Hummingbird.
        .target(
            name: "SignetHTTP",
            dependencies: [
                "SignetService", "SignetArchive", "SignetPKI", "SignetCrypto", "SignetPAdES",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // Embedded in code (no Bundle.module, which would import Foundation): the OpenAPI
            // document, the HTML pages' templates and their two static assets.
            resources: [
                .embedInCode("Resources/openapi.json"),
                .embedInCode("Resources/pages/layout.mustache"),
                .embedInCode("Resources/pages/landing.mustache"),
                .embedInCode("Resources/pages/code.mustache"),
                .embedInCode("Resources/pages/review.mustache"),
                .embedInCode("Resources/pages/done.mustache"),
                .embedInCode("Resources/pages/message.mustache"),
                .embedInCode("Resources/assets/signet.css"),
                .embedInCode("Resources/assets/signet.js"),
                .embedInCode("Resources/console/console_nav.mustache"),
                .embedInCode("Resources/console/console_login.mustache"),
                .embedInCode("Resources/console/console_message.mustache"),
                .embedInCode("Resources/console/console_overview.mustache"),
                .embedInCode("Resources/console/console_merchants.mustache"),
                .embedInCode("Resources/console/console_merchant.mustache"),
                .embedInCode("Resources/console/console_contract.mustache"),
                .embedInCode("Resources/assets/console.css"),
            ],
            swiftSettings: swiftSettings
        ),

        // The service's repositories on SQLite (GRDB) and its blob directory: the only SQL.
        .target(
            name: "SignetStore",
            dependencies: ["SignetService", "SignetArchive", "SignetCrypto", "SignetPKI", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: swiftSettings
        ),

        // The product: thin commands over the libraries.
        .executableTarget(
            name: "signet",
            dependencies: [
                "SignetService", "SignetHTTP", "SignetStore", "SignetArchive", "SignetTemplates", "SignetCrypto", "SignetPKI", "SignetPDF", "SignetPAdES",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings,
            // The static Swift runtime's link file exports every symbol (-export-dynamic, 31 k
            // of them); nothing loads plug-ins into signet, and the big dynamic symbol table
            // cost ≈ 3 ms of every process start (symbol binding, the runtime's own dladdr).
            // docs/benchmarks.md, "Verification".
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"])] + staticLibstdcxx
        ),
        // The micro-benchmarks behind benchmarks/*.sh, out of the product binary.
        .executableTarget(
            name: "signet-bench",
            dependencies: [
                "SignetCrypto", "SignetPKI", "SignetPAdES",
                // The service journey (benchmarks/service-journey.sh): the service in process.
                "SignetHTTP", "SignetService", "SignetArchive", "SignetStore", "SignetTemplates",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // `signet-bench zip`: ZIPFoundation's writer against SignetArchive's ZIPStreamWriter.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: staticLibstdcxx
        ),

        // Test-only helpers: running the third-party oracles, temp dirs, repo paths.
        .target(
            name: "SignetTestSupport",
            dependencies: ["SignetCrypto", "SignetPKI"],
            path: "Tests/SignetTestSupport",
            swiftSettings: swiftSettings
        ),
        // The fuzz harnesses' bodies: plain functions over bytes, one per parser family
        // (docs/fuzzing.md). SignetHTTP for its package-level request decoding entry.
        .target(
            name: "SignetFuzzHarnesses",
            dependencies: ["SignetPDF", "SignetPAdES", "SignetCrypto", "SignetTemplates", "SignetHTTP"],
            path: "Tests/SignetFuzzHarnesses",
            swiftSettings: swiftSettings
        ),
        // Every harness body over every repository seed and saved crash input (CI's short form
        // of the fuzzing, without a sanitizer build).
        .testTarget(
            name: "SignetFuzzTests",
            dependencies: ["SignetFuzzHarnesses", "SignetHTTP", "SignetTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SignetTemplatesTests",
            dependencies: ["SignetTemplates", "SignetTestSupport"],
            swiftSettings: swiftSettings
        ),
        // A test CA and the openssl helpers shared by the SignetCrypto and SignetPKI tests
        // (each side is the other's fixture: SignetPKI issues what SignetCrypto checks).
        .target(
            name: "SignetCryptoTestSupport",
            dependencies: ["SignetCrypto", "SignetPKI", "SignetTestSupport"],
            path: "Tests/SignetCryptoTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SignetCryptoTests",
            dependencies: ["SignetCrypto", "SignetPKI", "SignetCryptoTestSupport", "SignetTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SignetPKITests",
            dependencies: ["SignetPKI", "SignetCrypto", "SignetCryptoTestSupport", "SignetTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SignetPDFTests",
            dependencies: ["SignetPDF", "SignetTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SignetPAdESTests",
            dependencies: ["SignetPAdES", "SignetPKI", "SignetService", "SignetTemplates", "SignetTestSupport"],
            swiftSettings: swiftSettings
        ),
        // A whole service on real parts (SQLite, a development PKI, the templates) for the
        // service, archive and HTTP tests.
        .target(
            name: "SignetServiceTestSupport",
            dependencies: ["SignetService", "SignetStore", "SignetPKI", "SignetTemplates", "SignetCrypto", "SignetTestSupport"],
            path: "Tests/SignetServiceTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SignetArchiveTests",
            dependencies: ["SignetArchive", "SignetPAdES", "SignetPKI", "SignetService", "SignetStore", "SignetTemplates",
                           "SignetCrypto", "SignetTestSupport", "SignetServiceTestSupport",
                           // Rewriting archives entry by entry for the tampering tests.
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SignetServiceTests",
            dependencies: ["SignetService", "SignetArchive", "SignetStore", "SignetPKI", "SignetPAdES", "SignetTemplates", "SignetTestSupport", "SignetServiceTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SignetHTTPTests",
            dependencies: [
                "SignetHTTP", "SignetService", "SignetArchive", "SignetStore", "SignetPKI", "SignetTemplates", "SignetCrypto", "SignetTestSupport",
                "SignetServiceTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SignetStoreTests",
            dependencies: ["SignetStore", "SignetService", "SignetArchive", "SignetTemplates", "SignetTestSupport", "SignetServiceTestSupport",
                           .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // The HTTP service's tests; for now the OpenAPI document and its conformance checker
        // (the server target joins the dependencies with the server).
        .testTarget(
            name: "SignetCLITests",
            dependencies: ["signet", "SignetTestSupport", "SignetServiceTestSupport", "SignetService", "SignetStore", "SignetPKI"],
            swiftSettings: swiftSettings
        ),
    ]
)
