// Issue 14, defect 2, mediactl's side: a real service may answer `application/json; charset=utf-8` (or any casing
// and parameters), and mediactl must read it as JSON. The emulators answer through a loopback server that changes
// only the content type of each of their answers.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct ContentTypeParameterTests {
    static let contentTypes = ["application/json; charset=utf-8", "Application/JSON;charset=UTF-8", "application/json; charset=\"utf-8\"; v=1"]

    static func withContentType(_ response: HTTPResponse, _ contentType: String) -> HTTPResponse {
        HTTPResponse(status: response.status, headers: response.headers.filter { $0.0 != "content-type" } + [("content-type", contentType)],
                     body: response.body)
    }

    @Test(arguments: contentTypes)
    func mediaServicesAnswersWithParametersAreRead(_ contentType: String) throws {
        let h = try EmulatorHarness()
        let emulator = h.emulator
        let server = try LoopbackServer { request in
            let r = emulator.handle(ServerRequest(method: request.method, target: request.target, headers: request.headers, body: request.body))
            return Self.withContentType(HTTPResponse(status: r.status, headers: r.headers, body: r.body), contentType)
        }
        defer { server.stop() }
        let env = ["MEDIACTL_ENDPOINT": server.baseURL]
        let build = try h.run(["channel", "build", "--output", "id"], env: env)
        #expect(build.status == 0, "\(build.stderr)")
        let channel = try #require(build.stdoutLines.first)
        let get = try h.run(["channel", "get", channel, "--output", "json"], env: env)
        #expect(get.status == 0, "\(get.stderr)")
        #expect(try JSONParser.parse(get.stdout)["id"]?.stringValue == channel)
        #expect(emulator.requests.allSatisfy { $0.status < 400 })
    }

    @Test(arguments: contentTypes)
    func openTokAnswersWithParametersAreRead(_ contentType: String) throws {
        let h = try OpenTokHarness()
        let emulator = h.emulator
        let server = try LoopbackServer { request in
            Self.withContentType(emulator.handle(method: request.method, target: request.target, headers: request.headers, body: request.body),
                                 contentType)
        }
        defer { server.stop() }
        let created = try h.run(["session", "create", "--media-mode", "routed", "--output", "json"], env: ["OPENTOK_API_URL": server.baseURL])
        #expect(created.status == 0, "\(created.stderr)")
        let session = try #require(try JSONParser.parse(created.stdout)["session_id"]?.stringValue)
        #expect(!session.isEmpty)
        let archives = try h.run(["archive", "list", "--output", "json"], env: ["OPENTOK_API_URL": server.baseURL])
        #expect(archives.status == 0, "\(archives.stderr)")
    }
}
