// What a verb's `run` works with besides its options: the streams (and the person behind them), the
// environment, the clock, the global choices (output format, debug), and the clients those configure.
// Built once per run by the runner; tests build it from fake streams.
import FoundationEssentials
import MediaKit

/// `--output`: how results print.
enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, id, table
}

final class CommandContext: @unchecked Sendable {
    // Used from the main thread only (the spinner thread writes through `io`, which locks).
    let io: IOStreams
    let environment: [String: String]
    let home: String
    let clock: MediaKit.Clock
    let output: OutputFormat
    let debug: Bool
    /// `--query`: a JMESPath expression applied to the JSON result before it is printed (as the OCI CLI does).
    let query: JMESPath?
    /// The command's own --timeout (a wait's), which also caps each request and its retries.
    let commandTimeout: Double?
    /// The parsed line, for the global flags that configure connections (Connections.swift).
    let invocation: Invocation

    init(invocation: Invocation) throws(MediaError) {
        self.invocation = invocation
        io = invocation.io
        environment = invocation.environment
        home = invocation.home
        clock = invocation.clock
        output = try invocation.value(GlobalFlags.output)
        debug = try invocation.value(GlobalFlags.debug)
        do throws(MediaError) { query = try invocation.value(GlobalFlags.query).map { text throws(MediaError) in try JMESPath(text) } } catch {
            throw .usage("--query: \(error.message)")
        }
        commandTimeout = invocation.line.command.flags.contains { $0.name == "timeout" } ? try invocation.double("timeout") : nil
    }

    /// The ids this user's runs have printed, per kind (completion at the shell and at prompts, the menu's defaults).
    var recentIDs: RecentIDs { RecentIDs(environment: environment, home: home) }

    /// `~` and `~/…` against the user's home.
    func expand(_ path: String) -> String { invocation.expand(path) }
}
