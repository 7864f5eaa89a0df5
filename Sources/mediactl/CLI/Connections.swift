// The CLI's only glue to MediaKit's ConnectionFactory: the resolved global flags (flag > env > defaults file >
// table default) become `ConnectionSettings`, the factory's events go to stderr, and a verb's `run` gets its
// clients from the context. A command's own connection options (an Object Storage endpoint, a video URL) are
// passed in by the verb.
import MediaKit

extension Invocation {
    /// Every connection setting, as the command table resolves it.
    func connectionSettings() throws(MediaError) -> ConnectionSettings {
        var s = ConnectionSettings(environment: environment, homeDirectory: home)
        s.oci.configFile = try value(GlobalFlags.configFile)
        s.oci.profile = try value(GlobalFlags.profile)
        s.oci.region = try value(GlobalFlags.region)
        s.oci.endpoint = try value(GlobalFlags.endpoint)
        s.oci.auth = try value(GlobalFlags.auth)?.rawValue
        s.oci.metadataURL = try value(GlobalFlags.metadataURL)
        s.oci.federationEndpoint = try value(GlobalFlags.federationEndpoint)
        s.realmSpecificEndpoint = try value(GlobalFlags.realmSpecificEndpoint)
        s.dualStack = try value(GlobalFlags.dualStack)
        s.connectTimeout = try value(GlobalFlags.connectTimeout)
        s.readTimeout = try value(GlobalFlags.readTimeout)
        // A command's own --timeout (the waits'): no request or retry sequence may outlast it.
        s.commandTimeout = try context.commandTimeout
        s.caBundle = try value(GlobalFlags.caBundle)
        s.proxy = try value(GlobalFlags.proxy)
        s.maxRetries = try value(GlobalFlags.maxRetries)
        s.noRetry = try value(GlobalFlags.noRetry)
        s.requestID = try value(GlobalFlags.opcRequestID)
        s.debug = try value(GlobalFlags.debug)
        // The video URLs and request timeout are the video verbs' own options (VideoConnectionOptions): openTokClient.
        return s
    }
}

extension CommandContext {
    /// The factory's warnings, progress and --debug lines, on stderr.
    var connectionEvents: ConnectionEvents {
        let io = self.io
        return ConnectionEvents(debug: { io.debug($0) }, progress: { io.progress($0) }, warn: { io.warn($0) })
    }

    /// The run's factory, made on first use and kept, so every client shares one OCI connection.
    func connections() throws(MediaError) -> ConnectionFactory {
        if let made = invocation.connectionFactory { return made }
        let factory = try ConnectionFactory(settings: try invocation.connectionSettings(), clock: clock, events: connectionEvents)
        invocation.connectionFactory = factory
        return factory
    }

    func ociConnection() throws(MediaError) -> OCIConnection { try connections().ociConnection() }

    func mediaServices() throws(MediaError) -> (MediaServicesClient, OCIConnection) {
        let factory = try connections()
        return (try factory.mediaServices(), try factory.ociConnection())
    }

    func mediaStream(domainName: String) throws(MediaError) -> MediaStreamClient { try connections().mediaStream(domain: domainName) }

    /// Object Storage at `endpoint` (nil: the region's), with a client factory for `parallel` upload threads.
    func objectStorage(endpoint: String?, parallel: Int) throws(MediaError) -> (ObjectStorageClient, ObjectUploader.ClientFactory) {
        try connections().objectStorage(endpoint: endpoint, parallel: parallel)
    }

    /// The client for either platform (the same paths under the project, each attempt signed for its platform), at the
    /// URL and with the request timeout the video verb's options carry.
    func openTokClient(_ connection: VideoConnectionOptions, credentials: VideoCredentials) throws(MediaError) -> OpenTokClient {
        var settings = try connections().settings
        switch connection.platform {
        case .opentok: settings.openTokURL = connection.url
        case .vonage: settings.vonageURL = connection.url
        }
        settings.videoRequestTimeout = connection.requestTimeout
        return try ConnectionFactory(settings: settings, clock: clock, events: connectionEvents)
            .video(credentials: credentials, chosenBy: connection.credentials.chosenBy)
    }
}
