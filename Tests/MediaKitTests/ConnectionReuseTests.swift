// libcurl's silent re-send, over real loopback HTTP with the real CurlTransport: when a kept-alive connection
// closes without answering, libcurl sends the request again by itself. A call that is not safe to repeat must
// reach the server once (and fail clearly); any other re-send must be visible to the retry layer and --debug.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct ConnectionReuseTests {
    /// Counts what arrived, per "METHOD /path", as the server saw it.
    final class Arrivals: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [String: Int] = [:]
        func arrive(_ key: String) -> Int { lock.withLock { counts[key, default: 0] += 1; return counts[key, default: 0] } }
        func count(_ key: String) -> Int { lock.withLock { counts[key] ?? 0 } }
    }

    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ s: String) { lock.withLock { items.append(s) } }
        var all: [String] { lock.withLock { items } }
    }

    static let drop = HTTPResponse(status: 200, headers: [("x-test-drop-connection", "1")])

    /// The first arrival of `dropped` ("METHOD /path") is read and its connection closed without an answer;
    /// everything else gets a 200 on a kept-alive connection.
    static func server(_ arrivals: Arrivals, dropping dropped: String) throws -> LoopbackServer {
        try LoopbackServer { request in
            let key = "\(request.method) \(request.path)"
            if arrivals.arrive(key) == 1, key == dropped { return drop }
            if request.method == "GET" { return HTTPResponse(status: 200, body: Data(#"{"count":0,"items":[]}"#.utf8)) }
            return HTTPResponse(status: 200, body: Data(#"{"id":"b7a9c1d2-0000-4000-8000-000000000001","status":"started"}"#.utf8))
        }
    }

    @Test func anArchiveStartAfterAReadGoesOutOnceAndFailsClearly() throws {
        let arrivals = Arrivals()
        let server = try Self.server(arrivals, dropping: "POST /v2/project/123456/archive")
        defer { server.stop() }
        let retries = Lines()
        let debug = Lines()
        // The CLI's stack: retries around a --debug log around one libcurl handle (so the connection is reused).
        let transport = RetryingTransport(inner: DebugLogTransport(inner: try CurlTransport(), log: { debug.add($0) }),
                                          policy: RetryPolicy(maxAttempts: 8), clock: Clock(now: { Date() }, sleep: { _ in true }),
                                          onRetry: { retries.add($0) })
        let client = OpenTokClient(transport: transport, baseURL: try #require(RequestURL(server.baseURL)), apiKey: "123456")
        _ = try client.list(.archive)   // leaves a kept-alive connection in the handle
        #expect(arrivals.count("GET /v2/project/123456/archive") == 1)

        var failure: MediaError?
        do { _ = try client.startArchive(ArchiveOptions(sessionID: OpenTokVectors.sessionID)) } catch { failure = error }
        // Exactly once at the server: not re-sent by libcurl, not retried by the retry layer.
        #expect(arrivals.count("POST /v2/project/123456/archive") == 1)
        let error = try #require(failure)
        guard case let .network(message) = error else { Issue.record("expected a network error, got \(error)"); return }
        #expect(message.contains("POST \(server.baseURL)/v2/project/123456/archive"), "\(message)")
        #expect(retries.all.isEmpty, "\(retries.all)")
        #expect(!debug.all.joined().contains("sent again"))
    }

    @Test func aRepeatableCallReSentByLibcurlIsSeenByTheRetryLayerAndDebug() throws {
        let arrivals = Arrivals()
        let server = try Self.server(arrivals, dropping: "GET /second")
        defer { server.stop() }
        let retries = Lines()
        let debug = Lines()
        let sends = Lines()
        let transport = RetryingTransport(inner: DebugLogTransport(inner: try CurlTransport(), log: { debug.add($0) }),
                                          policy: RetryPolicy(maxAttempts: 8), clock: Clock(now: { Date() }, sleep: { _ in true }),
                                          onRetry: { retries.add($0) })
        let base = try #require(RequestURL(server.baseURL))
        #expect(try transport.send(HTTPRequest(method: "GET", url: base.appending(path: "/first"))).status == 200)
        var second = HTTPRequest(method: "GET", url: base.appending(path: "/second"))
        second.onSend = { sends.add("\($0)") }
        #expect(try transport.send(second).status == 200)
        // libcurl sent it twice (the reused connection closed unanswered, then a new one): both sends are seen.
        #expect(arrivals.count("GET /second") == 2)
        #expect(sends.all == ["1", "2"])
        #expect(retries.all.count == 1)
        #expect(retries.all.first?.contains("GET /second was sent 2 times") == true, "\(retries.all)")
        #expect(debug.all.contains { $0.contains("sent again (send 2) by libcurl") }, "\(debug.all)")
    }

    @Test func withNoRetryARepeatableCallIsSentOnceToo() throws {
        let arrivals = Arrivals()
        let server = try Self.server(arrivals, dropping: "GET /second")
        defer { server.stop() }
        let transport = RetryingTransport(inner: try CurlTransport(), policy: .none)
        let base = try #require(RequestURL(server.baseURL))
        #expect(try transport.send(HTTPRequest(method: "GET", url: base.appending(path: "/first"))).status == 200)
        #expect(throws: MediaError.self) { try transport.send(HTTPRequest(method: "GET", url: base.appending(path: "/second"))) }
        #expect(arrivals.count("GET /second") == 1, "--no-retry: the one attempt is the only send")
    }

    @Test func aNotRepeatableCallOnItsOwnFreshConnectionIsAnsweredNormally() throws {
        let arrivals = Arrivals()
        let server = try Self.server(arrivals, dropping: "none")
        defer { server.stop() }
        let client = OpenTokClient(transport: try CurlTransport(), baseURL: try #require(RequestURL(server.baseURL)), apiKey: "123456")
        _ = try client.list(.archive)
        let archive = try client.startArchive(ArchiveOptions(sessionID: OpenTokVectors.sessionID))
        #expect(archive.json["status"] == "started")
        _ = try client.list(.archive)   // the handle still works after the fresh connection
        #expect(arrivals.count("POST /v2/project/123456/archive") == 1)
        #expect(arrivals.count("GET /v2/project/123456/archive") == 2)
    }
}
