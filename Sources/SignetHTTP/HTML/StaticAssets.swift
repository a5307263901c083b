import FoundationEssentials
import HTTPTypes
import Hummingbird
import NIOCore
import SignetCrypto

/// `GET /assets/signet.css` and `/assets/signet.js`: the pages' one stylesheet and one small
/// script (no inline style or script anywhere: the CSP allows `'self'` only). Embedded in the
/// binary; `ETag` by SHA-256.
struct StaticAssets {
    private struct Asset {
        let bytes: [UInt8]
        let contentType: String
        let etag: String
    }

    private let assets: [String: Asset] = {
        func asset(_ bytes: [UInt8], _ type: String) -> Asset {
            Asset(bytes: bytes, contentType: type, etag: "\"\(DigestAlgorithm.sha256.hash(bytes).hexString.prefix(32))\"")
        }
        return ["signet.css": asset(PackageResources.signet_css, "text/css; charset=utf-8"),
                "signet.js": asset(PackageResources.signet_js, "text/javascript; charset=utf-8"),
                "console.css": asset(PackageResources.console_css, "text/css; charset=utf-8")]
    }()

    func endpoints(to group: RouterGroup<SignetRequestContext>) {
        group.get("assets/{name}", use: serve)
    }

    @Sendable func serve(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let name = context.parameters.get("name"), let asset = assets[name] else { return PageErrors.notFoundPage(request) }
        var headers: HTTPFields = [.eTag: asset.etag, .cacheControl: "public, max-age=3600"]
        if request.headers[.ifNoneMatch] == asset.etag { return Response(status: .notModified, headers: headers) }
        headers[.contentType] = asset.contentType
        headers[.contentLength] = String(asset.bytes.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
