// OpenTok (Vonage Video) sessions and moderation: `session create`, `token`, `signal`, `stream …`,
// `connection disconnect`, `sip dial`, `dtmf`. Archives and broadcasts are in VideoRecordingCommands.
import FoundationEssentials
import MediaKit

enum VideoCommands {
    // MARK: session

    static let sessionGroup = CommandSpec(name: "session", summary: "OpenTok sessions: create one", subcommands: [sessionCreate])

    static let sessionCreate = CommandSpec(
        name: "create", summary: "Create an OpenTok session and print its ID",
        description: "Archives, broadcasts, SIP calls and end-to-end encryption need --media-mode routed.",
        examples: ["mediactl session create --media-mode routed",
                   "SESSION=$(mediactl session create --media-mode routed --archive-mode always --archive-name Standup --output id)"],
        flags: [FlagSpec(name: "media-mode", kind: .choice(OpenTokMediaMode.allCases.map(\.rawValue)), meta: "MODE",
                         help: "routed: through the Media Router; relayed: peer to peer where possible (default: relayed with OpenTok, routed with Vonage, as their SDKs)"),
                FlagSpec(name: "archive-mode", kind: .choice(["manual", "always"]), meta: "MODE",
                         help: "always: archive automatically when clients connect (needs routed)", defaultValue: "manual"),
                FlagSpec(name: "archive-name", meta: "NAME", help: "name of the automatic archives (archive mode always)", fromDefaultsFile: false),
                FlagSpec(name: "archive-resolution", kind: .choice(OpenTokResolution.allCases.map(\.rawValue)), meta: "WxH",
                         help: "resolution of the automatic archives (archive mode always)", fromDefaultsFile: false),
                FlagSpec(name: "location", meta: "IPV4", help: "an IPv4 address near where the session's clients are", fromDefaultsFile: false),
                FlagSpec(name: "e2ee", kind: .bool, help: "end-to-end encrypt the media (needs routed)", fromDefaultsFile: false)]
            + VideoFlags.connection,
        action: { inv throws(MediaError) in
            var options = SessionOptions()
            if let mode = try inv.string("media-mode").flatMap(OpenTokMediaMode.init(rawValue:)) {
                options.mediaMode = mode
            } else {
                options.mediaMode = SessionOptions.defaultMediaMode(for: try inv.videoPlatform().platform)
            }
            options.archiveAlways = try inv.string("archive-mode") == "always"
            options.archiveName = try inv.string("archive-name")
            options.archiveResolution = try inv.string("archive-resolution").flatMap(OpenTokResolution.init(rawValue:))
            options.location = try inv.string("location")
            options.e2ee = try inv.bool("e2ee")
            if options.archiveAlways && options.mediaMode != .routed { throw .usage("--archive-mode always needs --media-mode routed") }
            if options.e2ee && options.mediaMode != .routed { throw .usage("--e2ee needs --media-mode routed") }
            if !options.archiveAlways {
                if options.archiveName != nil { throw .usage("--archive-name needs --archive-mode always") }
                if options.archiveResolution != nil { throw .usage("--archive-resolution needs --archive-mode always") }
            }
            try inv.checked { () throws(MediaError) in try options.validate() }
            let client = try inv.openTokClient()
            let session = try inv.call { () throws(MediaError) in try client.createSession(options) }
            inv.io.progress("Created \(options.mediaMode.rawValue) session (archive mode \(options.archiveAlways ? "always" : "manual"))")
            switch inv.outputFormat {
            case "json": inv.io.out(session.json.prettyText)
            default: inv.io.out(session.id)
            }
        })

    // MARK: token

    static let token = CommandSpec(
        name: "token", summary: "Make a client token for a session (locally: nothing is sent)",
        description: "With OpenTok credentials the default JWT form is what opentok 3.15 makes; --format legacy makes the older\nT1== form for clients that need it. With Vonage credentials (--application-id, --private-key-file) the token is\nthe RS256 JWT vonage-video 1.6 makes (15 minutes unless --expires-in). It grants access: it is printed on stdout only.",
        examples: ["mediactl token --session-id $SESSION --role moderator --expires-in 3600 --data name=Johnny",
                   "mediactl token --session-id $SESSION --application-id $VONAGE_APPLICATION_ID --private-key-file private.key",
                   "mediactl token --session-id $SESSION --layout-class focus --layout-class inactive --format legacy"],
        flags: [VideoFlags.sessionID,
                FlagSpec(name: "role", kind: .choice(OpenTokRole.allCases.map(\.rawValue)), meta: "ROLE",
                         help: "what the client may do", defaultValue: "publisher"),
                FlagSpec(name: "expire-time", meta: "TIME", help: "when it expires: epoch seconds or ISO-8601 (e.g. 2030-01-01T00:00:00Z); at most 30 days ahead",
                         fromDefaultsFile: false),
                FlagSpec(name: "expires-in", kind: .integer(0...OpenTokClientToken.maxLifetime), meta: "SECONDS",
                         help: "lifetime instead of --expire-time (default 86400 with OpenTok, 900 with Vonage, as their SDKs)"),
                FlagSpec(name: "data", meta: "TEXT", help: "connection data the other clients see (at most 1000 characters)", fromDefaultsFile: false),
                FlagSpec(name: "layout-class", meta: "CLASS", help: "initial layout class of the client's streams", repeatable: true, fromDefaultsFile: false),
                FlagSpec(name: "format", kind: .choice(ClientTokenFormat.allCases.map(\.rawValue)), meta: "FORMAT",
                         help: "jwt (the SDK's default) or legacy (T1==)", defaultValue: "jwt")]
            + VideoFlags.credentials,
        action: { inv throws(MediaError) in
            let now = inv.clock.now()
            var request = ClientTokenRequest(sessionID: "")
            request.role = OpenTokRole(rawValue: try inv.string("role") ?? "publisher") ?? .publisher
            let expireTime = try inv.string("expire-time")
            let expiresIn = try inv.int("expires-in")
            if expireTime != nil && inv.line.values["expires-in"] != nil { throw .usage("--expire-time and --expires-in cannot be combined") }
            if let expireTime {
                guard let seconds = parseTime(expireTime) else {
                    throw .usage("--expire-time: '\(expireTime)' is neither epoch seconds nor an ISO-8601 time such as 2030-01-01T00:00:00Z")
                }
                request.expireTime = seconds
            } else if let expiresIn {
                request.expireTime = Int(now.timeIntervalSince1970.rounded(.down)) + expiresIn
            }
            request.connectionData = try inv.string("data")
            request.initialLayoutClasses = try inv.strings("layout-class")
            let format = ClientTokenFormat(rawValue: try inv.string("format") ?? "jwt") ?? .jwt
            request.sessionID = try inv.required("session-id")
            let project = try inv.videoProject()
            if project.platform == .vonage && format == .legacy {
                throw .usage("--format legacy: T1== tokens exist only for OpenTok credentials; Vonage client tokens are JWTs")
            }
            // Checked before the secret or key is read, with the flags named.
            let checked: (expireTime: Int, layoutClassList: String)
            do throws(MediaError) {
                checked = try VideoCredentials.validate(request, platform: project.platform, projectID: project.projectID, now: Int(now.timeIntervalSince1970.rounded(.down)))
            } catch {
                throw .usage(tokenProblem(error))
            }
            let credentials = try inv.videoCredentials(project: project)
            let token = try inv.call { () throws(MediaError) in
                try credentials.clientToken(request, format: format, now: now, nonce: OpenTokClientToken.randomNonce(), jti: VonageAuthHeader.randomJTI())
            }
            if inv.outputFormat == "json" {
                let expire = checked.expireTime
                inv.io.out(JSONValue.object([("token", .string(token)), ("sessionId", .string(request.sessionID)), ("role", .string(request.role.rawValue)),
                                             ("expireTime", .int(expire)), ("format", .string(format.rawValue))]).prettyText)
            } else {
                inv.io.out(token)
            }
        })

    /// The library's token message with the flag that caused it.
    static func tokenProblem(_ error: MediaError) -> String {
        let m = error.message
        if m.contains("expire time") { return "--expire-time/--expires-in: \(m)" }
        if m.hasPrefix("connection data") { return "--data: \(m)" }
        if m.contains("layout class") { return "--layout-class: \(m)" }
        return "--session-id: \(m)"
    }

    /// Epoch seconds, or ISO-8601 with a zone (`2030-01-01T00:00:00Z`, fractions allowed).
    static func parseTime(_ text: String) -> Int? {
        if let seconds = Int(text) { return seconds }
        return Date(internetDateTime: text).map { Int($0.timeIntervalSince1970) }
    }

    // MARK: signal

    static let signal = CommandSpec(
        name: "signal", summary: "Send a signal to every client of a session, or to one connection",
        examples: ["mediactl signal --session-id $SESSION --type chat --data 'hello'",
                   "mediactl signal --session-id $SESSION --connection-id $CONN --data '{\"mute\":true}'"],
        flags: [VideoFlags.sessionID, VideoFlags.connectionID,
                FlagSpec(name: "type", meta: "TYPE", help: "signal type: letters, digits, '-', '_', '~'; at most 128 bytes", fromDefaultsFile: false),
                FlagSpec(name: "data", meta: "TEXT", help: "the payload, at most 8 kB", fromDefaultsFile: false, prompt: "Signal data")]
            + VideoFlags.connection,
        action: { inv throws(MediaError) in
            let type = try inv.string("type")
            let connection = try inv.string("connection-id")
            let session = try inv.required("session-id")
            let message = SignalMessage(type: type, data: try inv.required("data"))
            do throws(MediaError) { try message.validate() } catch { throw .usage((error.message.contains("type") ? "--type: " : "--data: ") + error.message) }
            let client = try inv.openTokClient()
            try inv.call { () throws(MediaError) in try client.signal(sessionID: session, connectionID: connection, message) }
            let target = connection.map { "connection \($0)" } ?? "every connection of session \(session)"
            var record: [(String, JSONValue)] = [("sessionId", .string(session))]
            if let connection { record.append(("connectionId", .string(connection))) }
            record.append(("signal", message.json))
            inv.renderDone("Signalled \(target)", id: connection ?? session, record: record)
        })

    // MARK: stream

    static let streamGroup = CommandSpec(
        name: "stream", summary: "Streams of an OpenTok session: show, list, layout classes, force mute",
        subcommands: [streamGet, streamList, streamLayoutClasses, streamMute, streamMuteAll, streamUnmuteAll])

    static let streamArgument = PositionalSpec(name: "stream-id", help: "the stream's ID", prompt: "Stream ID")

    static let streamGet = CommandSpec(
        name: "get", summary: "Show one stream: video type, name, layout classes",
        flags: [VideoFlags.sessionID] + VideoFlags.connection, positionals: [streamArgument],
        action: { inv throws(MediaError) in
            let stream = try inv.positional(0)
            let session = try inv.required("session-id")
            let client = try inv.openTokClient()
            inv.renderVideo(try inv.call { () throws(MediaError) in try client.getStream(sessionID: session, streamID: stream) }, noun: "stream")
        })

    static let streamList = CommandSpec(
        name: "list", summary: "List the streams published in a session",
        flags: [VideoFlags.sessionID] + VideoFlags.connection,
        action: { inv throws(MediaError) in
            let session = try inv.required("session-id")
            let client = try inv.openTokClient()
            let page = try inv.call { () throws(MediaError) in try client.listStreams(sessionID: session) }
            inv.renderVideo(page: page.items, count: page.count, offset: 0, noun: "stream", columns: VideoText.streamColumns)
        })

    static let streamLayoutClasses = CommandSpec(
        name: "layout-classes", summary: "Set the layout classes of streams (for composed archives and broadcasts)",
        description: "Each --set replaces one stream's list; STREAM_ID= with nothing after '=' clears it.",
        examples: ["mediactl stream layout-classes --session-id $SESSION --set $STREAM1=focus,full --set $STREAM2="],
        flags: [VideoFlags.sessionID,
                FlagSpec(name: "set", meta: "STREAM_ID=CLASS[,CLASS...]", help: "a stream and its new layout classes", required: true,
                         repeatable: true, fromDefaultsFile: false)]
            + VideoFlags.connection,
        action: { inv throws(MediaError) in
            let sets = try inv.strings("set")
            if sets.isEmpty { throw .usage("give --set STREAM_ID=CLASS[,CLASS...] at least once") }
            var changes: [StreamLayoutClasses] = []
            for text in sets {
                guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                    throw .usage("--set \(text): expected STREAM_ID=CLASS[,CLASS...] (STREAM_ID= clears the list)")
                }
                let classes = text[text.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false).map {
                    $0.trimming(.whitespaces)
                }.filter { !$0.isEmpty }
                if let bad = classes.first(where: { $0.contains(where: \.isWhitespace) }) { throw .usage("--set \(text): class '\(bad)' contains a space") }
                let id = String(text[..<eq])
                if changes.contains(where: { $0.streamID == id }) { throw .usage("--set: stream \(id) is given twice") }
                changes.append(StreamLayoutClasses(streamID: id, classes: classes))
            }
            let session = try inv.required("session-id")
            let client = try inv.openTokClient()
            try inv.call { () throws(MediaError) in try client.setLayoutClasses(sessionID: session, changes) }
            inv.renderDone("Set the layout classes of \(changes.count) stream\(changes.count == 1 ? "" : "s")", id: changes.map(\.streamID).joined(separator: "\n"),
                           record: [("sessionId", .string(session)),
                                    ("items", .array(changes.map { .object([("id", .string($0.streamID)), ("layoutClassList", .array($0.classes.map(JSONValue.string)))]) }))])
        })

    static let streamMute = CommandSpec(
        name: "mute", summary: "Force one stream's audio off (its publisher can unmute)",
        flags: [VideoFlags.sessionID] + VideoFlags.connection, positionals: [streamArgument],
        action: { inv throws(MediaError) in
            let stream = try inv.positional(0)
            let session = try inv.required("session-id")
            let client = try inv.openTokClient()
            try inv.call { () throws(MediaError) in try client.muteStream(sessionID: session, streamID: stream) }
            inv.renderDone("Muted stream \(stream)", id: stream, record: [("sessionId", .string(session)), ("streamId", .string(stream)), ("muted", true)])
        })

    static let streamMuteAll = CommandSpec(
        name: "mute-all", summary: "Mute every stream of a session, and streams published later, until unmute-all",
        examples: ["mediactl stream mute-all --session-id $SESSION --exclude $PRESENTER_STREAM"],
        flags: [VideoFlags.sessionID,
                FlagSpec(name: "exclude", meta: "STREAM_ID", help: "a stream to leave unmuted", repeatable: true, fromDefaultsFile: false)]
            + VideoFlags.connection,
        action: { inv throws(MediaError) in
            let excluded = try inv.strings("exclude")
            let session = try inv.required("session-id")
            let client = try inv.openTokClient()
            try inv.call { () throws(MediaError) in try client.muteAll(sessionID: session, excluding: excluded) }
            inv.renderDone("Muted every stream of session \(session)\(excluded.isEmpty ? "" : " except \(excluded.joined(separator: ", "))")", id: session,
                           record: [("sessionId", .string(session)), ("active", true), ("excludedStreams", .array(excluded.map(JSONValue.string)))])
        })

    static let streamUnmuteAll = CommandSpec(
        name: "unmute-all", summary: "End a session's mute-all: new streams are no longer muted (clients unmute themselves)",
        flags: [VideoFlags.sessionID] + VideoFlags.connection,
        action: { inv throws(MediaError) in
            let session = try inv.required("session-id")
            let client = try inv.openTokClient()
            try inv.call { () throws(MediaError) in try client.disableForceMute(sessionID: session) }
            inv.renderDone("Ended mute-all in session \(session)", id: session, record: [("sessionId", .string(session)), ("active", false)])
        })

    // MARK: connection

    static let connectionGroup = CommandSpec(
        name: "connection", summary: "Connections of an OpenTok session: force one to disconnect", subcommands: [connectionDisconnect])

    static let connectionDisconnect = CommandSpec(
        name: "disconnect", summary: "Force a client to leave a session",
        flags: [VideoFlags.sessionID] + VideoFlags.connection,
        positionals: [PositionalSpec(name: "connection-id", help: "the connection's ID", prompt: "Connection ID")],
        action: { inv throws(MediaError) in
            let connection = try inv.positional(0)
            let session = try inv.required("session-id")
            let client = try inv.openTokClient()
            try inv.call { () throws(MediaError) in try client.disconnect(sessionID: session, connectionID: connection) }
            inv.renderDone("Disconnected \(connection) from session \(session)", id: connection,
                           record: [("sessionId", .string(session)), ("connectionId", .string(connection)), ("disconnected", true)])
        })

    // MARK: SIP and DTMF

    static let sipGroup = CommandSpec(name: "sip", summary: "SIP interconnect: dial a phone or SIP endpoint into a session", subcommands: [sipDial])

    static let sipDial = CommandSpec(
        name: "dial", summary: "Dial a SIP URI into a routed session",
        description: "mediactl makes the SIP participant's client token itself (role publisher). The SIP password comes from\nOPENTOK_SIP_PASSWORD, --sip-password-file, or a no-echo prompt; never from a flag value.",
        examples: ["mediactl sip dial --session-id $SESSION --uri 'sip:alice@sip.example.com;transport=tls' --secure --header 'X-Room: 42'",
                   "OPENTOK_SIP_PASSWORD=... mediactl sip dial --session-id $SESSION --uri sip:+15551234567@pbx.example.com --auth-user bob"],
        flags: [VideoFlags.sessionID,
                FlagSpec(name: "uri", meta: "SIP_URI", help: "whom to call: sip:user@host[;transport=tls]", fromDefaultsFile: false, prompt: "SIP URI"),
                FlagSpec(name: "from", meta: "FROM", help: "caller shown to the callee (e.g. number@example.com)", fromDefaultsFile: false),
                FlagSpec(name: "header", meta: "X-NAME: VALUE", help: "a custom SIP header (the name starts with X-)", repeatable: true, fromDefaultsFile: false),
                FlagSpec(name: "auth-user", meta: "USER", help: "SIP digest username", fromDefaultsFile: false),
                FlagSpec(name: "sip-password-file", kind: .file, meta: "PATH", help: "file holding the SIP password (else OPENTOK_SIP_PASSWORD or a prompt)",
                         fromDefaultsFile: false),
                FlagSpec(name: "secure", kind: .bool, help: "encrypt the media (SRTP)", fromDefaultsFile: false),
                FlagSpec(name: "video", kind: .bool, help: "send and receive video too", fromDefaultsFile: false),
                FlagSpec(name: "observe-force-mute", kind: .bool, help: "the SIP participant honours mute-all", fromDefaultsFile: false),
                FlagSpec(name: "stream", meta: "STREAM_ID", help: "send only these streams to the callee", repeatable: true, fromDefaultsFile: false),
                FlagSpec(name: "connection-data", meta: "TEXT", help: "connection data of the SIP participant's token", fromDefaultsFile: false)]
            + VideoFlags.connection,
        action: { inv throws(MediaError) in
            var headers: [(String, String)] = []
            for text in try inv.strings("header") {
                guard let colon = text.firstIndex(where: { $0 == ":" || $0 == "=" }) else { throw .usage("--header \(text): expected 'X-NAME: VALUE'") }
                headers.append((text[..<colon].trimming(.whitespaces), text[text.index(after: colon)...].trimming(.whitespaces)))
            }
            let user = try inv.string("auth-user")
            if user == nil && inv.line.values["sip-password-file"] != nil { throw .usage("--sip-password-file needs --auth-user") }
            let session = try inv.required("session-id")
            var options = SIPDialOptions(sessionID: session, token: "", uri: try inv.required("uri"))
            options.from = try inv.string("from")
            options.headers = headers
            options.secure = try inv.bool("secure") ? true : nil
            options.video = try inv.bool("video") ? true : nil
            options.observeForceMute = try inv.bool("observe-force-mute") ? true : nil
            options.streams = try inv.strings("stream")
            // URI and headers are checked before the password is asked for; the password itself
            // is read last (possibly at a prompt), so the pair is checked without it here.
            do throws(MediaError) { try options.validate() } catch {
                throw .usage((error.message.hasPrefix("SIP URI") ? "--uri: " : "--header: ") + error.message)
            }
            let data = try inv.string("connection-data")
            let tokenRequest = ClientTokenRequest(sessionID: session, connectionData: data)
            let project = try inv.videoProject()
            do throws(MediaError) {
                _ = try VideoCredentials.validate(tokenRequest, platform: project.platform, projectID: project.projectID, now: Int(inv.clock.now().timeIntervalSince1970))
            } catch {
                throw .usage(error.message.hasPrefix("connection data") ? "--connection-data: \(error.message)" : "--session-id: \(error.message)")
            }
            if let user {
                options.authUsername = user
                options.authPassword = try sipPassword(inv)
            }
            let credentials = try inv.videoCredentials(project: project)
            let client = try inv.openTokClient(credentials: credentials)
            options.token = try inv.call { () throws(MediaError) in
                try credentials.clientToken(tokenRequest, now: inv.clock.now(), nonce: OpenTokClientToken.randomNonce(), jti: VonageAuthHeader.randomJTI())
            }
            let call = try inv.call { () throws(MediaError) in try client.dial(options) }
            inv.io.progress("Dialled \(options.uri) into session \(session): connection \(call.json["connectionId"]?.stringValue ?? "?")")
            inv.renderVideo(call, noun: "SIP call")
        })

    /// --sip-password-file, else OPENTOK_SIP_PASSWORD, else a no-echo prompt.
    static func sipPassword(_ inv: Invocation) throws(MediaError) -> String {
        if let path = try inv.string("sip-password-file") {
            let data: Data
            do { data = try LocalFiles(maxBytes: 64 << 10).read(inv.expand(path)) } catch { throw .usage("--sip-password-file \(path): \(error.reason)") }
            let password = String(decoding: data, as: UTF8.self).trimming(.newlines)
            if password.isEmpty { throw .usage("--sip-password-file \(path) is empty") }
            return password
        }
        if let password = inv.environment["OPENTOK_SIP_PASSWORD"], !password.isEmpty { return password }
        if let answer = try inv.io.askSecret("SIP password") { return answer }
        throw .usage("--auth-user needs a password: set OPENTOK_SIP_PASSWORD or give --sip-password-file PATH")
    }

    static let dtmf = CommandSpec(
        name: "dtmf", summary: "Play DTMF tones to the SIP participants of a session, or to one connection",
        examples: ["mediactl dtmf --session-id $SESSION --digits '1713p#'"],
        flags: [VideoFlags.sessionID, VideoFlags.connectionID,
                FlagSpec(name: "digits", meta: "DIGITS", help: "0-9, *, #, and p for a 500 ms pause", fromDefaultsFile: false, prompt: "DTMF digits")]
            + VideoFlags.connection,
        action: { inv throws(MediaError) in
            let connection = try inv.string("connection-id")
            let session = try inv.required("session-id")
            let digits = try inv.required("digits")
            do throws(MediaError) { try DTMFDigits.validate(digits) } catch { throw .usage("--digits: \(error.message)") }
            let client = try inv.openTokClient()
            try inv.call { () throws(MediaError) in try client.playDTMF(sessionID: session, connectionID: connection, digits: digits) }
            var record: [(String, JSONValue)] = [("sessionId", .string(session))]
            if let connection { record.append(("connectionId", .string(connection))) }
            record.append(("digits", .string(digits)))
            inv.renderDone("Played \(digits) to \(connection.map { "connection \($0)" } ?? "session \(session)")", id: connection ?? session, record: record)
        })
}
