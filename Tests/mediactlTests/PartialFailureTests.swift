// The real binary when a multi-step command fails part-way, or when a call that must not be repeated loses its
// connection: one `error:` line (docs/exit-codes.md), what was created and how to finish on the lines around it,
// and a not-repeatable call that reached the server exactly once.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct PartialFailureTests {
    static let channel = "ocid1.mediastreamdistributionchannel.oc1.iad.partial"

    /// Channel creates succeed; CDN config creates get `cdnStatus`.
    static func server(cdnStatus: Int) throws -> LoopbackServer {
        try LoopbackServer { request in
            if request.path.hasSuffix("/streamDistributionChannels") {
                return HTTPResponse(status: 200, body: Data(#"{"id": "\#(channel)", "displayName": "d"}"#.utf8))
            }
            return HTTPResponse(status: cdnStatus, headers: [("opc-request-id", "rid-1")],
                                body: Data(#"{"code": "\#(cdnStatus == 400 ? "InvalidParameter" : "ServiceUnavailable")", "message": "no"}"#.utf8))
        }
    }

    @Test func aChannelBuildThatFailsAfterTheChannelPrintsOneErrorLine() throws {
        let server = try Self.server(cdnStatus: 400)
        defer { server.stop() }
        let h = try EmulatorHarness()
        let r = try h.run(["channel", "build"], env: ["MEDIACTL_ENDPOINT": server.baseURL])
        #expect(r.status == 1, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        let errors = lines.filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "\(r.stderr)")
        #expect(errors.first?.contains("400 InvalidParameter") == true)
        #expect(lines.contains("created before the failure: channel \(Self.channel)"), "\(r.stderr)")
        // A 400 is final (nothing was created by it): no retry-token hint.
        #expect(!r.stderr.contains("--retry-token"))
        #expect(r.stdout.isEmpty)

        // --quiet drops progress, not what the user needs to clean up or finish.
        let quiet = try h.run(["channel", "build", "--quiet"], env: ["MEDIACTL_ENDPOINT": server.baseURL])
        #expect(quiet.stderr.split(separator: "\n").map(String.init)
                == ["created before the failure: channel \(Self.channel)", errors[0]], "\(quiet.stderr)")
    }

    @Test func aChannelBuildWhoseCdnCreateGotA5xxSaysHowToFinish() throws {
        let server = try Self.server(cdnStatus: 503)
        defer { server.stop() }
        let h = try EmulatorHarness()
        let r = try h.run(["channel", "build", "--no-retry", "--retry-token", "tok-123"], env: ["MEDIACTL_ENDPOINT": server.baseURL])
        #expect(r.status == 1, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("error:") }.count == 1, "\(r.stderr)")
        #expect(lines.contains("rerun with --retry-token tok-123 to get the resource created, not a second one"), "\(r.stderr)")
    }

    final class Count: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func bump() -> Int { lock.withLock { n += 1; return n } }
        var value: Int { lock.withLock { n } }
    }

    @Test func anArchiveStartWhoseConnectionDropsIsSentOnceAndFailsWithOneLine() throws {
        let starts = Count()
        let server = try LoopbackServer { request in
            guard request.method == "POST", request.path.hasSuffix("/archive") else { return HTTPResponse(status: 404) }
            _ = starts.bump()
            return HTTPResponse(status: 200, headers: [("x-test-drop-connection", "1")])   // read, then closed unanswered
        }
        defer { server.stop() }
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(1)
        let r = try h.run(["archive", "start", "--session-id", session, "--debug"], env: ["OPENTOK_API_URL": server.baseURL])
        #expect(r.status == 7, "\(r.stderr)")
        #expect(starts.value == 1, "the archive start reached the server \(starts.value) times")
        let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "\(r.stderr)")
        #expect(errors.first?.contains("POST \(server.baseURL)/v2/project/\(OpenTokHarness.apiKey)/archive") == true, "\(r.stderr)")
        #expect(!r.stderr.contains("sent again"))
        #expect(!r.stderr.contains("retry 1/"))
    }
}
