public import FoundationEssentials
import SignetArchive
import SignetCrypto
import SignetPAdES
import SignetPKI

extension SignetService {
    /// Long-term renewal (DESIGN.md, PAdES B-LTA): extends every `completed` contract whose
    /// newest timestamp's TSA certificate ends within `configuration.renewalWindow` with the
    /// engine's `LongTermRenewal.extend` (validation data for that timestamp, then a new
    /// document timestamp from the service's TSA), at most `limit` a round, soonest first.
    ///
    /// The stored signed PDF is replaced only by its own extension: the result must begin with
    /// the stored bytes, and the commit (with the audit event `contract.renewed`) happens only
    /// if the contract's signed PDF is still the one extended. A failed renewal writes nothing
    /// but a blob nobody points at; the next round tries again. A contract is not renewed when
    /// the TSA's certificate ends no later than its newest timestamp's (nothing to gain; it
    /// is reported in `blocked`). First, contracts completed before expiries were recorded get
    /// theirs read from their PDF (up to `limit` a round).
    ///
    /// Throws only when the store cannot be queried; each contract's outcome is in the round.
    public func renewDueContracts(limit: Int = 20) async throws -> RenewalRound {
        let renewal = longTermRenewal
        var round = RenewalRound()
        for contract in try await storage.contracts.contractsWithoutTimestampExpiry(limit: limit) {
            guard let signed = contract.signed else { continue }
            do {
                let newest = try renewal.newestTimestamp(of: try await storage.blobs.get(signed.sha256))
                guard let expiry = newest?.expiry else { throw ServiceError.internalFailure("its signed PDF holds no timestamp") }
                if try await storage.contracts.recordTimestampExpiry(contractID: contract.id, signedSHA256: signed.sha256, expiresAt: expiry) {
                    round.recorded += 1
                }
            } catch {
                metrics.recordFailure("renewal")
                round.failures.append(RenewalFailure(contractID: contract.id, number: contract.number, reason: "reading its newest timestamp: \(error)"))
            }
        }
        let horizon = now.addingTimeInterval(configuration.renewalWindow)
        let tsaEnd = (signingFlow.timestamps as? TimeStampAuthority)?.certificate.notAfter
        for contract in try await storage.contracts.contractsDueForRenewal(expiringBy: horizon, limit: limit) {
            if let tsaEnd, let expiry = contract.timestampExpiresAt, tsaEnd <= expiry {
                round.blocked.append(contract.id)
                continue
            }
            do {
                try await renew(contract, with: renewal)
                metrics.recordRenewal()
                round.renewed.append(contract.id)
            } catch {
                metrics.recordFailure("renewal")
                round.failures.append(RenewalFailure(contractID: contract.id, number: contract.number, reason: "\(error)"))
            }
        }
        return round
    }

    /// The engine's renewal as the service runs it: its TSA, its PKI's revocation data, files
    /// judged against its root at the service's clock.
    var longTermRenewal: LongTermRenewal {
        LongTermRenewal(timestampProvider: signingFlow.timestamps, revocationSource: signingFlow.revocationSource,
                        validation: ValidationOptions(trustAnchors: [keys.root], clock: clock))
    }

    /// When the newest timestamp of a just-completed contract's PDF expires; nil when it
    /// cannot be read now (the renewal round reads it later).
    func timestampExpiry(ofCompleted pdf: [UInt8]) -> Date? {
        (try? longTermRenewal.newestTimestamp(of: pdf))?.expiry
    }

    /// Extends `contract`'s signed PDF and commits it in place of the old one, guarded by the
    /// old one's digest.
    private func renew(_ contract: Contract, with renewal: LongTermRenewal) async throws {
        guard let before = contract.signed else { throw ServiceError.internalFailure("completed contract \(contract.number) has no signed PDF") }
        let pdf = try await storage.blobs.get(before.sha256)
        let extended = try await metrics.time("renew") { try await renewal.extend(pdf) }
        guard extended.pdf.count > pdf.count, extended.pdf.starts(with: pdf) else {
            throw ServiceError.internalFailure("the extension of \(contract.number) does not begin with its stored PDF; nothing was written")
        }
        guard let added = extended.added else { throw ServiceError.internalFailure("the extension of \(contract.number) has no new timestamp") }
        var document = try await storage.blobs.put(extended.pdf)
        document.pageCount = before.pageCount
        _ = try await change(contract.id, action: "renewed") { current, now, events in
            guard current.state == .completed, current.signed?.sha256 == before.sha256 else {
                throw ServiceError.invalidState(state: current.state, action: "renewed: its signed PDF changed while it was extended")
            }
            current.signed = document
            current.timestampExpiresAt = added.expiry
            events.append(AuditEventDraft(type: "contract.renewed", actor: RequestOrigin.system.actor, occurredAt: now, data: [
                "document_sha256_before": before.sha256, "document_sha256_after": document.sha256,
                "timestamp_time": added.time.map { TimeText.iso8601($0, milliseconds: true) } ?? "",
                "tsa_certificate_not_after": TimeText.iso8601(added.expiry),
            ], origin: .system))
            return [:]
        }
    }
}
