import SignetCrypto

/// SignetCrypto's DER/BER parsers. The first byte picks the parser (its value modulo the
/// parser count), the rest is the encoding: one harness rather than six because the parsers
/// share the ASN.1 layer and OpenSSL's decoders, a mutation that turns a TSTInfo seed into a
/// SignedData input is useful, and on two shared cores one process fuzzing all of them beats
/// six taking turns (docs/fuzzing.md).
public enum CMSParsersHarness {
    /// The parsers, in selector order.
    public enum Parser: UInt8, CaseIterable, Sendable {
        /// `CMSSignedData(berEncoded:)` (a PDF's /Contents), with its signer infos' attributes.
        case signedData
        /// `TimeStampInfo(berEncoded:)`.
        case tstInfo
        /// `TimeStampResponse(berEncoded:)`, and `TimeStampToken` on the same bytes.
        case timeStampResponse
        /// `OCSPResponse(der:)`.
        case ocspResponse
        /// `CertificateRevocationList(der:)`.
        case crl
        /// `Certificate(der:)`.
        case certificate
    }

    /// The input for `parser` on `encoding` (what the seed assembly writes).
    public static func input(_ parser: Parser, _ encoding: [UInt8]) -> [UInt8] { [parser.rawValue] + encoding }

    /// Parses `input` with the parser its first byte picks.
    public static func run(_ input: [UInt8]) {
        guard let selector = input.first else { return }
        let bytes = Array(input.dropFirst())
        switch Parser(rawValue: selector % UInt8(Parser.allCases.count))! {
        case .signedData:
            guard let signedData = try? CMSSignedData(berEncoded: bytes, allowingTrailingZeroPadding: true) else { return }
            _ = signedData.ocspResponses
            for signer in signedData.signerInfos {
                _ = signer.signerIdentifier.description
                _ = signer.signatureTimeStampTokens
                _ = signer.signedAttributes?.isDEREncoded
                for certificate in signedData.certificates { _ = signer.signerIdentifier.matches(certificate) }
            }
        case .tstInfo:
            _ = try? TimeStampInfo(berEncoded: bytes)
        case .timeStampResponse:
            _ = (try? TimeStampResponse(berEncoded: bytes))?.status.description
            _ = try? TimeStampToken(berEncoded: bytes, allowingTrailingZeroPadding: true)
        case .ocspResponse:
            guard let response = try? OCSPResponse(der: bytes) else { return }
            _ = response.description
            for single in response.responses { _ = single.status.description }
        case .crl:
            guard let crl = try? CertificateRevocationList(der: bytes) else { return }
            _ = crl.description
            _ = crl.entries.count
        case .certificate:
            _ = (try? Certificate(der: bytes))?.description
        }
    }
}
