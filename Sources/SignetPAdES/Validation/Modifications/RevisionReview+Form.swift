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
                || (formWritten && !sameAsPrevious(previousFormValue(newValue)?[PDFName("Fields")], form.fieldsValue, at: position))
            if fieldsWritten {
                let oldFields = signed.form.fields.filter { signed.form.fieldsPosition != nil && isTopLevel($0, in: signed.form) }
                compareFieldList(old: oldFields.compactMap(\.reference), new: form.fieldsValue, holder: "the form")
                noteAddedFields(form, formValue: newValue, catalog: catalog.reference.number)
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
    func previousFormValue(_ value: PDFObject?) -> PDFDictionary? {
        if let ref = value?.referenceValue { return previous(ref)?.dictionaryValue }
        guard let root = document.revisions[revision - 1].trailer[.root]?.referenceValue else { return nil }
        return (try? document.resolve(previous(root)?.dictionaryValue?[PDFName("AcroForm")] ?? .null, asOf: revision - 1))?.dictionaryValue
    }

    /// An allowed finding for signature fields this revision adds to `/Fields` (other
    /// new fields are reported by their own judgement).
    private mutating func noteAddedFields(_ form: FormTree, formValue: PDFObject?, catalog: Int) {
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
        let object = form.fieldsValue?.referenceValue?.number ?? formValue?.referenceValue?.number ?? catalog
        emit(.acroForm, allowed: true, object: object,
             "the form's field list (/Fields) gained the signature field(s) \(added.map { "'\($0.label)'" }.joined(separator: ", "))")
    }

    func isTopLevel(_ field: FormTree.Field, in tree: FormTree) -> Bool {
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
           !sameAsSigned(original(ref), current(ref), at: ObjectPosition(ref.number, "")) {
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
        for key in recentChanges(old: old, previous: previousFormValue(newValue), new: new, at: holder) {
            switch key.string {
            case "Fields":
                break
            case "SigFlags":
                if let flags = resolveCurrent(new[key])?.numberValue.flatMap({ Int(exactly: $0) }) {
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

    /// A list of fields (`/Fields` or a field's `/Kids`): signed entries must all remain.
    private mutating func compareFieldList(old: [PDFReference], new value: PDFObject?, holder: String) {
        let new = Set((resolveCurrent(value)?.arrayValue ?? []).compactMap { $0.referenceValue?.number })
        for ref in old where !new.contains(ref.number) {
            let name = signed.form.byNumber[ref.number]?.label ?? fieldNames[ref.number]
            emit(.formField, allowed: false, object: ref.number,
                 name.map { "form field '\($0)' was removed from \(holder) after signing" } ?? "an entry (\(ref)) was removed from the fields of \(holder) after signing")
        }
    }

}
