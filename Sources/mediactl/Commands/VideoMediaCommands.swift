// `mediactl captions …`, `render …` and `audio-connector …`: services that join a session with a client token
// mediactl makes itself, or the user's own (--token-file, MEDIACTL_CLIENT_TOKEN) (live captions, the Experience
// Composer, the Audio Connector). Either platform.
import FoundationEssentials
import Glibc
import MediaKit

enum VideoMediaCommands {
    // MARK: captions

    static let captionsGroup = CommandSpec(
        name: "captions", summary: "Live captions of a routed session's audio: start, stop", subcommands: [captionsStart, captionsStop])

    static let captionsStart = CommandSpec(
        name: "start", summary: "Start live captions in a session and print the captions ID",
        description: "mediactl makes the moderator token the captions service joins with, unless you give your own\n(--token-file, or MEDIACTL_CLIENT_TOKEN). One captioning per session (409 otherwise).",
        examples: ["CAPTIONS=$(mediactl captions start --session-id $SESSION --language-code en-GB --output id)"],
        flags: [VideoFlags.sessionID,
                FlagSpec(name: "language-code", kind: .choice(OpenTokMediaLimits.captionLanguages), meta: "CODE",
                         help: "language spoken (service default en-US)", fromDefaultsFile: false),
                FlagSpec(name: "max-duration", kind: .integer(OpenTokMediaLimits.captionsMaxDuration), meta: "SECONDS",
                         help: "stop after this long (service default 14400)", fromDefaultsFile: false),
                FlagSpec(name: "partial-captions", kind: .choice(["true", "false"]), meta: "BOOL",
                         help: "send captions while a phrase is still being spoken (service default true)", fromDefaultsFile: false),
                FlagSpec(name: "status-callback-url", meta: "URL", help: "where the service posts status changes", fromDefaultsFile: false),
                VideoFlags.clientTokenFile]
            + VideoFlags.connection,
        action: { inv throws(MediaError) in
            var options = CaptionsOptions(sessionID: "", token: "")
            options.languageCode = try inv.string("language-code")
            options.maxDuration = try inv.int("max-duration")
            options.partialCaptions = try inv.string("partial-captions").map { $0 == "true" }
            options.statusCallbackURL = try inv.string("status-callback-url")
            do throws(MediaError) { try options.validate() } catch { throw .usage("--status-callback-url: \(error.message)") }
            options.sessionID = try inv.required("session-id")
            let (client, token) = try serviceToken(inv, sessionID: options.sessionID, role: .moderator)
            options.token = token
            let captions = try inv.call { () throws(MediaError) in try client.startCaptions(options) }
            let id = captions.json["captionsId"]?.stringValue ?? captions.id
            inv.io.progress("Started captions \(id) in session \(options.sessionID)")
            switch inv.outputFormat {
            case "json": inv.io.out(captions.json.prettyText)
            default: inv.io.out(id)
            }
        })

    static let captionsStop = CommandSpec(
        name: "stop", summary: "Stop live captions",
        flags: VideoFlags.connection, positionals: [VideoFlags.idArgument("captions")],
        action: { inv throws(MediaError) in
            let id = try inv.positional(0)
            let client = try inv.openTokClient()
            try inv.call { () throws(MediaError) in try client.stopCaptions(id) }
            inv.renderDone("Stopped captions \(id)", id: id, record: [("captionsId", .string(id)), ("stopped", true)])
        })

    // MARK: render (Experience Composer)

    static let renderGroup = CommandSpec(
        name: "render", summary: "Experience Composer: publish a web page into a session; start, get, list, stop",
        subcommands: [renderStart, renderGet, renderList, renderStop])

    static let renderStart = CommandSpec(
        name: "start", summary: "Load a web page and publish it into a routed session as a stream",
        description: "mediactl makes the publisher token the composer joins with, unless you give your own\n(--token-file, or MEDIACTL_CLIENT_TOKEN).",
        examples: ["mediactl render start --session-id $SESSION --url https://example.com/scoreboard --resolution 1280x720 --name Scoreboard"],
        flags: [VideoFlags.sessionID,
                FlagSpec(name: "url", meta: "URL", help: "the page to render (publicly reachable, 15 to 2048 characters)", fromDefaultsFile: false, prompt: "Page URL"),
                FlagSpec(name: "max-duration", kind: .integer(OpenTokMediaLimits.renderMaxDuration), meta: "SECONDS",
                         help: "stop after this long (service default 7200)", fromDefaultsFile: false),
                VideoFlags.resolution,
                FlagSpec(name: "name", meta: "NAME", help: "name of the published stream (1 to 200 characters)", fromDefaultsFile: false),
                VideoFlags.clientTokenFile]
            + VideoFlags.connection,
        action: { inv throws(MediaError) in
            var options = RenderOptions(sessionID: "", token: "", url: try inv.required("url"))
            options.maxDuration = try inv.int("max-duration")
            options.resolution = try inv.string("resolution").flatMap(OpenTokResolution.init(rawValue:))
            options.name = try inv.string("name")
            do throws(MediaError) { try options.validate() } catch {
                throw .usage((error.message.contains("stream name") ? "--name: " : "--url: ") + error.message)
            }
            options.sessionID = try inv.required("session-id")
            let (client, token) = try serviceToken(inv, sessionID: options.sessionID, role: .publisher)
            options.token = token
            let render = try inv.call { () throws(MediaError) in try client.startRender(options) }
            inv.io.progress("Started render \(render.id) of \(options.url) in session \(options.sessionID)")
            inv.renderVideo(render, noun: "render")
        })

    static let renderGet = CommandSpec(
        name: "get", summary: "Show one Experience Composer", flags: VideoFlags.connection, positionals: [VideoFlags.idArgument("render")],
        action: { inv throws(MediaError) in
            let id = try inv.positional(0)
            let client = try inv.openTokClient()
            inv.renderVideo(try inv.call { () throws(MediaError) in try client.getRender(id) }, noun: "render")
        })

    static let renderList = CommandSpec(
        name: "list", summary: "List Experience Composers, newest first",
        flags: [FlagSpec(name: "offset", kind: .integer(0...1_000_000_000), meta: "N", help: "skip the N newest", fromDefaultsFile: false),
                FlagSpec(name: "count", kind: .integer(1...OpenTokClient.maxPageSize), meta: "N", help: "at most N (service default 50)")]
            + VideoFlags.connection,
        action: { inv throws(MediaError) in
            let offset = try inv.int("offset"), count = try inv.int("count")
            let client = try inv.openTokClient()
            let page = try inv.call { () throws(MediaError) in try client.listRenders(offset: offset, count: count) }
            inv.renderVideo(page: page.items, count: page.count, offset: offset ?? 0, noun: "render", columns: { o in
                [o.id, o.status ?? "-", VideoText.millis(o.json["createdAt"]) ?? "-", o.json["url"]?.stringValue ?? "-"]
            })
        })

    static let renderStop = CommandSpec(
        name: "stop", summary: "Stop an Experience Composer", flags: VideoFlags.connection, positionals: [VideoFlags.idArgument("render")],
        action: { inv throws(MediaError) in
            let id = try inv.positional(0)
            let client = try inv.openTokClient()
            try inv.call { () throws(MediaError) in try client.stopRender(id) }
            inv.renderDone("Stopped render \(id)", id: id, record: [("id", .string(id)), ("stopped", true)])
        })

    // MARK: audio connector

    static let audioConnectorGroup = CommandSpec(
        name: "audio-connector", summary: "Audio Connector: send a routed session's audio to a WebSocket server",
        subcommands: [audioConnectorStart])

    static let audioConnectorStart = CommandSpec(
        name: "start", summary: "Connect a session's audio streams to a WebSocket URI",
        description: "mediactl makes the publisher token the connector joins with, unless you give your own\n(--token-file, or MEDIACTL_CLIENT_TOKEN). The session must be routed (409 otherwise).\n--audio-transport json sends audio as JSON messages (base64), shaped by --audio-field, --receive-audio-field\nand --static-field.",
        examples: ["mediactl audio-connector start --session-id $SESSION --uri wss://example.com/audio --audio-rate 16000 --header 'X-Room: 42'",
                   "mediactl audio-connector start --session-id $SESSION --uri wss://example.com/audio --audio-transport json --static-field room=42"],
        flags: [VideoFlags.sessionID,
                FlagSpec(name: "uri", meta: "WSS_URI", help: "the WebSocket server (wss:// or ws://)", fromDefaultsFile: false, prompt: "WebSocket URI"),
                FlagSpec(name: "stream", meta: "STREAM_ID", help: "send only these streams (default: all)", repeatable: true, fromDefaultsFile: false),
                FlagSpec(name: "header", meta: "NAME: VALUE", help: "a header sent to the WebSocket server", repeatable: true, fromDefaultsFile: false),
                FlagSpec(name: "audio-rate", kind: .choice(OpenTokMediaLimits.audioRates.map(String.init)), meta: "HZ",
                         help: "audio sample rate (service default 16000)", fromDefaultsFile: false),
                FlagSpec(name: "bidirectional", kind: .bool, help: "also play audio the server sends back into the session", fromDefaultsFile: false),
                FlagSpec(name: "audio-transport", kind: .choice(AudioTransport.Transport.allCases.map(\.rawValue)), meta: "FORMAT",
                         help: "how audio is framed on the WebSocket: binary PCM16 frames (service default) or json messages", fromDefaultsFile: false),
                FlagSpec(name: "audio-encoding", kind: .choice(AudioTransport.encodings), meta: "ENCODING",
                         help: "encoding of the audio in json messages (default base64, the only one)", fromDefaultsFile: false),
                FlagSpec(name: "audio-field", meta: "NAME", help: "json key of the audio the connector sends (service default audio)", fromDefaultsFile: false),
                FlagSpec(name: "receive-audio-field", meta: "NAME",
                         help: "json key of the audio the server sends back with --bidirectional (service default: --audio-field)", fromDefaultsFile: false),
                FlagSpec(name: "static-field", meta: "NAME=VALUE", help: "a fixed string field in every json message the connector sends",
                         repeatable: true, fromDefaultsFile: false),
                VideoFlags.clientTokenFile]
            + VideoFlags.connection,
        action: { inv throws(MediaError) in
            var options = AudioConnectorOptions(sessionID: "", token: "", uri: try inv.required("uri"))
            for text in try inv.strings("header") {
                guard let colon = text.firstIndex(where: { $0 == ":" || $0 == "=" }), colon != text.startIndex else {
                    throw .usage("--header \(text): expected 'NAME: VALUE'")
                }
                options.headers.append((text[..<colon].trimming(.whitespaces), text[text.index(after: colon)...].trimming(.whitespaces)))
            }
            options.streams = try inv.strings("stream")
            options.audioRate = try inv.int("audio-rate")
            options.bidirectional = try inv.bool("bidirectional")
            options.audioTransport = try audioTransport(inv)
            do throws(MediaError) { try options.validate() } catch {
                throw .usage((error.message.hasPrefix("header") ? "--header: " : "--uri: ") + error.message)
            }
            options.sessionID = try inv.required("session-id")
            let (client, token) = try serviceToken(inv, sessionID: options.sessionID, role: .publisher)
            options.token = token
            let connection = try inv.call { () throws(MediaError) in try client.connectAudio(options) }
            inv.io.progress("Connected session \(options.sessionID) to \(options.uri): connection \(connection.json["connectionId"]?.stringValue ?? "?")")
            inv.renderVideo(connection, noun: "audio connection")
        })

    /// `--audio-transport` and the flags that shape it; nil when it is not given (the others then refused).
    static func audioTransport(_ inv: Invocation) throws(MediaError) -> AudioTransport? {
        let shaping = ["audio-encoding", "audio-field", "receive-audio-field", "static-field"]
        guard let kind = try inv.string("audio-transport").flatMap(AudioTransport.Transport.init(rawValue:)) else {
            if let given = shaping.first(where: { inv.line.values[$0] != nil }) { throw .usage("--\(given) needs --audio-transport json") }
            return nil
        }
        var transport = AudioTransport(transport: kind)
        // Both SDKs demand an encoding for JSON transport and know only base64, so it is the default here.
        transport.encoding = try inv.string("audio-encoding") ?? (kind == .json ? AudioTransport.encodings[0] : nil)
        transport.audioField = try inv.string("audio-field")
        transport.receiveAudioField = try inv.string("receive-audio-field")
        for text in try inv.strings("static-field") {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw .usage("--static-field \(text.prefix(80)): expected NAME=VALUE")
            }
            transport.staticFields.append((String(text[..<equals]), String(text[text.index(after: equals)...])))
        }
        do throws(MediaError) { try transport.validate() } catch { throw .usage("--audio-transport: \(error.message)") }
        return transport
    }

    /// The client and the client token the service joins `sessionID` with: the user's own (`ownClientToken`), else a
    /// fresh one with `role` made on the platform the credentials point at. The session is checked against the
    /// project before the secret or key is read.
    static func serviceToken(_ inv: Invocation, sessionID: String, role: OpenTokRole) throws(MediaError) -> (OpenTokClient, String) {
        let request = ClientTokenRequest(sessionID: sessionID, role: role)
        let project = try inv.videoProject()
        do throws(MediaError) {
            _ = try VideoCredentials.validate(request, platform: project.platform, projectID: project.projectID, now: Int(inv.clock.now().timeIntervalSince1970))
        } catch {
            throw .usage("--session-id: \(error.message)")
        }
        let own = try inv.ownClientToken()
        let credentials = try inv.videoCredentials(project: project)
        let client = try inv.openTokClient(credentials: credentials)
        if let own { return (client, own) }
        let token = try inv.call { () throws(MediaError) in
            try credentials.clientToken(request, now: inv.clock.now(), nonce: OpenTokClientToken.randomNonce(), jti: VonageAuthHeader.randomJTI())
        }
        return (client, token)
    }
}
