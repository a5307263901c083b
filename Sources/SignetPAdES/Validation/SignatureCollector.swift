import SignetCrypto
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
        var seenDirect = Set<ByteKey>()
        var visits = 0
        let last = document.revisions.count - 1
        for revision in stride(from: last, through: 0, by: -1) {
            guard visits < maximumFieldVisits, result.count < limit else {
                problems.append("stopped looking for signatures after \(visits) form fields and \(result.count) signatures")
                break
            }
            let view: PDFRevisionView
            let fields: [SignatureField]
            do {
                view = try document.view(revision: revision)
                let walk = try signatureFields(in: view, limit: maximumFieldVisits - visits)
                fields = walk.fields
                visits += walk.visited
            } catch {
                if revision == last { problems.append("the form of the final revision cannot be read: \(error)") }
                continue
            }
            for field in fields where result.count < limit {
                switch field.value {
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
                    guard seenDirect.insert(ByteKey(key)).inserted else { continue }
                    result.append(SignatureCandidate(reference: nil, dictionary: dictionary, fieldName: field.name,
                                                     asOfRevision: revision, inFinalForm: revision == last))
                default:
                    continue
                }
            }
        }
        return (result, problems)
    }

    /// A signature field (own or inherited `/FT /Sig`) with a value.
    struct SignatureField {
        let name: String
        let value: PDFObject
    }

    /// The signed signature fields of `view`'s form: the `/Fields` tree walked with
    /// inheritance of `/FT` and `/V` (ISO 32000-2 §12.7.4.1), cycles and depth bounded.
    static func signatureFields(in view: PDFRevisionView, limit: Int) throws -> (fields: [SignatureField], visited: Int) {
        struct Pending { let item: PDFObject; let parentName: String; let type: PDFName?; let value: PDFObject?; let depth: Int }
        var result: [SignatureField] = []
        var visited = Set<PDFReference>()
        var stack = try view.formFields().reversed().map { Pending(item: $0, parentName: "", type: nil, value: nil, depth: 0) }
        var count = 0
        while let pending = stack.popLast(), count < limit {
            count += 1
            if case .reference(let reference) = pending.item {
                guard visited.insert(reference).inserted else { continue }
            }
            guard pending.depth < 64, let dictionary = try? view.dictionary(pending.item) else { continue }
            let partial = dictionary[PDFName("T")].flatMap { try? view.resolve($0) }?.stringValue?.text
            let name = [pending.parentName, partial ?? ""].filter { !$0.isEmpty }.joined(separator: ".")
            let type = dictionary[PDFName("FT")].flatMap { try? view.resolve($0) }?.nameValue ?? pending.type
            let value = dictionary[PDFName("V")] ?? pending.value
            if type == PDFName("Sig"), let value, !value.isNull {
                result.append(SignatureField(name: name, value: value))
            }
            if let kids = try? view.array(dictionary[.kids]) {
                for kid in kids.reversed() {
                    stack.append(Pending(item: kid, parentName: name, type: type, value: value, depth: pending.depth + 1))
                }
            }
        }
        return (result, count)
    }
}
