// swift-tools-version: 6.1
// The libFuzzer executables: one per harness (fuzz-pdf, fuzz-verify, fuzz-cms, fuzz-templates,
// fuzz-json), each a `LLVMFuzzerTestOneInput` over a body in the root package's
// SignetFuzzHarnesses. Built only by scripts/fuzz.sh, with the sanitizers:
//
//   swift build --package-path Fuzz --scratch-path .build-fuzz \
//       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//
// A separate package so the root package's builds never see libFuzzer's `main`. docs/fuzzing.md.
import Foundation
import PackageDescription

// A path dependency's identity is its directory's name, whatever the checkout is called.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

let harnesses = ["pdf", "verify", "cms", "templates", "json"]

let package = Package(
    name: "SignetFuzz",
    dependencies: [.package(path: "..")],
    targets: harnesses.map { name in
        .executableTarget(
            name: "fuzz-\(name)",
            dependencies: [.product(name: "SignetFuzzHarnesses", package: rootIdentity)],
            path: "Sources/fuzz-\(name)"
        )
    }
)
