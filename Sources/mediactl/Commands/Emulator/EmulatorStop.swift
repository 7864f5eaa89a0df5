// `mediactl emulator stop`: SIGTERM to the background emulator (SIGKILL after --timeout); its state is kept.
import MediaKit

enum EmulatorStop {
    static let timeout = CommonFlags.timeout(default: 10)

    static let command = CommandSpec.verb(
        "stop", summary: "Stop the background emulator (SIGTERM; its state is kept)",
        flags: [EmulatorCommands.stateDir, timeout],
        parse: { inv throws(MediaError) in (stateDir: try EmulatorCommands.stateDirectory(inv), timeout: try inv.value(timeout)) },
        run: { o, ctx throws(MediaError) in
            guard let pid = EmulatorProcess.pid(o.stateDir) else {
                ctx.io.progress("No emulator is running on \(o.stateDir).")
                return
            }
            if !EmulatorProcess.stop(pid, timeout: o.timeout) {
                ctx.io.warn("the emulator (pid \(pid)) did not stop within \(Int(o.timeout)) s; killed it")
            }
            EmulatorProcess.clearRunningFiles(o.stateDir)
            ctx.io.progress("Stopped the emulator (pid \(pid)).")
        })
}
