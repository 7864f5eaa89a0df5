// Ingest: a channel takes an asset in through a job of the service's own workflow.
import Foundation
import MediaKit

extension ResourceStore {
    // MARK: - Ingest

    /// POST /streamDistributionChannels/{id}/actions/ingest: starts an ingest job; simulated, it succeeds unless
    /// a fault rule names it (JobFaults.swift).
    mutating func ingest(channelID: String, body: JSONValue, now: Date) throws(APIError) -> JSONValue {
        guard let channel = resources[channelID], channel.kind == .channel else { throw .notFound }
        let f = try Fields(body)
        _ = try f.oneOf("ingestPayloadType", ["ASSET_METADATA_MEDIA_ASSET"])
        let assetID = try f.requiredString("mediaAssetId")
        let compartment = try f.requiredString("compartmentId")
        guard let asset = resources[assetID], asset.kind == .asset else { throw .referenceNotFound("mediaAssetId", assetID) }

        let objectName = asset.json["objectName"]?.stringValue ?? ""
        let name = asset.json["displayName"]?.stringValue ?? assetID
        let json = insert(.job, body: ["compartmentId": .string(compartment)], now: now, extra: [
            ("displayName", .string("ingest-\(name)")),
            // The SDK's MediaWorkflowJob declares mediaWorkflowId as always returned; an ingest runs the service's own workflow.
            ("mediaWorkflowId", .string(Self.ingestWorkflowID)),
            ("parameters", ["ingest": ["distributionChannelId": .string(channelID), "mediaAssetId": .string(assetID)]]),
            ("lifecycleState", LifecycleState.accepted.json),
            ("taskLifecycleState", Self.taskStates(["ingest"]) { _ in (.accepted, "accepted, not started") }),
        ])
        guard let jobID = json["id"]?.stringValue else { throw .notFound }
        attach(assetID: assetID, channel: channel, jobID: jobID, now: now)
        var run = JobRun(created: now, taskKeys: ["ingest"], failure: nil, outputs: [])
        run.media = executesMedia
        putJob(jobID, run)
        if executesMedia {
            pendingMedia.append((jobID, .ingest(namespace: asset.json["namespaceName"]?.stringValue ?? "",
                                                bucket: asset.json["bucketName"]?.stringValue ?? "", object: objectName)))
        }
        return ["mediaWorkflowJobId": .string(jobID)]
    }

    /// The workflow every ingest job names: the service runs ingests with a workflow of its own, not the caller's.
    static let ingestWorkflowID = "ocid1.mediaworkflow.oc1.iad.emulatoringestworkflow"


    // MARK: - Distribution-channel attachments

    /// The attachment an ingest makes between an asset and a channel: one per pair, its version going up with every
    /// ingest of the pair. Stored as a resource of its own kind, scoped by the asset, so it is listed, paged and saved as
    /// every resource is.
    private mutating func attach(assetID: String, channel: Stored, jobID: String, now: Date) {
        let channelID = channel.json["id"]?.stringValue ?? ""
        let id = Self.attachmentID(assetID: assetID, channelID: channelID)
        let version = (resources[id]?.json["version"]?.intValue ?? 0) + 1
        let fields: [(String, JSONValue)] = [
            ("mediaAssetId", .string(assetID)), ("distributionChannelId", .string(channelID)),
            ("displayName", channel.json["displayName"] ?? .string(channelID)), ("version", .int(version)),
            ("lifecycleState", LifecycleState.active.json), ("metadataRef", .string("\(channelID)/\(assetID)/v\(version)")),
            ("mediaWorkflowJobId", .string(jobID)),
        ]
        if var stored = resources[id] {
            for (key, value) in fields { stored.json.set(key, value) }
            stored.json.set("timeUpdated", .string(Timestamps.rfc3339(now)))
            putResource(id, stored)
        } else {
            _ = insert(.attachment, body: .object([]), now: now, extra: fields, id: id)
        }
    }

    static func attachmentID(assetID: String, channelID: String) -> String { "attachment/\(assetID)/\(channelID)" }

    /// The ids of an asset's attachments (to delete them with it).
    func attachments(of assetID: String) -> [String] {
        index.posting(ResourceIndex.Key(kind: .attachment, scope: assetID, field: "", value: "")).compactMap { index.ids[$0] }
    }

    /// GET /mediaAssets/{id}/distributionChannelAttachments/{channelId}[?version=n].
    func attachment(assetID: String, channelID: String, version: String?) throws(APIError) -> JSONValue {
        _ = try existing(.asset, assetID)
        guard let stored = resources[Self.attachmentID(assetID: assetID, channelID: channelID)] else { throw .notFound }
        if let version, Self.text(stored.json["version"]) != version { throw .notFound }
        return stored.json
    }

    /// DELETE /mediaAssets/{id}/distributionChannelAttachments/{channelId}: the asset's locks guard it as they guard the asset.
    mutating func detach(assetID: String, channelID: String, version: String?, lockOverride: Bool, ifMatch: String?) throws(APIError) {
        let asset = try existing(.asset, assetID)
        let id = Self.attachmentID(assetID: assetID, channelID: channelID)
        guard let stored = resources[id] else { throw .notFound }
        if let version, Self.text(stored.json["version"]) != version { throw .notFound }
        try Self.checkETag(stored, ifMatch: ifMatch)
        try Self.checkLocks(asset, blocking: ["FULL"], override: lockOverride, doing: "changed")
        putResource(id, nil)
    }

    /// GET /mediaAssets/{id}/distributionChannelAttachments: the asset must exist; the rest is the generic list.
    func listAttachments(assetID: String, query: [(String, String)], defaultLimit: Int) throws(APIError) -> (items: [JSONValue], nextPage: String?) {
        _ = try existing(.asset, assetID)
        return try list(.attachment, query: query.filter { $0.0 != "mediaAssetId" } + [("mediaAssetId", assetID)], defaultLimit: defaultLimit)
    }
}
