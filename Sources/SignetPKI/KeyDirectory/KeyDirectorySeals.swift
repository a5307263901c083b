public import FoundationEssentials
import SignetCrypto

/// Seals of further legal entities of the platform (e.g. a Singapore subsidiary that signs
/// the English agreement): `keys/seals/<id>.cert.pem` + `<id>.key.pem`, issued by the
/// issuing CA and recorded in its database so OCSP and CRLs cover them. The platform seal
/// (`seal.cert.pem`) stays the default.
extension KeyDirectory {
    /// The sub-directory holding the additional seals.
    public static let sealsDirectory = "seals"

    /// The seal certificate and key of `organization`: the platform seal when its
    /// organization is that name, otherwise an additional seal issued for it; nil if none.
    public func seal(for organization: String, passphrase: String? = nil) throws -> SigningCredential? {
        if seal.certificate.subject.organization == organization { return seal }
        let directory = path(Self.sealsDirectory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names.sorted() where name.hasSuffix(".cert.pem") {
            let certificatePath = joinedPath(directory, name)
            let certificate = try Certificate(contentsOfFile: certificatePath)
            guard certificate.subject.organization == organization else { continue }
            guard certificate.isIssued(by: issuingAuthority.certificate) else {
                throw KeyDirectoryError.inconsistent(file: certificatePath, reason: "not issued by the issuing CA")
            }
            let keyPath = String(certificatePath.dropLast(".cert.pem".count)) + ".key.pem"
            let key = try PrivateKey(contentsOfFile: keyPath, passphrase: passphrase)
            guard try key.publicKey == certificate.publicKey else {
                throw KeyDirectoryError.inconsistent(file: keyPath, reason: "the key does not match \(name)")
            }
            return SigningCredential(privateKey: key, certificate: certificate, chain: chain)
        }
        return nil
    }

    /// Issues a seal for another legal entity of the platform (same profile as the platform
    /// seal: digitalSignature + nonRepudiation, the PKI's CRL/OCSP/caIssuers URLs), records
    /// it in the issuing CA's database and stores it under `seals/`. Refuses an
    /// organization that already has a seal.
    @discardableResult
    public func issueSeal(
        organization: String, countryCode: String = "CN", registrationNumber: String? = nil,
        passphrase: String? = nil, at date: Date = Date()
    ) throws -> SigningCredential {
        if try seal(for: organization, passphrase: passphrase) != nil {
            throw KeyDirectoryError.inconsistent(file: path(Self.sealsDirectory), reason: "\(organization) already has a seal")
        }
        var name: [(NameAttributeType, String)] = [(.country, countryCode), (.organization, organization)]
        if let number = registrationNumber?.uppercased() {
            name += [(.organizationIdentifier, "NTR\(countryCode)-\(number)"), (.serialNumber, number)]
        }
        name.append((.commonName, organization))
        let key = try PrivateKey.generate(.p256)
        let start = date.addingTimeInterval(-3600)
        var profile = CertificateBuilder.signer(
            subject: try DistinguishedName(name), publicKey: try key.publicKey, notBefore: start,
            notAfter: min(start.addingTimeInterval(KeyDirectory.Validity.seal), issuingAuthority.certificate.notAfter))
        if let urls = manifest.urls {
            profile.crlDistributionPoints = [urls.issuingCRL]
            profile.ocspURLs = [urls.ocsp]
            profile.caIssuersURLs = [urls.issuingCACertificate]
        }
        let certificate = try issuingAuthority.issue(profile)
        try issuingDatabase.recordIssued(certificate)
        let directory = path(Self.sealsDirectory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let id = DigestAlgorithm.sha256.hash(Array(organization.utf8)).hexString.prefix(16)
        let base = joinedPath(directory, String(id))
        try key.write(toFile: base + ".key.pem", passphrase: passphrase)
        try SecureFile.write(Array(certificate.pem.utf8), to: base + ".cert.pem", mode: 0o644)
        return SigningCredential(privateKey: key, certificate: certificate, chain: chain)
    }
}
