// The OCI error bodies (protocols.md §5.1) the emulator answers with: one status, code and message per failure.
import Foundation
import MediaKit

/// A failed request as the service reports it. Thrown by the verifier, router and store, and turned
/// into a `{"code","message"}` response in exactly one place (MediaServicesEmulator.handle).
struct APIError: Error, Sendable, Equatable {
    let status: Int
    let code: String
    let message: String
    /// Extra response headers (e.g. `allow` on 405).
    var headers: [(String, String)] = []

    static func == (lhs: APIError, rhs: APIError) -> Bool {
        lhs.status == rhs.status && lhs.code == rhs.code && lhs.message == rhs.message
    }

    var body: JSONValue { ["code": .string(code), "message": .string(message)] }

    // MARK: the codes the emulator uses

    /// The service's fixed wording: it never says whether the resource exists or is merely hidden.
    static let notFoundMessage = "Authorization failed or requested resource not found."

    static func notAuthenticated(_ reason: String) -> APIError {
        APIError(status: 401, code: "NotAuthenticated", message: reason)
    }

    static func cannotParse(_ reason: String) -> APIError {
        APIError(status: 400, code: "CannotParseRequest", message: reason)
    }

    static func missing(_ field: String) -> APIError {
        APIError(status: 400, code: "MissingParameter", message: "Missing required parameter '\(field)'.")
    }

    static func invalid(_ field: String, _ reason: String) -> APIError {
        APIError(status: 400, code: "InvalidParameter", message: "Invalid parameter '\(field)': \(reason)")
    }

    static let notFound = APIError(status: 404, code: "NotAuthorizedOrNotFound", message: notFoundMessage)

    /// A referenced id (workflow, channel, asset, packaging config) that does not exist; the field is
    /// named so a client author can tell which reference is wrong.
    static func referenceNotFound(_ field: String, _ id: String) -> APIError {
        APIError(status: 404, code: "NotAuthorizedOrNotFound", message: "\(notFoundMessage) (\(field) \(id))")
    }

    static func methodNotAllowed(_ method: String, allowed: [String]) -> APIError {
        APIError(status: 405, code: "MethodNotAllowed", message: "\(method) is not allowed on this path; use \(allowed.joined(separator: " or ")).",
                 headers: [("allow", allowed.joined(separator: ", "))])
    }

    static func invalidatedRetryToken(_ reason: String) -> APIError {
        APIError(status: 409, code: "InvalidatedRetryToken", message: reason)
    }
}
