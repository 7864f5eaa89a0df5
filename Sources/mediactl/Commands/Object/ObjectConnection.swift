// TEMPORARY: the Object Storage client built from the global flags, until MediaKit's connection factory builds it
// (CommandContext forwards `objectStorage(endpoint:parallel:)` here).
import MediaKit

extension Invocation {
    /// An Object Storage client for `endpoint` (nil: derived from the region), plus a factory for one more per upload
    /// thread (each its own libcurl handle; `parallel` threads in all).
    func objectStorage(endpoint explicit: String?, parallel: Int) throws(MediaError) -> (ObjectStorageClient, ObjectUploader.ClientFactory) {
        let connection = try ociConnection()
        let endpoint: RequestURL
        var namespaced: (@Sendable (String) -> RequestURL)?
        if let explicit {
            endpoint = try Regions.explicitObjectStorageEndpoint(explicit, what: "--objectstorage-endpoint")
            warnAboutPlainHTTP(endpoint, what: "--objectstorage-endpoint")
        } else if let region = connection.region {
            let options = Regions.EndpointOptions(realmSpecific: try value(GlobalFlags.realmSpecificEndpoint),
                                                  dualStack: try value(GlobalFlags.dualStack))
            // As the SDK: the namespace lookup goes to the bare host, every call naming a namespace to its own.
            endpoint = Regions.objectStorageEndpoint(region, options: options)
            if options.realmSpecific { namespaced = { Regions.objectStorageEndpoint(region, options: options, namespace: $0) } }
        } else {
            throw .config("no region for Object Storage: give --region or --objectstorage-endpoint (MEDIACTL_OBJECTSTORAGE_ENDPOINT)")
        }
        if try value(GlobalFlags.debug) { io.debug("Object Storage endpoint \(endpoint)") }
        let namespacedEndpoint = namespaced
        let client = ObjectStorageClient(transport: try ociTransport(signer: connection.signer), endpoint: endpoint, namespacedEndpoint: namespacedEndpoint)
        // Transports for worker threads are made up front on this thread (the invocation is main-thread only).
        var spare: [any HTTPTransport] = []
        for _ in 0..<max(0, parallel - 1) { spare.append(try ociTransport(signer: connection.signer)) }
        let pool = TransportPool(spare)
        let factory: ObjectUploader.ClientFactory = { () throws(MediaError) -> ObjectStorageClient in
            guard let transport = pool.take() else { throw .usage("internal: more upload threads than transports") }
            return ObjectStorageClient(transport: transport, endpoint: endpoint, namespacedEndpoint: namespacedEndpoint)
        }
        let first = client
        let handedFirst = FirstFlag()
        return (client, { () throws(MediaError) -> ObjectStorageClient in handedFirst.take() ? first : try factory() })
    }
}

/// Transports made on the main thread, handed to upload threads one each.
final class TransportPool: @unchecked Sendable {
    private let lock = Lock()
    private var items: [any HTTPTransport]
    init(_ items: [any HTTPTransport]) { self.items = items }
    func take() -> (any HTTPTransport)? { lock.withLock { items.popLast() } }
}

final class FirstFlag: @unchecked Sendable {
    private let lock = Lock()
    private var taken = false
    func take() -> Bool { lock.withLock { defer { taken = true }; return !taken } }
}
