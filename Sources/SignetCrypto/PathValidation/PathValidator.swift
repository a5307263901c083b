import FoundationEssentials
import COpenSSL

/// Builds certification paths from a leaf through supplied intermediates to one of the
/// supplied trust anchors, and validates them (RFC 5280 §6, on OpenSSL's primitives):
/// signatures, validity at the chosen time, basicConstraints and pathLenConstraint,
/// keyUsage keyCertSign for issuers, the leaf's key usage and extended key usage,
/// name constraints, certificate policy constraints, unknown critical extensions.
///
/// Nothing is trusted implicitly: no system store, only `anchors`. Paths are built by
/// depth-first search preferring anchors, so several candidate paths (cross
/// certificates, re-issued CAs) are tried; when none validates, the error of the first
/// complete path is thrown, or — when no path reaches an anchor — why building stopped.
public struct PathValidator: Sendable {
    /// The certificates trusted explicitly; nothing else is.
    public let anchors: [TrustAnchor]
    /// Untrusted building material, parsed as path building reaches it.
    public let pool: CertificatePool
    /// Upper bound on complete candidate paths tried (against hostile certificate sets).
    public var maximumCandidatePaths = 32
    /// Upper bound on issuer candidates examined while building (each costs a signature check).
    public var maximumBuildingSteps = 1024

    /// A validator trusting exactly `anchors`, with `intermediates` as untrusted
    /// building material (e.g. the certificates embedded in a CMS or a PDF's DSS).
    public init(anchors: [Certificate], intermediates: [Certificate] = []) {
        self.init(anchors: anchors, pool: CertificatePool(intermediates))
    }

    /// A validator trusting exactly `anchors`, with the certificates of `pool` as untrusted
    /// building material (parsed only when a path reaches their subject name).
    public init(anchors: [Certificate], pool: CertificatePool) {
        self.anchors = anchors.map(TrustAnchor.init)
        self.pool = pool
    }

    /// Builds and validates a path for `leaf` under `policy`.
    public func validate(_ leaf: Certificate, policy: PathValidationPolicy) throws -> CertificatePath {
        guard !anchors.isEmpty else { throw PathValidationError.noTrustAnchors }
        var search = Search(validator: self, limit: max(1, policy.maximumPathLength))
        search.extend([leaf])
        guard !search.complete.isEmpty else { throw search.diagnosis(leaf: leaf) }
        var firstError: (any Error)?
        for path in search.complete {
            do {
                try check(path, policy: policy)
                return path
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        throw firstError ?? PathValidationError.noChainFound(certificate: leaf, reason: "has no valid path")
    }

    // MARK: - Building

    private struct Search {
        let validator: PathValidator
        let limit: Int
        var complete: [CertificatePath] = []
        /// The longest partial path seen, for diagnosis.
        var longest: [Certificate] = []
        /// (certificate, issuer candidate) pairs whose signature did not verify.
        var badSignatures: [(Certificate, Certificate)] = []
        /// Issuer candidates by name whose key identifier differs from the child's AKI.
        var otherKeyCandidates: [Certificate] = []
        /// Issuer candidates examined so far.
        var steps = 0
        var exhausted: Bool { steps >= validator.maximumBuildingSteps || complete.count >= validator.maximumCandidatePaths }

        mutating func extend(_ partial: [Certificate]) {
            guard !exhausted else { return }
            if partial.count > longest.count { longest = partial }
            let current = partial[partial.count - 1]
            // The current certificate is itself an anchor (same name and key): done.
            if let anchor = validator.anchors.first(where: { $0.matches(current) }) {
                let path = partial.count == 1 ? partial : Array(partial.dropLast()) + [anchor.certificate]
                complete.append(CertificatePath(certificates: path, anchor: anchor))
                return
            }
            guard partial.count < limit else { return }
            for anchor in validator.anchors where current.issuer.matches(anchor.subject) {
                steps += 1
                if anchor.isIssuer(of: current) {
                    complete.append(CertificatePath(certificates: partial + [anchor.certificate], anchor: anchor))
                } else {
                    badSignatures.append((current, anchor.certificate))
                }
            }
            if current.isSelfIssued && current.isSelfSigned { return }
            for candidate in validator.pool.certificates(withSubject: current.issuer) {
                guard !exhausted else { return }
                guard !partial.contains(candidate), !validator.anchors.contains(where: { $0.matches(candidate) }) else { continue }
                steps += 1
                if let aki = current.authorityKeyIdentifier, let ski = candidate.subjectKeyIdentifier, aki != ski {
                    otherKeyCandidates.append(candidate)
                    continue
                }
                guard current.isSignatureValid(issuerKey: try? candidate.publicKey) else {
                    badSignatures.append((current, candidate))
                    continue
                }
                extend(partial + [candidate])
            }
        }

        func diagnosis(leaf: Certificate) -> PathValidationError {
            if let (certificate, issuer) = badSignatures.first { return .badSignature(certificate: certificate, issuer: issuer) }
            let last = longest.last ?? leaf
            if last.isSelfIssued && last.isSelfSigned { return .untrustedRoot(last) }
            if steps >= validator.maximumBuildingSteps {
                return .noChainFound(certificate: last, reason: "could not be chained within \(validator.maximumBuildingSteps) issuer candidates")
            }
            if longest.count >= limit {
                return .noChainFound(certificate: last, reason: "is \(limit) certificates away from the leaf, the longest path considered")
            }
            if otherKeyCandidates.contains(where: { last.issuer.matches($0.subject) }) {
                return .noChainFound(certificate: last,
                                     reason: "was issued by \"\(last.issuer.displayString)\"; a certificate of that name was supplied, but for another key (key identifiers differ)")
            }
            return .noChainFound(certificate: last,
                                 reason: "was issued by \"\(last.issuer.displayString)\", which is neither a trust anchor nor among the \(validator.pool.count) other certificate(s) supplied")
        }
    }

    // MARK: - Checking

    private func check(_ path: CertificatePath, policy: PathValidationPolicy) throws {
        let certs = path.certificates
        let anchorIndex = certs.count - 1

        // Validity periods.
        for (depth, cert) in certs.enumerated() {
            let isAnchor = depth == anchorIndex && depth > 0
            if isAnchor && !policy.checkAnchorValidity { continue }
            let time: Date?
            switch policy.time {
            case .at(let date): time = date
            case .notChecked: time = nil
            case .perCertificate(let choose): time = choose(cert, depth)
            }
            if let time, let error = validityError(cert, at: time) { throw error }
        }

        // Unknown critical extensions (the anchor is trusted input unless it is the leaf).
        for (depth, cert) in certs.enumerated() where depth < anchorIndex || depth == 0 {
            let unknown = cert.unhandledCriticalExtensions
            if !unknown.isEmpty { throw PathValidationError.unhandledCriticalExtension(certificate: cert, oids: unknown) }
        }

        // Issuers: CA, keyCertSign, pathLenConstraint. The anchor when it issues is
        // checked too (RFC 5937): OpenSSL's X509_check_ca also accepts v1 self-signed roots.
        if certs.count > 1 {
            for depth in 1...anchorIndex {
                let ca = certs[depth]
                if depth < anchorIndex {
                    guard ca.isCA else { throw PathValidationError.notACertificateAuthority(ca) }
                } else {
                    guard X509_check_ca(ca.pointer) != 0 else { throw PathValidationError.notACertificateAuthority(ca) }
                }
                if let usage = ca.keyUsage, !usage.contains(.keyCertSign) {
                    throw PathValidationError.issuerKeyUsageMissing(ca)
                }
                if let constraint = ca.pathLengthConstraint {
                    // Non-self-issued intermediates strictly between this CA and the leaf.
                    let below = certs[1..<depth].filter { !$0.isSelfIssued }.count
                    if below > constraint {
                        throw PathValidationError.pathLengthExceeded(certificate: ca, constraint: constraint, intermediatesBelow: below)
                    }
                }
            }
        }

        try checkLeaf(path.leaf, policy: policy)
        try checkNameConstraints(certs)
        try checkPolicies(certs)
    }

    private func checkLeaf(_ leaf: Certificate, policy: PathValidationPolicy) throws {
        if let usage = leaf.keyUsage {
            let allowed: Bool
            switch policy.leafKeyUsage {
            case .none: allowed = true
            case .anyOf(let wanted): allowed = !usage.intersection(wanted).isEmpty
            case .allOf(let wanted): allowed = usage.isSuperset(of: wanted)
            }
            if !allowed { throw PathValidationError.keyUsageNotAllowed(certificate: leaf, required: policy.leafKeyUsage, actual: usage) }
        }
        guard let required = policy.leafExtendedKeyUsage else { return }
        let purposes = leaf.extendedKeyUsage
        func refuse(_ reason: String) -> PathValidationError {
            .extendedKeyUsageNotAllowed(certificate: leaf, required: required, actual: purposes, reason: reason)
        }
        guard purposes.contains(required.oid) else {
            throw refuse(purposes.isEmpty ? "the certificate has no extended key usage" : "the required purpose is not listed")
        }
        if required.mustBeOnlyPurpose && purposes.count != 1 { throw refuse("it must be the only purpose listed") }
        if required.mustBeCritical && leaf.isExtensionCritical(CertificateExtensionOID.extendedKeyUsage) != true {
            throw refuse("the extension must be critical")
        }
    }

    private func checkNameConstraints(_ certs: [Certificate]) throws {
        guard certs.count > 1 else { return }
        for caIndex in 1..<certs.count {
            let ca = certs[caIndex]
            for index in 0..<caIndex where index == 0 || !certs[index].isSelfIssued {
                let result = signet_pki_check_name_constraints(certs[index].pointer, ca.pointer)
                OpenSSLError.clearQueue()
                if result != X509_V_OK {
                    let reason = String(cString: X509_verify_cert_error_string(Int(result)))
                    throw PathValidationError.nameConstraintsViolated(certificate: certs[index], constrainedBy: ca, reason: reason)
                }
            }
        }
    }

    private func checkPolicies(_ certs: [Certificate]) throws {
        guard certs.count > 1 else { return }
        guard let stack = signet_sk_X509_new_null() else { throw OpenSSLError.drain("sk_X509_new_null") }
        defer { signet_sk_X509_free(stack) }
        for cert in certs where signet_sk_X509_push(stack, cert.pointer) <= 0 { throw OpenSSLError.drain("sk_X509_push") }
        let result = signet_pki_policy_check(stack)
        OpenSSLError.clearQueue()
        switch result {
        case 1: return
        case 0: throw PathValidationError.policyConstraintsViolated(reason: "an explicit policy is required but no policy is valid for the whole chain")
        case -1: throw PathValidationError.policyConstraintsViolated(reason: "a certificate has invalid or inconsistent policy extensions")
        default: throw OpenSSLError(operation: "X509_policy_check", details: [])
        }
    }
}
