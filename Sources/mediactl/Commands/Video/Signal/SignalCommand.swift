// `mediactl signal`: send a signal to every client of a session, or to one connection.
import MediaKit

enum SignalCommand {
    struct Options {
        var sessionID: String
        var connectionID: String?
        var message: SignalMessage
        var connection: VideoConnectionOptions
    }

    static let type = Flag.text("type", meta: "TYPE", help: "signal type: letters, digits, '-', '_', '~'; at most 128 bytes").notFromDefaultsFile()
    static let data = Flag.text("data", meta: "TEXT", help: "the payload, at most 8 kB").notFromDefaultsFile().prompt("Signal data")

    static let command = CommandSpec.verb(
        "signal", summary: "Send a signal to every client of a session, or to one connection",
        examples: ["mediactl signal --session-id $SESSION --type chat --data 'hello'",
                   "mediactl signal --session-id $SESSION --connection-id $CONN --data '{\"mute\":true}'"],
        flags: [VideoFlags.sessionID, VideoFlags.connectionID, type, data] + VideoConnection.flags,
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let type = try inv.value(type)
        let target = try inv.value(VideoFlags.connectionID)
        let session = try inv.required(VideoFlags.sessionID)
        let message = SignalMessage(type: type, data: try inv.required(data))
        let connection = try VideoConnectionOptions.parse(inv)
        do throws(MediaError) { try message.validate() } catch { throw .usage((error.message.contains("type") ? "--type: " : "--data: ") + error.message) }
        return Options(sessionID: session, connectionID: target, message: message, connection: connection)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        try ctx.openTokClient(o.connection).signal(sessionID: o.sessionID, connectionID: o.connectionID, o.message)
        let target = o.connectionID.map { "connection \($0)" } ?? "every connection of session \(o.sessionID)"
        var record: [(String, JSONValue)] = [("sessionId", .string(o.sessionID))]
        if let connection = o.connectionID { record.append(("connectionId", .string(connection))) }
        record.append(("signal", o.message.json))
        ctx.renderDone("Signalled \(target)", id: o.connectionID ?? o.sessionID, record: record)
    }
}
