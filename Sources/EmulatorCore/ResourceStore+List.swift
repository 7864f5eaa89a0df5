// Lists: one page of any kind's collection, filtered, sorted and paged as the resource table says, walking the list index.
import Foundation
import MediaKit

extension ResourceStore {

    /// One page of a collection; `query` is the decoded query string. Lists never advance jobs.
    /// The index gives the candidates in creation order (the smallest posting among the scope and the filters given),
    /// so the default order costs a binary search plus the page; other sort orders sort only the matching resources.
    func list(_ kind: EmulatedKind, query: [(String, String)], defaultLimit: Int) throws(APIError) -> (items: [JSONValue], nextPage: String?) {
        let spec = kind.spec
        func param(_ name: String) -> String? { query.first { $0.0 == name }?.1 }
        // The scope is required where the SDK's list_* takes it as a positional argument; otherwise absent = every scope.
        let scope = param(spec.listScope).flatMap { $0.isEmpty ? nil : $0 }
        if scope == nil && spec.scopeRequired { throw .missing(spec.listScope) }

        var filters: [(field: String, value: String)] = scope.map { [(spec.listScope, $0)] } ?? []
        for (name, value) in query { if let filter = spec.listFilters.first(where: { $0.parameter == name }) { filters.append((filter.field, value)) } }
        if let state = param("lifecycleState"), spec.state(state) == nil {
            throw .invalid("lifecycleState", "\"\(state)\" is not one of \(spec.states.map(\.rawValue).joined(separator: ", "))")
        }
        // Assets attached to a channel (by an ingest): the attachments say which.
        var attachedTo: Set<String>?
        if kind == .asset, let channel = param("distributionChannelId") {
            attachedTo = Set(resources.values.filter { $0.kind == .attachment && $0.json["distributionChannelId"]?.stringValue == channel }
                .compactMap { $0.json["mediaAssetId"]?.stringValue })
        }

        let sortField: String?
        switch param("sortBy") {
        case nil, "timeCreated": sortField = nil
        case let key? where spec.sortFields[key] != nil: sortField = spec.sortFields[key]
        case let other?:
            let known = (["timeCreated"] + spec.sortFields.keys.sorted()).joined(separator: ", ")
            throw .invalid("sortBy", "unknown sort field \"\(other)\"; this list sorts by \(known)")
        }
        let descending: Bool
        switch param("sortOrder") {
        case nil, "ASC": descending = false
        case "DESC": descending = true
        case let other?: throw .invalid("sortOrder", "must be ASC or DESC, got \"\(other)\"")
        }
        var limit = defaultLimit
        if let text = param("limit") {
            guard let n = Int(text), (1...1000).contains(n) else { throw .invalid("limit", "must be an integer from 1 to 1000, got \"\(text)\"") }
            limit = n
        }
        limit = max(limit, 1)
        var position = PagePosition.offset(0)
        if let page = param("page") {
            guard let p = PagePosition(token: page) else { throw .invalid("page", "\"\(page)\" is not a page token this service issued") }
            position = p
        }

        let candidates = candidateSequences(kind, scope: scope, filters: filters)
        func matching(_ sequence: Int) -> Stored? {
            guard let id = index.ids[sequence], let stored = resources[id], stored.kind == kind,
                  filters.allSatisfy({ Self.text(stored.json[$0.field]) == $0.value }),
                  attachedTo.map({ $0.contains(id) }) ?? true else { return nil }
            return stored
        }

        guard let sortField else {
            // Creation order: walk the posting from the token's place, in the asked direction, until the page is full
            // and one more match shows whether there is a next page.
            var i: Int
            var skip = 0
            switch position {
            case let .offset(n):
                i = descending ? candidates.count - 1 : 0
                skip = n
            case let .after(sequence):
                let bound = candidates.lowerBound(sequence)
                // Strictly past the last sequence served, in the walk's direction.
                i = descending ? bound - 1 : (bound < candidates.count && candidates[bound] == sequence ? bound + 1 : bound)
            }
            var page: [Stored] = []
            var more = false
            while i >= 0 && i < candidates.count {
                if let stored = matching(candidates[i]) {
                    if skip > 0 { skip -= 1 }
                    else if page.count < limit { page.append(stored) }
                    else { more = true; break }
                }
                i += descending ? -1 : 1
            }
            let next = more ? page.last.map { PagePosition.after($0.sequence).token } : nil
            return (page.map { Self.summary($0.json) }, next)
        }

        var items = candidates.compactMap(matching)
        items.sort { a, b in
            let x = a.json[sortField], y = b.json[sortField]
            return x == y ? a.sequence < b.sequence : Self.ordered(x, y)
        }
        if descending { items.reverse() }
        let offset: Int
        switch position {
        case let .offset(n): offset = n
        // An `after` token is only issued for creation order: here it means the sort changed between pages.
        case .after: throw .invalid("page", "this page token was issued for a list in creation order (sortBy=timeCreated)")
        }
        let start = min(offset, items.count)
        let end = min(start + limit, items.count)
        let next = end < items.count ? PagePosition.offset(end).token : nil
        return (items[start..<end].map { Self.summary($0.json) }, next)
    }

    /// The smallest set of resources that can match, ascending by sequence: one resource for an id filter, else
    /// the smallest posting among the scope and the indexed filters given. Every filter is still checked on each.
    private func candidateSequences(_ kind: EmulatedKind, scope: String?, filters: [(field: String, value: String)]) -> [Int] {
        if let id = filters.first(where: { $0.field == "id" })?.value {
            guard let stored = resources[id], stored.kind == kind else { return [] }
            return [stored.sequence]
        }
        let spec = kind.spec
        let indexed = Set(spec.indexedFields)
        let scopeKey = scope ?? ResourceIndex.everyScope
        var best = index.posting(ResourceIndex.Key(kind: kind, scope: scopeKey, field: "", value: ""))
        // Field postings are kept per scope: a list across every scope walks the kind-wide one.
        for filter in filters where scope != nil && filter.field != spec.listScope && indexed.contains(filter.field) {
            let posting = index.posting(ResourceIndex.Key(kind: kind, scope: scopeKey, field: filter.field, value: filter.value))
            if posting.count < best.count { best = posting }
        }
        return best
    }

    /// A field as a filter or sort compares it: a string as is, a number as written (sourceMediaWorkflowVersion, version).
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case let .string(s)?: s
        case let .number(n)?: n
        default: nil
        }
    }

    /// Sort order: numbers by value (versions), strings by their characters, absent first.
    static func ordered(_ x: JSONValue?, _ y: JSONValue?) -> Bool {
        if case let .number(a)? = x, case let .number(b)? = y, let p = Double(a), let q = Double(b) { return p < q }
        return (text(x) ?? "") < (text(y) ?? "")
    }

    /// List items are summaries, which spell `lifecycleDetails` correctly (protocols.md §6.4).
    static func summary(_ json: JSONValue) -> JSONValue {
        guard let members = json.objectValue else { return json }
        return .object(members.map { $0.0 == "lifecyleDetails" ? ("lifecycleDetails", $0.1) : $0 })
    }

    /// Where the next page starts. Page tokens are opaque to clients: `after:N` (creation order: past the resource
    /// with sequence N, so deletes between pages neither skip nor repeat anything), `page:N` (other orders: an offset).
    enum PagePosition: Equatable {
        case offset(Int)
        case after(Int)

        var token: String {
            switch self {
            case let .offset(n): Data("page:\(n)".utf8).base64URLEncoded
            case let .after(n): Data("after:\(n)".utf8).base64URLEncoded
            }
        }

        init?(token: String) {
            guard let data = Data(base64URLEncoded: token), let text = String(data: data, encoding: .utf8) else { return nil }
            if text.hasPrefix("page:"), let n = Int(text.dropFirst(5)), n >= 0 { self = .offset(n) }
            else if text.hasPrefix("after:"), let n = Int(text.dropFirst(6)), n >= 0 { self = .after(n) }
            else { return nil }
        }
    }

}
