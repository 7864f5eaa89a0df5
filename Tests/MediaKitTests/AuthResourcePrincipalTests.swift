// Resource principals 2.2 from OCI_RESOURCE_PRINCIPAL_* (value or absolute path), security-token expiry,
// and how the config loader picks each auth mode.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct ResourcePrincipalTests {
    let dir = TemporaryDirectory()
    let token = TestTokens.session(lifetime: 3600, extra: [("res_tenant", .string(Fixtures.tenancy)),
                                                           ("res_compartment", .string(Fixtures.compartment))])
    var keyPEM: String { String(decoding: Fixtures.data(Fixtures.key("test_key.pem")), as: UTF8.self) }

    func env(_ overrides: [String: String?] = [:]) -> [String: String] {
        var env = ["OCI_RESOURCE_PRINCIPAL_VERSION": "2.2", "OCI_RESOURCE_PRINCIPAL_RPST": token,
                   "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": keyPEM, "OCI_RESOURCE_PRINCIPAL_REGION": "fra"]
        for (name, value) in overrides { env[name] = value }
        return env
    }

    func configError(_ env: [String: String]) -> MediaError? {
        do { _ = try ResourcePrincipalSigner(environment: env); return nil } catch { return error }
    }

    @Test func inlineValuesSignWithTheTokenAndKey() throws {
        let signer = try ResourcePrincipalSigner(environment: env())
        #expect(signer.region == "eu-frankfurt-1")
        #expect(signer.tenancy == Fixtures.tenancy)
        #expect(signer.compartment == Fixtures.compartment)
        var request = HTTPRequest(method: "GET", url: RequestURL(scheme: "https", host: "example.test", path: "/20211101/mediaWorkflows"))
        try signer.sign(&request, now: Date())
        let expected = try { () throws -> String? in
            var copy = HTTPRequest(method: "GET", url: request.url)
            try OCIRequestSigner.sign(&copy, keyID: "ST$\(token)", key: try Fixtures.testKey, dateHeader: request.header("date") ?? "")
            return copy.header("authorization")
        }()
        #expect(request.header("authorization") == expected)
        #expect(!signer.refreshAfterUnauthorized(), "inline values cannot change")
    }

    @Test func pathsAreReadAndReadAgainAfterA401() throws {
        let tokenFile = dir.write("rpst", token + "\n")
        let keyFile = dir.write("key.pem", keyPEM)
        let signer = try ResourcePrincipalSigner(environment: env(["OCI_RESOURCE_PRINCIPAL_RPST": tokenFile, "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": keyFile]))
        var request = HTTPRequest(method: "GET", url: RequestURL(scheme: "https", host: "example.test", path: "/"))
        try signer.sign(&request, now: Date())
        #expect(request.header("authorization")?.contains("keyId=\"ST$\(token)\"") == true, "the file's newline is not part of the token")

        let renewed = TestTokens.session(lifetime: 3600)
        dir.write("rpst", renewed)
        #expect(signer.refreshAfterUnauthorized())
        try signer.sign(&request, now: Date())
        #expect(request.header("authorization")?.contains("keyId=\"ST$\(renewed)\"") == true)
    }

    @Test func anEncryptedKeyFileTakesItsPassPhraseFromAFileInsteadOfCrashingLikeTheSDK() throws {
        // G7: with the PEM as a path, the SDK opens the pass-phrase "file" with mode "b" and fails.
        let keyFile = Fixtures.key("test_key_enc_pkcs8.pem")
        let passFile = dir.write("pass", Fixtures.passphrase + "\n")
        _ = try ResourcePrincipalSigner(environment: env(["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": keyFile,
                                                          "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE": passFile]))
        // Inline PEM: the pass phrase is literal, as in the SDK.
        let inline = String(decoding: Fixtures.data(keyFile), as: UTF8.self)
        _ = try ResourcePrincipalSigner(environment: env(["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": inline,
                                                          "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE": Fixtures.passphrase]))
        // A key file with a literal pass phrase also works.
        _ = try ResourcePrincipalSigner(environment: env(["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": keyFile,
                                                          "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE": Fixtures.passphrase]))
    }

    @Test(arguments: [
        (["OCI_RESOURCE_PRINCIPAL_VERSION": nil],
         "OCI_RESOURCE_PRINCIPAL_VERSION is not set: --auth resource_principal reads version 2.2 credentials from OCI_RESOURCE_PRINCIPAL_VERSION, OCI_RESOURCE_PRINCIPAL_RPST, OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM and OCI_RESOURCE_PRINCIPAL_REGION, which OCI Functions and other resource-principal environments set"),
        (["OCI_RESOURCE_PRINCIPAL_VERSION": "4.0"], "OCI_RESOURCE_PRINCIPAL_VERSION is '4.0': mediactl supports resource principal versions 2.2, 1.1, 2.1, 2.1.1, 2.1.2 and 3.0"),
        (["OCI_RESOURCE_PRINCIPAL_RPST": nil], "OCI_RESOURCE_PRINCIPAL_RPST is not set: it holds the resource principal session token, or an absolute path to a file holding it"),
        (["OCI_RESOURCE_PRINCIPAL_RPST": "  "], "OCI_RESOURCE_PRINCIPAL_RPST is not set: it holds the resource principal session token, or an absolute path to a file holding it"),
        (["OCI_RESOURCE_PRINCIPAL_RPST": "not-a-jwt"], "the resource principal session token in OCI_RESOURCE_PRINCIPAL_RPST is not a JWT"),
        (["OCI_RESOURCE_PRINCIPAL_RPST": "/nonexistent/rpst"], "OCI_RESOURCE_PRINCIPAL_RPST names the file /nonexistent/rpst: no such file"),
        (["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": nil], "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM is not set: it holds the private key (PEM), or an absolute path to a PEM file"),
        (["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": "keys/key.pem"], "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM is neither PEM text nor an absolute path to a PEM file"),
        (["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": "/nonexistent/key.pem"], "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM names the file /nonexistent/key.pem: no such file"),
        (["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"], "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM does not hold a readable PEM private key"),
        (["OCI_RESOURCE_PRINCIPAL_REGION": "moon-base-1x"], "OCI_RESOURCE_PRINCIPAL_REGION: unknown region 'moon-base-1x': expected a region identifier such as us-ashburn-1 or a short code such as iad (set OCI_DEFAULT_REALM to use a region this version does not know)"),
    ] as [([String: String?], String)])
    func missingOrMalformedVariablesAreConfigErrorsNamingTheVariable(overrides: [String: String?], message: String) {
        #expect(configError(env(overrides)) == .config(message))
    }

    @Test func anEncryptedKeyWithoutItsPassPhraseIsNamed() {
        let inline = String(decoding: Fixtures.data(Fixtures.key("test_key_enc_pkcs8.pem")), as: UTF8.self)
        #expect(configError(env(["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": inline]))
                == .config("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: the key is encrypted; set OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE"))
        #expect(configError(env(["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": inline, "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE": "wrong"]))
                == .config("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: the key could not be decrypted: OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE is wrong or the text is not a private key"))
    }

    @Test func anExpiredTokenIsAnAuthError() {
        let expired = TestTokens.jwt(["exp": .int(1_700_000_000)])
        #expect(configError(env(["OCI_RESOURCE_PRINCIPAL_RPST": expired]))
                == .auth("the resource principal session token in OCI_RESOURCE_PRINCIPAL_RPST expired at 2023-11-14T22:13:20Z; the environment that provides it must renew it", nil))
    }

    @Test func noErrorMessageQuotesTheTokenOrKey() {
        for overrides: [String: String?] in [["OCI_RESOURCE_PRINCIPAL_VERSION": "4.0"], ["OCI_RESOURCE_PRINCIPAL_REGION": "nope"],
                                             ["OCI_RESOURCE_PRINCIPAL_RPST": TestTokens.jwt(["exp": .int(1)])]] {
            let message = configError(env(overrides))?.message ?? ""
            #expect(!message.isEmpty)
            #expect(!message.contains(token.prefix(20)))
            #expect(!message.contains("BEGIN"))
        }
    }
}

@Suite struct AuthModeLoadingTests {
    let dir = TemporaryDirectory()

    @Test func resourcePrincipalNeedsNoConfigFileAndTakesItsRegion() throws {
        let token = TestTokens.session(lifetime: 3600, extra: [("res_tenant", "ocid1.tenancy.oc1..aaaaaaaarptenant")])
        let env = ["OCI_RESOURCE_PRINCIPAL_VERSION": "2.2", "OCI_RESOURCE_PRINCIPAL_RPST": token,
                   "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": Fixtures.key("test_key.pem"), "OCI_RESOURCE_PRINCIPAL_REGION": "phx",
                   "OCI_CLI_CONFIG_FILE": "\(dir.path)/no-such-config"]
        let c = try OCIConfigLoader.load(OCISettings(auth: "resource_principal", environment: env, homeDirectory: dir.path))
        #expect(c.endpoint.description == "https://mediaservices.us-phoenix-1.oci.oraclecloud.com/20211101")
        #expect(c.tenancy == "ocid1.tenancy.oc1..aaaaaaaarptenant")
        #expect(c.signer is ResourcePrincipalSigner)
        // An explicit region still wins.
        let flagged = try OCIConfigLoader.load(OCISettings(region: "lhr", auth: "resource_principal", environment: env, homeDirectory: dir.path))
        #expect(flagged.endpoint.host == "mediaservices.uk-london-1.oci.oraclecloud.com")
        // Without any region the message names the variable.
        var noRegion = env
        noRegion["OCI_RESOURCE_PRINCIPAL_REGION"] = nil
        #expect(throws: MediaError.config("no region: set OCI_RESOURCE_PRINCIPAL_REGION, or pass --region or OCI_CLI_REGION (or give --endpoint)")) {
            try OCIConfigLoader.load(OCISettings(auth: "resource_principal", environment: noRegion, homeDirectory: dir.path))
        }
    }

    @Test func instancePrincipalNeedsNoProfileAndTakesTheInstancesRegion() throws {
        let instance = try FakeInstance()
        let config = dir.write("config", "[OTHER]\nregion=lhr\n")
        let settings = OCISettings(configFile: config, profile: "MISSING", auth: "instance_principal",
                                   metadataURL: instance.metadata.baseURL, federationEndpoint: instance.federation.baseURL,
                                   environment: [:], homeDirectory: dir.path)
        let c = try OCIConfigLoader.load(settings, network: try loopbackNetwork())
        #expect(c.endpoint.description == "https://mediaservices.us-ashburn-1.oci.oraclecloud.com/20211101")
        #expect(c.tenancy == Fixtures.tenancy)
        #expect(c.signer is InstancePrincipalSigner)
        #expect(instance.federation.rejections == [])
    }

    @Test func theEnvironmentChoosesTheModeAndBadNamesAreUsageErrors() throws {
        // OCI_CLI_AUTH is resolved by the CLI's table into `auth`; MediaKit does not read it again.
        #expect(try OCISettings(auth: "resource_principal", environment: [:], homeDirectory: "/").authMode() == .resourcePrincipal)
        #expect(try OCISettings(auth: "instance_principal", environment: ["OCI_CLI_AUTH": "api_key"], homeDirectory: "/").authMode() == .instancePrincipal)
        #expect(try OCISettings(environment: [:], homeDirectory: "/").authMode() == .apiKey)
        #expect(throws: MediaError.usage("--auth: 'magic' is not one of api_key, instance_principal, resource_principal, security_token, instance_obo_user, oke_workload_identity")) {
            try OCISettings(auth: "magic", environment: [:], homeDirectory: "/").authMode()
        }
    }

    @Test func anExpiredSecurityTokenSaysHowToRenewIt() throws {
        let tokenFile = dir.write("token", TestTokens.jwt(["exp": .int(1_700_000_000)]))
        let config = dir.write("config", "[SESSION]\nfingerprint=\(Fixtures.testFingerprint)\nkey_file=\(Fixtures.key("test_key.pem"))\n"
            + "tenancy=\(Fixtures.tenancy)\nregion=iad\nsecurity_token_file=\(tokenFile)\n")
        #expect(throws: MediaError.auth("the security token in \(tokenFile) expired at 2023-11-14T22:13:20Z; start a new session with `oci session authenticate` (`mediactl auth refresh --profile SESSION` renews a token before it expires)", nil)) {
            try OCIConfigLoader.load(OCISettings(configFile: config, profile: "SESSION", auth: "security_token", environment: [:], homeDirectory: dir.path))
        }
        dir.write("token", TestTokens.session(lifetime: 600))
        let c = try OCIConfigLoader.load(OCISettings(configFile: config, profile: "SESSION", auth: "security_token", environment: [:], homeDirectory: dir.path))
        #expect(c.signer is SecurityTokenSigner)
    }
}
