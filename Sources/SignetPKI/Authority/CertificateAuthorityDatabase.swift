public import FoundationEssentials
import Glibc
public import SignetCrypto

/// A CA's record of what it issued and revoked, in OpenSSL's `index.txt` format (so
/// `openssl ca` and `openssl ocsp -index` can read it too), plus a `crlnumber` file.
///
/// Stateless and process-safe: every call reads the files afresh under an exclusive
/// `flock` on `<index>.lock`; issuing appends a line, revoking rewrites the file
/// atomically. Meant for the development PKI and single-host use; the service keeps
/// its own records in its database and implements `CertificateStatusProvider` there.
///
/// Reasons privilegeWithdrawn and aACompromise are written by name but `openssl` does not
/// know them.
public struct CertificateAuthorityDatabase: CertificateStatusProvider {
    /// One line of the index.
    public struct Entry: Sendable, Hashable {
        /// The serial number, big-endian, without leading zeros.
        public let serialNumber: [UInt8]
        /// The certificate's notAfter.
        public let notAfter: Date
        /// The subject in OpenSSL's one-line form ("/C=CN/O=.../CN=...").
        public let subject: String
        /// Set when the certificate is revoked.
        public let revocation: RevokedCertificate?

        /// An entry (e.g. one a test or an import makes).
        public init(serialNumber: [UInt8], notAfter: Date, subject: String, revocation: RevokedCertificate?) {
            self.serialNumber = normalizedSerial(serialNumber)
            self.notAfter = notAfter
            self.subject = subject
            self.revocation = revocation
        }
    }

    /// The index file (OpenSSL `index.txt` format).
    public let indexPath: String
    /// The file holding the next CRL number in hex (OpenSSL `crlnumber` format).
    public let crlNumberPath: String

    /// A database over `indexPath`, created empty when missing (and its CRL number file
    /// starting at 1).
    public init(indexPath: String, crlNumberPath: String? = nil) throws {
        self.indexPath = indexPath
        self.crlNumberPath = crlNumberPath ?? indexPath + ".crlnumber"
        try withLock {
            if !FileManager.default.fileExists(atPath: indexPath) {
                try SecureFile.write([], to: indexPath, mode: 0o644)
            }
            if !FileManager.default.fileExists(atPath: self.crlNumberPath) {
                try SecureFile.write(Array("01\n".utf8), to: self.crlNumberPath, mode: 0o644)
            }
        }
    }

    /// Every entry, in file order.
    public func entries() throws -> [Entry] {
        try withLock { try readEntries() }
    }

    /// Records an issued certificate as valid.
    public func recordIssued(_ certificate: Certificate) throws {
        let subject = try certificate.subject.openSSLOneLine()
        let line = ["V", indexTime(certificate.notAfter), "", certificate.serialNumberHex.evenHex, "unknown",
                    subject.replacing("\t", with: " ")].joined(separator: "\t") + "\n"
        try withLock {
            if try readEntries().contains(where: { $0.serialNumber == normalizedSerial(certificate.serialNumber) }) {
                throw CertificateAuthorityDatabaseError.duplicateSerial(certificate.serialNumberHex)
            }
            try append(line)
        }
    }

    /// Marks a recorded certificate revoked. Revoking twice, or an unknown serial, is refused.
    @discardableResult
    public func revoke(serialNumber: [UInt8], at date: Date = Date(), reason: RevocationReason?, invalidityDate: Date? = nil) throws -> RevokedCertificate {
        let serial = normalizedSerial(serialNumber)
        let revoked = RevokedCertificate(serialNumber: serial, revocationDate: wholeSeconds(date),
                                         reason: reason, invalidityDate: invalidityDate.map(wholeSeconds))
        try withLock {
            let text = try readText()
            var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            guard let index = lines.firstIndex(where: { (try? Self.parse(line: $0))?.serialNumber == serial }) else {
                throw CertificateAuthorityDatabaseError.unknownSerial(serial.hexString.uppercased())
            }
            var fields = lines[index].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields[0] == "V" else { throw CertificateAuthorityDatabaseError.alreadyRevoked(serial.hexString.uppercased()) }
            fields[0] = "R"
            fields[2] = Self.revocationField(revoked)
            lines[index] = fields.joined(separator: "\t")
            try SecureFile.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: indexPath, mode: 0o644, overwrite: true)
        }
        return revoked
    }

    /// The status of the certificate with `serialNumber`: `unknown` when the database has no record of it.
    public func status(ofSerialNumber serialNumber: [UInt8]) throws -> CertificateStatus {
        let serial = normalizedSerial(serialNumber)
        guard let entry = try entries().first(where: { $0.serialNumber == serial }) else { return .unknown }
        return entry.revocation.map { .revoked($0) } ?? .good
    }

    /// Every revoked entry, in file order.
    public func revokedCertificates() throws -> [RevokedCertificate] {
        try entries().compactMap(\.revocation)
    }

    /// The number the next CRL gets, without taking it (read only).
    public func pendingCRLNumber() throws -> UInt64 {
        let numberText = String(decoding: try Self.read(crlNumberPath), as: UTF8.self).trimmingWhitespace()
        guard let number = UInt64(numberText, radix: 16) else {
            throw CertificateAuthorityDatabaseError.malformed(path: crlNumberPath, line: numberText)
        }
        return number
    }

    /// Takes the next CRL number (monotonic across processes sharing the file).
    public func nextCRLNumber() throws -> UInt64 {
        try withLock { try takeCRLNumber() }
    }

    /// Takes the next CRL number (monotonic across processes) and issues a full CRL of
    /// every revoked certificate with `ca`.
    public func issueCRL(with ca: CertificateAuthority, thisUpdate: Date = Date(), validity: TimeInterval = 7 * 86_400) throws -> CertificateRevocationList {
        try withLock {
            let revoked = try readEntries().compactMap(\.revocation)
            let number = try takeCRLNumber()
            return try ca.issueCRL(revoked: revoked, number: number,
                                   thisUpdate: thisUpdate, nextUpdate: thisUpdate.addingTimeInterval(validity))
        }
    }

    /// Reads the CRL number file and stores the one after it (under the lock).
    private func takeCRLNumber() throws -> UInt64 {
        let numberText = String(decoding: try Self.read(crlNumberPath), as: UTF8.self).trimmingWhitespace()
        guard let number = UInt64(numberText, radix: 16), number < UInt64.max else {
            throw CertificateAuthorityDatabaseError.malformed(path: crlNumberPath, line: numberText)
        }
        try SecureFile.write(Array((String(number + 1, radix: 16, uppercase: true).evenHex + "\n").utf8),
                             to: crlNumberPath, mode: 0o644, overwrite: true)
        return number
    }

    // MARK: - File handling

    private func withLock<R>(_ body: () throws -> R) throws -> R {
        let lockPath = indexPath + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CryptoError.io(path: lockPath, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw CryptoError.io(path: lockPath, reason: String(cString: strerror(errno))) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    private func readText() throws -> String { String(decoding: try Self.read(indexPath), as: UTF8.self) }

    private func readEntries() throws -> [Entry] {
        try readText().split(separator: "\n", omittingEmptySubsequences: true).map { try Self.parse(line: String($0)) }
    }

    private static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CryptoError.io(path: path, reason: "cannot read")
        }
        return data
    }

    private func append(_ line: String) throws {
        let fd = open(indexPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CryptoError.io(path: indexPath, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array(line.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw CryptoError.io(path: indexPath, reason: String(cString: strerror(errno)))
        }
    }

    // MARK: - index.txt format

    static func parse(line: String) throws -> Entry {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 6, ["V", "R", "E"].contains(fields[0]),
              let notAfter = parseIndexTime(fields[1]),
              let serial = hexBytes(fields[3]) else {
            throw CertificateAuthorityDatabaseError.malformed(path: "index", line: line)
        }
        var revocation: RevokedCertificate?
        if fields[0] == "R" {
            let parts = fields[2].split(separator: ",").map(String.init)
            guard let first = parts.first, let date = parseIndexTime(first) else {
                throw CertificateAuthorityDatabaseError.malformed(path: "index", line: line)
            }
            var reason: RevocationReason?
            var invalidity: Date?
            if parts.count > 1 {
                switch parts[1].lowercased() {
                case "keytime": reason = .keyCompromise; invalidity = parts.count > 2 ? parseIndexTime(parts[2]) : nil
                case "cakeytime": reason = .cACompromise; invalidity = parts.count > 2 ? parseIndexTime(parts[2]) : nil
                default: reason = RevocationReason(name: parts[1])
                }
            }
            revocation = RevokedCertificate(serialNumber: serial, revocationDate: date, reason: reason, invalidityDate: invalidity)
        }
        return Entry(serialNumber: normalizedSerial(serial), notAfter: notAfter, subject: fields[5], revocation: revocation)
    }

    static func revocationField(_ revoked: RevokedCertificate) -> String {
        var field = indexTime(revoked.revocationDate)
        switch (revoked.reason, revoked.invalidityDate) {
        case (.keyCompromise?, let when?): field += ",keyTime," + generalizedTime(when)
        case (.cACompromise?, let when?): field += ",CAkeyTime," + generalizedTime(when)
        case (.cACompromise?, nil): field += ",CACompromise"
        case (let reason?, _): field += "," + reason.name
        case (nil, _): break
        }
        return field
    }
}

/// Errors of `CertificateAuthorityDatabase`.
public enum CertificateAuthorityDatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No certificate with this serial number (hex) is recorded.
    case unknownSerial(String)
    /// The certificate with this serial number is already revoked.
    case alreadyRevoked(String)
    /// A certificate with this serial number is already recorded.
    case duplicateSerial(String)
    /// A line of the database file cannot be read.
    case malformed(path: String, line: String)

    /// A stable, machine-readable code for the case, e.g. `ca_database.unknown_serial` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .unknownSerial: "ca_database.unknown_serial"
        case .alreadyRevoked: "ca_database.already_revoked"
        case .duplicateSerial: "ca_database.duplicate_serial"
        case .malformed: "ca_database.malformed"
        }
    }

    /// What is wrong, in words.
    public var description: String {
        switch self {
        case .unknownSerial(let serial): "no certificate with serial \(serial) in the CA database"
        case .alreadyRevoked(let serial): "the certificate with serial \(serial) is already revoked"
        case .duplicateSerial(let serial): "the CA database already records serial \(serial)"
        case .malformed(let path, let line): "\(path): unreadable line \"\(line)\""
        }
    }
}

/// `date` without its fraction of a second (X.509 times carry none).
private func wholeSeconds(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)) }

/// UTCTime text (YYMMDDHHMMSSZ) before 2050, GeneralizedTime text after, as X.509 and OpenSSL do.
private func indexTime(_ date: Date) -> String {
    let text = generalizedTime(date)
    let year = Int(text.prefix(4)) ?? 0
    return (1950..<2050).contains(year) ? String(text.dropFirst(2)) : text
}

private func generalizedTime(_ date: Date) -> String {
    ASN1Time.generalizedTimeString(date, fractionDigits: 0)
}

private func parseIndexTime(_ text: String) -> Date? {
    text.utf8.count == 13 ? try? ASN1Time.parseUTCTime(text, "index time") : try? ASN1Time.parseGeneralizedTime(text, "index time").date
}

private func hexBytes(_ text: String) -> [UInt8]? {
    let digits = Array(text.evenHex.utf8)
    guard !digits.isEmpty else { return nil }
    var bytes: [UInt8] = []
    for index in stride(from: 0, to: digits.count, by: 2) {
        guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
        bytes.append(byte)
    }
    return bytes
}

extension String {
    /// Hex text padded to an even number of digits (as OpenSSL writes serials).
    fileprivate var evenHex: String { count % 2 == 1 ? "0" + self : self }
}
