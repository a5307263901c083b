import SignetPDF

/// The interactive form of one revision as a flat list of field nodes with their widgets,
/// read the same way for the signed revision and for each later one.
struct FormTree {
    /// One field (a node of the `/Fields` tree that has or inherits a name).
    struct Field {
        /// The field object (nil for a direct field dictionary).
        let reference: PDFReference?
        /// Where the reference to it sits.
        let position: ObjectPosition
        let dictionary: PDFDictionary
        /// The fully qualified name.
        let name: String
        /// `/FT`, own or inherited.
        let type: PDFName?
        /// `/V`, own or inherited (nil when absent or null).
        let value: PDFObject?
        /// The widget annotations: the field itself when it is merged with its widget,
        /// otherwise its `/Kids` that are widgets (no `/T`).
        var widgets: [Widget]
        /// The `/Kids` array object, when indirect.
        let kidsReference: PDFReference?

        var isSignature: Bool { type == PDFName("Sig") }
        var isSigned: Bool { value != nil }
        var label: String { name.isEmpty ? "(unnamed)" : name }
    }

    /// A widget annotation of a field.
    struct Widget {
        let reference: PDFReference?
        let position: ObjectPosition
        let dictionary: PDFDictionary
        /// True when the widget is the field dictionary itself.
        let merged: Bool
    }

    /// The fields in tree order.
    var fields: [Field] = []
    /// `/Fields` (as written in the AcroForm) and where it sits; nil without a form.
    var fieldsValue: PDFObject?
    var fieldsPosition: ObjectPosition?
    /// Problems met while reading (cycles, unreadable objects).
    var problems: [String] = []

    /// Field by object number.
    var byNumber: [Int: Field] {
        var result: [Int: Field] = [:]
        for field in fields { if let ref = field.reference { result[ref.number] = field } }
        return result
    }

    /// Reads the form of `view`'s revision. `acroForm` is the catalog's `/AcroForm` value,
    /// `formPosition` where it sits (the catalog, `/AcroForm`).
    static func read(view: PDFRevisionView, acroForm: PDFObject?, formPosition: ObjectPosition, limit: Int) throws -> FormTree {
        var tree = FormTree()
        guard let acroForm else { return tree }
        let formHolder: ObjectPosition
        if case .reference(let ref) = acroForm { formHolder = ObjectPosition(ref.number, "") } else { formHolder = formPosition }
        guard let form = try view.dictionary(acroForm) else { return tree }
        tree.fieldsValue = form[PDFName("Fields")]
        let fieldsPosition = formHolder.appending(PDFName("Fields"))
        tree.fieldsPosition = fieldsPosition
        let elementPosition: ObjectPosition
        if case .reference(let ref)? = tree.fieldsValue { elementPosition = ObjectPosition(ref.number, "[]") } else { elementPosition = fieldsPosition.element }
        let top = try view.array(tree.fieldsValue) ?? []

        struct Pending { let value: PDFObject; let position: ObjectPosition; let parentName: String; let type: PDFName?; let fieldValue: PDFObject?; let depth: Int }
        var stack: [Pending] = top.reversed().map { Pending(value: $0, position: elementPosition, parentName: "", type: nil, fieldValue: nil, depth: 0) }
        var visited = Set<Int>()
        while let item = stack.popLast() {
            if tree.fields.count > limit { tree.problems.append("more than \(limit) form fields"); break }
            if case .reference(let ref) = item.value {
                guard visited.insert(ref.number).inserted else {
                    tree.problems.append("the form field tree visits \(ref) twice")
                    continue
                }
            }
            guard item.depth < 64 else { tree.problems.append("the form field tree is deeper than 64 levels"); continue }
            guard let dict = try view.dictionary(item.value) else { continue }
            let partial = dict[PDFName("T")]?.stringValue?.text
            let name = [item.parentName, partial ?? ""].filter { !$0.isEmpty }.joined(separator: ".")
            let type = dict[PDFName("FT")]?.nameValue ?? item.type
            var value = dict[PDFName("V")].flatMap { $0.isNull ? nil : $0 } ?? item.fieldValue
            if dict.contains(PDFName("V")) && dict[PDFName("V")] == nil { value = nil }
            let holder: ObjectPosition
            if case .reference(let ref) = item.value { holder = ObjectPosition(ref.number, "") } else { holder = item.position }
            let kidsValue = dict[.kids]
            let kids = try view.array(kidsValue) ?? []
            let kidsPosition: ObjectPosition
            if case .reference(let ref)? = kidsValue { kidsPosition = ObjectPosition(ref.number, "[]") } else { kidsPosition = holder.appending(.kids).element }
            var widgets: [Widget] = []
            var childFields: [Pending] = []
            if dict[.subtype]?.nameValue == PDFName("Widget") {
                widgets.append(Widget(reference: item.value.referenceValue, position: item.position, dictionary: dict, merged: true))
            }
            for kid in kids {
                guard let kidDict = try view.dictionary(kid) else { continue }
                if kidDict[PDFName("T")] == nil && (kidDict[.subtype]?.nameValue == PDFName("Widget") || kidDict[.kids] == nil) {
                    if case .reference(let ref) = kid { visited.insert(ref.number) }
                    widgets.append(Widget(reference: kid.referenceValue, position: kidsPosition, dictionary: kidDict, merged: false))
                } else {
                    childFields.append(Pending(value: kid, position: kidsPosition, parentName: name, type: type, fieldValue: value, depth: item.depth + 1))
                }
            }
            tree.fields.append(Field(reference: item.value.referenceValue, position: item.position, dictionary: dict, name: name,
                                     type: type, value: value, widgets: widgets, kidsReference: kidsValue?.referenceValue))
            stack.append(contentsOf: childFields.reversed())
        }
        return tree
    }
}
