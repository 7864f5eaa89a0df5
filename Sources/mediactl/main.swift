// Entry point: parse, dispatch, map errors to exit codes. Nothing else happens here.
import FoundationEssentials
import MediaKit
import TerminalKit

let environment = ProcessInfo.processInfo.environment
let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.homeDirectoryForCurrentUser.path
let io = IOStreams(environment: environment, home: home)
SignalHandling.install()
Processes.exit(Runner.run(Array(CommandLine.arguments.dropFirst()), io: io, environment: environment).rawValue)
