// OCI error bodies `{"code", "message"}` (protocols.md §5.1) turned into ServiceFailure.
import FoundationEssentials

public enum OCIErrorBody {
    public static func code(in body: Data) -> String? {
        guard body.first == UInt8(ascii: "{"), let json = try? JSONParser.parse(body) else { return nil }
        return json["code"]?.stringValue
    }

    public static func failure(_ response: HTTPResponse, request: HTTPRequest) -> ServiceFailure {
        var code = "HTTP\(response.status)"
        var message = HTTPStatusText.reason(response.status)
        if let json = try? JSONParser.parse(response.body) {
            if let c = json["code"]?.stringValue, !c.isEmpty { code = c }
            if let m = json["message"]?.stringValue, !m.isEmpty { message = m }
        } else if !response.body.isEmpty {
            // Not JSON: the raw text (first line, bounded) is the message, as the SDK does.
            let text = String(decoding: response.body.prefix(300), as: UTF8.self)
            let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
            message = firstLine.trimming(.whitespaces)
        }
        return ServiceFailure(status: response.status, code: code, message: message,
                              requestID: response.header("opc-request-id") ?? request.header("opc-request-id"),
                              method: request.method, url: Redactor.url(request.url.description))
    }
}

public enum HTTPStatusText {
    public static func reason(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 412: "Precondition Failed"
        case 413: "Payload Too Large"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "HTTP \(status)"
        }
    }
}
