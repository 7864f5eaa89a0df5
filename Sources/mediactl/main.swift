// Entry point: parse, dispatch, map errors to exit codes. Nothing else happens here.
import FoundationEssentials
import Glibc
import MediaKit

let environment = ProcessInfo.processInfo.environment
let io = IOStreams(environment: environment)
SignalHandling.install()
exit(Runner.run(Array(CommandLine.arguments.dropFirst()), io: io, environment: environment).rawValue)
