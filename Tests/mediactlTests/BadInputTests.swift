// Bad input: one line on stderr naming the flag or field, a documented exit code, no request sent.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct BadInputTests {
    static let badJSONFile: String = {
        let path = NSTemporaryDirectory() + "mediactl-bad-\(getpid()).json"
        _ = FileManager.default.createFile(atPath: path, contents: Data("{\"tasks\": [\n  {\"type\": }\n]}".utf8))
        return path
    }()

    static let cases: [BadInputCase] = [
        BadInputCase(name: "unknown flag", args: ["workflow", "build", "--compartmnet-id", "x"], status: 64,
             message: "error: unknown flag --compartmnet-id for `mediactl workflow build` (did you mean --compartment-id?)"),
        BadInputCase(name: "unknown command", args: ["workflw", "build"], status: 64, message: "error: unknown command 'workflw' for `mediactl` (did you mean workflow?)"),
        BadInputCase(name: "bad OCID", args: ["job", "get", "ocid1.nope"], status: 64,
             message: "error: ID: 'ocid1.nope' is not an OCID (expected ocid1.<type>.<realm>.<region>.<id>)"),
        BadInputCase(name: "OCID of the wrong kind", args: ["job", "get", "ocid1.mediaworkflow.oc1.iad.aaaa"], status: 64,
             message: "error: ID: expected the OCID of a mediaworkflowjob, got one of a mediaworkflow"),
        BadInputCase(name: "bad compartment from env", args: ["channel", "build"], env: ["MEDIACTL_COMPARTMENT_ID": "abc"], status: 64,
             message: "error: --compartment-id (from MEDIACTL_COMPARTMENT_ID): 'abc' is not an OCID"),
        BadInputCase(name: "bad JSON", args: ["workflow", "build", "--file", badJSONFile], status: 64,
             message: "error: --file \(badJSONFile): not valid JSON: unexpected character '}' (line 2, column 12)"),
        BadInputCase(name: "missing JSON file", args: ["workflow", "build", "--file", "/nonexistent.json"], status: 64,
             message: "error: --file /nonexistent.json: no such file"),
        BadInputCase(name: "out of range", args: ["channel", "build", "--segment-seconds", "0"], status: 64,
             message: "error: --segment-seconds: expected a number from 1 to 300, got 0"),
        BadInputCase(name: "bad enum", args: ["channel", "build", "--encryption", "ROT13"], status: 64,
             message: "error: --encryption: expected one of NONE, AES128, got 'ROT13'"),
        BadInputCase(name: "kms key without AES", args: ["channel", "build", "--kms-key-id", "ocid1.key.oc1.iad.aaaa"], status: 64,
             message: "error: --kms-key-id needs --encryption AES128"),
        BadInputCase(name: "repeated flag", args: ["channel", "build", "--name", "a", "--name", "b"], status: 64, message: "error: --name given more than once"),
        BadInputCase(name: "missing value", args: ["channel", "build", "--name"], status: 64, message: "error: --name needs a value (NAME)"),
        BadInputCase(name: "missing required flag", args: ["job", "run", "--source-bucket", "b"], status: 64,
             message: "error: missing 5 values for `mediactl job run`: give --workflow-id (or MEDIACTL_WORKFLOW_ID), --destination-bucket (or MEDIACTL_DESTINATION_BUCKET), --namespace (or MEDIACTL_NAMESPACE), --source-video (or MEDIACTL_SOURCE_VIDEO), --output-prefix"),
        BadInputCase(name: "one missing required flag", args: ["job", "wait"], status: 64,
             message: "error: missing ID for `mediactl job wait`: the media workflow job's OCID"),
        BadInputCase(name: "missing key file", args: ["channel", "build"], env: ["OCI_CLI_KEY_FILE": "/nonexistent/key.pem"], status: 3,
             message: "error: key_file /nonexistent/key.pem (profile 'DEFAULT' of"),
        BadInputCase(name: "wrong pass phrase", args: ["channel", "build"],
             env: ["OCI_CLI_KEY_FILE": Fixtures.key("test_key_enc_pkcs1.pem"), "OCI_CLI_PASSPHRASE": "wrong"], status: 3,
             message: "the pass phrase is wrong or the file is not a private key"),
        BadInputCase(name: "missing pass phrase", args: ["channel", "build"], env: ["OCI_CLI_KEY_FILE": Fixtures.key("test_key_enc_pkcs8.pem")], status: 3,
             message: "the key is encrypted and needs a pass phrase"),
        BadInputCase(name: "fingerprint mismatch", args: ["channel", "build"], env: ["OCI_CLI_KEY_FILE": Fixtures.key("other_key.pem")], status: 3,
             message: "error: fingerprint mismatch: profile 'DEFAULT' of"),
        BadInputCase(name: "unknown region", args: ["channel", "build", "--region", "mars-1"], env: ["MEDIACTL_ENDPOINT": ""], status: 3,
             message: "error: unknown region 'mars-1': expected a region identifier such as us-ashburn-1 or a short code such as iad"),
        BadInputCase(name: "unknown profile", args: ["channel", "build", "--profile", "PROD"], status: 3,
             message: "error: profile 'PROD' not found in"),
        BadInputCase(name: "bad auth mode", args: ["channel", "build", "--auth", "magic"], status: 64,
             message: "error: --auth: expected one of api_key, instance_principal, resource_principal, security_token, instance_obo_user, oke_workload_identity, got 'magic'"),
        BadInputCase(name: "bad output format", args: ["channel", "list", "-o", "yaml"], status: 64,
             message: "error: --output: expected one of text, json, id, table, got 'yaml'"),
        BadInputCase(name: "workflow with a cycle", args: ["workflow", "validate", "--file", "-"],
                     stdin: #"{"tasks": [{"type": "getFiles", "version": 1, "key": "a", "prerequisites": ["a2"], "parameters": {}}, {"type": "getFiles", "version": 1, "key": "a2", "prerequisites": ["a"], "parameters": {}}]}"#,
                     status: 64, message: "prerequisite cycle"),
        BadInputCase(name: "parameters file and flags", args: ["job", "run", "--workflow-id", "ocid1.mediaworkflow.oc1.iad.aaaa", "--parameters-file", "-", "--source-video", "x"],
                     stdin: #"{"video": {}}"#, status: 64, message: "error: --source-video cannot be combined with --parameters-file: put it in the file"),
    ]

    @Test(arguments: cases)
    func badInputIsOneLineWithAnExitCodeAndNoRequest(c: BadInputCase) throws {
        let h = try EmulatorHarness()
        try c.check(environment: h.environment, dir: h.dir.path, requests: { h.requestCount })
    }
}

/// The version, help and docs, run in this process; one version check stays end-to-end through the binary.
@Suite struct HelpAndVersionTests {
    @Test func versionPrints() throws {
        let r = try CLIRunner.run(["--version"], environment: [:])
        #expect(r.status == 0)
        #expect(r.stdout == "mediactl \(MediaKitVersion.string)\n")
    }

    /// Walks the "Commands:" sections from the root down: every command has --help, and `help PATH` says the same.
    @Test func everyCommandHasHelp() throws {
        var todo = [[String]()]
        var seen = 0
        while let path = todo.popLast() {
            let r = InProcess.run(path + ["--help"])
            #expect(r.status == 0, "\(path)")
            #expect(r.stdout.contains("Usage:\n  mediactl"), "\(path)")
            #expect(InProcess.run(["help"] + path).stdout == r.stdout, "\(path)")
            seen += 1
            var inCommands = false
            for line in r.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
                if line == "Commands:" { inCommands = true; continue }
                if inCommands {
                    guard line.hasPrefix("  "), let word = line.split(separator: " ").first else { break }
                    if line.hasPrefix("   ") { continue }   // a summary wrapped onto the next line
                    todo.append(path + [String(word)])
                }
            }
        }
        #expect(seen >= 30)
    }

    @Test func exitCodesAreListed() throws {
        let r = InProcess.run(["help", "exit-codes"])
        #expect(r.stdout.contains("64   bad command line"))
        #expect(r.stdout.contains("9    the job or ingest ended FAILED"))
    }
}

@Suite struct DocsTests {
    /// docs/ is generated from the command table; regenerate with `mediactl __docs docs`, or run this test with
    /// MEDIACTL_RECORD_DOCS=1 to write the fresh pages over the committed ones.
    @Test func committedDocsMatchTheCommandTable() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs").path
        let fresh = TemporaryDirectory()
        let r = InProcess.run(["__docs", fresh.path])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: fresh.path).sorted()
        #expect(files.contains("exit-codes.md"))
        let record = ProcessInfo.processInfo.environment["MEDIACTL_RECORD_DOCS"] == "1"
        for file in files {
            let committed = FileManager.default.contents(atPath: "\(docs)/\(file)")
            let generated = FileManager.default.contents(atPath: "\(fresh.path)/\(file)")
            if record, committed != generated { FileManager.default.createFile(atPath: "\(docs)/\(file)", contents: generated); continue }
            #expect(committed == generated, "docs/\(file) is out of date: run `mediactl __docs docs` (or this test with MEDIACTL_RECORD_DOCS=1)")
        }
    }
}
