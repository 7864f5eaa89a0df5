// Entry point of `mediactl-emulator`: parse the command line, serve until a signal, map failures to exit codes.
import EmulatorServer
import Foundation
import MediaKit

let environment = ProcessInfo.processInfo.environment
let log: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }

do {
    switch try ServeOptions.parse(Array(CommandLine.arguments.dropFirst()), environment: environment) {
    case .help:
        print(ServeOptions.usage)
    case .version:
        print("mediactl-emulator \(MediaKitVersion.string)")
    case let .serve(options):
        try await EmulatorLauncher.serve(options, environment: environment, log: log)
    }
} catch let error as ServeUsageError {
    log("mediactl-emulator: \(error.description)\n\n\(ServeOptions.usage)")
    exit(64)
} catch {
    log("mediactl-emulator: \(error)")
    exit(1)
}
