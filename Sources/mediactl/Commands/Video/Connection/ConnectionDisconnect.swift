// `mediactl connection disconnect`: force a client to leave a session.
import MediaKit

enum ConnectionCommands {
    static let group = CommandSpec(
        name: "connection", summary: "Connections of an OpenTok session: force one to disconnect", subcommands: [disconnect])

    struct Options {
        var sessionID: String
        var connectionID: String
        var connection: VideoConnectionOptions
    }

    static let connectionID = Positional<String>.text("connection-id", help: "the connection's ID", prompt: "Connection ID")

    static let disconnect = CommandSpec.verb(
        "disconnect", summary: "Force a client to leave a session",
        flags: [VideoFlags.sessionID] + VideoConnection.flags, positionals: [connectionID.spec],
        parse: { inv throws(MediaError) in
            let id = try inv.required(connectionID)
            return Options(sessionID: try inv.required(VideoFlags.sessionID), connectionID: id, connection: try VideoConnectionOptions.parse(inv))
        },
        run: { o, ctx throws(MediaError) in
            try ctx.openTokClient(o.connection).disconnect(sessionID: o.sessionID, connectionID: o.connectionID)
            ctx.renderDone("Disconnected \(o.connectionID) from session \(o.sessionID)", id: o.connectionID,
                           record: [("sessionId", .string(o.sessionID)), ("connectionId", .string(o.connectionID)), ("disconnected", true)])
        })
}
