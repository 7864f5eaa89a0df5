// Media Services request values: list options (filters, sort, paging), locks, tags, and each kind's
// list filters, sort fields and lifecycle states as oci 2.189.0 declares them (media_services_client.py).
import FoundationEssentials

public enum SortOrder: String, Sendable, CaseIterable {
    case ascending = "ASC", descending = "DESC"
}

/// A list call's query: filters (the SDK's query names, sent in the order given), then sort and paging.
public struct ListOptions: Sendable {
    public var filters: [(String, String)]
    public var sortBy: String?
    public var sortOrder: SortOrder?
    public var limit: Int?
    public var page: String?

    public init(filters: [(String, String)] = [], sortBy: String? = nil, sortOrder: SortOrder? = nil, limit: Int? = nil, page: String? = nil) {
        self.filters = filters
        self.sortBy = sortBy
        self.sortOrder = sortOrder
        self.limit = limit
        self.page = page
    }

    var query: [(String, String)] {
        var q = filters
        q.add("sortBy", sortBy)
        q.add("sortOrder", sortOrder?.rawValue)
        q.add("limit", limit)
        q.add("page", page)
        return q
    }
}

extension ResourceKind {
    /// The list call's filter query names (besides sort and paging), as the SDK names them.
    public var listFilters: [String] {
        switch self {
        case .workflow, .channel: ["compartmentId", "id", "lifecycleState", "displayName"]
        case .job: ["compartmentId", "id", "mediaWorkflowId", "displayName", "lifecycleState"]
        case .cdnConfig: ["distributionChannelId", "id", "lifecycleState", "displayName"]
        case .packagingConfig: ["distributionChannelId", "streamPackagingConfigId", "lifecycleState", "displayName"]
        case .asset: ["compartmentId", "displayName", "lifecycleState", "distributionChannelId", "parentMediaAssetId", "masterMediaAssetId",
                      "type", "bucketName", "objectName", "mediaWorkflowJobId", "sourceMediaWorkflowId", "sourceMediaWorkflowVersion"]
        case .configuration: ["compartmentId", "lifecycleState", "displayName", "id"]
        }
    }

    /// The values `sortBy` accepts.
    public var sortFields: [String] {
        switch self {
        case .job: ["timeCreated", "workflowId", "lifecycleState"]
        case .asset: ["compartmentId", "type", "lifecycleState", "parentMediaAssetId", "masterMediaAssetId", "displayName", "timeCreated", "timeUpdated"]
        default: ["timeCreated", "displayName"]
        }
    }

    /// Workflows, configurations, jobs, assets and channels can move compartments; CDN and packaging configs
    /// live in their channel's.
    public var canChangeCompartment: Bool { self != .cdnConfig && self != .packagingConfig }
}

/// A resource lock (`AddLockDetails` / `RemoveLockDetails`).
public struct ResourceLock: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case full = "FULL", delete = "DELETE" }
    public var type: Kind
    public var compartmentID: String?
    public var relatedResourceID: String?
    public var message: String?

    public init(type: Kind, compartmentID: String? = nil, relatedResourceID: String? = nil, message: String? = nil) {
        self.type = type
        self.compartmentID = compartmentID
        self.relatedResourceID = relatedResourceID
        self.message = message
    }

    public var json: JSONValue {
        var o: JSONValue = ["type": .string(type.rawValue)]
        if let compartmentID { o.set("compartmentId", .string(compartmentID)) }
        if let relatedResourceID { o.set("relatedResourceId", .string(relatedResourceID)) }
        if let message { o.set("message", .string(message)) }
        return o
    }
}

/// Freeform (`{"k": "v"}`) and defined (`{"namespace": {"k": value}}`) tags, sent only when given.
public struct Tags: Sendable, Equatable {
    public var freeform: JSONValue?
    public var defined: JSONValue?

    public init(freeform: JSONValue? = nil, defined: JSONValue? = nil) {
        self.freeform = freeform
        self.defined = defined
    }

    public init(freeform: [String: String]) {
        self.init(freeform: .object(freeform.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
    }

    public func apply(to body: inout JSONValue) {
        if let freeform { body.set("freeformTags", freeform) }
        if let defined { body.set("definedTags", defined) }
    }
}

extension JSONValue {
    /// Sets `key` when `value` is given (the SDK omits absent fields).
    mutating func set(_ key: String, ifGiven value: JSONValue?) {
        if let value { set(key, value) }
    }

    mutating func set(_ key: String, ifGiven value: String?) {
        if let value { set(key, .string(value)) }
    }

    mutating func set(_ key: String, ifGiven value: Int?) {
        if let value { set(key, .int(value)) }
    }

    mutating func set(_ key: String, ifGiven value: Bool?) {
        if let value { set(key, .bool(value)) }
    }

    mutating func set(_ key: String, ifGiven value: [String]?) {
        if let value { set(key, .array(value.map { .string($0) })) }
    }

    mutating func set(_ key: String, locks: [ResourceLock]) {
        if !locks.isEmpty { set(key, .array(locks.map(\.json))) }
    }
}
