// The lab flow under every --auth mode, run through the built binary against the emulator, plus each
// auth failure's message and exit code. Instance principals use a loopback metadata service and auth
// service whose tokens the emulator accepts because the federation fake registers their session keys.
import Foundation
import MediaKit
import Testing
import TestSupport

/// The lab's steps (build workflow, run job and wait, build channel, ingest and wait, session URL); returns
/// each step's result so a test can say which failed.
func runLabFlow(_ h: EmulatorHarness, env: [String: String] = [:]) throws -> [(String, CLIResult)] {
    var steps: [(String, CLIResult)] = []
    let wf = try h.run(["workflow", "build", "--output", "id"], env: env)
    steps.append(("workflow build", wf))
    let workflowID = wf.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    steps.append(("job run", try h.run(["job", "run", "--workflow-id", workflowID, "--source-bucket", "in", "--destination-bucket", "out",
                                        "--namespace", "ns", "--source-video", "clip.mp4", "--output-prefix", "run1", "--wait"], env: env)))
    let channel = try h.run(["channel", "build", "--output", "id"], env: env)
    steps.append(("channel build", channel))
    let ids = channel.stdoutLines
    guard ids.count == 3 else { return steps }
    let ingest = try h.run(["ingest", "--channel-id", ids[0], "--namespace", "ns", "--bucket", "out",
                            "--object", "sdk_test/clip.mp4/run1-master.m3u8", "--output", "id"], env: env)
    steps.append(("ingest", ingest))
    steps.append(("playback-url", try h.run(["playback-url", "--channel-id", ids[0], "--asset-id",
                                             ingest.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--packaging-config-id", ids[2]], env: env)))
    return steps
}

func expectLabFlowSucceeded(_ h: EmulatorHarness, _ steps: [(String, CLIResult)], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(steps.count == 5, sourceLocation: sourceLocation)
    for (name, result) in steps { #expect(result.status == 0, "\(name): \(result.stderr)", sourceLocation: sourceLocation) }
    let log = h.emulator.requests
    #expect(log.count >= 8, sourceLocation: sourceLocation)
    #expect(log.allSatisfy { $0.status < 400 }, "\(log.filter { $0.status >= 400 }.map { "\($0.method) \($0.path) \($0.status)" })", sourceLocation: sourceLocation)
    #expect(log.compactMap(\.keyID).allSatisfy { $0.hasPrefix("ST$") }, "every call signed with a session token", sourceLocation: sourceLocation)
}

@Suite struct InstancePrincipalFlowTests {
    /// An emulator harness with no config file at all, pointed at a fake instance.
    func harness() throws -> (EmulatorHarness, FakeInstance) {
        let h = try EmulatorHarness()
        let instance = try FakeInstance(emulator: h.emulator)
        h.environment["OCI_CLI_CONFIG_FILE"] = "\(h.dir.path)/no-such-config"
        h.environment.merge(instance.environment) { _, new in new }
        return (h, instance)
    }

    @Test func theWholeLabFlowRunsUnderInstancePrincipal() throws {
        let (h, instance) = try harness()
        expectLabFlowSucceeded(h, try runLabFlow(h))
        #expect(instance.federation.rejections == [], "every /v1/x509 call had the right keyId, headers, signature and body")
        let tokens = Set(instance.federation.tokens)
        #expect(h.emulator.requests.compactMap(\.keyID).allSatisfy { tokens.contains(String($0.dropFirst(3))) })
        #expect(instance.metadata.requests.allSatisfy { $0.header("authorization") == "Bearer Oracle" })
    }

    @Test func tokensNearExpiryAreRenewedMidCommand() throws {
        let (h, instance) = try harness()
        instance.federation.setTokenLifetime(30)   // inside the 60 s margin: every request renews first
        let r = try h.run(["channel", "build", "--output", "id"])
        #expect(r.status == 0, "\(r.stderr)")
        let calls = h.emulator.requests.count
        #expect(calls == 3)
        #expect(instance.federation.tokens.count == 1 + calls)
        #expect(Set(h.emulator.requests.compactMap(\.keyID)).count == calls, "each call carried a fresh token")
    }

    @Test func aServiceThatRefusesTheTokenGetsOneRetryWithANewOne() throws {
        let (h, instance) = try harness()
        instance.federation.issueUnregistered(1)   // the emulator answers 401 to the first token
        let r = try h.run(["workflow", "list", "--output", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(h.emulator.requests.map(\.status) == [401, 200])
        #expect(instance.federation.tokens.count == 2)
    }

    @Test func aMetadataServiceThatIsNotThereExitsFourWithAHint() throws {
        let (h, _) = try harness()
        let closed = try LoopbackServer { _ in HTTPResponse(status: 200) }
        let url = closed.baseURL + "/opc/v2"
        closed.stop()
        let r = try h.run(["workflow", "list", "--metadata-url", url])
        #expect(r.status == 4)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 2, "one retry notice, then the error: \(r.stderr)")
        #expect(lines.first?.contains("retry 1 of GET \(url)/identity/cert.pem in 1.0 s") == true)
        #expect(lines.last?.hasPrefix("error: the instance metadata service at \(url) could not be reached (") == true)
        #expect(lines.last?.hasSuffix("instance principals work only on an OCI compute instance: elsewhere use --auth api_key or security_token, or point --metadata-url (OCI_METADATA_BASE_URL) at a metadata service") == true)
        #expect(h.requestCount == 0)
    }

    @Test func aRefusedCertificateExitsFour() throws {
        let (h, instance) = try harness()
        instance.federation.refuse(with: [401])
        let r = try h.run(["workflow", "list"])
        #expect(r.status == 4)
        #expect(r.stderr.contains("error: the auth service refused the instance principal's certificate (\(instance.federation.baseURL)/v1/x509): 401 NotAuthenticated: The certificate is not trusted"))
        #expect(h.requestCount == 0)
    }

    @Test func debugShowsTheFederationButNoSecret() throws {
        let (h, instance) = try harness()
        let r = try h.run(["channel", "build", "--debug"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("GET \(instance.metadata.baseURL)/identity/cert.pem"))
        #expect(r.stderr.contains("POST \(instance.federation.baseURL)/v1/x509"))
        #expect(r.stderr.contains("keyId=\"\(Fixtures.tenancy)/fed-x509/\(instance.identity.sha1Fingerprint)\""))
        #expect(r.stderr.contains("keyId=\"ST$[REDACTED]\""))
        #expect(!r.stderr.contains("-----BEGIN"))
        for token in instance.federation.tokens { #expect(!r.stderr.contains(token.split(separator: ".")[1])) }
        for pem in [instance.identity.leafPEM, instance.identity.leafKeyPEM, instance.identity.intermediatePEM] {
            #expect(!r.stderr.contains(TestInstanceIdentity.oneLine(pem).prefix(60).suffix(40)))
        }
    }

    @Test func flagsOverrideTheEnvironmentForBothURLs() throws {
        let (h, instance) = try harness()
        h.environment["OCI_METADATA_BASE_URL"] = "http://127.0.0.1:9/opc/v2"
        h.environment["OCI_CLI_FEDERATION_ENDPOINT"] = "http://127.0.0.1:9"
        h.environment["OCI_CLI_AUTH"] = "api_key"
        let r = try h.run(["workflow", "list", "--auth", "instance_principal", "--metadata-url", instance.metadata.baseURL,
                           "--federation-endpoint", instance.federation.baseURL + "/v1/x509"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(instance.federation.tokens.count == 1)
    }
}

@Suite struct ResourcePrincipalAndSecurityTokenFlowTests {
    @Test func theWholeLabFlowRunsUnderResourcePrincipal() throws {
        let h = try EmulatorHarness()
        let key = try RSAPrivateKey.load(pem: Fixtures.data(Fixtures.key("other_key.pem")), passphrase: nil)
        let token = TestTokens.session(lifetime: 3600, extra: [("res_tenant", .string(Fixtures.tenancy))])
        h.emulator.registerSessionKey(token: token, publicKey: try #require(key.publicKey))
        h.environment["OCI_CLI_CONFIG_FILE"] = nil
        h.environment.merge(["OCI_CLI_AUTH": "resource_principal", "OCI_RESOURCE_PRINCIPAL_VERSION": "2.2",
                             "OCI_RESOURCE_PRINCIPAL_RPST": h.dir.write("rpst", token),
                             "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": Fixtures.key("other_key.pem"),
                             "OCI_RESOURCE_PRINCIPAL_REGION": "iad"]) { _, new in new }
        expectLabFlowSucceeded(h, try runLabFlow(h))
        #expect(h.emulator.requests.compactMap(\.keyID).allSatisfy { $0 == "ST$\(token)" })
    }

    @Test func theWholeLabFlowRunsUnderSecurityToken() throws {
        let h = try EmulatorHarness()
        let token = TestTokens.session(lifetime: 3600)
        h.emulator.registerSessionKey(token: token, publicKey: try #require(Fixtures.testPublicKey))
        let config = h.dir.write(".oci/session-config", "[SESSION]\nfingerprint=\(Fixtures.testFingerprint)\nkey_file=\(Fixtures.key("test_key.pem"))\n"
            + "tenancy=\(Fixtures.tenancy)\nregion=iad\nsecurity_token_file=\(h.dir.write("token", token + "\n"))\n")
        expectLabFlowSucceeded(h, try runLabFlow(h, env: ["OCI_CLI_CONFIG_FILE": config, "OCI_CLI_PROFILE": "SESSION", "OCI_CLI_AUTH": "security_token"]))
    }

    @Test func anExpiredSecurityTokenExitsFourAndSaysHowToRenew() throws {
        let h = try EmulatorHarness()
        let tokenFile = h.dir.write("token", TestTokens.jwt(["exp": .int(1_700_000_000)]))
        let config = h.dir.write(".oci/session-config", "[SESSION]\nkey_file=\(Fixtures.key("test_key.pem"))\nregion=iad\nsecurity_token_file=\(tokenFile)\n")
        let r = try h.run(["workflow", "list", "--auth", "security_token", "--profile", "SESSION", "--config-file", config])
        #expect(r.status == 4)
        #expect(r.stderr == "error: the security token in \(tokenFile) expired at 2023-11-14T22:13:20Z; start a new session with `oci session authenticate` (`mediactl auth refresh --profile SESSION` renews a token before it expires)\n")
        #expect(h.requestCount == 0)
    }

    @Test(arguments: [
        ([:], "error: OCI_RESOURCE_PRINCIPAL_VERSION is not set"),
        (["OCI_RESOURCE_PRINCIPAL_VERSION": "4.0"], "error: OCI_RESOURCE_PRINCIPAL_VERSION is '4.0': mediactl supports resource principal versions 2.2, 1.1, 2.1, 2.1.1, 2.1.2 and 3.0\n"),
        (["OCI_RESOURCE_PRINCIPAL_VERSION": "3.0"], "error: OCI_RESOURCE_PRINCIPAL_VERSION_FOR_LEAF_RESOURCE is not set: resource principal 3.0 needs the leaf resource's version, one of 2.2, 1.1, 2.1, 2.1.1, 2.1.2\n"),
        (["OCI_RESOURCE_PRINCIPAL_VERSION": "2.2"], "error: OCI_RESOURCE_PRINCIPAL_RPST is not set"),
        (["OCI_RESOURCE_PRINCIPAL_VERSION": "2.2", "OCI_RESOURCE_PRINCIPAL_RPST": "abc", "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": Fixtures.key("test_key.pem")],
         "error: the resource principal session token in OCI_RESOURCE_PRINCIPAL_RPST is not a JWT"),
        (["OCI_RESOURCE_PRINCIPAL_VERSION": "2.2", "OCI_RESOURCE_PRINCIPAL_RPST": "a.e30.c", "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": "key.pem"],
         "error: OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM is neither PEM text nor an absolute path to a PEM file"),
    ] as [([String: String], String)])
    func missingOrMalformedResourcePrincipalVariablesExitThree(env: [String: String], message: String) throws {
        let h = try EmulatorHarness()
        let r = try h.run(["workflow", "list", "--auth", "resource_principal"], env: env)
        #expect(r.status == 3)
        #expect(r.stderr.hasPrefix(message), "\(r.stderr)")
        #expect(h.requestCount == 0)
    }
}
