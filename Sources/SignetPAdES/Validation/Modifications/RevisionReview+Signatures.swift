import SignetCrypto
import SignetPDF

extension RevisionReview {
    /// Claims a signature widget's appearance: `/AP`, its `/N`, `/R`, `/D` streams (or
    /// appearance-state dictionaries of streams), and whatever new objects they use.
    mutating func claimAppearance(of widget: FormTree.Widget) {
        let widgetHolder = widget.reference.map { ObjectPosition($0.number, "") } ?? widget.position
        let apPosition = widgetHolder.appending(PDFName("AP"))
        guard let apValue = widget.dictionary[PDFName("AP")] else { return }
        claim(apValue, at: apPosition, .appearance)
        guard case .dictionary(let ap)? = resolveCurrent(apValue) else { return }
        let apHolder = apValue.referenceValue.map { ObjectPosition($0.number, "") } ?? apPosition
        for key in [PDFName("N"), PDFName("R"), PDFName("D")] {
            guard let entry = ap[key] else { continue }
            let position = apHolder.appending(key)
            claim(entry, at: position, .appearance)
            switch resolveCurrent(entry) {
            case .stream(let stream)?:
                let holder = entry.referenceValue.map { ObjectPosition($0.number, "") } ?? position
                claimContent(.dictionary(stream.dictionary), holder: holder, .appearance)
            case .dictionary(let states)?:
                let statesHolder = entry.referenceValue.map { ObjectPosition($0.number, "") } ?? position
                for (state, streamValue) in states.entries {
                    claim(streamValue, at: statesHolder.appending(state), .appearance)
                    if case .stream(let stream)? = resolveCurrent(streamValue), let ref = streamValue.referenceValue {
                        claimContent(.dictionary(stream.dictionary), holder: ObjectPosition(ref.number, ""), .appearance)
                    }
                }
            default:
                break
            }
        }
    }

    /// New objects a signature tool hangs off the field it creates or signs (`/Lock`,
    /// `/SV`, `/MK`, widget dictionaries ...): for a new field everything it refers to,
    /// for a signed one what the keys it may set refer to. Objects of the signed document
    /// among them must still be accounted for where the signed document used them.
    mutating func claimSignatureFieldContent(_ field: FormTree.Field, old: FormTree.Field?) {
        let holder = field.reference.map { ObjectPosition($0.number, "") } ?? field.position
        var keys = field.dictionary.entries
        if old != nil { keys = keys.filter { Self.fillKeys.contains($0.key) && $0.key != PDFName("P") } }
        for (key, value) in keys where ![PDFName("V"), PDFName("AP"), PDFName("P"), .kids, .parent].contains(key) {
            claimContent(value, holder: holder.appending(key), .signatureContent)
        }
        for widget in field.widgets where !widget.merged {
            guard let ref = widget.reference else { continue }
            let widgetHolder = ObjectPosition(ref.number, "")
            for (key, value) in widget.dictionary.entries where ![PDFName("AP"), PDFName("P"), .parent].contains(key) && (old == nil || Self.fillWidgetKeys.contains(key)) {
                claimContent(value, holder: widgetHolder.appending(key), .signatureContent)
            }
        }
    }

    /// The `/V` of a signature field: a new signature dictionary (a further signature or a
    /// document timestamp) is allowed; a signed one must never change, and a copy of one
    /// (same `/Contents`) under different claims is a spoof.
    mutating func judgeSignatureValue(of field: FormTree.Field, old: FormTree.Field?) {
        guard let value = field.dictionary[PDFName("V")], !value.isNull else { return }
        let holder = field.reference.map { ObjectPosition($0.number, "") } ?? field.position
        claim(value, at: holder.appending(PDFName("V")), .signature)
        let valueWritten = value.referenceValue.map { isWritten($0.number) } ?? false
        let fieldWritten = field.reference.map { isWritten($0.number) } ?? false
        let valueChanged = !sameAsSigned(old?.dictionary[PDFName("V")], value, at: holder.appending(PDFName("V")))
        let previousValue = field.reference.flatMap { previous($0)?.dictionaryValue?[PDFName("V")] }
        guard valueWritten || (fieldWritten && valueChanged && !sameAsPrevious(previousValue, value, at: holder.appending(PDFName("V")))) else { return }
        let number = value.referenceValue?.number ?? field.reference?.number
        if let ref = value.referenceValue, signed.isSigned(ref.number) {
            if let name = signed.signatureDictionaries[ref.number] {
                guard let before = original(ref), let after = current(ref) else { return }
                let diff = differingKeys(before.dictionaryValue, after.dictionaryValue)
                if !sameAsSigned(before, after, at: ObjectPosition(ref.number, "")) {
                    let details = diff.prefix(4).map { key in
                        "\(key) \(Self.describe(before.dictionaryValue?[key])) → \(Self.describe(after.dictionaryValue?[key]))"
                    }.joined(separator: "; ")
                    emit(.signatureDictionaryReplaced, allowed: false, object: ref.number,
                         "the signature dictionary of field '\(name)' was rewritten after signing (\(details)): what is shown about the signature was not signed")
                }
            } else if !sameAsSigned(original(ref), current(ref), at: ObjectPosition(ref.number, "")) || valueChanged {
                let context = signed.context(of: ref.number, fieldNames: fieldNames)
                emit(.signatureDictionaryReplaced, allowed: false, object: ref.number,
                     "signature field '\(field.label)' now uses \(context.description) (\(ref)) as its signature dictionary")
            }
            return
        }
        guard case .dictionary(let dict)? = resolveCurrent(value) else {
            emit(.signatureField, allowed: false, object: number, "the value of signature field '\(field.label)' is not a signature dictionary")
            return
        }
        if let contents = dict[.contents]?.stringValue?.bytes, signed.signatureContents.contains(ByteKey(contents)) {
            emit(.signatureDictionaryReplaced, allowed: false, object: number,
                 "signature field '\(field.label)' holds a copy of a signature that was already in the document (same /Contents), with details that were never signed")
            return
        }
        if let ref = value.referenceValue { claimContent(.dictionary(dict), holder: ObjectPosition(ref.number, ""), .signatureContent) }
        let isTimestamp = dict.type == PDFName("DocTimeStamp") || dict[PDFName("SubFilter")]?.nameValue == PDFName("ETSI.RFC3161")
        if isTimestamp {
            emit(.documentTimestamp, allowed: true, object: number, "a document timestamp was added (field '\(field.label)')")
        } else if dict.type == nil || dict.type == PDFName("Sig") {
            let signer = dict[PDFName("Name")]?.stringValue.map { " by \($0.text)" } ?? ""
            emit(.signature, allowed: true, object: number, "a further signature\(signer) was added in field '\(field.label)'")
        } else {
            emit(.signatureField, allowed: false, object: number, "the value of signature field '\(field.label)' is a \(Self.describe(dict.type.map(PDFObject.name))) dictionary, not a signature")
        }
    }
}
