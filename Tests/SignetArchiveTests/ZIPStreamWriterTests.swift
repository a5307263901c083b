import Foundation
@testable import SignetArchive
import SignetCrypto
import SignetTestSupport
import Testing
import ZIPFoundation

/// `ZIPStreamWriter`'s files read back by three independent readers: ZIPFoundation, Info-ZIP's
/// `unzip -t`/`zipinfo -v`, and python's `zipfile`.
@Suite struct ZIPStreamWriterTests {
    /// 2026-03-14 09:26:53 UTC: the DOS time keeps 09:26:52 (2-second resolution).
    private static let date = Date(timeIntervalSince1970: 1_773_480_413)

    private struct Item {
        let name: String
        let bytes: [UInt8]
        let method: ZIPStreamWriter.Method
    }

    private func write(_ items: [Item], to url: URL) throws {
        let zip = try ZIPStreamWriter(path: url.path, modificationDate: Self.date)
        for item in items { try zip.add(item.name, item.bytes, method: item.method) }
        try zip.finish()
    }

    /// Runs python's zipfile on `url`: `testzip()` must find no bad CRC, then prints one JSON
    /// object per entry in order (name, SHA-256 of the bytes, method, flags, date_time,
    /// extra length, header offset).
    private func pythonListing(_ url: URL, only indices: String = "range(len(infos))") throws -> [[String: Any]] {
        let script = """
            import hashlib, json, sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as z:
                bad = z.testzip()
                assert bad is None, 'bad entry: %r' % bad
                infos = z.infolist()
                print(json.dumps({'count': len(infos)}))
                for i in \(indices):
                    info = infos[i]
                    print(json.dumps({'name': info.filename, 'sha256': hashlib.sha256(z.read(info)).hexdigest(),
                                      'method': info.compress_type, 'flags': info.flag_bits, 'time': list(info.date_time),
                                      'extra': len(info.extra), 'offset': info.header_offset}))
            """
        let result = try ExternalTool.run("python3", ["-c", script, url.path])
        try #require(result.status == 0, "\(result.combinedOutput)")
        return try result.output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func storedDeflatedAndNonASCIINamesReadBack() throws {
        var random = SystemRandomNumberGenerator()
        let items = [
            Item(name: "mimetype", bytes: Array(ArchiveLayout.mimeType.utf8), method: .stored),
            Item(name: "text/repeated.txt", bytes: Array(String(repeating: "签署 contract line\n", count: 2_000).utf8), method: .deflated),
            Item(name: "random.bin", bytes: (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &random) }, method: .stored),
            Item(name: "合同/电子签名-Überprüfung.json", bytes: Array("{\"签署方\":\"宁波远航\"}".utf8), method: .deflated),
            Item(name: "empty-deflated", bytes: [], method: .deflated),
            Item(name: "empty-stored", bytes: [], method: .stored),
            // Larger than the writer's 1 MiB buffer, so it is written directly.
            Item(name: "big.bin", bytes: (0..<1_500_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }, method: .deflated),
        ]
        let directory = try TemporaryDirectory()
        let url = directory.file("small.zip")
        try write(items, to: url)

        // ZIPFoundation: the same names, bytes and methods, in order.
        let archive = try Archive(url: url, accessMode: .read, pathEncoding: nil)
        let read = Array(archive)
        #expect(read.map(\.path) == items.map(\.name))
        for (entry, item) in zip(read, items) {
            var bytes: [UInt8] = []
            _ = try archive.extract(entry, skipCRC32: false) { bytes += $0 }
            #expect(bytes == item.bytes, "\(item.name)")
            #expect(entry.isCompressed == (item.method == .deflated), "\(item.name)")
            #expect(entry.type == .file, "\(item.name)")
        }

        // Info-ZIP.
        let test = try ExternalTool.run("unzip", ["-t", url.path])
        #expect(test.status == 0 && test.output.contains("No errors detected"), "\(test.combinedOutput)")

        // python's zipfile: CRCs, names, bytes, methods, UTF-8 flag, the DOS time, no extra field.
        let listing = try pythonListing(url)
        #expect(listing.first?["count"] as? Int == items.count)
        let entries = Array(listing.dropFirst())
        #expect(entries.map { $0["name"] as? String } == items.map(\.name))
        for (entry, item) in zip(entries, items) {
            #expect(entry["sha256"] as? String == DigestAlgorithm.sha256.hash(item.bytes).hexString, "\(item.name)")
            #expect(entry["method"] as? Int == Int(item.method.rawValue), "\(item.name)")
            #expect((entry["flags"] as? Int ?? 0) & 0x800 != 0, "\(item.name): general purpose bit 11 (UTF-8)")
            #expect(entry["time"] as? [Int] == [2026, 3, 14, 9, 26, 52], "\(item.name)")
            #expect(entry["extra"] as? Int == 0, "\(item.name)")
        }
        #expect(entries.first?["offset"] as? Int == 0)
    }

    @Test func mimetypeIsFirstStoredWithoutExtraField() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("asic.zip")
        try write([Item(name: "mimetype", bytes: Array(ArchiveLayout.mimeType.utf8), method: .stored),
                   Item(name: "README.txt", bytes: Array("hello\n".utf8), method: .deflated)], to: url)
        let listing = try ExternalTool.run("zipinfo", ["-v", url.path])
        try #require(listing.status == 0, "\(listing.combinedOutput)")
        let first = try #require(listing.output.components(separatedBy: "Central directory entry #1:").dropFirst().first)
        #expect(first.contains("\n  mimetype\n"), "\(first.prefix(300))")
        #expect(first.contains("compression method:                             none (stored)"))
        #expect(first.contains("offset of local header from start of archive:   0\n"))
        #expect(first.contains("length of extra field:                          0 bytes"))
        // The local header: "mimetype" at byte 30, the media type right after, at 38.
        let bytes = [UInt8](try Data(contentsOf: url))
        #expect(Array(bytes[30..<38]) == Array("mimetype".utf8))
        #expect(Array(bytes[38..<(38 + ArchiveLayout.mimeType.utf8.count)]) == Array(ArchiveLayout.mimeType.utf8))
    }

    /// More entries than the classic end record can count: the ZIP64 end record and locator.
    @Test func seventyThousandEntriesUseZIP64() throws {
        let count = 70_000
        func item(_ index: Int) -> Item {
            // Every 1000th deflated: deflating costs a zlib stream set-up per entry.
            Item(name: "contracts/c\(index / 12)/f\(index % 12).txt", bytes: Array("entry \(index)\n".utf8),
                 method: index % 1_000 == 7 ? .deflated : .stored)
        }
        let directory = try TemporaryDirectory()
        let url = directory.file("many.zip")
        let zip = try ZIPStreamWriter(path: url.path, modificationDate: Self.date)
        for index in 0..<count { let entry = item(index); try zip.add(entry.name, entry.bytes, method: entry.method) }
        try zip.finish()

        // The end: ZIP64 end record, its locator, then the classic record counting 0xFFFF.
        let bytes = [UInt8](try Data(contentsOf: url))
        let end = bytes.count - 22, locator = end - 20, record = locator - 56
        #expect(Array(bytes[end..<end + 4]) == [0x50, 0x4B, 0x05, 0x06])
        #expect(Array(bytes[end + 10..<end + 12]) == [0xFF, 0xFF])
        #expect(Array(bytes[locator..<locator + 4]) == [0x50, 0x4B, 0x06, 0x07])
        #expect(Array(bytes[record..<record + 4]) == [0x50, 0x4B, 0x06, 0x06])
        #expect(Self.u64(bytes, at: locator + 8) == UInt64(record))
        #expect(Self.u64(bytes, at: record + 32) == UInt64(count))

        let archive = try Archive(url: url, accessMode: .read, pathEncoding: nil)
        var names: [String] = []
        for entry in archive { names.append(entry.path) }
        #expect(names.count == count)
        #expect(names == (0..<count).map { item($0).name })
        for index in [0, 7, 65_534, 65_535, count - 1] {
            let entry = try #require(archive[item(index).name])
            var read: [UInt8] = []
            _ = try archive.extract(entry, skipCRC32: false) { read += $0 }
            #expect(read == item(index).bytes)
        }

        let test = try ExternalTool.run("unzip", ["-tq", url.path])
        #expect(test.status == 0 && test.output.contains("No errors detected"), "\(test.combinedOutput)")

        let listing = try pythonListing(url, only: "[0, 7, 65534, 65535, len(infos) - 1]")
        #expect(listing.first?["count"] as? Int == count)
        let sampled = [0, 7, 65_534, 65_535, count - 1].map(item)
        #expect(listing.dropFirst().map { $0["name"] as? String } == sampled.map(\.name))
        #expect(listing.dropFirst().map { $0["sha256"] as? String } == sampled.map { DigestAlgorithm.sha256.hash($0.bytes).hexString })
    }

    /// Offsets and sizes past 4 GiB go to the ZIP64 extra field (checked on the records, not
    /// by writing 4 GiB).
    @Test func largeOffsetsAndSizesGoToTheZIP64ExtraField() throws {
        let time = DOSTime(date: 0x5C6E, time: 0x4B5A)
        let far = ZIPRecords.Entry(name: Array("a".utf8), method: 8, crc32: 0x1234_5678, compressedSize: 10, uncompressedSize: 20,
                                   localHeaderOffset: 5 << 30)
        let central = ZIPRecords.centralHeader(far, time: time)
        try #require(central.count == 46 + 1 + 12)
        #expect(Self.u16(central, at: 6) == 45)  // version needed
        #expect(Self.u32(central, at: 20) == 10 && Self.u32(central, at: 24) == 20)
        #expect(Self.u16(central, at: 30) == 12)  // extra length: header + one value
        #expect(Self.u32(central, at: 42) == 0xFFFF_FFFF)
        #expect(Self.u16(central, at: 47) == 0x0001 && Self.u16(central, at: 49) == 8)
        #expect(Self.u64(central, at: 51) == 5 << 30)
        #expect(ZIPRecords.localHeader(far, time: time).count == 31)  // no extra field in the local header

        let huge = ZIPRecords.Entry(name: Array("b".utf8), method: 0, crc32: 0, compressedSize: 6 << 30, uncompressedSize: 6 << 30,
                                    localHeaderOffset: 100)
        let hugeCentral = ZIPRecords.centralHeader(huge, time: time)
        try #require(hugeCentral.count == 46 + 1 + 20)
        #expect(Self.u32(hugeCentral, at: 20) == 0xFFFF_FFFF && Self.u32(hugeCentral, at: 24) == 0xFFFF_FFFF)
        #expect(Self.u32(hugeCentral, at: 42) == 100)
        #expect(Self.u16(hugeCentral, at: 49) == 16)
        #expect(Self.u64(hugeCentral, at: 51) == 6 << 30 && Self.u64(hugeCentral, at: 59) == 6 << 30)
        let local = ZIPRecords.localHeader(huge, time: time)
        try #require(local.count == 30 + 1 + 20)
        #expect(Self.u16(local, at: 28) == 20 && Self.u64(local, at: 35) == 6 << 30)

        let end = ZIPRecords.end(count: 3, size: 200, offset: 5 << 30)
        try #require(end.count == 56 + 20 + 22)
        #expect(Self.u64(end, at: 48) == 5 << 30 && Self.u64(end, at: 56 + 8) == (5 << 30) + 200)
        #expect(Self.u16(end, at: 76 + 10) == 3 && Self.u32(end, at: 76 + 16) == 0xFFFF_FFFF)
        #expect(ZIPRecords.end(count: 65_534, size: 200, offset: 1_000).count == 22)
    }

    @Test func dosTimeClampsAndRounds() {
        #expect(DOSTime(CivilTime(year: 1975, month: 6, day: 1)) == DOSTime(date: 0x21, time: 0))
        let time = DOSTime(CivilTime(year: 2026, month: 3, day: 14, hour: 9, minute: 26, second: 53))
        #expect(time == DOSTime(date: UInt16(46 << 9 | 3 << 5 | 14), time: UInt16(9 << 11 | 26 << 5 | 26)))
    }

    private static func u16(_ bytes: [UInt8], at offset: Int) -> UInt64 { little(bytes, offset, 2) }
    private static func u32(_ bytes: [UInt8], at offset: Int) -> UInt64 { little(bytes, offset, 4) }
    private static func u64(_ bytes: [UInt8], at offset: Int) -> UInt64 { little(bytes, offset, 8) }
    private static func little(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> UInt64 {
        (0..<count).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
}
