// `emulator start` and `emulator status` at a terminal print a summary for a person (no secret values); for eval
// and pipes they print the `export` lines as before. In-process (TerminalFacts says whether stdout is a terminal),
// against a real mediactl-emulator that `emulator start` spawns on a loopback port.
import Foundation
import MediaKit
import Testing
import TestSupport
@testable import mediactl

@Suite struct EmulatorAtATerminalTests {
    static let atTerminal = TerminalFacts(stdinIsTTY: true, stdoutIsTTY: true, stderrIsTTY: true, width: 80)
    static let piped = TerminalFacts(stdinIsTTY: true, stdoutIsTTY: false, stderrIsTTY: true, width: 80)

    @Test func aTerminalGetsASummaryWithoutSecretsAndEvalGetsTheExports() throws {
        let dir = TemporaryDirectory()
        let state = "\(dir.path)/state"
        let env = ["MEDIACTL_EMULATOR_BIN": (CLIRunner.binary as NSString).deletingLastPathComponent + "/mediactl-emulator", "CI": "true"]
        let start = InProcess.run(["emulator", "start", "--state-dir", state], env: env, terminal: Self.atTerminal)
        defer { _ = InProcess.run(["emulator", "stop", "--state-dir", state], env: env) }
        #expect(start.status == 0, "\(start.stderr)")

        // The values, as JSON gives them (unchanged at a terminal).
        let json = InProcess.run(["emulator", "status", "--state-dir", state, "--output", "json"], env: env, terminal: Self.atTerminal)
        #expect(json.status == 0, "\(json.stderr)")
        let doc = try JSONParser.parse(Data(json.stdout.utf8))
        let secret = try #require(doc["environment"]?["OPENTOK_API_SECRET"]?.stringValue)
        let endpoint = try #require(doc["endpoint"]?.stringValue)
        let pid = try #require(doc["pid"]?.intValue)
        #expect(secret.count >= 20)

        for (name, r) in [("start", start), ("status", InProcess.run(["emulator", "status", "--state-dir", state], env: env, terminal: Self.atTerminal))] {
            #expect(r.status == 0, "\(name): \(r.stderr)")
            #expect(!r.stdout.contains(secret) && !r.stderr.contains(secret), "\(name) shows the secret at a terminal")
            #expect(!r.stdout.contains("export "), "\(name): \(r.stdout)")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains("endpoint:   \(endpoint)"), "\(name): \(r.stdout)")
            #expect(lines.contains("pid:        \(pid)"), "\(name): \(r.stdout)")
            #expect(lines.contains("state dir:  \(state)"), "\(name): \(r.stdout)")
            #expect(lines.contains("log:        \(state)/emulator.log"), "\(name): \(r.stdout)")
            for variable in ["MEDIACTL_ENDPOINT", "OPENTOK_API_SECRET", "OCI_CLI_PROFILE"] { #expect(r.stdout.contains(variable), "\(name): \(variable)") }
            #expect(lines.suffix(2) == ["To set them in this shell:", "  eval \"$(mediactl emulator status --state-dir \(ShellQuoting.quoted(state)))\""],
                    "\(name): \(r.stdout)")
            #expect(lines.filter { !$0.contains(state) }.allSatisfy { $0.count <= 80 }, "the names wrap at the width: \(r.stdout)")
        }

        // Not a terminal (eval "$(...)", a pipe): the export lines, secret and all, exactly as the env file has them.
        let evaluated = InProcess.run(["emulator", "status", "--state-dir", state], env: env, terminal: Self.piped)
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        #expect(evaluated.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("export ") }, "\(evaluated.stdout)")
        #expect(evaluated.stdout.contains("export OPENTOK_API_SECRET=\(secret)\n"))
        #expect(evaluated.stdout.contains("export MEDIACTL_ENDPOINT=\(endpoint)\n"))
        #expect(!evaluated.stderr.contains(secret))
        let again = InProcess.run(["emulator", "start", "--state-dir", state], env: env, terminal: Self.piped)
        #expect(again.stdout == evaluated.stdout, "start finds the running one and prints the same exports")
    }
}
