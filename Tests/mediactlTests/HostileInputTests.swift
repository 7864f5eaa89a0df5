// Hostile and broken input, as a table: config files, flags, OCIDs, JSON documents, `${...}`
// references and server responses. Each case must give exactly one `error:` line on stderr, its
// documented exit code, no trap or stack trace, nothing on stdout, and (for input errors) no request.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct HostileInputTests {
    static let wf = "ocid1.mediaworkflow.oc1.iad.aaaa"
    static let job = "ocid1.mediaworkflowjob.oc1.iad.aaaa"
    static let keyPEM = Fixtures.key("test_key.pem")

    static func text(_ s: String) -> Data { Data(s.utf8) }
    /// A complete profile for the test key, with one line replaced or dropped.
    static func profile(without dropped: String? = nil, replacing: [String: String] = [:], extra: String = "") -> Data {
        var lines: [(String, String)] = [("user", Fixtures.user), ("fingerprint", Fixtures.testFingerprint), ("key_file", keyPEM),
                                         ("tenancy", Fixtures.tenancy), ("region", "us-ashburn-1")]
        lines.removeAll { $0.0 == dropped }
        lines = lines.map { ($0.0, replacing[$0.0] ?? $0.1) }
        return text("[DEFAULT]\n" + lines.map { "\($0.0)=\($0.1)\n" }.joined() + extra)
    }
    static func config(_ data: Data, mode: Int = 0o600) -> [(String, Data, Int)] { [("config", data, mode)] }
    static let useConfig = ["OCI_CLI_CONFIG_FILE": "@DIR@/config"]
    static func deep(_ n: Int) -> String { String(repeating: "[", count: n) + String(repeating: "]", count: n) }
    static let huge = Data(count: (8 << 20) + 10)
    static func workflowWith(_ parameters: String, prerequisites: String = "[]") -> String {
        #"{"tasks": [{"type": "getFiles", "version": 1, "key": "get", "prerequisites": [], "parameters": {}}, "#
            + #"{"type": "transcode", "version": 1, "key": "t", "prerequisites": \#(prerequisites), "parameters": {"x": "\#(parameters)"}}]}"#
    }

    static let configCases: [BadInputCase] = [
        BadInputCase(name: "config file missing", args: ["workflow", "list"], env: ["OCI_CLI_CONFIG_FILE": "@DIR@/nope"], status: 3,
             message: "error: config file @DIR@/nope: no such file"),
        BadInputCase(name: "config file unreadable (mode 0000)", args: ["workflow", "list"], files: config(profile(), mode: 0), env: useConfig,
             unprivileged: true, status: 3, message: "error: config file @DIR@/config: permission denied"),
        BadInputCase(name: "config file is a directory", args: ["workflow", "list"], files: [("config/x", text(""), 0o600)], env: useConfig,
             status: 3, message: "error: config file @DIR@/config: is a directory, not a file"),
        BadInputCase(name: "config: unterminated section header", args: ["workflow", "list"], files: config(text("[DEFAULT\nuser=x\n")), env: useConfig,
             status: 3, message: "error: config file @DIR@/config:1: malformed section header '[DEFAULT'"),
        BadInputCase(name: "config: key outside a section", args: ["workflow", "list"], files: config(text("user=x\n[DEFAULT]\n")), env: useConfig,
             status: 3, message: "error: config file @DIR@/config:1: a key outside any [section]"),
        BadInputCase(name: "config: line without '='", args: ["workflow", "list"], files: config(text("[DEFAULT]\njust words\n")), env: useConfig,
             status: 3, message: "error: config file @DIR@/config:2: expected 'key = value', got 'just words'"),
        BadInputCase(name: "config: duplicate key", args: ["workflow", "list"], files: config(profile(extra: "user=again\n")), env: useConfig,
             status: 3, message: "duplicate key 'user' in [DEFAULT]"),
        BadInputCase(name: "config: duplicate section", args: ["workflow", "list"], files: config(text("[A]\nx=1\n[A]\n")), env: useConfig,
             status: 3, message: ":3: duplicate section [A]"),
        BadInputCase(name: "config: empty key name", args: ["workflow", "list"], files: config(text("[DEFAULT]\n=value\n")), env: useConfig,
             status: 3, message: ":2: empty key name"),
        BadInputCase(name: "config: binary garbage", args: ["workflow", "list"], files: config(Data([0x00, 0xFF, 0xFE, 0x0A, 0x89, 0x50, 0x4E, 0x47])),
             env: useConfig, status: 3, message: "error: config file @DIR@/config:1: a key outside any [section]"),
        BadInputCase(name: "config: no user", args: ["workflow", "list"], files: config(profile(without: "user")), env: useConfig,
             status: 3, message: "has no user (or set OCI_CLI_USER)"),
        BadInputCase(name: "config: no fingerprint", args: ["workflow", "list"], files: config(profile(without: "fingerprint")), env: useConfig,
             status: 3, message: "has no fingerprint (or set OCI_CLI_FINGERPRINT)"),
        BadInputCase(name: "config: no tenancy", args: ["workflow", "list"], files: config(profile(without: "tenancy")), env: useConfig,
             status: 3, message: "has no tenancy (or set OCI_CLI_TENANCY)"),
        BadInputCase(name: "config: no key_file", args: ["workflow", "list"], files: config(profile(without: "key_file")), env: useConfig,
             status: 3, message: "has no key_file (or set OCI_CLI_KEY_FILE)"),
        BadInputCase(name: "config: no region and no endpoint", args: ["workflow", "list"], files: config(profile(without: "region")),
             env: useConfig.merging(["MEDIACTL_ENDPOINT": ""]) { $1 }, status: 3, message: "error: no region: set region in profile 'DEFAULT'"),
        BadInputCase(name: "config: malformed fingerprint", args: ["workflow", "list"], files: config(profile(replacing: ["fingerprint": "zz:11"])),
             env: useConfig, status: 3, message: "fingerprint 'zz:11' in profile 'DEFAULT' of @DIR@/config is malformed"),
        BadInputCase(name: "config: user is not an OCID", args: ["workflow", "list"], files: config(profile(replacing: ["user": "bob"])),
             env: useConfig, status: 3, message: "user 'bob' in profile 'DEFAULT' of @DIR@/config is not an OCID"),
        BadInputCase(name: "config: key_content is refused", args: ["workflow", "list"], files: config(profile(extra: "key_content=abc\n")),
             env: useConfig, status: 3, message: "key_content cannot be given in a config file"),
        BadInputCase(name: "config: non-ASCII pass phrase", args: ["workflow", "list"], files: config(profile(extra: "pass_phrase=pässword\n")),
             env: useConfig, status: 3, message: "pass_phrase in profile 'DEFAULT' of @DIR@/config must be ASCII"),
        BadInputCase(name: "key file is plain text", args: ["workflow", "list"], files: config(profile(replacing: ["key_file": "@DIR@/key.pem"])) + [("key.pem", text("hello\n"), 0o600)],
             env: useConfig, status: 3, message: "error: key_file @DIR@/key.pem: the file is not a PEM private key"),
        BadInputCase(name: "key file is empty", args: ["workflow", "list"], files: config(profile(replacing: ["key_file": "@DIR@/key.pem"])) + [("key.pem", Data(), 0o600)],
             env: useConfig, status: 3, message: "error: key_file @DIR@/key.pem: the file is not a PEM private key"),
        BadInputCase(name: "key file is a public key", args: ["workflow", "list"], env: ["OCI_CLI_KEY_FILE": Fixtures.key("test_public.pem")],
             status: 3, message: "a public key was given where the private key is needed"),
        BadInputCase(name: "key file is a certificate", args: ["workflow", "list"], env: ["OCI_CLI_KEY_FILE": Fixtures.key("test_cert.pem")],
             status: 3, message: "error: key_file \(Fixtures.key("test_cert.pem")): the file is not a PEM private key"),
        BadInputCase(name: "key file is a directory", args: ["workflow", "list"], env: ["OCI_CLI_KEY_FILE": Fixtures.root], status: 3,
             message: "error: key_file \(Fixtures.root) (profile 'DEFAULT' of"),
        BadInputCase(name: "key file with a corrupted body", args: ["workflow", "list"],
             files: config(profile(replacing: ["key_file": "@DIR@/key.pem"])) + [("key.pem", text("-----BEGIN RSA PRIVATE KEY-----\nAAAA!!!!\n-----END RSA PRIVATE KEY-----\n"), 0o600)],
             env: useConfig, status: 3, message: "error: key_file @DIR@/key.pem: the file is not a PEM private key"),
        BadInputCase(name: "wrong pass phrase (PKCS#8)", args: ["workflow", "list"],
             env: ["OCI_CLI_KEY_FILE": Fixtures.key("test_key_enc_pkcs8.pem"), "OCI_CLI_PASSPHRASE": "not-it"], status: 3,
             message: "the pass phrase is wrong or the file is not a private key"),
        BadInputCase(name: "empty profile name", args: ["workflow", "list", "--profile", ""], status: 64, message: "error: --profile: expected a non-empty value"),
        BadInputCase(name: "unknown region in the profile", args: ["workflow", "list"], files: config(profile(replacing: ["region": "atlantis-1"])),
             env: useConfig.merging(["MEDIACTL_ENDPOINT": ""]) { $1 }, status: 3, message: "error: unknown region 'atlantis-1'"),
        BadInputCase(name: "defaults file malformed", args: ["workflow", "list"], files: [("defaults", text("[DEFAULT]\nnot a pair\n"), 0o600)],
             env: ["MEDIACTL_DEFAULTS_FILE": "@DIR@/defaults"], status: 3, message: "error: defaults file @DIR@/defaults:2: expected 'key = value'"),
        BadInputCase(name: "security token file missing", args: ["workflow", "list", "--auth", "security_token"], status: 3,
             message: "has no security_token_file"),
        BadInputCase(name: "security token is not a JWT", args: ["workflow", "list", "--auth", "security_token"],
             files: [("token", text("nonsense"), 0o600)], env: ["OCI_CLI_SECURITY_TOKEN_FILE": "@DIR@/token"], status: 3,
             message: "error: the security token in @DIR@/token is not a JWT"),
    ]

    static let flagCases: [BadInputCase] = [
        BadInputCase(name: "unknown long flag", args: ["workflow", "list", "--frobnicate"], status: 64, message: "error: unknown flag --frobnicate for `mediactl workflow list`"),
        BadInputCase(name: "unknown short flag", args: ["workflow", "list", "-Z"], status: 64, message: "error: unknown flag -Z for `mediactl workflow list`"),
        BadInputCase(name: "an id that begins with '-'", args: ["par", "get", "-6xC42O2-D7W_s0nGV", "--bucket", "b"], status: 64,
                     message: "error: unknown flag -6xC42O2-D7W_s0nGV for `mediactl par get` (an argument that begins with '-' goes after `--`: `mediactl par get -- VALUE`)"),
        BadInputCase(name: "bundled short flags", args: ["workflow", "list", "-qo", "json"], status: 64, message: "error: unknown flag -qo"),
        BadInputCase(name: "repeated global flag", args: ["workflow", "list", "--output", "json", "-o", "text"], status: 64, message: "error: --output given more than once"),
        BadInputCase(name: "switch given a value", args: ["workflow", "list", "--debug=yes"], status: 64, message: "error: --debug takes no value (or =true/=false), got 'yes'"),
        BadInputCase(name: "integer flag given a word", args: ["workflow", "list", "--max-retries", "lots"], status: 64, message: "error: --max-retries: expected a whole number, got 'lots'"),
        BadInputCase(name: "integer flag above range", args: ["workflow", "list", "--max-retries", "21"], status: 64, message: "error: --max-retries: expected a number from 0 to 20, got 21"),
        BadInputCase(name: "integer flag negative", args: ["workflow", "list", "--max-retries", "-1"], status: 64, message: "error: --max-retries: expected a number from 0 to 20, got -1"),
        BadInputCase(name: "integer flag overflows", args: ["workflow", "list", "--limit", "99999999999999999999999"], status: 64,
             message: "error: --limit: expected a whole number, got '99999999999999999999999'"),
        BadInputCase(name: "integer flag zero", args: ["workflow", "list", "--limit", "0"], status: 64, message: "error: --limit: expected a number from 1 to 1000, got 0"),
        BadInputCase(name: "timeout zero", args: ["workflow", "list", "--connect-timeout", "0"], status: 64, message: "error: --connect-timeout: expected a number from 0.1 to 600.0, got 0"),
        BadInputCase(name: "timeout NaN", args: ["workflow", "list", "--read-timeout", "nan"], status: 64, message: "error: --read-timeout: expected a number, got 'nan'"),
        BadInputCase(name: "timeout infinite", args: ["workflow", "list", "--read-timeout", "1e400"], status: 64, message: "error: --read-timeout: expected a number, got '1e400'"),
        BadInputCase(name: "wait timeout zero", args: ["job", "wait", job, "--timeout", "0"], status: 64, message: "error: --timeout: expected a number from 1.0 to 86400.0, got 0"),
        BadInputCase(name: "bad value from the environment", args: ["workflow", "list"], env: ["MEDIACTL_MAX_RETRIES": "many"], status: 64,
             message: "error: --max-retries (from MEDIACTL_MAX_RETRIES): expected a whole number, got 'many'"),
        BadInputCase(name: "bad switch from the environment", args: ["workflow", "list"], env: ["MEDIACTL_DEBUG": "yes please"], status: 64,
             message: "error: --debug (from MEDIACTL_DEBUG): expected true or false, got 'yes please'"),
        BadInputCase(name: "extra positional", args: ["job", "get", job, "extra"], status: 64, message: "error: unexpected argument 'extra' for `mediactl job get`"),
        BadInputCase(name: "value missing at the end", args: ["workflow", "list", "--output"], status: 64, message: "error: --output needs a value (FORMAT)"),
        BadInputCase(name: "empty name", args: ["channel", "build", "--name", ""], status: 64, message: "error: --name: expected a non-empty value"),
        BadInputCase(name: "empty choice", args: ["workflow", "list", "--output="], status: 64, message: "error: --output: expected one of text, json, id, table, got ''"),
        BadInputCase(name: "flag name with a control character", args: ["workflow", "list", "--\u{7}"], status: 64, message: #"error: unknown flag --\u{7} for"#),
        BadInputCase(name: "huge argument", args: ["workflow", "list", "--limit", String(repeating: "9", count: 100_000)], status: 64,
             message: "error: --limit: expected a whole number, got '99999"),
    ]

    static let ocidCases: [BadInputCase] = [
        BadInputCase(name: "OCID: prefix only", args: ["job", "get", "ocid1."], status: 64, message: "error: ID: 'ocid1.' is not an OCID"),
        BadInputCase(name: "OCID: space inside", args: ["job", "get", "ocid1.mediaworkflowjob.oc1.iad.aa aa"], status: 64, message: "is not an OCID"),
        BadInputCase(name: "OCID: path traversal", args: ["job", "get", "ocid1.mediaworkflowjob.oc1.iad.../../x"], status: 64, message: "is not an OCID"),
        BadInputCase(name: "OCID: non-ASCII", args: ["job", "get", "ocid1.mediaworkflowjob.oc1.iad.ääää"], status: 64, message: "is not an OCID"),
        BadInputCase(name: "OCID: too long", args: ["job", "get", "ocid1.mediaworkflowjob.oc1.iad." + String(repeating: "a", count: 300)], status: 64,
             message: "is not an OCID"),
        BadInputCase(name: "OCID: query characters", args: ["workflow", "get", "ocid1.mediaworkflow.oc1.iad.a?x=1&y"], status: 64, message: "is not an OCID"),
        BadInputCase(name: "OCID: wrong kind for a flag", args: ["job", "run", "--workflow-id", job, "--parameters-file", "-"], stdin: "{}", status: 64,
             message: "error: --workflow-id: expected the OCID of a mediaworkflow, got one of a mediaworkflowjob"),
        BadInputCase(name: "OCID: wrong kind from the environment", args: ["channel", "build"], env: ["MEDIACTL_COMPARTMENT_ID": wf], status: 64,
             message: "error: --compartment-id (from MEDIACTL_COMPARTMENT_ID): expected the OCID of a compartment or tenancy, got one of a mediaworkflow"),
    ]

    static let documentCases: [BadInputCase] = [
        BadInputCase(name: "JSON: empty file", args: ["workflow", "build", "--file", "@DIR@/w.json"], files: [("w.json", Data(), 0o600)], status: 64,
             message: "error: --file @DIR@/w.json: not valid JSON"),
        BadInputCase(name: "JSON: truncated", args: ["workflow", "build", "--file", "-"], stdin: #"{"tasks": ["#, status: 64, message: "error: --file -: not valid JSON"),
        BadInputCase(name: "JSON: trailing garbage", args: ["workflow", "validate", "--file", "-"], stdin: #"{"tasks": []} x"#, status: 64,
             message: "error: --file -: not valid JSON: unexpected trailing characters"),
        BadInputCase(name: "JSON: invalid UTF-8", args: ["workflow", "validate", "--file", "@DIR@/w.json"], files: [("w.json", Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]), 0o600)],
             status: 64, message: "error: --file @DIR@/w.json: not valid JSON"),
        BadInputCase(name: "JSON: NUL byte", args: ["workflow", "validate", "--file", "@DIR@/w.json"], files: [("w.json", Data([0x7B, 0x00, 0x7D]), 0o600)],
             status: 64, message: "error: --file @DIR@/w.json: not valid JSON"),
        BadInputCase(name: "JSON: lone surrogate escape", args: ["workflow", "validate", "--file", "-"], stdin: #"{"tasks": "\ud800"}"#, status: 64, message: "error: "),
        BadInputCase(name: "JSON: tasks is a string", args: ["workflow", "validate", "--file", "-"], stdin: #"{"tasks": "all of them"}"#, status: 64,
             message: "error: workflow /tasks: expected an array of tasks, got string"),
        BadInputCase(name: "JSON: document is an array", args: ["workflow", "validate", "--file", "-"], stdin: "[1, 2]", status: 64, message: "error: "),
        BadInputCase(name: "JSON: task type is a number", args: ["workflow", "validate", "--file", "-"],
             stdin: #"{"tasks": [{"type": 7, "version": 1, "key": "a", "prerequisites": [], "parameters": {}}]}"#, status: 64,
             message: "error: workflow /tasks/0/type: expected a string, got number"),
        BadInputCase(name: "JSON: absurd version number", args: ["workflow", "validate", "--file", "-"],
             stdin: #"{"tasks": [{"type": "getFiles", "version": 1e999999, "key": "a", "prerequisites": [], "parameters": {}}]}"#, status: 64,
             message: "error: workflow /tasks/0/version"),
        BadInputCase(name: "JSON: huge file (> 8 MiB)", args: ["workflow", "build", "--file", "@DIR@/w.json"], files: [("w.json", huge, 0o600)], status: 64,
             message: "error: --file @DIR@/w.json: larger than 8 MiB"),
        BadInputCase(name: "JSON: huge stdin (> 8 MiB)", args: ["workflow", "build", "--file", "-"], stdin: String(repeating: " ", count: (8 << 20) + 10), status: 64,
             message: "error: --file -: larger than 8 MiB"),
        BadInputCase(name: "JSON: 100k-deep nesting in a file", args: ["workflow", "build", "--file", "@DIR@/w.json"], files: [("w.json", text(deep(100_000)), 0o600)],
             status: 64, message: "not valid JSON: nesting deeper than 256 levels"),
        BadInputCase(name: "JSON: 100k-deep nesting of objects on stdin", args: ["job", "run", "--workflow-id", wf, "--parameters-file", "-"],
             stdin: String(repeating: #"{"a":"#, count: 100_000), status: 64, message: "not valid JSON: nesting deeper than 256 levels"),
        BadInputCase(name: "JSON: parameters are an array", args: ["job", "run", "--workflow-id", wf, "--parameters-file", "-"], stdin: "[]", status: 64,
             message: "error: --parameters-file: expected a JSON object such as {\"video\": {...}}, got array"),
        BadInputCase(name: "JSON: a parameter group is a string", args: ["job", "run", "--workflow-id", wf, "--parameters-file", "-"], stdin: #"{"video": "x"}"#,
             status: 64, message: "error: --parameters-file: /video must be an object of parameters, got string"),
    ]

    static let referenceCases: [BadInputCase] = [
        BadInputCase(name: "reference unterminated", args: ["workflow", "validate", "--file", "-"], stdin: workflowWith("${/video/srcVideo"), status: 64,
             message: "unterminated reference"),
        BadInputCase(name: "reference not a pointer", args: ["workflow", "validate", "--file", "-"], stdin: workflowWith("${video}"), status: 64,
             message: "reference '${video}' is not a JSON pointer"),
        BadInputCase(name: "reference empty", args: ["workflow", "validate", "--file", "-"], stdin: workflowWith("${}"), status: 64,
             message: "reference '${}' is not a JSON pointer"),
        BadInputCase(name: "reference to a task that is not a prerequisite", args: ["workflow", "validate", "--file", "-"], stdin: workflowWith("${/get/outputs}"),
             status: 64, message: "refers to task 'get', which is not a prerequisite"),
        BadInputCase(name: "reference in workflow build is checked before sending", args: ["workflow", "build", "--file", "-"], stdin: workflowWith("${/"),
             status: 64, message: "error: workflow /tasks/1/parameters/x: "),
    ]

    static let statusLine = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
    static let serverCases: [BadInputCase] = [
        BadInputCase(name: "response: truncated body", args: ["workflow", "list", "--no-retry"], server: .raw(MisbehavingServer.response(#"{"items": ["#, declaredLength: 500)),
             status: 7, message: "error: GET http://127.0.0.1:"),
        BadInputCase(name: "response: not JSON", args: ["workflow", "list", "--no-retry"], server: .raw(MisbehavingServer.response("<html>hello</html>")),
             status: 7, message: "/20211101/mediaWorkflows: the response is not valid JSON"),
        BadInputCase(name: "response: empty 200", args: ["workflow", "get", wf, "--no-retry"], server: .raw(MisbehavingServer.response("")),
             status: 7, message: "error: GET /20211101/mediaWorkflows/\(wf): the response is empty, not an object"),
        BadInputCase(name: "response: items is not an array", args: ["workflow", "list", "--no-retry"], server: .raw(MisbehavingServer.response(#"{"items": {"id": "x"}}"#)),
             status: 7, message: "error: GET /20211101/mediaWorkflows: the response's items is an object, not an array"),
        BadInputCase(name: "response: a list item is not an object", args: ["workflow", "list", "--no-retry"], server: .raw(MisbehavingServer.response(#"{"items": [1]}"#)),
             status: 7, message: "error: GET /20211101/mediaWorkflows: the response's items/0 is a number, not an object"),
        BadInputCase(name: "response: created object has no id", args: ["workflow", "build", "--no-retry"], server: .raw(MisbehavingServer.response(#"{"displayName": "x"}"#)),
             status: 7, message: "error: POST /20211101/mediaWorkflows: the response has no id"),
        BadInputCase(name: "response: id is a number", args: ["channel", "build", "--no-retry"], server: .raw(MisbehavingServer.response(#"{"id": 5}"#)),
             status: 7, message: "error: POST /20211101/streamDistributionChannels: the response has no id"),
        BadInputCase(name: "response: get returns an array", args: ["job", "get", job, "--no-retry"], server: .raw(MisbehavingServer.response("[]")),
             status: 7, message: "the response is an array, not an object"),
        BadInputCase(name: "response: 100k-deep nesting", args: ["job", "get", job, "--no-retry"], server: .raw(MisbehavingServer.response(deep(100_000))),
             status: 7, message: "nesting deeper than 256 levels"),
        BadInputCase(name: "response: body beyond the cap", args: ["workflow", "list"],
             server: .raw(Data((statusLine + "content-length: \((64 << 20) + 4096)\r\n\r\n").utf8) + Data(repeating: 0x20, count: (64 << 20) + 4096)),
             status: 7, message: "response larger than 67108864 bytes; refused"),
        BadInputCase(name: "response: slow drip past --read-timeout", args: ["workflow", "list", "--no-retry", "--read-timeout", "1"],
             server: .drip(MisbehavingServer.response(#"{"items": []}"#), interval: 0.3), status: 7, message: "timed out"),
        BadInputCase(name: "response: never answers", args: ["workflow", "list", "--no-retry", "--read-timeout", "1"], server: .stall,
             status: 7, message: "error: GET http://127.0.0.1:"),
        BadInputCase(name: "response: connection reset", args: ["workflow", "list", "--no-retry"], server: .reset, status: 7, message: "error: GET http://127.0.0.1:"),
        BadInputCase(name: "response: not HTTP at all", args: ["workflow", "list", "--no-retry"], server: .raw(text("SSH-2.0-OpenSSH_9.2\r\n")),
             status: 7, message: "error: GET http://127.0.0.1:"),
        BadInputCase(name: "response: 500 with an HTML body", args: ["workflow", "list", "--no-retry"],
             server: .raw(MisbehavingServer.response("<html>\nboom</html>", status: 500)), status: 1, message: "error: 500 HTTP500: <html>"),
        BadInputCase(name: "response: 401 with garbage", args: ["workflow", "list", "--no-retry"],
             server: .raw(MisbehavingServer.response("\u{0}\u{1}", status: 401)), status: 4, message: "error: not authenticated"),
        BadInputCase(name: "response: terminal escapes in the error message", args: ["workflow", "list", "--no-retry"],
             server: .raw(MisbehavingServer.response(#"{"code": "X", "message": "\u001b]0;owned\u0007\u001b[2Jgone"}"#, status: 400)),
             status: 1, message: #"error: 400 X: \u{1b}]0;owned\u{7}\u{1b}[2Jgone"#),
        BadInputCase(name: "response: create answer lost (reset) after retries", args: ["workflow", "build", "--max-retries", "1"], server: .reset,
             status: 7, message: "error: POST http://127.0.0.1:"),
    ]

    static let cases = configCases + flagCases + ocidCases + documentCases + referenceCases + serverCases

    @Test func thereAreAtLeastSixtyCases() { #expect(Self.cases.count >= 60) }

    @Test(arguments: cases)
    func hostileInputIsOneErrorLineWithItsExitCode(c: BadInputCase) throws {
        let h = try EmulatorHarness()
        try c.check(environment: h.environment, dir: h.dir.path, requests: { h.requestCount })
    }
}
