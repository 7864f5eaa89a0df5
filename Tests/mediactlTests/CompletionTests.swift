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
        #expect(try ask(["wor"]) == ["workflow"])
        #expect(try ask(["job", "r"]) == ["run"])
        #expect(try ask(["channel", "build", "--format", ""]).sorted() == ["DASH", "HLS"])
    }
}
