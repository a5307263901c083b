import SignetPDF

extension RevisionReview {
    /// A form field this revision rewrites or adds: only signature fields may be added, and
    /// only an empty signature field may change, by being signed (`fillKeys`).
    mutating func judgeField(_ field: FormTree.Field, old: FormTree.Field?) {
        guard let ref = field.reference, isWritten(ref.number) else { return }
        guard let value = current(ref) else { return }
        let kind = Self.fieldKind(field.type)
        guard let old else {
            if signed.isSigned(ref.number), let before = original(ref), !sameAsSigned(before, value, at: ObjectPosition(ref.number, "")) {
                let context = signed.context(of: ref.number, fieldNames: fieldNames)
                emit(context.category == .pageContent ? .objectRedefined : context.category, allowed: false, object: ref.number,
                     "\(context.description) (\(ref)) was turned into the form field '\(field.label)' after signing")
                return
            }
            if field.isSignature {
                emit(.signatureField, allowed: true, object: ref.number, "a new signature field '\(field.label)' was added\(pageSuffix(field))")
                checkActions(field.dictionary, number: ref.number, label: field.label)
            } else {
                emit(.formField, allowed: false, object: ref.number, "a new \(kind) '\(field.label)' was added to the form after signing\(pageSuffix(field))")
            }
            return
        }
        let diff = recentChanges(old: old.dictionary, previous: previous(ref)?.dictionaryValue, new: field.dictionary, at: ObjectPosition(ref.number, ""))
        guard !diff.isEmpty else { return }
        let keys = diff.map(\.description).joined(separator: ", ")
        if old.isSignature && field.isSignature {
            if !old.isSigned && field.isSigned {
                let extra = diff.filter { !Self.fillKeys.contains($0) }
                if !extra.isEmpty {
                    emit(.signatureField, allowed: false, object: ref.number,
                         "when signature field '\(field.label)' was signed, its \(extra.map(\.description).joined(separator: ", ")) also changed")
                }
                if diff.contains(PDFName("AP")) { checkSharedAppearance(old: old.dictionary[PDFName("AP")], field: field, number: ref.number) }
            } else if old.isSigned {
                if diff.contains(PDFName("V")) {
                    emit(.signatureDictionaryReplaced, allowed: false, object: ref.number,
                         field.isSigned
                            ? "signature field '\(field.label)' now points to a different signature dictionary (\(Self.describe(field.dictionary[PDFName("V")])) instead of \(Self.describe(old.dictionary[PDFName("V")]))): what is shown is not what was signed"
                            : "the signature was removed from signature field '\(field.label)' after signing")
                }
                if diff.contains(PDFName("AP")) {
                    emit(.signatureWidget, allowed: false, object: ref.number, "the appearance of the signed signature field '\(field.label)' was replaced after signing")
                }
                let rest = diff.filter { $0 != PDFName("V") && $0 != PDFName("AP") }
                if !rest.isEmpty {
                    emit(.signatureField, allowed: false, object: ref.number,
                         "the signed signature field '\(field.label)' was changed after signing (\(rest.map(\.description).joined(separator: ", ")))")
                }
            } else {
                emit(.signatureField, allowed: false, object: ref.number, "the unsigned signature field '\(field.label)' was changed without being signed (\(keys))")
            }
            return
        }
        if old.type != field.type {
            emit(.formField, allowed: false, object: ref.number, "form field '\(field.label)' changed type after signing (\(Self.describe(old.type.map(PDFObject.name))) → \(Self.describe(field.type.map(PDFObject.name))))")
        } else if diff.contains(PDFName("V")) {
            emit(.formField, allowed: false, object: ref.number,
                 "\(kind) '\(field.label)' was filled in after signing: its value changed from \(Self.describe(old.dictionary[PDFName("V")])) to \(Self.describe(field.dictionary[PDFName("V")]))")
        } else if diff.contains(PDFName("AP")) {
            emit(.formField, allowed: false, object: ref.number, "what \(kind) '\(field.label)' shows (its appearance) was replaced after signing")
        } else {
            emit(.formField, allowed: false, object: ref.number, "\(kind) '\(field.label)' was changed after signing (\(keys))")
        }
    }

    /// A separate widget of a field.
    mutating func judgeWidget(_ widget: FormTree.Widget, of field: FormTree.Field, old: FormTree.Field?, filled: Bool) {
        guard let ref = widget.reference, isWritten(ref.number), let value = current(ref) else { return }
        let oldWidget = old?.widgets.first { $0.reference?.number == ref.number }
        guard let oldWidget else {
            if signed.isSigned(ref.number), let before = original(ref), !sameAsSigned(before, value, at: ObjectPosition(ref.number, "")) {
                let context = signed.context(of: ref.number, fieldNames: fieldNames)
                emit(.objectRedefined, allowed: false, object: ref.number,
                     "\(context.description) (\(ref)) was turned into a widget of form field '\(field.label)' after signing")
            } else if field.isSignature && (old == nil || filled) {
                checkActions(widget.dictionary, number: ref.number, label: field.label)
            } else {
                emit(field.isSignature ? .signatureWidget : .formField, allowed: false, object: ref.number,
                     "a widget was added to \(field.isSignature ? "the signature field" : "form field") '\(field.label)' after signing\(pageSuffix(field))")
            }
            return
        }
        let diff = recentChanges(old: oldWidget.dictionary, previous: previous(ref)?.dictionaryValue, new: widget.dictionary, at: ObjectPosition(ref.number, ""))
        guard !diff.isEmpty else { return }
        if filled {
            let extra = diff.filter { !Self.fillWidgetKeys.contains($0) }
            if !extra.isEmpty {
                emit(.signatureWidget, allowed: false, object: ref.number,
                     "when signature field '\(field.label)' was signed, its widget's \(extra.map(\.description).joined(separator: ", ")) also changed")
            }
            if diff.contains(PDFName("AP")) { checkSharedAppearance(old: oldWidget.dictionary[PDFName("AP")], field: field, number: ref.number) }
        } else if field.isSignature {
            emit(.signatureWidget, allowed: false, object: ref.number,
                 "the widget of signature field '\(field.label)' was changed after signing (\(diff.map(\.description).joined(separator: ", ")))")
        } else {
            emit(.formField, allowed: false, object: ref.number,
                 "the widget of \(Self.fieldKind(field.type)) '\(field.label)' was changed after signing (\(diff.map(\.description).joined(separator: ", ")))")
        }
    }

    /// A new signature field or widget must not carry actions: `/A` runs on a click, `/AA`
    /// on events such as opening the page, and JavaScript there can change what the
    /// document shows without changing a byte of it.
    mutating func checkActions(_ dictionary: PDFDictionary, number: Int, label: String) {
        for key in [PDFName("A"), PDFName("AA")] where dictionary[key] != nil {
            emit(.signatureWidget, allowed: false, object: number,
                 "the new signature field '\(label)' carries an action (\(key)), which could change what the document shows when it is opened or clicked")
        }
    }

    /// When a signature field is signed its appearance is replaced. If its old appearance
    /// dictionary was an object shared with other signed content, replacing it is refused
    /// (as pyHanko does): the signed document showed that object elsewhere too, and the
    /// update passes off a change to it as form filling.
    mutating func checkSharedAppearance(old: PDFObject?, field: FormTree.Field, number: Int) {
        guard case .reference(let ref)? = old, signed.isShared(ref.number) else { return }
        let elsewhere = signed.otherPosition(of: ref.number, besides: number).map { " (also used at \($0))" } ?? ""
        emit(.signatureWidget, allowed: false, object: number,
             "the appearance dictionary \(ref) of signature field '\(field.label)' was shared with other signed content\(elsewhere) and was replaced when the field was signed")
    }

    /// " on page N" for a field whose widget names its page.
    func pageSuffix(_ field: FormTree.Field) -> String {
        for widget in field.widgets {
            if let page = widget.dictionary[PDFName("P")]?.referenceValue, let index = pageNumber(of: page.number) { return " on page \(index + 1)" }
        }
        return ""
    }

    func pageNumber(of number: Int) -> Int? { currentPageIndex[number] ?? signed.pageIndex[number] }

    static func fieldKind(_ type: PDFName?) -> String {
        switch type?.string {
        case "Tx": return "text field"
        case "Btn": return "button field"
        case "Ch": return "choice field"
        case "Sig": return "signature field"
        default: return "form field"
        }
    }
}
