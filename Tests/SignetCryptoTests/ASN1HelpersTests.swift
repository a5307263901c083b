import Foundation
@testable import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import Testing

@Suite("ASN.1 helpers for CMS and RFC 3161")
struct ASN1HelpersTests {
    @Test("GeneralizedTime: DER text drops trailing fraction zeros and parses back to the same instant")
    func generalizedTime() throws {
        let date = Date(timeIntervalSince1970: 1_767_225_600.120)  // 2026-01-01T00:00:00.12Z
        #expect(ASN1Time.generalizedTimeString(date, fractionDigits: 3) == "20260101000000.12Z")
        #expect(ASN1Time.generalizedTimeString(date, fractionDigits: 0) == "20260101000000Z")
        #expect(ASN1Time.generalizedTimeString(Date(timeIntervalSince1970: 951_782_400), fractionDigits: 3) == "20000229000000Z")
        let parsed = try ASN1Time.parseGeneralizedTime("20260101000000.12Z", "t")
        #expect(abs(parsed.date.timeIntervalSince(date)) < 0.000_5)
        #expect(parsed.fraction == "12")
        // Against Foundation's calendar arithmetic, across many dates.
        let formatter = ISO8601DateFormatter()
        for _ in 0..<200 {
            let seconds = Double(Int.random(in: 0...4_102_444_800))
            let text = ASN1Time.generalizedTimeString(Date(timeIntervalSince1970: seconds), fractionDigits: 0)
            let iso = formatter.string(from: Date(timeIntervalSince1970: seconds))
            let digits = iso.filter(\.isNumber)
            #expect(text == digits + "Z")
            #expect(try ASN1Time.parseGeneralizedTime(text, "t").date.timeIntervalSince1970 == seconds)
        }
        for bad in ["2026010100000Z", "20261301000000Z", "20260101000000+0100", "20260101000000.Z", "2026010100000aZ"] {
            #expect(throws: ASN1StructureError.self) { try ASN1Time.parseGeneralizedTime(bad, "t") }
        }
    }

    @Test("UTCTime: two-digit years follow RFC 5280 (50-99 → 19xx)")
    func utcTime() throws {
        #expect(try ASN1Time.parseUTCTime("491231235959Z", "t") == Date(timeIntervalSince1970: 2_524_607_999))
        #expect(try ASN1Time.parseUTCTime("500101000000Z", "t") == Date(timeIntervalSince1970: -631_152_000))
        #expect(throws: ASN1StructureError.self) { try ASN1Time.parseUTCTime("5001010000Z0", "t") }
    }

    @Test("BER to DER: indefinite lengths, constructed strings and unsorted SETs are canonicalized")
    func canonicalizer() throws {
        // SET { OCTET STRING (constructed, indefinite: "ab" + "c"), INTEGER 1 } with the SET indefinite.
        let ber: [UInt8] = [0x31, 0x80, 0x24, 0x80, 0x04, 0x02, 0x61, 0x62, 0x04, 0x01, 0x63, 0x00, 0x00, 0x02, 0x01, 0x01, 0x00, 0x00]
        let der = try DERCanonicalizer.encode(ASN1Read.parse(ber, "t"))
        #expect(der == [0x31, 0x08, 0x02, 0x01, 0x01, 0x04, 0x03, 0x61, 0x62, 0x63])
        // A long-form length that fits in short form is shortened.
        let nonMinimal: [UInt8] = [0x30, 0x81, 0x03, 0x02, 0x01, 0x05]
        #expect(try DERCanonicalizer.encode(ASN1Read.parse(nonMinimal, "t")) == [0x30, 0x03, 0x02, 0x01, 0x05])
        // Constructed BIT STRING segments keep the last unused-bit count.
        let bits: [UInt8] = [0x23, 0x80, 0x03, 0x02, 0x00, 0xFF, 0x03, 0x02, 0x04, 0xF0, 0x00, 0x00]
        #expect(try DERCanonicalizer.encode(ASN1Read.parse(bits, "t")) == [0x03, 0x03, 0x04, 0xFF, 0xF0])
        // As an IMPLICIT [0] SET OF re-tagged to SET (signed attributes).
        let tagged: [UInt8] = [0xA0, 0x06, 0x02, 0x01, 0x09, 0x02, 0x01, 0x03]
        #expect(try DERCanonicalizer.encodeAsSetOf(ASN1Read.parse(tagged, "t"))
            == [0x31, 0x06, 0x02, 0x01, 0x03, 0x02, 0x01, 0x09])
        // DER input comes out unchanged.
        let pki = try CMSTestPKI()
        #expect(try DERCanonicalizer.encode(ASN1Read.parse(pki.signer.der, "t")) == pki.signer.der)
    }

    @Test("SET OF ordering pads the shorter encoding with zeros (X.690 §11.6)")
    func setOrdering() {
        #expect(DERCanonicalizer.setElementLessThan([0x04, 0x01], [0x04, 0x01, 0x00]))
        #expect(!DERCanonicalizer.setElementLessThan([0x05], [0x04, 0xFF]))
        #expect(DERCanonicalizer.setElementLessThan([0x30, 0x03], [0x31, 0x00]))
    }

    @Test("The first BER element's length is found through indefinite lengths; truncation gives nil")
    func firstElementLength() {
        let element: [UInt8] = [0x30, 0x80, 0x24, 0x80, 0x04, 0x01, 0x61, 0x00, 0x00, 0x02, 0x01, 0x01, 0x00, 0x00]
        #expect(BERLength.firstElementLength(element + [0, 0, 0]) == element.count)
        #expect(BERLength.firstElementLength([0x04, 0x82, 0x01, 0x00] + [UInt8](repeating: 7, count: 256)) == 260)
        for cut in 0..<element.count {
            #expect(BERLength.firstElementLength(Array(element.prefix(cut))) == nil)
        }
        #expect(BERLength.firstElementLength([0x04, 0x80, 0x00, 0x00]) == nil)  // primitive with indefinite length
    }

    @Test("INTEGER encodings: minimal forms, magnitudes and equality")
    func integers() {
        #expect(ASN1Integers.minimal([0x00, 0x00, 0x7F]) == [0x7F])
        #expect(ASN1Integers.minimal([0x00, 0x80]) == [0x00, 0x80])
        #expect(ASN1Integers.minimal([0xFF, 0xFF, 0x80]) == [0x80])
        #expect(ASN1Integers.fromMagnitude([0x00, 0x80, 0x01]) == [0x00, 0x80, 0x01])
        #expect(ASN1Integers.fromMagnitude([]) == [0])
        #expect(ASN1Integers.from(UInt64.max) == [0x00] + [UInt8](repeating: 0xFF, count: 8))
        #expect(ASN1Integers.from(1) == [1])
        #expect(ASN1Integers.equal([0x00, 0x05], [0x05]))
    }

    @Test("PKIFailureInfo named bits round-trip through their DER BIT STRING")
    func failureInfo() {
        #expect(PKIFailureInfo.badAlg.bitStringContent == [0x07, 0x80])
        #expect(PKIFailureInfo.badDataFormat.bitStringContent == [0x02, 0x04])
        #expect(PKIFailureInfo.systemFailure.bitStringContent == [0x06, 0x00, 0x00, 0x00, 0x40])
        for info in [PKIFailureInfo.badAlg, .badRequest, .badDataFormat, .timeNotAvailable, .unacceptedPolicy,
                     .unacceptedExtension, .addInfoNotAvailable, .systemFailure, [.badAlg, .systemFailure]] {
            #expect(PKIFailureInfo(bitStringContent: info.bitStringContent[...]) == info)
        }
        #expect(PKIFailureInfo([.badAlg, .unacceptedPolicy]).names == ["badAlg", "unacceptedPolicy"])
    }
}
