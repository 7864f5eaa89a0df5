// Retry tokens: a create or action repeated with the same opc-retry-token gets its first answer back (protocols.md §5.3).
import Foundation
import MediaKit

extension ResourceStore {
    struct RetryRecord {
        let operation: String
        let body: JSONValue
        let response: JSONValue
        let created: Date
    }

    /// Retry tokens live 24 h (protocols.md §5.3).
    static let retryTokenLifetime: TimeInterval = 24 * 3600

    // MARK: - Retry tokens

    /// The stored result for a repeated `opc-retry-token`, nil when the token is new. The same token on a
    /// different request is refused rather than silently answered with someone else's result.
    mutating func replay(retryToken token: String, operation: String, body: JSONValue, now: Date) throws(APIError) -> JSONValue? {
        for (old, record) in retryRecords where now.timeIntervalSince(record.created) >= Self.retryTokenLifetime {
            putRetryRecord(old, nil)
        }
        guard let record = retryRecords[token] else { return nil }
        guard record.operation == operation, record.body == body else {
            throw .invalidatedRetryToken("The opc-retry-token \"\(token)\" was already used for a different request "
                + "(\(record.operation)); use a new token for a new request.")
        }
        return record.response
    }

    mutating func remember(retryToken token: String, operation: String, body: JSONValue, response: JSONValue, now: Date) {
        putRetryRecord(token, RetryRecord(operation: operation, body: body, response: response, created: now))
    }
}
