public import ArgumentParser
import FoundationEssentials
import SignetCrypto
import SignetPKI
import SignetPAdES
import SignetService
import SignetTemplates

extension PAdESLevel: ExpressibleByArgument {}

/// `signet sign IN.pdf OUT.pdf --key K --cert C ...`: adds one PAdES signature.
struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a PDF with a PAdES signature (B-B, B-T, B-LT or B-LTA).",
        discussion: """
        The signature is appended as an incremental update: the input's bytes are kept \
        unchanged. From B-T on, a timestamp is required (the built-in TSA of --keys, or \
        --tsa URL); without a token nothing is written. B-LT adds the chains and revocation \
        data of every signature in the file that has none yet (produced locally for \
        certificates of the --keys PKI; earlier validation data is never changed); B-LTA \
        then adds a document timestamp. `signet extend` renews a B-LTA file later.

        A private key protected by a passphrase reads it from $SIGNET_KEY_PASSPHRASE.
        """
    )

    @Argument(help: "The PDF to sign.") var input: String
    @Argument(help: "Where to write the signed PDF (never the input itself).") var output: String
    @Option(help: "The signer's private key (PEM).") var key: String
    @Option(help: "The signer's certificate (PEM or DER).") var cert: String
    @Option(help: "Issuer certificates to embed (PEM, repeatable; bundles allowed).") var chain: [String] = []
    @Option(help: "PAdES level: B-B, B-T, B-LT or B-LTA.") var level: PAdESLevel = .bLTA
    @Option(help: ArgumentHelp("'builtin' (the TSA of --keys) or an RFC 3161 URL.", valueName: "builtin|url")) var tsa = "builtin"
    @Option(help: "The PKI directory (built-in TSA, local revocation data).") var keys = "keys"
    @Option(help: "Signature field to fill (an existing empty one) or create.") var field: String?
    @Option(help: "Page of a visible signature (1-based).") var page: Int?
    @Option(help: ArgumentHelp("Rectangle of a visible signature in points: x,y,w,h.", valueName: "x,y,w,h")) var rect: String?
    @Option(help: "Company name set along the seal's rim (visible signatures).") var sealText: String?
    @Option(help: "Reason for signing (/Reason).") var reason: String?
    @Option(help: "Where the signing happened (/Location).") var location: String?
    @Flag(help: "Replace OUT.pdf if it exists.") var force = false

    func validate() throws {
        if (page == nil) != (rect == nil) { throw ValidationError("--page and --rect go together") }
        if let rect, parseRect(rect) == nil { throw ValidationError("--rect needs four numbers: x,y,w,h (points)") }
        if sealText != nil && rect == nil { throw ValidationError("--seal-text needs --page and --rect") }
        if URL(fileURLWithPath: input).standardizedFileURL == URL(fileURLWithPath: output).standardizedFileURL {
            throw ValidationError("OUT.pdf must differ from IN.pdf: the input is never modified")
        }
    }

    func run() async throws {
        do {
            try await sign()
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    private func sign() async throws {
        if !force && FileManager.default.fileExists(atPath: output) {
            throw CLIError("\(output) exists; use --force to replace it")
        }
        let passphrase = ProcessInfo.processInfo.environment[KeyDirectory.passphraseEnvironmentVariable]
        let privateKey = try PrivateKey(contentsOfFile: key, passphrase: passphrase)
        let certificate = try Certificate(contentsOfFile: cert)
        let chainCertificates = try chain.flatMap { try Certificate.loadAll(contentsOfFile: $0) }
        let pdf = try readFile(input)

        var directory: KeyDirectory?
        func pki() throws -> KeyDirectory {
            if let directory { return directory }
            guard FileManager.default.fileExists(atPath: keys) else {
                throw CLIError("\(keys)/ not found: run `signet keys init`, or give --tsa URL for B-T and B-B for no timestamp")
            }
            directory = try KeyDirectory.load(from: keys, passphrase: passphrase)
            return directory!
        }
        var timestamps: (any TimeStampProvider)?
        if level >= .bT {
            if tsa == "builtin" {
                timestamps = try pki().makeTimeStampAuthority()
            } else {
                guard let url = URL(string: tsa), url.scheme == "http" || url.scheme == "https" else {
                    throw CLIError("--tsa must be 'builtin' or an http(s) URL")
                }
                timestamps = TimeStampClient(url: url)
            }
        }
        let revocation: (any RevocationDataSource)? = level >= .bLT ? KeyDirectoryRevocationSource(keys: try pki()) : nil

        let signingTime = Date()
        var visible: VisibleSignature?
        if let page, let rect, let box = parseRect(rect) {
            let seal = SealAppearance(
                companyName: sealText ?? certificate.subject.organization ?? certificate.subject.commonName ?? "",
                signerName: certificate.subject.commonName ?? certificate.subject.rfc2253,
                signedAt: signingTime, width: box.w, height: box.h)
            visible = VisibleSignature(page: page, x: box.x, y: box.y, width: box.w, height: box.h, appearancePDF: try seal.render())
        }
        let signer = PAdESSigner(
            cms: try CMSSigner(key: privateKey, certificate: certificate, chain: chainCertificates),
            timestampProvider: timestamps, revocationSource: revocation)
        let request = SignatureRequest(fieldName: field, visible: visible, metadata: SignatureMetadata(
            signingTime: signingTime, signerName: certificate.subject.commonName, reason: reason, location: location))
        let signed = try await signer.sign(pdf, level: level, request: request)
        try writeFile(signed, to: output)
        print("signed \(output): \(level), \(signed.count) bytes, SHA-256 \(DigestAlgorithm.sha256.hash(signed).hexString)")
    }

    private func parseRect(_ text: String) -> (x: Double, y: Double, w: Double, h: Double)? {
        let parts = text.split(separator: ",").map { Double($0.trimmingWhitespace()) }
        guard parts.count == 4, let x = parts[0], let y = parts[1], let w = parts[2], let h = parts[3], w > 0, h > 0 else { return nil }
        return (x, y, w, h)
    }
}

/// A plain error message for the command line.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
