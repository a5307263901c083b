import SignetPDF

extension RevisionReview {
    /// Validation data is only ever added (ETSI EN 319 142-1 §5.4; pyHanko's DSS rule):
    /// what the Document Security Store held before this revision must still be there.
    ///
    /// Against the previous revision's DSS: every item of `/Certs`, `/CRLs` and `/OCSPs`
    /// is still in its array; every `/VRI` entry is still present with the same value (the
    /// same object, or an identical direct dictionary); and no object of that evidence —
    /// the streams, the VRI dictionaries and what they refer to — is rewritten or deleted.
    /// The containers themselves (the DSS, `/VRI` and the arrays) may be rewritten to add
    /// entries. Returns one message per piece of evidence lost, each with its object.
    mutating func lostDSSEvidence(new newValue: PDFObject) -> [(object: Int?, message: String)] {
        let before = revision - 1
        guard let previousValue = previousCatalog?[PDFName("DSS")],
              case .dictionary(let old)? = try? document.resolve(previousValue, asOf: before)
        else { return [] }
        let new = resolveCurrent(newValue)?.dictionaryValue ?? PDFDictionary()
        var lost: [(object: Int?, message: String)] = []
        var evidence: [(reference: PDFReference, what: String)] = []

        for key in ["Certs", "CRLs", "OCSPs"].map({ PDFName($0) }) {
            let oldItems = (try? document.resolveArray(old[key], asOf: before)) ?? []
            let newItems = resolveCurrent(new[key])?.arrayValue ?? []
            for item in oldItems {
                if !newItems.contains(where: { toPrevious.equal(item, $0) }) {
                    lost.append((item.referenceValue?.number, "\(Self.describe(item)) was removed from /DSS \(key)"))
                } else if let ref = item.referenceValue {
                    evidence.append((ref, "\(ref) of /DSS \(key)"))
                }
            }
        }

        let vriKey = PDFName("VRI")
        let oldVRI = (try? document.resolveDictionary(old[vriKey], asOf: before)) ?? PDFDictionary()
        let newVRI = resolveCurrent(new[vriKey])?.dictionaryValue ?? PDFDictionary()
        for (key, value) in oldVRI.entries {
            guard newVRI.contains(key) else {
                lost.append((value.referenceValue?.number, "VRI entry \(key) was removed"))
                continue
            }
            let kept = newVRI.entries.first { $0.key == key }?.value ?? .null
            guard toPrevious.equal(value, kept) else {
                lost.append((kept.referenceValue?.number, "VRI entry \(key) was rewritten"))
                continue
            }
            value.forEachReference { ref, path in evidence.append((ref, "\(ref) of VRI entry \(key)\(path)")) }
        }

        // Below the kept items, nothing that was there may change (streams, VRI
        // dictionaries, their arrays and /TS streams).
        var seen = Set<Int>()
        var steps = 0
        while let (reference, what) = evidence.popLast(), steps < 100_000 {
            steps += 1
            guard seen.insert(reference.number).inserted else { continue }
            if isWritten(reference.number) {
                lost.append((reference.number, "\(what) was \(freed.contains(reference.number) ? "deleted" : "rewritten")"))
                continue
            }
            (try? document.object(reference, asOf: before))?.forEachReference { child, path in
                evidence.append((child, "\(child), inside \(what)\(path)"))
            }
        }
        return lost
    }
}
