// --query (JMESPath over the JSON result) and --output table, in-process against the emulator on loopback.
import Foundation
import MediaKit
import Testing
import TestSupport
@testable import mediactl

@Suite struct QueryAndTableOutputTests {
    /// Two workflows made through the CLI, so the lists below have something to show.
    static func harnessWithWorkflows() throws -> EmulatorHarness {
        let emu = try EmulatorHarness()
        for name in ["alpha", "beta"] {
            let r = InProcess.run(["workflow", "build", "--name", name, "--output", "id"], env: emu.environment)
            #expect(r.status == 0, "\(r.stderr)")
        }
        return emu
    }

    @Test func queryProjectsTheJSONResult() throws {
        let emu = try Self.harnessWithWorkflows()
        let r = InProcess.run(["workflow", "list", "--all", "--query", "sort(items[].displayName)"], env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try JSONParser.parse(Data(r.stdout.utf8)) == .array([.string("alpha"), .string("beta")]))
    }

    @Test func queryWithOutputIdPrintsLines() throws {
        let emu = try Self.harnessWithWorkflows()
        let r = InProcess.run(["workflow", "list", "--all", "--query", "items[?displayName=='beta'].displayName", "--output", "id"],
                              env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "beta\n")
    }

    @Test func aBadQueryIsRefusedBeforeAnyRequest() throws {
        let emu = try Self.harnessWithWorkflows()
        let before = emu.requestCount
        let r = InProcess.run(["workflow", "list", "--query", "items[?"], env: emu.environment)
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("error: --query: syntax error at column"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(emu.requestCount == before)
    }

    @Test func tableOutputHasAHeaderAndAlignedColumns() throws {
        let emu = try Self.harnessWithWorkflows()
        let r = InProcess.run(["workflow", "list", "--all", "--output", "table"], env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init).filter { !$0.allSatisfy { "-─+| ".contains($0) } }
        #expect(lines.first?.contains("NAME") == true && lines.first?.contains("STATE") == true && lines.first?.contains("ID") == true,
                "\(r.stdout)")
        let body = lines.dropFirst()
        #expect(body.count == 2, "\(r.stdout)")
        // Aligned: the ID column starts at the same offset on every line.
        let offsets = Set(body.compactMap { $0.range(of: "ocid1.")?.lowerBound.utf16Offset(in: $0) })
        #expect(offsets.count == 1, "\(r.stdout)")
    }
}
