// The list index against a brute-force reference: generated resources (with deletes and jobs in every state), lists
// paged through with random filters, sort orders and page sizes, compared with filtering and sorting the same
// resources by hand; then the same lists, answer for answer, after a restart from the saved records.
import EmulatorCore
import Foundation
import MediaKit
import Testing

/// A fixed-seed generator (SplitMix64), so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What the test knows about every live resource: its JSON as last answered and its creation order.
struct Reference {
    var items: [String: (collection: String, json: JSONValue, order: Int)] = [:]
    var created = 0

    mutating func add(_ collection: String, _ json: JSONValue) {
        guard let id = json["id"]?.stringValue else { return }
        items[id] = (collection, json, created)
        created += 1
    }

    /// Filter, sort and page by hand: what a list must answer, in order.
    func expected(_ collection: String, filters: [(String, String)], sortBy: String?, descending: Bool) -> [String] {
        var rows = items.filter { $0.value.collection == collection }
            .filter { row in filters.allSatisfy { row.value.json[$0.0]?.stringValue == $0.1 } }
            .map { (id: $0.key, json: $0.value.json, order: $0.value.order) }
        if let sortBy {
            rows.sort { a, b in
                let x = a.json[sortBy]?.stringValue ?? "", y = b.json[sortBy]?.stringValue ?? ""
                return x == y ? a.order < b.order : x < y
            }
        } else {
            rows.sort { $0.order < $1.order }
        }
        if descending { rows.reverse() }
        return rows.map(\.id)
    }
}

@Suite struct ListIndexTests {
    static let compartments = [Rig.compartment, "ocid1.compartment.oc1..aaaaaaaasecond", "ocid1.compartment.oc1..aaaaaaaathird"]
    static let names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"]

    /// Builds a store of ~300 resources in `rig`, returning what the test knows about it.
    static func populate(_ rig: Rig, seed: UInt64) throws -> Reference {
        var random = SeededGenerator(state: seed)
        var reference = Reference()
        func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }

        for i in 0..<180 {
            let body: JSONValue = ["compartmentId": .string(pick(compartments)), "type": .string(pick(["VIDEO", "AUDIO", "PLAYLIST"])),
                                   "displayName": .string(pick(names)), "bucketName": .string(pick(["b1", "b2"])),
                                   "namespaceName": "ns", "objectName": .string("o/\(i % 40).mp4")]
            let (status, json, _) = try rig.send("POST", "/20211101/mediaAssets", body: body)
            #expect(status == 200)
            reference.add("mediaAssets", json)
        }
        // Deletes, spread over the creation order.
        for id in reference.items.keys.sorted().prefix(25) {
            #expect(try rig.send("DELETE", "/20211101/mediaAssets/\(id)").0 == 204)
            reference.items[id] = nil
        }
        let channels = try (0..<2).map { i in
            try rig.create("streamDistributionChannels", ["compartmentId": .string(compartments[i]), "displayName": .string(pick(names))])
        }
        for channel in channels {
            let (_, json, _) = try rig.send("GET", "/20211101/streamDistributionChannels/\(channel)")
            reference.add("streamDistributionChannels", json)
        }
        for _ in 0..<40 {
            let (status, json, _) = try rig.send("POST", "/20211101/streamPackagingConfigs", body: [
                "distributionChannelId": .string(pick(channels)), "displayName": .string(pick(names)),
                "streamPackagingFormat": .string(pick(["HLS", "DASH"])), "segmentTimeInSeconds": 6])
            #expect(status == 200)
            reference.add("streamPackagingConfigs", json)
        }
        let workflows = try (0..<2).map { _ in try rig.workflow() }
        for _ in 0..<50 {
            let (status, created, _) = try rig.send("POST", "/20211101/mediaWorkflowJobs", body: [
                "workflowIdentifierType": "ID", "mediaWorkflowId": .string(pick(workflows)), "compartmentId": .string(pick(compartments)),
                "displayName": .string(pick(names)), "parameters": [:]])
            #expect(status == 200)
            // Each GET moves a job a step: ACCEPTED, IN_PROGRESS or SUCCEEDED, as answered last.
            var json = created
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                json = try rig.send("GET", "/20211101/mediaWorkflowJobs/\(created["id"]?.stringValue ?? "")").1
            }
            reference.add("mediaWorkflowJobs", json)
        }
        return reference
    }

    /// Pages through a list to its end: every page's items (ids) and the raw answers.
    static func listAll(_ rig: Rig, _ collection: String, query: [(String, String)], limit: Int?) throws -> (ids: [String], pages: [JSONValue]) {
        var ids: [String] = []
        var pages: [JSONValue] = []
        var token: String?
        repeat {
            var q = query
            if let limit { q.append(("limit", String(limit))) }
            if let token { q.append(("page", token)) }
            let target = "/20211101/\(collection)?" + q.map { "\($0.0)=\(Query.encode($0.1))" }.joined(separator: "&")
            let (status, json, response) = try rig.send("GET", target)
            #expect(status == 200, "\(target): \(json.compactText)")
            let items = json["items"]?.arrayValue ?? []
            #expect(items.count <= limit ?? 50)
            ids += items.compactMap { $0["id"]?.stringValue }
            pages.append(json)
            token = Rig.header(response, "opc-next-page")
            if token != nil { #expect(items.count == limit ?? 50, "only a full page has a next one") }
            guard status == 200, pages.count < 500 else { break }
        } while token != nil
        return (ids, pages)
    }

    /// Random list queries over what `reference` holds: scope, filters, sort and page size.
    static func queries(_ reference: Reference, seed: UInt64, count: Int)
        -> [(collection: String, query: [(String, String)], filters: [(String, String)], sortBy: String?, descending: Bool, limit: Int?)] {
        var random = SeededGenerator(state: seed)
        func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
        let ids = Array(reference.items.keys).sorted()
        let channels = ids.filter { reference.items[$0]?.collection == "streamDistributionChannels" }
        var out: [(String, [(String, String)], [(String, String)], String?, Bool, Int?)] = []
        for _ in 0..<count {
            let collection = pick(["mediaAssets", "mediaAssets", "mediaWorkflowJobs", "streamPackagingConfigs"])
            var query: [(String, String)] = []
            var filters: [(String, String)] = []
            if collection == "streamPackagingConfigs" {
                let channel = pick(channels)
                query.append(("distributionChannelId", channel))
                filters.append(("distributionChannelId", channel))
            } else {
                let compartment = pick(compartments)
                query.append(("compartmentId", compartment))
                filters.append(("compartmentId", compartment))
            }
            let sameKind = ids.filter { reference.items[$0]?.collection == collection }
            var choices: [(String, String, String)] = [("displayName", "displayName", pick(names)), ("id", "id", pick(sameKind))]
            switch collection {
            case "mediaAssets":
                choices += [("lifecycleState", "lifecycleState", pick(["ACTIVE", "DELETED"])), ("type", "type", pick(["VIDEO", "AUDIO"])),
                            ("bucketName", "bucketName", pick(["b1", "b2"])), ("objectName", "objectName", "o/\(Int.random(in: 0..<40, using: &random)).mp4")]
            case "mediaWorkflowJobs":
                let workflow = reference.items[pick(sameKind)]?.json["mediaWorkflowId"]?.stringValue ?? ""
                choices += [("lifecycleState", "lifecycleState", pick(["ACCEPTED", "IN_PROGRESS", "SUCCEEDED"])),
                            ("mediaWorkflowId", "mediaWorkflowId", workflow)]
            default:
                choices += [("streamPackagingConfigId", "id", pick(sameKind)), ("lifecycleState", "lifecycleState", "ACTIVE")]
            }
            // None, one or two filters beside the scope.
            for _ in 0..<Int.random(in: 0...2, using: &random) {
                let (parameter, field, value) = pick(choices)
                guard !query.contains(where: { $0.0 == parameter }) else { continue }
                query.append((parameter, value))
                filters.append((field, value))
            }
            var sortBy: String?
            switch pick(["", "timeCreated", "displayName", "lifecycleState", "workflowId", "type", "timeUpdated"]) {
            case "timeCreated": query.append(("sortBy", "timeCreated"))
            case "displayName": query.append(("sortBy", "displayName")); sortBy = "displayName"
            case "lifecycleState": query.append(("sortBy", "lifecycleState")); sortBy = "lifecycleState"
            case "workflowId" where collection == "mediaWorkflowJobs": query.append(("sortBy", "workflowId")); sortBy = "mediaWorkflowId"
            case "type" where collection == "mediaAssets": query.append(("sortBy", "type")); sortBy = "type"
            case "timeUpdated": query.append(("sortBy", "timeUpdated")); sortBy = "timeUpdated"
            default: break
            }
            let order = pick(["", "ASC", "DESC"])
            if !order.isEmpty { query.append(("sortOrder", order)) }
            out.append((collection, query, filters, sortBy, order == "DESC", pick([nil, 1, 3, 7, 50, 1000])))
        }
        return out
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func everyPageMatchesFilteringAndSortingByHand(seed: UInt64) throws {
        let rig = try Rig(pollsInProgress: 2)
        let reference = try Self.populate(rig, seed: seed)
        for q in Self.queries(reference, seed: seed &+ 100, count: 120) {
            let listed = try Self.listAll(rig, q.collection, query: q.query, limit: q.limit)
            let expected = reference.expected(q.collection, filters: q.filters, sortBy: q.sortBy, descending: q.descending)
            #expect(listed.ids == expected, "\(q.collection)?\(q.query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")) limit \(q.limit.map(String.init) ?? "-")")
        }
    }

    @Test func aPageTokenInCreationOrderNeitherSkipsNorRepeatsAcrossADelete() throws {
        let rig = try Rig()
        var ids: [String] = []
        for i in 0..<12 {
            ids.append(try rig.create("streamDistributionChannels", ["compartmentId": .string(Rig.compartment), "displayName": .string("c\(i)")]))
        }
        for descending in [false, true] {
            let order = descending ? Array(ids.reversed()) : ids
            let first = try rig.send("GET", "/20211101/streamDistributionChannels?compartmentId=\(Rig.compartment)&limit=4"
                                     + (descending ? "&sortOrder=DESC" : ""))
            #expect(first.1["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == Array(order[0..<4]))
            let token = try #require(Rig.header(first.2, "opc-next-page"))
            // A resource already served goes away before the next page is asked for.
            #expect(try rig.send("DELETE", "/20211101/streamDistributionChannels/\(order[1])").0 == 204)
            let second = try rig.send("GET", "/20211101/streamDistributionChannels?compartmentId=\(Rig.compartment)&limit=4&page=\(token)"
                                      + (descending ? "&sortOrder=DESC" : ""))
            #expect(second.1["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == Array(order[4..<8]))
            ids.removeAll { $0 == order[1] }
        }
        // A token from another order is refused, naming the page.
        let byName = try rig.send("GET", "/20211101/streamDistributionChannels?compartmentId=\(Rig.compartment)&limit=2")
        let token = try #require(Rig.header(byName.2, "opc-next-page"))
        let mixed = try rig.send("GET", "/20211101/streamDistributionChannels?compartmentId=\(Rig.compartment)&sortBy=displayName&page=\(token)")
        #expect(mixed.0 == 400 && mixed.1["message"]?.stringValue?.contains("page") == true)
    }

    @Test func theSameListsAnswerTheSameAfterARestart() throws {
        let saved = InMemoryPersistence()
        let before = try Rig(pollsInProgress: 2, persistence: saved)
        let reference = try Self.populate(before, seed: 7)
        let after = try Rig(pollsInProgress: 2, persistence: saved)
        let restored = try after.emulator.restoreState()
        #expect(restored > reference.items.count)
        for q in Self.queries(reference, seed: 70, count: 60) {
            let a = try Self.listAll(before, q.collection, query: q.query, limit: q.limit)
            let b = try Self.listAll(after, q.collection, query: q.query, limit: q.limit)
            #expect(a.pages == b.pages, "\(q.collection)?\(q.query.map { "\($0.0)=\($0.1)" }.joined(separator: "&"))")
        }
        // New resources after the restart come after the restored ones.
        let newest = try after.create("streamDistributionChannels", ["compartmentId": .string(Rig.compartment), "displayName": "new"])
        let all = try Self.listAll(after, "streamDistributionChannels", query: [("compartmentId", Rig.compartment)], limit: nil)
        #expect(all.ids.last == newest)
    }
}
