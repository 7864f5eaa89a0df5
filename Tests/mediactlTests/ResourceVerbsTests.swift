// The generic resource verbs (update, delete, change-compartment, add-lock/remove-lock, list filters) in-process
// against the emulator on loopback: etags (412 on a stale --if-match), locks, --state checked before sending,
// --wait-for-state reaching its state or timing out (exit 8), and bad input refused with one line and no request.
import Foundation
import MediaKit
import Testing
import TestSupport
@testable import mediactl

@Suite struct ResourceVerbsTests {
    /// A workflow made through the CLI: its OCID.
    static func workflow(_ emu: EmulatorHarness, name: String = "wf") throws -> String {
        let r = InProcess.run(["workflow", "build", "--name", name, "--output", "id"], env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The etag `get` shows in text.
    static func etag(_ emu: EmulatorHarness, _ group: String, _ id: String) throws -> String {
        let r = InProcess.run([group, "get", id], env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
        let line = try #require(r.stdout.split(separator: "\n").first { $0.contains("etag:") })
        return line.split(separator: " ").last.map(String.init) ?? ""
    }

    static func json(_ r: InProcessResult) throws -> JSONValue { try JSONParser.parse(Data(r.stdout.utf8)) }

    @Test func updateSendsTheGivenFieldsAndAStaleEtagIsRefusedWith412() throws {
        let emu = try EmulatorHarness()
        let id = try Self.workflow(emu)
        let before = try Self.etag(emu, "workflow", id)
        let ok = InProcess.run(["workflow", "update", id, "--name", "renamed", "--freeform-tags", "{\"team\": \"media\"}",
                                "--if-match", before, "--output", "json"], env: emu.environment)
        #expect(ok.status == 0, "\(ok.stderr)")
        let updated = try Self.json(ok)
        #expect(updated["displayName"] == "renamed")
        #expect(updated["freeformTags"]?["team"] == "media")
        #expect(updated["version"]?.intValue == 2)

        // The etag read before that update is stale now: 412, exit 6, and nothing changed.
        let stale = InProcess.run(["workflow", "update", id, "--name", "again", "--if-match", before], env: emu.environment)
        #expect(stale.status == 6, "\(stale.stderr)")
        #expect(stale.stderr.contains("412"), "\(stale.stderr)")
        let get = InProcess.run(["workflow", "get", id, "--output", "json"], env: emu.environment)
        #expect(try Self.json(get)["displayName"] == "renamed")
        // And a stale etag stops a delete as well.
        let delete = InProcess.run(["workflow", "delete", id, "--yes", "--if-match", before], env: emu.environment)
        #expect(delete.status == 6, "\(delete.stderr)")
    }

    @Test func aLockedResourceRefusesDeleteUnlessOverridden() throws {
        let emu = try EmulatorHarness()
        let id = try Self.workflow(emu)
        let lock = InProcess.run(["workflow", "add-lock", id, "--type", "DELETE", "--message", "keep", "--output", "json"], env: emu.environment)
        #expect(lock.status == 0, "\(lock.stderr)")
        #expect(try Self.json(lock)["locks"]?.arrayValue?.first?["type"] == "DELETE")

        let refused = InProcess.run(["workflow", "delete", id, "--yes"], env: emu.environment)
        #expect(refused.status == 6, "\(refused.stderr)")
        #expect(refused.stderr.contains("lock"), "\(refused.stderr)")
        // Still there.
        #expect(InProcess.run(["workflow", "get", id], env: emu.environment).status == 0)

        let overridden = InProcess.run(["workflow", "delete", id, "--yes", "--lock-override", "--wait-for-state", "DELETED", "--output", "json"],
                                       env: emu.environment)
        #expect(overridden.status == 0, "\(overridden.stderr)")
        #expect(try Self.json(overridden)["lifecycleState"] == "DELETED")
        #expect(InProcess.run(["workflow", "get", id], env: emu.environment).status == 5)
    }

    @Test func removeLockLetsTheUpdateThrough() throws {
        let emu = try EmulatorHarness()
        let id = try Self.workflow(emu)
        #expect(InProcess.run(["workflow", "add-lock", id, "--type", "FULL"], env: emu.environment).status == 0)
        #expect(InProcess.run(["workflow", "update", id, "--name", "x"], env: emu.environment).status == 6)
        #expect(InProcess.run(["workflow", "update", id, "--name", "x", "--lock-override"], env: emu.environment).status == 0)
        #expect(InProcess.run(["workflow", "remove-lock", id, "--type", "FULL"], env: emu.environment).status == 0)
        let r = InProcess.run(["workflow", "update", id, "--name", "y", "--output", "json"], env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.json(r)["locks"]?.arrayValue?.isEmpty ?? true)
    }

    @Test func changeCompartmentMovesTheResource() throws {
        let emu = try EmulatorHarness()
        let id = try Self.workflow(emu)
        let target = "ocid1.compartment.oc1..aaaaaaaamovedhere"
        let r = InProcess.run(["workflow", "change-compartment", id, "--compartment-id", target], env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
        let get = InProcess.run(["workflow", "get", id, "--output", "json"], env: emu.environment)
        #expect(try Self.json(get)["compartmentId"] == .string(target))
    }

    @Test func aBogusStateIsRefusedNamingTheStatesAndNothingIsSent() throws {
        let emu = try EmulatorHarness()
        let before = emu.requestCount
        let r = InProcess.run(["job", "list", "--state", "BOGUS"], env: emu.environment)
        #expect(r.status == 64)
        #expect(r.stderr == "error: --state: 'BOGUS' is not a lifecycle state here; expected one of ACCEPTED, IN_PROGRESS, WAITING, REJECTED, FAILED, SUCCEEDED, CANCELING, CANCELED\n",
                "\(r.stderr)")
        #expect(emu.requestCount == before)
        let wait = InProcess.run(["workflow", "delete", "ocid1.mediaworkflow.oc1.iad.aaaaaaaaexample", "--yes", "--wait-for-state", "gone"],
                                 env: emu.environment)
        #expect(wait.status == 64)
        #expect(wait.stderr.hasPrefix("error: --wait-for-state: 'gone' is not a lifecycle state here; expected one of ACTIVE, NEEDS_ATTENTION, DELETED"),
                "\(wait.stderr)")
        #expect(emu.requestCount == before)
    }

    @Test func stateIsTakenInAnyCaseAndFilters() throws {
        let emu = try EmulatorHarness()
        _ = try Self.workflow(emu, name: "a")
        let active = InProcess.run(["workflow", "list", "--state", "active", "--output", "id"], env: emu.environment)
        #expect(active.status == 0, "\(active.stderr)")
        #expect(active.stdout.split(separator: "\n").count == 1)
        let none = InProcess.run(["workflow", "list", "--state", "Deleted", "--output", "id"], env: emu.environment)
        #expect(none.status == 0, "\(none.stderr)")
        #expect(none.stdout.isEmpty)
        let last = emu.emulator.requests.last?.query ?? ""
        #expect(last.contains("lifecycleState=DELETED"), "\(last)")
    }

    @Test func listSortsAsAsked() throws {
        let emu = try EmulatorHarness()
        for name in ["b", "c", "a"] { _ = try Self.workflow(emu, name: name) }
        let r = InProcess.run(["workflow", "list", "--sort-by", "displayName", "--sort-order", "DESC", "--query", "items[].displayName"],
                              env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.json(r) == ["c", "b", "a"])
    }

    @Test func waitForStateReturnsOnceThereAndTimesOutWithExit8() throws {
        let emu = try EmulatorHarness()
        let id = try Self.workflow(emu)
        let ok = InProcess.run(["workflow", "update", id, "--name", "w", "--wait-for-state", "ACTIVE", "--output", "json"], env: emu.environment)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try Self.json(ok)["lifecycleState"] == "ACTIVE")

        let started = Date()
        let late = InProcess.run(["workflow", "update", id, "--name", "v", "--wait-for-state", "NEEDS_ATTENTION", "--max-wait-seconds", "1"],
                                 env: emu.environment)
        #expect(late.status == 8, "\(late.stderr)")
        #expect(late.stderr.contains("still ACTIVE"), "\(late.stderr)")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func jobRunWaitsForTheStateAsked() throws {
        let emu = try EmulatorHarness(pollsInProgress: 2)
        let wf = try Self.workflow(emu)
        let r = InProcess.run(["job", "run", "--workflow-id", wf, "--parameters-file", "-", "--wait-for-state", "succeeded", "--output", "json"],
                              env: emu.environment, stdin: "{\"video\": {\"srcVideo\": \"a.mp4\"}}")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.json(r)["lifecycleState"] == "SUCCEEDED")
        let both = InProcess.run(["job", "run", "--workflow-id", wf, "--parameters-file", "-", "--wait", "--wait-for-state", "SUCCEEDED"],
                                 env: emu.environment, stdin: "{}")
        #expect(both.status == 64)
        #expect(both.stderr.contains("--wait and --wait-for-state cannot be combined"), "\(both.stderr)")
    }

    @Test(arguments: [
        (["workflow", "update", "ocid1.mediaworkflow.oc1.iad.aaaaaaaaexample"], "error: nothing to change: give at least one of --name, --file"),
        (["channel", "update", "ocid1.streamdistributionchannel.oc1.iad.aaaaaaaaexample", "--freeform-tags", "{\"a\": 1}"],
         "error: --freeform-tags: the value of \"a\" must be a string, got number"),
        (["job", "update", "ocid1.mediaworkflowjob.oc1.iad.aaaaaaaaexample", "--defined-tags", "{nope"],
         "error: --defined-tags: not valid JSON"),
        (["asset", "update", "ocid1.mediaasset.oc1.iad.aaaaaaaaexample", "--freeform-tags", "@/no/such/tags.json"],
         "error: --freeform-tags @/no/such/tags.json: no such file"),
        (["packaging-config", "delete", "ocid1.streampackagingconfig.oc1.iad.aaaaaaaaexample", "--yes", "--max-wait-seconds", "5"],
         "error: --max-wait-seconds: only with --wait-for-state"),
        (["asset", "delete", "ocid1.mediaasset.oc1.iad.aaaaaaaaexample", "--yes", "--delete-mode", "ALL"],
         "error: --delete-mode: expected one of DELETE_CHILDREN, DELETE_DERIVATIONS"),
        (["cdn-config", "add-lock", "ocid1.streamcdnconfig.oc1.iad.aaaaaaaaexample", "--type", "PARTIAL"],
         "error: --type: expected one of FULL, DELETE"),
        (["cdn-config", "list", "--channel-id", "ocid1.streamdistributionchannel.oc1.iad.aaaaaaaaexample", "--sort-by", "version"],
         "error: --sort-by: expected one of timeCreated, displayName"),
    ])
    func badInputIsOneLineExit64AndNothingSent(argv: [String], start: String) throws {
        let emu = try EmulatorHarness()
        let before = emu.requestCount
        let r = InProcess.run(argv, env: emu.environment)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.hasPrefix(start), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(emu.requestCount == before)
    }

    @Test func cdnConfigFileIsCheckedWithoutShowingSecrets() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("akamai.json", "{\"type\": \"AKAMAI_MANUAL\", \"edgeTokenKey\": 12345, \"originAuthSecretKeyA\": \"s3cr3t\"}")
        let r = InProcess.run(["cdn-config", "update", "ocid1.streamcdnconfig.oc1.iad.aaaaaaaaexample", "--cdn-config", path])
        #expect(r.status == 64)
        #expect(r.stderr == "error: --cdn-config: /edgeTokenKey must be a string, got number\n", "\(r.stderr)")
        #expect(!r.stderr.contains("s3cr3t"))
    }
}
