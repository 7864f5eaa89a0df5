// The CLI's only glue to MediaKit's ConnectionFactory: the resolved global flags (flag > env > defaults file >
// table default) become `ConnectionSettings`, the factory's events go to stderr, and commands get clients.
import MediaKit

extension Invocation {
    /// Every connection setting, as the command table resolves it.
    func connectionSettings() throws(CLIError) -> ConnectionSettings {
        var s = ConnectionSettings(environment: environment, homeDirectory: home)
        s.configFile = try string("config-file")
        s.profile = try string("profile")
        s.region = try string("region")
        s.endpoint = try string("endpoint")
        s.auth = try string("auth")
        s.metadataURL = try string("metadata-url")
        s.federationEndpoint = try string("federation-endpoint")
        s.objectStorageEndpoint = try string("objectstorage-endpoint")
        s.realmSpecificEndpoint = try bool("realm-specific-endpoint")
        s.dualStack = try bool("enable-dual-stack")
        s.connectTimeout = try double("connect-timeout") ?? s.connectTimeout
        s.readTimeout = try double("read-timeout") ?? s.readTimeout
        // A command's own --timeout (the waits'): no request or retry sequence may outlast it.
        s.commandTimeout = line.command.flags.contains { $0.name == "timeout" } ? try double("timeout") : nil
        s.caBundle = try string("ca-bundle")
        s.proxy = try string("proxy")
        s.maxRetries = try int("max-retries") ?? s.maxRetries
        s.noRetry = try bool("no-retry")
        s.requestID = try string("opc-request-id")
        s.debug = try bool("debug")
        s.openTokURL = try string("api-url") ?? VideoFlags.defaultAPIURL
        s.vonageURL = try string("video-url") ?? VideoFlags.defaultVonageURL
        s.videoRequestTimeout = try double("request-timeout")
        return s
    }

    /// The run's factory, made on first use and kept, so every client shares one OCI connection.
    func connections() throws(CLIError) -> ConnectionFactory {
        if let made = connectionFactory { return made }
        let settings = try connectionSettings()
        let io = self.io
        let events = ConnectionEvents(debug: { io.debug($0) }, progress: { io.progress($0) }, warn: { io.warn($0) })
        let factory = try call { () throws(MediaError) in try ConnectionFactory(settings: settings, clock: clock, events: events) }
        connectionFactory = factory
        return factory
    }

    func ociConnection() throws(CLIError) -> OCIConnection {
        let factory = try connections()
        return try call { () throws(MediaError) in try factory.ociConnection() }
    }

    func mediaServices() throws(CLIError) -> (MediaServicesClient, OCIConnection) {
        let factory = try connections()
        return try call { () throws(MediaError) in (try factory.mediaServices(), try factory.ociConnection()) }
    }

    func mediaStream(domainName: String) throws(CLIError) -> MediaStreamClient {
        let factory = try connections()
        return try call { () throws(MediaError) in try factory.mediaStream(domain: domainName) }
    }

    /// An Object Storage client, plus a factory for one more per upload thread (`--parallel`).
    func objectStorage() throws(CLIError) -> (ObjectStorageClient, ObjectUploader.ClientFactory) {
        let factory = try connections()
        let parallel = try int("parallel") ?? 1
        return try call { () throws(MediaError) in try factory.objectStorage(parallel: parallel) }
    }

    /// The client for either platform: the same paths under the project, each attempt signed for its platform.
    func openTokClient(credentials: VideoCredentials) throws(CLIError) -> OpenTokClient {
        let platform = credentials.platform
        let (urlFlag, otherFlag) = platform == .vonage ? ("video-url", "api-url") : ("api-url", "video-url")
        if line.values[otherFlag] != nil {
            throw .usage("--\(otherFlag) is the \(platform == .vonage ? "OpenTok" : "Vonage Video API") URL; with \(platform == .vonage ? "Vonage" : "OpenTok") credentials give --\(urlFlag)")
        }
        let factory = try connections()
        let why = try bool("debug") ? (try? videoPlatform())?.reason ?? "credentials given" : ""
        return try call { () throws(MediaError) in try factory.video(credentials: credentials, chosenBy: why) }
    }
}
