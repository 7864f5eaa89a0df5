// Vonage Video credentials: the Bearer application JWT and the client token byte for byte as vonage-jwt 1.1.5 /
// vonage-video 1.6.1 make them (golden values printed by the SDK with the fixture key, iat and jti pinned), RS256
// checked with the public key, and the exact requests over loopback HTTP with a verified Bearer JWT.
import Foundation
import MediaKit
import Testing
import TestSupport

enum VonageVectors {
    static let applicationID = "c0ffee00-1234-4abc-8def-0123456789ab"
    static let jti = "11111111-2222-4333-8444-555555555555"
    static let iat = 1_700_000_000
    /// `1_` + base64url("1~{applicationID}~~1700000000000~abc~~MR"): a session of this application.
    static let sessionID = "1_MX5jMGZmZWUwMC0xMjM0LTRhYmMtOGRlZi0wMTIzNDU2Nzg5YWJ-fjE3MDAwMDAwMDAwMDB-YWJjfn5NUg"

    /// `JwtClient(APP, 'test_key_pkcs8.pem').generate_application_jwt()` with time() and uuid4() pinned.
    static let applicationJWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBsaWNhdGlvbl9pZCI6ImMwZmZlZTAwLTEyMzQtNGFiYy04ZGVmLTAxMjM0NTY3ODlhYiIsImlhdCI6MTcwMDAwMDAwMCwianRpIjoiMTExMTExMTEtMjIyMi00MzMzLTg0NDQtNTU1NTU1NTU1NTU1IiwiZXhwIjoxNzAwMDAwOTAwfQ.SonrkVN1fU0gw7LCZ0nkcaTjAM6u4cwkIepDXOHMzeDtCvgG7ZQXxMrmumbgcGfVC4hLTzfA0FyQObcVG4kxwSg5MKitAI3Ji-FAMjVoEWfF-wDxc-TRU0nCAz_C8ApJDxCBnUDMCRIH6_zq2SlHGufYO34ryMJbQmzoT-h1tEKhEHNztaE3sGKWbg4PeJYoMO3NZgaG-IgkgpIEVU0PY6WvaNAMuHQMdQUMu14MSw7xgwh9LOFCDA9PkhkBvQdWJOOoijhpqKcY_ESqa3S3Gb9Ua8ig6_GOYTUHRqtKQziFWOSRYjmYgp8lwCkm8ZqlTusifk1H_TH78Z-ZGCfmag"

    /// `generate_client_token(TokenOptions(session_id, role='moderator', connection_data='name=Johnny',
    /// initial_layout_class_list=['focus','inactive'], iat, jti, exp=1700086400))`.
    static let moderatorToken = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzZXNzaW9uX2lkIjoiMV9NWDVqTUdabVpXVXdNQzB4TWpNMExUUmhZbU10T0dSbFppMHdNVEl6TkRVMk56ZzVZV0otZmpFM01EQXdNREF3TURBd01EQi1ZV0pqZm41TlVnIiwicm9sZSI6Im1vZGVyYXRvciIsImNvbm5lY3Rpb25fZGF0YSI6Im5hbWU9Sm9obm55IiwiaW5pdGlhbF9sYXlvdXRfY2xhc3NfbGlzdCI6WyJmb2N1cyIsImluYWN0aXZlIl0sImV4cCI6MTcwMDA4NjQwMCwianRpIjoiMTExMTExMTEtMjIyMi00MzMzLTg0NDQtNTU1NTU1NTU1NTU1IiwiaWF0IjoxNzAwMDAwMDAwLCJzdWJqZWN0IjoidmlkZW8iLCJzY29wZSI6InNlc3Npb24uY29ubmVjdCIsImFjbCI6eyJwYXRocyI6eyIvc2Vzc2lvbi8qKiI6e319fSwiYXBwbGljYXRpb25faWQiOiJjMGZmZWUwMC0xMjM0LTRhYmMtOGRlZi0wMTIzNDU2Nzg5YWIifQ.AmMYhLtEyxFIuzU4qDwGkAqTFLM5nOkjQ8w_c7uF8Jo74-ceAvy8XgLMIh6HrPV4dVsMWv_472NC2cXVJli1q8pmYX1cLYXZMY6zINEyyrqLVkcdT895a6AXz20C7hCc-aUA_7v5tUoNmWrfUcUy9J5knNY3yxSQ47LEm28IrWouX2XA0C6D_CWMw31VP70kVENmzt-EjQxznrrRO1x_SId5zSBgVbgDDZLvVwpKuCUP0JMgKfS8IJQKaHnBh9Qw8G1z_vLufWwbEwefK7fQeH1ouzxvjr3BKPAdul25gJ_6VSAQC7xj1D3glZi5h2QseeTJgDQMRkiu3IFn6jnTQA"

    /// `generate_client_token(TokenOptions(session_id, iat, jti))`: publisher, exp = iat + 900.
    static let defaultToken = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzZXNzaW9uX2lkIjoiMV9NWDVqTUdabVpXVXdNQzB4TWpNMExUUmhZbU10T0dSbFppMHdNVEl6TkRVMk56ZzVZV0otZmpFM01EQXdNREF3TURBd01EQi1ZV0pqZm41TlVnIiwicm9sZSI6InB1Ymxpc2hlciIsImV4cCI6MTcwMDAwMDkwMCwianRpIjoiMTExMTExMTEtMjIyMi00MzMzLTg0NDQtNTU1NTU1NTU1NTU1IiwiaWF0IjoxNzAwMDAwMDAwLCJzdWJqZWN0IjoidmlkZW8iLCJzY29wZSI6InNlc3Npb24uY29ubmVjdCIsImFjbCI6eyJwYXRocyI6eyIvc2Vzc2lvbi8qKiI6e319fSwiYXBwbGljYXRpb25faWQiOiJjMGZmZWUwMC0xMjM0LTRhYmMtOGRlZi0wMTIzNDU2Nzg5YWIifQ.JGbMnlaPIijZmTwFkyWhGIVb3N51wsCK514XWliisIjwlB-CWfZX4mmDTKNqPnc5hWVlyVWkgXurUIzAywb5RuO1A8s8plY-VZSOXwmDp-p9t61X3DSK-gl6qF5rPGbmD7w9-kqmndAELrk1A7_LffQKQoc7oBM6uut6yTiMJC815zR7SEPEdWBb0zbVkCuxJC2wnZmPF3F1plmaiukL6tPsEF29GsiemosdhKj-ncfJXFloX51VtO84OZ54jZjkNeLLfkzUanwUZJkMHdSHLO00uBG7CcrNFuCCd3jBciJj0jJGLcemlXNhONmReQYCclRmzFi1lvAm9psodVfU9Q"

    static var credentials: VonageCredentials {
        get throws { try VonageCredentials(applicationID: applicationID, privateKeyPEM: Fixtures.data(Fixtures.key("test_key_pkcs8.pem"))) }
    }
    static var now: Date { Date(timeIntervalSince1970: Double(iat)) }
}

@Suite struct VonageJWTTests {
    @Test func applicationJWTMatchesVonageJWTByteForByte() throws {
        let token = try VonageAuthHeader.make(try VonageVectors.credentials, now: VonageVectors.now, jti: VonageVectors.jti)
        #expect(token == VonageVectors.applicationJWT)
        let decoded = try #require(HS256JWT.decode(token))
        #expect(decoded.header.compactText == #"{"alg":"RS256","typ":"JWT"}"#)
        #expect(decoded.claims.compactText == #"{"application_id":"c0ffee00-1234-4abc-8def-0123456789ab","iat":1700000000,"jti":"11111111-2222-4333-8444-555555555555","exp":1700000900}"#)
    }

    /// The same key as PKCS#1 and as encrypted PKCS#8 signs the same bytes (RS256 is deterministic).
    @Test func everyKeyFormSignsTheSameJWT() throws {
        for (file, pass) in [("test_key.pem", nil), ("test_key_enc_pkcs8.pem", Fixtures.passphrase), ("test_key_enc_pkcs1.pem", Fixtures.passphrase)] {
            let c = try VonageCredentials(applicationID: VonageVectors.applicationID, privateKeyPEM: Fixtures.data(Fixtures.key(file)), passphrase: pass)
            #expect(try VonageAuthHeader.make(c, now: VonageVectors.now, jti: VonageVectors.jti) == VonageVectors.applicationJWT, "\(file)")
        }
    }

    @Test func rs256VerifiesWithThePublicKeyOnly() throws {
        let publicKey = try #require(Fixtures.testPublicKey)
        let claims = try #require(RS256JWT.verify(VonageVectors.applicationJWT, publicKey: publicKey))
        #expect(claims["application_id"] == "c0ffee00-1234-4abc-8def-0123456789ab")
        let other = try RSAPrivateKey.load(pem: Fixtures.data(Fixtures.key("other_key.pem")), passphrase: nil)
        let otherPublic = try #require(other.publicKey)
        #expect(RS256JWT.verify(VonageVectors.applicationJWT, publicKey: otherPublic) == nil)
        // One claim changed, signature kept: refused.
        var parts = VonageVectors.applicationJWT.split(separator: ".").map(String.init)
        parts[1] = Data(#"{"application_id":"c0ffee00-1234-4abc-8def-0123456789ac","iat":1700000000,"jti":"x","exp":1700000900}"#.utf8).base64URLEncoded
        #expect(RS256JWT.verify(parts.joined(separator: "."), publicKey: publicKey) == nil)
        // An HS256 token is never accepted as RS256, whatever it claims.
        #expect(RS256JWT.verify(HS256JWT.sign(claims: ["application_id": "x"], key: publicKey.der), publicKey: publicKey) == nil)
    }

    @Test func clientTokensMatchVonageVideoByteForByte() throws {
        let c = try VonageVectors.credentials
        let request = ClientTokenRequest(sessionID: VonageVectors.sessionID, role: .moderator, expireTime: 1_700_086_400,
                                         connectionData: "name=Johnny", initialLayoutClasses: ["focus", "inactive"])
        #expect(try VonageClientToken.make(request, credentials: c, now: VonageVectors.now, jti: VonageVectors.jti) == VonageVectors.moderatorToken)
        let plain = try VonageClientToken.make(ClientTokenRequest(sessionID: VonageVectors.sessionID), credentials: c, now: VonageVectors.now, jti: VonageVectors.jti)
        #expect(plain == VonageVectors.defaultToken)
    }

    @Test func clientTokenClaimByClaim() throws {
        let token = try VideoCredentials.vonage(try VonageVectors.credentials).clientToken(
            ClientTokenRequest(sessionID: VonageVectors.sessionID, role: .subscriber, connectionData: "é"), now: VonageVectors.now, nonce: 7, jti: "j-1")
        let claims = try #require(RS256JWT.verify(token, publicKey: try Fixtures.requiredPublicKey()))
        #expect(claims.objectValue?.map(\.0) == ["session_id", "role", "connection_data", "exp", "jti", "iat", "subject", "scope", "acl", "application_id"])
        #expect(claims["session_id"]?.stringValue == VonageVectors.sessionID)
        #expect(claims["role"] == "subscriber")
        #expect(claims["connection_data"] == "é")
        #expect(claims["exp"]?.intValue == VonageVectors.iat + 900)
        #expect(claims["jti"] == "j-1")
        #expect(claims["iat"]?.intValue == VonageVectors.iat)
        #expect(claims["subject"] == "video")
        #expect(claims["scope"] == "session.connect")
        #expect(claims["acl"]?.compactText == #"{"paths":{"/session/**":{}}}"#)
        #expect(claims["application_id"] == "c0ffee00-1234-4abc-8def-0123456789ab")
        // Python's json.dumps escapes non-ASCII: the payload bytes say \u00e9.
        let payload = try #require(Data(base64URLEncoded: String(token.split(separator: ".")[1])))
        #expect(String(decoding: payload, as: UTF8.self).contains(#""connection_data":"\u00e9""#))
    }

    /// The OpenTok rules apply: expiry window, the session's owner, the lengths; legacy tokens are OpenTok's only.
    @Test func clientTokenValidation() throws {
        let c = VideoCredentials.vonage(try VonageVectors.credentials)
        func problem(_ request: ClientTokenRequest, format: ClientTokenFormat = .jwt) -> String? {
            do { _ = try c.clientToken(request, format: format, now: VonageVectors.now, nonce: 1, jti: "j"); return nil } catch { return error.message }
        }
        let s = VonageVectors.sessionID
        #expect(problem(ClientTokenRequest(sessionID: s, expireTime: VonageVectors.iat - 1))?.contains("in the past") == true)
        #expect(problem(ClientTokenRequest(sessionID: s, expireTime: VonageVectors.iat + 2_592_001))?.contains("more than 30 days") == true)
        #expect(problem(ClientTokenRequest(sessionID: s, expireTime: VonageVectors.iat + 2_592_000)) == nil)
        #expect(problem(ClientTokenRequest(sessionID: s, connectionData: String(repeating: "x", count: 1001)))?.contains("at most 1000") == true)
        #expect(problem(ClientTokenRequest(sessionID: OpenTokVectors.sessionID)) == "session \(OpenTokVectors.sessionID) does not belong to application c0ffee00-1234-4abc-8def-0123456789ab")
        #expect(problem(ClientTokenRequest(sessionID: "nonsense"))?.contains("is not an OpenTok session ID") == true)
        #expect(problem(ClientTokenRequest(sessionID: s), format: .legacy)?.contains("legacy T1== tokens exist only for OpenTok") == true)
    }

    @Test func credentialsRefuseBadShapesWithoutEchoingTheKey() throws {
        let pem = Fixtures.data(Fixtures.key("test_key_pkcs8.pem"))
        for bad in ["", "123456", "c0ffee00-1234-4abc-8def-0123456789a", "c0ffee00_1234-4abc-8def-0123456789ab", "g0ffee00-1234-4abc-8def-0123456789ab"] {
            #expect(throws: MediaError.self, "\(bad)") { _ = try VonageCredentials(applicationID: bad, privateKeyPEM: pem) }
        }
        func message(_ data: Data, _ pass: String? = nil) -> String {
            do { _ = try VonageCredentials(applicationID: VonageVectors.applicationID, privateKeyPEM: data, passphrase: pass); return "" } catch { return error.message }
        }
        #expect(message(Data("not a key".utf8)).contains("not a PEM private key"))
        #expect(message(Fixtures.data(Fixtures.key("test_public.pem"))).contains("holds a public key"))
        #expect(message(Fixtures.data(Fixtures.key("test_key_enc_pkcs8.pem"))).contains("VONAGE_PRIVATE_KEY_PASSPHRASE"))
        #expect(message(Fixtures.data(Fixtures.key("test_key_enc_pkcs8.pem")), "wrong").contains("pass phrase is wrong"))
        let c = try VonageVectors.credentials
        #expect("\(c)" == "VonageCredentials(applicationID: c0ffee00-1234-4abc-8def-0123456789ab, privateKey: [REDACTED])")
    }

    /// The real libcurl transport to a loopback server: every operation's path under the application ID, each
    /// attempt with its own Bearer JWT that the public key verifies, claims as vonage-jwt makes them.
    @Test func requestsOverLoopbackCarryAVerifiedBearerJWT() throws {
        let publicKey = try #require(Fixtures.testPublicKey)
        let seen = LockedRequests()
        let server = try LoopbackServer { request in
            seen.append(request)
            let body: String
            switch request.path {
            case _ where request.path.hasSuffix("/broadcast"): body = #"{"count":1,"items":[{"id":"b-1","status":"started"}]}"#
            default: body = #"{"id":"a-1","status":"started"}"#
            }
            return HTTPResponse(status: 200, headers: [("content-type", "application/json")], body: Data(body.utf8))
        }
        defer { server.stop() }
        let counter = LockedCounter()
        let transport = VideoAuthTransport(inner: try CurlTransport(options: TransferOptions(connectTimeout: 5, totalTimeout: 10)),
                                            credentials: .vonage(try VonageVectors.credentials), clock: Clock(now: { Date(timeIntervalSince1970: 1_800_000_000) }, sleep: { _ in true }),
                                            jti: { "jti-\(counter.next())" })
        let client = OpenTokClient(transport: transport, baseURL: try #require(RequestURL(server.baseURL)), apiKey: VonageVectors.applicationID, platform: .vonage)
        var options = ArchiveOptions(sessionID: VonageVectors.sessionID)
        options.name = "Standup"
        _ = try client.startArchive(options)
        _ = try client.stop(.archive, id: "a-1")
        let page = try client.list(.broadcast, offset: 0, count: 5, sessionID: VonageVectors.sessionID)
        #expect(page.items.first?.id == "b-1")
        let requests = seen.all
        let p = "/v2/project/\(VonageVectors.applicationID)"
        #expect(requests.map { "\($0.method) \($0.target)" } == ["POST \(p)/archive", "POST \(p)/archive/a-1/stop",
                                                                    "GET \(p)/broadcast?offset=0&count=5&sessionId=\(VonageVectors.sessionID)"])
        #expect(String(decoding: requests[0].body, as: UTF8.self) == #"{"sessionId":"\#(VonageVectors.sessionID)","name":"Standup"}"#)
        for (i, request) in requests.enumerated() {
            #expect(request.header("x-opentok-auth") == nil)
            let value = try #require(request.header("authorization"))
            #expect(value.hasPrefix("Bearer "))
            let claims = try #require(RS256JWT.verify(String(value.dropFirst(7)), publicKey: publicKey))
            #expect(claims.compactText == #"{"application_id":"c0ffee00-1234-4abc-8def-0123456789ab","iat":1800000000,"jti":"jti-\#(i + 1)","exp":1800000900}"#)
            #expect(request.header("accept") == "application/json")
        }
    }

    @Test func authFailuresNameTheVonageCredentials() throws {
        let server = try LoopbackServer { _ in HTTPResponse(status: 401, headers: [("content-type", "application/json")], body: Data(#"{"code":401,"message":"Invalid JWT"}"#.utf8)) }
        defer { server.stop() }
        let transport = VideoAuthTransport(inner: try CurlTransport(options: TransferOptions(connectTimeout: 5, totalTimeout: 10)), credentials: .vonage(try VonageVectors.credentials))
        let client = OpenTokClient(transport: transport, baseURL: try #require(RequestURL(server.baseURL)), apiKey: VonageVectors.applicationID, platform: .vonage)
        do { _ = try client.get(.archive, id: "a-1"); Issue.record("no error") } catch {
            #expect(error.message.hasPrefix("the Vonage Video API refused the credentials (check the application ID, its private key and this machine's clock)"))
            guard case .auth = error else { Issue.record("not an auth error: \(error)"); return }
        }
    }
}

final class LockedRequests: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [LoopbackRequest] = []
    func append(_ r: LoopbackRequest) { lock.withLock { items.append(r) } }
    var all: [LoopbackRequest] { lock.withLock { items } }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.withLock { n += 1; return n } }
}
