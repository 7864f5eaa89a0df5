// Fakes for the auth modes added with issue 19: a TLS front (python3's ssl module, with a CA made by the
// openssl command line) so a loopback server can be reached over verified https, the OKE proxymux behind
// it, the auth service's security-token refresh, and a forwarding HTTP proxy that records what crossed it.
import EmulatorCore
import Foundation
import MediaKit

/// Checks a recorded request's draft-cavage signature with `key` over the headers its Authorization names.
public func signatureVerifies(_ request: LoopbackRequest, key: RSAPublicKey) -> Bool {
    let params = FakeFederationService.parameters(request.header("authorization") ?? "")
    let lines = (params["headers"] ?? "").split(separator: " ").map { name -> String in
        name == "(request-target)" ? "(request-target): \(request.method.lowercased()) \(request.target)" : "\(name): \(request.header(String(name)) ?? "")"
    }
    guard let signature = params["signature"].flatMap({ Data(base64Encoded: $0) }) else { return false }
    return key.verifySHA256(signature: signature, message: Data(lines.joined(separator: "\n").utf8))
}

/// A CA and a server certificate for 127.0.0.1 signed by it, made with openssl at test time.
public struct TestCertificateAuthority: Sendable {
    public let caPEMPath: String
    public let serverCertPath: String
    public let serverKeyPath: String

    public static func make(in dir: TemporaryDirectory, name: String = "cluster") throws -> TestCertificateAuthority {
        try OpenSSLCommand.run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name)-ca.key", "-out", "\(name)-ca.pem",
                                "-days", "2", "-subj", "/CN=\(name) test CA"], in: dir.path)
        try OpenSSLCommand.run(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name)-server.key", "-out", "\(name)-server.csr",
                                "-subj", "/CN=127.0.0.1"], in: dir.path)
        _ = dir.write("\(name)-san.ext", "subjectAltName=IP:127.0.0.1\n")
        try OpenSSLCommand.run(["x509", "-req", "-in", "\(name)-server.csr", "-CA", "\(name)-ca.pem", "-CAkey", "\(name)-ca.key",
                                "-set_serial", "9", "-days", "1", "-extfile", "\(name)-san.ext", "-out", "\(name)-server.pem"], in: dir.path)
        return TestCertificateAuthority(caPEMPath: "\(dir.path)/\(name)-ca.pem", serverCertPath: "\(dir.path)/\(name)-server.pem",
                                        serverKeyPath: "\(dir.path)/\(name)-server.key")
    }
}

/// Terminates TLS on an ephemeral 127.0.0.1 port and pipes the plaintext to a loopback server.
public final class TLSFront: @unchecked Sendable {
    public let port: Int
    private let process = Process()

    static let script = """
    import socket, ssl, sys, threading
    cert, key, backend, portfile = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(cert, key)
    listener = socket.socket(); listener.bind(("127.0.0.1", 0)); listener.listen(16)
    open(portfile + ".tmp", "w").write(str(listener.getsockname()[1]))
    import os; os.rename(portfile + ".tmp", portfile)
    def pump(a, b):
        try:
            while True:
                data = a.recv(65536)
                if not data: break
                b.sendall(data)
        except OSError: pass
        for s in (a, b):
            try: s.shutdown(socket.SHUT_RDWR)
            except OSError: pass
    def serve(raw):
        try: tls = ctx.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError): raw.close(); return
        up = socket.create_connection(("127.0.0.1", backend))
        threading.Thread(target=pump, args=(up, tls), daemon=True).start()
        pump(tls, up)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()
    """

    public init(certificate: TestCertificateAuthority, backendPort: UInt16, dir: TemporaryDirectory) throws {
        let scriptPath = dir.write("tls-front-\(backendPort).py", Self.script)
        let portFile = "\(dir.path)/tls-front-\(backendPort).port"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, certificate.serverCertPath, certificate.serverKeyPath, String(backendPort), portFile]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var found: Int?
        for _ in 0..<200 {
            if let text = FileManager.default.contents(atPath: portFile), let n = Int(String(decoding: text, as: UTF8.self)) { found = n; break }
            usleep(25_000)
        }
        guard let found else { process.terminate(); throw OpenSSLCommand.Failure(description: "the TLS front did not start") }
        port = found
    }

    /// SIGKILL, by this process's own id.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// The OKE proxymux's `POST /resourcePrincipalSessionTokens`. It checks the request as the SDK sends it
/// (Bearer service-account token, JSON content type, an opc-request-id of three 32-hex parts, the body
/// `{"podKey": "<base64 SPKI>"}`), then answers base64 of `{"token": "ST$<rpst>"}` for that key and registers it.
public final class FakeProxymux: @unchecked Sendable {
    public private(set) var server: LoopbackServer! = nil
    private let lock = NSLock()
    private var log: [LoopbackRequest] = []
    private var problems: [String] = []
    private var issued: [String] = []
    private var refusals: [Int] = []
    private var lifetime: Double = 3600
    private var age: Double = 0
    public let serviceAccountToken: String
    private let register: @Sendable (String, RSAPublicKey) -> Void

    public init(serviceAccountToken: String, emulator: MediaServicesEmulator?) throws {
        self.serviceAccountToken = serviceAccountToken
        register = { token, key in emulator?.registerSessionKey(token: token, publicKey: key) }
        server = try LoopbackServer { [weak self] request in self?.handle(request) ?? HTTPResponse(status: 503) }
    }

    public var requests: [LoopbackRequest] { lock.withLock { log } }
    public var rejections: [String] { lock.withLock { problems } }
    public var tokens: [String] { lock.withLock { issued } }
    public func refuse(with statuses: [Int]) { lock.withLock { refusals += statuses } }
    /// Tokens issued from now on last `lifetime` seconds and were issued (`iat`) `age` seconds ago.
    public func setTokenTimes(lifetime: Double, age: Double = 0) { lock.withLock { self.lifetime = lifetime; self.age = age } }

    private func handle(_ request: LoopbackRequest) -> HTTPResponse {
        let (refusal, lifetime, age): (Int?, Double, Double) = lock.withLock {
            log.append(request)
            return (refusals.isEmpty ? nil : refusals.removeFirst(), self.lifetime, self.age)
        }
        if let refusal { return HTTPResponse(status: refusal, body: Data("refused".utf8)) }
        func reject(_ why: String) -> HTTPResponse {
            lock.withLock { problems.append(why) }
            return HTTPResponse(status: 400, body: Data(why.utf8))
        }
        guard request.method == "POST", request.path == "/resourcePrincipalSessionTokens" else { return reject("target \(request.method) \(request.target)") }
        guard request.header("authorization") == "Bearer \(serviceAccountToken)" else { return reject("authorization \(request.header("authorization") ?? "-")") }
        guard request.header("content-type")?.lowercased() == "application/json" else { return reject("content-type") }
        let idParts = (request.header("opc-request-id") ?? "").split(separator: "/")
        guard idParts.count == 3, idParts.allSatisfy({ $0.count == 32 && $0.allSatisfy(\.isHexDigit) }) else { return reject("opc-request-id") }
        let body = String(decoding: request.body, as: UTF8.self)
        guard body.hasPrefix("{\"podKey\": \""), body.hasSuffix("\"}") else { return reject("body \(body)") }
        let keyText = body.dropFirst("{\"podKey\": \"".count).dropLast(2)
        guard let der = Data(base64Encoded: String(keyText)), let key = RSAPublicKey(der: der) else { return reject("podKey is not a base64 SPKI") }
        let token = TestTokens.session(lifetime: lifetime, now: Date().addingTimeInterval(-age),
                                       extra: [("res_tenant", .string(Fixtures.tenancy)), ("ptype", "resource")])
        lock.withLock { issued.append(token) }
        register(token, key)
        let inner = "{\"token\": \"ST$\(token)\"}"
        return HTTPResponse(status: 200, headers: [("content-type", "application/json")], body: Data(Data(inner.utf8).base64EncodedString().utf8))
    }
}

/// The auth service's `POST /v1/authentication/refresh`: checks the `ST$<current token>` signature with the
/// session key's public half and the body, then hands out a new token (or a scripted status).
public final class FakeTokenRefreshService: @unchecked Sendable {
    public private(set) var server: LoopbackServer! = nil
    private let lock = NSLock()
    private var log: [LoopbackRequest] = []
    private var problems: [String] = []
    private var statuses: [Int] = []
    private var issued: [String] = []
    let sessionKey: RSAPublicKey

    public init(sessionKey: RSAPublicKey) throws {
        self.sessionKey = sessionKey
        server = try LoopbackServer { [weak self] request in self?.handle(request) ?? HTTPResponse(status: 503) }
    }

    public var baseURL: String { server.baseURL }
    public var requests: [LoopbackRequest] { lock.withLock { log } }
    public var rejections: [String] { lock.withLock { problems } }
    public var tokens: [String] { lock.withLock { issued } }
    public func answer(with status: Int) { lock.withLock { statuses.append(status) } }

    private func handle(_ request: LoopbackRequest) -> HTTPResponse {
        let scripted: Int? = lock.withLock { log.append(request); return statuses.isEmpty ? nil : statuses.removeFirst() }
        if let scripted {
            return HTTPResponse(status: scripted, headers: [("opc-request-id", "fake-refresh")],
                                body: Data(#"{"code":"NotAuthenticated","message":"The session has ended"}"#.utf8))
        }
        func reject(_ why: String) -> HTTPResponse {
            lock.withLock { problems.append(why) }
            return HTTPResponse(status: 401, body: JSONValue.object([("code", "NotAuthenticated"), ("message", .string(why))]).data)
        }
        guard request.method == "POST", request.path == "/v1/authentication/refresh" else { return reject("target \(request.target)") }
        let params = FakeFederationService.parameters(request.header("authorization") ?? "")
        guard let keyID = params["keyId"], keyID.hasPrefix("ST$") else { return reject("keyId is not ST$") }
        let current = String(keyID.dropFirst(3))
        guard params["headers"] == "date (request-target) host content-length content-type x-content-sha256" else {
            return reject("signed headers '\(params["headers"] ?? "")'")
        }
        guard String(decoding: request.body, as: UTF8.self) == "{\"currentToken\": \"\(current)\"}" else { return reject("body") }
        guard request.header("x-content-sha256") == Digest.sha256(request.body).base64EncodedString() else { return reject("digest") }
        guard signatureVerifies(request, key: sessionKey) else { return reject("the signature does not verify with the session key") }
        let fresh = TestTokens.session(lifetime: 3600)
        lock.withLock { issued.append(fresh) }
        return HTTPResponse(status: 200, headers: [("content-type", "application/json")], body: JSONValue.object([("token", .string(fresh))]).data)
    }
}

/// A plain-http forward proxy: takes absolute-form requests, records them (with Proxy-Authorization), and
/// sends them on with libcurl to where they were going.
public final class ForwardingProxy: @unchecked Sendable {
    public private(set) var server: LoopbackServer! = nil
    private let lock = NSLock()
    private var log: [LoopbackRequest] = []

    public init() throws {
        server = try LoopbackServer { [weak self] request in self?.forward(request) ?? HTTPResponse(status: 502) }
    }

    public var requests: [LoopbackRequest] { lock.withLock { log } }
    public var url: String { server.baseURL }

    private func forward(_ request: LoopbackRequest) -> HTTPResponse {
        lock.withLock { log.append(request) }
        guard let url = RequestURL(request.target), let transport = try? CurlTransport(options: TransferOptions(connectTimeout: 5, totalTimeout: 30)) else {
            return HTTPResponse(status: 400, body: Data("not an absolute-form request".utf8))
        }
        let hopByHop: Set<String> = ["proxy-authorization", "proxy-connection", "connection", "content-length", "transfer-encoding"]
        let headers = request.headers.filter { !hopByHop.contains($0.0.lowercased()) }
        guard let response = try? transport.send(HTTPRequest(method: request.method, url: url, headers: headers, body: request.body)) else {
            return HTTPResponse(status: 502, body: Data("upstream failed".utf8))
        }
        return HTTPResponse(status: response.status, headers: response.headers.filter { !hopByHop.contains($0.0.lowercased()) }, body: response.body)
    }
}

/// The two calls of token-exchanging resource principals on one loopback server: `GET <any path>` answering an
/// RPT and SPST, and `POST /v1/resourcePrincipalSessionToken` exchanging them for a session token bound to the
/// posted `sessionPublicKey` (registered with the emulator). `signer` checks who signed each call: the resource's
/// key (2.1.x) or the instance principal (1.1); `sessionKey`, when given, is the key the body must carry.
public final class FakeResourcePrincipalTokenService: @unchecked Sendable {
    public private(set) var server: LoopbackServer! = nil
    private let lock = NSLock()
    private var log: [LoopbackRequest] = []
    private var problems: [String] = []
    private var issued: [String] = []
    private var parents: [String: String] = [:]
    let signer: @Sendable (LoopbackRequest) -> String?
    let sessionKey: RSAPublicKey?
    let register: @Sendable (String, RSAPublicKey) -> Void
    public static let rpt = "rpt-" + UUID().uuidString
    public static let spst = "spst-" + UUID().uuidString

    public init(signer: @escaping @Sendable (LoopbackRequest) -> String?, sessionKey: RSAPublicKey?, emulator: MediaServicesEmulator?) throws {
        self.signer = signer
        self.sessionKey = sessionKey
        register = { token, key in emulator?.registerSessionKey(token: token, publicKey: key) }
        server = try LoopbackServer { [weak self] request in self?.handle(request) ?? HTTPResponse(status: 503) }
    }

    /// 2.1.x: both calls signed with keyId `expectedKeyID` by `resourceKey`, which is also the session key.
    public convenience init(expectedKeyID: String, resourceKey: RSAPublicKey, emulator: MediaServicesEmulator?) throws {
        try self.init(signer: { request in
            let keyID = FakeFederationService.parameters(request.header("authorization") ?? "")["keyId"] ?? ""
            if keyID != expectedKeyID { return "keyId '\(keyID)'" }
            return signatureVerifies(request, key: resourceKey) ? nil : "signature does not verify with the resource key"
        }, sessionKey: resourceKey, emulator: emulator)
    }

    public var requests: [LoopbackRequest] { lock.withLock { log } }
    public var rejections: [String] { lock.withLock { problems } }
    public var tokens: [String] { lock.withLock { issued } }
    /// Version 3.0: the GET of `target` answers `opc-parent-rpt-url: url`, naming a further parent.
    public func nameParent(of target: String, url: String) { lock.withLock { parents[target] = url } }

    private func handle(_ request: LoopbackRequest) -> HTTPResponse {
        let parent: String? = lock.withLock { log.append(request); return parents[request.target] }
        func reject(_ why: String) -> HTTPResponse {
            lock.withLock { problems.append(why) }
            return HTTPResponse(status: 401, body: JSONValue.object([("code", "NotAuthenticated"), ("message", .string(why))]).data)
        }
        if let problem = signer(request) { return reject(problem) }
        let names = (FakeFederationService.parameters(request.header("authorization") ?? "")["headers"] ?? "").split(separator: " ").map(String.init)
        if request.method == "GET" {   // the test checks which path
            guard names == ["date", "(request-target)", "host"] else { return reject("GET signed \(names)") }
            return HTTPResponse(status: 200, headers: [("content-type", "application/json")] + (parent.map { [("opc-parent-rpt-url", $0)] } ?? []),
                                body: JSONValue.object([("resourcePrincipalToken", .string(Self.rpt)), ("servicePrincipalSessionToken", .string(Self.spst))]).data)
        }
        guard request.method == "POST", request.path == "/v1/resourcePrincipalSessionToken" else { return reject("target \(request.method) \(request.target)") }
        guard names == ["date", "(request-target)", "host", "content-length", "content-type", "x-content-sha256"] else { return reject("POST signed \(names)") }
        let body = String(decoding: request.body, as: UTF8.self)
        let head = "{\"resourcePrincipalToken\": \"\(Self.rpt)\", \"servicePrincipalSessionToken\": \"\(Self.spst)\", \"sessionPublicKey\": \""
        guard body.hasPrefix(head), body.hasSuffix("\"}"),
              let der = Data(base64Encoded: String(body.dropFirst(head.count).dropLast(2))), let posted = RSAPublicKey(der: der) else {
            return reject("body \(body)")
        }
        if let sessionKey, sessionKey.der != posted.der { return reject("sessionPublicKey is not the resource's key") }
        let token = TestTokens.session(lifetime: 3600, extra: [("res_tenant", .string(Fixtures.tenancy)), ("ptype", "resource")])
        lock.withLock { issued.append(token) }
        register(token, posted)
        return HTTPResponse(status: 200, headers: [("content-type", "application/json")], body: JSONValue.object([("token", .string(token))]).data)
    }
}
