import COpenSSL

/// A memory BIO: OpenSSL's in-memory stream, for (de)serializing PEM and DER.
final class MemoryBIO {
    // Not Sendable: created, used and freed within one call.
    let pointer: OpaquePointer

    /// An empty, writable BIO.
    init() throws {
        pointer = try checkNotNull(BIO_new(BIO_s_mem()), "BIO_new")
    }

    /// A BIO holding a copy of `bytes`, to be read by OpenSSL.
    init(_ bytes: some Collection<UInt8>) throws {
        pointer = try checkNotNull(BIO_new(BIO_s_mem()), "BIO_new")
        let array = Array(bytes)
        let written = array.withUnsafeBytes { BIO_write(pointer, $0.baseAddress, Int32($0.count)) }
        if written != Int32(array.count) && !array.isEmpty { throw OpenSSLError.drain("BIO_write") }
    }

    /// Everything written to the BIO so far.
    var contents: [UInt8] {
        var data: UnsafePointer<UInt8>?
        let length = signet_BIO_get_mem_data(pointer, &data)
        guard let data, length > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }

    /// The contents decoded as UTF-8 (PEM text, printed names).
    var string: String { String(decoding: contents, as: UTF8.self) }

    deinit { BIO_free(pointer) }
}

/// Calls an OpenSSL `i2d_*` function twice (size, then bytes) and returns the DER.
func derEncode(_ operation: String, _ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) throws -> [UInt8] {
    let length = encode(nil)
    guard length > 0 else { throw OpenSSLError.drain(operation) }
    var out = [UInt8](repeating: 0, count: Int(length))
    let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
        var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
        return encode(&cursor)
    }
    guard written == length else { throw OpenSSLError.drain(operation) }
    return out
}

/// Calls an OpenSSL `d2i_*` function over `bytes`, requiring that it consumes all of them;
/// a structure followed by trailing bytes is freed with `free` before the error is thrown.
func derDecode<T>(
    _ operation: String, _ bytes: [UInt8], free: (T) -> Void, _ decode: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> T?
) throws -> T {
    OpenSSLError.clearQueue()
    return try bytes.withUnsafeBufferPointer { buffer in
        var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
        guard let value = decode(&cursor, buffer.count) else { throw OpenSSLError.drain(operation) }
        if let cursor, let base = buffer.baseAddress, cursor - base != buffer.count {
            free(value)
            throw CryptoError.malformed("\(operation): \(buffer.count - (cursor - base)) trailing bytes after the DER structure")
        }
        return value
    }
}
