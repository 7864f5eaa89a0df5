// Runs mediactl's runner in this process: argv in; stdout, stderr, exit code and the prompts shown out.
// The terminal is a value (TerminalFacts), so prompts run with scripted answers and no pty.
import Foundation
import MediaKit
@testable import mediactl

struct InProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
    let prompts: [String]
    /// What each scripted Tab press (an answer ending in "\t") was offered.
    var offered: [[String]] = []
    /// Accepted answers and the history each went to.
    var remembered: [(history: String, answer: String)] = []
}

enum InProcess {
    /// An environment with no user config: HOME and XDG dirs in a fresh temporary folder.
    static func isolatedEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        let home = NSTemporaryDirectory() + "mediactl-inproc-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        var env = ["HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_STATE_HOME": home + "/.state", "PATH": "/usr/bin:/bin"]
        env.merge(extra) { $1 }
        return env
    }

    static func run(_ arguments: [String], env: [String: String] = [:], terminal: TerminalFacts = TerminalFacts(),
                    stdin: String = "", answers: [String] = []) -> InProcessResult {
        let environment = isolatedEnvironment(env)
        let (io, captured, prompter) = IOStreams.capturing(terminal: terminal, stdin: Data(stdin.utf8), answers: answers)
        let code = Runner.run(arguments, io: io, environment: environment)
        return InProcessResult(status: code.rawValue, stdout: captured.stdout, stderr: captured.stderr, prompts: prompter.prompts,
                               offered: prompter.offered, remembered: prompter.remembered)
    }
}
