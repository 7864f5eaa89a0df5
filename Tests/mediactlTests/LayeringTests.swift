// The layers, kept by a test that reads Sources/: the CLI imports no C module (only its own Swift modules: the C
// library and readline are reached through TerminalKit) and builds no transport; MediaKit never prints or reads argv;
// EmulatorCore stays transport-free; TerminalKit holds no API code. `violations` is the rule; the self-check feeds it
// made-up files so the test can be seen to fail.
import Foundation
import Testing

@Suite struct LayeringTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// C modules (and the C library overlays) the CLI may not import: they belong behind MediaKit or TerminalKit.
    static let cModules: Set<String> = ["CCurl", "COpenSSL", "CReadline", "Glibc", "Darwin", "Musl", "SwiftGlibc", "ucrt"]
    /// Everything Sources/mediactl may import; any other module (a C one above, a C shim such as _FoundationCShims,
    /// Foundation) is a violation.
    static let cliModules: Set<String> = ["FoundationEssentials", "MediaKit", "TerminalKit", "Synchronization"]
    /// TerminalKit wraps the C library and readline for the CLI, and nothing else: no API client, no transport.
    static let terminalKitModules: Set<String> = ["Glibc", "CReadline", "FoundationEssentials", "Synchronization"]
    /// Modules that carry a network transport, which EmulatorCore may not import.
    static let transportModules: [String] = ["Hummingbird", "NIO", "CCurl", "HTTPTypes", "AsyncHTTPClient"]

    // TODO(integrator): keep this list empty. A file here still breaks its rule and is skipped until it is moved:
    /// Files of Sources/mediactl that still build transports (the MediaKit connection factory takes this over).
    static let transportBuildersToMove: Set<String> = []
    // C imports have no such list: no file of Sources/mediactl may import a C module.

    /// The concrete transports: MediaKit's types that conform to HTTPTransport.
    static func transportTypes(_ mediaKitFiles: [(String, String)]) -> Set<String> {
        let pattern = try! Regex(#"(?:struct|class)\s+(\w+)\s*:[^{]*\bHTTPTransport\b"#)
        var names = Set<String>()
        for (_, text) in mediaKitFiles {
            for match in text.matches(of: pattern) { if let name = match.output[1].substring { names.insert(String(name)) } }
        }
        return names
    }

    /// What breaks the layering in one file (its path from the package root, its text); empty when it keeps it.
    static func violations(path: String, text: String, transports: Set<String>, exemptTransports: Set<String> = []) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Comments may name anything.
        let code = lines.enumerated().map { ($0.offset + 1, $0.element.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "") }
        func imports(_ line: String) -> String? {
            let modifiers: Set<String> = ["public", "internal", "package", "private", "fileprivate"]
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init).filter { !$0.hasPrefix("@") && !modifiers.contains($0) }
            guard words.count >= 2, words[0] == "import" else { return nil }
            // `import struct Glibc.stat` names the module after the kind.
            let kinds: Set<String> = ["struct", "class", "enum", "func", "var", "let", "typealias", "protocol"]
            let target = kinds.contains(words[1]) && words.count >= 3 ? words[2] : words[1]
            return String(target.split(separator: ".").first ?? "")
        }
        var found: [String] = []
        if path.hasPrefix("Sources/mediactl/") {
            for (n, line) in code {
                if let module = imports(line) {
                    if cModules.contains(module) {
                        found.append("\(path):\(n): the CLI imports the C module \(module)")
                    } else if !cliModules.contains(module) {
                        found.append("\(path):\(n): the CLI imports \(module), not one of \(cliModules.sorted().joined(separator: ", "))")
                    }
                }
                if !exemptTransports.contains(path) {
                    for name in transports where line.contains(try! Regex("(^|[^\\w])\(name)([^\\w]|$)")) {
                        found.append("\(path):\(n): the CLI names the transport \(name) (connections are built in MediaKit)")
                    }
                }
            }
        } else if path.hasPrefix("Sources/MediaKit/") {
            let rules: [(String, String)] = [(#"(^|[^\w.])print\("#, "prints"), (#"(^|[^\w.])debugPrint\("#, "prints"),
                                             (#"FileHandle\.standard(Output|Error)"#, "writes to a standard stream"),
                                             (#"(^|[^\w])(STDOUT_FILENO|STDERR_FILENO)([^\w]|$)"#, "writes to a standard stream"),
                                             (#"(^|[^\w.])(stdout|stderr)\s*[,)]"#, "writes to a standard stream"),
                                             (#"(^|[^\w])CommandLine([^\w]|$)"#, "reads argv (CommandLine)")]
            for (n, line) in code {
                for (pattern, what) in rules where line.contains(try! Regex(pattern)) { found.append("\(path):\(n): MediaKit \(what)") }
            }
        } else if path.hasPrefix("Sources/TerminalKit/") {
            for (n, line) in code {
                if let module = imports(line), !terminalKitModules.contains(module) {
                    found.append("\(path):\(n): TerminalKit imports \(module), not one of \(terminalKitModules.sorted().joined(separator: ", "))")
                }
            }
        } else if path.hasPrefix("Sources/EmulatorCore/") {
            for (n, line) in code {
                if let module = imports(line), transportModules.contains(where: { module.hasPrefix($0) }) {
                    found.append("\(path):\(n): EmulatorCore imports the transport module \(module)")
                }
                for name in transports where line.contains(try! Regex("(^|[^\\w])\(name)([^\\w]|$)")) {
                    found.append("\(path):\(n): EmulatorCore names the transport \(name)")
                }
            }
        }
        return found
    }

    static func sources(under folder: String) throws -> [(String, String)] {
        let base = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var files: [(String, String)] = []
        for case let relative as String in walker where relative.hasSuffix(".swift") {
            files.append(("\(folder)/\(relative)", try String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    @Test func theLayersHold() throws {
        let mediaKit = try Self.sources(under: "Sources/MediaKit")
        let transports = Self.transportTypes(mediaKit)
        #expect(transports.isSuperset(of: ["CurlTransport", "SigningTransport", "RetryingTransport", "DebugLogTransport"]), "\(transports)")
        let files = try Self.sources(under: "Sources/mediactl") + mediaKit + Self.sources(under: "Sources/EmulatorCore")
            + Self.sources(under: "Sources/TerminalKit")
        #expect(files.count > 100)
        #expect(files.contains { $0.0.hasPrefix("Sources/TerminalKit/") })
        let found = files.flatMap { Self.violations(path: $0.0, text: $0.1, transports: transports,
                                                    exemptTransports: Self.transportBuildersToMove) }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    /// A file on the TODO list that no longer breaks its rule must leave the list, so the list only shrinks.
    @Test func theTodoListsNameOnlyFilesThatStillNeedIt() throws {
        let transports = Self.transportTypes(try Self.sources(under: "Sources/MediaKit"))
        let cli = Dictionary(try Self.sources(under: "Sources/mediactl"), uniquingKeysWith: { a, _ in a })
        for path in Self.transportBuildersToMove.sorted() {
            let text = try #require(cli[path], "\(path) is gone: take it off transportBuildersToMove")
            let found = Self.violations(path: path, text: text, transports: transports).filter { $0.contains("names the transport") }
            #expect(!found.isEmpty, "\(path) builds no transport any more: take it off transportBuildersToMove")
        }
    }

    /// The rule fails on made-up files that break it, and passes the same files once fixed.
    @Test func theRuleCanFail() {
        let transports: Set<String> = ["CurlTransport", "SigningTransport"]
        let bad: [(String, String, String)] = [
            ("Sources/mediactl/CLI/Fake.swift", "import MediaKit\nimport Glibc\n", "imports the C module Glibc"),
            ("Sources/mediactl/CLI/Fake.swift", "@preconcurrency import CReadline\n", "imports the C module CReadline"),
            ("Sources/mediactl/CLI/Fake.swift", "import struct Glibc.stat\n", "imports the C module Glibc"),
            ("Sources/mediactl/main.swift", "import MediaKit\n@preconcurrency import Glibc\n", "imports the C module Glibc"),
            ("Sources/mediactl/CLI/Fake.swift", "import _FoundationCShims\n", "imports _FoundationCShims, not one of"),
            ("Sources/mediactl/CLI/Fake.swift", "import Foundation\n", "imports Foundation, not one of"),
            ("Sources/TerminalKit/Fake.swift", "import MediaKit\n", "TerminalKit imports MediaKit"),
            ("Sources/TerminalKit/Fake.swift", "import CCurl\n", "TerminalKit imports CCurl"),
            ("Sources/mediactl/Commands/Fake.swift", "let t = try CurlTransport(options: o)\n", "names the transport CurlTransport"),
            ("Sources/MediaKit/Fake.swift", "func f() { print(\"hello\") }\n", "MediaKit prints"),
            ("Sources/MediaKit/Fake.swift", "FileHandle.standardError.write(d)\n", "writes to a standard stream"),
            ("Sources/MediaKit/Fake.swift", "_ = write(STDERR_FILENO, p, n)\n", "writes to a standard stream"),
            ("Sources/MediaKit/Fake.swift", "let args = CommandLine.arguments\n", "reads argv"),
            ("Sources/EmulatorCore/Fake.swift", "import NIOCore\n", "imports the transport module NIOCore"),
            ("Sources/EmulatorCore/Fake.swift", "import Hummingbird\n", "imports the transport module Hummingbird"),
        ]
        for (path, text, expected) in bad {
            let found = Self.violations(path: path, text: text, transports: transports)
            #expect(found.count == 1 && found[0].contains(expected), "\(path): \(text) → \(found)")
        }
        let good: [(String, String)] = [
            ("Sources/mediactl/CLI/Fake.swift", "import MediaKit\n// CurlTransport is built in MediaKit; Glibc stays out\nlet s = io.printable(x)\n"),
            ("Sources/mediactl/CLI/Fake.swift", "import FoundationEssentials\nimport MediaKit\nimport TerminalKit\n"),
            ("Sources/TerminalKit/Fake.swift", "import CReadline\nimport FoundationEssentials\nimport Glibc\nimport Synchronization\n"),
            ("Sources/MediaKit/Fake.swift", "let s = text.printable(x)\n// never print( here\nlet line = debugDescription\n"),
            ("Sources/EmulatorCore/Fake.swift", "import Foundation\nimport MediaKit\n"),
        ]
        for (path, text) in good { #expect(Self.violations(path: path, text: text, transports: transports).isEmpty, "\(path): \(text)") }
        // A file exempt from the transport rule is skipped for that rule only: its C import still counts.
        let both = "import Glibc\nlet t = CurlTransport()\n"
        let exempt = Self.violations(path: "Sources/mediactl/X.swift", text: both, transports: transports, exemptTransports: ["Sources/mediactl/X.swift"])
        #expect(exempt.count == 1 && exempt[0].contains("imports the C module Glibc"), "\(exempt)")
    }
}
