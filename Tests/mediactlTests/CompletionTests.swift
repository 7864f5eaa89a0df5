// Shell completion: candidates from the command table, committed scripts that match the binary,
// and bash asked for real completions of partial command lines.
import Foundation
import Testing
import TestSupport

@Suite struct CompletionTests {
    func complete(_ words: [String]) throws -> [String] {
        try CLIRunner.run(["__complete"] + words, environment: [:]).stdoutLines.map { String($0.split(separator: "\t").first ?? "") }
    }

    @Test func groupsVerbsFlagsAndValues() throws {
        #expect(try complete(["ch"]) == ["channel"])
        #expect(try complete(["channel", ""]).contains("build"))
        #expect(try complete(["channel", "build", "--seg"]) == ["--segment-seconds"])
        #expect(try complete(["channel", "build", "--encryption", ""]) == ["NONE", "AES128"])
        #expect(try complete(["channel", "build", "--encryption=A"]) == ["--encryption=AES128"])
        #expect(try complete(["--output", "j"]) == ["json"])
        #expect(try complete(["workflow", "build", "--file", ""]) == ["__files__"])
        #expect(try complete(["channel", "build", "--name", "x", "--na"]).isEmpty, "a flag given once is not offered again")
    }

    @Test func committedScriptsMatchTheBinary() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for shell in ["bash", "zsh", "fish"] {
            let generated = try CLIRunner.run(["completion", shell], environment: [:]).stdout
            let committed = String(decoding: FileManager.default.contents(atPath: root.appendingPathComponent("completions/mediactl.\(shell)").path) ?? Data(), as: UTF8.self)
            #expect(generated == committed, "completions/mediactl.\(shell) is stale: run `mediactl completion \(shell) > completions/mediactl.\(shell)`")
        }
    }

    @Test func bashCompletesPartialLines() throws {
        let bin = URL(fileURLWithPath: CLIRunner.binary).deletingLastPathComponent().path
        let script = try CLIRunner.run(["completion", "bash"], environment: [:]).stdout
        func ask(_ line: [String]) throws -> [String] {
            let words = line.map { "'\($0)'" }.joined(separator: " ")
            let program = "\(script)\nCOMP_WORDS=(mediactl \(words)); COMP_CWORD=\(line.count); _mediactl; printf '%s\\n' \"${COMPREPLY[@]}\""
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["-c", program]
            p.environment = ["PATH": "\(bin):/usr/bin:/bin"]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        #expect(try ask(["wor"]) == ["workflow", "workflow-config"])
        #expect(try ask(["job", "r"]) == ["run", "remove-lock"])
        #expect(try ask(["channel", "build", "--format", ""]).sorted() == ["DASH", "HLS"])
        // As an interactive bash splits `--output=j` at '=' (COMP_WORDBREAKS): the reply replaces only what follows '='.
        #expect(try ask(["job", "list", "--output", "=", "j"]) == ["json"])
        #expect(try ask(["job", "list", "--output", "="]).sorted() == ["id", "json", "table", "text"])
        // Without the split (COMP_WORDBREAKS lacking '='), the whole word is replaced.
        #expect(try ask(["job", "list", "--output=j"]) == ["--output=json"])
    }

    var binDir: String { URL(fileURLWithPath: CLIRunner.binary).deletingLastPathComponent().path }

    /// fish's own completion engine: `complete -C` prints what Tab would offer.
    @Test func fishCompletesPartialLines() throws {
        let dir = TemporaryDirectory()
        let script = dir.write("mediactl.fish", try CLIRunner.run(["completion", "fish"], environment: [:]).stdout)
        func ask(_ line: String) throws -> [String] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/fish")
            p.arguments = ["--no-config", "-c", "source \(script); complete -C '\(line)'"]
            p.environment = ["PATH": "\(binDir):/usr/bin:/bin", "HOME": dir.path]
            let out = dir.write("out", "")
            p.standardOutput = FileHandle(forWritingAtPath: out)
            try p.run()
            p.waitUntilExit()
            return (try String(contentsOfFile: out, encoding: .utf8)).split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
        }
        #expect(try ask("mediactl wor") == ["workflow", "workflow-config"])
        #expect(try ask("mediactl channel build --form").contains("--format"))
        #expect(try ask("mediactl channel build --encryption ").sorted() == ["AES128", "NONE"])
    }

    /// An interactive zsh on a pseudo-terminal, with compinit and the script loaded, pressing Tab.
    @Test func zshCompletesPartialLines() throws {
        let dir = TemporaryDirectory()
        let script = dir.write("_mediactl", try CLIRunner.run(["completion", "zsh"], environment: [:]).stdout)
        let zsh = try PseudoTerminalSession(["-f", "-i"], environment: ["PATH": "\(binDir):/usr/bin:/bin", "HOME": dir.path],
                                            executable: "/usr/bin/zsh")
        zsh.send("PS1='READY> '; autoload -U compinit; compinit -u; source \(script)\r")
        #expect(zsh.expect("READY> "))
        var mark = zsh.output.count
        zsh.send("mediactl wor\t")
        #expect(zsh.expect("mediactl workflow", after: mark))
        zsh.send("\u{15}")          // Ctrl-U: clear the line
        mark = zsh.output.count
        zsh.send("mediactl channel build --format \t")
        #expect(zsh.expect("DASH", after: mark))
        #expect(zsh.expect("HLS", after: mark))
        zsh.send("\u{15}exit\r")
    }

    /// bash, fish and zsh each complete an id an earlier run printed (the per-user cache), and only where that kind fits.
    @Test func theShellsCompleteAnIDAnEarlierRunPrinted() throws {
        let h = try EmulatorHarness()
        let workflow = try h.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(workflow.hasPrefix("ocid1.mediaworkflow."))
        // No compartment: no live list, so what completes is what the earlier run printed.
        var env = ["PATH": "\(binDir):/usr/bin:/bin", "HOME": h.environment["HOME"]!, "XDG_STATE_HOME": h.environment["XDG_STATE_HOME"]!]
        func shell(_ executable: String, _ arguments: [String]) throws -> [String] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: executable)
            p.arguments = arguments
            p.environment = env
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
        }
        let bash = try CLIRunner.run(["completion", "bash"], environment: [:]).stdout
        func bashAsk(_ words: String, _ count: Int) throws -> [String] {
            try shell("/bin/bash", ["-c", "\(bash)\nCOMP_WORDS=(mediactl \(words)); COMP_CWORD=\(count); _mediactl; printf '%s\\n' \"${COMPREPLY[@]}\""])
        }
        #expect(try bashAsk("workflow get ocid1.media", 3) == [workflow])
        #expect(try bashAsk("job run --workflow-id ''", 4) == [workflow])
        #expect(try bashAsk("channel get ''", 3).isEmpty, "a workflow is not offered for a channel")

        let dir = TemporaryDirectory()
        let fish = dir.write("mediactl.fish", try CLIRunner.run(["completion", "fish"], environment: [:]).stdout)
        #expect(try shell("/usr/bin/fish", ["--no-config", "-c", "source \(fish); complete -C 'mediactl workflow get '"]) == [workflow])

        env["HOME"] = dir.path
        env["XDG_STATE_HOME"] = h.environment["XDG_STATE_HOME"]!
        let zshScript = dir.write("_mediactl", try CLIRunner.run(["completion", "zsh"], environment: [:]).stdout)
        let zsh = try PseudoTerminalSession(["-f", "-i"], environment: env, executable: "/usr/bin/zsh")
        zsh.send("PS1='READY> '; autoload -U compinit; compinit -u; source \(zshScript)\r")
        #expect(zsh.expect("READY> "))
        let mark = zsh.output.count
        zsh.send("mediactl workflow get ocid1.med\t")
        #expect(zsh.expect(workflow, after: mark))
        zsh.send("\u{15}exit\r")
    }
}
