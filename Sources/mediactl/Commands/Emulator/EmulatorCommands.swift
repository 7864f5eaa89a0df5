// `mediactl emulator start|stop|status`: runs `mediactl-emulator` in the background and prints how to point mediactl at it.
// Each verb is a file of this folder; the state directory flag and the way a running emulator is shown are here.
import MediaKit

enum EmulatorCommands {
    static let group = CommandSpec(
        name: "emulator", summary: "A local Media Services, Media Streams and OpenTok emulator for offline work and CI",
        description: "Runs the `mediactl-emulator` binary (next to mediactl, or on PATH) in the background on a loopback port, "
            + "with a throw-away API key and an OCI config profile EMULATOR in its state directory.\n"
            + "Point mediactl at it with: eval \"$(mediactl emulator start)\"",
        examples: ["eval \"$(mediactl emulator start)\" && mediactl workflow build",
                   "mediactl emulator status --output json",
                   "mediactl emulator stop"],
        subcommands: [EmulatorStart.command, EmulatorStop.command, EmulatorStatus.command])

    static let stateDir = Flag.file("state-dir", meta: "DIR", help: "the emulator's state directory (default $XDG_STATE_HOME/mediactl/emulator)")
        .env("MEDIACTL_EMULATOR_STATE_DIR").notFromDefaultsFile()

    /// `--state-dir` > MEDIACTL_EMULATOR_STATE_DIR > $XDG_STATE_HOME/mediactl/emulator > ~/.local/state/mediactl/emulator.
    static func stateDirectory(_ inv: Invocation) throws(MediaError) -> String {
        if let given = try inv.value(stateDir) { return inv.expand(given) }
        return "\(StatePaths.directory(environment: inv.environment, home: inv.home))/emulator"
    }

    /// text: `export` lines for eval (stdout not a terminal: `eval "$(...)"`, a pipe, a file); at a terminal, a summary
    /// for a person that names the variables but prints no value (they hold the emulator's throw-away secrets, e.g. the
    /// OpenTok API secret, which need not end up in a scrollback or a screen share); json: one object; id: the endpoint.
    static func render(_ running: EmulatorProcess.Running, dir: String, _ ctx: CommandContext) {
        ctx.emit(json: .object([("running", true), ("endpoint", .string(running.endpoint)), ("pid", .int(Int(running.pid))),
                                ("stateDir", .string(dir)), ("log", .string("\(dir)/emulator.log")),
                                ("environment", .object(running.environment.map { ($0.0, .string($0.1)) }))]),
                 ids: [running.endpoint]) {
            guard ctx.io.terminal.stdoutIsTTY else {
                for (name, value) in running.environment { ctx.io.out("export \(name)=\(ShellQuoting.quoted(value))") }
                return
            }
            ctx.io.out(summary(running, dir: dir, defaultDir: "\(StatePaths.directory(environment: ctx.environment, home: ctx.home))/emulator",
                               width: ctx.io.terminal.width), terminator: "")
        }
    }

    /// What a person at a terminal sees: where it runs, and how to set the variables (names only, no values).
    static func summary(_ running: EmulatorProcess.Running, dir: String, defaultDir: String, width: Int) -> String {
        let stateFlag = dir == defaultDir ? "" : " --state-dir \(ShellQuoting.quoted(dir))"
        var out = "endpoint:   \(running.endpoint)\npid:        \(running.pid)\nstate dir:  \(dir)\nlog:        \(dir)/emulator.log\n"
        out += Help.hanging("variables:", running.environment.map(\.0).joined(separator: ", "), column: 12, width: width)
        out += "To set them in this shell:\n  eval \"$(mediactl emulator status\(stateFlag))\"\n"
        return out
    }
}
