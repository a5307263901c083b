import SignetPDF

extension RevisionReview {
    /// Keys a signature tool sets on an empty signature field (and its merged widget) when
    /// it signs it: the value, the appearance, and harmless widget bookkeeping.
    static let fillKeys: Set<PDFName> = [
        PDFName("V"), PDFName("AP"), PDFName("AS"), PDFName("F"), PDFName("DA"), PDFName("MK"), .type, PDFName("P"),
    ]
    /// Keys a signature tool may set on a separate widget of the field it signs.
    static let fillWidgetKeys: Set<PDFName> = [PDFName("AP"), PDFName("AS"), PDFName("F"), PDFName("DA"), PDFName("MK"), .type, PDFName("P")]

    /// The AcroForm, every form field, widget and signature dictionary.
    mutating func reviewForm(_ catalog: (reference: PDFReference, dictionary: PDFDictionary)) {
        let key = PDFName("AcroForm")
        let newValue = catalog.dictionary[key], oldValue = signed.catalog?[key]
        let formPosition = ObjectPosition(catalog.reference.number, "/AcroForm")
        claim(newValue, at: formPosition, .acroForm)
        let formWritten = catalogEntryChanged(key, catalog) || (newValue?.referenceValue.map { isWritten($0.number) } ?? false)
        if formWritten { judgeAcroForm(old: oldValue, new: newValue, position: formPosition, catalog: catalog) }

        let form: FormTree
        do {
            form = try FormTree.read(view: view, acroForm: newValue, formPosition: formPosition, limit: 100_000)
        } catch {
            emit(.unreadableRevision, allowed: false, object: newValue?.referenceValue?.number,
                 "the form fields of this revision cannot be read (\(error)); they cannot be checked")
            return
        }
        for problem in form.problems { emit(.formField, allowed: false, object: nil, "the form is malformed: \(problem)") }
        for field in form.fields {
            if let ref = field.reference {
                fieldNames[ref.number] = field.label
                formObjects.insert(ref.number)
            }
            for widget in field.widgets { if let ref = widget.reference { formObjects.insert(ref.number) } }
        }

        // The /Fields array.
        if let position = form.fieldsPosition {
            claim(form.fieldsValue, at: position, .fieldList)
            let fieldsWritten = (form.fieldsValue?.referenceValue.map { isWritten($0.number) } ?? false)
                || (formWritten && !ObjectEquivalence.equal(previousFormValue(newValue)?[PDFName("Fields")], form.fieldsValue))
            if fieldsWritten {
                let oldFields = signed.form.fields.filter { signed.form.fieldsPosition != nil && isTopLevel($0, in: signed.form) }
                compareFieldList(old: oldFields.compactMap(\.reference), new: form.fieldsValue, holder: "the form")
                noteAddedFields(form, formValue: newValue)
            }
        }

        let oldFields = signed.form.byNumber
        for field in form.fields {
            let old = field.reference.flatMap { oldFields[$0.number] }
            claim(field.reference.map(PDFObject.reference), at: field.position, .field)
            if let ref = field.reference, let kids = field.kidsReference {
                claim(.reference(kids), at: ObjectPosition(ref.number, "/Kids"), .fieldList)
            }
            if let ref = field.reference, old != nil, isWritten(ref.number) || (field.kidsReference.map { isWritten($0.number) } ?? false) {
                let oldKids = resolveOriginal(old?.dictionary[.kids])?.arrayValue?.compactMap(\.referenceValue) ?? []
                compareFieldList(old: oldKids, new: field.dictionary[.kids], holder: "form field '\(field.label)'")
            }
            let isNew = old == nil
            let isFilled = old.map { $0.isSignature && !$0.isSigned } ?? false && field.isSignature && field.isSigned
            judgeField(field, old: old)
            for widget in field.widgets where !widget.merged {
                claim(widget.reference.map(PDFObject.reference), at: widget.position, .widget)
                judgeWidget(widget, of: field, old: old, filled: isFilled)
            }
            if field.isSignature && (isNew || isFilled) {
                claimSignatureFieldContent(field, old: old)
                for widget in field.widgets {
                    if let ref = widget.reference { signatureWidgets[ref.number] = field.label }
                    claimAppearance(of: widget)
                }
                if field.isSignature { judgeSignatureValue(of: field, old: old) }
            } else if field.isSignature {
                judgeSignatureValue(of: field, old: old)
            }
        }
    }

    /// The AcroForm dictionary as of the previous revision (when `value` is indirect and
    /// existed then, or direct in the previous catalog).
    private func previousFormValue(_ value: PDFObject?) -> PDFDictionary? {
        if let ref = value?.referenceValue { return previous(ref)?.dictionaryValue }
        guard let root = document.revisions[revision - 1].trailer[.root]?.referenceValue else { return nil }
        return (try? document.resolve(previous(root)?.dictionaryValue?[PDFName("AcroForm")] ?? .null, asOf: revision - 1))?.dictionaryValue
    }

    /// An allowed finding for signature fields this revision adds to `/Fields` (other
    /// new fields are reported by their own judgement).
    private mutating func noteAddedFields(_ form: FormTree, formValue: PDFObject?) {
        let before: PDFObject? = {
            if case .reference(let ref)? = form.fieldsValue { return previous(ref) }
            return previousFormValue(formValue)?[PDFName("Fields")]
        }()
        let previousEntries = Set(((try? document.resolve(before ?? .null, asOf: revision - 1))?.arrayValue ?? []).compactMap { $0.referenceValue?.number })
        let added = form.fields.filter { field in
            guard let number = field.reference?.number, isTopLevel(field, in: form) else { return false }
            return field.isSignature && !previousEntries.contains(number)
        }
        guard !added.isEmpty else { return }
        let object = form.fieldsValue?.referenceValue?.number ?? formValue?.referenceValue?.number
        emit(.acroForm, allowed: true, object: object,
             "the form's field list (/Fields) gained the signature field(s) \(added.map { "'\($0.label)'" }.joined(separator: ", "))")
    }

    private func isTopLevel(_ field: FormTree.Field, in tree: FormTree) -> Bool {
        guard let position = tree.fieldsPosition else { return false }
        if case .reference(let ref)? = tree.fieldsValue { return field.position == ObjectPosition(ref.number, "[]") }
        return field.position == position.element
    }

    /// The `/AcroForm` dictionary: `/Fields` (judged with the fields), `/SigFlags`, new
    /// default resources and a new `/DA` are allowed; anything else (e.g. `/NeedAppearances`,
    /// which makes viewers redraw every field, or `/XFA`) is not. Creating the AcroForm is
    /// allowed: a signature field needs one, and a new form can only hold what is checked here.
    private mutating func judgeAcroForm(old oldValue: PDFObject?, new newValue: PDFObject?, position: ObjectPosition,
                                        catalog: (reference: PDFReference, dictionary: PDFDictionary)) {
        let number = newValue?.referenceValue?.number ?? catalog.reference.number
        guard let newValue else {
            emit(.acroForm, allowed: false, object: catalog.reference.number, "the interactive form (with its fields) was removed after signing")
            return
        }
        if let ref = newValue.referenceValue, ref != oldValue?.referenceValue, signed.isSigned(ref.number),
           !ObjectEquivalence.equal(original(ref), current(ref)) {
            let context = signed.context(of: ref.number, fieldNames: fieldNames)
            emit(context.category == .objectRedefined ? .objectRedefined : context.category, allowed: false, object: ref.number,
                 "\(context.description) (\(ref)) was reused as the form dictionary after signing")
            return
        }
        guard case .dictionary(let new)? = resolveCurrent(newValue) else {
            emit(.acroForm, allowed: false, object: number, "the interactive form (/AcroForm) is not a dictionary")
            return
        }
        let old = resolveOriginal(oldValue)?.dictionaryValue
        if old == nil { emit(.acroForm, allowed: true, object: number, "an interactive form (/AcroForm) was created to hold the signature field(s)") }
        let holder = newValue.referenceValue.map { ObjectPosition($0.number, "") } ?? position
        for key in Self.recentDiff(old: old, previous: previousFormValue(newValue), new: new) {
            switch key.string {
            case "Fields":
                break
            case "SigFlags":
                if let flags = new[key]?.integerValue {
                    emit(.acroForm, allowed: true, object: number, "the form's signature flags (/SigFlags) were set to \(flags)")
                } else {
                    emit(.acroForm, allowed: false, object: number, "the form's /SigFlags is \(Self.describe(new[key])), not a number")
                }
            case "DA" where old?[key] == nil:
                emit(.acroForm, allowed: true, object: number, "a default appearance (/DA) was added to the form")
            case "DR":
                judgeDefaultResources(old: old?[key], new: new[key], position: holder.appending(key), number: number)
            case "NeedAppearances" where new[key]?.booleanValue != true:
                emit(.acroForm, allowed: true, object: number, "the form's /NeedAppearances flag was cleared")
            case "NeedAppearances":
                emit(.acroForm, allowed: false, object: number,
                     "the form now asks viewers to redraw all fields (/NeedAppearances), which can change what signed fields show")
            case "XFA":
                emit(.acroForm, allowed: false, object: number, "an XFA form (/XFA), which viewers may show instead of the signed pages, was \(old?[key] == nil ? "added" : "changed") after signing")
            default:
                emit(.acroForm, allowed: false, object: number, "the form's \(key) was \(old?[key] == nil ? "added" : (new[key] == nil ? "removed" : "changed")) after signing")
            }
        }
    }

    /// `/DR`: new resource names may be added (fonts for a new signature's appearance);
    /// existing ones must stay as they were.
    private mutating func judgeDefaultResources(old oldValue: PDFObject?, new newValue: PDFObject?, position: ObjectPosition, number: Int) {
        claim(newValue, at: position, .formResources)
        let old = resolveOriginal(oldValue)?.dictionaryValue ?? PDFDictionary()
        guard let new = resolveCurrent(newValue)?.dictionaryValue else {
            if newValue != nil || !old.isEmpty {
                emit(.acroForm, allowed: false, object: number, "the form's default resources (/DR) were removed or are not a dictionary")
            }
            return
        }
        let holder = newValue?.referenceValue.map { ObjectPosition($0.number, "") } ?? position
        var added: [String] = []
        for (category, value) in new.entries {
            let oldCategory = resolveOriginal(old[category])?.dictionaryValue ?? PDFDictionary()
            guard let newCategory = resolveCurrent(value)?.dictionaryValue else {
                emit(.acroForm, allowed: false, object: number, "the form's default resources \(category) are not a dictionary")
                continue
            }
            let categoryHolder = value.referenceValue.map { ObjectPosition($0.number, "") } ?? holder.appending(category)
            claim(value, at: holder.appending(category), .formResources)
            for (name, resource) in newCategory.entries {
                if let before = oldCategory[name] {
                    if !ObjectEquivalence.equal(before, resource) {
                        emit(.acroForm, allowed: false, object: number,
                             "the form's default resource \(category) \(name) was changed after signing (fields may be redrawn with it)")
                    }
                } else {
                    added.append("\(category)\(name)")
                    claimContent(resource, holder: categoryHolder.appending(name), .formResources)
                }
            }
            for (name, _) in oldCategory.entries where newCategory[name] == nil {
                emit(.acroForm, allowed: false, object: number, "the form's default resource \(category) \(name) was removed after signing")
            }
        }
        for (category, _) in old.entries where new[category] == nil {
            emit(.acroForm, allowed: false, object: number, "the form's default resources \(category) were removed after signing")
        }
        if !added.isEmpty {
            emit(.acroForm, allowed: true, object: number, "default resources were added to the form (\(added.joined(separator: ", ")))")
        }
    }

    /// A list of fields (`/Fields` or a field's `/Kids`): signed entries must all remain.
    private mutating func compareFieldList(old: [PDFReference], new value: PDFObject?, holder: String) {
        let new = Set((resolveCurrent(value)?.arrayValue ?? []).compactMap { $0.referenceValue?.number })
        for ref in old where !new.contains(ref.number) {
            let name = signed.form.byNumber[ref.number]?.label ?? fieldNames[ref.number]
            emit(.formField, allowed: false, object: ref.number,
                 name.map { "form field '\($0)' was removed from \(holder) after signing" } ?? "an entry (\(ref)) was removed from the fields of \(holder) after signing")
        }
    }

    private mutating func judgeField(_ field: FormTree.Field, old: FormTree.Field?) {
        guard let ref = field.reference, isWritten(ref.number) else { return }
        guard let value = current(ref) else { return }
        let kind = Self.fieldKind(field.type)
        guard let old else {
            if signed.isSigned(ref.number), let before = original(ref), !ObjectEquivalence.equal(before, value) {
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
        let diff = Self.recentDiff(old: old.dictionary, previous: previous(ref)?.dictionaryValue, new: field.dictionary)
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
    private mutating func judgeWidget(_ widget: FormTree.Widget, of field: FormTree.Field, old: FormTree.Field?, filled: Bool) {
        guard let ref = widget.reference, isWritten(ref.number), let value = current(ref) else { return }
        let oldWidget = old?.widgets.first { $0.reference?.number == ref.number }
        guard let oldWidget else {
            if signed.isSigned(ref.number), let before = original(ref), !ObjectEquivalence.equal(before, value) {
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
        let diff = Self.recentDiff(old: oldWidget.dictionary, previous: previous(ref)?.dictionaryValue, new: widget.dictionary)
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
    private mutating func checkActions(_ dictionary: PDFDictionary, number: Int, label: String) {
        for key in [PDFName("A"), PDFName("AA")] where dictionary[key] != nil {
            emit(.signatureWidget, allowed: false, object: number,
                 "the new signature field '\(label)' carries an action (\(key)), which could change what the document shows when it is opened or clicked")
        }
    }

    /// When a signature field is signed its appearance is replaced. If its old appearance
    /// dictionary was an object shared with other signed content, replacing it is refused
    /// (as pyHanko does): the signed document showed that object elsewhere too, and the
    /// update passes off a change to it as form filling.
    private mutating func checkSharedAppearance(old: PDFObject?, field: FormTree.Field, number: Int) {
        guard case .reference(let ref)? = old, signed.isShared(ref.number) else { return }
        let elsewhere = signed.otherPosition(of: ref.number, besides: number).map { " (also used at \($0))" } ?? ""
        emit(.signatureWidget, allowed: false, object: number,
             "the appearance dictionary \(ref) of signature field '\(field.label)' was shared with other signed content\(elsewhere) and was replaced when the field was signed")
    }

    /// Claims a signature widget's appearance: `/AP`, its `/N`, `/R`, `/D` streams (or
    /// appearance-state dictionaries of streams), and whatever new objects they use.
    private mutating func claimAppearance(of widget: FormTree.Widget) {
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
    private mutating func claimSignatureFieldContent(_ field: FormTree.Field, old: FormTree.Field?) {
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
    private mutating func judgeSignatureValue(of field: FormTree.Field, old: FormTree.Field?) {
        guard let value = field.dictionary[PDFName("V")], !value.isNull else { return }
        let holder = field.reference.map { ObjectPosition($0.number, "") } ?? field.position
        claim(value, at: holder.appending(PDFName("V")), .signature)
        let valueWritten = value.referenceValue.map { isWritten($0.number) } ?? false
        let fieldWritten = field.reference.map { isWritten($0.number) } ?? false
        let valueChanged = !ObjectEquivalence.equal(old?.dictionary[PDFName("V")], value)
        let previousValue = field.reference.flatMap { previous($0)?.dictionaryValue?[PDFName("V")] }
        guard valueWritten || (fieldWritten && valueChanged && !ObjectEquivalence.equal(previousValue, value)) else { return }
        let number = value.referenceValue?.number ?? field.reference?.number
        if let ref = value.referenceValue, signed.isSigned(ref.number) {
            if let name = signed.signatureDictionaries[ref.number] {
                guard let before = original(ref), let after = current(ref) else { return }
                let diff = ObjectEquivalence.differingKeys(before.dictionaryValue, after.dictionaryValue)
                if !ObjectEquivalence.equal(before, after) {
                    let details = diff.prefix(4).map { key in
                        "\(key) \(Self.describe(before.dictionaryValue?[key])) → \(Self.describe(after.dictionaryValue?[key]))"
                    }.joined(separator: "; ")
                    emit(.signatureDictionaryReplaced, allowed: false, object: ref.number,
                         "the signature dictionary of field '\(name)' was rewritten after signing (\(details)): what is shown about the signature was not signed")
                }
            } else if !ObjectEquivalence.equal(original(ref), current(ref)) || valueChanged {
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
        if let contents = dict[.contents]?.stringValue?.bytes, signed.signatureContents.contains(contents) {
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
