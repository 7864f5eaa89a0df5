// `mediactl emulator status`: whether the emulator runs, where, and its exports (a summary at a terminal; exit 1 if it does not run).
import MediaKit

enum EmulatorStatus {
    static let command = CommandSpec.verb(
        "status", summary: "Say whether the emulator is running, where, and how to point mediactl at it (exit 1 if not)",
        description: "Prints the export lines for `eval \"$(mediactl emulator status)\"`; at a terminal, a summary instead:\n"
            + "endpoint, pid, state directory, log and the variables' names, not their (secret) values.",
        flags: [EmulatorCommands.stateDir],
        parse: { inv throws(MediaError) in try EmulatorCommands.stateDirectory(inv) },
        run: { dir, ctx throws(MediaError) in
            guard let running = EmulatorProcess.running(dir) else {
                if ctx.output == .json {
                    ctx.io.out(JSONValue.object([("running", false), ("stateDir", .string(dir))]).prettyText)
                } else {
                    ctx.io.progress("The emulator is not running (state directory \(dir)).")
                }
                throw .reported(.failed("the emulator is not running"))
            }
            ctx.io.progress("The emulator is running at \(running.endpoint) (pid \(running.pid)).")
            EmulatorCommands.render(running, dir: dir, ctx)
        })
}
