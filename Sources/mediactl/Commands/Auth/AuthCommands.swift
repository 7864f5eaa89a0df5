// `mediactl auth`: credentials (the OpenTok `session` group owns the word "session", hence `auth`).
// Each verb is a file of this folder.
import MediaKit

enum AuthCommands {
    static let group = CommandSpec(
        name: "auth", summary: "Credentials: renew a security token (docs/auth-modes.md explains the --auth modes)",
        subcommands: [AuthRefresh.command])
}
