// Where values come from (flag > env > defaults file > default) and what the transport does on
// the wire: TLS verification with --ca-bundle, service errors, retries with one retry token.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct PrecedenceTests {
    func channelBody(_ h: EmulatorHarness) throws -> JSONValue {
        let post = try #require(h.emulator.requests.first { $0.path.hasSuffix("/streamDistributionChannels") && $0.method == "POST" })
        return try JSONParser.parse(post.body)
    }

    @Test func defaultsFileFillsWhatFlagsAndEnvLeaveOut() throws {
        let h = try EmulatorHarness()
        h.environment["MEDIACTL_COMPARTMENT_ID"] = nil
        h.dir.write(".config/mediactl/defaults", """
        [DEFAULT]
        compartment-id = ocid1.compartment.oc1..fromdefaults
        name = general
        channel.build.name = scoped
        [OTHER]
        compartment-id = ocid1.compartment.oc1..otherprofile
        """)
        let r = try h.run(["channel", "build", "--output", "id"])
        #expect(r.status == 0, "\(r.stderr)")
        let body = try channelBody(h)
        #expect(body["compartmentId"] == "ocid1.compartment.oc1..fromdefaults")
        #expect(body["displayName"] == "scoped", "the most specific key wins")
    }

    @Test func envBeatsTheDefaultsFileAndFlagsBeatEnv() throws {
        let h = try EmulatorHarness()
        h.dir.write(".config/mediactl/defaults", "[DEFAULT]\ncompartment-id = ocid1.compartment.oc1..fromdefaults\n")
        h.environment["MEDIACTL_COMPARTMENT_ID"] = "ocid1.compartment.oc1..fromenv"
        _ = try h.run(["channel", "build"])
        #expect(try channelBody(h)["compartmentId"] == "ocid1.compartment.oc1..fromenv")

        let h2 = try EmulatorHarness()
        h2.environment["MEDIACTL_COMPARTMENT_ID"] = "ocid1.compartment.oc1..fromenv"
        _ = try h2.run(["channel", "build", "--compartment-id", "ocid1.compartment.oc1..fromflag"])
        #expect(try channelBody(h2)["compartmentId"] == "ocid1.compartment.oc1..fromflag")
    }

    @Test func aBadValueInTheDefaultsFileIsNamed() throws {
        let h = try EmulatorHarness()
        h.environment["MEDIACTL_COMPARTMENT_ID"] = nil
        h.dir.write(".config/mediactl/defaults", "[DEFAULT]\ncompartment-id = nope\n")
        let r = try h.run(["channel", "build"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--compartment-id (from 'compartment-id' in the defaults file): 'nope' is not an OCID"))
        #expect(h.requestCount == 0)
    }
}

@Suite struct TransportTests {
    @Test func retriesReuseOneRetryTokenAndHonourRetryAfter() throws {
        final class Counter: @unchecked Sendable { var tokens: [String] = []; var ids: [String] = []; let lock = NSLock() }
        let counter = Counter()
        let server = try LoopbackServer { request in
            counter.lock.withLock {
                counter.tokens.append(request.header("opc-retry-token") ?? "")
                counter.ids.append(request.header("opc-request-id") ?? "")
            }
            let n = counter.lock.withLock { counter.tokens.count }
            if n == 1 { return HTTPResponse(status: 503, headers: [("content-type", "application/json")], body: Data(#"{"code":"ServiceUnavailable","message":"try later"}"#.utf8)) }
            if n == 2 { return HTTPResponse(status: 429, headers: [("retry-after", "0")], body: Data(#"{"code":"TooManyRequests","message":"slow down"}"#.utf8)) }
            return HTTPResponse(status: 200, body: Data(#"{"id":"ocid1.streamdistributionchannel.oc1.iad.x","displayName":"d"}"#.utf8))
        }
        let key = try Fixtures.testKey
        let signer = APIKeySigner(tenancy: Fixtures.tenancy, user: Fixtures.user, fingerprint: key.fingerprint, key: key)
        let slept = Counter()
        let clock = Clock(now: { Date() }, sleep: { s in slept.lock.withLock { slept.ids.append(String(s)) }; return true })
        let transport = RetryingTransport(inner: SigningTransport(inner: try CurlTransport(), signer: signer, clock: clock),
                                          policy: RetryPolicy(), clock: clock, jitter: { 0.5 })
        let client = MediaServicesClient(transport: transport, endpoint: RequestURL("\(server.baseURL)/20211101")!)
        let channel = try client.createChannel(compartmentID: Fixtures.compartment, displayName: "d")
        #expect(channel.displayName == "d")
        #expect(counter.tokens.count == 3)
        #expect(Set(counter.tokens).count == 1 && counter.tokens[0].count == 30)
        #expect(slept.ids == ["1.5", "0.0"], "backoff 2^0 + jitter, then Retry-After: 0")
    }

    @Test func aBadRequestIsNotRetriedAndIsReportedInOneLine() throws {
        let h = try EmulatorHarness()
        let r = try h.run(["job", "run", "--workflow-id", "ocid1.mediaworkflow.oc1.iad.doesnotexist", "--source-bucket", "a",
                           "--destination-bucket", "b", "--namespace", "n", "--source-video", "v", "--output-prefix", "p"])
        #expect(r.status == 5)
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(lines.count == 1)
        #expect(lines[0].contains("404 NotAuthorizedOrNotFound"))
        #expect(lines[0].contains("(POST \(h.server.baseURL)/20211101/mediaWorkflowJobs, opc-request-id: "))
        #expect(h.emulator.requests.filter { $0.method == "POST" }.count == 1)
    }

    @Test func aDeadEndpointIsANetworkError() throws {
        let h = try EmulatorHarness()
        let r = try h.run(["workflow", "list", "--no-retry"], env: ["MEDIACTL_ENDPOINT": "http://127.0.0.1:9"])
        #expect(r.status == 7)
        #expect(r.stderr.contains("GET http://127.0.0.1:9/20211101/mediaWorkflows failed"))
    }

    /// Real TLS on loopback (openssl s_server): an unknown CA is refused; --ca-bundle trusts it.
    @Test func tlsIsVerifiedAndCABundleTrustsAPrivateCA() throws {
        let tls = try SelfSignedTLSServer()
        defer { tls.stop() }
        let port = tls.port
        let dir = tls.dir

        let h = try EmulatorHarness()
        let untrusted = try h.run(["workflow", "list", "--no-retry"], env: ["MEDIACTL_ENDPOINT": "https://127.0.0.1:\(port)"])
        #expect(untrusted.status == 7)
        #expect(untrusted.stderr.lowercased().contains("certificate"), "\(untrusted.stderr)")
        let trusted = try h.run(["workflow", "list", "--no-retry", "--ca-bundle", "\(dir.path)/c.pem"], env: ["MEDIACTL_ENDPOINT": "https://127.0.0.1:\(port)"])
        // The handshake succeeds; s_server answers with its HTML status page, which is not the API's JSON.
        #expect(trusted.stderr.contains("not valid JSON"), "\(trusted.stderr)")
    }
}
