// Instance principals against a loopback metadata service and auth service: the X.509 bits, the
// federation request (checked by the fake with the certificate's key), token refresh, and failures.
import Foundation
import MediaKit
import Testing
import TestSupport

/// The MediaError `body` threw, or nil.
func caughtError(_ body: () throws -> Void) -> MediaError? {
    do { try body(); return nil } catch { return error as? MediaError }
}

/// A clock whose sleeps return at once, so retry paths run in milliseconds.
let instantClock = Clock(now: { Date() }, sleep: { _ in true })

func loopbackNetwork(retries: RetryPolicy = RetryPolicy(), log: (@Sendable (String) -> Void)? = nil) throws -> PrincipalNetwork {
    var transport: any HTTPTransport = try CurlTransport(options: TransferOptions(connectTimeout: 2, totalTimeout: 10))
    if let log { transport = DebugLogTransport(inner: transport, log: log) }
    return PrincipalNetwork(transport: transport, clock: instantClock, retryPolicy: retries, hasIPv4MetadataRoute: { true })
}

@Suite struct X509CertificateTests {
    @Test func fingerprintAndTenancyMatchOpenSSL() throws {
        let identity = try TestInstanceIdentity.shared.get()
        let leaf = try #require(X509Certificate(pem: Data(identity.leafPEM.utf8)))
        #expect(leaf.sha1Fingerprint == identity.sha1Fingerprint)
        #expect(leaf.sha1Fingerprint.range(of: #"^([0-9A-F]{2}:){19}[0-9A-F]{2}$"#, options: .regularExpression) != nil)
        #expect(leaf.tenancyOCID == Fixtures.tenancy)
        #expect(leaf.subject.map(\.name) == ["CN", "OU", "OU", "OU", "OU"])
        #expect(leaf.base64DER == TestInstanceIdentity.oneLine(identity.leafPEM))
        #expect(leaf.publicKey?.pem == RSAPublicKey(pem: Data(identity.leafPublicKeyPEM.utf8))?.pem)
    }

    @Test func theCommittedCertificateGivesTheSDKsKeyID() throws {
        // make_vectors.py signed this federation request with the SDK's X509FederationClient.
        let vector = try #require(SigningVector.all.first { $0.s("name") == "instance_principal_federation_x509" })
        let leaf = try #require(X509Certificate(pem: Fixtures.data(Fixtures.key("test_cert.pem"))))
        #expect("\(try #require(leaf.tenancyOCID))/fed-x509/\(leaf.sha1Fingerprint)" == vector.s("keyId"))

        // Same body as the SDK's (it used test_cert.pem as leaf and intermediate, other_key.pem as session key).
        let session = try RSAPrivateKey.load(pem: Fixtures.data(Fixtures.key("other_key.pem")), passphrase: nil)
        let ours = try JSONParser.parse(FederationClient.body(leaf: leaf, intermediates: [leaf], sessionKey: session))
        #expect(ours == (try JSONParser.parse(try #require(vector.s("body")))))
        #expect(ours.objectValue?.map(\.0) == ["certificate", "publicKey", "intermediateCertificates"])
    }

    @Test func opcIdentityAlsoNamesTheTenancyAndItsAbsenceIsNoticed() throws {
        let byIdentity = try TestInstanceIdentity.make(tenancyAttribute: "opc-identity:ocid1.tenancy.oc1..aaaaaaaaviaidentity")
        #expect(X509Certificate(pem: Data(byIdentity.leafPEM.utf8))?.tenancyOCID == "ocid1.tenancy.oc1..aaaaaaaaviaidentity")
        let none = try TestInstanceIdentity.make(tenancyAttribute: "")
        #expect(X509Certificate(pem: Data(none.leafPEM.utf8))?.tenancyOCID == nil)
    }

    @Test func aBundleYieldsEveryCertificateAndGarbageNone() throws {
        let identity = try TestInstanceIdentity.shared.get()
        #expect(X509Certificate.all(pem: Data((identity.intermediatePEM + identity.leafPEM).utf8)).count == 2)
        #expect(X509Certificate.all(pem: Data("not a certificate".utf8)).isEmpty)
    }
}

@Suite struct InstanceMetadataServiceTests {
    @Test func candidatesFollowTheSDK() throws {
        let network = PrincipalNetwork(transport: try CurlTransport(), hasIPv4MetadataRoute: { false })
        #expect(try InstanceMetadataService.candidates(explicit: nil, network: network).map(\.base.description)
                == ["http://[fd00:c1::a9fe:a9fe]/opc/v2", "http://169.254.169.254/opc/v2"])
        #expect(try InstanceMetadataService.candidates(explicit: "   ", network: network).count == 2, "whitespace-only means unset")
        var routed = network
        routed.hasIPv4MetadataRoute = { true }
        #expect(try InstanceMetadataService.candidates(explicit: nil, network: routed).map(\.base.description) == ["http://169.254.169.254/opc/v2"])
        #expect(try InstanceMetadataService.candidates(explicit: "http://127.0.0.1:9/opc/v2/", network: routed).map(\.base.description)
                == ["http://127.0.0.1:9/opc/v2"])
        #expect(throws: MediaError.usage("--metadata-url: 'ftp://x' is not an http(s) URL (expected e.g. http://169.254.169.254/opc/v2)")) {
            try InstanceMetadataService.candidates(explicit: "ftp://x", network: routed)
        }
    }

    @Test func everyRequestCarriesBearerOracleAndMissingCertificatesAreRetried() throws {
        let imds = try FakeMetadataService(identity: try TestInstanceIdentity.shared.get())
        imds.fail("/identity/cert.pem", with: [404, 503])
        let service = InstanceMetadataService(base: try #require(RequestURL(imds.baseURL)), network: try loopbackNetwork())
        let identity = try service.identity()
        #expect(identity.leaf.tenancyOCID == Fixtures.tenancy)
        #expect(try service.region() == "iad")
        #expect(imds.requests.map(\.path) == ["/opc/v2/identity/cert.pem", "/opc/v2/identity/cert.pem", "/opc/v2/identity/cert.pem",
                                              "/opc/v2/identity/key.pem", "/opc/v2/identity/intermediate.pem", "/opc/v2/instance/region"])
        #expect(imds.requests.allSatisfy { $0.header("authorization") == "Bearer Oracle" })
    }

    @Test func aMetadataServiceThatIsNotThereIsAnAuthErrorWithAHint() throws {
        let closed = try LoopbackServer { _ in HTTPResponse(status: 200) }
        let url = closed.baseURL + "/opc/v2"
        closed.stop()
        let network = try loopbackNetwork()
        let error = caughtError { _ = try InstancePrincipalSigner(metadataURL: url, federationEndpoint: nil, defaultRealm: nil, network: network) }
        guard case let .auth(message, nil) = error else { Issue.record("expected .auth, got \(String(describing: error))"); return }
        do {
            #expect(message.hasPrefix("the instance metadata service at \(url) could not be reached ("))
            #expect(message.hasSuffix("instance principals work only on an OCI compute instance: elsewhere use --auth api_key or security_token, or point --metadata-url (OCI_METADATA_BASE_URL) at a metadata service"))
        }
    }

    @Test func aMetadataServiceStuckOn404GivesUpAfterTheRetryBudget() throws {
        let imds = try FakeMetadataService(identity: try TestInstanceIdentity.shared.get())
        imds.fail("/identity/cert.pem", with: Array(repeating: 404, count: 20))
        let service = InstanceMetadataService(base: try #require(RequestURL(imds.baseURL)), network: try loopbackNetwork(retries: RetryPolicy(maxAttempts: 3)))
        #expect(throws: MediaError.auth("the instance metadata service answered HTTP 404 for GET \(imds.baseURL)/identity/cert.pem; " + "instance principals work only on an OCI compute instance: elsewhere use --auth api_key or security_token, or point --metadata-url (OCI_METADATA_BASE_URL) at a metadata service", nil)) {
            try service.identity()
        }
        #expect(imds.requests.count == 3)
    }
}

@Suite struct InstancePrincipalSignerTests {
    let identity: TestInstanceIdentity
    let imds: FakeMetadataService
    let auth: FakeFederationService

    init() throws {
        identity = try TestInstanceIdentity.shared.get()
        imds = try FakeMetadataService(identity: identity)
        auth = try FakeFederationService(identity: identity)
    }

    func signer(_ network: PrincipalNetwork? = nil) throws -> InstancePrincipalSigner {
        try InstancePrincipalSigner(metadataURL: imds.baseURL, federationEndpoint: auth.baseURL, defaultRealm: nil,
                                    network: try network ?? loopbackNetwork())
    }

    /// Signs a GET and checks the signature with the session key the auth service received for that token.
    func signedToken(_ signer: InstancePrincipalSigner, now: Date = Date()) throws -> String {
        var request = HTTPRequest(method: "GET", url: try #require(RequestURL("https://mediaservices.us-ashburn-1.oci.oraclecloud.com/20211101/mediaWorkflows")))
        try signer.sign(&request, now: now)
        let authorization = try #require(request.header("authorization"))
        let keyID = try #require(authorization.components(separatedBy: "keyId=\"").last?.components(separatedBy: "\"").first)
        #expect(keyID.hasPrefix("ST$"))
        let token = String(keyID.dropFirst(3))
        let index = try #require(auth.tokens.firstIndex(of: token))
        let signature = try #require(authorization.components(separatedBy: "signature=\"").last?.components(separatedBy: "\"").first)
        let text = OCIRequestSigner.signingString(request, names: ["date", "(request-target)", "host"])
        #expect(auth.keys[index].verifySHA256(signature: try #require(Data(base64Encoded: signature)), message: Data(text.utf8)))
        return token
    }

    @Test func federatesOnceAndSignsWithTheSessionKey() throws {
        let s = try signer()
        #expect(auth.rejections == [], "the fake checked keyId, signed headers, signature and body")
        #expect(auth.tokens.count == 1)
        #expect(s.tenancy == Fixtures.tenancy)
        #expect(s.region == "us-ashburn-1", "IMDS said iad")
        #expect(s.federation.endpoint.description == "\(auth.baseURL)/v1/x509")
        #expect(try signedToken(s) == auth.tokens[0])
        #expect(try signedToken(s) == auth.tokens[0], "a valid token is reused")
        #expect(auth.requests.count == 1)
        let request = try #require(auth.requests.first)
        #expect(request.header("authorization")?.contains("headers=\"date (request-target) content-length content-type x-content-sha256\"") == true)
    }

    @Test func theDefaultFederationEndpointFollowsTheRegion() throws {
        let iad = try Regions.resolve("iad")
        #expect(try FederationClient.endpoint(explicit: nil, region: iad, regionText: "iad").description == "https://auth.us-ashburn-1.oraclecloud.com/v1/x509")
        #expect(try FederationClient.endpoint(explicit: "https://auth.example.test", region: nil, regionText: "x").description == "https://auth.example.test/v1/x509")
        #expect(try FederationClient.endpoint(explicit: "https://auth.example.test/custom/x509", region: nil, regionText: "x").description == "https://auth.example.test/custom/x509")
        #expect(throws: MediaError.self) { try FederationClient.endpoint(explicit: nil, region: nil, regionText: "xx-nowhere-9") }
    }

    @Test func aTokenNearItsExpiryIsRenewedBeforeSigning() throws {
        let s = try signer()
        let first = try #require(s.tokenExpiry)
        #expect(abs(first.timeIntervalSinceNow - 3600) < 30)
        _ = try signedToken(s, now: first.addingTimeInterval(-61))
        #expect(auth.tokens.count == 1, "61 s before exp: still good")
        let renewed = try signedToken(s, now: first.addingTimeInterval(-59))
        #expect(auth.tokens.count == 2, "59 s before exp: renewed first")
        #expect(renewed == auth.tokens[1])
        #expect(auth.keys[0].der != auth.keys[1].der, "a fresh session key each time")
        #expect(imds.requests.filter { $0.path.hasSuffix("cert.pem") }.count == 2, "the certificate is fetched again")
    }

    @Test func anExpiredTokenIsRenewedWithoutAsking() throws {
        auth.setTokenLifetime(-10)
        let s = try signer()
        auth.setTokenLifetime(3600)
        let token = try signedToken(s)
        #expect(token == auth.tokens[1])
        #expect(auth.tokens.count == 2)
    }

    @Test func aRefusalAfterA401RenewsOnce() throws {
        let s = try signer()
        #expect(s.refreshAfterUnauthorized())
        #expect(auth.tokens.count == 2)
        #expect(try signedToken(s) == auth.tokens[1])
        auth.refuse(with: [401])
        #expect(!s.refreshAfterUnauthorized(), "a refresh that fails is not worth a resend")
    }

    @Test func signingTransportResendsOnceAfterA401WithTheNewToken() throws {
        let s = try signer()
        final class Seen: @unchecked Sendable { var keyIDs: [String] = []; let lock = NSLock() }
        let seen = Seen()
        let service = try LoopbackServer { request in
            let auth = request.header("authorization") ?? ""
            let isFirst = seen.lock.withLock { seen.keyIDs.append(auth); return seen.keyIDs.count == 1 }
            return HTTPResponse(status: isFirst ? 401 : 200, body: Data("{}".utf8))
        }
        let transport = SigningTransport(inner: try CurlTransport(), signer: s, clock: instantClock)
        let response = try transport.send(HTTPRequest(method: "GET", url: try #require(RequestURL(service.baseURL + "/20211101/mediaWorkflows"))))
        #expect(response.status == 200)
        #expect(seen.keyIDs.count == 2)
        #expect(seen.keyIDs[0].contains("ST$\(auth.tokens[0])"))
        #expect(seen.keyIDs[1].contains("ST$\(auth.tokens[1])"))
    }

    @Test func aRefusedCertificateIsAnAuthErrorWithTheServicesWords() throws {
        auth.refuse(with: [401])
        let error = caughtError { _ = try signer() }
        guard case let .auth(message, failure?) = error else { Issue.record("expected .auth with a failure, got \(String(describing: error))"); return }
        do {
            #expect(message == "the auth service refused the instance principal's certificate (\(auth.baseURL)/v1/x509)")
            #expect(failure.status == 401)
            #expect(failure.code == "NotAuthenticated")
            #expect(failure.message == "The certificate is not trusted")
            #expect(failure.requestID == "fake-federation-refusal")
        }
        #expect(auth.requests.count == 1, "4xx is not retried")
    }

    @Test func aFederation5xxIsRetriedThreeTimesAtMost() throws {
        auth.refuse(with: [503, 502])
        _ = try signer()
        #expect(auth.requests.count == 3)
        auth.refuse(with: [500, 500, 500])
        #expect(throws: MediaError.self) { try signer() }
    }

    @Test func aRotatedCertificateForAnotherTenancyIsRefused() throws {
        let s = try signer()
        let other = try TestInstanceIdentity.make(tenancy: "ocid1.tenancy.oc1..aaaaaaaaanothertenancy")
        imds.rotate(to: other)
        auth.expect(other)
        #expect(!s.refreshAfterUnauthorized())
        #expect(auth.requests.count == 1, "no token is asked for with the foreign certificate")
    }

    @Test func aCertificateWithoutTenancyIsNamed() throws {
        imds.rotate(to: try TestInstanceIdentity.make(tenancyAttribute: ""))
        do {
            #expect(caughtError { _ = try signer() }?.message.hasPrefix("the instance's leaf certificate names no tenancy (no opc-tenant: or opc-identity: value in its subject CN=ocid1.instance") == true)
        }
    }

    @Test func concurrentSignersFederateOnceEach() async throws {
        let s = try signer()
        auth.setTokenLifetime(7200)   // the renewed token outlives `later` by far
        let later = try #require(s.tokenExpiry).addingTimeInterval(-30)
        // Every task sees an expiring token; the lock lets exactly one renew it.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var request = HTTPRequest(method: "GET", url: RequestURL(scheme: "https", host: "example.test", path: "/"))
                    try s.sign(&request, now: later)
                }
            }
            try await group.waitForAll()
        }
        #expect(auth.tokens.count == 2)
    }

    @Test func debugLogsShowNoCertificateKeyOrToken() throws {
        final class Lines: @unchecked Sendable { var text = ""; let lock = NSLock() }
        let lines = Lines()
        let s = try signer(try loopbackNetwork(log: { line in lines.lock.withLock { lines.text += line + "\n" } }))
        _ = s.refreshAfterUnauthorized()
        let log = lines.lock.withLock { lines.text }
        #expect(log.contains("> GET \(imds.baseURL)/identity/key.pem"))
        #expect(log.contains("> POST \(auth.baseURL)/v1/x509"))
        #expect(log.contains(#""certificate":"[REDACTED]""#))
        #expect(log.contains(#""token":"[REDACTED]""#))
        #expect(log.contains("> Authorization: Bearer [REDACTED]"))
        #expect(!log.contains("-----BEGIN"))
        let leafBody = TestInstanceIdentity.oneLine(identity.leafPEM)
        for secret in [String(leafBody.prefix(40)), String(TestInstanceIdentity.oneLine(identity.leafKeyPEM).prefix(40)),
                       String(TestInstanceIdentity.oneLine(identity.intermediatePEM).suffix(40))] + auth.tokens {
            #expect(!log.contains(secret))
        }
    }
}
