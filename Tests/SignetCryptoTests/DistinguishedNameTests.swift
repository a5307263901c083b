import Foundation
@testable import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

@Suite("Distinguished names: display forms on demand, DER header reading")
struct DistinguishedNameTests {
    static let name: [(NameAttributeType, String)] = [
        (.country, "CN"), (.organization, "上海示例支付有限公司, \"Shanghai\" <branch>"), (.commonName, "Merchant+Seal=1;2\\3"),
    ]

    @Test("Forms decoded on first use are OpenSSL's, whichever way the name was made")
    func displayForms() throws {
        let built = try DistinguishedName(Self.name)
        let fromDER = try DistinguishedName(der: built.der)
        #expect(built == fromDER && built.hashValue == fromDER.hashValue)
        #expect(built.matches(fromDER))
        #expect(fromDER.attributes.map(\.shortName) == ["C", "O", "CN"])
        #expect(fromDER.attributes.map(\.value) == Self.name.map(\.1))
        #expect(fromDER.commonName == "Merchant+Seal=1;2\\3")
        // The same text `openssl x509 -nameopt RFC2253` prints (checked against the CLI in
        // KeyAndCertificateTests), asked for before and after the attributes.
        #expect(built.rfc2253 == fromDER.rfc2253)
        #expect(fromDER.rfc2253.hasPrefix(#"CN=Merchant\+Seal=1\;2\\3,O="#))
    }

    @Test("displayString escapes the RFC 4514 specials byte by byte and keeps UTF-8 as it is")
    func displayString() throws {
        let name = try DistinguishedName(Self.name)
        #expect(name.displayString
            == #"CN=Merchant\+Seal\=1\;2\\3, O=上海示例支付有限公司\, \"Shanghai\" \<branch\>, C=CN"#)
        let short = try DistinguishedName([(.commonName, "签章")])
        #expect(short.displayString == "CN=签章")
    }

    @Test("The header cursor reads a CRL's issuer without its entries, and refuses what it cannot read")
    func headerCursor() throws {
        let pki = try TestPKI()
        func enter(_ cursor: inout DERHeaderCursor, _ tag: UInt8) -> DERHeaderCursor? { cursor.enter(tag) }
        let crl = try pki.issuing.issueCRL(
            revoked: (1...50).map { RevokedCertificate(serialNumber: [0x10, UInt8($0)], revocationDate: pki.now, reason: .keyCompromise) },
            number: 7, thisUpdate: pki.now, nextUpdate: pki.now.addingTimeInterval(86_400))
        var top = DERHeaderCursor(crl.der)
        var list = try #require(enter(&top, 0x30))
        var tbs = try #require(enter(&list, 0x30))
        #expect(tbs.nextTag == 0x02)
        let skipped = tbs.skip(0x02) && tbs.skip(0x30)
        let issuer = tbs.take(0x30)
        #expect(skipped)
        #expect(issuer.map(Array.init) == crl.issuer.der)
        #expect(top.nextTag == nil)

        var wrongTag = DERHeaderCursor(crl.der)
        var truncated = DERHeaderCursor(Array(crl.der.prefix(40)))
        var indefinite = DERHeaderCursor([0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00])
        var multiByteTag = DERHeaderCursor([0x1F, 0x81, 0x00, 0x00])
        var empty = DERHeaderCursor([])
        let refused = [enter(&wrongTag, 0x31), enter(&truncated, 0x30), enter(&indefinite, 0x30)].map { $0 == nil }
        #expect(refused == [true, true, true])
        let skippedOddTag = multiByteTag.skip(0x1F), skippedNothing = empty.skip(0x30)
        #expect(!skippedOddTag && !skippedNothing && empty.nextTag == nil)
    }
}
