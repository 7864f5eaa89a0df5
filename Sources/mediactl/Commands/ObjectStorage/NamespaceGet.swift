// `mediactl namespace`: print the tenancy's Object Storage namespace (GetNamespace).
import MediaKit

enum NamespaceGet {
    struct Options {
        var compartmentID: String?
        /// Taken by the connection factory from the line; read here so the table audit sees it.
        var endpoint: String?
    }

    /// Not the common --compartment-id: that one has an environment default, and the SDK asks without one.
    static let compartment = Flag.ocid("compartment-id", types: ["compartment", "tenancy"],
                                       help: "the namespace of the tenancy owning this compartment (default: your own)").notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "namespace", summary: "Print the tenancy's Object Storage namespace",
        description: "With --output json, the namespace as the SDK returns it: a JSON string.",
        examples: ["mediactl namespace", "export MEDIACTL_NAMESPACE=$(mediactl namespace)"],
        flags: [compartment, StorageFlags.endpoint],
        parse: { inv throws(MediaError) in
            Options(compartmentID: try inv.value(compartment), endpoint: try inv.value(StorageFlags.endpoint))
        },
        run: { o, ctx throws(MediaError) in
            let (client, _) = try ctx.connections().objectStorage(endpoint: o.endpoint, parallel: 1)
            let namespace = try client.namespace(compartmentID: o.compartmentID)
            ctx.emit(json: .string(namespace), ids: [namespace],
                     table: { ([TableColumn("NAMESPACE")], [[namespace]]) }) { ctx.io.out(namespace) }
        })
}
