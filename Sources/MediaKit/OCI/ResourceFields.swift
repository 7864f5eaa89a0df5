// Fields of Media Services resources beyond the common ones in Resource.swift: attachments, system
// workflows, task declarations and workflow configurations (the SDK models' attribute maps).
import FoundationEssentials

/// One task of a workflow definition: its `type` and its `key` within the workflow.
public struct WorkflowTaskSummary: Sendable, Equatable {
    public let type: String?
    public let key: String?
    public init(type: String?, key: String?) { self.type = type; self.key = key }
}

extension Resource {
    /// The media asset an attachment belongs to (MediaAssetDistributionChannelAttachment).
    public var mediaAssetID: String? { json["mediaAssetId"]?.stringValue }
    /// The job that produced an attachment.
    public var mediaWorkflowJobID: String? { json["mediaWorkflowJobId"]?.stringValue }
    /// An attachment's reference into the channel's metadata.
    public var metadataRef: String? { json["metadataRef"]?.stringValue }
    /// A system workflow's description.
    public var summaryDescription: String? { json["description"]?.stringValue }
    /// A workflow's (or system workflow's) tasks, in the definition's order.
    public var definitionTasks: [WorkflowTaskSummary] {
        (json["tasks"]?.arrayValue ?? []).map { WorkflowTaskSummary(type: $0["type"]?.stringValue, key: $0["key"]?.stringValue) }
    }
    /// A workflow configuration's (or workflow's) parameters document.
    public var parameters: JSONValue? { json["parameters"] }
    /// A task declaration's parameter schema (JSON Schema), as a typed view.
    public var parametersSchema: ParameterSchema? { json["parametersSchema"].map(ParameterSchema.init) }
}

/// The JSON Schema keywords a task declaration's `parametersSchema` uses: properties, required,
/// type, items, enum and $ref.
public struct ParameterSchema: Sendable, Equatable {
    public let json: JSONValue
    public init(json: JSONValue) { self.json = json }

    /// The properties in document order (empty when not an object schema).
    public var properties: [(name: String, schema: ParameterSchema)] {
        (json["properties"]?.objectValue ?? []).map { ($0.0, ParameterSchema(json: $0.1)) }
    }
    public var required: Set<String> { Set((json["required"]?.arrayValue ?? []).compactMap(\.stringValue)) }
    public var type: String? { json["type"]?.stringValue }
    public var items: ParameterSchema? { json["items"].map(ParameterSchema.init) }
    /// The allowed values, as written (strings bare, others as compact JSON).
    public var enumValues: [String]? { json["enum"]?.arrayValue?.map { $0.stringValue ?? $0.compactText } }
    public var ref: String? { json["$ref"]?.stringValue }
}
