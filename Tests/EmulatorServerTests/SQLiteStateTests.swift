// The SQLite state file read back by scope, one record at a time: each emulator (Media Services unscoped, OpenTok
// and the Vonage application under their scopes) sees only its own records, with their values intact.
import EmulatorCore
import EmulatorServer
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct SQLiteStateTests {
    @Test func eachScopeReadsOnlyItsOwnRecords() throws {
        let dir = TemporaryDirectory()
        let base = try SQLiteStatePersistence(path: dir.path + "/state.sqlite")
        let value: JSONValue = ["id": "ocid1.mediaasset.oc1.iad.x", "n": .number("1.5"), "tags": ["a", "b"], "nested": ["ok": true, "none": nil]]
        try base.apply([.put(StateRecord(table: "resource", key: "r1", value: value)),
                        .put(StateRecord(table: "meta", key: "nextSequence", value: 3))])
        let openTok = ScopedPersistence(base, scope: "opentok")
        // A scope whose name starts like another's must not be read as part of it.
        let application = ScopedPersistence(base, scope: "opentokapp")
        try openTok.apply([.put(StateRecord(table: "session", key: "s1", value: ["mediaMode": "routed"]))])
        try application.apply([.put(StateRecord(table: "session", key: "s2", value: ["mediaMode": "relayed"])),
                               .put(StateRecord(table: "archive", key: "a1", value: ["status": "started"]))])

        #expect(try base.loadAll() == [StateRecord(table: "meta", key: "nextSequence", value: 3),
                                       StateRecord(table: "resource", key: "r1", value: value)])
        #expect(try openTok.loadAll() == [StateRecord(table: "session", key: "s1", value: ["mediaMode": "routed"])])
        #expect(try application.loadAll() == [StateRecord(table: "archive", key: "a1", value: ["status": "started"]),
                                              StateRecord(table: "session", key: "s2", value: ["mediaMode": "relayed"])])

        // Removal, and a second handle on the same file (a restart) reads the same.
        try openTok.apply([.remove(table: "session", key: "s1")])
        let reopened = try SQLiteStatePersistence(path: dir.path + "/state.sqlite")
        #expect(try ScopedPersistence(reopened, scope: "opentok").loadAll().isEmpty)
        #expect(try ScopedPersistence(reopened, scope: "opentokapp").loadAll().count == 2)
        #expect(try reopened.loadAll().count == 2)
    }

    @Test func theBinaryListsTheSameAfterARestart() throws {
        let emu = try EmulatorUnderTest(jobSeconds: 0.2)
        let channel = try emu.run(["channel", "build", "--output", "id"]).stdoutLines.first ?? ""
        _ = try emu.run(["channel", "build", "--output", "id"])
        _ = try emu.run(["workflow", "build", "--output", "id"])
        for i in 0..<4 {
            let r = try emu.run(["ingest", "--channel-id", channel, "--namespace", "emulator", "--bucket", "media-out",
                                 "--object", "clip\(i)/master.m3u8", "--output", "id"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let lists: [[String]] = [["asset", "list"], ["job", "list"], ["channel", "list"], ["workflow", "list"],
                                 ["job", "list", "--state", "SUCCEEDED"], ["asset", "list", "--limit", "3", "--all"]]
        func snapshot() throws -> [String] {
            try lists.map { args in
                let r = try emu.run(args + ["--output", "json"])
                #expect(r.status == 0, "\(args): \(r.stderr)")
                return r.stdout
            }
        }
        let live = try snapshot()
        #expect(live.allSatisfy { !$0.isEmpty })
        emu.stop()
        try emu.start(port: 0)
        let restarted = try snapshot()
        // Channels carry the emulator's host:port as domainName, which a restart on a new port changes.
        let port = { (text: String) in text.replacingOccurrences(of: #"127\.0\.0\.1:[0-9]+"#, with: "HOST", options: .regularExpression) }
        #expect(live.map(port) == restarted.map(port))
    }
}
