import Foundation
import SignetCrypto
import SignetPAdES
import SignetPDF
import SignetTestSupport

/// Builds signatures Signet's signer does not make (certification signatures, PKCS#7
/// sub-filters, signatures made by OpenSSL) with the SignetPDF writer, for verification tests.
enum SignatureCrafter {
    /// Appends a signature field on page 1 and a signature dictionary with `subFilter` and
    /// `extra` entries, reserves `capacity` bytes, and fills `/Contents` with what
    /// `makeContents` returns for the signed bytes (both byte ranges, concatenated).
    /// With `certification`, the catalog's `/Perms /DocMDP` points at the signature.
    static func sign(_ pdf: [UInt8], fieldName: String, subFilter: String, extra: [(PDFName, PDFObject)] = [],
                     certification: Bool = false, capacity: Int = 12_000,
                     makeContents: ([UInt8]) async throws -> [UInt8]) async throws -> [UInt8] {
        let document = try PDFDocument(bytes: pdf)
        let view = document.current
        let catalog = try view.catalog()
        let page = try view.page(at: 0)
        var update = try PDFIncrementalUpdate(document: document)
        let signature = update.allocate()
        let widget = update.add(.dictionary([
            PDFName("FT"): .name("Sig"), PDFName("T"): .string(PDFString(fieldName)), PDFName("V"): .reference(signature),
            .type: .name("Annot"), .subtype: .name("Widget"), PDFName("F"): 132, PDFName("Rect"): [0, 0, 0, 0],
            PDFName("P"): .reference(page.reference),
        ]))
        var pageDictionary = page.dictionary
        pageDictionary[PDFName("Annots")] = .array(try view.annotations(of: page) + [.reference(widget)])
        try update.set(.dictionary(pageDictionary), for: page.reference)

        var catalogDictionary = catalog.dictionary
        if let form = try view.acroForm() {
            var formDictionary = form.dictionary
            formDictionary[PDFName("Fields")] = .array((try view.array(formDictionary[PDFName("Fields")]) ?? []) + [.reference(widget)])
            formDictionary[PDFName("SigFlags")] = 3
            if let reference = form.reference {
                try update.set(.dictionary(formDictionary), for: reference)
            } else {
                catalogDictionary[PDFName("AcroForm")] = .dictionary(formDictionary)
            }
        } else {
            catalogDictionary[PDFName("AcroForm")] = .dictionary([PDFName("Fields"): [.reference(widget)], PDFName("SigFlags"): 3])
        }
        if certification { catalogDictionary[PDFName("Perms")] = .dictionary([PDFName("DocMDP"): .reference(signature)]) }
        if catalogDictionary != catalog.dictionary { try update.set(.dictionary(catalogDictionary), for: catalog.reference) }

        var dictionary: PDFDictionary = [
            .type: .name("Sig"), .filter: .name("Adobe.PPKLite"), PDFName("SubFilter"): .name(PDFName(subFilter)),
            PDFName("M"): .string(PDFString(PDFDateFormat.string(from: Date()))),
        ]
        for (key, value) in extra { dictionary[key] = value }
        try update.set(.dictionary(dictionary), for: signature, placeholders: [
            PDFName("ByteRange"): .byteRange(), .contents: .hexString(byteCount: capacity),
        ])
        var output = try update.write()
        guard let contents = output.placeholder(for: .contents, in: signature),
              let byteRangeSlot = output.placeholder(for: PDFName("ByteRange"), in: signature)
        else { throw OracleSetupError(description: "the writer lost the placeholders") }
        let byteRange = output.byteRange(excluding: contents)
        try output.patchByteRange(byteRangeSlot, with: byteRange)
        let signed = Array(output.bytes[0..<byteRange[1]]) + Array(output.bytes[byteRange[2]..<(byteRange[2] + byteRange[3])])
        try output.patchHexString(contents, with: try await makeContents(signed))
        return output.bytes
    }

    /// A DocMDP certification signature (PAdES CMS from `signer`) with permissions `p`.
    static func certify(_ pdf: [UInt8], p: Int, signer: CMSSigner) async throws -> [UInt8] {
        let reference: PDFDictionary = [
            .type: .name("SigRef"), PDFName("TransformMethod"): .name("DocMDP"),
            PDFName("TransformParams"): .dictionary([.type: .name("TransformParams"), PDFName("P"): .integer(p), PDFName("V"): .name("1.2")]),
        ]
        return try await sign(pdf, fieldName: "Certification", subFilter: "ETSI.CAdES.detached",
                              extra: [(PDFName("Reference"), [.dictionary(reference)])], certification: true) { signed in
            try await signer.sign(messageDigest: signer.digestAlgorithm.hash(signed))
        }
    }

    /// A PKCS#7 signature made by `openssl cms -sign` with `key` and `certificate`: detached
    /// over the signed bytes for adbe.pkcs7.detached, or over their SHA-1 digest as
    /// encapsulated content for adbe.pkcs7.sha1.
    static func opensslPKCS7(_ pdf: [UInt8], subFilter: String, key: PrivateKey, certificate: Certificate,
                             chain: [Certificate]) async throws -> [UInt8] {
        let dir = try TemporaryDirectory("signet-openssl-pkcs7")
        try key.pemPKCS8().write(to: dir.file("key.pem"), atomically: true, encoding: .utf8)
        try certificate.pem.write(to: dir.file("cert.pem"), atomically: true, encoding: .utf8)
        try chain.map(\.pem).joined().write(to: dir.file("chain.pem"), atomically: true, encoding: .utf8)
        return try await sign(pdf, fieldName: "PKCS7", subFilter: subFilter) { signed in
            let sha1 = subFilter == "adbe.pkcs7.sha1"
            try Data(sha1 ? DigestAlgorithm.sha1.hash(signed) : signed).write(to: dir.file("content.bin"))
            var arguments = ["cms", "-sign", "-binary", "-in", dir.file("content.bin").path, "-signer", dir.file("cert.pem").path,
                             "-inkey", dir.file("key.pem").path, "-certfile", dir.file("chain.pem").path, "-md", "sha256",
                             "-outform", "DER", "-out", dir.file("sig.der").path]
            if sha1 { arguments.append("-nodetach") }
            let result = try ExternalTool.run("openssl", arguments)
            guard result.status == 0 else { throw OracleSetupError(description: "openssl cms -sign: \(result.combinedOutput)") }
            return [UInt8](try Data(contentsOf: dir.file("sig.der")))
        }
    }
}
