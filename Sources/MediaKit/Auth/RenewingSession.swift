// The session a token-exchanging resource principal signs with (versions 1.1, 2.1.x and 3.0): its token and
// the key it is bound to, renewed 60 s before it expires (the SDK's `valid_with_jitter`), after a 401, and when
// a parent nested on it asks. Each signer says how a session is made; this keeps it.
import FoundationEssentials

final class RenewingSession: @unchecked Sendable {
    // @unchecked: `session` and `key` are read and written only with `lock` held.
    private let lock = Lock()
    private var session: ResourcePrincipalSession
    private var key: RSAPrivateKey
    private let make: @Sendable () throws(MediaError) -> (ResourcePrincipalSession, RSAPrivateKey)

    /// Makes the first session now (as the SDK's constructors do).
    init(_ make: @escaping @Sendable () throws(MediaError) -> (ResourcePrincipalSession, RSAPrivateKey)) throws(MediaError) {
        (session, key) = try make()
        self.make = make
    }

    /// Signs with `ST$<token>` and the session's key, renewing it first when it is about to expire.
    func sign(_ request: inout HTTPRequest, now: Date) throws(MediaError) {
        lock.lock()
        defer { lock.unlock() }
        if let exp = session.expiresAt, now > exp.addingTimeInterval(-InstancePrincipalSigner.expiryMargin) { (session, key) = try make() }
        try OCIRequestSigner.sign(&request, keyID: "ST$\(session.token)", key: key, date: now)
    }

    func refreshAfterUnauthorized() -> Bool {
        do { try renew(); return true } catch { return false }
    }

    func renew() throws(MediaError) {
        lock.lock()
        defer { lock.unlock() }
        (session, key) = try make()
    }

    var currentKey: RSAPrivateKey { lock.withLock { key } }
    var tenancy: String? { lock.withLock { session.claims["res_tenant"]?.stringValue } }
    var parentTokenURL: String? { lock.withLock { session.parentTokenURL } }
}
