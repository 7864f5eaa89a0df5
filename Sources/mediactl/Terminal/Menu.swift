// `mediactl` alone on a terminal: the lab's choices, then a prompt for each missing value. The menu carries on
// through the lab (build → run and wait → stream → ingest → playback URL → video session → archive), offering
// the next step as the default choice and each id a step printed as the next prompt's default.
import FoundationEssentials
import MediaKit

enum Menu {
    struct Choice: Sendable {
        let key: String
        let label: String
        /// The command line the choice runs; values it lacks are prompted for.
        let arguments: [String]
        /// The lab's next step, offered as the default choice once this one succeeded.
        let next: String?
    }

    static let choices: [Choice] = [
        Choice(key: "build", label: "build a workflow", arguments: ["workflow", "build"], next: "run"),
        Choice(key: "run", label: "run a job and wait for it", arguments: ["job", "run", "--wait"], next: "stream"),
        Choice(key: "stream", label: "build streaming config (channel, CDN, packaging)", arguments: ["channel", "build"], next: "ingest"),
        Choice(key: "ingest", label: "ingest a playlist", arguments: ["ingest"], next: "session"),
        Choice(key: "session", label: "get a session (playback) URL", arguments: ["playback-url"], next: "video-session"),
        Choice(key: "video-session", label: "create a video session (OpenTok)", arguments: ["session", "create"], next: "archive-start"),
        Choice(key: "archive-start", label: "start an archive", arguments: ["archive", "start"], next: "archive-stop"),
        Choice(key: "archive-stop", label: "stop an archive", arguments: ["archive", "stop"], next: nil),
    ]

    static let quitWords: Set<String> = ["q", "quit", "exit"]

    /// The choices whose commands exist in this build.
    static var available: [Choice] {
        choices.filter { choice in
            var command: CommandSpec? = CommandTable.root
            for name in choice.arguments where !name.hasPrefix("-") { command = command?.subcommand(name) }
            return command?.action != nil
        }
    }

    /// Runs choices until the person quits (q, or Ctrl-D at the choice). The exit code is the last step's; Ctrl-D before
    /// any step is a cancellation, and an interrupted step ends the menu with its code.
    static func run(io: IOStreams, environment: [String: String], home: String) -> ExitCode {
        let options = available
        io.rawStderr("What do you want to do?\n")
        for (i, c) in options.enumerated() { io.rawStderr("  \(i + 1)) \(c.key.padded(to: 14)) \(c.label)\n") }
        var suggested = options[0]
        var last: ExitCode?
        while true {
            let line = PromptLine(prompt: "choice [\(suggested.key)]: ", completions: options.map(\.key) + ["quit"], history: "menu")
            guard let answer = io.prompter.readLine(line) else {
                io.rawStderr("\n")
                if last == nil { io.note(MediaError.declined.declinedLine ?? "Cancelled.") }
                return last ?? .cancelled
            }
            let text = answer.trimming(.whitespaces).lowercased()
            if quitWords.contains(text) { return last ?? .ok }
            let byNumber = Int(text).flatMap { options.indices.contains($0 - 1) ? options[$0 - 1] : nil }
            guard let pick = text.isEmpty ? suggested : (byNumber ?? options.first { $0.key == text }) else {
                io.error("'\(text)' is not one of: \(options.map(\.key).joined(separator: ", ")) (or q to quit); try again")
                continue
            }
            let code = runStep(pick, io: io, environment: environment)
            last = code
            if code == .interrupted || code == .terminated { return code }
            if code == .ok, let next = pick.next.flatMap({ key in options.first { $0.key == key } }) {
                suggested = next
                io.rawStderr("\nNext: \(next.label). Enter runs it; a number or name picks another; q quits.\n")
            } else if code == .ok {
                io.rawStderr("\nThat was the lab's last step. Pick another (a number or name), or q to quit.\n")
            } else {
                suggested = pick
                io.rawStderr("\nEnter tries `\(pick.key)` again; a number or name picks another; q quits.\n")
            }
        }
    }

    /// One choice; an archive with no video session yet in this menu (nor OPENTOK_SESSION_ID) first creates one, if the
    /// person agrees, so its id is the archive's default.
    static func runStep(_ pick: Choice, io: IOStreams, environment: [String: String]) -> ExitCode {
        if pick.key == "archive-start", io.lastPrinted(kinds: ["session"]) == nil,
           EnvironmentVariables.value("OPENTOK_SESSION_ID", in: environment) == nil,
           let session = choices.first(where: { $0.key == "video-session" }) {
            let ask = PromptLine(prompt: "An archive records a video session: create one first? [Y/n]: ")
            guard let answer = io.prompter.readLine(ask) else {
                io.rawStderr("\n")
                return .cancelled
            }
            if !["n", "no"].contains(answer.trimming(.whitespaces).lowercased()) {
                let code = Runner.run(session.arguments, io: io, environment: environment)
                guard code == .ok else { return code }
            }
        }
        return Runner.run(pick.arguments, io: io, environment: environment)
    }
}
