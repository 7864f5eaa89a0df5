// Input documents the user gives for an update (a file of workflow tasks and parameters, a CDN config), checked
// field by field before anything is sent; `label` names the input in messages.

/// The parts of a workflow an update may change from a definition file.
public enum WorkflowDefinitionUpdate {
    /// A workflow definition's `tasks` (an array) and `parameters` (an object); nothing else may be in it.
    public static func parts(_ doc: JSONValue, label flag: String) throws(MediaError) -> (JSONValue?, JSONValue?) {
        guard let entries = doc.objectValue else { throw .usage("\(flag): expected a JSON object with tasks and/or parameters, got \(doc.typeName)") }
        for (key, _) in entries where key != "tasks" && key != "parameters" {
            throw .usage("\(flag): /\(Pointer.escape(key)) cannot be updated (only tasks and parameters; --name, --configuration-id and the tag flags for the rest)")
        }
        let tasks = doc["tasks"], parameters = doc["parameters"]
        if let tasks, tasks.arrayValue == nil { throw .usage("\(flag): /tasks must be an array of tasks, got \(tasks.typeName)") }
        if let parameters, !parameters.isObject { throw .usage("\(flag): /parameters must be an object, got \(parameters.typeName)") }
        return (tasks, parameters)
    }

}

/// A CDN config's `config` document, checked field by field (protocols.md §6.3).
extension CdnConfig {
    static let akamaiFields = ["originAuthSignType", "originAuthSignEncryption", "originAuthSecretKeyA", "originAuthSecretKeyNonceA",
                                "originAuthSecretKeyB", "originAuthSecretKeyNonceB", "edgeHostname", "edgePathPrefix", "edgeTokenKey", "edgeTokenSalt"]

    /// `label` names the input in messages (the CLI passes its flag).
    public init(document doc: JSONValue, label flag: String) throws(MediaError) {
        guard let entries = doc.objectValue else { throw .usage("\(flag): expected a JSON object with a type, got \(doc.typeName)") }
        switch doc["type"]?.stringValue {
        case "EDGE":
            for (key, _) in entries where key != "type" { throw .usage("\(flag): /\(Pointer.escape(key)) is not a field of an EDGE config") }
            self = .edge
        case "AKAMAI_MANUAL":
            var a = CdnConfig.AkamaiSettings()
            for (key, value) in entries where key != "type" {
                if key == "isEdgeTokenAuth" {
                    guard let b = value.boolValue else { throw .usage("\(flag): /isEdgeTokenAuth must be true or false, got \(value.typeName)") }
                    a.isEdgeTokenAuth = b
                    continue
                }
                guard Self.akamaiFields.contains(key) else { throw .usage("\(flag): /\(Pointer.escape(key)) is not a field of an AKAMAI_MANUAL config") }
                // The message never shows the value: some of these are secrets.
                guard let text = value.stringValue else { throw .usage("\(flag): /\(key) must be a string, got \(value.typeName)") }
                switch key {
                case "originAuthSignType": a.originAuthSignType = text
                case "originAuthSignEncryption": a.originAuthSignEncryption = text
                case "originAuthSecretKeyA": a.originAuthSecretKeyA = text
                case "originAuthSecretKeyNonceA": a.originAuthSecretKeyNonceA = text
                case "originAuthSecretKeyB": a.originAuthSecretKeyB = text
                case "originAuthSecretKeyNonceB": a.originAuthSecretKeyNonceB = text
                case "edgeHostname": a.edgeHostname = text
                case "edgePathPrefix": a.edgePathPrefix = text
                case "edgeTokenKey": a.edgeTokenKey = text
                default: a.edgeTokenSalt = text
                }
            }
            self = .akamaiManual(a)
        default:
            throw .usage("\(flag): /type must be EDGE or AKAMAI_MANUAL")
        }
    }
}
