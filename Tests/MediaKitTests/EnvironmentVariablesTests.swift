// Every environment variable MediaKit reads is in `EnvironmentVariables.all`, so --help and the docs can show it.
import Foundation
import MediaKit
import Testing

@Suite struct EnvironmentVariablesTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/MediaKit").path
    /// Upper-case literals in MediaKit that are wire constants, not variable names.
    static let notVariables: Set<String> = ["ASSET_METADATA_MEDIA_ASSET", "OBJECT_DETECTION"]
    /// Read by libcurl itself, so no MediaKit source names them.
    static let readByLibcurl: Set<String> = ["HTTPS_PROXY", "https_proxy", "http_proxy", "ALL_PROXY", "NO_PROXY"]

    /// Each Swift file under Sources/MediaKit but the table itself, with its text.
    static func sourceFiles() throws -> [(String, String)] {
        let files = try #require(FileManager.default.subpathsOfDirectory(atPath: sources) as [String]?)
        return files.filter { $0.hasSuffix(".swift") && !$0.hasSuffix("EnvironmentVariables.swift") }.sorted().map { file in
            (file, String(decoding: FileManager.default.contents(atPath: "\(sources)/\(file)") ?? Data(), as: UTF8.self))
        }
    }

    /// A string literal shaped like a variable name of the families mediactl reads (`"OCI_CLI_USER"`, `"MEDIACTL_…"`,
    /// `"OPENTOK_…"`, `"VONAGE_…"`, `"XDG_…"`, `"KUBERNETES_…"`), or the name in a literal `environment["…"]` read. Other
    /// upper-case literals (wire enums such as `"DELETE_CHILDREN"`) are not variables.
    static func namesRead(in text: String) throws -> Set<String> {
        var names = Set<String>()
        let shapes = [try Regex(#""((?:OCI|MEDIACTL|OPENTOK|VONAGE|XDG|KUBERNETES|HTTPS?|NO|ALL)_[A-Z0-9_]*[A-Z0-9])""#), try Regex(#"environment\["([^"]+)"\]"#)]
        for shape in shapes {
            for match in text.matches(of: shape) {
                if let name = match.output[1].substring { names.insert(String(name)) }
            }
        }
        return names
    }

    @Test func everyVariableMediaKitReadsIsInTheTable() throws {
        let listed = Set(EnvironmentVariables.all.map(\.name))
        var missing: [String] = []
        let files = try Self.sourceFiles()
        #expect(files.count > 20)
        for (file, text) in files {
            for name in try Self.namesRead(in: text).subtracting(Self.notVariables).subtracting(listed).sorted() {
                missing.append("\(name) (\(file))")
            }
        }
        #expect(missing == [], "add these to EnvironmentVariables.all: \(missing.joined(separator: ", "))")
    }

    @Test func everyVariableInTheTableIsReadSomewhere() throws {
        let all = try Self.sourceFiles().map(\.1).joined(separator: "\n")
        let unread = EnvironmentVariables.all.map(\.name).filter { !Self.readByLibcurl.contains($0) && !all.contains("\"\($0)\"") }
        #expect(unread == [])
    }

    @Test func namesAreUniqueAndEachSaysWhatItChanges() {
        let names = EnvironmentVariables.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(EnvironmentVariables.all.allSatisfy { !$0.effect.isEmpty })
    }

    /// Flag-backed variables are the CLI's to resolve: MediaKit must not read them again.
    @Test func flagVariablesAreNotReadByMediaKit() throws {
        let all = try Self.sourceFiles().map(\.1).joined(separator: "\n")
        for name in ["OCI_CLI_AUTH", "OCI_CLI_PROFILE", "OCI_CLI_CONFIG_FILE", "OCI_CONFIG_FILE", "OCI_CLI_REGION", "MEDIACTL_ENDPOINT",
                     "OCI_CLI_ENDPOINT", "OCI_METADATA_BASE_URL", "OCI_CLI_FEDERATION_ENDPOINT"] {
            #expect(!all.contains("\"\(name)\""), "\(name) is read in Sources/MediaKit")
        }
    }

    @Test func valuesAreTrimmedAndEmptyMeansUnset() {
        let env = ["A": "  x\n", "B": " \n", "C": ""]
        #expect(EnvironmentVariables.value("A", in: env) == "x")
        #expect(EnvironmentVariables.value("B", in: env) == nil)
        #expect(EnvironmentVariables.value("C", in: env) == nil)
        #expect(EnvironmentVariables.value("D", in: env) == nil)
    }

    @Test func settingsIgnoreTheVariablesTheCLIResolves() {
        let env = ["OCI_CLI_AUTH": "instance_principal", "OCI_CLI_PROFILE": "OTHER", "OCI_CLI_CONFIG_FILE": "/elsewhere"]
        let s = OCISettings(environment: env, homeDirectory: "/home/u")
        #expect((try? s.authMode()) == .apiKey)
        #expect(s.profileName == "DEFAULT")
        #expect(s.configPath == "/home/u/.oci/config")
    }
}
