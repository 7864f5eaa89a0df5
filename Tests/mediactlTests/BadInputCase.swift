// One type for every bad-input table (BadInputTests, VideoBadInputTests, HostileInputTests) and the one check they
// share, run in this process (`InProcess.run`) against a harness's in-process loopback server: exactly one `error:`
// line on stderr naming the flag or field, the documented exit code, nothing on stdout, no trap, and no request
// (unless the case puts a misbehaving server behind the endpoint).
import Foundation
import MediaKit
import Testing
import TestSupport

struct BadInputCase: Sendable, CustomTestStringConvertible {
    let name: String
    var args: [String]
    /// Files written into the harness's directory (@DIR@ in args and env): name, content, mode.
    var files: [(String, Data, Int)] = []
    var env: [String: String] = [:]
    var stdin: String? = nil
    /// A misbehaving server takes the endpoint's place (so requests are expected).
    var server: MisbehavingServer.Behaviour? = nil
    /// Run as an unprivileged user (root reads mode-0000 files): the one kind of case that needs a process of its own.
    var unprivileged = false
    var status: Int32 = 64
    let message: String
    var testDescription: String { name }

    /// Runs the case against a harness (its environment, its directory for @DIR@, its request count).
    /// `oneLine`: stderr is that one line and nothing else. `secrets` must appear nowhere.
    func check(environment: [String: String], dir: String, requests: () -> Int, secrets: [String] = [], oneLine: Bool = false) throws {
        func fill(_ s: String) -> String { s.replacingOccurrences(of: "@DIR@", with: dir) }
        for (name, data, mode) in files {
            let path = "\(dir)/\(name)"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let contents = String(data: data, encoding: .utf8).map { Data(fill($0).utf8) } ?? data
            #expect(FileManager.default.createFile(atPath: path, contents: contents, attributes: [.posixPermissions: mode]))
        }
        var env = environment.merging(self.env.mapValues(fill)) { $1 }
        let server = try self.server.map { try MisbehavingServer($0) }
        defer { server?.stop() }
        if let server { env["MEDIACTL_ENDPOINT"] = server.baseURL }
        let args = self.args.map(fill)
        let started = Date()
        let status: Int32, stdout: String, stderr: String
        if unprivileged && getuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }   // root without setpriv: cannot test
            // root reads any file; drop to nobody (a process of its own) so a mode-0000 file is really unreadable.
            chmod(dir, 0o755)
            let r = try CLIRunner.run(["--reuid=65534", "--regid=65534", "--clear-groups", CLIRunner.binary] + args, environment: env,
                                      stdin: stdin, timeout: 60, executable: "/usr/bin/setpriv")
            (status, stdout, stderr) = (r.status, r.stdout, r.stderr)
        } else {
            let r = InProcess.run(args, env: env, stdin: stdin ?? "")
            (status, stdout, stderr) = (r.status, r.stdout, r.stderr)
        }
        let errors = stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(status == self.status, "\(stderr.prefix(2000))")
        #expect(errors.count == 1, "exactly one error line: \(stderr.prefix(2000))")
        if oneLine { #expect(stderr.split(separator: "\n").count == 1, "one line: \(stderr.prefix(2000))") }
        #expect(stderr.contains(fill(message)), "\(stderr.prefix(2000))")
        #expect(stdout.isEmpty, "\(stdout.prefix(500))")
        for trap in ["Fatal error", "Stack dump", "Illegal instruction", "Segmentation fault", "Current stack trace", "💣"] {
            #expect(!stderr.contains(trap))
        }
        #expect(stderr.utf8.count < 4096, "the message is bounded")
        #expect(!stderr.contains("\u{1B}") && !stderr.contains("\u{7}"), "nothing from the server drives the terminal")
        #expect(Date().timeIntervalSince(started) < 20, "no hang")
        for secret in secrets { #expect(!stderr.contains(secret) && !stdout.contains(secret), "a secret leaked") }
        if server == nil { #expect(requests() == 0, "no request may be sent for bad input") }
    }
}
