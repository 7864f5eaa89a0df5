// The parser, prompts and help run in this process (`InProcess.run`): argv, terminal facts and scripted answers in;
// stdout, stderr, the exit code and the prompts shown out. The emulator behind them is an in-process loopback server.
import Foundation
import MediaKit
import Testing
import TestSupport
@testable import mediactl

@Suite struct InProcessPromptTests {
    /// The lab's `run` asks its questions in the lab's order; a bad answer is asked again and never sent.
    @Test func jobRunAsksTheLabsQuestionsInOrder() throws {
        let h = try EmulatorHarness()
        let built = InProcess.run(["workflow", "build", "--output", "id"], env: h.environment)
        let workflow = built.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(built.status == 0 && workflow.hasPrefix("ocid1.mediaworkflow."), "\(built.stderr)")
        var env = h.environment
        env["MEDIACTL_COMPARTMENT_ID"] = nil
        let r = InProcess.run(["job", "run", "--output", "id"], env: env, terminal: .interactive,
                              answers: [workflow, "not-an-ocid", Fixtures.compartment, "media-in", "media-out", "ns1", "clip.mp4", "run1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.prompts == ["Enter mediaflow ID: ", "Compartment OCID: ", "Compartment OCID: ", "Source bucket: ", "Destination bucket: ",
                              "Object Storage namespace: ", "Source video object name: ", "Enter prefix name for output files: "])
        #expect(r.stderr.contains("error: --compartment-id: 'not-an-ocid' is not an OCID"))
        #expect(r.stderr.contains("try again (Ctrl-D cancels)"))
        #expect(r.stdout.hasPrefix("ocid1.mediaworkflowjob."))
        let body = h.emulator.requests.last { $0.method == "POST" }.map { String(decoding: $0.body, as: UTF8.self) } ?? ""
        for answer in ["media-in", "media-out", "ns1", "clip.mp4", "run1", Fixtures.compartment] { #expect(body.contains(answer), "\(body)") }
        #expect(!body.contains("not-an-ocid"))
    }

    /// Ctrl-D (the end of input) at a prompt cancels: exit 2, nothing sent.
    @Test func endOfInputAtAPromptExitsTwo() throws {
        let h = try EmulatorHarness()
        var env = h.environment
        env["MEDIACTL_COMPARTMENT_ID"] = nil
        let r = InProcess.run(["channel", "build"], env: env, terminal: .interactive, answers: [])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.hasSuffix("Cancelled.\n"), "\(r.stderr)")
        #expect(r.prompts == ["Compartment OCID: "])
        #expect(h.requestCount == 0)
    }

    /// A confirmation answered no is declined (exit 2), and nothing is deleted.
    @Test func aConfirmationAnsweredNoDeletesNothing() throws {
        let h = try EmulatorHarness()
        let r = InProcess.run(["object", "rm", "clip.mp4", "--bucket", "media-in", "--namespace", "ns"], env: h.environment,
                              terminal: .interactive, answers: ["n"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr == "Cancelled.\n", "\(r.stderr)")
        #expect(r.prompts == ["Really delete object clip.mp4 from bucket media-in? [y/N]: "])
        #expect(h.requestCount == 0)
    }

    /// Without a terminal nothing is asked: every missing value is named in one error, before any request.
    @Test func everyMissingValueIsNamedInOneError() throws {
        let h = try EmulatorHarness()
        var env = h.environment
        env["MEDIACTL_COMPARTMENT_ID"] = nil
        let r = InProcess.run(["job", "run"], env: env)
        #expect(r.status == 64)
        #expect(r.prompts.isEmpty)
        #expect(r.stderr == "error: missing 7 values for `mediactl job run`: give --workflow-id (or MEDIACTL_WORKFLOW_ID), "
            + "--compartment-id (or MEDIACTL_COMPARTMENT_ID), --source-bucket (or MEDIACTL_SOURCE_BUCKET), "
            + "--destination-bucket (or MEDIACTL_DESTINATION_BUCKET), --namespace (or MEDIACTL_NAMESPACE), "
            + "--source-video (or MEDIACTL_SOURCE_VIDEO), --output-prefix\n")
        #expect(h.requestCount == 0)
        // One missing value keeps the one-value wording.
        let one = InProcess.run(["object", "head", "clip.mp4"], env: env)
        #expect(one.status == 64)
        #expect(one.stderr.hasPrefix("error: missing BUCKET for `mediactl object head`: give --bucket, or MEDIACTL_BUCKET"), "\(one.stderr)")
    }
}

@Suite struct InProcessHelpTests {
    static func lines(_ text: String) -> [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() }

    /// Everything but the examples (commands to copy whole) is wrapped to the terminal's width.
    static func wrapped(_ text: String, width: Int) -> Bool {
        var inExamples = false
        for line in lines(text) {
            if line.isEmpty { inExamples = false; continue }
            if line == "Examples:" { inExamples = true; continue }
            if !inExamples && line.count > width && line.trimmingCharacters(in: .whitespaces).contains(" ") { return false }
        }
        return true
    }

    @Test func jobRunHelpFitsInAboutThirtyLinesAndShowsOCIGlobals() {
        let r = InProcess.run(["job", "run", "--help"], terminal: TerminalFacts(width: 120))
        #expect(r.status == 0)
        #expect(Self.lines(r.stdout).count <= 32, "\(r.stdout)")
        #expect(Self.wrapped(r.stdout, width: 120), "\(r.stdout)")
        // At 80 columns too, every line (the example as well, continued with ` \`) counted as the terminal shows it.
        let narrow = InProcess.run(["job", "run", "--help"], terminal: TerminalFacts(width: 80))
        #expect(Self.lines(narrow.stdout).count <= 32, "\(narrow.stdout)")
        #expect(Self.lines(narrow.stdout).allSatisfy { $0.count <= 80 }, "\(narrow.stdout)")
        #expect(narrow.stdout.hasSuffix("\n") && !narrow.stdout.hasSuffix("\n\n"), "no blank line after the help: \(narrow.stdout)")
        #expect(narrow.stdout.contains("source video first: missing, exit 5, no job"), "the source check is in the help")
        // The everyday global flags by name, the rest counted: `mediactl help flags` has them all.
        #expect(narrow.stdout.contains("--endpoint, --proxy, -h/--help and 12 more"), "\(narrow.stdout)")
        #expect(!narrow.stdout.contains("--federation-endpoint") && !narrow.stdout.contains("--ca-bundle"))
        #expect(InProcess.run(["help", "flags"]).stdout.contains("--federation-endpoint"))
        #expect(r.stdout.contains("      --source-video OBJECT"))
        #expect(r.stdout.contains("Global flags for OCI commands"))
        #expect(r.stdout.contains("--auth") && r.stdout.contains("--region") && r.stdout.contains("--proxy"))
        #expect(!r.stdout.contains("instance_obo_user"), "the global flags' help is in `mediactl help flags`")
        #expect(r.stdout.contains("`mediactl help flags`"))
    }

    @Test func videoHelpListsNoOCIFlagsAndLocalCommandsNoNetworkFlags() {
        let archive = InProcess.run(["archive", "start", "--help"])
        #expect(archive.status == 0)
        #expect(archive.stdout.contains("Global flags for OpenTok / Vonage Video commands"))
        for oci in ["--auth", "--metadata-url", "--region", "--profile", "--config-file", "--endpoint "] { #expect(!archive.stdout.contains(oci), "\(oci)") }
        #expect(archive.stdout.contains("--proxy") && archive.stdout.contains("--output"))
        let emulator = InProcess.run(["emulator", "start", "--help"])
        #expect(!emulator.stdout.contains("--proxy") && !emulator.stdout.contains("--auth"))
        #expect(emulator.stdout.contains("--output") && emulator.stdout.contains("--quiet"))
    }

    @Test func helpWrapsToTheTerminalWidthWithAHangingIndent() {
        let narrow = InProcess.run(["job", "run", "--help"], terminal: TerminalFacts(width: 60))
        let wide = InProcess.run(["job", "run", "--help"], terminal: TerminalFacts(width: 160))
        #expect(Self.wrapped(narrow.stdout, width: 60), "\(narrow.stdout)")
        #expect(Self.lines(wide.stdout).count < Self.lines(narrow.stdout).count)
        // A wrapped flag text goes on under its first line, not under the flag.
        let retry = Self.lines(narrow.stdout).drop { !$0.contains("--retry-token") }
        #expect(retry.dropFirst().first?.hasPrefix(String(repeating: " ", count: 8)) == true, "\(narrow.stdout)")
    }

    @Test func helpNamesACommandPathOrATopic() {
        #expect(InProcess.run(["help", "job", "run"]).stdout == InProcess.run(["job", "run", "--help"]).stdout)
        #expect(InProcess.run(["help"]).stdout == InProcess.run(["--help"]).stdout)
        let wrong = InProcess.run(["help", "jb", "run"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.hasPrefix("error: unknown command 'jb' for `mediactl` (did you mean job?)"), "\(wrong.stderr)")
        let flags = InProcess.run(["help", "flags"], terminal: TerminalFacts(width: 72))
        #expect(flags.status == 0)
        for spec in GlobalFlags.all { #expect(flags.stdout.contains("--\(spec.name)"), "\(spec.name)") }
        #expect(flags.stdout.contains("instance_obo_user"))
        #expect(flags.stdout.contains("OCI commands only"))
        #expect(Self.wrapped(flags.stdout, width: 72), "\(flags.stdout)")
    }

    /// Every global flag is in exactly one scope, so each help page can say which apply.
    @Test func everyGlobalFlagHasOneScope() {
        let scoped = GlobalFlags.Scope.allCases.flatMap { $0.flags.map(\.spec.name) }
        #expect(scoped.sorted() == GlobalFlags.all.map(\.name).sorted())
    }

    @Test func helpCompletesCommandPathsAndTopics() {
        #expect(Completion.candidates(["help", "fl"]).map { $0.split(separator: "\t")[0] } == ["flags"])
        #expect(Completion.candidates(["help", "job", "ru"]).map { $0.split(separator: "\t")[0] } == ["run"])
    }
}
