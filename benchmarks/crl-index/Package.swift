// swift-tools-version: 6.1
// Benchmark (not a test): the cost of indexing a CRL by issuer, and of validating a PDF
// whose DSS carries a large CRL, in process. benchmarks/crl-index.sh runs it.
import PackageDescription

let package = Package(
    name: "CRLIndexBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Signet", path: "../.."),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.3.0"),
    ],
    targets: [
        .executableTarget(
            name: "crl-index-bench",
            dependencies: [
                .product(name: "SignetCrypto", package: "Signet"),
                .product(name: "SignetPKI", package: "Signet"),
                .product(name: "SignetPAdES", package: "Signet"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
    ]
)
