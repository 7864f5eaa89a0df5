// Fakes for principal-auth tests: an instance identity (CA + leaf certificate) made with the openssl
// command line at test time, a loopback instance metadata service, and a loopback auth service that
// checks /v1/x509 signatures with the leaf certificate's key and issues JWT-shaped tokens.
import EmulatorCore
import Foundation
import MediaKit

/// JWT-shaped tokens (header.payload.signature, base64url): only the claims matter to mediactl.
public enum TestTokens {
    public static func jwt(_ claims: JSONValue) -> String {
        let header: JSONValue = ["alg": "RS256", "typ": "JWT", "kid": "asw"]
        return [header.data.base64URLEncoded, claims.data.base64URLEncoded, Digest.randomBytes(32).base64URLEncoded].joined(separator: ".")
    }

    /// A token expiring `lifetime` seconds from `now`, with the claims OCI's tokens carry.
    public static func session(lifetime: Double, now: Date = Date(), extra: [(String, JSONValue)] = []) -> String {
        let iat = Int(now.timeIntervalSince1970)
        var claims: [(String, JSONValue)] = [("iat", .int(iat)), ("exp", .int(iat + Int(lifetime))),
                                             ("jti", .string(UUID().uuidString)), ("tenant", .string(Fixtures.tenancy))]
        claims += extra
        return jwt(.object(claims))
    }
}

/// Runs `openssl` with arguments; throws with its stderr when it fails.
public enum OpenSSLCommand {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    /// Output goes to files, not pipes: a pipe read interrupted by a signal (EINTR) traps inside Foundation.
    public static func run(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let errorPath = "\(directory)/openssl.err"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer { try? errors.close() }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "openssl \(arguments.joined(separator: " ")): \(String(decoding: Fixtures.data(errorPath), as: UTF8.self))")
        }
    }
}

/// What an OCI instance's metadata service hands out, made fresh with openssl: a leaf certificate whose
/// subject carries the tenancy (`OU=opc-tenant:…`), its key, and the intermediate CA that signed it.
/// The fingerprint and public key are read back with openssl too, so checks do not trust MediaKit's X.509 code.
public struct TestInstanceIdentity: Sendable {
    public let tenancy: String
    public let leafPEM: String
    public let leafKeyPEM: String
    public let intermediatePEM: String
    /// `openssl x509 -fingerprint -sha1`: uppercase hex pairs joined by ':'.
    public let sha1Fingerprint: String
    /// `openssl x509 -pubkey`.
    public let leafPublicKeyPEM: String

    public static let instanceID = "ocid1.instance.oc1.iad.aaaaaaaatestinstance"

    /// `tenancyAttribute` is the subject value carrying the tenancy; nil leaves it out.
    public static func make(tenancy: String = Fixtures.tenancy, tenancyAttribute: String? = nil) throws -> TestInstanceIdentity {
        let dir = TemporaryDirectory()
        try OpenSSLCommand.run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                                "-days", "2", "-subj", "/CN=PKISVC Identity Intermediate Test/O=mediactl tests"], in: dir.path)
        var subject = "/CN=\(instanceID)/OU=opc-certtype:instance/OU=opc-compartment:\(Fixtures.compartment)/OU=opc-instance:\(instanceID)"
        let attribute = tenancyAttribute ?? "opc-tenant:\(tenancy)"
        if !attribute.isEmpty { subject += "/OU=\(attribute)" }
        try OpenSSLCommand.run(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr",
                                "-subj", subject], in: dir.path)
        try OpenSSLCommand.run(["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "7",
                                "-days", "1", "-out", "leaf.pem"], in: dir.path)
        try OpenSSLCommand.run(["x509", "-in", "leaf.pem", "-noout", "-fingerprint", "-sha1", "-out", "fingerprint.txt"], in: dir.path)
        try OpenSSLCommand.run(["x509", "-in", "leaf.pem", "-noout", "-pubkey", "-out", "leaf.pub"], in: dir.path)
        func read(_ name: String) -> String { String(decoding: Fixtures.data("\(dir.path)/\(name)"), as: UTF8.self) }
        let publicKey = read("leaf.pub")
        let fingerprint = read("fingerprint.txt").split(separator: "=", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        return TestInstanceIdentity(tenancy: tenancy, leafPEM: read("leaf.pem"), leafKeyPEM: read("leaf.key"),
                                    intermediatePEM: read("ca.pem"), sha1Fingerprint: fingerprint, leafPublicKeyPEM: publicKey)
    }

    /// One identity per test process: RSA key generation is the slow part.
    public static let shared: Result<TestInstanceIdentity, OpenSSLCommand.Failure> = {
        do { return .success(try make()) } catch let failure as OpenSSLCommand.Failure { return .failure(failure) } catch {
            return .failure(OpenSSLCommand.Failure(description: "\(error)"))
        }
    }()

    /// A PEM's body on one line (BEGIN/END lines and newlines removed), as the SDK's sanitize_certificate_string does.
    public static func oneLine(_ pem: String) -> String {
        pem.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
    }
}

/// The instance metadata service, v2, on loopback: `/opc/v2/identity/{cert,key,intermediate}.pem` and
/// `/opc/v2/instance/region`, answering only requests that carry `Authorization: Bearer Oracle`.
public final class FakeMetadataService: @unchecked Sendable {
    // @unchecked: all mutable state is behind `lock`.
    public private(set) var server: LoopbackServer! = nil
    private let lock = NSLock()
    private var identity: TestInstanceIdentity
    private var region: String
    private var scriptedFailures: [String: [Int]] = [:]
    private var log: [LoopbackRequest] = []

    public init(identity: TestInstanceIdentity, region: String = "iad") throws {
        self.identity = identity
        self.region = region
        server = try LoopbackServer { [weak self] request in
            self?.handle(request) ?? HTTPResponse(status: 503)
        }
    }

    public var baseURL: String { "\(server.baseURL)/opc/v2" }
    public var requests: [LoopbackRequest] { lock.withLock { log } }

    /// Hands out another identity from now on (certificate rotation).
    public func rotate(to identity: TestInstanceIdentity) { lock.withLock { self.identity = identity } }

    /// The next requests for `path` (e.g. "/identity/cert.pem") get these statuses, one each, in order.
    public func fail(_ path: String, with statuses: [Int]) { lock.withLock { scriptedFailures[path, default: []] += statuses } }

    private func handle(_ request: LoopbackRequest) -> HTTPResponse {
        let (identity, region, scripted): (TestInstanceIdentity, String, Int?) = lock.withLock {
            log.append(request)
            let path = String(request.path.dropFirst("/opc/v2".count))
            var scripted: Int?
            if var queue = scriptedFailures[path], !queue.isEmpty {
                scripted = queue.removeFirst()
                scriptedFailures[path] = queue
            }
            return (self.identity, self.region, scripted)
        }
        guard request.header("authorization") == "Bearer Oracle" else {
            return HTTPResponse(status: 401, body: Data(#"{"code":"NotAuthenticated","message":"IMDS v2 requires Authorization: Bearer Oracle"}"#.utf8))
        }
        if let scripted { return HTTPResponse(status: scripted, body: Data("scripted failure".utf8)) }
        let text: String
        switch request.path {
        case "/opc/v2/identity/cert.pem": text = identity.leafPEM
        case "/opc/v2/identity/key.pem": text = identity.leafKeyPEM
        case "/opc/v2/identity/intermediate.pem": text = identity.intermediatePEM
        case "/opc/v2/instance/region": text = region
        case "/opc/v2/instance/id": text = TestInstanceIdentity.instanceID
        default: return HTTPResponse(status: 404, body: Data("not found".utf8))
        }
        return HTTPResponse(status: 200, headers: [("content-type", "text/plain")], body: Data(text.utf8))
    }
}

/// The auth service's `POST /v1/x509` on loopback. It checks the request the way the service would —
/// keyId `{tenancy}/fed-x509/{SHA-1}`, exactly the headers `date (request-target) content-length
/// content-type x-content-sha256` (no host), the signature against the leaf certificate's public key,
/// the body's certificates — then issues a JWT-shaped token for the session key it was sent and
/// registers that key (e.g. with the Media Services emulator).
public final class FakeFederationService: @unchecked Sendable {
    // @unchecked: all mutable state is behind `lock`.
    public private(set) var server: LoopbackServer! = nil
    private let lock = NSLock()
    private var identity: TestInstanceIdentity
    private var lifetime: Double = 3600
    private var refusals: [Int] = []
    private var skipRegistrations = 0
    private var issuedTokens: [String] = []
    private var sessionKeys: [RSAPublicKey] = []
    private var problems: [String] = []
    private var log: [LoopbackRequest] = []
    private let register: @Sendable (String, RSAPublicKey) -> Void

    public init(identity: TestInstanceIdentity, register: @escaping @Sendable (String, RSAPublicKey) -> Void = { _, _ in }) throws {
        self.identity = identity
        self.register = register
        server = try LoopbackServer { [weak self] request in
            self?.handle(request) ?? HTTPResponse(status: 503)
        }
    }

    /// Registers every session key with the emulator, as the real auth service makes tokens valid for the services.
    public convenience init(identity: TestInstanceIdentity, emulator: MediaServicesEmulator) throws {
        try self.init(identity: identity, register: { token, key in emulator.registerSessionKey(token: token, publicKey: key) })
    }

    /// The base URL (`--federation-endpoint` appends `/v1/x509`).
    public var baseURL: String { server.baseURL }
    public var requests: [LoopbackRequest] { lock.withLock { log } }
    public var tokens: [String] { lock.withLock { issuedTokens } }
    public var keys: [RSAPublicKey] { lock.withLock { sessionKeys } }
    /// Why requests were refused by the checks (empty when every request was right).
    public var rejections: [String] { lock.withLock { problems } }

    /// Tokens issued from now on expire this many seconds after issue.
    public func setTokenLifetime(_ seconds: Double) { lock.withLock { lifetime = seconds } }
    /// The next requests are answered with these statuses (e.g. 401), one each.
    public func refuse(with statuses: [Int]) { lock.withLock { refusals += statuses } }
    /// The next `count` tokens are issued but not registered: the service then answers 401 to them.
    public func issueUnregistered(_ count: Int) { lock.withLock { skipRegistrations += count } }
    /// Expects another identity (after the metadata service rotated it).
    public func expect(_ identity: TestInstanceIdentity) { lock.withLock { self.identity = identity } }

    private func handle(_ request: LoopbackRequest) -> HTTPResponse {
        let (identity, lifetime, refusal): (TestInstanceIdentity, Double, Int?) = lock.withLock {
            log.append(request)
            return (self.identity, self.lifetime, refusals.isEmpty ? nil : refusals.removeFirst())
        }
        if let refusal {
            return HTTPResponse(status: refusal, headers: [("opc-request-id", "fake-federation-refusal")],
                                body: Data(#"{"code":"NotAuthenticated","message":"The certificate is not trusted"}"#.utf8))
        }
        let sessionKey: RSAPublicKey
        switch check(request, identity: identity) {
        case let .failure(problem):
            lock.withLock { problems.append(problem.description) }
            return HTTPResponse(status: 401, body: JSONValue.object([("code", "NotAuthenticated"), ("message", .string(problem.description))]).data)
        case let .success(key): sessionKey = key
        }
        let token = TestTokens.session(lifetime: lifetime, extra: [("sub", .string(TestInstanceIdentity.instanceID)),
                                                                   ("tenant", .string(identity.tenancy)), ("ptype", "instance")])
        let skip: Bool = lock.withLock {
            issuedTokens.append(token)
            sessionKeys.append(sessionKey)
            if skipRegistrations > 0 { skipRegistrations -= 1; return true }
            return false
        }
        if !skip { register(token, sessionKey) }
        return HTTPResponse(status: 200, headers: [("content-type", "application/json")],
                            body: JSONValue.object([("token", .string(token))]).data)
    }

    struct Problem: Error, CustomStringConvertible { let description: String }

    private func check(_ request: LoopbackRequest, identity: TestInstanceIdentity) -> Result<RSAPublicKey, Problem> {
        func fail(_ text: String) -> Result<RSAPublicKey, Problem> { .failure(Problem(description: text)) }
        guard request.method == "POST", request.path == "/v1/x509" else { return fail("expected POST /v1/x509, got \(request.method) \(request.target)") }
        guard let authorization = request.header("authorization"), authorization.hasPrefix("Signature ") else { return fail("no signature") }
        let params = Self.parameters(authorization)
        let headers = params["headers"] ?? ""
        guard headers == "date (request-target) content-length content-type x-content-sha256" else {
            return fail("signed headers are '\(headers)'")
        }
        let expectedKeyID = "\(identity.tenancy)/fed-x509/\(identity.sha1Fingerprint)"
        guard params["keyId"] == expectedKeyID else { return fail("keyId is '\(params["keyId"] ?? "")', expected '\(expectedKeyID)'") }
        guard let leafKey = RSAPublicKey(pem: Data(identity.leafPublicKeyPEM.utf8)) else { return fail("test setup: leaf public key") }
        var lines: [String] = []
        for name in headers.split(separator: " ") {
            if name == "(request-target)" { lines.append("(request-target): post \(request.target)"); continue }
            guard let value = request.header(String(name)) else { return fail("signed header \(name) missing") }
            lines.append("\(name): \(value)")
        }
        guard let signature = params["signature"].flatMap({ Data(base64Encoded: $0) }),
              leafKey.verifySHA256(signature: signature, message: Data(lines.joined(separator: "\n").utf8)) else {
            return fail("the signature does not verify with the leaf certificate's key")
        }
        guard request.header("x-content-sha256") == Digest.sha256(request.body).base64EncodedString(),
              request.header("content-length") == String(request.body.count) else { return fail("body digest or length mismatch") }
        guard let date = request.header("date").flatMap(OCIRequestSigner.parseHTTPDate), abs(date.timeIntervalSinceNow) < 300 else {
            return fail("date header missing or skewed")
        }
        guard let body = try? JSONParser.parse(request.body) else { return fail("body is not JSON") }
        guard body.objectValue?.map(\.0) == ["certificate", "publicKey", "intermediateCertificates"] else {
            return fail("body keys are \(body.objectValue?.map(\.0) ?? [])")
        }
        guard body["certificate"]?.stringValue == TestInstanceIdentity.oneLine(identity.leafPEM) else { return fail("certificate is not the leaf") }
        guard body["intermediateCertificates"] == .array([.string(TestInstanceIdentity.oneLine(identity.intermediatePEM))]) else {
            return fail("intermediateCertificates is not the intermediate")
        }
        guard let keyText = body["publicKey"]?.stringValue, let der = Data(base64Encoded: keyText), let key = RSAPublicKey(der: der) else {
            return fail("publicKey is not a base64 SubjectPublicKeyInfo")
        }
        return .success(key)
    }

    /// The parameters of a `Signature …` Authorization header.
    public static func parameters(_ authorization: String) -> [String: String] {
        var out: [String: String] = [:]
        var rest = Substring(authorization.dropFirst("Signature ".count))
        while let eq = rest.firstIndex(of: "=") {
            let name = rest[..<eq].trimmingCharacters(in: CharacterSet(charactersIn: ", "))
            rest = rest[rest.index(after: eq)...].dropFirst()   // the opening quote
            guard let close = rest.firstIndex(of: "\"") else { break }
            out[name] = String(rest[..<close])
            rest = rest[rest.index(after: close)...]
        }
        return out
    }
}

/// A fake instance: metadata service and auth service, wired to register session keys with `emulator`,
/// plus the environment that points the built binary at them.
public final class FakeInstance: @unchecked Sendable {
    public let identity: TestInstanceIdentity
    public let metadata: FakeMetadataService
    public let federation: FakeFederationService

    public init(emulator: MediaServicesEmulator? = nil, region: String = "iad") throws {
        identity = try TestInstanceIdentity.shared.get()
        metadata = try FakeMetadataService(identity: identity, region: region)
        if let emulator {
            federation = try FakeFederationService(identity: identity, emulator: emulator)
        } else {
            federation = try FakeFederationService(identity: identity)
        }
    }

    public var environment: [String: String] {
        ["OCI_CLI_AUTH": "instance_principal", "OCI_METADATA_BASE_URL": metadata.baseURL,
         "OCI_CLI_FEDERATION_ENDPOINT": federation.baseURL]
    }
}
