/// Object identifiers used by CMS (RFC 5652), ESS (RFC 2634/5035), RFC 3161 and PDF
/// signatures, as dotted strings.
public enum CMSObjectIdentifier {
    /// id-data: arbitrary content (the hashed PDF byte ranges).
    public static let data = "1.2.840.113549.1.7.1"
    /// id-signedData.
    public static let signedData = "1.2.840.113549.1.7.2"
    /// id-ct-TSTInfo: the content of an RFC 3161 timestamp token.
    public static let tstInfo = "1.2.840.113549.1.9.16.1.4"

    /// Signed attribute content-type.
    public static let contentType = "1.2.840.113549.1.9.3"
    /// Signed attribute message-digest.
    public static let messageDigest = "1.2.840.113549.1.9.4"
    /// Signed attribute signing-time (forbidden in PAdES signatures).
    public static let signingTime = "1.2.840.113549.1.9.5"
    /// ESS signing-certificate (RFC 2634; SHA-1 ESSCertID).
    public static let signingCertificate = "1.2.840.113549.1.9.16.2.12"
    /// ESS signing-certificate-v2 (RFC 5035; ESSCertIDv2).
    public static let signingCertificateV2 = "1.2.840.113549.1.9.16.2.47"
    /// Unsigned attribute signature-time-stamp (id-aa-signatureTimeStampToken).
    public static let signatureTimeStampToken = "1.2.840.113549.1.9.16.2.14"
    /// Adobe's revocationInfoArchival signed attribute (CRLs and OCSP responses).
    public static let adobeRevocationInfoArchival = "1.2.840.113583.1.1.8"
    /// CMS RevocationInfoChoice other format: an OCSP response (RFC 5940).
    public static let ocspResponseRevocationInfo = "1.3.6.1.5.5.7.16.2"
    /// id-pkix-ocsp-basic: the BasicOCSPResponse type inside an OCSPResponse.
    public static let ocspBasic = "1.3.6.1.5.5.7.48.1.1"

    /// rsaEncryption (also met as a CMS signature algorithm: PKCS#1 v1.5 with the digest algorithm).
    public static let rsaEncryption = "1.2.840.113549.1.1.1"
    /// RSASSA-PSS.
    public static let rsaPSS = "1.2.840.113549.1.1.10"
    /// MGF1 (the mask generation function of RSASSA-PSS).
    public static let mgf1 = "1.2.840.113549.1.1.8"
    /// sha1WithRSAEncryption (RSASSA-PKCS1-v1_5 with SHA-1).
    public static let sha1WithRSAEncryption = "1.2.840.113549.1.1.5"
    /// sha256WithRSAEncryption (RSASSA-PKCS1-v1_5 with SHA-256).
    public static let sha256WithRSAEncryption = "1.2.840.113549.1.1.11"
    /// sha384WithRSAEncryption (RSASSA-PKCS1-v1_5 with SHA-384).
    public static let sha384WithRSAEncryption = "1.2.840.113549.1.1.12"
    /// sha512WithRSAEncryption (RSASSA-PKCS1-v1_5 with SHA-512).
    public static let sha512WithRSAEncryption = "1.2.840.113549.1.1.13"
    /// id-ecPublicKey (met as a CMS signature algorithm: ECDSA with the digest algorithm).
    public static let ecPublicKey = "1.2.840.10045.2.1"
    /// ecdsa-with-SHA1.
    public static let ecdsaWithSHA1 = "1.2.840.10045.4.1"
    /// ecdsa-with-SHA256.
    public static let ecdsaWithSHA256 = "1.2.840.10045.4.3.2"
    /// ecdsa-with-SHA384.
    public static let ecdsaWithSHA384 = "1.2.840.10045.4.3.3"
    /// ecdsa-with-SHA512.
    public static let ecdsaWithSHA512 = "1.2.840.10045.4.3.4"
    /// id-dsa (met as a CMS signature algorithm: DSA with the digest algorithm).
    public static let dsa = "1.2.840.10040.4.1"
    /// id-Ed25519 (RFC 8410; the signature algorithm and the key type).
    public static let ed25519 = "1.3.101.112"
    /// id-Ed448 (RFC 8410; the signature algorithm and the key type).
    public static let ed448 = "1.3.101.113"
}
