// The CLI's only glue to MediaKit's ConnectionFactory: the resolved global flags (flag > env > defaults file >
// table default) become `ConnectionSettings`, the factory's events go to stderr, and commands get clients.
import MediaKit

extension Invocation {
    /// Every connection setting, as the command table resolves it.
    func connectionSettings() throws(MediaError) -> ConnectionSettings {
        var s = ConnectionSettings(environment: environment, homeDirectory: home)
        s.configFile = try value(GlobalFlags.configFile)
        s.profile = try value(GlobalFlags.profile)
        s.region = try value(GlobalFlags.region)
        s.endpoint = try value(GlobalFlags.endpoint)
        s.auth = try value(GlobalFlags.auth)?.rawValue
        s.metadataURL = try value(GlobalFlags.metadataURL)
        s.federationEndpoint = try value(GlobalFlags.federationEndpoint)
        s.objectStorageEndpoint = try string("objectstorage-endpoint")
        s.realmSpecificEndpoint = try value(GlobalFlags.realmSpecificEndpoint)
        s.dualStack = try value(GlobalFlags.dualStack)
        s.connectTimeout = try value(GlobalFlags.connectTimeout)
        s.readTimeout = try value(GlobalFlags.readTimeout)
        // A command's own --timeout (the waits'): no request or retry sequence may outlast it.
        s.commandTimeout = try context.commandTimeout
        // Per-command connection flags, read by name until those commands carry them in their options.
        s.caBundle = try value(GlobalFlags.caBundle)
        s.proxy = try value(GlobalFlags.proxy)
        s.maxRetries = try value(GlobalFlags.maxRetries)
        s.noRetry = try value(GlobalFlags.noRetry)
        s.requestID = try value(GlobalFlags.opcRequestID)
        s.debug = try value(GlobalFlags.debug)
        // The video URLs and request timeout are the video verbs' own options (VideoConnectionOptions): openTokClient.
        return s
    }

    /// The factory's warnings, progress and --debug lines, on stderr.
    var connectionEvents: ConnectionEvents {
        let io = self.io
        return ConnectionEvents(debug: { io.debug($0) }, progress: { io.progress($0) }, warn: { io.warn($0) })
    }

    /// The run's factory, made on first use and kept, so every client shares one OCI connection.
    func connections() throws(MediaError) -> ConnectionFactory {
        if let made = connectionFactory { return made }
        let settings = try connectionSettings()
        let factory = try ConnectionFactory(settings: settings, clock: clock, events: connectionEvents)
        connectionFactory = factory
        return factory
    }

    func ociConnection() throws(MediaError) -> OCIConnection {
        let factory = try connections()
        return try call { () throws(MediaError) in try factory.ociConnection() }
    }

    func mediaServices() throws(MediaError) -> (MediaServicesClient, OCIConnection) {
        let factory = try connections()
        return try call { () throws(MediaError) in (try factory.mediaServices(), try factory.ociConnection()) }
    }

    func mediaStream(domainName: String) throws(MediaError) -> MediaStreamClient {
        let factory = try connections()
        return try call { () throws(MediaError) in try factory.mediaStream(domain: domainName) }
    }

    /// An Object Storage client, plus a factory for one more per upload thread (`--parallel`).
    func objectStorage() throws(MediaError) -> (ObjectStorageClient, ObjectUploader.ClientFactory) {
        let factory = try connections()
        let parallel = try int("parallel") ?? 1
        return try call { () throws(MediaError) in try factory.objectStorage(parallel: parallel) }
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
