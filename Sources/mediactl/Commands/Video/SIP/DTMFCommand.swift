// `mediactl dtmf`: play DTMF tones to the SIP participants of a session, or to one connection.
import MediaKit

enum DTMFCommand {
    struct Options {
        var sessionID: String
        var connectionID: String?
        var digits: String
        var connection: VideoConnectionOptions
    }

    static let digits = Flag.text("digits", meta: "DIGITS", help: "0-9, *, #, and p for a 500 ms pause").notFromDefaultsFile().prompt("DTMF digits")

    static let command = CommandSpec.verb(
        "dtmf", summary: "Play DTMF tones to the SIP participants of a session, or to one connection",
        examples: ["mediactl dtmf --session-id $SESSION --digits '1713p#'"],
        flags: [VideoFlags.sessionID, VideoFlags.connectionID, digits] + VideoConnection.flags,
        parse: { inv throws(MediaError) in
            let target = try inv.value(VideoFlags.connectionID)
            let o = Options(sessionID: try inv.required(VideoFlags.sessionID), connectionID: target, digits: try inv.required(digits),
                            connection: try VideoConnectionOptions.parse(inv))
            do throws(MediaError) { try DTMFDigits.validate(o.digits) } catch { throw .usage("--digits: \(error.message)") }
            return o
        },
        run: { o, ctx throws(MediaError) in
            try ctx.openTokClient(o.connection).playDTMF(sessionID: o.sessionID, connectionID: o.connectionID, digits: o.digits)
            var record: [(String, JSONValue)] = [("sessionId", .string(o.sessionID))]
            if let connection = o.connectionID { record.append(("connectionId", .string(connection))) }
            record.append(("digits", .string(o.digits)))
            ctx.renderDone("Played \(o.digits) to \(o.connectionID.map { "connection \($0)" } ?? "session \(o.sessionID)")",
                           id: o.connectionID ?? o.sessionID, record: record)
        })
}
