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

/// Issue 14, defect 5: files as Python's configparser (the OCI CLI and SDK) reads them. Each expectation below was
/// checked with configparser 3.11 on the same text (Tests/conformance/test_regressions_issue14.py compares whole
/// files with oci.config.from_file).
@Suite struct ConfigparserCompatibilityTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let section: String
        let expected: [String: String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "CRLF line ends (saved on Windows)", text: "[DEFAULT]\r\nregion = us-ashburn-1\r\n[DEV]\r\nuser = u\r\n", section: "DEV",
             expected: ["region": "us-ashburn-1", "user": "u"]),
        Case(name: "CR line ends", text: "[DEFAULT]\rregion = us-ashburn-1\r[DEV]\ruser = u\r", section: "DEV",
             expected: ["region": "us-ashburn-1", "user": "u"]),
        Case(name: "a UTF-8 byte order mark (configparser refuses it; mediactl reads it)", text: "\u{FEFF}[DEFAULT]\r\nregion = iad\r\n",
             section: "DEFAULT", expected: ["region": "iad"]),
        Case(name: "words after the section header", text: "[DEV] trailing words\nuser: u\n", section: "DEV", expected: ["user": "u"]),
        Case(name: "the header runs to the last ]", text: "[a]b]\nk=v\n", section: "a]b", expected: ["k": "v"]),
        Case(name: "keys indented alike are separate keys", text: "[DEV]\n  user = u\n  tenancy = t\n", section: "DEV",
             expected: ["user": "u", "tenancy": "t"]),
        Case(name: "blank lines inside a value are kept, trailing ones dropped", text: "[DEV]\nk = one\n\n  two\n\nother = x\n", section: "DEV",
             expected: ["k": "one\n\ntwo", "other": "x"]),
        Case(name: "an indented comment inside a value", text: "[DEV]\nk = one\n  ; note\n  two\n", section: "DEV", expected: ["k": "one\ntwo"]),
        Case(name: "an empty first line of a value", text: "[DEV]\nk =\n  two\n", section: "DEV", expected: ["k": "\ntwo"]),
        Case(name: "the first = or : splits", text: "[DEV]\nk : a = b\n", section: "DEV", expected: ["k": "a = b"]),
        Case(name: "tabs around key and value", text: "[DEV]\n\tk\t=\tv\t\n", section: "DEV", expected: ["k": "v"]),
    ]

    @Test(arguments: cases)
    func readsAsConfigparserDoes(_ c: Case) throws {
        let ini = try INIFile(text: c.text, path: "cfg")
        #expect(ini.profile(c.section) == c.expected)
    }

    @Test func aCRLFConfigFileLoadsAsItsLFTwin() throws {
        let dir = TemporaryDirectory()
        let lf = "# written on Windows\n[DEFAULT]\nuser=\(Fixtures.user)\nfingerprint=\(Fixtures.testFingerprint)\nkey_file=\(Fixtures.key("test_key.pem"))\n"
            + "tenancy=\(Fixtures.tenancy)\n\n[DEV]\nregion = eu-frankfurt-1\n"
        for (name, text) in [("lf", lf), ("crlf", lf.replacingOccurrences(of: "\n", with: "\r\n")),
                             ("bom-crlf", "\u{FEFF}" + lf.replacingOccurrences(of: "\n", with: "\r\n"))] {
            let path = dir.write(name, text)
            let c = try OCIConfigLoader.load(OCISettings(configFile: path, profile: "DEV", region: nil, environment: [:], homeDirectory: dir.path))
            #expect(c.endpoint.host == "mediaservices.eu-frankfurt-1.oci.oraclecloud.com", "\(name)")
            #expect((c.signer as? APIKeySigner)?.keyID == Fixtures.testKeyID, "\(name)")
        }
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

    /// The region given (flag, else OCI_CLI_REGION: the CLI's table resolves that) beats the profile's; MediaKit
    /// does not read OCI_CLI_REGION again.
    @Test func theResolvedRegionOverridesTheProfile() throws {
        #expect(try OCIConfigLoader.load(settings(profile(), region: "fra")).endpoint.host == "mediaservices.eu-frankfurt-1.oci.oraclecloud.com")
        let resolved = try OCIConfigLoader.load(settings(profile(), region: "uk-gov-london-1"))
        #expect(resolved.endpoint.host == "mediaservices.uk-gov-london-1.oci.oraclegovcloud.uk")
        let unread = try OCIConfigLoader.load(settings(profile(), env: ["OCI_CLI_REGION": "uk-gov-london-1"]))
        #expect(unread.endpoint.host == "mediaservices.us-ashburn-1.oci.oraclecloud.com")
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
