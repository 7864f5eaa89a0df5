// RSA keys over OpenSSL's EVP_PKEY: PEM loading with pass phrases, PKCS#1 v1.5 SHA-256 signing and
// verification, SubjectPublicKeyInfo export and the OCI API-key fingerprint.
import COpenSSL
import FoundationEssentials

/// Why a PEM could not be used as a private key; the CLI words these for the user.
public enum KeyLoadError: Error, Equatable, Sendable {
    case passphraseRequired
    case wrongPassphraseOrNotAKey
    case publicKeyGiven
    case notPEM
    case notRSA

    public var message: String {
        switch self {
        case .passphraseRequired: "the key is encrypted and needs a pass phrase (pass_phrase in the config, or OCI_CLI_PASSPHRASE)"
        case .wrongPassphraseOrNotAKey: "the key could not be decrypted: the pass phrase is wrong or the file is not a private key"
        case .publicKeyGiven: "a public key was given where the private key is needed"
        case .notPEM: "the file is not a PEM private key"
        case .notRSA: "only RSA keys can sign OCI requests"
        }
    }
}

/// The one owner of an EVP_PKEY* holding a private key; frees it on deinit.
public final class RSAPrivateKey: @unchecked Sendable {
    // EVP_PKEY is reference counted and read-only after loading; signing from several threads is safe.
    let pkey: OpaquePointer

    private init(pkey: OpaquePointer) { self.pkey = pkey }
    deinit { EVP_PKEY_free(pkey) }

    /// Loads PKCS#1 or PKCS#8 PEM, plain or encrypted. A pass phrase given for a plain key is ignored,
    /// as the OCI SDK does.
    public static func load(pem: Data, passphrase: String?) throws(KeyLoadError) -> RSAPrivateKey {
        let text = String(decoding: pem, as: UTF8.self)
        if !text.contains("-----BEGIN") { throw .notPEM }
        if text.contains("-----BEGIN PUBLIC KEY-----") || text.contains("-----BEGIN RSA PUBLIC KEY-----"),
           !text.contains("PRIVATE KEY-----") {
            throw .publicKeyGiven
        }
        let encrypted = text.contains("ENCRYPTED")
        if encrypted && (passphrase ?? "").isEmpty { throw .passphraseRequired }

        ERR_clear_error()
        func memoryBIO() -> OpaquePointer? { pem.withUnsafeBytes { buf in BIO_new_mem_buf(buf.baseAddress, Int32(buf.count)) } }
        // Never let OpenSSL prompt on the terminal: the callback answers from memory, or refuses.
        let answer: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = { buf, size, _, userdata in
            guard let buf, let userdata else { return -1 }
            let pass = userdata.assumingMemoryBound(to: CChar.self)
            let length = strlen(pass)
            if length == 0 || length > Int(size) { return -1 }
            memcpy(buf, pass, length)
            return Int32(length)
        }
        var secret = Array((passphrase ?? "").utf8CString)
        let key: OpaquePointer? = secret.withUnsafeMutableBufferPointer { pw in
            // First as what OCI keys are, an RSA key in PEM: OpenSSL 3 then tries a few decoders rather
            // than all of them (9.2 M instructions for PEM_read_bio_PrivateKey). Anything else, and every
            // failure, goes the general way, which also tells the failures apart.
            if let bio = memoryBIO() {
                defer { BIO_free(bio) }
                var rsa: OpaquePointer?
                if let ctx = OSSL_DECODER_CTX_new_for_pkey(&rsa, "PEM", nil, "RSA", copenssl_keypair_selection(), nil, nil) {
                    defer { OSSL_DECODER_CTX_free(ctx) }
                    if OSSL_DECODER_CTX_set_pem_password_cb(ctx, answer, pw.baseAddress) == 1,
                       OSSL_DECODER_from_bio(ctx, bio) == 1, let rsa { return rsa }
                }
                if let rsa { EVP_PKEY_free(rsa) }
            }
            ERR_clear_error()
            guard let bio = memoryBIO() else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, answer, pw.baseAddress)
        }
        for i in secret.indices { secret[i] = 0 }
        ERR_clear_error()
        guard let key else { throw encrypted ? .wrongPassphraseOrNotAKey : .notPEM }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA else { EVP_PKEY_free(key); throw .notRSA }
        return RSAPrivateKey(pkey: key)
    }

    /// A fresh RSA key pair (instance-principal session keys).
    public static func generate(bits: Int = 2048) -> RSAPrivateKey? {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else { return nil }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, Int32(bits)) == 1 else { return nil }
        var key: OpaquePointer?
        guard EVP_PKEY_generate(ctx, &key) == 1, let key else { return nil }
        return RSAPrivateKey(pkey: key)
    }

    /// RSA PKCS#1 v1.5 signature over SHA-256 of `message` (deterministic).
    public func signSHA256(_ message: Data) -> Data? {
        guard let ctx = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, EVP_sha256(), nil, pkey) == 1 else { return nil }
        var length = 0
        return message.withUnsafeBytes { m -> Data? in
            let base = m.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard EVP_DigestSign(ctx, nil, &length, base, m.count) == 1 else { return nil }
            var sig = [UInt8](repeating: 0, count: length)
            guard EVP_DigestSign(ctx, &sig, &length, base, m.count) == 1 else { return nil }
            return Data(sig.prefix(length))
        }
    }

    /// The public half as DER SubjectPublicKeyInfo.
    public var publicKeyDER: Data { RSAPublicKey.derSPKI(pkey) }

    public var publicKey: RSAPublicKey? { RSAPublicKey(der: publicKeyDER) }

    /// OCI's API-key fingerprint: MD5 of the DER public key, lowercase hex pairs joined by ':'.
    public var fingerprint: String { Digest.md5(publicKeyDER).map { String(cFormat: "%02x", $0) }.joined(separator: ":") }

    /// The private key as unencrypted PKCS#8 PEM (only for writing throw-away emulator keys).
    public var pkcs8PEM: String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        PEM_write_bio_PrivateKey(bio, pkey, nil, nil, 0, nil, nil)
        return RSAPublicKey.drain(bio)
    }
}

/// The one owner of an EVP_PKEY* holding a public key.
public final class RSAPublicKey: @unchecked Sendable {
    let pkey: OpaquePointer

    private init(pkey: OpaquePointer) { self.pkey = pkey }
    deinit { EVP_PKEY_free(pkey) }

    public convenience init?(pem: Data) {
        let bio = pem.withUnsafeBytes { buf in BIO_new_mem_buf(buf.baseAddress, Int32(buf.count)) }
        guard let bio else { return nil }
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PUBKEY(bio, nil, nil, nil) else { ERR_clear_error(); return nil }
        self.init(pkey: key)
    }

    public convenience init?(der: Data) {
        let key: OpaquePointer? = der.withUnsafeBytes { buf in
            var p = buf.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return d2i_PUBKEY(nil, &p, buf.count)
        }
        guard let key else { ERR_clear_error(); return nil }
        self.init(pkey: key)
    }

    /// Checks an RSA PKCS#1 v1.5 SHA-256 signature.
    public func verifySHA256(signature: Data, message: Data) -> Bool {
        guard let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx); ERR_clear_error() }
        guard EVP_DigestVerifyInit(ctx, nil, EVP_sha256(), nil, pkey) == 1 else { return false }
        return signature.withUnsafeBytes { s in
            message.withUnsafeBytes { m in
                EVP_DigestVerify(ctx, s.baseAddress?.assumingMemoryBound(to: UInt8.self), s.count,
                                 m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count) == 1
            }
        }
    }

    public var der: Data { Self.derSPKI(pkey) }

    public var pem: String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        PEM_write_bio_PUBKEY(bio, pkey)
        return Self.drain(bio)
    }

    public var fingerprint: String { Digest.md5(der).map { String(cFormat: "%02x", $0) }.joined(separator: ":") }

    static func derSPKI(_ pkey: OpaquePointer) -> Data {
        var out: UnsafeMutablePointer<UInt8>?
        let length = i2d_PUBKEY(pkey, &out)
        guard length > 0, let out else { return Data() }
        defer { CRYPTO_free(out, #file, #line) }
        return Data(bytes: out, count: Int(length))
    }

    static func drain(_ bio: OpaquePointer) -> String {
        var ptr: UnsafeMutablePointer<CChar>?
        let length = copenssl_bio_get_mem_data(bio, &ptr)
        guard length > 0, let ptr else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: ptr, count: length), as: UTF8.self)
    }
}
