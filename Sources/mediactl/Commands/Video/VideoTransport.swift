// TEMPORARY: the OpenTok / Vonage client's transport stack, until MediaKit's connection factory builds it
// (the integrator replaces this file with a call such as `factory.video(credentials:chosenBy:)`).
// libcurl, then (outermost first) retries → X-OPENTOK-AUTH or Bearer JWT → redacted debug log.
import MediaKit

extension CommandContext {
    /// The client for either platform, its secret or key read now.
    func openTokClient(_ connection: VideoConnectionOptions) throws(MediaError) -> OpenTokClient {
        try openTokClient(connection, credentials: try videoCredentials(connection.credentials))
    }

    /// The same paths under the project, each attempt signed for its platform.
    func openTokClient(_ connection: VideoConnectionOptions, credentials: VideoCredentials) throws(MediaError) -> OpenTokClient {
        let base = connection.baseURL
        if base.scheme == "http", !["127.0.0.1", "localhost", "[::1]"].contains(base.host) {
            io.warn("--\(connection.urlFlag) \(connection.urlText) is plain http: anyone on the path can read and replay each request's JWT")
        }
        let inv = invocation
        var total = connection.requestTimeout
        if total == nil { total = try inv.value(GlobalFlags.readTimeout) }
        let options = TransferOptions(connectTimeout: try inv.value(GlobalFlags.connectTimeout), totalTimeout: total ?? 60,
                                      caBundle: try inv.value(GlobalFlags.caBundle).map(expand), proxy: try inv.transferOptions().proxy)
        var transport: any HTTPTransport = try CurlTransport(options: options)
        let io = self.io
        let debug = self.debug
        if debug { transport = DebugLogTransport(inner: transport, log: { io.debug($0) }) }
        transport = VideoAuthTransport(inner: transport, credentials: credentials, clock: clock)
        transport = RetryingTransport(inner: transport, policy: try inv.retryPolicy, clock: clock,
                                      onRetry: { message in if debug { io.debug(message) } else { io.progress(message) } })
        let platform = credentials.platform
        if debug {
            let project = platform == .vonage ? "application \(credentials.projectID), Bearer RS256 JWT" : "API key \(credentials.projectID), X-OPENTOK-AUTH HS256 JWT"
            io.debug("Video platform: \(platform.displayName) at \(base) (\(project); chosen by \(connection.credentials.chosenBy))")
        }
        return OpenTokClient(transport: transport, baseURL: base, apiKey: credentials.projectID, platform: platform)
    }
}
