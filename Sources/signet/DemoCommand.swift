import ArgumentParser
import FoundationEssentials
import SignetCrypto
import SignetPKI
import SignetService
import SignetTemplates

/// `signet demo --out DIR`: the main job until the service exists. Renders every
/// template's sample contract, then signs each as the merchant (one-time event
/// certificate) and as the platform (the seal of the entity the contract names), to
/// PAdES B-LTA.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Render every sample contract, sign it as merchant and platform to B-LTA, and print SHA-256s.",
        discussion: """
        Renders each template's newest version with its sample.json, a fixed contract number \
        and issue time, so the rendered PDFs are the same on every run (<id>-<version>.pdf). \
        Then signs each: the merchant with a one-time event certificate, the platform with \
        the seal of the legal entity the contract names, both as visible seals, closed at \
        B-LTA (<id>-<version>.signed.pdf). Standard output is in sha256sum format (check it \
        with `sha256sum -c`); details go to standard error.

        Uses the PKI in --keys; if there is none, creates a development PKI for the platform \
        company of the first contract. A platform entity without a seal gets a development seal \
        (demo only: in production seals are provisioned with `signet keys seal`).
        """
    )

    @OptionGroup var templates: TemplatesDirectoryOption
    @Option(help: ArgumentHelp("Output directory.", valueName: "dir")) var out = "out"
    @Option(help: ArgumentHelp("The PKI directory.", valueName: "dir")) var keys = "keys"
    @Flag(help: "Only render; do not sign.") var renderOnly = false

    /// The fixed issue time of demo contracts.
    static let issuedAt = "2025-03-01T10:00:00+08:00"

    func run() async throws {
        do {
            try await demo()
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    private func demo() async throws {
        let store = templates.store
        let ids = try store.templateIDs()
        guard !ids.isEmpty else { throw CLIError("no templates in \(store.root.path)") }
        var contracts: [(path: String, contract: RenderedContract)] = []
        for id in ids {
            let template = try store.load(id: id)
            guard let sample = template.sample else {
                printError("skipped \(template.reference): no sample.json")
                continue
            }
            let metadata = try ContractMetadata(number: Self.contractNumber(for: template), issuedAt: Self.issuedAt)
            let rendered = try ContractRenderer.render(template: template, fields: sample, metadata: metadata)
            let path = URL(fileURLWithPath: out).appendingPathComponent("\(id)-\(template.manifest.version).pdf").path
            try writeFile(rendered.pdf, to: path)
            print("\(rendered.sha256)  \(path)")
            let boxes = rendered.signatureBoxes.map { "\($0.role) p\($0.page) \($0.rect)" }.joined(separator: ", ")
            printError("rendered \(template.reference): \(rendered.pageCount) pages; signature boxes \(boxes)")
            contracts.append((path, rendered))
        }
        guard !renderOnly, let first = contracts.first else { return }

        let passphrase = ProcessInfo.processInfo.environment[KeyDirectory.passphraseEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let pki = try loadOrCreatePKI(for: first.contract, passphrase: passphrase)
        let flow = try ContractSigningFlow(keys: pki, passphrase: passphrase)
        for (path, contract) in contracts {
            let platform = try ContractParty(role: .platform, in: contract)
            if try pki.seal(for: platform.organizationName, passphrase: passphrase) == nil {
                try pki.issueSeal(organization: platform.organizationName, countryCode: platform.registration?.countryCode ?? "CN",
                                  registrationNumber: platform.registration?.number, passphrase: passphrase)
                printError("issued a development seal for \(platform.organizationName) in \(keys)/\(KeyDirectory.sealsDirectory)/")
            }
            let signed = try await flow.signAndCountersign(contract, signingEventID: "demo-\(UUID().uuidString.lowercased())")
            let signedPath = String(path.dropLast(4)) + ".signed.pdf"
            try writeFile(signed, to: signedPath)
            print("\(DigestAlgorithm.sha256.hash(signed).hexString)  \(signedPath)")
            printError("signed \(contract.templateID): merchant (event certificate) and \(platform.organizationName) (seal), PAdES B-LTA")
        }
        printError("verify with: signet verify --trust \(pki.path(KeyDirectory.Role.rootCA.certificateFile)) \(out)/*.signed.pdf")
    }

    /// The PKI in --keys, or a new development PKI for the contract's platform company.
    private func loadOrCreatePKI(for contract: RenderedContract, passphrase: String?) throws -> KeyDirectory {
        if FileManager.default.fileExists(atPath: URL(fileURLWithPath: keys).appendingPathComponent(KeyDirectory.File.manifest).path) {
            return try KeyDirectory.load(from: keys, passphrase: passphrase)
        }
        let platform = try ContractParty(role: .platform, in: contract)
        var options = KeyDirectory.CreationOptions()
        options.organization = platform.organizationName
        if platform.registration?.countryCode == "CN" { options.creditCode = platform.registration?.number }
        let pki = try KeyDirectory.create(at: keys, options: options, passphrase: passphrase)
        printError("created a development PKI for \(platform.organizationName) in \(keys)/ (trust anchor: \(pki.path(KeyDirectory.Role.rootCA.certificateFile)))")
        return pki
    }

    /// `DEMO-MSA-1.0.0` for merchant-service-agreement 1.0.0.
    static func contractNumber(for template: ContractTemplate) -> String {
        let initials = template.manifest.id.split(separator: "-").compactMap(\.first).map(String.init).joined().uppercased()
        return "DEMO-\(initials)-\(template.manifest.version)"
    }
}
