// The connection factory over real loopback HTTP: one transport stack for every client, retries reported once
// through the event sink, --debug redacted, the command timeout capping retries, principal calls off the proxy.
import Foundation
import MediaKit
import Testing
import TestSupport

/// What the factory told, in order.
final class ToldEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(String, String)] = []
    var events: ConnectionEvents {
        ConnectionEvents(debug: { self.add("debug", $0) }, progress: { self.add("progress", $0) }, warn: { self.add("warn", $0) })
    }
    func add(_ kind: String, _ text: String) { lock.lock(); lines.append((kind, text)); lock.unlock() }
    func of(_ kind: String) -> [String] { lock.lock(); defer { lock.unlock() }; return lines.filter { $0.0 == kind }.map(\.1) }
}

/// A clock whose sleeps pass at once and move `now` on.
final class SteppedTime: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double = 1_700_000_000
    private(set) var slept: [Double] = []
    var clock: MediaKit.Clock {
        MediaKit.Clock(now: { self.lock.lock(); defer { self.lock.unlock() }; return Date(timeIntervalSince1970: self.seconds) },
                       sleep: { s in self.lock.lock(); self.seconds += s; self.slept.append(s); self.lock.unlock(); return true })
    }
}

/// Requests a loopback server received, in order.
final class Received: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [LoopbackRequest] = []
    func add(_ r: LoopbackRequest) { lock.lock(); items.append(r); lock.unlock() }
    var all: [LoopbackRequest] { lock.lock(); defer { lock.unlock() }; return items }
}

@Suite struct ConnectionFactoryTests {
    static let channelID = "ocid1.mediaassetchannel.oc1.iad.aaaaaaaachannelexample"
    let dir = TemporaryDirectory()

    /// API-key settings pointing Media Services at `endpoint`.
    func settings(endpoint: String, configMode: Int = 0o600) -> ConnectionSettings {
        let key = dir.write("key.pem", String(decoding: Fixtures.data(Fixtures.key("test_key.pem")), as: UTF8.self))
        let config = dir.write("config", "[DEFAULT]\nuser=\(Fixtures.user)\nfingerprint=\(Fixtures.testFingerprint)\n"
            + "key_file=\(key)\ntenancy=\(Fixtures.tenancy)\nregion=iad\n", mode: configMode)
        var s = ConnectionSettings(environment: [:], homeDirectory: dir.path)
        s.oci.configFile = config
        s.oci.endpoint = endpoint
        return s
    }

    /// Answers 503 (with Retry-After: 1) `failures` times, then the channel.
    func flakyServer(failures: Int, received: Received) throws -> LoopbackServer {
        try LoopbackServer { request in
            received.add(request)
            if received.all.count <= failures {
                return HTTPResponse(status: 503, headers: [("retry-after", "1"), ("content-type", "application/json")],
                                    body: Data(#"{"code":"ServiceUnavailable","message":"try later"}"#.utf8))
            }
            return HTTPResponse(status: 200, headers: [("content-type", "application/json")],
                                body: Data(#"{"id":"\#(Self.channelID)","displayName":"c1"}"#.utf8))
        }
    }

    @Test func retriesAreHonouredAndEachIsReportedOnceAsProgress() throws {
        let received = Received()
        let server = try flakyServer(failures: 2, received: received)
        let told = ToldEvents(), time = SteppedTime()
        let factory = try ConnectionFactory(settings: settings(endpoint: server.baseURL), clock: time.clock, events: told.events)
        let channel = try factory.mediaServices().get(.channel, id: Self.channelID)
        #expect(channel.json["displayName"]?.stringValue == "c1")
        #expect(received.all.count == 3)
        #expect(time.slept == [1, 1])
        let path = "/20211101/streamDistributionChannels/\(Self.channelID)"
        #expect(told.of("progress") == ["retry 1/7 of GET \(path) in 1.0 s after HTTP 503 ServiceUnavailable",
                                        "retry 2/7 of GET \(path) in 1.0 s after HTTP 503 ServiceUnavailable"])
        #expect(told.of("debug").isEmpty)
        // Each attempt is signed afresh.
        #expect(received.all.allSatisfy { $0.header("authorization")?.contains("keyId=\"\(Fixtures.testKeyID)\"") == true })
    }

    @Test func withDebugRetriesAreDebugLinesAndNoSecretIsLogged() throws {
        let received = Received()
        let server = try flakyServer(failures: 1, received: received)
        let told = ToldEvents(), time = SteppedTime()
        var s = settings(endpoint: server.baseURL)
        s.debug = true
        s.requestID = "TRACE-ME-1"
        let factory = try ConnectionFactory(settings: s, clock: time.clock, events: told.events)
        _ = try factory.mediaServices().get(.channel, id: Self.channelID)
        #expect(told.of("progress").isEmpty)
        let debug = told.of("debug")
        #expect(debug.filter { $0.hasPrefix("retry 1/7 of GET ") }.count == 1)
        #expect(debug.contains("auth api_key, profile DEFAULT of \(s.oci.configFile ?? ""), endpoint \(server.baseURL)/20211101"))
        #expect(debug.contains("proxy from the environment (HTTPS_PROXY, NO_PROXY), if set"))
        let log = debug.joined(separator: "\n")
        #expect(log.contains("signature=\"[REDACTED]\""))
        #expect(log.contains("> opc-request-id: TRACE-ME-1"))
        // The real signature the server saw never shows.
        for request in received.all {
            let authorization = try #require(request.header("authorization"))
            let signature = try #require(authorization.split(separator: ",").first { $0.hasPrefix("signature=") })
            #expect(!log.contains(String(signature)))
            #expect(request.header("opc-request-id") == "TRACE-ME-1")
        }
    }

    @Test func videoDebugLogHidesTheJWTAndTheSecret() throws {
        let received = Received()
        let server = try LoopbackServer { request in
            received.add(request)
            return HTTPResponse(status: 200, headers: [("content-type", "application/json")], body: Data(#"{"count":0,"items":[]}"#.utf8))
        }
        let told = ToldEvents()
        var s = ConnectionSettings(environment: [:], homeDirectory: dir.path)
        s.openTokURL = server.baseURL
        s.debug = true
        let secret = "0123456789abcdef0123456789abcdef01234567"
        let factory = try ConnectionFactory(settings: s, clock: SteppedTime().clock, events: told.events)
        let credentials = VideoCredentials.openTok(try OpenTokCredentials(apiKey: "12345678", apiSecret: secret))
        let client = try factory.video(credentials: credentials, chosenBy: "--api-key")
        _ = try client.list(.archive)
        let jwt = try #require(received.all.first?.header("x-opentok-auth"))
        let log = told.of("debug").joined(separator: "\n")
        #expect(log.contains("Video platform: OpenTok at \(server.baseURL)/ (API key 12345678, X-OPENTOK-AUTH HS256 JWT; chosen by --api-key)"))
        #expect(log.contains("> X-OPENTOK-AUTH: [REDACTED]") || log.contains("> x-opentok-auth: [REDACTED]"))
        #expect(!log.contains(jwt))
        #expect(!log.contains(secret))
    }

    @Test func theCommandTimeoutCapsTheRetryBudget() throws {
        let received = Received()
        let server = try flakyServer(failures: 100, received: received)
        var s = settings(endpoint: server.baseURL)
        s.commandTimeout = 2.5
        let time = SteppedTime()
        let factory = try ConnectionFactory(settings: s, clock: time.clock, events: ToldEvents().events)
        #expect(throws: MediaError.self) { try factory.mediaServices().get(.channel, id: Self.channelID) }
        // Sent at 0 s, 1 s and 2 s; a fourth, after one more second, would end past 2.5 s.
        #expect(received.all.count == 3)
        #expect(time.slept == [1, 1])
        // Without the cap the SDK's policy sends all 8 attempts.
        s.commandTimeout = nil
        let uncapped = try ConnectionFactory(settings: s, clock: SteppedTime().clock, events: ToldEvents().events)
        #expect(throws: MediaError.self) { try uncapped.mediaServices().get(.channel, id: Self.channelID) }
        #expect(received.all.count == 3 + 8)
    }

    @Test func theCommandTimeoutCapsEachRequest() throws {
        let server = try LoopbackServer { _ in
            Thread.sleep(forTimeInterval: 3)
            return HTTPResponse(status: 200, body: Data("{}".utf8))
        }
        var s = settings(endpoint: server.baseURL)
        s.commandTimeout = 0.5
        s.noRetry = true
        let factory = try ConnectionFactory(settings: s, events: ToldEvents().events)
        let started = Date()
        do {
            _ = try factory.mediaServices().get(.channel, id: Self.channelID)
            Issue.record("expected a timeout")
        } catch {
            guard case .timeout = error else { Issue.record("expected .timeout, got \(error)"); return }
        }
        #expect(Date().timeIntervalSince(started) < 2.5)
    }

    @Test func principalCallsIgnoreTheProxyThatServiceCallsUse() throws {
        let atProxy = Received(), atService = Received()
        let proxy = try LoopbackServer { request in
            atProxy.add(request)
            return HTTPResponse(status: 200, body: Data(#"{"id":"\#(Self.channelID)"}"#.utf8))
        }
        let service = try LoopbackServer { request in atService.add(request); return HTTPResponse(status: 200, body: Data("{}".utf8)) }
        var s = settings(endpoint: service.baseURL)
        s.proxy = proxy.baseURL
        let factory = try ConnectionFactory(settings: s, clock: SteppedTime().clock, events: ToldEvents().events)
        let url = try #require(RequestURL(service.baseURL + "/opc/v2/instance/region"))

        _ = try factory.principalNetwork().transport.send(HTTPRequest(method: "GET", url: url))
        #expect(atService.all.map(\.target) == ["/opc/v2/instance/region"])
        #expect(atProxy.all.isEmpty)

        _ = try factory.mediaServices().get(.channel, id: Self.channelID)
        #expect(atProxy.all.map(\.target) == ["\(service.baseURL)/20211101/streamDistributionChannels/\(Self.channelID)"])
        #expect(atService.all.count == 1)
    }

    @Test func aBadProxyIsRefusedBeforeAnythingIsSent() {
        var s = ConnectionSettings(environment: [:], homeDirectory: dir.path)
        s.proxy = "ftp://proxy.example.com"
        #expect(throws: MediaError.usage("--proxy: the scheme 'ftp' is not one of http, https, socks4, socks4a, socks5, socks5h; "
            + "expected a proxy URL such as http://proxy.example.com:80 or http://user:password@proxy:3128")) {
            try ConnectionFactory(settings: s)
        }
    }

    @Test func theConnectionIsLoadedOnceAndItsWarningsToldOnce() throws {
        let received = Received()
        let server = try flakyServer(failures: 0, received: received)
        let told = ToldEvents()
        let s = settings(endpoint: server.baseURL, configMode: 0o644)
        let factory = try ConnectionFactory(settings: s, clock: SteppedTime().clock, events: told.events)
        _ = try factory.mediaServices()
        _ = try factory.mediaServices()
        _ = try factory.mediaStream(domain: "abc.example.com")
        let path = try #require(s.oci.configFile)
        #expect(told.of("warn") == ["permissions on \(path) are too open (644): group or others can read it; "
            + "run `chmod 600 \(path)` (or set OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING=True to silence this warning)"])
    }

    @Test func mediaStreamGoesToTheChannelDomainWithTheEndpointScheme() throws {
        let factory = try ConnectionFactory(settings: settings(endpoint: "http://127.0.0.1:9"), events: ToldEvents().events)
        #expect(try factory.mediaStream(domain: "abc.example.com").endpoint.description == "http://abc.example.com/20211101")
    }
}
