// The seam to the OpenTok REST emulator (EmulatorCore/OpenTok*.swift): the server sends `/session/create` and `/v2/project/...` here.
import EmulatorCore
import Foundation
import MediaKit

enum OpenTokRoute {
    /// The OpenTok service for the project `apiKey`/`apiSecret`, as a transport-free handler.
    /// Nil until the OpenTok emulator lands in EmulatorCore; then this builds an `OpenTokEmulator` and
    /// adapts its `handle(method:target:headers:body:)` (the working tree's version of this file does).
    static func handler(apiKey: String, apiSecret: String) -> EmulatorService.Handler? {
        nil
    }
}
