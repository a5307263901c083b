public import FoundationEssentials
import Glibc
public import SignetCrypto

/// What a key directory holds, read without touching any private key's contents: for
/// `signet keys show`.
public struct KeyDirectoryInventory: Sendable {
    /// One role's certificate and key file.
    public struct Entry: Sendable {
        /// The role.
        public let role: KeyDirectory.Role
        /// Where its certificate file is.
        public let certificatePath: String
        /// nil when the certificate file is missing or unreadable (see `problem`).
        public let certificate: Certificate?
        /// Where its key file is.
        public let keyPath: String
        /// Whether the key file exists (it may be kept offline).
        public let keyPresent: Bool
        /// Whether the key file is passphrase-protected (from its PEM label and headers only).
        public let keyEncrypted: Bool
        /// The key file's permission bits, e.g. 0o600.
        public let keyMode: Int?
        /// What is wrong with the entry, if anything.
        public let problem: String?
    }

    /// One stored CRL.
    public struct CRLEntry: Sendable {
        /// The CRL file.
        public let path: String
        /// The CRL, nil when missing or unreadable.
        public let crl: CertificateRevocationList?
        /// Why it could not be read, if it could not.
        public let problem: String?
    }

    /// The directory read.
    public let directory: String
    /// Its manifest, nil when missing or unreadable.
    public let manifest: KeyDirectoryManifest?
    /// One entry per role.
    public let entries: [Entry]
    /// The root and issuing CRLs.
    public let crls: [CRLEntry]

    /// Reads the certificates, CRLs and key file metadata of `directory`.
    public init(directory: String) {
        self.directory = directory
        let fileManager = FileManager.default
        func file(_ name: String) -> String { joinedPath(directory, name) }
        manifest = fileManager.fileExists(atPath: file(KeyDirectory.File.manifest)) ? try? KeyDirectoryManifest.load(from: directory) : nil
        entries = KeyDirectory.Role.allCases.map { role in
            let certificatePath = file(role.certificateFile)
            let keyPath = file(role.keyFile)
            var certificate: Certificate?
            var problem: String?
            if fileManager.fileExists(atPath: certificatePath) {
                do { certificate = try Certificate(contentsOfFile: certificatePath) } catch { problem = "unreadable certificate: \(error)" }
            } else {
                problem = "no certificate"
            }
            var status = stat()
            let keyPresent = stat(keyPath, &status) == 0
            // Only the head (PEM label and RFC 1421 headers) is looked at, never the key itself.
            let head = fileManager.contents(atPath: keyPath).map { String(decoding: $0.prefix(128), as: UTF8.self) } ?? ""
            return Entry(role: role, certificatePath: certificatePath, certificate: certificate, keyPath: keyPath,
                         keyPresent: keyPresent, keyEncrypted: isPassphraseProtectedKey(pem: head[...]),
                         keyMode: keyPresent ? Int(status.st_mode & 0o7777) : nil, problem: problem)
        }
        crls = [KeyDirectory.File.rootCRL, KeyDirectory.File.issuingCRL].compactMap { name in
            let path = file(name)
            guard fileManager.fileExists(atPath: path) else { return nil }
            do { return CRLEntry(path: path, crl: try CertificateRevocationList(contentsOfFile: path), problem: nil) } catch {
                return CRLEntry(path: path, crl: nil, problem: "\(error)")
            }
        }
    }

    /// Whether the directory holds any PKI file at all.
    public var isEmpty: Bool { entries.allSatisfy { $0.certificate == nil && !$0.keyPresent } && crls.isEmpty }

    /// A plain-text report: subjects, issuers, key types, validity, usages, fingerprints,
    /// key file state — never key material.
    public func report(at now: Date = Date()) -> String {
        var lines = ["PKI in \(directory)"]
        if let manifest, let urls = manifest.urls {
            lines.append("  organization: \(manifest.organization)\(manifest.creditCode.map { " (\($0))" } ?? "")")
            lines.append("  created: \(TimeText.iso8601(manifest.createdAt)), keys \(manifest.encrypted ? "encrypted with a passphrase" : "not encrypted")")
            lines.append("  published at: CRLs \(urls.rootCRL), \(urls.issuingCRL); OCSP \(urls.ocsp)")
        }
        for entry in entries {
            lines.append("")
            lines.append("\(entry.role.rawValue): \(entry.role.title)")
            if let cert = entry.certificate {
                lines.append("  certificate: \(entry.certificatePath)")
                lines.append("    subject:  \(cert.subject.displayString)")
                lines.append("    issuer:   \(cert.issuer.displayString)")
                lines.append("    key:      \((try? cert.publicKey.algorithmDescription) ?? "unknown")")
                let state = now > cert.notAfter ? "EXPIRED" : now < cert.notBefore ? "NOT YET VALID" : "valid"
                lines.append("    validity: \(TimeText.iso8601(cert.notBefore)) to \(TimeText.iso8601(cert.notAfter)) (\(state))")
                lines.append("    serial:   \(cert.serialNumberHex)")
                var usage = cert.keyUsage.map { usageNames($0) } ?? "unrestricted"
                if !cert.extendedKeyUsage.isEmpty {
                    let critical = cert.isExtensionCritical(CertificateExtensionOID.extendedKeyUsage) == true ? " (critical)" : ""
                    usage += "; extended: \(cert.extendedKeyUsage.map(purposeName).joined(separator: ", "))\(critical)"
                }
                if cert.isCA { usage += "; CA\(cert.pathLengthConstraint.map { ", path length \($0)" } ?? "")" }
                if cert.hasOCSPNoCheck { usage += "; ocsp-nocheck" }
                lines.append("    usage:    \(usage)")
                lines.append("    SHA-256:  \(cert.sha256Fingerprint.hexString)")
            } else {
                lines.append("  certificate: \(entry.problem ?? "missing") (\(entry.certificatePath))")
            }
            if entry.keyPresent {
                let mode = entry.keyMode.map { String($0, radix: 8) } ?? "?"
                let warning = entry.keyMode.map { $0 & 0o077 != 0 } == true ? " WARNING: readable by others" : ""
                lines.append("  private key: \(entry.keyPath) (mode \(mode), \(entry.keyEncrypted ? "encrypted" : "not encrypted"))\(warning)")
            } else {
                lines.append("  private key: none (\(entry.role == .rootCA ? "kept offline" : "missing"))")
            }
        }
        for entry in crls {
            lines.append("")
            if let crl = entry.crl {
                lines.append("CRL \(entry.path): issuer \(crl.issuer.displayString), number \(crl.crlNumberValue.map(String.init) ?? "none"), "
                             + "\(crl.entries.count) revoked, thisUpdate \(TimeText.iso8601(crl.thisUpdate)), nextUpdate \(crl.nextUpdate.map { TimeText.iso8601($0) } ?? "none")")
            } else {
                lines.append("CRL \(entry.path): \(entry.problem ?? "unreadable")")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

private func purposeName(_ oid: String) -> String {
    switch oid {
    case ExtendedKeyUsage.timeStamping: "timeStamping"
    case ExtendedKeyUsage.ocspSigning: "OCSPSigning"
    case ExtendedKeyUsage.codeSigning: "codeSigning"
    case ExtendedKeyUsage.emailProtection: "emailProtection"
    case ExtendedKeyUsage.anyExtendedKeyUsage: "anyExtendedKeyUsage"
    default: oid
    }
}
