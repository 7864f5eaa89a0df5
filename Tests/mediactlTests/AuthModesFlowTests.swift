// Issue 19's auth modes through the built binary: Cloud Shell's instance_obo_user, OKE workload identity
// (a proxymux over verified TLS), --proxy and the proxy variables, --opc-request-id, the security-token
// expiry warning and `mediactl auth refresh`. Every fake is on 127.0.0.1 and checks what it is sent.
import Foundation
import MediaKit
import Testing
import TestSupport

/// The parameters of a recorded request's `Signature …` Authorization header.
func signatureParameters(_ request: LoopbackRequest) -> [String: String] {
    FakeFederationService.parameters(request.header("authorization") ?? "")
}

/// A server that answers every call with an empty list and keeps what it was sent.
final class RecordingService: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [LoopbackRequest] = []
    private(set) var server: LoopbackServer! = nil
    init() throws {
        server = try LoopbackServer { [weak self] request in
            self?.lock.withLock { self?.log.append(request) }
            return HTTPResponse(status: 200, headers: [("content-type", "application/json")], body: Data(#"{"items":[]}"#.utf8))
        }
    }
    var requests: [LoopbackRequest] { lock.withLock { log } }
}

@Suite struct CloudShellFlowTests {
    /// Cloud Shell's environment: OCI_CLI_AUTH=instance_obo_user, its config file (delegation_token_file, region)
    /// named by OCI_CLI_CONFIG_FILE / OCI_CONFIG_FILE, OCI_CLI_CLOUD_SHELL; the fake instance's URLs are the only extras.
    func cloudShell(delegationToken: String = TestTokens.session(lifetime: 3600, extra: [("ptype", "user")])) throws -> (EmulatorHarness, FakeInstance, String) {
        let h = try EmulatorHarness()
        let instance = try FakeInstance(emulator: h.emulator, region: "phx")
        let tokenFile = h.dir.write("etc-oci/delegation_token", delegationToken + "\n")
        let config = h.dir.write("etc-oci/config", "[DEFAULT]\ndelegation_token_file=\(tokenFile)\nregion=us-ashburn-1\ntenancy=\(Fixtures.tenancy)\n")
        h.environment["OCI_CLI_CONFIG_FILE"] = config
        h.environment["OCI_CONFIG_FILE"] = config
        h.environment["OCI_CLI_CLOUD_SHELL"] = "True"
        h.environment["OCI_REGION"] = "us-ashburn-1"
        h.environment.merge(instance.environment) { _, new in new }
        h.environment["OCI_CLI_AUTH"] = "instance_obo_user"
        return (h, instance, delegationToken)
    }

    @Test func theWholeLabFlowRunsInCloudShellWithNoFlags() throws {
        let (h, instance, _) = try cloudShell()
        expectLabFlowSucceeded(h, try runLabFlow(h))
        #expect(instance.federation.rejections == [])
    }

    @Test func everyCallCarriesAndSignsTheDelegationToken() throws {
        let (h, instance, delegation) = try cloudShell()
        let recorder = try RecordingService()
        let r = try h.run(["workflow", "list", "--endpoint", recorder.server.baseURL, "--output", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let request = try #require(recorder.requests.first)
        #expect(request.header("opc-obo-token") == delegation)
        let params = signatureParameters(request)
        #expect(params["headers"] == "date (request-target) host opc-obo-token")
        #expect(params["keyId"] == "ST$\(try #require(instance.federation.tokens.last))")
        #expect(signatureVerifies(request, key: try #require(instance.federation.keys.last)))
    }

    @Test func theProfileRegionWinsOverTheShellHostsRegion() throws {
        let (h, instance, _) = try cloudShell()
        defer { withExtendedLifetime(instance) {} }
        // No endpoint given: it is derived from the profile's us-ashburn-1, not the metadata service's phx. A loopback
        // "proxy" that answers everything records where the call was going; nothing leaves 127.0.0.1.
        let trap = try RecordingService()
        let r = try h.run(["workflow", "list", "--proxy", trap.server.baseURL, "--max-retries", "0"], env: ["MEDIACTL_ENDPOINT": "", "NO_PROXY": "127.0.0.1"])
        #expect(r.status != 0)
        #expect(trap.requests.first.map { "\($0.method) \($0.target)" } == "CONNECT mediaservices.us-ashburn-1.oci.oraclecloud.com:443", "\(r.stderr)")
    }

    @Test func noDelegationTokenFileExitsThreeNamingBothPlaces() throws {
        let (h, instance, _) = try cloudShell()
        defer { withExtendedLifetime(instance) {} }
        let config = h.dir.write("plain-config", "[DEFAULT]\nregion=iad\n")
        let r = try h.run(["workflow", "list"], env: ["OCI_CLI_CONFIG_FILE": config])
        #expect(r.status == 3)
        #expect(r.stderr == "error: --auth instance_obo_user needs a delegation token: set delegation_token_file in profile 'DEFAULT' of \(config), or OCI_CLI_DELEGATION_TOKEN_FILE (Cloud Shell sets both)\n")
        #expect(h.requestCount == 0)
    }

    @Test func aMissingOrExpiredDelegationTokenExitsFour() throws {
        let (h, instance, _) = try cloudShell()
        let missing = try h.run(["workflow", "list"], env: ["OCI_CLI_DELEGATION_TOKEN_FILE": "\(h.dir.path)/gone"])
        #expect(missing.status == 4)
        #expect(missing.stderr.hasPrefix("error: delegation_token_file \(h.dir.path)/gone: no such file; in Cloud Shell restart the session"), "\(missing.stderr)")
        let expired = h.dir.write("old-token", TestTokens.jwt(["exp": .int(1_700_000_000)]))
        let r = try h.run(["workflow", "list"], env: ["OCI_CLI_DELEGATION_TOKEN_FILE": expired])
        #expect(r.status == 4)
        #expect(r.stderr == "error: the delegation token in \(expired) expired at 2023-11-14T22:13:20Z; in Cloud Shell restart the session to get a new one\n")
        #expect(h.requestCount == 0)
        #expect(instance.federation.requests.isEmpty, "nothing was federated for a token that cannot be used")
    }

    @Test func debugShowsNeitherTheDelegationTokenNorTheSessionToken() throws {
        let (h, instance, delegation) = try cloudShell()
        let r = try h.run(["workflow", "list", "--debug"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("> opc-obo-token: [REDACTED]"))
        #expect(!r.stderr.contains(delegation.split(separator: ".")[1]))
        for token in instance.federation.tokens { #expect(!r.stderr.contains(token.split(separator: ".")[1])) }
    }
}

@Suite struct OKEWorkloadIdentityFlowTests {
    final class Pod {
        let h: EmulatorHarness
        let proxymux: FakeProxymux
        let front: TLSFront
        let ca: TestCertificateAuthority
        init() throws {
            h = try EmulatorHarness()
            let saToken = TestTokens.jwt(["sub": "system:serviceaccount:media:lab", "exp": .int(Int(Date().timeIntervalSince1970) + 3600)])
            proxymux = try FakeProxymux(serviceAccountToken: saToken, emulator: h.emulator)
            ca = try TestCertificateAuthority.make(in: h.dir)
            front = try TLSFront(certificate: ca, backendPort: proxymux.server.port, dir: h.dir)
            h.environment["OCI_CLI_CONFIG_FILE"] = "\(h.dir.path)/no-such-config"
            h.environment.merge(["OCI_CLI_AUTH": "oke_workload_identity", "KUBERNETES_SERVICE_HOST": "127.0.0.1",
                                 "MEDIACTL_OKE_PROXYMUX_PORT": String(front.port),
                                 "OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH": h.dir.write("sa/token", saToken + "\n"),
                                 "OCI_KUBERNETES_SERVICE_ACCOUNT_CERT_PATH": ca.caPEMPath,
                                 "OCI_RESOURCE_PRINCIPAL_REGION": "iad"]) { _, new in new }
        }
    }

    @Test func theWholeLabFlowRunsInAnOKEPod() throws {
        let pod = try Pod()
        expectLabFlowSucceeded(pod.h, try runLabFlow(pod.h))
        #expect(pod.proxymux.rejections == [], "every exchange had the SDK's headers and body")
        #expect(pod.proxymux.requests.count == 5, "one exchange per command")
        let tokens = Set(pod.proxymux.tokens)
        #expect(pod.h.emulator.requests.compactMap(\.keyID).allSatisfy { tokens.contains(String($0.dropFirst(3))) })
    }

    @Test func aTokenPastHalfItsLifeIsExchangedAgain() throws {
        let pod = try Pod()
        // Valid for another 20 min, but past half of its hour (the SDK's rule): every call exchanges again first.
        pod.proxymux.setTokenTimes(lifetime: 3600, age: 2400)
        let r = try pod.h.run(["channel", "build", "--output", "id"])
        #expect(r.status == 0, "\(r.stderr)")
        let calls = pod.h.emulator.requests.count
        #expect(calls == 3)
        #expect(pod.proxymux.tokens.count == 1 + calls)
        #expect(Set(pod.h.emulator.requests.compactMap(\.keyID)).count == calls, "each call carried a fresh token")
        #expect(pod.proxymux.rejections == [])
    }

    @Test func aProxymuxWithAnotherCAIsRefusedAndExitsFour() throws {
        let pod = try Pod()
        let other = try TestCertificateAuthority.make(in: pod.h.dir, name: "other")
        let r = try pod.h.run(["workflow", "list", "--max-retries", "0"], env: ["OCI_KUBERNETES_SERVICE_ACCOUNT_CERT_PATH": other.caPEMPath])
        #expect(r.status == 4)
        #expect(r.stderr.contains("error: the OKE proxymux at https://127.0.0.1:\(pod.front.port)/resourcePrincipalSessionTokens could not be reached ("), "\(r.stderr)")
        #expect(pod.proxymux.requests.isEmpty, "no token crossed a connection the cluster CA did not vouch for")
        #expect(pod.h.requestCount == 0)
    }

    @Test func aRefusedExchangeExitsFourAndNamesTheFix() throws {
        let pod = try Pod()
        pod.proxymux.refuse(with: [403])
        let r = try pod.h.run(["workflow", "list"])
        #expect(r.status == 4)
        #expect(r.stderr == "error: the OKE proxymux at https://127.0.0.1:\(pod.front.port)/resourcePrincipalSessionTokens refused the token exchange (HTTP 403): workload identity needs an OKE enhanced cluster and a policy for this service account\n")
    }

    @Test func noServiceAccountTokenExitsFour() throws {
        let pod = try Pod()
        let r = try pod.h.run(["workflow", "list"], env: ["OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH": "\(pod.h.dir.path)/none"])
        #expect(r.status == 4)
        #expect(r.stderr.hasPrefix("error: the Kubernetes service account token in \(pod.h.dir.path)/none (OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH) cannot be read: no such file"), "\(r.stderr)")
        #expect(pod.proxymux.requests.isEmpty)
    }

    @Test func debugShowsNoServiceAccountTokenAndNoSessionToken() throws {
        let pod = try Pod()
        let r = try pod.h.run(["workflow", "list", "--debug"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("POST https://127.0.0.1:\(pod.front.port)/resourcePrincipalSessionTokens"))
        #expect(r.stderr.contains("> authorization: Bearer [REDACTED]"))
        #expect(!r.stderr.contains(pod.proxymux.serviceAccountToken.split(separator: ".")[1]))
        for token in pod.proxymux.tokens { #expect(!r.stderr.contains(token.split(separator: ".")[1])) }
    }
}

@Suite struct ProxyAndRequestIDTests {
    @Test func proxyFlagCarriesEveryCallWithItsCredentialsAndDebugHidesThePassword() throws {
        let h = try EmulatorHarness()
        let proxy = try ForwardingProxy()
        let proxyURL = "http://labuser:s3cret-pw@127.0.0.1:\(proxy.server.port)"
        let r = try h.run(["workflow", "list", "--proxy", proxyURL, "--opc-request-id", "TRACE-ME-1", "--debug"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(proxy.requests.count == h.requestCount && h.requestCount >= 1)
        for request in proxy.requests {
            #expect(request.target.hasPrefix("\(h.server.baseURL)/20211101/"), "absolute-form, to the emulator: \(request.target)")
            #expect(request.header("proxy-authorization") == "Basic " + Data("labuser:s3cret-pw".utf8).base64EncodedString())
            #expect(request.header("opc-request-id") == "TRACE-ME-1")
        }
        #expect(r.stderr.contains("proxy http://labuser:[REDACTED]@127.0.0.1:\(proxy.server.port)"))
        #expect(!r.stderr.contains("s3cret-pw"))
    }

    @Test func theProxyVariablesWorkAndNoProxyBypasses() throws {
        let h = try EmulatorHarness()
        let proxy = try ForwardingProxy()
        // libcurl reads lowercase http_proxy for http URLs (HTTPS_PROXY / https_proxy for https ones).
        let through = try h.run(["workflow", "list"], env: ["http_proxy": proxy.url])
        #expect(through.status == 0, "\(through.stderr)")
        #expect(proxy.requests.count == 1)
        let bypass = try h.run(["workflow", "list"], env: ["http_proxy": proxy.url, "NO_PROXY": "127.0.0.1"])
        #expect(bypass.status == 0, "\(bypass.stderr)")
        #expect(proxy.requests.count == 1, "NO_PROXY sent the second call direct")
        #expect(h.requestCount == 2)
    }

    @Test(arguments: [
        (["--proxy", "ftp://proxy:21"], "error: --proxy: the scheme 'ftp' is not one of http, https, socks4, socks4a, socks5, socks5h; expected a proxy URL such as http://proxy.example.com:80 or http://user:password@proxy:3128\n"),
        (["--proxy", "http://u:pw@proxy:notaport"], "error: --proxy: 'http://u:[REDACTED]@proxy:notaport' has no valid port; expected a proxy URL such as http://proxy.example.com:80 or http://user:password@proxy:3128\n"),
        (["--opc-request-id", "bad\tid"], "error: --opc-request-id: expected printable ASCII characters, got 'bad\\tid'\n"),
    ] as [([String], String)])
    func badNetworkFlagsExitSixtyFourBeforeAnyRequest(arguments: [String], message: String) throws {
        let h = try EmulatorHarness()
        let r = try h.run(["workflow", "list"] + arguments)
        #expect(r.status == 64)
        #expect(r.stderr == message)
        #expect(h.requestCount == 0)
    }
}

@Suite struct SecurityTokenRefreshTests {
    func sessionProfile(_ h: EmulatorHarness, token: String) -> (config: String, tokenFile: String) {
        let tokenFile = h.dir.write(".oci/sessions/SESSION/token", token, mode: 0o644)
        let config = h.dir.write(".oci/session-config", "[SESSION]\nkey_file=\(Fixtures.key("test_key.pem"))\nregion=iad\n"
            + "tenancy=\(Fixtures.tenancy)\nsecurity_token_file=\(tokenFile)\n")
        return (config, tokenFile)
    }

    @Test func aTokenCloseToExpiryIsNamedBeforeTheCall() throws {
        let h = try EmulatorHarness()
        let token = TestTokens.session(lifetime: 300)
        h.emulator.registerSessionKey(token: token, publicKey: try Fixtures.requiredPublicKey())
        let (config, tokenFile) = sessionProfile(h, token: token)
        let r = try h.run(["workflow", "list", "--auth", "security_token", "--profile", "SESSION", "--config-file", config,
                           "--output", "json"], env: ["OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING": "True"])
        #expect(r.status == 0, "\(r.stderr)")
        let warning = try #require(r.stderr.split(separator: "\n").first)
        #expect(warning.hasPrefix("warning: the security token in \(tokenFile) expires in 4 min (at "))
        #expect(warning.hasSuffix("renew it with `mediactl auth refresh --profile SESSION`"))
    }

    @Test func authRefreshRenewsTheTokenAsOciSessionRefreshDoes() throws {
        let h = try EmulatorHarness()
        let token = TestTokens.session(lifetime: 600)
        let service = try FakeTokenRefreshService(sessionKey: try Fixtures.requiredPublicKey())
        let (config, tokenFile) = sessionProfile(h, token: token)
        let r = try h.run(["auth", "refresh", "--profile", "SESSION", "--config-file", config, "--auth-endpoint", service.baseURL])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(service.rejections == [])
        #expect(service.requests.count == 1)
        #expect(r.stdout == tokenFile + "\n")
        let fresh = try #require(service.tokens.first)
        #expect(String(decoding: Fixtures.data(tokenFile), as: UTF8.self) == fresh, "the new token, no newline, as oci-cli writes it")
        let attributes = try FileManager.default.attributesOfItem(atPath: tokenFile)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(!FileManager.default.fileExists(atPath: tokenFile + ".tmp-\(getpid())"))
        // The refreshed token signs the next call.
        h.emulator.registerSessionKey(token: fresh, publicKey: try Fixtures.requiredPublicKey())
        let next = try h.run(["workflow", "list", "--auth", "security_token", "--profile", "SESSION", "--config-file", config])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(h.emulator.requests.last?.keyID == "ST$\(fresh)")
    }

    @Test func aSessionThatCannotBeRenewedExitsFourAndLeavesTheFile() throws {
        let h = try EmulatorHarness()
        let token = TestTokens.session(lifetime: 600)
        let service = try FakeTokenRefreshService(sessionKey: try Fixtures.requiredPublicKey())
        service.answer(with: 401)
        let (config, tokenFile) = sessionProfile(h, token: token)
        let r = try h.run(["auth", "refresh", "--profile", "SESSION", "--config-file", config, "--auth-endpoint", service.baseURL + "/v1/authentication/refresh"])
        #expect(r.status == 4)
        #expect(r.stderr.hasPrefix("error: the session of profile 'SESSION' is no longer valid and cannot be refreshed: start a new one with `oci session authenticate`"), "\(r.stderr)")
        #expect(String(decoding: Fixtures.data(tokenFile), as: UTF8.self) == token)
    }

    @Test func refreshDebugShowsNoToken() throws {
        let h = try EmulatorHarness()
        let token = TestTokens.session(lifetime: 600)
        let service = try FakeTokenRefreshService(sessionKey: try Fixtures.requiredPublicKey())
        let (config, _) = sessionProfile(h, token: token)
        let r = try h.run(["auth", "refresh", "--profile", "SESSION", "--config-file", config, "--auth-endpoint", service.baseURL, "--debug"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("POST \(service.baseURL)/v1/authentication/refresh"))
        for t in [token] + service.tokens { #expect(!r.stderr.contains(t.split(separator: ".")[1])) }
    }
}

@Suite struct ResourcePrincipalV21FlowTests {
    static let resource = "ocid1.datasciencejob.oc1.iad.aaaaaaaaconformancejob"

    func harness(version: String) throws -> (EmulatorHarness, FakeResourcePrincipalTokenService) {
        let h = try EmulatorHarness()
        let keyID = version == "2.1" ? "resource/v2.1/\(Self.resource)" : "resource/v\(version)/\(Fixtures.tenancy)/\(Self.resource)"
        let service = try FakeResourcePrincipalTokenService(expectedKeyID: keyID, resourceKey: try Fixtures.requiredPublicKey(), emulator: h.emulator)
        h.environment["OCI_CLI_CONFIG_FILE"] = "\(h.dir.path)/no-such-config"
        h.environment.merge(["OCI_CLI_AUTH": "resource_principal", "OCI_RESOURCE_PRINCIPAL_VERSION": version,
                             "OCI_RESOURCE_PRINCIPAL_RPT_ENDPOINT": service.server.baseURL,
                             "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT": service.server.baseURL,
                             "OCI_RESOURCE_PRINCIPAL_RESOURCE_ID": Self.resource, "OCI_RESOURCE_PRINCIPAL_TENANCY_ID": Fixtures.tenancy,
                             "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": Fixtures.key("test_key.pem"),
                             "OCI_RESOURCE_PRINCIPAL_REGION": "iad"]) { _, new in new }
        return (h, service)
    }

    @Test(arguments: ["2.1", "2.1.1", "2.1.2"])
    func theLabFlowRunsUnderEachVersion(version: String) throws {
        let (h, service) = try harness(version: version)
        expectLabFlowSucceeded(h, try runLabFlow(h))
        #expect(service.rejections == [])
        let tokenPath = version == "2.1.2" ? "/20180711/resourcePrincipalTokenV212/\(Self.resource)" : "/20180711/resourcePrincipalTokenV2/\(Self.resource)"
        #expect(service.requests.filter { $0.method == "GET" }.allSatisfy { $0.target == tokenPath })
        let tokens = Set(service.tokens)
        #expect(h.emulator.requests.compactMap(\.keyID).allSatisfy { tokens.contains(String($0.dropFirst(3))) })
    }

    @Test func version212TakesItsTokenPathTemplateAndSecurityContext() throws {
        let (h, service) = try harness(version: "2.1.2")
        let r = try h.run(["workflow", "list"], env: ["OCI_RESOURCE_PRINCIPAL_RPT_PATH": "/custom/rpt/{}",
                                                      "OCI_RESOURCE_PRINCIPAL_SECURITY_CONTEXT": "ctx-123"])
        #expect(r.status == 0, "\(r.stderr)")
        let get = try #require(service.requests.first)
        #expect(get.target == "/custom/rpt/\(Self.resource)")
        #expect(get.header("security-context") == "ctx-123")
    }

    @Test func aMissingTenancyFor211ExitsThreeAndARefusedKeyExitsFour() throws {
        let (h, service) = try harness(version: "2.1.1")
        let r = try h.run(["workflow", "list"], env: ["OCI_RESOURCE_PRINCIPAL_TENANCY_ID": ""])
        #expect(r.status == 3)
        #expect(r.stderr == "error: OCI_RESOURCE_PRINCIPAL_TENANCY_ID is not set: resource principal version 2.1.1 needs the resource's tenancy OCID\n")
        let wrongKey = try h.run(["workflow", "list"], env: ["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": Fixtures.key("other_key.pem")])
        #expect(wrongKey.status == 4)
        #expect(wrongKey.stderr.hasPrefix("error: GET \(service.server.baseURL)/20180711/resourcePrincipalTokenV2/\(Self.resource) refused the resource principal token (resource principal 2.1.1, keyId resource/v2.1.1/\(Fixtures.tenancy)/\(Self.resource)): check OCI_RESOURCE_PRINCIPAL_RESOURCE_ID, OCI_RESOURCE_PRINCIPAL_TENANCY_ID and the key in OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM"), "\(wrongKey.stderr)")
        #expect(h.requestCount == 0)
    }

    @Test func debugShowsNoResourcePrincipalToken() throws {
        let (h, service) = try harness(version: "2.1")
        let r = try h.run(["workflow", "list", "--debug"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("GET \(service.server.baseURL)/20180711/resourcePrincipalTokenV2/\(Self.resource)"))
        for secret in [FakeResourcePrincipalTokenService.rpt, FakeResourcePrincipalTokenService.spst] + service.tokens.map({ String($0.split(separator: ".")[1]) }) {
            #expect(!r.stderr.contains(secret))
        }
    }
}

@Suite struct ResourcePrincipalV11FlowTests {
    @Test func theLabFlowRunsOnAComputeHostWithVersion11() throws {
        let h = try EmulatorHarness()
        let instance = try FakeInstance(emulator: h.emulator)
        let federation = instance.federation
        // Both calls must carry the instance principal's signature: ST$<a token the auth service issued>, its session key.
        let service = try FakeResourcePrincipalTokenService(signer: { request in
            let keyID = FakeFederationService.parameters(request.header("authorization") ?? "")["keyId"] ?? ""
            guard keyID.hasPrefix("ST$"), let index = federation.tokens.firstIndex(of: String(keyID.dropFirst(3))) else { return "keyId is not an instance-principal token" }
            return signatureVerifies(request, key: federation.keys[index]) ? nil : "not signed with the instance's session key"
        }, sessionKey: nil, emulator: h.emulator)
        h.environment["OCI_CLI_CONFIG_FILE"] = "\(h.dir.path)/no-such-config"
        h.environment.merge(instance.environment) { _, new in new }
        h.environment.merge(["OCI_CLI_AUTH": "resource_principal", "OCI_RESOURCE_PRINCIPAL_VERSION": "1.1",
                             "OCI_RESOURCE_PRINCIPAL_RPT_ENDPOINT": service.server.baseURL,
                             "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT": service.server.baseURL]) { _, new in new }
        expectLabFlowSucceeded(h, try runLabFlow(h))
        #expect(service.rejections == [])
        #expect(service.requests.filter { $0.method == "GET" }.allSatisfy { $0.target == "/20180711/resourcePrincipalToken/\(TestInstanceIdentity.instanceID)" })
        #expect(instance.metadata.requests.contains { $0.path == "/opc/v2/instance/id" })
        let tokens = Set(service.tokens)
        #expect(h.emulator.requests.compactMap(\.keyID).allSatisfy { tokens.contains(String($0.dropFirst(3))) }, "calls sign with the RPST, not the instance token")
    }
}

@Suite struct ResourcePrincipalV30FlowTests {
    static let leafResource = "ocid1.datasciencejob.oc1.iad.aaaaaaaaconformancejob"

    /// A parent token service whose calls must be signed by `ST$<one of accepted()>` with the leaf's key.
    static func parentService(accepting accepted: @escaping @Sendable () -> [String], for h: EmulatorHarness) throws -> FakeResourcePrincipalTokenService {
        let leafKey = try Fixtures.requiredPublicKey()
        return try FakeResourcePrincipalTokenService(signer: { request in
            let keyID = signatureParameters(request)["keyId"] ?? ""
            guard keyID.hasPrefix("ST$"), accepted().contains(String(keyID.dropFirst(3))) else { return "keyId is not the child's session token" }
            return signatureVerifies(request, key: leafKey) ? nil : "not signed with the leaf's session key"
        }, sessionKey: leafKey, emulator: h.emulator)
    }

    /// 3.0 over a 2.2 leaf (its token and key from the `_FOR_LEAF_RESOURCE` variables), parent at `parent`.
    func harness() throws -> (EmulatorHarness, FakeResourcePrincipalTokenService, String) {
        let h = try EmulatorHarness()
        let leafToken = TestTokens.session(lifetime: 3600, extra: [("res_tenant", .string(Fixtures.tenancy))])
        let box = ParentBox()
        let parent = try Self.parentService(accepting: { [leafToken] + box.tokens() }, for: h)
        box.service = parent
        h.environment["OCI_CLI_CONFIG_FILE"] = "\(h.dir.path)/no-such-config"
        h.environment.merge(["OCI_CLI_AUTH": "resource_principal", "OCI_RESOURCE_PRINCIPAL_VERSION": "3.0",
                             "OCI_RESOURCE_PRINCIPAL_VERSION_FOR_LEAF_RESOURCE": "2.2",
                             "OCI_RESOURCE_PRINCIPAL_RPST_FOR_LEAF_RESOURCE": leafToken,
                             "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_FOR_LEAF_RESOURCE": Fixtures.key("test_key.pem"),
                             "OCI_RESOURCE_PRINCIPAL_REGION_FOR_LEAF_RESOURCE": "iad",
                             "OCI_RESOURCE_PRINCIPAL_RPT_URL_FOR_PARENT_RESOURCE": parent.server.baseURL + "/rpt/parent",
                             "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT_FOR_PARENT_RESOURCE": parent.server.baseURL]) { _, new in new }
        return (h, parent, leafToken)
    }

    /// Lets a fake's signature check accept the tokens the same fake issued (a parent signing for a grandparent).
    final class ParentBox: @unchecked Sendable {
        // @unchecked: `service` is set once, before any request reaches the fake.
        var service: FakeResourcePrincipalTokenService?
        func tokens() -> [String] { service?.tokens ?? [] }
    }

    @Test func theLabFlowRunsWithALeafAndTwoParents() throws {
        let (h, parent, leafToken) = try harness()
        parent.nameParent(of: "/rpt/parent", url: parent.server.baseURL + "/rpt/grandparent")
        expectLabFlowSucceeded(h, try runLabFlow(h))
        #expect(parent.rejections == [])
        // Each run: the first parent twice (its own start, then the grandparent's refresh of it), then the grandparent.
        let gets = parent.requests.filter { $0.method == "GET" }.map(\.target)
        #expect(gets.count == 15 && gets.prefix(3) == ["/rpt/parent", "/rpt/parent", "/rpt/grandparent"], "\(gets)")
        let keyIDs = parent.requests.map { signatureParameters($0)["keyId"] ?? "" }
        #expect(keyIDs[0] == "ST$\(leafToken)" && keyIDs[4] == "ST$\(parent.tokens[1])", "the grandparent's GET is signed by the parent's token")
        // Every call to the service is signed with the grandparent's (last issued) token of its run.
        let grandparentTokens = Set(stride(from: 2, to: parent.tokens.count, by: 3).map { parent.tokens[$0] })
        #expect(h.emulator.requests.compactMap(\.keyID).allSatisfy { grandparentTokens.contains(String($0.dropFirst(3))) })
        #expect(!h.emulator.requests.compactMap(\.keyID).contains("ST$\(leafToken)"))
    }

    @Test func aVersion21LeafFetchesItsOwnTokenFirst() throws {
        let h = try EmulatorHarness()
        let leaf = try FakeResourcePrincipalTokenService(expectedKeyID: "resource/v2.1/\(Self.leafResource)",
                                                         resourceKey: try Fixtures.requiredPublicKey(), emulator: nil)
        let parent = try Self.parentService(accepting: { leaf.tokens }, for: h)
        h.environment["OCI_CLI_CONFIG_FILE"] = "\(h.dir.path)/no-such-config"
        h.environment.merge(["OCI_CLI_AUTH": "resource_principal", "OCI_RESOURCE_PRINCIPAL_VERSION": "3.0",
                             "OCI_RESOURCE_PRINCIPAL_VERSION_FOR_LEAF_RESOURCE": "2.1",
                             "OCI_RESOURCE_PRINCIPAL_RPT_ENDPOINT_FOR_LEAF_RESOURCE": leaf.server.baseURL,
                             "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT_FOR_LEAF_RESOURCE": leaf.server.baseURL,
                             "OCI_RESOURCE_PRINCIPAL_RESOURCE_ID_FOR_LEAF_RESOURCE": Self.leafResource,
                             "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_FOR_LEAF_RESOURCE": Fixtures.key("test_key.pem"),
                             "OCI_RESOURCE_PRINCIPAL_REGION_FOR_LEAF_RESOURCE": "iad",
                             "OCI_RESOURCE_PRINCIPAL_RPT_URL_FOR_PARENT_RESOURCE": parent.server.baseURL,
                             "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT_FOR_PARENT_RESOURCE": parent.server.baseURL]) { _, new in new }
        let r = try h.run(["workflow", "list"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(leaf.rejections == [] && parent.rejections == [])
        #expect(leaf.requests.map { "\($0.method) \($0.target)" } == Array(repeating: ["GET /20180711/resourcePrincipalTokenV2/\(Self.leafResource)",
                                                                                        "POST /v1/resourcePrincipalSessionToken"], count: 2).flatMap { $0 })
        #expect(parent.requests.map { "\($0.method) \($0.target)" } == ["GET /", "POST /v1/resourcePrincipalSessionToken"])
        #expect(h.emulator.requests.compactMap(\.keyID) == ["ST$\(parent.tokens[0])"])
    }

    @Test func aVersion11LeafOnAComputeHostTakesItsRPTIdFromTheLeafVariable() throws {
        let h = try EmulatorHarness()
        let instance = try FakeInstance(emulator: h.emulator)
        let federation = instance.federation
        let leaf = try FakeResourcePrincipalTokenService(signer: { request in
            let keyID = signatureParameters(request)["keyId"] ?? ""
            guard keyID.hasPrefix("ST$"), let index = federation.tokens.firstIndex(of: String(keyID.dropFirst(3))) else { return "keyId is not an instance-principal token" }
            return signatureVerifies(request, key: federation.keys[index]) ? nil : "not signed with the instance's session key"
        }, sessionKey: nil, emulator: nil)
        // The leaf's session key is made in mediactl; the emulator checks the calls against the key the parent was posted.
        let parent = try FakeResourcePrincipalTokenService(signer: { request in
            let keyID = signatureParameters(request)["keyId"] ?? ""
            return keyID.hasPrefix("ST$") && leaf.tokens.contains(String(keyID.dropFirst(3))) ? nil : "keyId is not the leaf's session token"
        }, sessionKey: nil, emulator: h.emulator)
        h.environment["OCI_CLI_CONFIG_FILE"] = "\(h.dir.path)/no-such-config"
        h.environment.merge(instance.environment) { _, new in new }
        h.environment.merge(["OCI_CLI_AUTH": "resource_principal", "OCI_RESOURCE_PRINCIPAL_VERSION": "3.0",
                             "OCI_RESOURCE_PRINCIPAL_VERSION_FOR_LEAF_RESOURCE": "1.1",
                             "OCI_RESOURCE_PRINCIPAL_RPT_ENDPOINT_FOR_LEAF_RESOURCE": leaf.server.baseURL,
                             "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT_FOR_LEAF_RESOURCE": leaf.server.baseURL,
                             "OCI_RESOURCE_PRINCIPAL_RPT_ID_FOR_LEAF_RESOURCE": "ocid1.notebooksession.oc1..leaf",
                             "OCI_RESOURCE_PRINCIPAL_RPT_ID": "ocid1.parent.not.the.leaf",
                             "OCI_RESOURCE_PRINCIPAL_RPT_URL_FOR_PARENT_RESOURCE": parent.server.baseURL + "/rpt",
                             "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT_FOR_PARENT_RESOURCE": parent.server.baseURL]) { _, new in new }
        let r = try h.run(["workflow", "list"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(leaf.rejections == [] && parent.rejections == [])
        #expect(leaf.requests.filter { $0.method == "GET" }.map(\.target) == Array(repeating: "/20180711/resourcePrincipalToken/ocid1.notebooksession.oc1..leaf", count: 2))
        #expect(parent.requests.map { "\($0.method) \($0.target)" } == ["GET /rpt", "POST /v1/resourcePrincipalSessionToken"])
        // The parent's GET is signed by the leaf's second token (its refresh before the exchange).
        #expect(signatureParameters(parent.requests[0])["keyId"] == "ST$\(leaf.tokens[1])")
        let keyIDs = h.emulator.requests.compactMap(\.keyID)
        #expect(!keyIDs.isEmpty && keyIDs.allSatisfy { $0 == "ST$\(parent.tokens[0])" })
        #expect(h.emulator.requests.allSatisfy { $0.status < 400 })
    }

    @Test func aMissingVariableExitsThreeNamingTheLeafOrParentVariable() throws {
        let (h, parent, _) = try harness()
        for (env, message) in [
            (["OCI_RESOURCE_PRINCIPAL_RPST_FOR_LEAF_RESOURCE": ""],
             "error: OCI_RESOURCE_PRINCIPAL_RPST_FOR_LEAF_RESOURCE is not set: it holds the resource principal session token, or an absolute path to a file holding it\n"),
            (["OCI_RESOURCE_PRINCIPAL_VERSION_FOR_LEAF_RESOURCE": "2.0"],
             "error: OCI_RESOURCE_PRINCIPAL_VERSION_FOR_LEAF_RESOURCE is '2.0': resource principal 3.0 needs the leaf resource's version, one of 2.2, 1.1, 2.1, 2.1.1, 2.1.2\n"),
            (["OCI_RESOURCE_PRINCIPAL_VERSION_FOR_LEAF_RESOURCE": "2.1.1", "OCI_RESOURCE_PRINCIPAL_RPT_ENDPOINT_FOR_LEAF_RESOURCE": parent.server.baseURL,
              "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT_FOR_LEAF_RESOURCE": parent.server.baseURL, "OCI_RESOURCE_PRINCIPAL_RESOURCE_ID_FOR_LEAF_RESOURCE": Self.leafResource],
             "error: OCI_RESOURCE_PRINCIPAL_TENANCY_ID_FOR_LEAF_RESOURCE is not set: resource principal version 2.1.1 needs the resource's tenancy OCID\n"),
            (["OCI_RESOURCE_PRINCIPAL_RPT_URL_FOR_PARENT_RESOURCE": ""],
             "error: OCI_RESOURCE_PRINCIPAL_RPT_URL_FOR_PARENT_RESOURCE is not set: resource principal 3.0 needs the complete URL of the parent resource's token\n"),
        ] as [([String: String], String)] {
            let r = try h.run(["workflow", "list"], env: env)
            #expect(r.status == 3)
            #expect(r.stderr == message)
        }
        #expect(parent.requests.isEmpty)
        #expect(h.requestCount == 0)
    }

    @Test func anUnreachableOrRefusingParentExitsFour() throws {
        let (h, parent, _) = try harness()
        let closed = try LoopbackServer { _ in HTTPResponse(status: 503) }
        let dead = closed.baseURL
        closed.stop()
        let unreachable = try h.run(["workflow", "list", "--max-retries", "0"], env: ["OCI_RESOURCE_PRINCIPAL_RPT_URL_FOR_PARENT_RESOURCE": dead + "/rpt"])
        #expect(unreachable.status == 4)
        #expect(unreachable.stderr.hasPrefix("error: \(dead)/rpt could not be reached for the resource principal token ("), "\(unreachable.stderr)")
        #expect(unreachable.stderr.hasSuffix("); check OCI_RESOURCE_PRINCIPAL_RPT_URL_FOR_PARENT_RESOURCE\n"), "\(unreachable.stderr)")
        let wrongKey = try h.run(["workflow", "list"], env: ["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_FOR_LEAF_RESOURCE": Fixtures.key("other_key.pem")])
        #expect(wrongKey.status == 4)
        #expect(wrongKey.stderr.hasPrefix("error: GET \(parent.server.baseURL)/rpt/parent refused the resource principal token (resource principal 3.0, parent 1 signed by its child): check OCI_RESOURCE_PRINCIPAL_RPT_URL_FOR_PARENT_RESOURCE, OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT_FOR_PARENT_RESOURCE"), "\(wrongKey.stderr)")
        #expect(wrongKey.stderr.filter { $0 == "\n" }.count == 1)
        #expect(h.requestCount == 0)
    }

    @Test func debugShowsNoTokenOfTheLeafOrItsParents() throws {
        let (h, parent, leafToken) = try harness()
        parent.nameParent(of: "/rpt/parent", url: parent.server.baseURL + "/rpt/grandparent")
        let r = try h.run(["workflow", "list", "--debug"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("GET \(parent.server.baseURL)/rpt/grandparent"))
        #expect(parent.tokens.count == 3)
        for secret in [FakeResourcePrincipalTokenService.rpt, FakeResourcePrincipalTokenService.spst] + ([leafToken] + parent.tokens).map({ String($0.split(separator: ".")[1]) }) {
            #expect(!r.stderr.contains(secret))
        }
    }
}
