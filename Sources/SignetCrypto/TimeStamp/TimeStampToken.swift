/// An RFC 3161 TimeStampToken: CMS SignedData whose content is a TSTInfo, signed by the TSA.
///
/// Used for signature timestamps (the signature-time-stamp unsigned attribute) and PDF
/// document timestamps (`/SubFilter /ETSI.RFC3161`, where the token is the /Contents).
public struct TimeStampToken: Sendable {
    /// The CMS structure.
    public let signedData: CMSSignedData
    /// The TSTInfo.
    public let info: TimeStampInfo

    /// The ContentInfo bytes.
    public var encoded: [UInt8] { signedData.encoded }

    /// The TSA's SignerInfo (a token has exactly one).
    public var signerInfo: CMSSignerInfo { signedData.signerInfos[0] }

    /// Parses a token (BER or DER); `certificateCache` as for `CMSSignedData`.
    public init(berEncoded bytes: [UInt8], allowingTrailingZeroPadding: Bool = false,
                certificateCache: CertificateCache? = nil) throws(TimeStampError) {
        let signedData: CMSSignedData
        do {
            signedData = try CMSSignedData(berEncoded: bytes, allowingTrailingZeroPadding: allowingTrailingZeroPadding,
                                           certificateCache: certificateCache)
        } catch {
            throw .malformed(error.description)
        }
        try self.init(signedData: signedData)
    }

    /// Interprets parsed SignedData as a token.
    public init(signedData: CMSSignedData) throws(TimeStampError) {
        guard signedData.encapsulatedContentType == CMSObjectIdentifier.tstInfo else {
            throw .notATimeStampToken("eContentType is \(signedData.encapsulatedContentType), not id-ct-TSTInfo")
        }
        guard let content = signedData.encapsulatedContent else {
            throw .notATimeStampToken("the TSTInfo content is missing")
        }
        guard signedData.signerInfos.count == 1 else {
            throw .notATimeStampToken("\(signedData.signerInfos.count) SignerInfos; a token has only the TSA's")
        }
        self.signedData = signedData
        info = try TimeStampInfo(berEncoded: content)
    }
}
