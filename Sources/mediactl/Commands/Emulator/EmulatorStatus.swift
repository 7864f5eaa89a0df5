// `mediactl emulator status`: whether the emulator runs, where, and its exports (exit 1 if it does not run).
import MediaKit

enum EmulatorStatus {
    static let command = CommandSpec.verb(
        "status", summary: "Say whether the emulator is running, where, and how to point mediactl at it (exit 1 if not)",
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
