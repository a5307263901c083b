public import FoundationEssentials
import SignetCrypto

/// `README.txt` of an archive: what is inside and how to check it by hand, without Signet.
public enum ArchiveReadme {
    /// The README for an archive of `contracts` contracts.
    public static func text(contracts: Int, createdAt: Date, generator: String) -> [UInt8] {
        Array("""
        Signet contract archive (ASiC-E, ETSI EN 319 162-1)
        ===================================================
        Created \(TimeText.iso8601(createdAt, milliseconds: false)) by \(generator); \(contracts) contract(s).

        Contents
        --------
        mimetype                        application/vnd.etsi.asic-e+zip (first entry, stored)
        contracts/<id>/signed.pdf       the signed contract (PAdES; check with pdfsig or pyhanko)
        contracts/<id>/original.pdf     the unsigned original, the first revision of signed.pdf
        contracts/<id>/fields.json      what the original was rendered from (template, exact fill,
                                        number, issue time) and the digests (signet-contract/1)
        contracts/<id>/audit-trail.json every audit event, hash-chained (signet-audit-trail/1)
        contracts/<id>/evidence.pdf     the sealed evidence report (certificate of completion)
        contracts/<id>/verification.json  the signature report of signed.pdf when exported
        contracts/<id>/template/        the template version's files
        trust/root-ca.pem               the platform's root certificate. Compare its fingerprint with
                                        one you obtained independently before you rely on it.
        SHA256SUMS                      SHA-256 of every file above (sha256sum format)
        META-INF/ASiCManifest.xml       SHA-256 of every file above and of SHA256SUMS
        META-INF/signature001.p7s       the platform seal's CAdES signature over the manifest, with a
                                        timestamp, the certificates and the revocation data (CRL/OCSP)

        Checking by hand (Linux: unzip, coreutils, OpenSSL 3, xxd; ROOT.pem = a root you trust)
        ------------------------------------------------------------------------------------------
        1. Unpack and check every file's digest:
             mkdir archive && cd archive && unzip -q ../ARCHIVE.asice
             sha256sum -c SHA256SUMS

        2. Check the seal's signature over the manifest (and that the manifest lists SHA256SUMS
           with the digest sha256sum prints):
             openssl cms -verify -binary -inform DER -in META-INF/signature001.p7s \\
               -content META-INF/ASiCManifest.xml -CAfile ROOT.pem -purpose any -out /dev/null
             grep -A2 'URI="SHA256SUMS"' META-INF/ASiCManifest.xml
             openssl dgst -sha256 -binary SHA256SUMS | openssl base64

        3. Check the signature timestamp: extract the token and the signature value it covers,
           then verify the token:
             openssl asn1parse -inform DER -in META-INF/signature001.p7s > sig.txt
             OFF=$(grep -A2 ':id-smime-aa-timeStampToken' sig.txt | tail -1 | cut -d: -f1 | tr -d ' ')
             openssl asn1parse -inform DER -in META-INF/signature001.p7s -strparse "$OFF" -noout -out token.der
             grep -B3 ':id-smime-aa-timeStampToken' sig.txt | head -1 | sed 's/.*\\[HEX DUMP\\]://' | xxd -r -p > signature-value.bin
             openssl ts -verify -in token.der -token_in -data signature-value.bin -CAfile ROOT.pem

        4. Check a contract's signatures:
             pdfsig contracts/<id>/signed.pdf
             pyhanko sign validate --trust ROOT.pem contracts/<id>/signed.pdf

        5. Check a contract's audit chain: every event's hash is SHA-256 over its canonical form
           (docs/archives.md in the Signet repository) and each event's previous_hash is the hash
           of the event before. `signet verify-archive ARCHIVE.asice --trust ROOT.pem` runs all of
           the above and also re-renders every original from its template and fields.

        """.utf8)
    }
}
