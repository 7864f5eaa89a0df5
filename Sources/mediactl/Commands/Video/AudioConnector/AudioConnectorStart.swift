// `mediactl audio-connector start`: send a routed session's audio to a WebSocket server. The flags become MediaKit's
// `AudioConnectorOptions` (and `AudioTransport`), checked once by MediaKit; the token is made (or read) in run.
import MediaKit

enum AudioConnectorCommands {
    static let group = CommandSpec(
        name: "audio-connector", summary: "Audio Connector: send a routed session's audio to a WebSocket server",
        subcommands: [AudioConnectorStart.command])
}

enum AudioConnectorStart {
    struct Options {
        var connector: AudioConnectorOptions
        var join: ServiceJoin
    }

    static let uri = Flag.text("uri", meta: "WSS_URI", help: "the WebSocket server (wss:// or ws://)").notFromDefaultsFile().prompt("WebSocket URI")
    static let stream = Flag.text("stream", meta: "STREAM_ID", help: "send only these streams (default: all)").repeatable().notFromDefaultsFile()
    static let header = Flag.text("header", meta: "NAME: VALUE", help: "a header sent to the WebSocket server").repeatable().notFromDefaultsFile()
    static let audioRate = Flag<Int>(spec: FlagSpec(name: "audio-rate", kind: .choice(OpenTokMediaLimits.audioRates.map(String.init)), meta: "HZ",
                                                    help: "audio sample rate (service default 16000)", fromDefaultsFile: false),
                                     decode: { Int($0) }, encode: { String($0) })
    static let bidirectional = Switch("bidirectional", help: "also play audio the server sends back into the session")
    static let audioTransport = Flag.choice("audio-transport", AudioTransport.Transport.self, meta: "FORMAT",
                                            help: "how audio is framed on the WebSocket: binary PCM16 frames (service default) or json messages")
        .notFromDefaultsFile()
    static let audioEncoding = VideoFlags.oneOf("audio-encoding", AudioTransport.encodings, meta: "ENCODING",
                                                help: "encoding of the audio in json messages (default base64, the only one)").notFromDefaultsFile()
    static let audioField = Flag.text("audio-field", meta: "NAME", help: "json key of the audio the connector sends (service default audio)")
        .notFromDefaultsFile()
    static let receiveAudioField = Flag.text("receive-audio-field", meta: "NAME",
                                             help: "json key of the audio the server sends back with --bidirectional (service default: --audio-field)")
        .notFromDefaultsFile()
    static let staticField = Flag.text("static-field", meta: "NAME=VALUE", help: "a fixed string field in every json message the connector sends")
        .repeatable().notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "start", summary: "Connect a session's audio streams to a WebSocket URI",
        description: "mediactl makes the publisher token the connector joins with, unless you give your own\n(--token-file, or MEDIACTL_CLIENT_TOKEN). The session must be routed (409 otherwise).\n--audio-transport json sends audio as JSON messages (base64), shaped by --audio-field, --receive-audio-field\nand --static-field.",
        examples: ["mediactl audio-connector start --session-id $SESSION --uri wss://example.com/audio --audio-rate 16000 --header 'X-Room: 42'",
                   "mediactl audio-connector start --session-id $SESSION --uri wss://example.com/audio --audio-transport json --static-field room=42"],
        flags: [VideoFlags.sessionID, uri, stream, header, audioRate, bidirectional, audioTransport, audioEncoding, audioField, receiveAudioField,
                staticField, OwnClientToken.file] + VideoConnection.flags,
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        var connector = AudioConnectorOptions(sessionID: "", token: "", uri: try inv.required(uri))
        let headers = try inv.values(header)
        connector.streams = try inv.values(stream)
        connector.audioRate = try inv.value(audioRate)
        connector.bidirectional = try inv.value(bidirectional)
        let shaping = try TransportGiven.read(inv)
        connector.sessionID = try inv.required(VideoFlags.sessionID)
        let join = try ServiceJoin.parse(inv, sessionID: connector.sessionID, role: .publisher)
        for text in headers {
            guard let colon = text.firstIndex(where: { $0 == ":" || $0 == "=" }), colon != text.startIndex else {
                throw .usage("--header \(text): expected 'NAME: VALUE'")
            }
            connector.headers.append((text[..<colon].trimming(.whitespaces), text[text.index(after: colon)...].trimming(.whitespaces)))
        }
        connector.audioTransport = try shaping.transport(inv)
        do throws(MediaError) { try connector.validate() } catch {
            if error.message.hasPrefix("header") { throw .usage("--header: \(error.message)") }
            if error.message.hasPrefix("the WebSocket URI") { throw .usage("--uri: \(error.message)") }
            throw .usage("--audio-transport: \(error.message)")
        }
        return Options(connector: connector, join: join)
    }

    /// `--audio-transport` and the flags that shape it, as given.
    struct TransportGiven {
        var kind: AudioTransport.Transport?
        var encoding: String?
        var field: String?
        var receiveField: String?
        var statics: [String]

        static func read(_ inv: Invocation) throws(MediaError) -> TransportGiven {
            TransportGiven(kind: try inv.value(audioTransport), encoding: try inv.value(audioEncoding), field: try inv.value(audioField),
                           receiveField: try inv.value(receiveAudioField), statics: try inv.values(staticField))
        }

        /// The transport; nil when `--audio-transport` is not given (the flags that shape it are then refused).
        func transport(_ inv: Invocation) throws(MediaError) -> AudioTransport? {
            try AudioConnectorStart.transport(self, inv)
        }
    }

    static func transport(_ given: TransportGiven, _ inv: Invocation) throws(MediaError) -> AudioTransport? {
        let (encoding, field, receiveField, statics) = (given.encoding, given.field, given.receiveField, given.statics)
        guard let kind = given.kind else {
            let shaping: [any FlagDeclaration] = [audioEncoding, audioField, receiveAudioField, staticField]
            if let given = shaping.first(where: { inv.isGiven($0) }) { throw .usage("--\(given.spec.name) needs --audio-transport json") }
            return nil
        }
        var transport = AudioTransport(transport: kind)
        // Both SDKs demand an encoding for JSON transport and know only base64, so it is the default here.
        transport.encoding = encoding ?? (kind == .json ? AudioTransport.encodings[0] : nil)
        transport.audioField = field
        transport.receiveAudioField = receiveField
        for text in statics {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw .usage("--static-field \(text.prefix(80)): expected NAME=VALUE")
            }
            transport.staticFields.append((String(text[..<equals]), String(text[text.index(after: equals)...])))
        }
        return transport
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        var connector = o.connector
        let (client, token) = try o.join.client(ctx)
        connector.token = token
        let connected = try client.connectAudio(connector)
        ctx.io.progress("Connected session \(connector.sessionID) to \(connector.uri): connection \(connected.connectionID ?? "?")")
        ctx.renderVideo(connected, noun: "audio connection")
    }
}
