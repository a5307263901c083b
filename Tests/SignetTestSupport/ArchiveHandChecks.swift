public import Foundation

/// The manual checks of an archive (README.txt in every archive, docs/archives.md "Checking
/// by hand"), run with the auditor's tools and the exact commands the README gives: `unzip`,
/// `sha256sum -c SHA256SUMS`, `openssl cms -verify` of the manifest's signature, and
/// `openssl ts -verify` of the signature timestamp token cut out with `openssl asn1parse`.
public enum ArchiveHandChecks {
    /// What the checks found.
    public struct Outcome: Sendable {
        /// The unpacked archive (under the working directory given to `run`).
        public let unpacked: URL
        /// One line per check that did not pass, with the tool's output; empty when all passed.
        public let failures: [String]
    }

    /// Unpacks `archive` into `work/archive` and runs the checks against `root` (a PEM file).
    /// Also checks that the timestamp token does not verify against other data (the manifest),
    /// so a check that cannot fail is reported as a failure.
    public static func run(_ archive: URL, root: URL, in work: URL) throws -> Outcome {
        var failures: [String] = []
        let unpacked = work.appendingPathComponent("archive")
        let unpack = try shell("mkdir archive && cd archive && unzip -q '\(archive.path)' && sha256sum -c --strict --quiet SHA256SUMS", in: work)
        guard unpack.status == 0 else {
            return Outcome(unpacked: unpacked, failures: ["unzip and sha256sum -c: \(unpack.combinedOutput)"])
        }
        let cms = try shell("""
            openssl cms -verify -binary -inform DER -in META-INF/signature001.p7s \
              -content META-INF/ASiCManifest.xml -CAfile '\(root.path)' -purpose any -out /dev/null
            """, in: unpacked)
        if cms.status != 0 || !cms.errorOutput.contains("Verification successful") {
            failures.append("openssl cms -verify: \(cms.combinedOutput)")
        }
        let ts = try shell("""
            openssl asn1parse -inform DER -in META-INF/signature001.p7s > ../sig.txt
            OFF=$(grep -A2 ':id-smime-aa-timeStampToken' ../sig.txt | tail -1 | cut -d: -f1 | tr -d ' ')
            openssl asn1parse -inform DER -in META-INF/signature001.p7s -strparse "$OFF" -noout -out ../token.der
            grep -B3 ':id-smime-aa-timeStampToken' ../sig.txt | head -1 | sed 's/.*\\[HEX DUMP\\]://' | xxd -r -p > ../signature-value.bin
            openssl ts -verify -in ../token.der -token_in -data ../signature-value.bin -CAfile '\(root.path)'
            """, in: unpacked)
        if ts.status != 0 || !ts.output.contains("Verification: OK") {
            failures.append("openssl ts -verify: \(ts.combinedOutput)")
        }
        let wrong = try shell("openssl ts -verify -in ../token.der -token_in -data META-INF/ASiCManifest.xml -CAfile '\(root.path)'", in: unpacked)
        if wrong.status == 0 { failures.append("openssl ts -verify accepted the token over other data") }
        return Outcome(unpacked: unpacked, failures: failures)
    }

    /// Runs `script` with bash (`-euo pipefail`) in `directory`.
    public static func shell(_ script: String, in directory: URL) throws -> ToolResult {
        try ExternalTool.run("/bin/bash", ["-euo", "pipefail", "-c", script], currentDirectory: directory)
    }
}
