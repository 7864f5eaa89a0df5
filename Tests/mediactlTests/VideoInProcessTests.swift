// The OpenTok / Vonage Video verbs run in-process (the runner with fake streams and scripted answers) against the
// OpenTok emulator on loopback: the typed table → parse → MediaKit options → client → wire, in one test each.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport
@testable import mediactl

@Suite struct VideoInProcessTests {
    static let terminal = TerminalFacts(stdinIsTTY: true, stdoutIsTTY: false, stderrIsTTY: true)

    @Test func archiveStartSendsTheChosenStreamModeAndOpenTokSpellsOutTheRest() throws {
        let h = try OpenTokHarness()
        let session = h.emulator.seedSession(routed: true)
        let r = InProcess.run(["archive", "start", "--session-id", session, "--stream-mode", "manual", "--output", "id"], env: h.environment)
        #expect(r.status == 0, "\(r.stderr)")
        let call = try #require(h.emulator.calls.last)
        #expect(call.method == "POST" && call.path == "/v2/project/\(OpenTokHarness.apiKey)/archive")
        let body = try JSONParser.parse(call.body)
        // opentok 3.15 sends the API's defaults for what was not chosen (outputMode composed), and the choice as given.
        #expect(body["streamMode"]?.stringValue == "manual")
        #expect(body["outputMode"]?.stringValue == "composed")
        #expect(body["sessionId"]?.stringValue == session)
        let id = r.stdout.trimmingCharacters(in: .newlines)
        #expect(r.stdout == "\(id)\n" && !id.isEmpty && !id.contains("\n"), "--output id prints the archive's ID alone")
    }

    @Test func vonageLeavesAStreamModeThatWasNotChosenOutOfTheBody() throws {
        let h = try OpenTokHarness(vonage: true)
        let session = h.emulator.seedSession(routed: true)
        let r = InProcess.run(["archive", "start", "--session-id", session], env: h.environment)
        #expect(r.status == 0, "\(r.stderr)")
        let call = try #require(h.emulator.calls.last)
        // vonage-video 1.6 (exclude_none=True): only the options chosen; the table's default (auto) is not one.
        #expect(call.body == Data("{\"sessionId\":\"\(session)\"}".utf8), "\(String(decoding: call.body, as: UTF8.self))")
    }

    @Test func everyMissingValueIsNamedInOneErrorAndNothingIsSent() throws {
        let h = try OpenTokHarness()
        let r = InProcess.run(["archive", "start"], env: ["OPENTOK_API_URL": h.server.baseURL])
        #expect(r.status == 64)
        #expect(r.stderr == "error: missing 2 values for `mediactl archive start`: give --session-id (or OPENTOK_SESSION_ID), --api-key (or OPENTOK_API_KEY)\n")
        #expect(r.stdout.isEmpty && h.requestCount == 0)
    }

    @Test func theSecretIsAskedWithNoEchoAfterTheFlagsAreCheckedAndNeverShown() throws {
        let h = try OpenTokHarness()
        let session = h.emulator.seedSession(routed: true)
        let env = ["OPENTOK_API_URL": h.server.baseURL, "OPENTOK_API_KEY": OpenTokHarness.apiKey]
        let r = InProcess.run(["stream", "list", "--session-id", session], env: env, terminal: Self.terminal, answers: [OpenTokHarness.apiSecret])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.prompts.count == 1 && r.prompts.first?.hasPrefix("OpenTok API secret") == true, "\(r.prompts)")
        #expect(!r.stdout.contains(OpenTokHarness.apiSecret) && !r.stderr.contains(OpenTokHarness.apiSecret))
        #expect(h.emulator.calls.count == 1 && h.emulator.calls.last?.claims != nil, "the call is signed with the answered secret")

        // A bad flag is refused before anything is asked.
        let bad = InProcess.run(["archive", "start", "--session-id", session, "--no-audio", "--no-video"], env: env, terminal: Self.terminal,
                                answers: [OpenTokHarness.apiSecret])
        #expect(bad.status == 64 && bad.prompts.isEmpty)
        #expect(bad.stderr == "error: --no-audio and --no-video together leave nothing to record\n")
        #expect(h.emulator.calls.count == 1)
    }

    @Test func mediaKitsMessagesAreWordedForTheFlagsAndTheRestPassesThrough() {
        let wording = ArchiveStart.wording
        #expect(wording.worded(.usage("a stylesheet needs the custom layout type (got pip)")) == .usage("--stylesheet needs --layout custom (got pip)"))
        #expect(wording.worded(.usage("transcription settings need transcription turned on"))
            == .usage("--transcription-language and --transcription-summary need --transcription"))
        #expect(wording.worded(.usage("the session ID is empty")) == .usage("the session ID is empty"))
        #expect(wording.worded(.config("a stylesheet needs the custom layout type")) == .config("a stylesheet needs the custom layout type"))
    }
}
