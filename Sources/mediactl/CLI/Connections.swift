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
        s.openTokURL = try string("api-url") ?? VideoFlags.defaultAPIURL
        s.vonageURL = try string("video-url") ?? VideoFlags.defaultVonageURL
        s.videoRequestTimeout = try double("request-timeout")
        return s
    }

    /// The run's factory, made on first use and kept, so every client shares one OCI connection.
    func connections() throws(MediaError) -> ConnectionFactory {
        if let made = connectionFactory { return made }
        let settings = try connectionSettings()
        let io = self.io
        let events = ConnectionEvents(debug: { io.debug($0) }, progress: { io.progress($0) }, warn: { io.warn($0) })
        let factory = try call { () throws(MediaError) in try ConnectionFactory(settings: settings, clock: clock, events: events) }
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

    /// The client for either platform: the same paths under the project, each attempt signed for its platform.
    func openTokClient(credentials: VideoCredentials) throws(MediaError) -> OpenTokClient {
        let platform = credentials.platform
        let (urlFlag, otherFlag) = platform == .vonage ? ("video-url", "api-url") : ("api-url", "video-url")
        if line.values[otherFlag] != nil {
            throw .usage("--\(otherFlag) is the \(platform == .vonage ? "OpenTok" : "Vonage Video API") URL; with \(platform == .vonage ? "Vonage" : "OpenTok") credentials give --\(urlFlag)")
        }
        let factory = try connections()
        let why = try value(GlobalFlags.debug) ? (try? videoPlatform())?.reason ?? "credentials given" : ""
        return try call { () throws(MediaError) in try factory.video(credentials: credentials, chosenBy: why) }
    }
}
