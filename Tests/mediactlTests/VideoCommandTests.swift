// Every OpenTok command, run through the built binary against the OpenTok emulator on loopback:
// real HTTP, a verified X-OPENTOK-AUTH JWT on every call, and the exact method, path and body checked.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport

extension OpenTokHarness {
    /// Runs the binary and checks what holds for every run: no secret on either stream, no crash.
    func video(_ args: [String], env: [String: String] = [:], stdin: String? = nil) throws -> CLIResult {
        let r = try run(args, env: env, stdin: stdin)
        #expect(!r.stdout.contains(Self.apiSecret) && !r.stderr.contains(Self.apiSecret), "the API secret leaked")
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"))
        return r
    }

    var lastCall: OpenTokCall? { emulator.calls.last }
}

extension CLIResult {
    var out: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
    var json: JSONValue? { try? JSONParser.parse(stdout) }
}

@Suite struct VideoSessionAndTokenTests {
    @Test func sessionCreateSendsTheSDKsFormAndPrintsTheID() throws {
        let h = try OpenTokHarness()
        let r = try h.video(["session", "create", "--media-mode", "routed", "--archive-mode", "always", "--archive-name", "Daily standup",
                             "--archive-resolution", "1280x720", "--location", "12.34.56.78", "--e2ee"])
        #expect(r.status == 0, "\(r.stderr)")
        let id = r.out
        #expect(OpenTokSessionID.parts(id)?.contains(OpenTokHarness.apiKey) == true)
        let call = try #require(h.lastCall)
        #expect(call.method == "POST" && call.path == "/session/create" && call.status == 200)
        #expect(call.header("content-type") == "application/x-www-form-urlencoded")
        #expect(call.bodyText == "p2p.preference=disabled&archiveMode=always&archiveName=Daily+standup&archiveResolution=1280x720&location=12.34.56.78&e2ee=true")
        let session = try #require(h.emulator.session(id))
        #expect(session.routed && session.archiveAlways && session.e2ee && session.location == "12.34.56.78")
        #expect(r.stderr.contains("Created routed session (archive mode always)"))
    }

    @Test func sessionCreateDefaultsAndJSON() throws {
        let h = try OpenTokHarness()
        let r = try h.video(["session", "create", "-o", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(h.lastCall?.bodyText == "p2p.preference=enabled&archiveMode=manual&e2ee=false")
        let json = try #require(r.json)
        #expect(json.objectValue?.map(\.0) == ["session_id", "project_id", "partner_id", "create_dt", "media_server_url"])
        #expect(h.emulator.session(json["session_id"]?.stringValue ?? "")?.routed == false)
        let id = try h.video(["session", "create", "--output", "id"])
        #expect(id.stdoutLines.count == 1 && id.out.hasPrefix("1_"))
    }

    /// Decodes the printed JWT: every claim in the SDK's order and value, and the HMAC with the secret.
    @Test func tokenIsAJWTWithEveryFieldAndAValidHMAC() throws {
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(0)
        let before = Int(Date().timeIntervalSince1970)
        let r = try h.run(["token", "--session-id", session, "--role", "moderator", "--expires-in", "3600", "--data", "name=Johnny",
                           "--layout-class", "focus", "--layout-class", "inactive"])
        let after = Int(Date().timeIntervalSince1970)
        #expect(r.status == 0, "\(r.stderr)")
        let token = r.out
        #expect(r.stdoutLines.count == 1 && r.stderr.isEmpty)
        let decoded = try #require(HS256JWT.decode(token))
        #expect(decoded.header.compactText == #"{"alg":"HS256","typ":"JWT"}"#)
        #expect(decoded.signature == Digest.hmacSHA256(key: Data(OpenTokHarness.apiSecret.utf8), message: Data(decoded.signingInput.utf8)))
        let c = decoded.claims
        #expect(c.objectValue?.map(\.0) == ["session_id", "role", "iat", "exp", "scope", "initial_layout_class_list", "connection_data", "iss", "ist", "nonce"])
        #expect(c["session_id"]?.stringValue == session)
        #expect(c["role"] == "moderator")
        let iat = try #require(c["iat"]?.intValue)
        #expect((before...after).contains(iat))
        #expect(c["exp"]?.intValue == iat + 3600)
        #expect(c["scope"] == "session.connect")
        #expect(c["initial_layout_class_list"] == "focus inactive")
        #expect(c["connection_data"] == "name=Johnny")
        #expect(c["iss"] == "123456")
        #expect(c["ist"] == "project")
        #expect((0...999_999).contains(c["nonce"]?.intValue ?? -1))
        #expect(h.requestCount == 0, "tokens are made locally")
    }

    @Test func legacyTokenHasEveryFieldAndAValidHMAC() throws {
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(0)
        let r = try h.run(["token", "--session-id", session, "--format", "legacy", "--expire-time", "2099-01-01T00:00:00Z", "--role", "subscriber",
                           "--data", "a b&c=d"], env: ["OPENTOK_API_URL": "http://127.0.0.1:1"])
        // 2099 is more than 30 days ahead: refused, nothing printed.
        #expect(r.status == 64 && r.stdout.isEmpty)
        let expire = Int(Date().timeIntervalSince1970) + 7 * 86_400
        let ok = try h.run(["token", "--session-id", session, "--format", "legacy", "--expire-time", String(expire), "--role", "subscriber",
                            "--data", "a b&c=d", "--layout-class", "full"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let token = ok.out
        #expect(token.hasPrefix("T1=="))
        let fields = try #require(OpenTokClientToken.decodeLegacy(token))
        #expect(fields.partnerID == "123456")
        #expect(fields.sig == Digest.hmacSHA1(key: Data(OpenTokHarness.apiSecret.utf8), message: Data(fields.dataString.utf8)).hexLowercase)
        let pairs = try #require(FormEncoding.decode(fields.dataString))
        #expect(pairs.map(\.0) == ["session_id", "create_time", "expire_time", "role", "nonce", "initial_layout_class_list", "connection_data"])
        let values = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
        #expect(values["session_id"] == session)
        #expect(values["expire_time"] == String(expire))
        #expect(values["role"] == "subscriber")
        #expect(values["initial_layout_class_list"] == "full")
        #expect(values["connection_data"] == "a b&c=d")
        #expect(fields.dataString.contains("connection_data=a+b%26c%3Dd"))
        #expect(abs((Int(values["create_time"] ?? "") ?? 0) - Int(Date().timeIntervalSince1970)) < 60)
        #expect(h.requestCount == 0)
    }

    @Test func tokenJSONDescribesTheGrant() throws {
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(0)
        let r = try h.run(["token", "--session-id", session, "-o", "json"])
        let json = try #require(r.json)
        #expect(json.objectValue?.map(\.0) == ["token", "sessionId", "role", "expireTime", "format"])
        #expect(json["role"] == "publisher" && json["format"] == "jwt")
        let claims = try #require(HS256JWT.verify(json["token"]?.stringValue ?? "", key: Data(OpenTokHarness.apiSecret.utf8)))
        #expect(claims["exp"] == json["expireTime"])
        #expect((claims["exp"]?.intValue ?? 0) - (claims["iat"]?.intValue ?? 0) == 86_400)
    }
}

@Suite struct VideoArchiveTests {
    @Test func archiveStartStopGetListDelete() throws {
        let h = try OpenTokHarness()
        let (session, _, streams) = h.sessionWithClients(2)

        let start = try h.video(["archive", "start", "--session-id", session, "--name", "Important Presentation", "--resolution", "1280x720",
                                 "--layout", "bestFit", "--screenshare-type", "horizontalPresentation", "--quantization-parameter", "25", "-o", "json"])
        #expect(start.status == 0, "\(start.stderr)")
        let call = try #require(h.lastCall)
        #expect(call.method == "POST" && call.path == "/v2/project/123456/archive" && call.status == 200)
        #expect(call.bodyText == #"{"name":"Important Presentation","sessionId":"\#(session)","hasAudio":true,"hasVideo":true,"outputMode":"composed","resolution":"1280x720","streamMode":"auto","multiArchiveTag":null,"maxBitrate":null,"quantizationParameter":25,"layout":{"type":"bestFit","screenshareType":"horizontalPresentation"}}"#)
        let archive = try #require(start.json)
        let id = try #require(archive["id"]?.stringValue)
        #expect(archive["status"] == "started")
        #expect(archive["streams"]?.arrayValue?.compactMap { $0["streamId"]?.stringValue } == streams)
        #expect(archive.objectValue?.first?.0 == "id", "json is the object as the service sent it")
        #expect(start.stderr.contains("Started archive \(id) of session \(session)"))

        // A second archive of the same session without a tag: the service says 409.
        let again = try h.video(["archive", "start", "--session-id", session])
        #expect(again.status == 6)
        #expect(again.stderr.contains("error: 409 Conflict: Archive already started for session \(session) (POST \(h.server.baseURL)/v2/project/123456/archive)"))

        let stop = try h.video(["archive", "stop", id])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(h.lastCall?.method == "POST" && h.lastCall?.path == "/v2/project/123456/archive/\(id)/stop" && h.lastCall?.body.isEmpty == true)
        #expect(stop.stdout.hasPrefix("archive: \(id)\n  status:   stopped\n"))

        let stopAgain = try h.video(["archive", "stop", id])
        #expect(stopAgain.status == 6)
        #expect(stopAgain.stderr.contains("409 Conflict: Archive \(id) is not started (status stopped)"))

        let get = try h.video(["archive", "get", id, "--output", "json"])
        #expect(get.status == 0)
        #expect(get.json?["status"] == "available")
        #expect(get.json?["url"]?.stringValue?.hasPrefix("https://") == true)
        #expect(h.lastCall?.method == "GET" && h.lastCall?.path == "/v2/project/123456/archive/\(id)")

        let list = try h.video(["archive", "list", "--output", "id"])
        #expect(list.stdoutLines == [id])

        let delete = try h.video(["archive", "delete", id, "--yes"])
        #expect(delete.status == 0, "\(delete.stderr)")
        #expect(h.lastCall?.method == "DELETE" && h.lastCall?.status == 204)
        #expect(delete.stderr.contains("Deleted archive \(id)") && delete.stdout.isEmpty)

        let gone = try h.video(["archive", "get", id])
        #expect(gone.status == 5)
        #expect(gone.stderr.contains("error: 404 NotFound: Archive \(id) not found"))
    }

    @Test func multiArchiveTagsAllowConcurrentArchives() throws {
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(1)
        let a = try h.video(["archive", "start", "--session-id", session, "--multi-archive-tag", "a", "-o", "id"])
        let b = try h.video(["archive", "start", "--session-id", session, "--multi-archive-tag", "b", "--max-bitrate", "2000000", "-o", "id"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(a.out != b.out)
        #expect(h.lastCall?.bodyText.contains(#""multiArchiveTag":"b","maxBitrate":2000000"#) == true)
        let clash = try h.video(["archive", "start", "--session-id", session, "--multi-archive-tag", "a"])
        #expect(clash.status == 6)
    }

    @Test func manualStreamModeAddsAndRemovesStreams() throws {
        let h = try OpenTokHarness()
        let (session, _, streams) = h.sessionWithClients(2)
        let start = try h.video(["archive", "start", "--session-id", session, "--output-mode", "individual", "--stream-mode", "manual", "-o", "id"])
        #expect(start.status == 0, "\(start.stderr)")
        #expect(h.lastCall?.bodyText == #"{"name":null,"sessionId":"\#(session)","hasAudio":true,"hasVideo":true,"outputMode":"individual","resolution":null,"streamMode":"manual","multiArchiveTag":null,"maxBitrate":null}"#)
        let id = start.out

        let add = try h.video(["archive", "add-stream", id, "--stream-id", streams[0], "--no-video"])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(h.lastCall?.method == "PATCH" && h.lastCall?.path == "/v2/project/123456/archive/\(id)/streams" && h.lastCall?.status == 204)
        #expect(h.lastCall?.bodyText == #"{"hasAudio":true,"hasVideo":false,"addStream":"\#(streams[0])"}"#)
        #expect(add.stderr.contains("Added stream \(streams[0]) to archive \(id)"))

        let added = try h.video(["archive", "get", id, "-o", "json"])
        #expect(added.json?["streams"] == [["streamId": .string(streams[0]), "hasAudio": true, "hasVideo": false]])

        let remove = try h.video(["archive", "remove-stream", id, "--stream-id", streams[0], "-o", "json"])
        #expect(remove.status == 0, "\(remove.stderr)")
        #expect(h.lastCall?.bodyText == #"{"removeStream":"\#(streams[0])"}"#)
        #expect(remove.json == ["id": .string(id), "removedStream": .string(streams[0])])

        // An auto-mode archive refuses stream changes with 405: a conflict with its mode, exit 6.
        let (other, _, otherStreams) = h.sessionWithClients(1)
        let auto = try h.video(["archive", "start", "--session-id", other, "-o", "id"]).out
        let refused = try h.video(["archive", "add-stream", auto, "--stream-id", otherStreams[0]])
        #expect(refused.status == 6)
        #expect(refused.stderr.contains("405 MethodNotAllowed: Streams can only be added or removed when streamMode is manual"))
    }

    @Test func layoutChangesSendTheLayoutBody() throws {
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(1)
        let id = try h.video(["archive", "start", "--session-id", session, "-o", "id"]).out
        let css = h.dir.write("layout.css", "stream.focus { width: 100%; }")
        let custom = try h.video(["archive", "layout", id, "--layout", "custom", "--stylesheet-file", css])
        #expect(custom.status == 0, "\(custom.stderr)")
        #expect(h.lastCall?.method == "PUT" && h.lastCall?.path == "/v2/project/123456/archive/\(id)/layout" && h.lastCall?.status == 200)
        #expect(h.lastCall?.bodyText == #"{"type":"custom","stylesheet":"stream.focus { width: 100%; }"}"#)
        #expect(custom.stderr.contains("Set the layout of archive \(id) to custom"))
        let best = try h.video(["archive", "layout", id, "--layout", "bestFit", "--screenshare-type", "pip", "-o", "json"])
        #expect(best.status == 0)
        #expect(h.lastCall?.bodyText == #"{"type":"bestFit","screenshareType":"pip"}"#)
        #expect(best.json == ["id": .string(id), "layout": ["type": "bestFit", "screenshareType": "pip"]])
    }

    @Test func listPagesAndFilters() throws {
        let h = try OpenTokHarness()
        let (s1, _, _) = h.sessionWithClients(1)
        let (s2, _, _) = h.sessionWithClients(1)
        var ids: [String] = []
        for (session, tag) in [(s1, "x"), (s1, "y"), (s2, "x")] {
            let r = try h.video(["archive", "start", "--session-id", session, "--multi-archive-tag", tag, "-o", "id"])
            #expect(r.status == 0, "\(r.stderr)")
            ids.append(r.out)
            usleep(2000)   // distinct createdAt milliseconds, so "newest first" is well defined
        }
        let page = try h.video(["archive", "list", "--offset", "1", "--count", "1", "-o", "json"])
        #expect(h.lastCall?.query == "offset=1&count=1")
        #expect(page.json?["count"]?.intValue == 3)
        #expect(page.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [ids[1]])

        let text = try h.video(["archive", "list", "--count", "2"])
        #expect(text.stdoutLines.count == 2 && text.stdoutLines[0].hasPrefix("\(ids[2])  started  "))
        #expect(text.stderr.contains("showing 1–2 of 3: --offset 2 for more, or --all"))

        let filtered = try h.video(["archive", "list", "--session-id", s1, "-o", "id"])
        #expect(h.lastCall?.query == "sessionId=\(s1)")
        #expect(filtered.stdoutLines == [ids[1], ids[0]])

        let all = try h.video(["archive", "list", "--all", "-o", "id"])
        #expect(h.lastCall?.query == "offset=0&count=1000")
        #expect(all.stdoutLines == ids.reversed())
    }
}

@Suite struct VideoBroadcastTests {
    @Test func broadcastStartStopGetListLayoutStreams() throws {
        let h = try OpenTokHarness()
        let (session, _, streams) = h.sessionWithClients(2)
        let start = try h.video(["broadcast", "start", "--session-id", session, "--hls-dvr", "--rtmp", "yt=rtmp://a.rtmp.youtube.com/live2/KEY1",
                                 "--rtmp", "rtmps://live.example.com/app/KEY2", "--layout", "pip", "--max-duration", "3600", "--resolution", "1280x720",
                                 "--max-bitrate", "2000000", "--stream-mode", "manual", "--multi-broadcast-tag", "main", "-o", "json"])
        #expect(start.status == 0, "\(start.stderr)")
        #expect(h.lastCall?.method == "POST" && h.lastCall?.path == "/v2/project/123456/broadcast" && h.lastCall?.status == 200)
        #expect(h.lastCall?.bodyText == #"{"sessionId":"\#(session)","streamMode":"manual","layout":{"type":"pip"},"maxDuration":3600,"outputs":{"hls":{"dvr":true},"rtmp":[{"id":"yt","serverUrl":"rtmp://a.rtmp.youtube.com/live2","streamName":"KEY1"},{"serverUrl":"rtmps://live.example.com/app","streamName":"KEY2"}]},"resolution":"1280x720","maxBitrate":2000000,"multiBroadcastTag":"main"}"#)
        let broadcast = try #require(start.json)
        let id = try #require(broadcast["id"]?.stringValue)
        #expect(broadcast["status"] == "started")
        #expect(broadcast["broadcastUrls"]?["rtmp"]?.arrayValue?.count == 2)

        let clash = try h.video(["broadcast", "start", "--session-id", session, "--hls"])
        #expect(clash.status == 6 && clash.stderr.contains("409 Conflict: Broadcast already started"))

        let layout = try h.video(["broadcast", "layout", id, "--layout", "verticalPresentation"])
        #expect(layout.status == 0, "\(layout.stderr)")
        #expect(h.lastCall?.method == "PUT" && h.lastCall?.path == "/v2/project/123456/broadcast/\(id)/layout")
        #expect(h.lastCall?.bodyText == #"{"type":"verticalPresentation"}"#)

        let add = try h.video(["broadcast", "add-stream", id, "--stream-id", streams[1]])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(h.lastCall?.path == "/v2/project/123456/broadcast/\(id)/streams")
        #expect(h.lastCall?.bodyText == #"{"hasAudio":true,"hasVideo":true,"addStream":"\#(streams[1])"}"#)
        let remove = try h.video(["broadcast", "remove-stream", id, "--stream-id", streams[1], "-o", "id"])
        #expect(remove.status == 0 && remove.out == streams[1])
        #expect(h.lastCall?.bodyText == #"{"removeStream":"\#(streams[1])"}"#)

        let get = try h.video(["broadcast", "get", id])
        #expect(get.status == 0)
        #expect(get.stdout.contains("  hls:      https://broadcast.opentok.invalid/\(id)/playlist.m3u8 (connecting)"))
        #expect(h.lastCall?.method == "GET" && h.lastCall?.path == "/v2/project/123456/broadcast/\(id)")

        let list = try h.video(["broadcast", "list", "--session-id", session, "-o", "json"])
        #expect(h.lastCall?.path == "/v2/project/123456/broadcast" && h.lastCall?.query == "sessionId=\(session)")
        #expect(list.json?["count"]?.intValue == 1 && list.json?["items"]?[0]?["id"]?.stringValue == id)

        let stop = try h.video(["broadcast", "stop", id, "-o", "json"])
        #expect(stop.status == 0)
        #expect(h.lastCall?.path == "/v2/project/123456/broadcast/\(id)/stop" && h.lastCall?.body.isEmpty == true)
        #expect(stop.json?["status"] == "stopped")
        let stopAgain = try h.video(["broadcast", "stop", id])
        #expect(stopAgain.status == 6)
    }

    @Test func hlsOnlyWithLowLatency() throws {
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(1)
        let r = try h.video(["broadcast", "start", "--session-id", session, "--hls-low-latency", "--no-audio", "-o", "id"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(h.lastCall?.bodyText == #"{"sessionId":"\#(session)","streamMode":"auto","outputs":{"hls":{"lowLatency":true}},"hasAudio":false}"#)
    }
}

@Suite struct VideoModerationTests {
    @Test func signalTheSessionAndOneConnection() throws {
        let h = try OpenTokHarness()
        let (session, connections, _) = h.sessionWithClients(2)
        let all = try h.video(["signal", "--session-id", session, "--type", "chat", "--data", "hello"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(h.lastCall?.method == "POST" && h.lastCall?.path == "/v2/project/123456/session/\(session)/signal" && h.lastCall?.status == 204)
        #expect(h.lastCall?.bodyText == #"{"type":"chat","data":"hello"}"#)
        #expect(all.stdout.isEmpty && all.stderr.contains("Signalled every connection of session \(session)"))

        let one = try h.video(["signal", "--session-id", session, "--connection-id", connections[1], "--data", "just you", "-o", "json"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(h.lastCall?.path == "/v2/project/123456/session/\(session)/connection/\(connections[1])/signal")
        #expect(h.lastCall?.bodyText == #"{"data":"just you"}"#)
        #expect(one.json?["connectionId"]?.stringValue == connections[1])
        #expect(h.emulator.session(session)?.signals == [OpenTokSignalView(connectionID: nil, type: "chat", data: "hello"),
                                                          OpenTokSignalView(connectionID: connections[1], type: nil, data: "just you")])

        let stranger = try h.video(["signal", "--session-id", session, "--connection-id", "nobody", "--data", "x"])
        #expect(stranger.status == 5 && stranger.stderr.contains("404 NotFound: Connection nobody is not connected to the session"))
    }

    @Test func streamsGetListLayoutClassesAndMute() throws {
        let h = try OpenTokHarness()
        let session = h.emulator.seedSession()
        let a = try #require(h.emulator.connectClient(sessionID: session, streamName: "Alice", videoType: "camera", layoutClassList: ["focus"]))
        let b = try #require(h.emulator.connectClient(sessionID: session, streamName: "Bob", videoType: "screen"))

        let get = try h.video(["stream", "get", a.streamID, "--session-id", session])
        #expect(get.status == 0, "\(get.stderr)")
        #expect(get.stdout == "stream: \(a.streamID)\n  name:     Alice\n  video:    camera\n  classes:  focus\n")
        #expect(h.lastCall?.method == "GET" && h.lastCall?.path == "/v2/project/123456/session/\(session)/stream/\(a.streamID)")
        let getJSON = try h.video(["stream", "get", b.streamID, "--session-id", session, "-o", "json"])
        #expect(getJSON.json == ["id": .string(b.streamID), "videoType": "screen", "name": "Bob", "layoutClassList": []])

        let list = try h.video(["stream", "list", "--session-id", session])
        #expect(list.stdoutLines == ["\(a.streamID)  camera  Alice  focus", "\(b.streamID)  screen  Bob  -"])
        #expect(h.lastCall?.path == "/v2/project/123456/session/\(session)/stream")

        let classes = try h.video(["stream", "layout-classes", "--session-id", session, "--set", "\(a.streamID)=", "--set", "\(b.streamID)=full,focus"])
        #expect(classes.status == 0, "\(classes.stderr)")
        #expect(h.lastCall?.method == "PUT" && h.lastCall?.path == "/v2/project/123456/session/\(session)/stream")
        #expect(h.lastCall?.bodyText == #"{"items":[{"id":"\#(a.streamID)","layoutClassList":[]},{"id":"\#(b.streamID)","layoutClassList":["full","focus"]}]}"#)
        #expect(h.emulator.session(session)?.streams.map(\.layoutClassList) == [[], ["full", "focus"]])

        let mute = try h.video(["stream", "mute", b.streamID, "--session-id", session])
        #expect(mute.status == 0, "\(mute.stderr)")
        #expect(h.lastCall?.method == "POST" && h.lastCall?.path == "/v2/project/123456/session/\(session)/stream/\(b.streamID)/mute")
        #expect(h.lastCall?.body.isEmpty == true)
        #expect(h.emulator.session(session)?.streams.map(\.audioMuted) == [false, true])

        let muteAll = try h.video(["stream", "mute-all", "--session-id", session, "--exclude", b.streamID])
        #expect(muteAll.status == 0, "\(muteAll.stderr)")
        #expect(h.lastCall?.path == "/v2/project/123456/session/\(session)/mute")
        #expect(h.lastCall?.bodyText == #"{"active":true,"excludedStreams":["\#(b.streamID)"]}"#)
        #expect(h.emulator.session(session)?.forceMuteActive == true)

        let unmute = try h.video(["stream", "unmute-all", "--session-id", session])
        #expect(unmute.status == 0)
        #expect(h.lastCall?.bodyText == #"{"active":false}"#)
        #expect(h.emulator.session(session)?.forceMuteActive == false)

        let missing = try h.video(["stream", "get", "nope", "--session-id", session])
        #expect(missing.status == 5)
    }

    @Test func connectionDisconnect() throws {
        let h = try OpenTokHarness()
        let (session, connections, _) = h.sessionWithClients(2)
        let r = try h.video(["connection", "disconnect", connections[0], "--session-id", session, "-o", "id"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.out == connections[0])
        #expect(h.lastCall?.method == "DELETE" && h.lastCall?.path == "/v2/project/123456/session/\(session)/connection/\(connections[0])")
        #expect(h.lastCall?.status == 204 && h.lastCall?.body.isEmpty == true)
        #expect(h.emulator.session(session)?.connections == [connections[1]])
        let again = try h.video(["connection", "disconnect", connections[0], "--session-id", session])
        #expect(again.status == 5)
    }

    @Test func sipDialSendsEveryOptionAndAValidToken() throws {
        let h = try OpenTokHarness()
        let (session, _, streams) = h.sessionWithClients(1)
        let r = try h.video(["sip", "dial", "--session-id", session, "--uri", "sip:alice@sip.example.com;transport=tls", "--from", "from@example.com",
                             "--header", "X-Foo: bar", "--header", "X-Room=42", "--auth-user", "bob", "--secure", "--video", "--observe-force-mute",
                             "--stream", streams[0], "--connection-data", "role=sip", "-o", "json"],
                            env: ["OPENTOK_SIP_PASSWORD": "sip-pass"])
        #expect(r.status == 0, "\(r.stderr)")
        let call = try #require(h.lastCall)
        #expect(call.method == "POST" && call.path == "/v2/project/123456/dial" && call.status == 200)
        let body = try JSONParser.parse(call.body)
        let token = try #require(body["token"]?.stringValue)
        var rest = body
        rest.set("token", "T")
        #expect(rest.compactText == #"{"sessionId":"\#(session)","token":"T","sip":{"uri":"sip:alice@sip.example.com;transport=tls","from":"from@example.com","headers":{"X-Foo":"bar","X-Room":"42"},"auth":{"username":"bob","password":"sip-pass"},"secure":true,"video":true,"observeForceMute":true,"streams":["\#(streams[0])"]}}"#)
        let claims = try #require(HS256JWT.verify(token, key: Data(OpenTokHarness.apiSecret.utf8)))
        #expect(claims["session_id"]?.stringValue == session && claims["role"] == "publisher" && claims["connection_data"] == "role=sip")
        let answer = try #require(r.json)
        #expect(answer.objectValue?.map(\.0) == ["id", "connectionId", "streamId"])
        #expect(h.emulator.session(session)?.connections.contains(answer["connectionId"]?.stringValue ?? "") == true)
        #expect(!r.stderr.contains("sip-pass"))
    }

    @Test func sipPasswordFromAFileAndARelayedSessionConflict() throws {
        let h = try OpenTokHarness()
        let (relayed, _, _) = h.sessionWithClients(0, routed: false)
        let file = h.dir.write("sip-password", "from-file\n")
        let r = try h.video(["sip", "dial", "--session-id", relayed, "--uri", "sip:a@b", "--auth-user", "u", "--sip-password-file", file])
        #expect(r.status == 6 && r.stderr.contains("409 Conflict: SIP dial needs a routed session"))
        #expect(h.lastCall?.bodyText.contains(#""auth":{"username":"u","password":"from-file"}"#) == true)
    }

    @Test func dtmfToTheSessionAndToOneConnection() throws {
        let h = try OpenTokHarness()
        let (session, connections, _) = h.sessionWithClients(1)
        let all = try h.video(["dtmf", "--session-id", session, "--digits", "1713p#*"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(h.lastCall?.method == "POST" && h.lastCall?.path == "/v2/project/123456/session/\(session)/play-dtmf" && h.lastCall?.status == 200)
        #expect(h.lastCall?.bodyText == #"{"digits":"1713p#*"}"#)
        let one = try h.video(["dtmf", "--session-id", session, "--connection-id", connections[0], "--digits", "9"])
        #expect(one.status == 0)
        #expect(h.lastCall?.path == "/v2/project/123456/session/\(session)/connection/\(connections[0])/play-dtmf")
        #expect(h.emulator.session(session)?.dtmf == [OpenTokDTMFView(connectionID: nil, digits: "1713p#*"),
                                                       OpenTokDTMFView(connectionID: connections[0], digits: "9")])
    }
}
