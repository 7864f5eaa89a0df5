// The signer reproduces, byte for byte, the Authorization headers the official oci Python SDK made
// (Fixtures/signing/vectors.json, written by make_vectors.py with oci 2.189.0).
import Foundation
import MediaKit
import Testing
import TestSupport

struct SigningVector: Sendable, CustomTestStringConvertible {
    let json: JSONValue
    var testDescription: String { json["name"]?.stringValue ?? "?" }
    func s(_ key: String) -> String? { json[key]?.stringValue }

    static let all: [SigningVector] = {
        let data = Fixtures.data("\(Fixtures.root)/signing/vectors.json")
        return ((try? JSONParser.parse(data))?.arrayValue ?? []).map(SigningVector.init)
    }()
}

@Suite struct SigningVectorTests {
    @Test func vectorsArePresent() {
        #expect(SigningVector.all.count >= 17)
    }

    @Test(arguments: SigningVector.all)
    func authorizationMatchesTheSDK(vector: SigningVector) throws {
        let key = try Fixtures.testKey
        let urlText = try #require(vector.s("url"))
        let url = try #require(RequestURL(urlText))
        var request = HTTPRequest(method: try #require(vector.s("method")), url: url, body: Data((vector.s("body") ?? "").utf8))
        if let ct = vector.s("contentType") { request.setHeader("content-type", ct) }
        let dateText = try #require(vector.s("date"))
        let signHost = vector.s("signedHeaders")?.contains("host") ?? true
        try OCIRequestSigner.sign(&request, keyID: try #require(vector.s("keyId")), key: key, dateHeader: dateText, signHost: signHost)

        #expect(request.header("date") == vector.s("date"))
        #expect(OCIRequestSigner.signingString(request, names: OCIRequestSigner.signedHeaderNames(method: request.method, signHost: signHost))
                == vector.s("signingString"))
        if let length = vector.s("contentLength") { #expect(request.header("content-length") == length) }
        if let hash = vector.s("xContentSha256") { #expect(request.header("x-content-sha256") == hash) }
        #expect(request.header("authorization") == vector.s("authorization"))
    }

    @Test func signatureVerifiesWithThePublicKey() throws {
        let key = try Fixtures.testKey
        let message = Data("date: Thu, 05 Jan 2014 21:31:40 GMT".utf8)
        let signature = try #require(key.signSHA256(message))
        let pub = try #require(Fixtures.testPublicKey)
        #expect(pub.verifySHA256(signature: signature, message: message))
        #expect(!pub.verifySHA256(signature: signature, message: Data("tampered".utf8)))
    }

    @Test func emptyBodyHashIsTheSDKConstant() {
        #expect(Digest.sha256(Data()).base64EncodedString() == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    }

    @Test func httpDateIsIMFFixdate() {
        #expect(OCIRequestSigner.httpDate(Date(timeIntervalSince1970: 1_388_957_500)) == "Sun, 05 Jan 2014 21:31:40 GMT")
        #expect(OCIRequestSigner.parseHTTPDate("Sun, 05 Jan 2014 21:31:40 GMT") == Date(timeIntervalSince1970: 1_388_957_500))
    }
}

@Suite struct KeyTests {
    @Test(arguments: ["test_key.pem", "test_key_pkcs8.pem"])
    func plainKeysLoad(file: String) throws {
        let key = try RSAPrivateKey.load(pem: Fixtures.data(Fixtures.key(file)), passphrase: nil)
        #expect(key.fingerprint == Fixtures.testFingerprint)
    }

    @Test(arguments: ["test_key_enc_pkcs1.pem", "test_key_enc_pkcs8.pem"])
    func encryptedKeysLoadWithThePassPhrase(file: String) throws {
        let key = try RSAPrivateKey.load(pem: Fixtures.data(Fixtures.key(file)), passphrase: Fixtures.passphrase)
        #expect(key.fingerprint == "dd:32:a8:3c:32:90:03:ab:64:d8:86:e1:7d:73:bf:ba")
    }

    @Test(arguments: ["test_key_enc_pkcs1.pem", "test_key_enc_pkcs8.pem"])
    func encryptedKeysRefuseAWrongPassPhrase(file: String) {
        #expect(throws: KeyLoadError.wrongPassphraseOrNotAKey) {
            try RSAPrivateKey.load(pem: Fixtures.data(Fixtures.key(file)), passphrase: "not-it")
        }
        #expect(throws: KeyLoadError.passphraseRequired) {
            try RSAPrivateKey.load(pem: Fixtures.data(Fixtures.key(file)), passphrase: nil)
        }
    }

    @Test func aPassPhraseForAPlainKeyIsIgnoredLikeTheSDK() throws {
        let key = try RSAPrivateKey.load(pem: Fixtures.data(Fixtures.key("test_key.pem")), passphrase: "unused")
        #expect(key.fingerprint == Fixtures.testFingerprint)
    }

    @Test func publicKeysAndGarbageAreRefused() {
        #expect(throws: KeyLoadError.publicKeyGiven) { try RSAPrivateKey.load(pem: Fixtures.data(Fixtures.key("test_public.pem")), passphrase: nil) }
        #expect(throws: KeyLoadError.notPEM) { try RSAPrivateKey.load(pem: Data("hello".utf8), passphrase: nil) }
        #expect(throws: KeyLoadError.notPEM) {
            try RSAPrivateKey.load(pem: Data("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n".utf8), passphrase: nil)
        }
    }

    @Test func fingerprintsDiffer() throws {
        let other = try RSAPrivateKey.load(pem: Fixtures.data(Fixtures.key("other_key.pem")), passphrase: nil)
        #expect(other.fingerprint == "90:81:60:3a:e0:83:28:e5:9f:2b:56:3b:30:85:17:0f")
    }
}
