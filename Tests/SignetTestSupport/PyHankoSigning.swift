public import Foundation

/// pyHanko as a second signing tool (`Tests/Fixtures/pyhanko-sign.py`): signs a field of a
/// PDF in a new incremental update, the way pyHanko writes it, optionally rewriting stream
/// objects in place in that update.
public enum PyHankoSigning {
    /// Who signs: key and certificate PEM files (with the CA chain), or a throwaway
    /// self-signed Ed25519 certificate made by the script.
    public enum Signer: Sendable {
        case files(key: URL, certificate: URL, chain: [URL])
        case ed25519
    }

    /// `pdf` with field `field` signed by `signer` (a new invisible field if there is none
    /// of that name), and the streams numbered `rewrite` given new content in the same update.
    public static func sign(_ pdf: [UInt8], field: String, signer: Signer, rewrite: [Int] = []) throws -> [UInt8] {
        let directory = try TemporaryDirectory("signet-pyhanko-sign")
        let input = directory.file("in.pdf"), output = directory.file("out.pdf")
        try Data(pdf).write(to: input)
        var arguments = [RepositoryPaths.fixtures.appendingPathComponent("pyhanko-sign.py").path, input.path, output.path, "--field", field]
        switch signer {
        case .files(let key, let certificate, let chain):
            arguments += ["--key", key.path, "--cert", certificate.path] + chain.flatMap { ["--chain", $0.path] }
        case .ed25519:
            arguments.append("--ed25519")
        }
        arguments += rewrite.flatMap { ["--rewrite", String($0)] }
        let result = try ExternalTool.run("python", arguments)
        guard result.status == 0 else {
            throw OracleSetupError(description: "pyhanko-sign.py failed (\(result.status)): \(result.combinedOutput)")
        }
        return try [UInt8](Data(contentsOf: output))
    }
}
