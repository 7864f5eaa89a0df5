// What keeps mediactl's start-up fast and its memory small (docs/performance.md), checked so new code
// cannot undo it unnoticed: MediaKit and mediactl use FoundationEssentials, never all of Foundation
// (which brings CoreFoundation and ICU: 50 MB more binary, +8 MB at the first ICU call), and libcurl is
// loaded when a request is made (Sources/CCurl/loader.c), not linked.
import Foundation
import Testing
import TestSupport

@Suite struct FootprintRuleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `import Foundation`, `@preconcurrency import Foundation`, `import struct Foundation.X`, and the
    /// other modules of the full Foundation; FoundationEssentials is fine.
    static func foundationImport(in line: Substring) -> String? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).filter { !$0.hasPrefix("@") }
        guard words.first == "import", let module = words.last?.split(separator: ".").first else { return nil }
        let full: Set<Substring> = ["Foundation", "FoundationNetworking", "FoundationXML", "FoundationInternationalization", "CoreFoundation"]
        return full.contains(module) ? String(module) : nil
    }

    @Test func mediaKitAndTheCLIImportOnlyFoundationEssentials() throws {
        var offenders: [String] = []
        for folder in ["Sources/MediaKit", "Sources/mediactl"] {
            let base = Self.root.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
            #expect(!files.isEmpty, "no Swift files under \(folder)")
            for file in files {
                let text = try String(contentsOf: base.appendingPathComponent(file), encoding: .utf8)
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    if let module = Self.foundationImport(in: line) { offenders.append("\(folder)/\(file):\(n + 1): import \(module)") }
                }
            }
        }
        #expect(offenders.isEmpty, """
            MediaKit and mediactl import FoundationEssentials (and Glibc), never Foundation: \
            see Sources/MediaKit/Support/Essentials.swift for String(cFormat:), trimming(_:), padded(to:), Lock, \
            Date.internetDateTime(), StandardInput, runOnThreads and fileErrorReason; stdlib replacing(_:with:) \
            and firstRange(of:) replace replacingOccurrences and range(of:).
            \(offenders.joined(separator: "\n"))
            """)
    }

    @Test func theRuleSeesEveryFormOfImport() {
        #expect(Self.foundationImport(in: "import Foundation") == "Foundation")
        #expect(Self.foundationImport(in: "@preconcurrency import Foundation") == "Foundation")
        #expect(Self.foundationImport(in: "import struct Foundation.Date") == "Foundation")
        #expect(Self.foundationImport(in: "  import FoundationNetworking") == "FoundationNetworking")
        #expect(Self.foundationImport(in: "import FoundationEssentials") == nil)
        #expect(Self.foundationImport(in: "// import Foundation is not used here") == nil)
    }

    /// The built binary: no Foundation, CoreFoundation or ICU library and no libcurl among what the
    /// dynamic loader must load before main (a debug build links the Swift libraries dynamically, so
    /// an import of Foundation shows here as libFoundation.so).
    @Test func theBinaryLoadsNeitherFoundationNorLibcurlAtStart() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["readelf", "--dynamic", CLIRunner.binary]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let needed = text.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        #expect(!needed.isEmpty, "readelf found no NEEDED entries in \(CLIRunner.binary)")
        for forbidden in ["libFoundation.so", "libFoundationInternationalization", "_FoundationICU", "libcurl"] {
            #expect(!needed.contains { $0.contains(forbidden) }, "\(CLIRunner.binary) links \(forbidden): \(needed.joined(separator: "\n"))")
        }
    }
}
