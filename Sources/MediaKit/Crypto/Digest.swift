// Hashes, HMACs, random bytes and base64 forms over OpenSSL 3's EVP API.
import COpenSSL
import FoundationEssentials

public enum Digest {
    public static func sha256(_ data: Data) -> Data { digest(data, EVP_sha256()) }
    public static func sha1(_ data: Data) -> Data { digest(data, EVP_sha1()) }
    public static func md5(_ data: Data) -> Data { digest(data, EVP_md5()) }

    private static func digest(_ data: Data, _ md: OpaquePointer?) -> Data {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = data.withUnsafeBytes { buf in
            EVP_Digest(buf.baseAddress, buf.count, &out, &length, md, nil)
        }
        precondition(ok == 1, "EVP_Digest cannot fail for in-memory input")
        return Data(out.prefix(Int(length)))
    }

    public static func hmacSHA256(key: Data, message: Data) -> Data { hmac(key: key, message: message, EVP_sha256()) }
    public static func hmacSHA1(key: Data, message: Data) -> Data { hmac(key: key, message: message, EVP_sha1()) }

    private static func hmac(key: Data, message: Data, _ md: OpaquePointer?) -> Data {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                _ = HMAC(md, k.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(k.count),
                         m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count, &out, &length)
            }
        }
        return Data(out.prefix(Int(length)))
    }

    /// Cryptographically random bytes (RAND_bytes).
    public static func randomBytes(_ count: Int) -> Data {
        var out = [UInt8](repeating: 0, count: count)
        if RAND_bytes(&out, Int32(count)) != 1 {
            var g = SystemRandomNumberGenerator()
            for i in out.indices { out[i] = UInt8.random(in: 0...255, using: &g) }
        }
        return Data(out)
    }
}

/// A hash fed in pieces (EVP_DigestInit/Update/Final), for files hashed as they stream through:
/// an upload's SHA-256 or MD5 never needs the whole file in memory.
public final class IncrementalDigest {
    public enum Algorithm: Sendable { case sha256, md5 }
    private let context: OpaquePointer

    public init(_ algorithm: Algorithm) {
        guard let ctx = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new: out of memory") }
        context = ctx
        let md = algorithm == .sha256 ? EVP_sha256() : EVP_md5()
        precondition(EVP_DigestInit_ex(context, md, nil) == 1, "EVP_DigestInit_ex failed for a built-in digest")
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        precondition(EVP_DigestUpdate(context, base, bytes.count) == 1, "EVP_DigestUpdate cannot fail for in-memory input")
    }

    public func update(_ data: Data) { data.withUnsafeBytes { update($0) } }

    /// The digest; the object must not be updated afterwards.
    public func finish() -> Data {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        precondition(EVP_DigestFinal_ex(context, &out, &length) == 1, "EVP_DigestFinal_ex failed")
        return Data(out.prefix(Int(length)))
    }
}

extension Data {
    public var hexLowercase: String { map { String(cFormat: "%02x", $0) }.joined() }

    /// base64url without padding (RFC 7515 §2).
    public var base64URLEncoded: String {
        base64EncodedString().replacing("+", with: "-")
            .replacing("/", with: "_").replacing("=", with: "")
    }

    public init?(base64URLEncoded text: String) {
        var s = text.replacing("-", with: "+").replacing("_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        self.init(base64Encoded: s)
    }
}
