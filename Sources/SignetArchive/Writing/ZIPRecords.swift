import SignetCrypto

/// The byte layout of the ZIP records `ZIPStreamWriter` writes (APPNOTE 6.3.x: local file
/// header, central directory file header, ZIP64 end of central directory record and locator,
/// end of central directory record), little-endian. Pure functions, so the ZIP64 forms can be
/// checked without writing 4 GiB.
enum ZIPRecords {
    /// A field that does not fit in 32 (16) bits holds this and the value goes to ZIP64.
    static let marker32: UInt64 = 0xFFFF_FFFF
    static let marker16: UInt64 = 0xFFFF

    /// ZIP 2.0 (deflate) and 4.5 (ZIP64), in "version needed to extract".
    static let version20: UInt16 = 20
    static let version45: UInt16 = 45
    /// General purpose bit 11: the name is UTF-8.
    static let utf8Flag: UInt16 = 1 << 11
    /// "Version made by": Unix (3) in the high byte, so readers take the external attributes
    /// as a Unix mode.
    static let unixHost: UInt16 = 3 << 8
    /// External attributes: a regular file, rw-r--r--, in the high 16 bits.
    static let regularFileAttributes: UInt32 = 0o100644 << 16

    /// What a central directory record needs to know about an entry.
    struct Entry {
        var name: [UInt8]
        var method: UInt16
        var crc32: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var localHeaderOffset: UInt64
    }

    /// The local file header (sizes and CRC known up front, so no data descriptor). An entry
    /// of 4 GiB or more gets the ZIP64 extra field with both sizes (APPNOTE 4.5.3), the only
    /// extra field ever written here.
    static func localHeader(_ entry: Entry, time: DOSTime) -> [UInt8] {
        let zip64 = entry.uncompressedSize >= marker32 || entry.compressedSize >= marker32
        let extra: [UInt8] = zip64 ? extraField(entry.uncompressedSize, entry.compressedSize) : []
        var out = ByteWriter(capacity: 30 + entry.name.count + extra.count)
        out.u32(0x0403_4B50)
        out.u16(zip64 ? version45 : version20)
        out.u16(utf8Flag)
        out.u16(entry.method)
        out.u16(time.time)
        out.u16(time.date)
        out.u32(entry.crc32)
        out.u32(zip64 ? marker32 : entry.compressedSize)
        out.u32(zip64 ? marker32 : entry.uncompressedSize)
        out.u16(entry.name.count)
        out.u16(extra.count)
        out.bytes(entry.name)
        out.bytes(extra)
        return out.buffer
    }

    /// The central directory file header; the ZIP64 extra field holds, in APPNOTE's order, the
    /// uncompressed size, the compressed size and the local header offset, each only when its
    /// 32-bit field is full.
    static func centralHeader(_ entry: Entry, time: DOSTime) -> [UInt8] {
        let big = (entry.uncompressedSize >= marker32, entry.compressedSize >= marker32, entry.localHeaderOffset >= marker32)
        let values = [big.0 ? entry.uncompressedSize : nil, big.1 ? entry.compressedSize : nil, big.2 ? entry.localHeaderOffset : nil]
        let extra = extraField(values.compactMap { $0 })
        let version = extra.isEmpty ? version20 : version45
        var out = ByteWriter(capacity: 46 + entry.name.count + extra.count)
        out.u32(0x0201_4B50)
        out.u16(unixHost | version)
        out.u16(version)
        out.u16(utf8Flag)
        out.u16(entry.method)
        out.u16(time.time)
        out.u16(time.date)
        out.u32(entry.crc32)
        out.u32(min(entry.compressedSize, marker32))
        out.u32(min(entry.uncompressedSize, marker32))
        out.u16(entry.name.count)
        out.u16(extra.count)
        out.u16(0)  // comment length
        out.u16(0)  // disk number start
        out.u16(0)  // internal attributes
        out.u32(regularFileAttributes)
        out.u32(min(entry.localHeaderOffset, marker32))
        out.bytes(entry.name)
        out.bytes(extra)
        return out.buffer
    }

    /// The end of the archive after a central directory of `count` entries, `size` bytes, at
    /// `offset`: the ZIP64 end of central directory record and its locator when a value does
    /// not fit the classic record (65 535 entries or more, 4 GiB or more), then the classic
    /// record with the values that do not fit set to all ones.
    static func end(count: UInt64, size: UInt64, offset: UInt64) -> [UInt8] {
        var out = ByteWriter(capacity: 56 + 20 + 22)
        if count >= marker16 || size >= marker32 || offset >= marker32 {
            let zip64EndOffset = offset + size
            out.u32(0x0606_4B50)
            out.u64(44)  // the record's size after this field
            out.u16(unixHost | version45)
            out.u16(version45)
            out.u32(0)  // this disk
            out.u32(0)  // the disk with the central directory
            out.u64(count)
            out.u64(count)
            out.u64(size)
            out.u64(offset)
            out.u32(0x0706_4B50)
            out.u32(0)  // the disk with the ZIP64 end record
            out.u64(zip64EndOffset)
            out.u32(1)  // disks in all
        }
        out.u32(0x0605_4B50)
        out.u16(0)
        out.u16(0)
        out.u16(min(count, marker16))
        out.u16(min(count, marker16))
        out.u32(min(size, marker32))
        out.u32(min(offset, marker32))
        out.u16(0)  // comment length
        return out.buffer
    }

    /// Extra field 0x0001 (ZIP64 extended information) holding `values`, or nothing.
    private static func extraField(_ values: UInt64...) -> [UInt8] { extraField(values) }

    private static func extraField(_ values: [UInt64]) -> [UInt8] {
        guard !values.isEmpty else { return [] }
        var out = ByteWriter(capacity: 4 + 8 * values.count)
        out.u16(0x0001)
        out.u16(8 * values.count)
        for value in values { out.u64(value) }
        return out.buffer
    }
}

/// An MS-DOS date and time (2-second resolution, 1980…2107), as ZIP headers hold them.
struct DOSTime: Equatable {
    var date: UInt16
    var time: UInt16

    /// `civil` (taken as is: ZIP times have no zone), clamped to DOS's range.
    init(_ civil: CivilTime) {
        guard civil.year >= 1980 else {
            self.init(date: 1 << 5 | 1, time: 0)  // 1980-01-01 00:00:00
            return
        }
        let year = min(civil.year, 2107) - 1980
        self.init(date: UInt16(year << 9 | civil.month << 5 | civil.day),
                  time: UInt16(civil.hour << 11 | civil.minute << 5 | civil.second / 2))
    }

    init(date: UInt16, time: UInt16) {
        self.date = date
        self.time = time
    }
}

/// Little-endian appends into a byte array.
private struct ByteWriter {
    var buffer: [UInt8] = []

    init(capacity: Int) { buffer.reserveCapacity(capacity) }

    mutating func u16(_ value: some FixedWidthInteger) { append(UInt64(value), count: 2) }
    mutating func u32(_ value: some FixedWidthInteger) { append(UInt64(value), count: 4) }
    mutating func u64(_ value: UInt64) { append(value, count: 8) }
    mutating func bytes(_ value: [UInt8]) { buffer.append(contentsOf: value) }

    private mutating func append(_ value: UInt64, count: Int) {
        for index in 0..<count { buffer.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }
}
