import Foundation
import SignetPAdES
import Testing

@Suite("Validation time as written (--at)")
struct ValidationTimeSettingTests {
    @Test("claimed, ISO 8601 times with and without fraction and offset, bare dates; nothing else")
    func parsing() {
        #expect(ValidationTimeSetting(parsing: "claimed") == .claimedSigningTime)
        #expect(ValidationTimeSetting(parsing: "2030-01-01T00:00:00Z") == .fixed(Date(timeIntervalSince1970: 1_893_456_000)))
        #expect(ValidationTimeSetting(parsing: "2030-01-01T08:00:00.500+08:00") == .fixed(Date(timeIntervalSince1970: 1_893_456_000.5)))
        #expect(ValidationTimeSetting(parsing: "2030-01-01") == .fixed(Date(timeIntervalSince1970: 1_893_456_000)))
        for text in ["", "now", "yesterday", "Claimed", "2030-13-01"] {
            #expect(ValidationTimeSetting(parsing: text) == nil, "\(text)")
        }
    }
}
