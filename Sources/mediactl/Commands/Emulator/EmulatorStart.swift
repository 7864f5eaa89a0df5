// `mediactl emulator start`: start the emulator in the background (or find the running one) and print its exports.
import MediaKit

enum EmulatorStart {
    struct Options {
        var stateDir: String
        var port: Int
        var jobSeconds: Double
        var simulateMedia: Bool
        var binary: String?
        var timeout: Double
    }

    static let port = Flag.integer("port", 0...65535, help: "loopback port (0 picks a free one)")
        .env("MEDIACTL_EMULATOR_PORT").notFromDefaultsFile().defaulting(to: 0)
    static let jobSeconds = Flag.number("job-seconds", 0...86_400, help: "how long a simulated job takes from ACCEPTED to SUCCEEDED")
        .notFromDefaultsFile().defaulting(to: 6)
    static let simulateMedia = Switch("simulate-media",
                                      help: "simulate jobs on the clock instead of running ffmpeg on the emulator's objects (the default without ffmpeg)")
    static let binary = Flag.file("emulator-binary", help: "the mediactl-emulator to run (default: next to mediactl, else PATH)")
        .env("MEDIACTL_EMULATOR_BIN").notFromDefaultsFile()
    static let timeout = CommonFlags.timeout(default: 30)

    static let command = CommandSpec.verb(
        "start", summary: "Start the emulator in the background and print the `export` lines that point mediactl at it",
        description: "Waits until it answers. If one is already running on the state directory, prints its settings again. "
            + "Its state (SQLite) survives restarts; its log is emulator.log in the state directory.\n"
            + "At a terminal it prints a summary instead of the export lines: the variables' names, not their (secret) values.",
        examples: ["eval \"$(mediactl emulator start --port 0)\"", "mediactl emulator start --output json"],
        flags: [port, EmulatorCommands.stateDir, jobSeconds, simulateMedia, binary, timeout],
        parse: { inv throws(MediaError) in
            Options(stateDir: try EmulatorCommands.stateDirectory(inv), port: try inv.value(port), jobSeconds: try inv.value(jobSeconds),
                    simulateMedia: try inv.value(simulateMedia), binary: try inv.value(binary), timeout: try inv.value(timeout))
        },
        run: run)

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let dir = o.stateDir
        if let running = EmulatorProcess.running(dir) {
            ctx.io.progress("The emulator is already running at \(running.endpoint) (pid \(running.pid)).")
            EmulatorCommands.render(running, dir: dir, ctx)
            return
        }
        let binary = try EmulatorProcess.binary(explicit: o.binary, environment: ctx.environment)
        let jobSeconds = o.jobSeconds == o.jobSeconds.rounded() ? String(Int(o.jobSeconds)) : String(o.jobSeconds)
        let pid = try EmulatorProcess.spawn(binary: binary, arguments: ["serve", "--port", String(o.port), "--state", dir, "--job-seconds", jobSeconds]
                                                + (o.simulateMedia ? ["--simulate-media"] : []), dir: dir)
        ctx.io.progress("Started \(binary) (pid \(pid)); log: \(dir)/emulator.log")
        guard let running = EmulatorProcess.waitUntilAnswering(dir, pid: pid, timeout: o.timeout) else {
            let tail = EmulatorProcess.logTail(dir)
            throw .network("the emulator did not answer within \(Int(o.timeout)) s" + (tail.isEmpty ? "" : "; its log ends: \(tail)"))
        }
        ctx.io.progress("The emulator answers at \(running.endpoint).")
        EmulatorCommands.render(running, dir: dir, ctx)
    }
}
