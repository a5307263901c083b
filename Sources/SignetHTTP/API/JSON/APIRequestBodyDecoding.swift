package import FoundationEssentials
import SignetService
import SignetTemplates

/// The API's JSON request decoding without a server: body bytes through the same steps a
/// route takes (`APIRequest.json`'s empty-body rule and `JSONValue.parse`, then the route's
/// `RequestBodies` reader). Package access only, for the fuzz harnesses and their replay
/// tests (docs/fuzzing.md); the routes do not call it.
package enum APIRequestBodyDecoding {
    /// One request body type per route family that reads JSON.
    package enum Kind: UInt8, CaseIterable, Sendable {
        /// `POST /v1/merchants`.
        case merchant
        /// `POST /v1/contracts`.
        case contract
        /// `POST /v1/contracts/{id}/void`.
        case voidReason
        /// `POST /v1/contracts/{id}/signers/{role}/embedded-link`.
        case embeddedLink
        /// `POST /v1/exports`.
        case export
        /// `POST /v1/certificates/{serial}/revoke`.
        case revocation
        /// Send, link, rotate, retry: empty or `{}`.
        case empty
        /// `POST /v1/webhook-endpoints`.
        case webhookEndpoint

        /// Whether the route accepts an empty body (`APIRequest.json(allowEmpty:)`).
        var allowsEmpty: Bool {
            switch self {
            case .embeddedLink, .revocation, .empty: true
            case .merchant, .contract, .voidReason, .export, .webhookEndpoint: false
            }
        }
    }

    /// What became of a body.
    package enum Outcome: Equatable, Sendable {
        /// The route would hand the service its input.
        case accepted
        /// 400 `invalid_json`: empty where not allowed, or not JSON.
        case invalidJSON
        /// 400 `invalid_request`, with this many issues (at least one).
        case invalidRequest(issues: Int)
    }

    /// Decodes `body` as the route of `kind` does.
    package static func decode(_ body: Data, as kind: Kind) -> Outcome {
        let json: JSONValue?
        if body.isEmpty {
            guard kind.allowsEmpty else { return .invalidJSON }
            json = nil
        } else {
            do { json = try JSONValue.parse(body) } catch { return .invalidJSON }
        }
        let issues: [ValidationIssue]
        switch kind {
        case .merchant: issues = json.map { failures(RequestBodies.merchant($0)) } ?? []
        case .contract: issues = json.map { failures(RequestBodies.contract($0)) } ?? []
        case .voidReason: issues = json.map { failures(RequestBodies.voidReason($0)) } ?? []
        case .embeddedLink: issues = failures(RequestBodies.embeddedLink(json))
        case .export: issues = json.map { failures(RequestBodies.export($0)) } ?? []
        case .revocation: issues = failures(RequestBodies.revocation(json))
        case .empty: issues = failures(RequestBodies.empty(json))
        case .webhookEndpoint: issues = json.map { failures(WebhooksController.endpointBody($0)) } ?? []
        }
        guard !issues.isEmpty else { return .accepted }
        return .invalidRequest(issues: issues.count)
    }

    private static func failures<Value>(_ result: Result<Value, RequestIssues>) -> [ValidationIssue] {
        switch result {
        case .success: []
        case .failure(let problem): problem.issues
        }
    }
}
