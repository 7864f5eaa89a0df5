// `mediactl token`: make a client token for a session, locally (nothing is sent).
import FoundationEssentials
import MediaKit

enum TokenCommand {
    struct Options {
        var request: ClientTokenRequest
        var format: ClientTokenFormat
        /// The expire time the token carries (the request's, or the platform's default lifetime from now).
        var expireTime: Int
        var credentials: VideoCredentialOptions
        /// The instant the expiry was checked against; the token is made at the same one.
        var now: Date
    }

    static let role = Flag.choice("role", OpenTokRole.self, meta: "ROLE", help: "what the client may do").defaulting(to: .publisher)
    static let expireTime = Flag.text("expire-time", meta: "TIME",
                                      help: "when it expires: epoch seconds or ISO-8601 (e.g. 2030-01-01T00:00:00Z); at most 30 days ahead")
        .notFromDefaultsFile()
    static let expiresIn = Flag.integer("expires-in", 0...OpenTokClientToken.maxLifetime, meta: "SECONDS",
                                        help: "lifetime instead of --expire-time (default 86400 with OpenTok, 900 with Vonage, as their SDKs)")
    static let data = Flag.text("data", meta: "TEXT", help: "connection data the other clients see (at most 1000 characters)").notFromDefaultsFile()
    static let layoutClass = Flag.text("layout-class", meta: "CLASS", help: "initial layout class of the client's streams")
        .repeatable().notFromDefaultsFile()
    static let format = Flag.choice("format", ClientTokenFormat.self, meta: "FORMAT", help: "jwt (the SDK's default) or legacy (T1==)")
        .defaulting(to: .jwt)

    static let command = CommandSpec.verb(
        "token", summary: "Make a client token for a session (locally: nothing is sent)",
        description: "With OpenTok credentials the default JWT form is what opentok 3.15 makes; --format legacy makes the older\nT1== form for clients that need it. With Vonage credentials (--application-id, --private-key-file) the token is\nthe RS256 JWT vonage-video 1.6 makes (15 minutes unless --expires-in). It grants access: it is printed on stdout only.",
        examples: ["mediactl token --session-id $SESSION --role moderator --expires-in 3600 --data name=Johnny",
                   "mediactl token --session-id $SESSION --application-id $VONAGE_APPLICATION_ID --private-key-file private.key",
                   "mediactl token --session-id $SESSION --layout-class focus --layout-class inactive --format legacy"],
        flags: [VideoFlags.sessionID, role, expireTime, expiresIn, data, layoutClass, format] + VideoConnection.credentialFlags,
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let instant = inv.clock.now()
        let now = Int(instant.timeIntervalSince1970.rounded(.down))
        var request = ClientTokenRequest(sessionID: "", role: try inv.value(role))
        let at = try inv.value(expireTime), lifetime = try inv.value(expiresIn)
        request.connectionData = try inv.value(data)
        request.initialLayoutClasses = try inv.values(layoutClass)
        let format = try inv.value(format)
        request.sessionID = try inv.required(VideoFlags.sessionID)
        let credentials = try VideoCredentialOptions.parse(inv)
        if at != nil && inv.isGiven(expiresIn) { throw .usage("--expire-time and --expires-in cannot be combined") }
        if let at {
            guard let seconds = parseTime(at) else {
                throw .usage("--expire-time: '\(at)' is neither epoch seconds nor an ISO-8601 time such as 2030-01-01T00:00:00Z")
            }
            request.expireTime = seconds
        } else if let lifetime {
            request.expireTime = now + lifetime
        }
        if credentials.platform == .vonage && format == .legacy {
            throw .usage("--format legacy: T1== tokens exist only for OpenTok credentials; Vonage client tokens are JWTs")
        }
        // Checked before the secret or key is read, with the flags named.
        let checked: (expireTime: Int, layoutClassList: String)
        do throws(MediaError) {
            checked = try VideoCredentials.validate(request, platform: credentials.platform, projectID: credentials.projectID, now: now)
        } catch {
            throw .usage(tokenProblem(error))
        }
        return Options(request: request, format: format, expireTime: checked.expireTime, credentials: credentials, now: instant)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let credentials = try ctx.videoCredentials(o.credentials)
        let token = try credentials.clientToken(o.request, format: o.format, now: o.now, nonce: OpenTokClientToken.randomNonce(),
                                                jti: VonageAuthHeader.randomJTI())
        // The token grants access: stdout only; --output id prints it as text does.
        ctx.emit(json: .object([("token", .string(token)), ("sessionId", .string(o.request.sessionID)), ("role", .string(o.request.role.rawValue)),
                                ("expireTime", .int(o.expireTime)), ("format", .string(o.format.rawValue))]),
                 ids: [token]) { ctx.io.out(token) }
    }

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
}
