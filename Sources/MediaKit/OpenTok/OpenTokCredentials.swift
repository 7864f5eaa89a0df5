// OpenTok project credentials: the API key (the project's number) and the API secret that signs every JWT.
import FoundationEssentials

public struct OpenTokCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let apiKey: String
    /// Only ever used as an HMAC key; `description` and `debugDescription` leave it out.
    let apiSecret: String

    /// Checks the shapes without echoing either value: a secret pasted into the key field must not
    /// end up in an error message.
    public init(apiKey: String, apiSecret: String) throws(MediaError) {
        guard !apiKey.isEmpty, apiKey.count <= 32, apiKey.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .usage("the OpenTok API key must be the project's number (digits only, as shown in the account's project list)")
        }
        guard !apiSecret.isEmpty else { throw .usage("the OpenTok API secret is empty") }
        guard !apiSecret.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .usage("the OpenTok API secret contains a line break or control character")
        }
        self.apiKey = apiKey
        self.apiSecret = apiSecret
    }

    /// The HMAC key: the secret's UTF-8 bytes, not hex-decoded (protocols.md §7.1).
    var signingKey: Data { Data(apiSecret.utf8) }

    public var description: String { "OpenTokCredentials(apiKey: \(apiKey), apiSecret: [REDACTED])" }
    public var debugDescription: String { description }
}
