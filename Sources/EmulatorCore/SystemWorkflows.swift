// The service's own catalogues: the task declarations (each task type's parameter JSON schemas) and the system
// workflows a job can run by name (workflowIdentifierType NAME). Read-only and the same for every caller. Oracle does
// not publish either list: the schemas here describe the parameters the lab's tasks use, and the system workflow names
// are the emulator's own, so nothing here pretends to be the service's exact text.
import MediaKit

enum SystemWorkflows {
    struct Workflow {
        let name: String
        let json: JSONValue
        /// The mediaWorkflowId a job run by this name reports (the SDK's MediaWorkflowJob always has one).
        var id: String { "ocid1.mediaworkflow.oc1.iad.system" + name.lowercased().filter { $0.isLetter || $0.isNumber } }
    }

    static func named(_ name: String) -> Workflow? { workflows.first { $0.name == name } }

    // MARK: - Task declarations

    private static func object(_ properties: [(String, JSONValue)], required: [String]) -> JSONValue {
        ["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) }), "additionalProperties": false]
    }
    private static let string: JSONValue = ["type": "string"]
    private static let integer: JSONValue = ["type": "integer"]
    private static let boolean: JSONValue = ["type": "boolean"]
    private static func oneOf(_ values: [String]) -> JSONValue { ["type": "string", "enum": .array(values.map { .string($0) })] }
    private static func array(_ items: JSONValue, minItems: Int = 0) -> JSONValue { ["type": "array", "items": items, "minItems": .int(minItems)] }

    /// Each task type's parameters schema (version 1), after the parameters Oracle's lab gives each task.
    static let schemas: [(name: String, schema: JSONValue)] = [
        ("getFiles", object([("taskParameters", array(object([
            ("storageType", oneOf(["objectStorage"])), ("target", string), ("namespaceName", string), ("bucketName", string),
            ("objectName", string)], required: ["storageType", "target", "namespaceName", "bucketName", "objectName"]), minItems: 1))],
            required: ["taskParameters"])),
        ("transcode", object([
            ("transcodeType", oneOf(["standardTranscode"])),
            ("standardTranscode", object([
                ("input", string), ("outputPrefix", string), ("videoCodec", oneOf(["h264", "h265"])), ("audioCodec", oneOf(["aac"])),
                ("packaging", object([("packageType", oneOf(["hls", "dash", "mp4"])), ("segmentLength", integer)], required: ["packageType"])),
                ("ladder", array(object([("size", object([("height", integer), ("width", integer),
                                                          ("resizeMethod", oneOf(["scale", "crop", "pad"]))], required: []))],
                                        required: ["size"]), minItems: 1)),
            ], required: ["input", "outputPrefix"])),
        ], required: ["transcodeType", "standardTranscode"])),
        ("thumbnail", object([("thumbnails", object([
            ("input", string),
            ("frameSelectors", array(object([
                ("namePrefix", string), ("format", oneOf(["jpg", "png"])),
                ("sizes", array(object([("width", integer), ("height", integer)], required: []))),
                ("clipImagePicker", object([("percentList", object([("pickList", array(integer))], required: ["pickList"]))], required: [])),
            ], required: ["format"]), minItems: 1)),
        ], required: ["input", "frameSelectors"]))], required: ["thumbnails"])),
        ("putFiles", object([("taskParameters", array(object([
            ("namespaceName", string), ("bucketName", string), ("source", string), ("objectName", string),
            ("assetCompartmentId", string), ("registerMetadata", boolean)],
            required: ["namespaceName", "bucketName", "source", "objectName"]), minItems: 1))], required: ["taskParameters"])),
        ("transcribe", object([
            ("inputVideo", string), ("outputAudio", string), ("outputTranscriptionPrefix", string), ("outputNamespaceName", string),
            ("outputBucketName", string), ("transcriptionJobCompartment", string), ("waitForCompletion", boolean), ("language", string),
        ], required: ["inputVideo", "outputTranscriptionPrefix", "outputNamespaceName", "outputBucketName"])),
        ("visionDetection", object([
            ("inputObject", string), ("outputPrefix", string), ("minClipLen", string), ("sceneSensitivity", integer),
            ("sceneImageNamespace", string), ("sceneImageBucket", string), ("visionTaskCompartmentId", string),
            ("cleanupImagesEnabled", boolean), ("textDetectionLanguage", string),
            ("featureType", oneOf(["OBJECT_DETECTION", "TEXT_DETECTION", "FACE_DETECTION", "LABEL_DETECTION"])),
        ], required: ["inputObject", "outputPrefix"])),
    ]

    /// The same schema where any value may instead be a `${/pointer}` reference string (resolved when a job is created).
    static func allowingReferences(_ schema: JSONValue) -> JSONValue {
        let reference: JSONValue = ["type": "string", "pattern": "\\$\\{/[^}]*\\}"]
        guard let members = schema.objectValue else { return schema }
        let rewritten: [(String, JSONValue)] = members.map { key, value in
            switch key {
            case "properties": return (key, .object((value.objectValue ?? []).map { ($0.0, allowingReferences($0.1)) }))
            case "items": return (key, allowingReferences(value))
            default: return (key, value)
            }
        }
        let type = schema["type"]?.stringValue
        // Strings may hold references already; anything else may be replaced by one.
        if type == "string" && schema["enum"] == nil { return .object(rewritten) }
        return ["anyOf": [.object(rewritten), reference]]
    }

    static let declarations: [JSONValue] = schemas.map { name, schema in
        ["name": .string(name), "version": 1, "isCurrent": true, "parametersSchema": schema,
         "parametersSchemaAllowingReferences": allowingReferences(schema)]
    }

    // MARK: - System workflows

    static let workflows: [Workflow] = [
        Workflow(name: "emulator-transcode-hls", json: [
            "name": "emulator-transcode-hls",
            "description": "Transcodes one object to an HLS ladder and writes the renditions and master playlist back to Object Storage.",
            "tasks": [
                ["type": "getFiles", "version": 1, "key": "getFiles", "prerequisites": [],
                 "parameters": ["taskParameters": [["storageType": "objectStorage", "target": "getFiles/${/input/objectName}",
                                                    "namespaceName": "${/input/namespaceName}", "bucketName": "${/input/bucketName}",
                                                    "objectName": "${/input/objectName}"]]]],
                ["type": "transcode", "version": 1, "key": "transcode", "prerequisites": ["getFiles"],
                 "parameters": ["transcodeType": "standardTranscode", "standardTranscode": [
                    "input": "${/getFiles/taskParameters/0/target}", "outputPrefix": "${/output/prefix}", "videoCodec": "h264",
                    "audioCodec": "aac", "packaging": ["packageType": "hls", "segmentLength": 6],
                    "ladder": [["size": ["height": 360, "resizeMethod": "scale"]]]]]],
                ["type": "putFiles", "version": 1, "key": "putFiles", "prerequisites": ["transcode"],
                 "parameters": ["taskParameters": [["namespaceName": "${/output/namespaceName}", "bucketName": "${/output/bucketName}",
                                                    "source": "*", "objectName": "${/output/objectNamePath}",
                                                    "registerMetadata": true]]]],
            ],
            "parameters": ["input": ["namespaceName": "", "bucketName": "", "objectName": ""],
                           "output": ["namespaceName": "", "bucketName": "", "objectNamePath": "", "prefix": "hls"]],
        ]),
        Workflow(name: "emulator-thumbnails", json: [
            "name": "emulator-thumbnails",
            "description": "Takes JPEG thumbnails at 10, 50 and 90 percent of one object and writes them back to Object Storage.",
            "tasks": [
                ["type": "getFiles", "version": 1, "key": "getFiles", "prerequisites": [],
                 "parameters": ["taskParameters": [["storageType": "objectStorage", "target": "getFiles/${/input/objectName}",
                                                    "namespaceName": "${/input/namespaceName}", "bucketName": "${/input/bucketName}",
                                                    "objectName": "${/input/objectName}"]]]],
                ["type": "thumbnail", "version": 1, "key": "thumbnail", "prerequisites": ["getFiles"],
                 "parameters": ["thumbnails": ["input": "${/getFiles/taskParameters/0/target}", "frameSelectors": [
                    ["namePrefix": "thumb", "format": "jpg", "sizes": [["width": 320]],
                     "clipImagePicker": ["percentList": ["pickList": [10, 50, 90]]]]]]]],
                ["type": "putFiles", "version": 1, "key": "putFiles", "prerequisites": ["thumbnail"],
                 "parameters": ["taskParameters": [["namespaceName": "${/output/namespaceName}", "bucketName": "${/output/bucketName}",
                                                    "source": "*.jpg", "objectName": "${/output/objectNamePath}"]]]],
            ],
            "parameters": ["input": ["namespaceName": "", "bucketName": "", "objectName": ""],
                           "output": ["namespaceName": "", "bucketName": "", "objectNamePath": ""]],
        ]),
    ]

    // MARK: - Lists

    /// GET /mediaWorkflowTaskDeclarations: filters name, version, isCurrent; sortBy name|version; paged by offset.
    static func listTaskDeclarations(query: [(String, String)], defaultLimit: Int) throws(APIError) -> (items: [JSONValue], nextPage: String?) {
        func param(_ name: String) -> String? { query.first { $0.0 == name }.map { $0.1 }.flatMap { $0.isEmpty ? nil : $0 } }
        var items = declarations
        if let name = param("name") { items = items.filter { $0["name"]?.stringValue == name } }
        if let text = param("version") {
            guard let version = Int(text) else { throw .invalid("version", "expected an integer, got \"\(text)\"") }
            items = items.filter { $0["version"]?.intValue == version }
        }
        if let text = param("isCurrent") {
            guard text == "true" || text == "false" else { throw .invalid("isCurrent", "must be true or false, got \"\(text)\"") }
            items = items.filter { $0["isCurrent"]?.boolValue == (text == "true") }
        }
        let sortBy = param("sortBy") ?? "name"
        guard sortBy == "name" || sortBy == "version" else { throw .invalid("sortBy", "unknown sort field \"\(sortBy)\"; this list sorts by name, version") }
        items.sort { a, b in
            sortBy == "version" ? (a["version"]?.intValue ?? 0, a["name"]?.stringValue ?? "") < (b["version"]?.intValue ?? 0, b["name"]?.stringValue ?? "")
                : (a["name"]?.stringValue ?? "", a["version"]?.intValue ?? 0) < (b["name"]?.stringValue ?? "", b["version"]?.intValue ?? 0)
        }
        // isCurrent is the emulator's own bookkeeping, not a field of MediaWorkflowTaskDeclaration.
        return try page(items.map { $0.removing("isCurrent") }, query: query, defaultLimit: defaultLimit)
    }

    /// GET /systemMediaWorkflows: filter name; sortOrder by name; paged by offset.
    static func listWorkflows(query: [(String, String)], defaultLimit: Int) throws(APIError) -> (items: [JSONValue], nextPage: String?) {
        let name = query.first { $0.0 == "name" }.map { $0.1 }.flatMap { $0.isEmpty ? nil : $0 }
        let items = workflows.filter { name == nil || $0.name == name }.sorted { $0.name < $1.name }.map(\.json)
        return try page(items, query: query, defaultLimit: defaultLimit)
    }

    /// `sortOrder`, `limit` and `page` over a fixed list.
    private static func page(_ sorted: [JSONValue], query: [(String, String)], defaultLimit: Int) throws(APIError) -> (items: [JSONValue], nextPage: String?) {
        func param(_ name: String) -> String? { query.first { $0.0 == name }?.1 }
        var items = sorted
        switch param("sortOrder") {
        case nil, "ASC": break
        case "DESC": items.reverse()
        case let other?: throw .invalid("sortOrder", "must be ASC or DESC, got \"\(other)\"")
        }
        var limit = max(defaultLimit, 1)
        if let text = param("limit") {
            guard let n = Int(text), (1...1000).contains(n) else { throw .invalid("limit", "must be an integer from 1 to 1000, got \"\(text)\"") }
            limit = n
        }
        var start = 0
        if let token = param("page") {
            guard case let .offset(n)? = ResourceStore.PagePosition(token: token) else {
                throw .invalid("page", "\"\(token)\" is not a page token this service issued")
            }
            start = min(n, items.count)
        }
        let end = min(start + limit, items.count)
        return (Array(items[start..<end]), end < items.count ? ResourceStore.PagePosition.offset(end).token : nil)
    }
}

extension JSONValue {
    /// This object without the member `key`.
    func removing(_ key: String) -> JSONValue {
        guard let members = objectValue else { return self }
        return .object(members.filter { $0.0 != key })
    }
}
