// The pure pieces of issue 19's auth modes: proxy URLs checked and shown without their password, the
// opc-request-id check, the OBO signed-header list, and the SDK's request bodies written byte for byte.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct NetworkSettingTests {
    @Test(arguments: [
        ("http://proxy.example.com:3128", "http://proxy.example.com:3128"),
        ("proxy.example.com:8080", "proxy.example.com:8080"),
        ("http://alice:s3cret@proxy:3128", "http://alice:[REDACTED]@proxy:3128"),
        ("socks5h://bob:p@ss:w@[::1]:1080", "socks5h://bob:[REDACTED]@[::1]:1080"),
        ("https://proxy.internal", "https://proxy.internal"),
    ])
    func proxiesThatNameAHostAreAcceptedAndShownWithoutPassword(text: String, shown: String) throws {
        #expect(try ProxySetting.validated(text) == text)
        #expect(ProxySetting.redacted(text) == shown)
    }

    @Test(arguments: ["ftp://proxy:21", "http://proxy:0", "http://proxy:http", "http://", "http://user:pw@"])
    func proxiesWithoutAHostOrWithAnotherSchemeAreUsageErrors(text: String) {
        #expect(throws: MediaError.self) { try ProxySetting.validated(text) }
        do { _ = try ProxySetting.validated(text) } catch {
            if case let .usage(message) = error { #expect(message.hasPrefix("--proxy: ")); #expect(!message.contains("pw@")) }
            else { Issue.record("expected a usage error, got \(error)") }
        }
    }

    @Test func aFixedRequestIDReplacesTheClientsOwn() throws {
        let seen = SeenIDs()
        let server = try LoopbackServer { request in
            seen.add(request.header("opc-request-id") ?? "-")
            return HTTPResponse(status: 200)
        }
        let transport = FixedRequestIDTransport(inner: try CurlTransport(), requestID: try FixedRequestIDTransport.validated("CASE-42/abc"))
        for _ in 0..<2 {
            var request = HTTPRequest(method: "GET", url: try #require(RequestURL(server.baseURL + "/x")))
            request.setHeader("opc-request-id", "per-request")
            _ = try transport.send(request)
        }
        #expect(seen.all == ["CASE-42/abc", "CASE-42/abc"])
        #expect(throws: MediaError.usage("--opc-request-id: expected printable ASCII characters, got 'a\\nb'")) {
            try FixedRequestIDTransport.validated("a\nb")
        }
    }
}

@Suite struct AuthModeWireTests {
    @Test func theDelegationTokenIsSignedAfterHostAndBeforeTheBodyHeaders() {
        #expect(OCIRequestSigner.signedHeaderNames(method: "GET", extra: ["opc-obo-token"]) == ["date", "(request-target)", "host", "opc-obo-token"])
        #expect(OCIRequestSigner.signedHeaderNames(method: "POST", extra: ["opc-obo-token"])
                == ["date", "(request-target)", "host", "opc-obo-token", "content-length", "content-type", "x-content-sha256"])
    }

    @Test func theProxymuxBodyIsWhatRequestsJsonWrites() throws {
        let key = try Fixtures.testKey
        let body = String(decoding: OKEWorkloadIdentitySigner.body(sessionKey: key), as: UTF8.self)
        #expect(body == "{\"podKey\": \"\(key.publicKeyDER.base64EncodedString())\"}")
        let id = OKEWorkloadIdentitySigner.requestID().split(separator: "/")
        #expect(id.count == 3 && id.allSatisfy { $0.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
    }

    @Test func theRefreshBodyIsWhatJsonDumpsWrites() {
        #expect(String(decoding: SecurityTokenRefresh.body(token: "a.b.c"), as: UTF8.self) == "{\"currentToken\": \"a.b.c\"}")
        #expect(String(decoding: SecurityTokenRefresh.body(token: "q\"\\é"), as: UTF8.self) == "{\"currentToken\": \"q\\\"\\\\\\u00e9\"}")
    }

    @Test func objectStorageEndpointOptionsFollowTheSDKTemplates() throws {
        let iad = try Regions.resolve("iad"), langley = try Regions.resolve("us-langley-1")
        func host(_ region: RegionInfo, _ realm: Bool, _ ds: Bool, _ ns: String? = "MyNs") -> String {
            Regions.objectStorageEndpoint(region, options: .init(realmSpecific: realm, dualStack: ds), namespace: ns).host
        }
        #expect(host(iad, false, false) == "objectstorage.us-ashburn-1.oraclecloud.com")
        #expect(host(iad, true, false) == "MyNs.objectstorage.us-ashburn-1.oci.customer-oci.com")
        #expect(host(iad, true, false, nil) == "objectstorage.us-ashburn-1.oci.customer-oci.com")
        #expect(host(iad, false, true) == "objectstorage.us-ashburn-1.ds.oci.oraclecloud.com")
        #expect(host(iad, true, true) == "MyNs.objectstorage.us-ashburn-1.ds.oci.customer-oci.com")
        #expect(host(langley, true, true) == "objectstorage.us-langley-1.ds.oci.oraclegovcloud.com", "realm-specific templates exist for oc1 only")
    }

    @Test func theRefreshEndpointIsTheRegionsAuthServiceOrTheOneGiven() throws {
        #expect(try SecurityTokenRefresh.endpoint(explicit: nil, region: Regions.resolve("uk-gov-london-1")).description
                == "https://auth.uk-gov-london-1.oraclegovcloud.uk/v1/authentication/refresh")
        #expect(try SecurityTokenRefresh.endpoint(explicit: "http://127.0.0.1:9", region: nil).description
                == "http://127.0.0.1:9/v1/authentication/refresh")
    }
}

final class SeenIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String] = []
    func add(_ id: String) { lock.withLock { ids.append(id) } }
    var all: [String] { lock.withLock { ids } }
}
