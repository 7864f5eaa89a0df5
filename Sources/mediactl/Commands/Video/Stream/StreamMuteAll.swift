// `mediactl stream mute-all`: mute every stream of a session, and streams published later, until unmute-all.
import MediaKit

enum StreamMuteAll {
    struct Options {
        var sessionID: String
        var excluded: [String]
        var connection: VideoConnectionOptions
    }

    static let exclude = Flag.text("exclude", meta: "STREAM_ID", help: "a stream to leave unmuted").repeatable().notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "mute-all", summary: "Mute every stream of a session, and streams published later, until unmute-all",
        examples: ["mediactl stream mute-all --session-id $SESSION --exclude $PRESENTER_STREAM"],
        flags: [VideoFlags.sessionID, exclude] + VideoConnection.flags,
        parse: { inv throws(MediaError) in
            let excluded = try inv.values(exclude)
            return Options(sessionID: try inv.required(VideoFlags.sessionID), excluded: excluded, connection: try VideoConnectionOptions.parse(inv))
        },
        run: { o, ctx throws(MediaError) in
            try ctx.openTokClient(o.connection).muteAll(sessionID: o.sessionID, excluding: o.excluded)
            ctx.renderDone("Muted every stream of session \(o.sessionID)\(o.excluded.isEmpty ? "" : " except \(o.excluded.joined(separator: ", "))")",
                           id: o.sessionID,
                           record: [("sessionId", .string(o.sessionID)), ("active", true), ("excludedStreams", .array(o.excluded.map(JSONValue.string)))])
        })
}
