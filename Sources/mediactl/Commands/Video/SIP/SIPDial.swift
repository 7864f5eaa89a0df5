// `mediactl sip dial`: dial a SIP URI into a routed session, with a client token mediactl makes for the call.
import FoundationEssentials
import MediaKit

enum SIPCommands {
    static let group = CommandSpec(name: "sip", summary: "SIP interconnect: dial a phone or SIP endpoint into a session", subcommands: [SIPDial.command])
}

enum SIPDial {
    struct Options {
        /// Everything but the token and the password, which are made and read in run.
        var dial: SIPDialOptions
        var tokenRequest: ClientTokenRequest
        var authUser: String?
        var passwordFile: String?
        var connection: VideoConnectionOptions
    }

    static let uri = Flag.text("uri", meta: "SIP_URI", help: "whom to call: sip:user@host[;transport=tls]").notFromDefaultsFile().prompt("SIP URI")
    static let from = Flag.text("from", meta: "FROM", help: "caller shown to the callee (e.g. number@example.com)").notFromDefaultsFile()
    static let header = Flag.text("header", meta: "X-NAME: VALUE", help: "a custom SIP header (the name starts with X-)").repeatable().notFromDefaultsFile()
    static let authUser = Flag.text("auth-user", meta: "USER", help: "SIP digest username").notFromDefaultsFile()
    static let passwordFile = Flag.file("sip-password-file", help: "file holding the SIP password (else OPENTOK_SIP_PASSWORD or a prompt)")
        .notFromDefaultsFile()
    static let secure = Switch("secure", help: "encrypt the media (SRTP)")
    static let video = Switch("video", help: "send and receive video too")
    static let observeForceMute = Switch("observe-force-mute", help: "the SIP participant honours mute-all")
    static let stream = Flag.text("stream", meta: "STREAM_ID", help: "send only these streams to the callee").repeatable().notFromDefaultsFile()
    static let connectionData = Flag.text("connection-data", meta: "TEXT", help: "connection data of the SIP participant's token").notFromDefaultsFile()
    static let passwordVariable = "OPENTOK_SIP_PASSWORD"

    static let command = CommandSpec.verb(
        "dial", summary: "Dial a SIP URI into a routed session",
        description: "mediactl makes the SIP participant's client token itself (role publisher). The SIP password comes from\nOPENTOK_SIP_PASSWORD, --sip-password-file, or a no-echo prompt; never from a flag value.",
        examples: ["mediactl sip dial --session-id $SESSION --uri 'sip:alice@sip.example.com;transport=tls' --secure --header 'X-Room: 42'",
                   "OPENTOK_SIP_PASSWORD=... mediactl sip dial --session-id $SESSION --uri sip:+15551234567@pbx.example.com --auth-user bob"],
        flags: [VideoFlags.sessionID, uri, from, header, authUser, passwordFile, secure, video, observeForceMute, stream, connectionData]
            + VideoConnection.flags,
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let headerTexts = try inv.values(header)
        let user = try inv.value(authUser)
        let passwordPath = try inv.value(passwordFile)
        let session = try inv.required(VideoFlags.sessionID)
        var dial = SIPDialOptions(sessionID: session, token: "", uri: try inv.required(uri))
        dial.from = try inv.value(from)
        dial.secure = try inv.value(secure) ? true : nil
        dial.video = try inv.value(video) ? true : nil
        dial.observeForceMute = try inv.value(observeForceMute) ? true : nil
        dial.streams = try inv.values(stream)
        let tokenRequest = ClientTokenRequest(sessionID: session, connectionData: try inv.value(connectionData))
        let connection = try VideoConnectionOptions.parse(inv)
        for text in headerTexts {
            guard let colon = text.firstIndex(where: { $0 == ":" || $0 == "=" }) else { throw .usage("--header \(text): expected 'X-NAME: VALUE'") }
            dial.headers.append((text[..<colon].trimming(.whitespaces), text[text.index(after: colon)...].trimming(.whitespaces)))
        }
        if user == nil && inv.isGiven(passwordFile) { throw .usage("--sip-password-file needs --auth-user") }
        // URI and headers are checked here, before the password is asked for (in run), so without the username either:
        // MediaKit checks the pair again when the call is made.
        do throws(MediaError) { try dial.validate() } catch {
            throw .usage((error.message.hasPrefix("SIP URI") ? "--uri: " : "--header: ") + error.message)
        }
        do throws(MediaError) {
            _ = try VideoCredentials.validate(tokenRequest, platform: connection.platform, projectID: connection.projectID,
                                              now: Int(inv.clock.now().timeIntervalSince1970))
        } catch {
            throw .usage(error.message.hasPrefix("connection data") ? "--connection-data: \(error.message)" : "--session-id: \(error.message)")
        }
        return Options(dial: dial, tokenRequest: tokenRequest, authUser: user, passwordFile: passwordPath, connection: connection)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        var dial = o.dial
        if let user = o.authUser {
            dial.authUsername = user
            dial.authPassword = try password(o.passwordFile, ctx)
        }
        let credentials = try ctx.videoCredentials(o.connection.credentials)
        let client = try ctx.openTokClient(o.connection, credentials: credentials)
        dial.token = try credentials.clientToken(o.tokenRequest, now: ctx.clock.now(), nonce: OpenTokClientToken.randomNonce(), jti: VonageAuthHeader.randomJTI())
        let call = try client.dial(dial)
        ctx.io.progress("Dialled \(dial.uri) into session \(dial.sessionID): connection \(call.connectionID ?? "?")")
        ctx.renderVideo(call, noun: "SIP call")
    }

    /// --sip-password-file, else OPENTOK_SIP_PASSWORD, else a no-echo prompt.
    static func password(_ path: String?, _ ctx: CommandContext) throws(MediaError) -> String {
        if let path {
            let data: Data
            do { data = try LocalFiles(maxBytes: 64 << 10).read(ctx.expand(path)) } catch { throw .usage("--sip-password-file \(path): \(error.reason)") }
            let password = String(decoding: data, as: UTF8.self).trimming(.newlines)
            if password.isEmpty { throw .usage("--sip-password-file \(path) is empty") }
            return password
        }
        if let password = ctx.environment[passwordVariable], !password.isEmpty { return password }
        if let answer = try ctx.io.askSecret("SIP password") { return answer }
        throw .usage("--auth-user needs a password: set OPENTOK_SIP_PASSWORD or give --sip-password-file PATH")
    }
}
