import FoundationEssentials
import SignetCrypto
import SignetPAdES
import SignetTemplates

/// One contract's folder as read from an archive: every file under `contracts/<id>/` (name
/// relative to the folder) with the digest the manifest gives it.
struct ContractFolder {
    let contractID: String
    /// Bytes of every file that could be read, by name relative to the folder.
    var files: [String: [UInt8]] = [:]
    /// The manifest's SHA-256 of every listed file, by relative name.
    var listed: [String: [UInt8]] = [:]
    /// Files that could not be read, with why.
    var unreadable: [String: String] = [:]

    func file(_ kind: ArchiveLayout.ContractFile) -> [UInt8]? { files[kind.rawValue] }

    /// `template/<name>` files, sorted by name bytes.
    var templateFiles: [TemplateDigest.File] {
        files.filter { $0.key.hasPrefix(ArchiveLayout.templateFolder) }
            .map { TemplateDigest.File(name: String($0.key.dropFirst(ArchiveLayout.templateFolder.count)), contents: Data($0.value)) }
            .sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }
}

/// The per-contract checks of `verify-archive` (docs/archives.md): `files`, `digests`,
/// `fields`, `signed-pdf`, `signed-prefix`, `audit-chain`, `re-render`, `evidence`.
struct ContractArchiveChecks {
    let validator: PDFSignatureValidator

    func run(_ folder: ContractFolder) -> ContractArchiveReport {
        let record = try? folder.file(.fields).map { try ArchiveJSON.decode(ArchivedContractRecord.self, from: $0) }
        let trail = try? folder.file(.auditTrail).map { try ArchiveJSON.decode(ArchivedAuditTrail.self, from: $0) }
        var checks = [files(folder), digests(folder), fields(folder), signedPDF(folder), signedPrefix(folder, trail: trail ?? nil),
                      auditChain(folder, record: record ?? nil), reRender(folder, record: record ?? nil)]
        checks.append(evidence(folder, record: record ?? nil, trail: trail ?? nil))
        return ContractArchiveReport(contractID: folder.contractID, number: (record ?? nil)?.number, checks: checks)
    }

    private func check(_ name: String, _ body: () throws -> String) -> ArchiveCheck {
        do {
            return ArchiveCheck(name: name, passed: true, detail: try body())
        } catch {
            return ArchiveCheck(name: name, passed: false, detail: "\(error)")
        }
    }

    private func require(_ kind: ArchiveLayout.ContractFile, in folder: ContractFolder) throws -> [UInt8] {
        guard let bytes = folder.file(kind) else { throw Problem("\(kind.rawValue) is missing or unreadable") }
        return bytes
    }

    func files(_ folder: ContractFolder) -> ArchiveCheck {
        check("files") {
            var problems: [String] = []
            let missing = ArchiveLayout.ContractFile.allCases.filter { folder.files[$0.rawValue] == nil && folder.unreadable[$0.rawValue] == nil }
            if !missing.isEmpty { problems.append("missing \(missing.map(\.rawValue).joined(separator: ", "))") }
            if folder.templateFiles.isEmpty { problems.append("no template files") }
            let known = Set(ArchiveLayout.ContractFile.allCases.map(\.rawValue))
            let names = Set(folder.files.keys).union(folder.unreadable.keys).union(folder.listed.keys)
            let unexpected = names.filter { name in
                !known.contains(name) && !(name.hasPrefix(ArchiveLayout.templateFolder) && !name.dropFirst(ArchiveLayout.templateFolder.count).contains("/"))
            }
            if !unexpected.isEmpty { problems.append("unexpected \(unexpected.sorted().joined(separator: ", "))") }
            for (name, reason) in folder.unreadable.sorted(by: { $0.key < $1.key }) { problems.append("\(name): \(reason)") }
            let removed = folder.listed.keys.filter { folder.files[$0] == nil && folder.unreadable[$0] == nil }
            if !removed.isEmpty { problems.append("listed in the manifest but absent: \(removed.sorted().joined(separator: ", "))") }
            guard problems.isEmpty else { throw Problem(problems.joined(separator: "; ")) }
            return "the six files and \(folder.templateFiles.count) template file(s)"
        }
    }

    func digests(_ folder: ContractFolder) -> ArchiveCheck {
        check("digests") {
            var problems: [String] = []
            for (name, bytes) in folder.files.sorted(by: { $0.key < $1.key }) {
                guard let listed = folder.listed[name] else {
                    problems.append("\(name) is not in the manifest (added)")
                    continue
                }
                if DigestAlgorithm.sha256.hash(bytes) != listed { problems.append("\(name) does not match its manifest SHA-256 (changed)") }
            }
            guard problems.isEmpty else { throw Problem(problems.joined(separator: "; ")) }
            return "\(folder.files.count) file(s) match the manifest"
        }
    }

    func fields(_ folder: ContractFolder) -> ArchiveCheck {
        check("fields") {
            let record = try ArchiveJSON.decode(ArchivedContractRecord.self, from: try require(.fields, in: folder))
            guard record.format == ArchivedContractRecord.currentFormat else { throw Problem("format \(record.format), expected \(ArchivedContractRecord.currentFormat)") }
            guard record.contractID == folder.contractID else { throw Problem("fields.json names contract \(record.contractID), the folder \(folder.contractID)") }
            let original = DigestAlgorithm.sha256.hash(try require(.original, in: folder)).hexString
            guard original == record.originalSHA256 else {
                throw Problem("original.pdf has SHA-256 \(original), fields.json records \(record.originalSHA256)")
            }
            if let signed = record.signedSHA256 {
                let actual = DigestAlgorithm.sha256.hash(try require(.signed, in: folder)).hexString
                guard actual == signed else { throw Problem("signed.pdf has SHA-256 \(actual), fields.json records \(signed)") }
            }
            return "contract \(record.number), original SHA-256 \(original)"
        }
    }

    func signedPDF(_ folder: ContractFolder) -> ArchiveCheck {
        check("signed-pdf") {
            let report = validator.validate(pdf: try require(.signed, in: folder), fileName: "signed.pdf")
            guard report.outcome == .passed else {
                throw Problem("\(report.outcome.rawValue): \(report.summary)")
            }
            return "\(report.signatures.count) signature(s) TOTAL_PASSED"
        }
    }

    /// `evidence`: evidence.pdf is, byte for byte, the report derived from this contract's
    /// fields.json, audit-trail.json and signed.pdf (`EvidenceReport.check`), sealed by a
    /// signature that passes with the given trust roots.
    func evidence(_ folder: ContractFolder, record: ArchivedContractRecord?, trail: ArchivedAuditTrail?) -> ArchiveCheck {
        check("evidence") {
            let evidence = try require(.evidence, in: folder)
            guard let record, let trail else { throw Problem("fields.json or audit-trail.json is missing or unreadable") }
            let problems = EvidenceReport.check(evidencePDF: evidence, contract: record, auditTrail: trail,
                                                signedPDF: try require(.signed, in: folder))
            guard problems.isEmpty else { throw Problem(problems.joined(separator: "; ")) }
            let report = validator.validate(pdf: evidence, fileName: "evidence.pdf")
            guard report.outcome == .passed else { throw Problem("the seal: \(report.outcome.rawValue): \(report.summary)") }
            return "evidence.pdf is the report of this contract, sealed (\(report.signatures.count) signature(s) TOTAL_PASSED)"
        }
    }

    func signedPrefix(_ folder: ContractFolder, trail: ArchivedAuditTrail?) -> ArchiveCheck {
        check("signed-prefix") {
            let signed = try require(.signed, in: folder)
            let original = try require(.original, in: folder)
            guard signed.starts(with: original) else { throw Problem("signed.pdf does not begin with original.pdf") }
            guard let trail else { throw Problem("audit-trail.json is missing or unreadable") }
            guard let completed = trail.events.first(where: { $0.type == "contract.completed" }),
                  let digest = completed.data["document_sha256"] else {
                throw Problem("the audit trail has no contract.completed event with document_sha256")
            }
            guard let end = RevisionPrefix.length(in: signed, sha256: digest) else {
                throw Problem("no revision of signed.pdf has the SHA-256 \(digest) the contract completed with")
            }
            return "signed.pdf begins with original.pdf and with the completed document (\(end) bytes)"
        }
    }

    func auditChain(_ folder: ContractFolder, record: ArchivedContractRecord?) -> ArchiveCheck {
        check("audit-chain") {
            let trail = try ArchiveJSON.decode(ArchivedAuditTrail.self, from: try require(.auditTrail, in: folder))
            guard trail.format == ArchivedAuditTrail.currentFormat else { throw Problem("format \(trail.format), expected \(ArchivedAuditTrail.currentFormat)") }
            guard trail.contractID == folder.contractID else { throw Problem("audit-trail.json names contract \(trail.contractID)") }
            if let chainBreak = trail.chainBreak { throw Problem(chainBreak.description) }
            guard let record else { throw Problem("fields.json is unreadable") }
            let recorded = record.auditHead
            let matches = recorded.count == 0 ? recorded.hash == AuditChain.genesisHash
                : recorded.count <= trail.events.count && trail.events[recorded.count - 1].hash == recorded.hash
            guard matches else {
                throw Problem("fields.json's audit head (\(recorded.count) events, \(recorded.hash.prefix(12))…) is not on this chain")
            }
            return "\(trail.events.count) events chained, head \(trail.head.hash.prefix(12))…"
        }
    }

    func reRender(_ folder: ContractFolder, record: ArchivedContractRecord?) -> ArchiveCheck {
        check("re-render") {
            guard let record else { throw Problem("fields.json is unreadable") }
            let files = folder.templateFiles
            let digest = TemplateDigest.digest(of: files)
            guard digest == record.template.digest else {
                throw Problem("the template files hash to \(digest), fields.json records \(record.template.digest)")
            }
            let template = try ContractTemplate.load(files: files, expectedDigest: record.template.digest)
            guard template.manifest.id == record.template.id, "\(template.manifest.version)" == record.template.version else {
                throw Problem("the template files are \(template.reference), fields.json names \(record.template.id)@\(record.template.version)")
            }
            let rendered = try ContractRenderer.render(template: template, fields: FieldValues(record.fill), metadata: record.metadata)
            guard rendered.sha256 == record.originalSHA256 else {
                throw Problem("rendering \(template.reference) with fields.json's fill gives SHA-256 \(rendered.sha256), the original is \(record.originalSHA256)")
            }
            return "\(template.reference) with the recorded fill renders to the original (\(rendered.sha256.prefix(12))…)"
        }
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
