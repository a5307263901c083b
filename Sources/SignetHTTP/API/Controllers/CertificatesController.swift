import Hummingbird
import SignetService

/// `/v1/certificates`: the operator revokes a certificate of the issuing CA (an event
/// certificate, a seal, the TSA's or the OCSP responder's) through any instance; the
/// registry is the service's database, so every instance's OCSP answers and CRLs report the
/// revocation at once.
struct CertificatesController {
    let service: SignetService

    func endpoints(to group: RouterGroup<SignetRequestContext>) {
        group.post("certificates/{serial}/revoke", use: revoke)
    }

    /// 200 with the revocation; 404 `certificate_unknown`, 409 `certificate_already_revoked`,
    /// 422 `validation_failed` for a serial that is not hex or an unknown reason.
    @Sendable func revoke(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let serial = try context.parameters.require("serial")
        let reason = try RequestBodies.revocation(try await APIRequest.json(request, context: context, allowEmpty: true))
            .mapError { APIProblem.invalidRequest(issues: $0.issues) }.get()
        let revocation = try await run { try await service.revokeCertificate(serial: serial, reasonName: reason) }
        return try APIResponse.json(CertificateRevocationJSON(revocation: revocation))
    }
}
