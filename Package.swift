// swift-tools-version: 6.1
// Signet: electronic contract signing. Layers (DESIGN.md), dependencies point down only:
//
//   signet (CLI) ─▶ SignetService ─▶ SignetPAdES ─▶ SignetPDF ─▶ CZlib
//                                 │              └▶ SignetCrypto ─▶ COpenSSL, CCurl
//                                 ├▶ SignetPKI ─▶ SignetCrypto
//                                 └▶ SignetTemplates ─▶ CPangoCairo  (and SignetCrypto, for SHA-256)
//
// SignetCrypto is what a verifier needs (keys, certificates, CMS, path validation, revocation
// checking, timestamps); SignetPKI is everything that issues (CAs, event certificates, CRLs,
// the OCSP responder, the TSA, the development key directory). Only SignetCrypto imports
// OpenSSL and libcurl, only SignetTemplates imports Pango/Cairo, only SignetPDF imports zlib.
import Foundation
import PackageDescription

// Pango/Cairo headers for CPangoCairo and its one importer, SignetTemplates. The libraries are
// not linked: CPangoCairo opens them on first use (docs/engineering.md, "Lazily loaded
// rendering libraries"), so commands that do not render start without them. Debian 12's
// directories, as `pkg-config --cflags pangocairo pangoft2` lists them.
#if arch(arm64)
let multiarch = "aarch64-linux-gnu"
#else
let multiarch = "x86_64-linux-gnu"
#endif
let pangoCairoHeaderFlags = [
    "/usr/include/pango-1.0", "/usr/include/cairo", "/usr/include/glib-2.0",
    "/usr/lib/\(multiarch)/glib-2.0/include", "/usr/include/harfbuzz", "/usr/include/freetype2",
].flatMap { ["-isystem", $0] }

// libstdc++ linked statically into `signet` when the Swift runtime is (`--static-swift-stdlib`),
// when Debian 12's archive is there: scripts/static-libstdc++/README.md.
let staticLibstdcxxDirectory = "\(Context.packageDirectory)/scripts/static-libstdc++/\(multiarch)"
let staticLibstdcxx: [LinkerSetting] = FileManager.default.fileExists(atPath: "\(staticLibstdcxxDirectory)/libstdc++.a")
    ? [.unsafeFlags(["-L\(staticLibstdcxxDirectory)"])] : []

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    // Concrete generic types (Set<Int>, Result<T, E>, ...) get metadata accessors that pass
    // their conformances directly instead of demangling a type name at run time. A demangled
    // name's generic requirements are checked by scanning all ≈ 4,700 conformance records of
    // the static binary, once per type: ≈ 1 ms of every `signet verify`
    // (docs/benchmarks.md, "Verification").
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"]),
]

let package = Package(
    name: "Signet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "signet", targets: ["signet"]),
        .library(name: "SignetTemplates", targets: ["SignetTemplates"]),
        .library(name: "SignetCrypto", targets: ["SignetCrypto"]),
        .library(name: "SignetPKI", targets: ["SignetPKI"]),
        .library(name: "SignetPDF", targets: ["SignetPDF"]),
        .library(name: "SignetPAdES", targets: ["SignetPAdES"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.3.0"),
    ],
    targets: [
        // C libraries, one importer each.
        // Pango/Cairo declarations, and stubs that load the libraries on first use (dlopen).
        .target(
            name: "CPangoCairo",
            cSettings: [.unsafeFlags(pangoCairoHeaderFlags)]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // OpenSSL 3 plus a small shim for its macros (sk_X509_*, BIO_get_mem_data, ...).
        .target(
            name: "COpenSSL",
            linkerSettings: [.linkedLibrary("crypto")]
        ),

        // libcurl declarations (libcurl4-openssl-dev), and wrappers that load libcurl on the
        // first HTTP post (dlopen): `signet verify` and every command that stays offline
        // start without it and its ≈ 30 shared libraries.
        .target(name: "CCurl"),

        // Library layers.
        .target(
            name: "SignetTemplates",
            dependencies: ["CPangoCairo", "SignetCrypto"],
            swiftSettings: swiftSettings + [.unsafeFlags(pangoCairoHeaderFlags.flatMap { ["-Xcc", $0] })]
        ),
        .target(
            name: "SignetCrypto",
            dependencies: [
                "COpenSSL", "CCurl",
                .product(name: "SwiftASN1", package: "swift-asn1"),
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
            dependencies: ["CZlib"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SignetPAdES",
            dependencies: ["SignetPDF", "SignetCrypto"],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "SignetService",
            dependencies: ["SignetTemplates", "SignetPAdES", "SignetPKI", "SignetCrypto"],
            swiftSettings: swiftSettings
        ),

        // The one executable: thin commands over the libraries.
        .executableTarget(
            name: "signet",
            dependencies: [
                "SignetService", "SignetTemplates", "SignetCrypto", "SignetPKI", "SignetPDF", "SignetPAdES",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings,
            // The static Swift runtime's link file exports every symbol (-export-dynamic, 31 k
            // of them); nothing loads plug-ins into signet, and the big dynamic symbol table
            // cost ≈ 3 ms of every process start (symbol binding, the runtime's own dladdr).
            // docs/benchmarks.md, "Verification".
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"])] + staticLibstdcxx
        ),

        // Test-only helpers: running the third-party oracles, temp dirs, repo paths.
        .target(
            name: "SignetTestSupport",
            path: "Tests/SignetTestSupport",
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
            dependencies: ["SignetPAdES", "SignetPKI", "SignetTemplates", "SignetTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SignetServiceTests",
            dependencies: ["SignetService", "SignetPKI", "SignetTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SignetCLITests",
            dependencies: ["signet", "SignetTestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
