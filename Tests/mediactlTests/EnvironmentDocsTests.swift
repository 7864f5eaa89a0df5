// The environment variables MediaKit reads show in the generated docs and man page, and the CLI builds no
// transport of its own (MediaKit's ConnectionFactory is the one owner of the stack).
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct EnvironmentDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func generated(_ file: String) throws -> String {
        let dir = TemporaryDirectory()
        let r = try CLIRunner.run(["__docs", dir.path], environment: [:])
        #expect(r.status == 0)
        return String(decoding: FileManager.default.contents(atPath: "\(dir.path)/\(file)") ?? Data(), as: UTF8.self)
    }

    @Test func everyVariableMediaKitReadsIsInTheDocsEnvironmentSection() throws {
        let page = try generated("global-flags.md")
        let section = try #require(page.split(separator: "## Environment", maxSplits: 1).last.map(String.init))
        let missing = EnvironmentVariables.all.map(\.name).filter { !section.contains("| `\($0)` |") }
        #expect(missing == [])
    }

    @Test func everyVariableMediaKitReadsIsInTheManPage() throws {
        let page = try generated("mediactl.1")
        let section = try #require(page.split(separator: ".SH ENVIRONMENT", maxSplits: 1).last.map(String.init))
        let missing = EnvironmentVariables.all.map(\.name).filter { !section.contains(".B \($0)\n") }
        #expect(missing == [])
    }

    /// OCI_CLI_ENDPOINT (oci-cli's) and OCI_CONFIG_FILE (the SDK's) are second names of --endpoint and --config-file.
    @Test func theSDKsNamesShowWithTheirFlags() throws {
        let page = try generated("global-flags.md")
        #expect(page.contains("| `--endpoint` | URL |  | `MEDIACTL_ENDPOINT`, `OCI_CLI_ENDPOINT` |"))
        #expect(page.contains("| `--config-file` | PATH |  | `OCI_CLI_CONFIG_FILE`, `OCI_CONFIG_FILE` |"))
        // Wrapped to the width: compare with the line breaks and indents folded to single spaces.
        let help = try CLIRunner.run(["help", "flags"], environment: [:]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("env MEDIACTL_ENDPOINT, OCI_CLI_ENDPOINT"))
    }

    @Test func theCLIBuildsNoTransport() throws {
        let cli = Self.root.appendingPathComponent("Sources/mediactl").path
        let layers = ["CurlTransport(", "RetryingTransport(", "SigningTransport(", "DebugLogTransport(", "FixedRequestIDTransport(",
                      "VideoAuthTransport(", "PrincipalNetwork("]
        var found: [String] = []
        for file in (FileManager.default.subpaths(atPath: cli) ?? []).filter({ $0.hasSuffix(".swift") }).sorted() {
            let text = String(decoding: FileManager.default.contents(atPath: "\(cli)/\(file)") ?? Data(), as: UTF8.self)
            for layer in layers where text.contains(layer) { found.append("\(file): \(layer)") }
        }
        #expect(found == [])
    }
}
