// The little of X.509 instance principals need, read with OpenSSL: PEM → DER, the subject's RDNs
// (for `opc-tenant:`), the SHA-1 fingerprint of the `fed-x509` keyId, and the certificate's public key.
import COpenSSL
import FoundationEssentials

/// One parsed certificate, kept as values (the OpenSSL handle is freed as soon as it is read).
public struct X509Certificate: Sendable, Equatable {
    /// The certificate's DER encoding.
    public let der: Data
    /// Subject attributes in encoding order: short name (`CN`, `OU`, …) and UTF-8 value.
    public let subject: [SubjectAttribute]
    /// SubjectPublicKeyInfo DER of the certified key.
    public let publicKeyDER: Data

    public struct SubjectAttribute: Sendable, Equatable {
        public let name: String
        public let value: String
    }

    /// Every certificate in a PEM text, in order (IMDS's intermediate.pem may hold more than one).
    public static func all(pem: Data) -> [X509Certificate] {
        let bio = pem.withUnsafeBytes { buf in BIO_new_mem_buf(buf.baseAddress, Int32(buf.count)) }
        guard let bio else { return [] }
        defer { BIO_free(bio) }
        var found: [X509Certificate] = []
        while let x509 = PEM_read_bio_X509(bio, nil, nil, nil) {
            defer { X509_free(x509) }
            if let cert = X509Certificate(x509: x509) { found.append(cert) }
        }
        ERR_clear_error()   // the read that ends the loop leaves "no start line" on the error queue
        return found
    }

    /// The first certificate of a PEM text; nil when there is none.
    public init?(pem: Data) {
        guard let first = Self.all(pem: pem).first else { return nil }
        self = first
    }

    private init?(x509: OpaquePointer) {
        var out: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509(x509, &out)
        guard length > 0, let out else { return nil }
        der = Data(bytes: out, count: Int(length))
        CRYPTO_free(out, #file, #line)

        var attributes: [SubjectAttribute] = []
        if let name = X509_get_subject_name(x509) {
            for i in 0..<X509_NAME_entry_count(name) {
                guard let entry = X509_NAME_get_entry(name, i) else { continue }
                let nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))
                let short = OBJ_nid2sn(nid).map { String(cString: $0) } ?? "UNDEF"
                var utf8: UnsafeMutablePointer<UInt8>?
                let count = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry))
                guard count >= 0, let utf8 else { continue }
                attributes.append(SubjectAttribute(name: short, value: String(decoding: UnsafeBufferPointer(start: utf8, count: Int(count)), as: UTF8.self)))
                CRYPTO_free(utf8, #file, #line)
            }
        }
        subject = attributes
        guard let key = X509_get0_pubkey(x509) else { return nil }
        publicKeyDER = RSAPublicKey.derSPKI(key)
    }

    /// SHA-1 of the DER, uppercase hex pairs joined by `:` — the `fed-x509` keyId's fingerprint (protocols.md §3 step 6).
    public var sha1Fingerprint: String {
        Digest.sha1(der).map { String(cFormat: "%02X", $0) }.joined(separator: ":")
    }

    /// The tenancy OCID: the rest of the first subject value starting `opc-tenant:` or `opc-identity:`,
    /// walking the RDNs in order as the SDK's `get_tenancy_id_from_certificate` does.
    public var tenancyOCID: String? {
        for attribute in subject {
            for prefix in ["opc-tenant:", "opc-identity:"] where attribute.value.hasPrefix(prefix) {
                return String(attribute.value.dropFirst(prefix.count))
            }
        }
        return nil
    }

    /// The subject as one line (`CN=…, OU=…`), for messages.
    public var subjectLine: String { subject.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") }

    /// Base64 of the DER on one line: the PEM body without its BEGIN/END lines and newlines, as
    /// the federation request carries it.
    public var base64DER: String { der.base64EncodedString() }

    public var publicKey: RSAPublicKey? { RSAPublicKey(der: publicKeyDER) }
}
