// The seam to the OpenTok REST emulator (EmulatorCore/OpenTok*.swift): the server sends `/session/create` and
// `/v2/project/...` here, to the OpenTok project or to the Vonage application the call is for.
import EmulatorCore
import Foundation
import MediaKit

enum OpenTokRoute {
    /// OpenTok's tables in the shared state file are `openTok/…`, beside Media Services' own; the Vonage application's `vonage/…`.
    static let persistenceScope = "openTok"
    static let vonagePersistenceScope = "vonage"

    /// The OpenTok service for the project `apiKey`/`apiSecret` and, when given, the Vonage application `vonage`, as one
    /// transport-free handler, their state restored from and saved to `persistence`; also how many records were restored.
    static func handler(apiKey: String, apiSecret: String, vonage: (applicationID: String, publicKey: RSAPublicKey)? = nil,
                        persistence: any StatePersistence) throws -> (handler: EmulatorService.Handler, restored: Int) {
        let openTok = OpenTokEmulator(apiKey: apiKey, apiSecret: apiSecret, persistence: ScopedPersistence(persistence, scope: persistenceScope))
        var restored = try openTok.restoreState()
        let application = vonage.map {
            OpenTokEmulator(applicationID: $0.applicationID, publicKey: $0.publicKey,
                            persistence: ScopedPersistence(persistence, scope: vonagePersistenceScope))
        }
        if let application { restored += try application.restoreState() }
        let handler: EmulatorService.Handler = { request in
            let emulator = application.flatMap { isFor($0, request) ? $0 : nil } ?? openTok
            let r = emulator.handle(method: request.method, target: request.target, headers: request.headers, body: request.body)
            return ServerResponse(status: r.status, headers: r.headers, body: r.body)
        }
        return (handler, restored)
    }

    /// A call is the application's when its path names the application ID, or (for `/session/create`, whose path
    /// names no project) when it carries a Bearer JWT rather than X-OPENTOK-AUTH.
    static func isFor(_ application: OpenTokEmulator, _ request: ServerRequest) -> Bool {
        let prefix = "/v2/project/"
        if request.target.hasPrefix(prefix) {
            let project = request.target.dropFirst(prefix.count).prefix { $0 != "/" && $0 != "?" }
            return project == application.apiKey
        }
        return request.headers.contains { $0.0.lowercased() == "authorization" && $0.1.hasPrefix("Bearer ") }
    }
}
