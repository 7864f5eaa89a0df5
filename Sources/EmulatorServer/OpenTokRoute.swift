// The seam to the OpenTok REST emulator (EmulatorCore/OpenTok*.swift): the server sends `/session/create` and `/v2/project/...` here.
import EmulatorCore
import Foundation
import MediaKit

enum OpenTokRoute {
    /// The OpenTok service for the project `apiKey`/`apiSecret`, as a transport-free handler.
    static func handler(apiKey: String, apiSecret: String) -> EmulatorService.Handler? {
        let emulator = OpenTokEmulator(apiKey: apiKey, apiSecret: apiSecret)
        return { request in
            let r = emulator.handle(method: request.method, target: request.target, headers: request.headers, body: request.body)
            return ServerResponse(status: r.status, headers: r.headers, body: r.body)
        }
    }
}
