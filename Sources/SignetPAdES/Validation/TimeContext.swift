import FoundationEssentials

/// The times a signature (or timestamp token) is judged against (ETSI EN 319 102-1 §5.6:
/// validation with proofs of existence).
struct TimeContext {
    /// The validation time.
    let validationTime: Date
    /// The earliest proven time of existence (a trusted timestamp), if earlier than the
    /// validation time.
    let proofOfExistence: (time: Date, source: String)?
    /// A proven time the object was made *after* (e.g. a trusted document timestamp in a
    /// revision the signature covers), used to prove EXPIRED or REVOKED.
    let createdAfter: (time: Date, source: String)?

    init(validationTime: Date, proofOfExistence: (time: Date, source: String)? = nil,
         createdAfter: (time: Date, source: String)? = nil) {
        self.validationTime = validationTime
        if let proof = proofOfExistence, proof.time < validationTime {
            self.proofOfExistence = proof
        } else {
            self.proofOfExistence = nil
        }
        self.createdAfter = createdAfter
    }

    /// The best-signature-time: the earliest time the object is known to have existed.
    var bestTime: Date { proofOfExistence?.time ?? validationTime }

    /// Where `bestTime` comes from, in words.
    var bestTimeSource: String { proofOfExistence?.source ?? "the validation time" }
}
