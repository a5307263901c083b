import SignetPDF

/// A signature dictionary found in a document: the field it fills and its raw `/Contents`.
struct LocatedSignature {
    let fieldName: String
    let dictionary: PDFDictionary
    /// The bytes of `/Contents` (the CMS or timestamp token, with any zero padding).
    let contents: [UInt8]
    var subFilter: String? { dictionary[PDFName("SubFilter")]?.nameValue?.string }
    var isDocumentTimestamp: Bool { dictionary[.type]?.nameValue == PDFName("DocTimeStamp") || subFilter == "ETSI.RFC3161" }
}

/// Finds the signed signature fields of a document's current revision.
enum SignatureLocator {
    static func signatures(in view: PDFRevisionView) throws -> [LocatedSignature] {
        try mapPDFErrors {
            try view.allFormFields().compactMap { field in
                guard field.dictionary[PDFName("FT")]?.nameValue == PDFName("Sig"),
                      let value = try view.dictionary(field.dictionary[PDFName("V")]),
                      let contents = value[.contents]?.stringValue?.bytes
                else { return nil }
                return LocatedSignature(fieldName: field.name, dictionary: value, contents: contents)
            }
        }
    }
}
