import SignetPDF

extension RevisionReview {
    /// The Document Security Store (ETSI EN 319 142-1 §5.4.2, ISO 32000-2 §12.8.4.3): a
    /// dictionary with `/Certs`, `/CRLs`, `/OCSPs` (arrays of streams) and `/VRI` (keyed by
    /// the upper-case hex SHA-1 of a signature's `/Contents`, each with `/Cert`, `/CRL`,
    /// `/OCSP`, `/TU`, `/TS`). Every object in it is claimed; it may be added or extended,
    /// never pruned or rewritten (`lostDSSEvidence`). Its structure is checked strictly,
    /// since nothing else may hide there.
    mutating func reviewDSS(_ catalog: (reference: PDFReference, dictionary: PDFDictionary)) {
        let key = PDFName("DSS")
        let new = catalog.dictionary[key]
        var written = catalogEntryChanged(key, catalog)
        guard let new else {
            // Written here means the previous revision had a DSS: its evidence is gone.
            if written {
                emit(.dss, allowed: false, object: catalog.reference.number,
                     "the Document Security Store (validation data) was removed from the document after signing")
            }
            return
        }
        var walker = DSSWalk()
        walk(dss: new, at: ObjectPosition(catalog.reference.number, "/DSS"), into: &walker)
        let lost = lostDSSEvidence(new: new)
        written = written || walker.written || !lost.isEmpty
        guard written else { return }
        for (object, message) in lost {
            emit(.dss, allowed: false, object: object ?? new.referenceValue?.number ?? catalog.reference.number,
                 "validation data already in the Document Security Store was removed or changed (it may only be added to): \(message)")
        }
        if walker.problems.isEmpty && lost.isEmpty {
            let previousRoot = document.revisions[revision - 1].trailer[.root]?.referenceValue
            let hadStore = previousRoot.flatMap { previous($0)?.dictionaryValue?[key] } != nil
            let verb = hadStore ? "updated" : "added"
            emit(.dss, allowed: true, object: new.referenceValue?.number ?? catalog.reference.number,
                 "validation data was \(verb) in the Document Security Store: \(walker.counts["Certs"] ?? 0) certificate(s), "
                    + "\(walker.counts["CRLs"] ?? 0) CRL(s), \(walker.counts["OCSPs"] ?? 0) OCSP response(s), \(walker.vriCount) VRI entr\(walker.vriCount == 1 ? "y" : "ies")")
        } else {
            for problem in walker.problems {
                emit(.dss, allowed: false, object: new.referenceValue?.number ?? catalog.reference.number,
                     "the Document Security Store holds something other than validation data: \(problem)")
            }
        }
    }

    struct DSSWalk {
        var written = false
        var problems: [String] = []
        var counts: [String: Int] = [:]
        var vriCount = 0
    }

    private mutating func walk(dss value: PDFObject, at position: ObjectPosition, into walker: inout DSSWalk) {
        claim(value, at: position, .dss)
        let holder = holderPosition(of: value, at: position, into: &walker)
        guard case .dictionary(let dss)? = resolveCurrent(value) else {
            walker.problems.append("/DSS is not a dictionary")
            return
        }
        for (key, entry) in dss.entries {
            switch key.string {
            case "Type":
                if entry.nameValue != PDFName("DSS") { walker.problems.append("/DSS /Type is \(Self.describe(entry))") }
            case "Certs", "CRLs", "OCSPs":
                walker.counts[key.string] = walkStreamArray(entry, at: holder.appending(key), label: "/DSS \(key)", into: &walker)
            case "VRI":
                walkVRI(entry, at: holder.appending(key), into: &walker)
            default:
                if !entry.isNull { walker.problems.append("unexpected entry \(key) in /DSS") }
            }
        }
    }

    private mutating func walkVRI(_ value: PDFObject, at position: ObjectPosition, into walker: inout DSSWalk) {
        claim(value, at: position, .dss)
        let holder = holderPosition(of: value, at: position, into: &walker)
        guard case .dictionary(let vri)? = resolveCurrent(value) else {
            walker.problems.append("/VRI is not a dictionary")
            return
        }
        for (key, entry) in vri.entries {
            let name = key.string
            guard name.utf8.count == 40, name.utf8.allSatisfy({ $0 < 0x80 && $0.isHexDigit }) else {
                walker.problems.append("VRI key \(key) is not a SHA-1 hash in hex")
                continue
            }
            walker.vriCount += 1
            let itemPosition = holder.appending(key)
            claim(entry, at: itemPosition, .dss)
            let itemHolder = holderPosition(of: entry, at: itemPosition, into: &walker)
            guard case .dictionary(let item)? = resolveCurrent(entry) else {
                walker.problems.append("VRI entry \(key) is not a dictionary")
                continue
            }
            for (field, fieldValue) in item.entries {
                switch field.string {
                case "Type":
                    if fieldValue.nameValue != PDFName("VRI") { walker.problems.append("VRI entry \(key) /Type is \(Self.describe(fieldValue))") }
                case "Cert", "CRL", "OCSP":
                    _ = walkStreamArray(fieldValue, at: itemHolder.appending(field), label: "VRI \(field)", into: &walker)
                case "TS":
                    claim(fieldValue, at: itemHolder.appending(field), .dss)
                    markWritten(fieldValue, into: &walker)
                    if case .stream? = resolveCurrent(fieldValue) {} else { walker.problems.append("VRI /TS is not a stream") }
                case "TU":
                    if resolveCurrent(fieldValue)?.stringValue == nil { walker.problems.append("VRI /TU is not a date string") }
                default:
                    if !fieldValue.isNull { walker.problems.append("unexpected entry \(field) in a VRI dictionary") }
                }
            }
        }
    }

    /// Claims an array of stream references; returns how many there are.
    private mutating func walkStreamArray(_ value: PDFObject, at position: ObjectPosition, label: String, into walker: inout DSSWalk) -> Int {
        claim(value, at: position, .dss)
        let holder = holderPosition(of: value, at: position, into: &walker)
        guard case .array(let items)? = resolveCurrent(value) else {
            walker.problems.append("\(label) is not an array")
            return 0
        }
        for item in items {
            guard case .reference = item else {
                walker.problems.append("\(label) holds a direct \(item.typeName) instead of a stream")
                continue
            }
            claim(item, at: holder.element, .dss)
            markWritten(item, into: &walker)
            guard case .stream(let stream)? = resolveCurrent(item) else {
                walker.problems.append("\(label) refers to \(item) which is not a stream")
                continue
            }
            if let ref = item.referenceValue {
                claimContent(.dictionary(stream.dictionary), holder: ObjectPosition(ref.number, ""), .dss)
            }
        }
        return items.count
    }

    /// Where references inside `value` sit: in the object itself if it is indirect,
    /// otherwise at `position`. Notes whether this revision wrote it.
    private mutating func holderPosition(of value: PDFObject, at position: ObjectPosition, into walker: inout DSSWalk) -> ObjectPosition {
        markWritten(value, into: &walker)
        if case .reference(let ref) = value { return ObjectPosition(ref.number, "") }
        return position
    }

    private mutating func markWritten(_ value: PDFObject, into walker: inout DSSWalk) {
        if case .reference(let ref) = value, isWritten(ref.number) { walker.written = true }
    }
}

extension UInt8 {
    var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
