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

    /// text: `export` lines for eval; json: one object; id: the endpoint.
    static func render(_ running: EmulatorProcess.Running, dir: String, _ ctx: CommandContext) {
        ctx.emit(json: .object([("running", true), ("endpoint", .string(running.endpoint)), ("pid", .int(Int(running.pid))),
                                ("stateDir", .string(dir)), ("log", .string("\(dir)/emulator.log")),
                                ("environment", .object(running.environment.map { ($0.0, .string($0.1)) }))]),
                 ids: [running.endpoint]) {
            for (name, value) in running.environment { ctx.io.out("export \(name)=\(ShellQuoting.quoted(value))") }
        }
    }
}
