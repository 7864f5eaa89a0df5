// `mediactl` alone on a terminal: the lab's choices, then a prompt for each missing value.
import FoundationEssentials

enum Menu {
    /// Each choice runs a command path from the table; values it lacks are prompted for.
    static let choices: [(key: String, label: String, path: [String])] = [
        ("build", "build a workflow", ["workflow", "build"]),
        ("run", "run a job", ["job", "run"]),
        ("stream", "build streaming config (channel, CDN, packaging)", ["channel", "build"]),
        ("ingest", "ingest a playlist", ["ingest"]),
        ("session", "get a session (playback) URL", ["playback-url"]),
        ("archive-start", "start an archive", ["archive", "start"]),
        ("archive-stop", "stop an archive", ["archive", "stop"]),
    ]

    /// The choices whose commands exist in this build.
    static var available: [(key: String, label: String, path: [String])] {
        choices.filter { choice in
            var command: CommandSpec? = CommandTable.root
            for name in choice.path { command = command?.subcommand(name) }
            return command?.action != nil
        }
    }

    static func run(io: IOStreams, environment: [String: String], home: String) -> ExitCode {
        let options = available
        io.rawStderr("What do you want to do?\n")
        for (i, c) in options.enumerated() { io.rawStderr("  \(i + 1)) \(c.key.padded(to: 14)) \(c.label)\n") }
        while true {
            guard let answer = io.prompter.readLine(prompt: "choice [build]: ", completions: options.map(\.key)) else {
                io.rawStderr("\n")
                return .cancelled
            }
            let text = answer.trimming(.whitespaces).lowercased()
            let pick = text.isEmpty ? options.first : (Int(text).flatMap { options.indices.contains($0 - 1) ? options[$0 - 1] : nil }
                ?? options.first { $0.key == text })
            guard let pick else {
                io.error("'\(text)' is not one of: \(options.map(\.key).joined(separator: ", ")); try again (Ctrl-D cancels)")
                continue
            }
            return Runner.run(pick.path, io: io, environment: environment)
        }
    }
}
