// The seam to the OpenTok REST emulator (EmulatorCore/OpenTok*.swift): the server sends `/session/create` and `/v2/project/...` here.
import EmulatorCore
import Foundation
import MediaKit

enum OpenTokRoute {
    /// OpenTok's tables in the shared state file are `openTok/…`, beside Media Services' own.
    static let persistenceScope = "openTok"

    /// The OpenTok service for the project `apiKey`/`apiSecret` as a transport-free handler, its state restored from
    /// and saved to `persistence` (under `persistenceScope`); also how many records were restored.
    static func handler(apiKey: String, apiSecret: String,
                        persistence: any StatePersistence) throws -> (handler: EmulatorService.Handler, restored: Int) {
        let emulator = OpenTokEmulator(apiKey: apiKey, apiSecret: apiSecret,
                                       persistence: ScopedPersistence(persistence, scope: persistenceScope))
        let restored = try emulator.restoreState()
        let handler: EmulatorService.Handler = { request in
            let r = emulator.handle(method: request.method, target: request.target, headers: request.headers, body: request.body)
            return ServerResponse(status: r.status, headers: r.headers, body: r.body)
        }
        return (handler, restored)
    }
}
