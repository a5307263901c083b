import SignetPDF

/// Builds small PDFs from object bodies with a correct classic xref, for crafting test cases.
struct PDFBuilder {
    var objects: [(number: Int, body: String)] = []
    var trailerExtra = ""
    var header = "%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n"

    mutating func add(_ number: Int, _ body: String) { objects.append((number, body)) }

    /// A minimal one-page document (objects 1–4) plus whatever else was added.
    static func onePage(content: String = "0 0 1 rg 100 100 200 200 re f") -> PDFBuilder {
        var b = PDFBuilder()
        b.add(1, "<</Type /Catalog /Pages 2 0 R>>")
        b.add(2, "<</Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792]>>")
        b.add(3, "<</Type /Page /Parent 2 0 R /Resources <<>> /Contents 4 0 R>>")
        b.add(4, "<</Length \(content.utf8.count)>>\nstream\n\(content)\nendstream")
        return b
    }

    /// The file bytes, with offsets computed; `xrefOverride` replaces the computed offsets.
    func build(xrefOverride: [Int: Int] = [:], startxrefOverride: Int? = nil) -> [UInt8] {
        var out = Array(header.utf8)
        var offsets: [Int: Int] = [:]
        for (number, body) in objects {
            offsets[number] = out.count
            out += Array("\(number) 0 obj\n\(body)\nendobj\n".utf8)
        }
        let size = (objects.map(\.number).max() ?? 0) + 1
        let xref = out.count
        out += Array("xref\n0 \(size)\n0000000000 65535 f\r\n".utf8)
        for n in 1..<size {
            if let o = xrefOverride[n] ?? offsets[n] {
                let s = String(o)
                out += Array((String(repeating: "0", count: 10 - s.count) + s + " 00000 n\r\n").utf8)
            } else {
                out += Array("0000000000 65535 f\r\n".utf8)
            }
        }
        out += Array("trailer\n<</Size \(size) /Root 1 0 R \(trailerExtra)>>\nstartxref\n\(startxrefOverride ?? xref)\n%%EOF\n".utf8)
        return out
    }
}
