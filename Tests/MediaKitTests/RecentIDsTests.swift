// The per-user cache of printed ids: filed by kind (an OCID's type, else the kind given), newest first, capped,
// forgotten on delete, private (0600), and not rewritten when nothing changes. Real files in a temporary folder.
import Foundation
@testable import MediaKit
import Testing
import TestSupport

@Suite struct RecentIDsTests {
    let dir = TemporaryDirectory()
    var cache: RecentIDs { RecentIDs(path: dir.path + "/state/recent-ids.json") }

    @Test func idsAreFiledByKindNewestFirstAndCapped() throws {
        let workflows = (0..<30).map { "ocid1.mediaworkflow.oc1.iad.aaaa\($0)" }
        #expect(cache.record(Array(workflows.prefix(20))))
        #expect(cache.record(Array(workflows.dropFirst(20)) + ["media-in"], kind: "bucket"))
        #expect(cache.ids(of: ["mediaworkflow"]).count == RecentIDs.perKind)
        #expect(cache.ids(of: ["mediaworkflow"]).first == workflows[20], "the newest come first")
        #expect(cache.ids(of: ["bucket"]) == ["media-in"], "a name is filed under the kind given; an OCID under its type")
        #expect(RecentIDs(path: dir.path + "/state/recent-ids.json").record(["token-like"]), "no kind: not kept")
        #expect(!cache.ids(of: ["mediaworkflow", "bucket"]).contains("token-like"))
        let status = try FileManager.default.attributesOfItem(atPath: cache.path)
        #expect((status[.posixPermissions] as? Int) == 0o600)
    }

    @Test func forgettingAndUnchangedRecordsDoNotRewrite() throws {
        #expect(cache.record(["ocid1.streamdistributionchannel.oc1.iad.aaaa1", "ocid1.streamdistributionchannel.oc1.iad.aaaa2"]))
        let inode = try #require(try FileManager.default.attributesOfItem(atPath: cache.path)[.systemFileNumber] as? Int)
        #expect(cache.record(["ocid1.streamdistributionchannel.oc1.iad.aaaa1"]), "already the newest")
        #expect(try FileManager.default.attributesOfItem(atPath: cache.path)[.systemFileNumber] as? Int == inode, "nothing changed: not rewritten")
        #expect(cache.forget(["ocid1.streamdistributionchannel.oc1.iad.aaaa1"]))
        #expect(cache.ids(of: ["streamdistributionchannel"]) == ["ocid1.streamdistributionchannel.oc1.iad.aaaa2"])
    }

    @Test func aDamagedCacheReadsAsEmptyAndIsReplaced() throws {
        try FileManager.default.createDirectory(atPath: dir.path + "/state", withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: cache.path))
        #expect(cache.ids(of: ["mediaworkflow"]).isEmpty)
        #expect(cache.record(["ocid1.mediaworkflow.oc1.iad.aaaa"]))
        #expect(cache.ids(of: ["mediaworkflow"]) == ["ocid1.mediaworkflow.oc1.iad.aaaa"])
    }
}
