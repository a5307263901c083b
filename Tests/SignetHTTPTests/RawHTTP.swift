import Foundation
import SignetTestSupport

/// HTTP/1.1 written byte by byte on a loopback socket, for requests no client library sends:
/// a NUL or backslash in the path, a header with a control character, a body shorter than
/// its `Content-Length`, a header of a megabyte.
enum RawHTTP {
    /// A response as read off the socket.
    struct Reply: Sendable {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]

        /// The first header `name` (case-insensitive).
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        /// Every header `name`.
        func headers(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
        /// The body as text.
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The machine-readable code: a problem's `code`, an HTML page's `data-page`, a
        /// redirect's `Location`, or the content type of any other answer (a certificate, an
        /// OCSP or time-stamp reply).
        var code: String? {
            if status == 303 || status == 302 { return header("Location") }
            let type = header("Content-Type") ?? ""
            if type.hasPrefix("text/html") {
                guard let range = text.range(of: "data-page=\"") else { return nil }
                return String(text[range.upperBound...].prefix { $0 != "\"" })
            }
            if !type.contains("json") { return type.isEmpty ? nil : type }
            return ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any])?["code"] as? String
        }
    }

    /// The bytes of a request: `target` verbatim (any bytes), the headers as given, `Host`,
    /// `Connection: close`, and `Content-Length` of the body (or `declaredLength`).
    static func request(_ method: String, _ target: [UInt8], headers: [(String, String)] = [], body: [UInt8]? = nil,
                        declaredLength: Int? = nil) -> [UInt8] {
        var head = Array(method.utf8) + [0x20] + target + Array(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".utf8)
        for (name, value) in headers { head += Array("\(name): \(value)\r\n".utf8) }
        if let length = declaredLength ?? body?.count { head += Array("Content-Length: \(length)\r\n".utf8) }
        return head + Array("\r\n".utf8) + (body ?? [])
    }

    /// Sends `bytes` (then closes the sending side when `halfClose`) and reads the answer
    /// until the server closes the connection or `timeout` seconds pass without data; nil
    /// when the server closed the connection without answering.
    static func exchange(port: Int, _ bytes: [UInt8], halfClose: Bool = false, timeout: Int = 60) throws -> Reply? {
        guard let connection = LoopbackConnection(port: port) else { throw OracleSetupError(description: "connect to \(port)") }
        connection.setReceiveTimeout(seconds: timeout)
        // The server may answer (and close) before reading all of a large request: a failed
        // send is then not an error of the test.
        try? connection.send(bytes)
        if halfClose { connection.shutdownWrite() }
        return parse(connection.readToEnd())
    }

    /// The response in `data`, nil when it is empty or has no status line.
    static func parse(_ data: [UInt8]) -> Reply? {
        guard let end = ByteSearch.offset(of: Array("\r\n\r\n".utf8), in: data) else { return nil }
        let head = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first, statusLine.hasPrefix("HTTP/1."),
              let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else { return nil }
        let headers = head.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Array(data[(end + 4)...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }) {
            body = dechunk(body)
        }
        return Reply(status: status, headers: headers, body: body)
    }

    /// A chunked body's data.
    private static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var rest = bytes[...]
        while let lineEnd = ByteSearch.offset(of: Array("\r\n".utf8), in: Array(rest)) {
            let sizeText = String(decoding: rest.prefix(lineEnd), as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = rest.startIndex + lineEnd + 2
            guard start + size <= rest.endIndex else { break }
            output += rest[start..<(start + size)]
            rest = rest[min(start + size + 2, rest.endIndex)...]
        }
        return output
    }
}
