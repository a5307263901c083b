public import FoundationEssentials
public import SignetCrypto
import SignetPAdES

/// `signet verify-archive`: checks an ASiC-E archive offline against the given trust roots
/// (never the archive's own `trust/root-ca.pem`): its layout, the manifest's signature and
/// timestamp, every file's digest, `SHA256SUMS`, and per contract its files, PDF signatures,
/// audit chain and a re-render of the original (docs/archives.md). Bad input gives failed
/// checks, never a crash. Contracts are read one at a time.
public struct ArchiveVerifier: Sendable {
    /// The roots the seal, the TSA and the contracts' signatures must chain to.
    public let trustRoots: [Certificate]
    /// Whether every certificate below a root needs revocation data.
    public let revocationRequired: Bool

    /// The manifest and the signature are read whole; they may not be larger than this.
    static let maximumManifestSize: UInt64 = 512 << 20

    /// A verifier trusting `trustRoots`.
    public init(trustRoots: [Certificate], revocationRequired: Bool = true) {
        self.trustRoots = trustRoots
        self.revocationRequired = revocationRequired
    }

    /// Checks the archive at `archiveAt`; `progress` gets (contracts checked, contracts).
    public func verify(archiveAt url: URL, progress: (@Sendable (Int, Int) -> Void)? = nil) async -> ArchiveVerificationReport {
        let reader: ArchiveReader
        do {
            reader = try ArchiveReader(url: url)
        } catch {
            return ArchiveVerificationReport(checks: [error.check], contracts: [], unreadable: true)
        }
        var checks = [ArchiveCheck(name: "mimetype", passed: true, detail: "first entry, stored: \(ArchiveLayout.mimeType)")]
        checks.append(reader.problems.isEmpty
            ? ArchiveCheck(name: "entries", passed: true, detail: "\(reader.paths.count) entries, all regular files with safe, unique names")
            : ArchiveCheck(name: "entries", passed: false, detail: reader.problems.joined(separator: "; ")))

        let manifestBytes: [UInt8]
        let manifest: ASiCManifest
        do {
            manifestBytes = try reader.read(ArchiveLayout.manifestPath, limit: Self.maximumManifestSize)
            manifest = try ASiCManifest.parse(manifestBytes)
            guard manifest.signatureURI == ArchiveLayout.signaturePath else {
                throw ArchiveError.invalidManifest("SigReference is \(manifest.signatureURI), expected \(ArchiveLayout.signaturePath)")
            }
            checks.append(ArchiveCheck(name: "manifest", passed: true, detail: "\(manifest.references.count) data files listed"))
        } catch {
            checks.append(ArchiveCheck(name: "manifest", passed: false, detail: "\(error)"))
            return ArchiveVerificationReport(checks: checks, contracts: [])
        }
        do {
            let signature = try reader.read(ArchiveLayout.signaturePath, limit: 64 << 20)
            checks += ArchiveSignatureCheck.run(signature: signature, manifest: manifestBytes, trustRoots: trustRoots,
                                                revocationRequired: revocationRequired)
        } catch {
            checks += [ArchiveCheck(name: "signature", passed: false, detail: "\(error)"),
                       ArchiveCheck(name: "timestamp", passed: false, detail: "no signature")]
        }

        var listed: [String: [UInt8]] = [:]
        var duplicates: [String] = []
        for reference in manifest.references {
            if listed.updateValue(reference.sha256, forKey: reference.uri) != nil { duplicates.append(reference.uri) }
        }
        checks.append(filesListed(reader: reader, listed: listed, duplicates: duplicates))
        checks.append(topLevelDigests(reader: reader, listed: listed))
        checks.append(sums(reader: reader, listed: listed))

        // Contract folders named by the manifest or by an entry.
        var folderIDs: [String] = []
        var seen = Set<String>()
        for path in manifest.references.map(\.uri) + reader.paths {
            guard let id = Self.contractID(of: path), seen.insert(id).inserted else { continue }
            folderIDs.append(id)
        }
        // Each contract's listed files and entries, found once (not by scanning every path per contract).
        var listedByContract: [String: [String: [UInt8]]] = [:]
        for (path, digest) in listed { if let id = Self.contractID(of: path) { listedByContract[id, default: [:]][path] = digest } }
        var pathsByContract: [String: [String]] = [:]
        for path in reader.paths { if let id = Self.contractID(of: path) { pathsByContract[id, default: []].append(path) } }
        let contractChecks = ContractArchiveChecks(validator: PDFSignatureValidator(options: ValidationOptions(
            trustAnchors: trustRoots, validationTime: .current, requireRevocationData: revocationRequired)))
        let contracts = await Self.check(folderIDs, with: contractChecks, progress: progress) { id in
            readFolder(id, listed: listedByContract[id] ?? [:], paths: pathsByContract[id] ?? [], reader: reader)
        }
        if contracts.isEmpty { checks.append(ArchiveCheck(name: "contracts", passed: false, detail: "the archive holds no contract")) }
        return ArchiveVerificationReport(checks: checks, contracts: contracts)
    }

    /// The checks of every folder, in `ids` order. Folders are read one after another on this
    /// task (the ZIP reader is not shared), and checked on up to one task per core at once, so
    /// at most that many folders (plus the one being read) are in memory.
    static func check(_ ids: [String], with checks: ContractArchiveChecks, progress: (@Sendable (Int, Int) -> Void)?,
                      read: (String) -> ContractFolder) async -> [ContractArchiveReport] {
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var reports = [ContractArchiveReport?](repeating: nil, count: ids.count)
        await withTaskGroup(of: (Int, ContractArchiveReport).self) { group in
            var done = 0
            for (index, id) in ids.enumerated() {
                if index >= width, let (finished, report) = await group.next() {
                    reports[finished] = report
                    done += 1
                    progress?(done, ids.count)
                }
                let folder = read(id)
                group.addTask { (index, checks.run(folder)) }
            }
            for await (finished, report) in group {
                reports[finished] = report
                done += 1
                progress?(done, ids.count)
            }
        }
        return reports.compactMap { $0 }
    }

    /// `ctr_x` of `contracts/ctr_x/…`.
    static func contractID(of path: String) -> String? {
        guard path.hasPrefix(ArchiveLayout.contractsFolder) else { return nil }
        let rest = path.dropFirst(ArchiveLayout.contractsFolder.count)
        guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex else { return nil }
        return String(rest[..<slash])
    }

    private static let topLevel: Set<String> = [ArchiveLayout.rootPath, ArchiveLayout.readmePath, ArchiveLayout.sumsPath, ArchiveLayout.manifestPath]

    /// Every entry but mimetype and the signature is in the manifest, and every listed file exists.
    private func filesListed(reader: ArchiveReader, listed: [String: [UInt8]], duplicates: [String]) -> ArchiveCheck {
        var problems: [String] = []
        let unlisted = reader.paths.filter { $0 != ArchiveLayout.mimetypePath && $0 != ArchiveLayout.signaturePath && $0 != ArchiveLayout.manifestPath && listed[$0] == nil }
        if !unlisted.isEmpty { problems.append("not in the manifest (added): \(unlisted.joined(separator: ", "))") }
        let absent = listed.keys.filter { reader.files[$0] == nil }.sorted()
        if !absent.isEmpty { problems.append("in the manifest but not in the archive (removed): \(absent.joined(separator: ", "))") }
        if !duplicates.isEmpty { problems.append("listed twice: \(duplicates.joined(separator: ", "))") }
        let misplaced = listed.keys.filter { !Self.topLevel.contains($0) && Self.contractID(of: $0) == nil }.sorted()
        if !misplaced.isEmpty { problems.append("outside the layout: \(misplaced.joined(separator: ", "))") }
        for required in [ArchiveLayout.rootPath, ArchiveLayout.readmePath, ArchiveLayout.sumsPath] where listed[required] == nil {
            problems.append("\(required) is not listed")
        }
        if listed[ArchiveLayout.manifestPath] != nil { problems.append("the manifest lists itself") }
        guard problems.isEmpty else { return ArchiveCheck(name: "files-listed", passed: false, detail: problems.joined(separator: "; ")) }
        return ArchiveCheck(name: "files-listed", passed: true, detail: "every entry is listed and every listed file exists")
    }

    private func topLevelDigests(reader: ArchiveReader, listed: [String: [UInt8]]) -> ArchiveCheck {
        var problems: [String] = []
        for path in [ArchiveLayout.rootPath, ArchiveLayout.readmePath, ArchiveLayout.sumsPath] {
            guard let expected = listed[path], reader.files[path] != nil else { continue }
            do {
                if DigestAlgorithm.sha256.hash(try reader.read(path, limit: Self.maximumManifestSize)) != expected {
                    problems.append("\(path) does not match its manifest SHA-256 (changed)")
                }
            } catch {
                problems.append("\(error)")
            }
        }
        guard problems.isEmpty else { return ArchiveCheck(name: "digests", passed: false, detail: problems.joined(separator: "; ")) }
        return ArchiveCheck(name: "digests", passed: true, detail: "the top-level files match the manifest (contract files: per contract)")
    }

    /// `SHA256SUMS` lists exactly the manifest's files but itself, with the same digests.
    private func sums(reader: ArchiveReader, listed: [String: [UInt8]]) -> ArchiveCheck {
        guard let bytes = try? reader.read(ArchiveLayout.sumsPath, limit: Self.maximumManifestSize),
              let entries = SHA256Sums.parse(bytes) else {
            return ArchiveCheck(name: "sums", passed: false, detail: "\(ArchiveLayout.sumsPath) is missing or not in sha256sum format")
        }
        var problems: [String] = []
        var covered = Set<String>()
        for entry in entries {
            covered.insert(entry.path)
            if listed[entry.path]?.hexString != entry.sha256 { problems.append("\(entry.path) differs from the manifest") }
        }
        let missing = listed.keys.filter { $0 != ArchiveLayout.sumsPath && !covered.contains($0) }.sorted()
        if !missing.isEmpty { problems.append("does not list \(missing.joined(separator: ", "))") }
        guard problems.isEmpty else { return ArchiveCheck(name: "sums", passed: false, detail: problems.joined(separator: "; ")) }
        return ArchiveCheck(name: "sums", passed: true, detail: "\(entries.count) lines agree with the manifest")
    }

    /// One contract's folder: `listed` and `paths` are the manifest's and the ZIP's paths under it.
    private func readFolder(_ id: String, listed: [String: [UInt8]], paths: [String], reader: ArchiveReader) -> ContractFolder {
        let prefix = ArchiveLayout.contractFolder(id)
        var folder = ContractFolder(contractID: id)
        for (path, digest) in listed where path.hasPrefix(prefix) { folder.listed[String(path.dropFirst(prefix.count))] = digest }
        for path in paths where path.hasPrefix(prefix) && reader.files[path] != nil {
            let name = String(path.dropFirst(prefix.count))
            do {
                folder.files[name] = try reader.read(path)
            } catch {
                folder.unreadable[name] = "\(error)"
            }
        }
        return folder
    }
}
