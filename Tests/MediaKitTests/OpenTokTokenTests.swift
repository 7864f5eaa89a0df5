// Golden vectors for OpenTok's JWTs and client tokens (protocols.md §7.1, §7.7, made with opentok 3.15.0),
// and the token rules: role, expire time, connection data, layout classes, session ownership.
import Foundation
import MediaKit
import Testing

enum OpenTokVectors {
    static let apiKey = "123456"
    static let secret = "0123456789abcdef0123456789abcdef01234567"
    static let sessionID = "2_MX4xMjM0NTZ-fjE3MDAwMDAwMDAwMDB-ZEdWemRBfn5QMlA"
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static var credentials: OpenTokCredentials { get throws { try OpenTokCredentials(apiKey: apiKey, apiSecret: secret) } }
    static let goldenRequest = ClientTokenRequest(sessionID: sessionID, role: .moderator, expireTime: 1_700_086_400,
                                                  connectionData: "name=Johnny", initialLayoutClasses: ["focus", "inactive"])
}

@Suite struct OpenTokAuthHeaderTests {
    @Test func authHeaderMatchesTheSDKByteForByte() throws {
        let jwt = OpenTokAuthHeader.make(try OpenTokVectors.credentials, now: OpenTokVectors.now, jti: "0.123456789")
        #expect(jwt == "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3QiOiJwcm9qZWN0IiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDAxODAsImlzcyI6IjEyMzQ1NiIsImp0aSI6IjAuMTIzNDU2Nzg5In0.jcS7saBqH-vRlr2Xzx3n87j1gAWz9dkMX4jNXMnBoeY")
    }

    @Test func fractionalSecondsAreDroppedNotRounded() throws {
        let a = OpenTokAuthHeader.make(try OpenTokVectors.credentials, now: Date(timeIntervalSince1970: 1_700_000_000.9), jti: "0.123456789")
        #expect(a == OpenTokAuthHeader.make(try OpenTokVectors.credentials, now: OpenTokVectors.now, jti: "0.123456789"))
    }

    /// Each attempt gets its own JWT: the transport layer asks the clock and the jti source every time.
    @Test func theTransportLayerSignsEveryAttemptAfresh() throws {
        let recorder = RecordingTransport(responses: [HTTPResponse(status: 200), HTTPResponse(status: 200)])
        let ids = Counter()
        let clock = Clock(now: { OpenTokVectors.now }, sleep: { _ in true })
        let transport = VideoAuthTransport(inner: recorder, credentials: .openTok(try OpenTokVectors.credentials), clock: clock,
                                             jti: { "jti-\(ids.next())" })
        let url = try #require(RequestURL("https://api.opentok.com/v2/project/123456/archive"))
        _ = try transport.send(HTTPRequest(method: "GET", url: url))
        _ = try transport.send(HTTPRequest(method: "GET", url: url))
        let tokens = recorder.requests.compactMap { $0.header("X-OPENTOK-AUTH") }
        #expect(tokens.count == 2)
        let claims = tokens.compactMap { HS256JWT.verify($0, key: Data(OpenTokVectors.secret.utf8)) }
        #expect(claims.map { $0.compactText } == [
            #"{"ist":"project","iat":1700000000,"exp":1700000180,"iss":"123456","jti":"jti-1"}"#,
            #"{"ist":"project","iat":1700000000,"exp":1700000180,"iss":"123456","jti":"jti-2"}"#,
        ])
    }

    @Test func randomJTIsDoNotRepeat() {
        let ids = Set((0..<200).map { _ in OpenTokAuthHeader.randomJTI() })
        #expect(ids.count == 200)
    }

    @Test func verifyRejectsAnotherSecretAndTampering() throws {
        let jwt = OpenTokAuthHeader.make(try OpenTokVectors.credentials, now: OpenTokVectors.now, jti: "x")
        #expect(HS256JWT.verify(jwt, key: Data(OpenTokVectors.secret.utf8)) != nil)
        #expect(HS256JWT.verify(jwt, key: Data("another-secret".utf8)) == nil)
        var parts = jwt.split(separator: ".").map(String.init)
        parts[1] = Data(#"{"ist":"project","iat":1700000000,"exp":1900000000,"iss":"123456","jti":"x"}"#.utf8).base64URLEncoded
        #expect(HS256JWT.verify(parts.joined(separator: "."), key: Data(OpenTokVectors.secret.utf8)) == nil)
    }
}

@Suite struct OpenTokClientTokenTests {
    @Test func jwtTokenMatchesTheSDKVector() throws {
        let token = try OpenTokClientToken.make(OpenTokVectors.goldenRequest, credentials: try OpenTokVectors.credentials, format: .jwt,
                                                now: OpenTokVectors.now, nonce: 424242)
        let parts = token.split(separator: ".").map(String.init)
        #expect(parts.count == 3)
        #expect(parts[0] == Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8).base64URLEncoded)
        #expect(String(decoding: Data(base64URLEncoded: parts[1]) ?? Data(), as: UTF8.self) ==
                #"{"session_id":"2_MX4xMjM0NTZ-fjE3MDAwMDAwMDAwMDB-ZEdWemRBfn5QMlA","role":"moderator","iat":1700000000,"exp":1700086400,"scope":"session.connect","initial_layout_class_list":"focus inactive","connection_data":"name=Johnny","iss":"123456","ist":"project","nonce":424242}"#)
        #expect(parts[2] == "gonPWk__YSSyFAP7UZtoJDu5t0EPV085MJCSUED1XBs")
    }

    @Test func legacyTokenMatchesTheSDKVector() throws {
        let token = try OpenTokClientToken.make(OpenTokVectors.goldenRequest, credentials: try OpenTokVectors.credentials, format: .legacy,
                                                now: OpenTokVectors.now, nonce: 424242)
        #expect(token.hasPrefix("T1=="))
        let decoded = String(decoding: Data(base64Encoded: String(token.dropFirst(4))) ?? Data(), as: UTF8.self)
        #expect(decoded == "partner_id=123456&sig=f3181f4f1f5fd58f30e6d54317be299d8f7644a6:session_id=2_MX4xMjM0NTZ-fjE3MDAwMDAwMDAwMDB-ZEdWemRBfn5QMlA&create_time=1700000000&expire_time=1700086400&role=moderator&nonce=424242&initial_layout_class_list=focus+inactive&connection_data=name%3DJohnny")
        let fields = try #require(OpenTokClientToken.decodeLegacy(token))
        #expect(fields.partnerID == "123456")
        #expect(fields.sig == Digest.hmacSHA1(key: Data(OpenTokVectors.secret.utf8), message: Data(fields.dataString.utf8)).hexLowercase)
    }

    /// Without data or classes: no optional JWT claims, an empty class list in the legacy form, default role and 24 h.
    @Test func defaultsLeaveOutEmptyFields() throws {
        let request = ClientTokenRequest(sessionID: OpenTokVectors.sessionID)
        let jwt = try OpenTokClientToken.make(request, credentials: try OpenTokVectors.credentials, now: OpenTokVectors.now, nonce: 7)
        let claims = try #require(HS256JWT.verify(jwt, key: Data(OpenTokVectors.secret.utf8)))
        #expect(claims.compactText == #"{"session_id":"2_MX4xMjM0NTZ-fjE3MDAwMDAwMDAwMDB-ZEdWemRBfn5QMlA","role":"publisher","iat":1700000000,"exp":1700086400,"scope":"session.connect","iss":"123456","ist":"project","nonce":7}"#)
        let legacy = try OpenTokClientToken.make(request, credentials: try OpenTokVectors.credentials, format: .legacy, now: OpenTokVectors.now, nonce: 7)
        #expect(OpenTokClientToken.decodeLegacy(legacy)?.dataString ==
                "session_id=2_MX4xMjM0NTZ-fjE3MDAwMDAwMDAwMDB-ZEdWemRBfn5QMlA&create_time=1700000000&expire_time=1700086400&role=publisher&nonce=7&initial_layout_class_list=")
    }

    /// Python's json.dumps escapes non-ASCII (ensure_ascii); the SDK's token has \u escapes, so ours does too.
    @Test func nonASCIIConnectionDataIsEscapedAsTheSDKDoes() throws {
        var request = ClientTokenRequest(sessionID: OpenTokVectors.sessionID, connectionData: "José 😀")
        request.expireTime = 1_700_003_600
        let jwt = try OpenTokClientToken.make(request, credentials: try OpenTokVectors.credentials, now: OpenTokVectors.now, nonce: 1)
        let payload = String(decoding: Data(base64URLEncoded: String(jwt.split(separator: ".")[1])) ?? Data(), as: UTF8.self)
        #expect(payload.contains(#""connection_data":"Jos\u00e9 \ud83d\ude00""#))
        #expect(HS256JWT.verify(jwt, key: Data(OpenTokVectors.secret.utf8))?["connection_data"]?.stringValue == "José 😀")
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let name: String
        let request: ClientTokenRequest
        let message: String
        var testDescription: String { name }
    }

    static let invalid: [Invalid] = [
        Invalid(name: "expired", request: ClientTokenRequest(sessionID: OpenTokVectors.sessionID, expireTime: 1_699_999_999),
                message: "the token's expire time 1699999999 (2023-11-14T22:13:19Z) is in the past"),
        Invalid(name: "more than 30 days", request: ClientTokenRequest(sessionID: OpenTokVectors.sessionID, expireTime: 1_700_000_000 + 2_592_001),
                message: "the token's expire time 1702592001 (2023-12-14T22:13:21Z) is more than 30 days ahead (latest 1702592000 (2023-12-14T22:13:20Z))"),
        Invalid(name: "data too long", request: ClientTokenRequest(sessionID: OpenTokVectors.sessionID, connectionData: String(repeating: "é", count: 1001)),
                message: "connection data is 1001 characters; at most 1000 are allowed"),
        Invalid(name: "class with a space", request: ClientTokenRequest(sessionID: OpenTokVectors.sessionID, initialLayoutClasses: ["full screen"]),
                message: "layout class 'full screen' must be one non-empty word: the list is sent joined with spaces"),
        Invalid(name: "classes too long", request: ClientTokenRequest(sessionID: OpenTokVectors.sessionID, initialLayoutClasses: Array(repeating: "abcdefghi", count: 101)),
                message: "the initial layout class list is 1009 characters joined; at most 1000 are allowed"),
        Invalid(name: "not a session ID", request: ClientTokenRequest(sessionID: "hello!"),
                message: "'hello!' is not an OpenTok session ID (expected the ID `session create` printed, such as 1_MX4...)"),
        Invalid(name: "another project's session", request: ClientTokenRequest(sessionID: OpenTokSessionID.make(apiKey: "999", createdMillis: 1, random: "r", routed: true)),
                message: "does not belong to API key 123456"),
    ]

    @Test(arguments: invalid)
    func tokenRulesAreEnforced(c: Invalid) throws {
        for format in ClientTokenFormat.allCases {
            #expect {
                try OpenTokClientToken.make(c.request, credentials: try OpenTokVectors.credentials, format: format, now: OpenTokVectors.now, nonce: 1)
            } throws: { error in
                guard case let MediaError.usage(message) = error else { return false }
                return message.contains(c.message)
            }
        }
    }

    @Test func exactlyThirtyDaysAndExactlyNowAreAllowed() throws {
        for expire in [1_700_000_000, 1_702_592_000] {
            _ = try OpenTokClientToken.make(ClientTokenRequest(sessionID: OpenTokVectors.sessionID, expireTime: expire),
                                            credentials: try OpenTokVectors.credentials, now: OpenTokVectors.now, nonce: 1)
        }
    }

    @Test func sessionIDsDecodeToTheirParts() {
        #expect(OpenTokSessionID.parts(OpenTokVectors.sessionID) == ["1", "123456", "", "1700000000000", "dGVzdA", "", "P2P"])
        let made = OpenTokSessionID.make(apiKey: "123456", createdMillis: 1_700_000_000_000, random: "dGVzdA", routed: false)
        #expect(made == "1_MX4xMjM0NTZ-fjE3MDAwMDAwMDAwMDB-ZEdWemRBfn5QMlA")
    }

    @Test func credentialsNeverShowTheSecret() throws {
        let c = try OpenTokVectors.credentials
        #expect(!"\(c)".contains(OpenTokVectors.secret))
        #expect(!String(reflecting: c).contains(OpenTokVectors.secret))
        #expect(throws: MediaError.usage("the OpenTok API key must be the project's number (digits only, as shown in the account's project list)")) {
            try OpenTokCredentials(apiKey: OpenTokVectors.secret + "x", apiSecret: "s")
        }
        #expect(throws: MediaError.usage("the OpenTok API secret contains a line break or control character")) {
            try OpenTokCredentials(apiKey: "1", apiSecret: "abc\n")
        }
    }

    @Test func nonceStaysInTheSDKRange() {
        for _ in 0..<500 { #expect((0...999_999).contains(OpenTokClientToken.randomNonce())) }
    }
}

/// Records requests and answers with canned responses (the last one repeats).
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var responses: [HTTPResponse]
    private var recorded: [HTTPRequest] = []

    init(responses: [HTTPResponse]) { self.responses = responses }

    var requests: [HTTPRequest] { lock.withLock { recorded } }

    func send(_ request: HTTPRequest) throws(MediaError) -> HTTPResponse {
        lock.withLock {
            recorded.append(request)
            return responses.count > 1 ? responses.removeFirst() : (responses.first ?? HTTPResponse(status: 200))
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}
