import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOHTTP1

/// The journey's HTTP side: the API calls a merchant onboarding system makes, with the API
/// key, over one AsyncHTTPClient connection pool (HTTP/1.1 keep-alive, a connection per
/// concurrent worker).
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
        return try await post("/v1/merchants", body)
    }

    /// `POST /v1/contracts` for the merchant with the sample's fields (those from the
    /// merchant's record equal it); the new contract's id.
    func createContract(merchantID: String) async throws -> String {
        struct Body: Encodable { let merchant_id: String, template_id: String, fields: [String: String] }
        return try await post("/v1/contracts", Body(merchant_id: merchantID, template_id: templateID, fields: sample))
    }

    /// `GET /v1/contracts/{id}/signed.pdf`, checked to be the completed contract's B-LTA: the
    /// ETag is the SHA-256 the signing call returned, and the PDF holds two CAdES signatures,
    /// a DSS and a document timestamp.
    func downloadSigned(contractID: String, sha256: String) async throws {
        let (status, headers, body) = try await execute(.GET, "/v1/contracts/\(contractID)/signed.pdf", body: nil)
        guard status == 200 else { throw BenchError("signed.pdf of \(contractID): HTTP \(status)") }
        guard headers.first(name: "ETag") == "\"\(sha256)\"" else {
            throw BenchError("signed.pdf of \(contractID): ETag \(headers.first(name: "ETag") ?? "none"), expected the completed PDF's \(sha256)")
        }
        let bytes = body.readableBytesView
        guard bytes.starts(with: Array("%PDF-".utf8)),
              Self.occurrences(of: "/ETSI.CAdES.detached", in: bytes) >= 2,
              Self.occurrences(of: "/ETSI.RFC3161", in: bytes) >= 1,
              Self.occurrences(of: "/DSS", in: bytes) >= 1 else {
            throw BenchError("signed.pdf of \(contractID) (\(bytes.count) bytes) is not a two-signature B-LTA PDF")
        }
    }

    /// The `id` of a created resource.
    private struct Created: Decodable { let id: String }

    private func post(_ path: String, _ value: some Encodable) async throws -> String {
        let (status, _, body) = try await execute(.POST, path, body: try JSONEncoder().encode(value))
        guard status == 201 else {
            throw BenchError("POST \(path): HTTP \(status) \(String(decoding: body.readableBytesView, as: UTF8.self))")
        }
        return try JSONDecoder().decode(Created.self, from: Data(body.readableBytesView)).id
    }

    private func execute(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> (Int, HTTPHeaders, ByteBuffer) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
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
