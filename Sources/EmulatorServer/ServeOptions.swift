// `mediactl-emulator serve`'s command line: one table of flags, parsed into a value; nothing else reads argv.
import EmulatorCore
import Foundation
import MediaKit

public struct ServeOptions: Sendable, Equatable {
    public var port = 0
    public var host = "127.0.0.1"
    public var stateDirectory: String
    /// How long a job takes from ACCEPTED to its end; nil would mean per-poll progress (tests of EmulatorCore only).
    public var jobSeconds: Double = 6
    public var writeProfile = false
    public var faults: [FaultRule] = []
    /// `--fault` rules that script simulated jobs' failures.
    public var jobFaults: [JobFaultRule] = []
    public var latencyMilliseconds = 0
    /// Keep the scripted job lifecycle even when ffmpeg and ffprobe are installed.
    public var simulateMedia = false

    public init(stateDirectory: String) { self.stateDirectory = stateDirectory }

    /// `$XDG_STATE_HOME/mediactl/emulator`, else `~/.local/state/mediactl/emulator` (the CLI uses the same default).
    public static func defaultStateDirectory(environment: [String: String]) -> String {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return "\(StatePaths.directory(environment: environment, home: home))/emulator"
    }

    struct Flag {
        let name: String
        let meta: String?
        let help: String
    }

    static let flags: [Flag] = [
        Flag(name: "port", meta: "N", help: "TCP port on 127.0.0.1 (0, the default, picks a free one)"),
        Flag(name: "host", meta: "ADDRESS", help: "address to listen on (default 127.0.0.1; the admin endpoints are unauthenticated)"),
        Flag(name: "state", meta: "DIR", help: "state directory: key, OCI config, SQLite state, port/endpoint/pid files "
             + "(default $XDG_STATE_HOME/mediactl/emulator)"),
        Flag(name: "job-seconds", meta: "S", help: "seconds a job takes from ACCEPTED to SUCCEEDED/FAILED (default 6)"),
        Flag(name: "write-profile", meta: nil, help: "also add the [EMULATOR] profile to ~/.oci/config (or $OCI_CLI_CONFIG_FILE)"),
        Flag(name: "fault", meta: "JSON", help: "a fault rule, as for POST /_emulator/faults (repeatable), e.g. "
             + #"'{"operation":"POST /20211101/mediaWorkflows","status":503,"count":2,"retryAfter":1}' or "#
             + #"'{"job":"nightly","task":"transcode","message":"input could not be decoded"}'"#),
        Flag(name: "latency-ms", meta: "N", help: "added to every call (same as a fault rule {\"operation\":\"*\",\"latencyMs\":N})"),
        Flag(name: "simulate-media", meta: nil, help: "run jobs on the scripted clock (--job-seconds) instead of with ffmpeg against "
             + "<state>/objects; the default when ffmpeg or ffprobe is not on PATH"),
    ]

    public static let usage: String = {
        var lines = ["usage: mediactl-emulator serve [flags]", "",
                     "A local OCI Media Services, Media Streams and OpenTok server for mediactl (see `mediactl emulator start`).", "",
                     "flags:"]
        for f in flags {
            let left = "  --\(f.name)" + (f.meta.map { " \($0)" } ?? "")
            lines.append(left.padding(toLength: max(24, left.count + 2), withPad: " ", startingAt: 0) + f.help)
        }
        lines += ["", "admin endpoints (unsigned): GET /_emulator/health; GET, POST, DELETE /_emulator/faults"]
        return lines.joined(separator: "\n")
    }()

    public enum Parsed: Equatable, Sendable {
        case serve(ServeOptions)
        case help
        case version
    }

    public static func parse(_ arguments: [String], environment: [String: String]) throws(ServeUsageError) -> Parsed {
        var args = arguments[...]
        if args.first == "--help" || args.first == "-h" || args.first == "help" { return .help }
        if args.first == "--version" { return .version }
        guard args.first == "serve" else {
            throw ServeUsageError("expected the command `serve`" + (args.first.map { ", got '\($0)'" } ?? ""))
        }
        args = args.dropFirst()
        var options = ServeOptions(stateDirectory: defaultStateDirectory(environment: environment))
        while let arg = args.popFirst() {
            if arg == "--help" || arg == "-h" { return .help }
            guard arg.hasPrefix("--") else { throw ServeUsageError("unexpected argument '\(arg)'") }
            var name = String(arg.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let flag = flags.first(where: { $0.name == name }) else { throw ServeUsageError("unknown flag --\(name)") }
            var value = ""
            if flag.meta != nil {
                guard let v = inline ?? args.popFirst() else { throw ServeUsageError("--\(name) needs a value (\(flag.meta ?? ""))") }
                value = v
            }
            switch name {
            case "port":
                guard let n = Int(value), (0...65535).contains(n) else { throw ServeUsageError("--port: expected 0 to 65535, got '\(value)'") }
                options.port = n
            case "host": options.host = value
            case "state":
                guard !value.isEmpty else { throw ServeUsageError("--state: expected a directory") }
                options.stateDirectory = value
            case "job-seconds":
                guard let s = Double(value), s.isFinite, (0...86_400).contains(s) else {
                    throw ServeUsageError("--job-seconds: expected a number of seconds from 0 to 86400, got '\(value)'")
                }
                options.jobSeconds = s
            case "write-profile": options.writeProfile = true
            case "simulate-media": options.simulateMedia = true
            case "fault":
                do {
                    switch try EmulatorFault(json: try JSONParser.parse(value)) {
                    case let .call(rule): options.faults.append(rule)
                    case let .job(rule): options.jobFaults.append(rule)
                    }
                } catch let error as FaultRuleError {
                    throw ServeUsageError("--fault: \(error.description)")
                } catch {
                    throw ServeUsageError("--fault: not valid JSON: \(error)")
                }
            case "latency-ms":
                guard let n = Int(value), (0...600_000).contains(n) else { throw ServeUsageError("--latency-ms: expected 0 to 600000, got '\(value)'") }
                options.latencyMilliseconds = n
            default: throw ServeUsageError("unknown flag --\(name)")
            }
        }
        return .serve(options)
    }
}

public struct ServeUsageError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
