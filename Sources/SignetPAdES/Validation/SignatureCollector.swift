import SignetPDF

/// A signature dictionary named by a signature field.
struct SignatureCandidate {
    /// The dictionary's object (nil when the field's /V is a direct dictionary).
    let reference: PDFReference?
    /// The dictionary as of `asOfRevision`.
    let dictionary: PDFDictionary
    /// The field's fully qualified name.
    let fieldName: String
    /// The revision whose form names this dictionary (the final one, or the last earlier
    /// one that still did).
    let asOfRevision: Int
    /// Whether the final revision's form names it.
    let inFinalForm: Bool
    /// Why the dictionary could not be read (it is then empty).
    var unreadable: String? = nil
}

/// Finds the signature dictionaries of a document: those the final revision's form names,
/// then those only earlier revisions named (a signature removed or replaced later must
/// still be reported, not silently dropped).
enum SignatureCollector {
    /// Most form fields visited over all revisions (bounded work on hostile input).
    static let maximumFieldVisits = 100_000

    static func candidates(in document: PDFDocument, limit: Int) -> (candidates: [SignatureCandidate], problems: [String]) {
        var result: [SignatureCandidate] = []
        var problems: [String] = []
        var seenReferences = Set<PDFReference>()
        var seenDirect = Set<[UInt8]>()
        var visits = 0
        let last = document.revisions.count - 1
        for revision in stride(from: last, through: 0, by: -1) {
            guard visits < maximumFieldVisits, result.count < limit else {
                problems.append("stopped looking for signatures after \(visits) form fields and \(result.count) signatures")
                break
            }
            let view: PDFRevisionView
            let fields: [(reference: PDFReference?, dictionary: PDFDictionary, name: String)]
            do {
                view = try document.view(revision: revision)
                fields = try view.allFormFields()
            } catch {
                if revision == last { problems.append("the form of the final revision cannot be read: \(error)") }
                continue
            }
            visits += fields.count
            for field in fields where result.count < limit {
                guard let type = try? view.resolve(field.dictionary[PDFName("FT")] ?? .null), type.nameValue == PDFName("Sig"),
                      let value = field.dictionary[PDFName("V")] else { continue }
                switch value {
                case .reference(let reference):
                    guard !seenReferences.contains(reference) else { continue }
                    let object: PDFObject
                    do {
                        object = try view.object(reference)
                    } catch {
                        // A signature whose dictionary cannot be parsed is reported (and fails), never dropped.
                        seenReferences.insert(reference)
                        result.append(SignatureCandidate(reference: reference, dictionary: PDFDictionary(), fieldName: field.name,
                                                         asOfRevision: revision, inFinalForm: revision == last,
                                                         unreadable: "\(error)"))
                        continue
                    }
                    guard case .dictionary(let dictionary) = object else { continue }
                    seenReferences.insert(reference)
                    result.append(SignatureCandidate(reference: reference, dictionary: dictionary, fieldName: field.name,
                                                     asOfRevision: revision, inFinalForm: revision == last))
                case .dictionary(let dictionary):
                    let key = dictionary[.contents]?.stringValue?.bytes ?? Array(field.name.utf8)
                    guard seenDirect.insert(key).inserted else { continue }
                    result.append(SignatureCandidate(reference: nil, dictionary: dictionary, fieldName: field.name,
                                                     asOfRevision: revision, inFinalForm: revision == last))
                default:
                    continue
                }
            }
        }
        return (result, problems)
    }
}
