import FoundationEssentials
public import HTTPTypes
public import Hummingbird
import NIOCore

/// HTML responses of the pages (`text/html; charset=utf-8`). The security headers are the
/// `SecurityHeadersMiddleware`'s, on every response of a page route.
public enum HTMLResponse {
    /// `html` with `status`.
    public static func page(_ html: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let bytes = Array(html.utf8)
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentLength] = String(bytes.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// 303 See Other to `location` (after a form POST: the browser GETs the next page).
    public static func redirect(to location: String, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.location] = location
        headers[.contentLength] = "0"
        return Response(status: .seeOther, headers: headers)
    }
}
