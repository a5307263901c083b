import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOHTTP1

/// The journey's HTTP side: the API calls a merchant onboarding system makes, with the API
/// key, over one AsyncHTTPClient connection pool (HTTP/1.1 keep-alive, a connection per
/// concurrent worker, redirects not followed: the signing page's 303s are read as they come,
/// `JourneyClient+Page`).
struct JourneyClient: Sendable {
    let client: HTTPClient
    let baseURL: String
    let apiKey: String
    /// The template's sample fields: the contract body's `fields`, and the merchant's record.
    let sample: [String: String]
    let templateID: String

    /// A merchant registered as the sample's merchant party, under `externalID`; its id.
    func createMerchant(externalID: String) async throws -> String {
        struct Registration: Encodable { let credit_code: String }
        struct Contact: Encodable { let name: String, phone: String, email: String }
        struct Body: Encodable {
            let external_id: String, name: String, registration: Registration, legal_representative: String, contact: Contact
        }
        func field(_ name: String) throws -> String {
            guard let value = sample[name] else { throw BenchError("the sample has no \(name)") }
            return value
        }
        let body = Body(external_id: externalID, name: try field("merchant_name"),
                        registration: Registration(credit_code: try field("merchant_credit_code")),
                        legal_representative: try field("merchant_legal_rep"),
                        contact: Contact(name: try field("merchant_contact"), phone: try field("merchant_phone"), email: try field("merchant_email")))
        return try JSONDecoder().decode(Created.self, from: try await post("/v1/merchants", body)).id
    }

    /// A created contract: its id and the merchant's signing link (`{base}/s/{token}`).
    struct CreatedContract: Sendable {
        let id: String
        let merchantSigningURL: String?
    }

    /// `POST /v1/contracts` for the merchant with the sample's fields (those from the
    /// merchant's record equal it): the new contract's id and the merchant's `signing_url`.
    func createContract(merchantID: String) async throws -> CreatedContract {
        struct Body: Encodable { let merchant_id: String, template_id: String, fields: [String: String] }
        struct Signer: Decodable { let role: String, signing_url: String? }
        struct ContractCreated: Decodable { let id: String, signers: [Signer] }
        let created = try JSONDecoder().decode(ContractCreated.self, from: try await post("/v1/contracts", Body(merchant_id: merchantID, template_id: templateID, fields: sample)))
        return CreatedContract(id: created.id, merchantSigningURL: created.signers.first { $0.role == "merchant" }?.signing_url)
    }

    /// `GET /v1/contracts/{id}/signed.pdf`, checked by `checkSigned`.
    func downloadSigned(contractID: String, sha256: String) async throws {
        let (status, headers, body) = try await execute(.GET, "/v1/contracts/\(contractID)/signed.pdf", body: nil)
        try Self.checkSigned(status: status, headers: headers, body: body, sha256: sha256, what: "signed.pdf of \(contractID)")
    }

    /// A download checked to be a completed contract's B-LTA: HTTP 200, the ETag is the
    /// completed PDF's SHA-256 (`sha256`), and the PDF holds two CAdES signatures, a DSS and a
    /// document timestamp.
    static func checkSigned(status: Int, headers: HTTPHeaders, body: ByteBuffer, sha256: String, what contractID: String) throws {
        guard status == 200 else { throw BenchError("\(contractID): HTTP \(status)") }
        guard headers.first(name: "ETag") == "\"\(sha256)\"" else {
            throw BenchError("\(contractID): ETag \(headers.first(name: "ETag") ?? "none"), expected the completed PDF's \(sha256)")
        }
        let bytes = body.readableBytesView
        guard bytes.starts(with: Array("%PDF-".utf8)),
              Self.occurrences(of: "/ETSI.CAdES.detached", in: bytes) >= 2,
              Self.occurrences(of: "/ETSI.RFC3161", in: bytes) >= 1,
              Self.occurrences(of: "/DSS", in: bytes) >= 1 else {
            throw BenchError("\(contractID) (\(bytes.count) bytes) is not a two-signature B-LTA PDF")
        }
    }

    /// The `id` of a created resource.
    private struct Created: Decodable { let id: String }

    /// The JSON body of a 201 to a POST of `value`.
    private func post(_ path: String, _ value: some Encodable) async throws -> Data {
        let (status, _, body) = try await execute(.POST, path, body: try JSONEncoder().encode(value))
        guard status == 201 else {
            throw BenchError("POST \(path): HTTP \(status) \(String(decoding: body.readableBytesView, as: UTF8.self))")
        }
        return Data(body.readableBytesView)
    }

    /// A request to `path` (under `baseURL`): with the API key and a JSON body by default;
    /// the signing page's requests send a cookie and a form instead (`apiKey: false`).
    func execute(_ method: HTTPMethod, _ path: String, body: Data?, contentType: String = "application/json", apiKey withKey: Bool = true,
                 cookie: String? = nil) async throws -> (Int, HTTPHeaders, ByteBuffer) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if withKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        request.headers.add(name: "User-Agent", value: "signet-bench journey")
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.execute(request, timeout: .seconds(120))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), response.headers, collected)
    }

    /// How many times `needle` occurs in `haystack`.
    static func occurrences(of needle: String, in haystack: ByteBufferView) -> Int {
        let pattern = Array(needle.utf8)
        var count = 0
        var index = haystack.startIndex
        while let found = haystack[index...].firstIndex(of: pattern[0]) {
            if haystack[found...].starts(with: pattern) { count += 1 }
            index = haystack.index(after: found)
        }
        return count
    }
}
