import ArgumentParser
import FoundationEssentials
import SignetCrypto
import SignetPKI

/// `signet keys seal --org NAME`: a seal for another legal entity of the platform.
struct KeysSealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Issue a seal certificate for another legal entity of the platform (stored in keys/seals/).",
        discussion: """
        Contracts are countersigned with the seal of the legal entity they name. The platform \
        seal (seal.cert.pem) serves the company of `keys init --org`; a subsidiary that signs \
        its own contracts (e.g. a Singapore entity for the English agreement) gets its seal here.
        """
    )

    @OptionGroup var directory: KeysDirectoryOption
    @Option(help: ArgumentHelp("The legal entity, exactly as contracts name it.", valueName: "name")) var org: String
    @Option(help: ArgumentHelp("Its registration: unified social credit code (CN) or register number.", valueName: "number"))
    var registration: String?
    @Option(help: ArgumentHelp("ISO 3166 country of registration.", valueName: "code")) var country = "CN"

    func run() throws {
        try reportingErrors {
            let keys = try directory.load()
            let seal = try keys.issueSeal(organization: org, countryCode: country, registrationNumber: registration,
                                          passphrase: directory.passphrase)
            print("Issued a seal for \(org): \(seal.certificate.subject.rfc2253), serial \(seal.certificate.serialNumberHex)")
        }
    }
}
