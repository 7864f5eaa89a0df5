// OpenTok error answers (`{"code", "message"}`) turned into MediaError by HTTP status (protocols.md §7.8):
// 400 and 413 → service (exit 1), 401/403 → auth, 404 → not found, 405/409 → conflict, 5xx → service.
import FoundationEssentials

public enum OpenTokErrorBody {
    public static func failure(_ response: HTTPResponse, request: HTTPRequest) -> ServiceFailure {
        var message = HTTPStatusText.reason(response.status)
        if let json = try? JSONParser.parse(response.body), let m = json["message"]?.stringValue, !m.isEmpty {
            message = m
        } else if !response.body.isEmpty, response.body.first != UInt8(ascii: "<") {
            // Plain text: its first line, bounded. XML/HTML error pages say nothing the status does not.
            let text = String(decoding: response.body.prefix(300), as: UTF8.self)
            message = (text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text).trimming(.whitespaces)
        }
        // The code is the status's name: OpenTok's own `code` field only repeats the status number.
        return ServiceFailure(status: response.status, code: HTTPStatusText.reason(response.status).replacing(" ", with: ""),
                              message: message, requestID: nil,  // OpenTok sends no opc-request-id
                              method: request.method, url: Redactor.url(request.url.description))
    }

    public static func error(_ response: HTTPResponse, request: HTTPRequest, platform: VideoPlatform = .opentok) -> MediaError {
        let failure = failure(response, request: request)
        switch response.status {
        case 401 where platform == .vonage, 403 where platform == .vonage:
            return .auth("the Vonage Video API refused the credentials (check the application ID, its private key and this machine's clock)", failure)
        case 401, 403: return .auth("OpenTok refused the credentials (check the API key, the API secret and this machine's clock)", failure)
        case 404: return .notFound(failure)
        // 405: a stream was added to or removed from an archive or broadcast whose streamMode is not manual.
        case 405, 409: return .conflict(failure)
        default: return .service(failure)
        }
    }
}
