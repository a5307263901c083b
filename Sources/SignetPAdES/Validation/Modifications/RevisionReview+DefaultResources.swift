import SignetPDF

extension RevisionReview {
    /// The form's default resources (`/DR`): resources may be added (a font for a new
    /// signature's appearance), those of the signed form must stay as they were.
    ///
    /// A category is normally a dictionary of named resources (`/Font`, `/XObject` ...),
    /// judged name by name. `/ProcSet` is an array of names (obsolete, read by no viewer):
    /// it may be added or changed as long as it stays one. Any other category that is not a
    /// dictionary is compared whole with its signed value. Nothing here assumes a type: a
    /// value of an unexpected type is a finding, never a failed comparison.
    mutating func judgeDefaultResources(old oldValue: PDFObject?, new newValue: PDFObject?, position: ObjectPosition, number: Int) {
        claim(newValue, at: position, .formResources)
        let oldResolved = resolveOriginal(oldValue)
        let old: PDFDictionary
        switch oldResolved {
        case .dictionary(let dictionary)?: old = dictionary
        case nil, .null?: old = PDFDictionary()
        case let other?:
            // The signed form's /DR was not a dictionary: only leaving it unchanged is fine.
            if !sameAsSigned(oldValue, newValue, at: position) {
                emit(.acroForm, allowed: false, object: number,
                     "the form's default resources (/DR), \(Self.describe(other)) when signed, were changed after signing")
            }
            return
        }
        guard case .dictionary(let new)? = resolveCurrent(newValue) else {
            if newValue != nil || !old.isEmpty {
                emit(.acroForm, allowed: false, object: number, "the form's default resources (/DR) were removed or are not a dictionary")
            }
            return
        }
        let holder = newValue?.referenceValue.map { ObjectPosition($0.number, "") } ?? position
        var added: [String] = []
        for (category, value) in new.entries where !value.isNull {
            let categoryPosition = holder.appending(category)
            claim(value, at: categoryPosition, .formResources)
            if let note = judgeResourceCategory(category, old: old[category], new: value, at: categoryPosition, number: number) { added.append(note) }
        }
        for (category, value) in old.entries where !value.isNull && new[category] == nil {
            emit(.acroForm, allowed: false, object: number, "the form's default resources \(category) were removed after signing")
        }
        if !added.isEmpty {
            emit(.acroForm, allowed: true, object: number, "default resources were added to the form (\(added.joined(separator: ", ")))")
        }
    }

    /// One category of `/DR`; returns what it adds, for the allowed finding.
    private mutating func judgeResourceCategory(_ category: PDFName, old: PDFObject?, new value: PDFObject, at position: ObjectPosition, number: Int) -> String? {
        let resolvedOld = resolveOriginal(old)
        guard case .dictionary(let newCategory)? = resolveCurrent(value) else {
            if old != nil && sameAsSigned(old, value, at: position) { return nil }
            if category == PDFName("ProcSet"), let names = resolveCurrent(value)?.arrayValue, names.allSatisfy({ $0.nameValue != nil }) {
                return old == nil ? "\(category)" : nil
            }
            emit(.acroForm, allowed: false, object: number,
                 "the form's default resources \(category) were \(old == nil ? "added as" : "changed to") \(Self.describe(resolveCurrent(value))), not a dictionary of resources")
            return nil
        }
        let oldCategory: PDFDictionary
        switch resolvedOld {
        case .dictionary(let dictionary)?: oldCategory = dictionary
        case nil, .null?: oldCategory = PDFDictionary()
        case let other?:
            emit(.acroForm, allowed: false, object: number,
                 "the form's default resources \(category), \(Self.describe(other)) when signed, were replaced by a dictionary after signing")
            return nil
        }
        let holder = value.referenceValue.map { ObjectPosition($0.number, "") } ?? position
        var added: [String] = []
        for (name, resource) in newCategory.entries where !resource.isNull {
            if let before = oldCategory[name] {
                if !sameAsSigned(before, resource, at: holder.appending(name)) {
                    emit(.acroForm, allowed: false, object: number,
                         "the form's default resource \(category) \(name) was changed after signing (fields may be redrawn with it)")
                }
            } else {
                added.append("\(category)\(name)")
                claimContent(resource, holder: holder.appending(name), .formResources)
            }
        }
        for (name, resource) in oldCategory.entries where !resource.isNull && newCategory[name] == nil {
            emit(.acroForm, allowed: false, object: number, "the form's default resource \(category) \(name) was removed after signing")
        }
        return added.isEmpty ? nil : added.joined(separator: ", ")
    }
}
