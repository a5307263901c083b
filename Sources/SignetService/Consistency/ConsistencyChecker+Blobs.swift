import FoundationEssentials
import SignetArchive
import SignetPAdES

extension ConsistencyChecker {
    /// A contract's blobs: the original, the signed PDF (verified), the evidence report, and
    /// every PDF its audit trail names (present).
    func checkBlobs(_ contract: Contract, trail: [AuditEvent], _ run: inout ConsistencyRun) async throws {
        let verifySigned = contract.signed.map { !isVerified($0.sha256, run) } ?? false
        let original = try await readBlob(contract.original, what: "original", ownerID: contract.id, needBytes: verifySigned, &run)
        if let evidence = contract.evidence {
            _ = try await readBlob(evidence, what: "evidence report", ownerID: contract.id, needBytes: false, &run)
        }
        if let signed = contract.signed {
            let pdf = try await readBlob(signed, what: "signed PDF", ownerID: contract.id, needBytes: verifySigned, wholeIsVerified: false, &run)
            if !verifySigned {
                run.report.counts.signedPDFsCached += 1
            } else if let pdf, let original {
                try await verify(signed: pdf, original: original, of: contract, &run)
            }
        }
        var named: [String] = []
        for event in trail {
            for key in Self.auditBlobKeys {
                if let digest = event.data[key], !named.contains(digest) { named.append(digest) }
            }
        }
        for digest in named where !run.referenced.contains(digest) {
            run.referenced.insert(digest)
            if try await !storage.blobs.contains(digest) {
                run.violation(.blobMissing, contract.id, "its audit trail names blob \(digest), which is not in the blob store")
            }
        }
    }

    /// Whether `sha256` verified in this or an earlier run (only its presence is checked).
    func isVerified(_ sha256: String, _ run: ConsistencyRun) -> Bool {
        options.verifiedDigests.contains(sha256) || run.checked.contains(sha256)
    }

    /// Reads the blob a row names and checks its hash and size; returns its bytes (nil when
    /// missing or corrupt, reported). A blob verified already is only looked for: its bytes
    /// are read only when `needBytes`. A whole blob counts as verified unless it is a signed
    /// PDF (`wholeIsVerified` false: its signatures decide).
    func readBlob(_ document: StoredDocument, what: String, ownerID: String, needBytes: Bool, wholeIsVerified: Bool = true,
                  _ run: inout ConsistencyRun) async throws -> [UInt8]? {
        let sha256 = document.sha256
        let known = isVerified(sha256, run)
        run.referenced.insert(sha256)
        if known && !needBytes {
            if try await !storage.blobs.contains(sha256) {
                run.violation(.blobMissing, ownerID, "its \(what) \(sha256) is not in the blob store")
            }
            return nil
        }
        let bytes: [UInt8]
        do {
            bytes = try await storage.blobs.get(sha256)
        } catch StoreError.missing {
            run.violation(.blobMissing, ownerID, "its \(what) \(sha256) is not in the blob store")
            return nil
        } catch StoreError.corrupt {
            run.violation(.blobCorrupt, ownerID, "its \(what) \(sha256) no longer hashes to its digest")
            return nil
        }
        guard bytes.count == document.size else {
            run.violation(.blobCorrupt, ownerID, "its \(what) \(sha256) has \(bytes.count) bytes, the row records \(document.size)")
            return nil
        }
        if !known && wholeIsVerified {
            run.checked.insert(sha256)
            run.report.newlyVerified.append(sha256)
        }
        return bytes
    }

    /// A signed PDF: starts with the original, verifies against the trust anchors (with
    /// revocation data once the platform's B-LTA countersignature is in), and holds one
    /// approval signature per signer who signed.
    func verify(signed pdf: [UInt8], original: [UInt8], of contract: Contract, _ run: inout ConsistencyRun) async throws {
        guard let signed = contract.signed else { return }
        var whole = true
        if !pdf.starts(with: original) {
            whole = false
            run.violation(.signedPDFNotIncremental, contract.id, "the signed PDF \(signed.sha256) does not start with the original \(contract.original.sha256)")
        }
        var configured = ValidationOptions(trustAnchors: options.trustAnchors, validationTime: .current,
                                           requireRevocationData: contract.state == .completed, clock: options.clock)
        configured.certificateCache = certificates
        let validation = configured
        let fileName = "\(contract.number)-signed.pdf"
        let report = try await Offload.run { PDFSignatureValidator(options: validation).validate(pdf: pdf, fileName: fileName) }
        run.report.counts.signedPDFsVerified += 1
        if report.indication != .totalPassed {
            whole = false
            let sub = report.subIndication.map { "/\($0)" } ?? ""
            run.violation(.signedPDFInvalid, contract.id, "the signed PDF \(signed.sha256) is \(report.indication)\(sub): \(report.summary)")
        }
        let approvals = report.signatures.filter { $0.kind == .approval }.count
        let signers = contract.signers.filter { $0.state == .signed }.count
        if approvals != signers {
            whole = false
            run.violation(.signatureCount, contract.id, "the signed PDF holds \(approvals) signature(s); \(signers) signer(s) signed")
        }
        if whole {
            run.checked.insert(signed.sha256)
            run.report.newlyVerified.append(signed.sha256)
        }
    }
}
