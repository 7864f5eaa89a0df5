// The OCI config file (configparser semantics, DEFAULT inheritance) and credential loading.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct INIFileTests {
    @Test func defaultIsInheritedAndOverridden() throws {
        let ini = try INIFile(text: """
        # comment
        [DEFAULT]
        region = us-ashburn-1
        tenancy=ocid1.tenancy.oc1..t
        [DEV]
        Region: eu-frankfurt-1
        user = ocid1.user.oc1..u  # not a comment
        """, path: "cfg")
        #expect(ini.profile("DEV")?["region"] == "eu-frankfurt-1")
        #expect(ini.profile("DEV")?["tenancy"] == "ocid1.tenancy.oc1..t")
        #expect(ini.profile("DEV")?["user"] == "ocid1.user.oc1..u  # not a comment")
        #expect(ini.profile("DEFAULT")?["region"] == "us-ashburn-1")
        #expect(ini.profile("PROD") == nil)
    }

    @Test func continuationLinesJoinTheValue() throws {
        let ini = try INIFile(text: "[A]\nk = one\n  two\n", path: "x")
        #expect(ini.profile("A")?["k"] == "one\ntwo")
    }

    @Test(arguments: [
        ("[A]\nk=1\n[A]\n", "x:3: duplicate section [A]"),
        ("[A]\nk=1\nK=2\n", "x:3: duplicate key 'k' in [A]"),
        ("k=1\n", "x:1: a key outside any [section]"),
        ("[A]\njust words\n", "x:2: expected 'key = value', got 'just words'"),
        ("[A\n", "x:1: malformed section header '[A'"),
    ])
    func malformedFilesNameTheLine(text: String, message: String) {
        #expect(throws: INIFile.ParseError.self) { try INIFile(text: text, path: "x") }
        do { _ = try INIFile(text: text, path: "x") } catch { #expect(error.message == message) }
    }
}

@Suite struct OCIConfigLoaderTests {
    let dir = TemporaryDirectory()

    func settings(_ config: String, profile: String? = nil, region: String? = nil, env: [String: String] = [:]) -> OCISettings {
        let path = dir.write("config", config)
        return OCISettings(configFile: path, profile: profile, region: region, environment: env, homeDirectory: dir.path)
    }

    func profile(key: String = Fixtures.key("test_key.pem"), fingerprint: String = Fixtures.testFingerprint, extra: String = "") -> String {
        "[DEFAULT]\nuser=\(Fixtures.user)\nfingerprint=\(fingerprint)\nkey_file=\(key)\ntenancy=\(Fixtures.tenancy)\nregion=iad\n\(extra)"
    }

    func configError(_ s: OCISettings) -> String? {
        do { _ = try OCIConfigLoader.load(s); return nil } catch { return error.message }
    }

    @Test func apiKeyProfileGivesEndpointAndKeyID() throws {
        let c = try OCIConfigLoader.load(settings(profile()))
        #expect(c.endpoint.description == "https://mediaservices.us-ashburn-1.oci.oraclecloud.com/20211101")
        #expect((c.signer as? APIKeySigner)?.keyID == Fixtures.testKeyID)
    }

    @Test func regionFlagAndEnvOverrideTheProfile() throws {
        #expect(try OCIConfigLoader.load(settings(profile(), region: "fra")).endpoint.host == "mediaservices.eu-frankfurt-1.oci.oraclecloud.com")
        let env = try OCIConfigLoader.load(settings(profile(), env: ["OCI_CLI_REGION": "uk-gov-london-1"]))
        #expect(env.endpoint.host == "mediaservices.uk-gov-london-1.oci.oraclegovcloud.uk")
    }

    @Test func encryptedKeyNeedsItsPassPhrase() throws {
        let enc = Fixtures.key("test_key_enc_pkcs8.pem")
        #expect(configError(settings(profile(key: enc)))?.contains("needs a pass phrase") == true)
        #expect(configError(settings(profile(key: enc, extra: "pass_phrase=wrong")))?.contains("pass phrase is wrong") == true)
        _ = try OCIConfigLoader.load(settings(profile(key: enc, extra: "pass_phrase=\(Fixtures.passphrase)")))
        _ = try OCIConfigLoader.load(settings(profile(key: enc), env: ["OCI_CLI_PASSPHRASE": Fixtures.passphrase]))
    }

    @Test func fingerprintMismatchIsNamed() {
        let message = configError(settings(profile(key: Fixtures.key("other_key.pem"))))
        #expect(message?.hasPrefix("fingerprint mismatch:") == true)
        #expect(message?.contains("90:81:60:3a:e0:83:28:e5:9f:2b:56:3b:30:85:17:0f") == true)
    }

    @Test func missingPiecesAreNamed() {
        #expect(configError(settings(profile(key: "/nonexistent/key.pem")))?.contains("key_file /nonexistent/key.pem") == true)
        #expect(configError(settings(profile(), profile: "NOPE"))?.contains("profile 'NOPE' not found") == true)
        #expect(configError(settings("[DEFAULT]\nregion=iad\n"))?.contains("has no key_file") == true)
        #expect(configError(settings(profile(), region: "mars-north-1"))?.contains("unknown region 'mars-north-1'") == true)
        #expect(configError(settings(profile(fingerprint: "AA:BB")))?.contains("malformed") == true)
        let missing = OCISettings(configFile: "\(dir.path)/none", environment: [:], homeDirectory: dir.path)
        #expect(configError(missing)?.contains("no such file") == true)
    }

    @Test func keyFileTildeIsExpanded() throws {
        let key = dir.write(".oci/key.pem", String(decoding: Fixtures.data(Fixtures.key("test_key.pem")), as: UTF8.self))
        #expect(FileManager.default.fileExists(atPath: key))
        _ = try OCIConfigLoader.load(settings(profile(key: "~/.oci/key.pem")))
    }

    @Test func keyContentInAFileIsRefused() {
        #expect(configError(settings(profile(extra: "key_content=abc")))?.contains("key_content cannot be given") == true)
    }
}

@Suite struct RegionTests {
    @Test(arguments: [("iad", "https://mediaservices.us-ashburn-1.oci.oraclecloud.com/20211101"),
                      ("US-ASHBURN-1", "https://mediaservices.us-ashburn-1.oci.oraclecloud.com/20211101"),
                      ("eu-frankfurt-2", "https://mediaservices.eu-frankfurt-2.oci.oraclecloud.eu/20211101"),
                      ("lfi", "https://mediaservices.us-langley-1.oci.oraclegovcloud.com/20211101")])
    func endpointsFollowTheRealm(region: String, endpoint: String) throws {
        #expect(Regions.mediaServicesEndpoint(try Regions.resolve(region)).description == endpoint)
    }

    @Test func unknownRegionsNeedADefaultRealm() throws {
        #expect(throws: MediaError.self) { try Regions.resolve("xx-nowhere-1") }
        #expect(try Regions.resolve("xx-nowhere-1", defaultRealm: "example.com").secondLevelDomain == "example.com")
    }

    @Test func explicitEndpointGetsTheVersionPath() throws {
        #expect(try Regions.explicitEndpoint("http://127.0.0.1:8080", what: "--endpoint").description == "http://127.0.0.1:8080/20211101")
        #expect(try Regions.explicitEndpoint("https://x.example/20211101", what: "--endpoint").description == "https://x.example/20211101")
        #expect(throws: MediaError.self) { try Regions.explicitEndpoint("ftp://x", what: "--endpoint") }
    }
}
