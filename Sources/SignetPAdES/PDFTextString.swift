import SignetPDF

extension PDFString {
    /// A PDF text string (§7.9.2.2) for `text`: plain bytes when ASCII, otherwise UTF-16BE
    /// with a byte order mark (so Chinese signer names and reasons display correctly).
    static func textString(_ text: String) -> PDFString {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return PDFString(bytes: Array(text.utf8), form: .literal)
        }
        var bytes: [UInt8] = [0xFE, 0xFF]
        for unit in text.utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        return PDFString(bytes: bytes, form: .hex)
    }
}
