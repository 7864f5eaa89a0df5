// Bad OpenTok input: one line on stderr naming the flag, exit 64 (usage), nothing on stdout, and
// no request sent (the emulator's call log stays empty). Secrets never appear in the message.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct VideoBadInputTests {
    static let s = OpenTokSessionID.make(apiKey: "123456", createdMillis: 1_700_000_000_000, random: "cmFuZG9t", routed: true)
    static let otherProject = OpenTokSessionID.make(apiKey: "999", createdMillis: 1, random: "eA", routed: true)
    static let sixTargets = (1...6).flatMap { ["--rtmp", "rtmp://live.example.com/app/key\($0)"] }

    static let cases: [BadInputCase] = [
        // archive start
        BadInputCase(name: "resolution with individual output", args: ["archive", "start", "--session-id", s, "--output-mode", "individual", "--resolution", "1280x720"],
             message: "error: --resolution cannot be combined with --output-mode individual: each stream keeps its own size"),
        BadInputCase(name: "layout with individual output", args: ["archive", "start", "--session-id", s, "--output-mode", "individual", "--layout", "pip"],
             message: "error: --layout applies to composed archives only, not --output-mode individual"),
        BadInputCase(name: "stylesheet without a layout", args: ["archive", "start", "--session-id", s, "--stylesheet", "stream {}"],
             message: "error: --stylesheet needs --layout custom"),
        BadInputCase(name: "stylesheet with bestFit", args: ["archive", "start", "--session-id", s, "--layout", "bestFit", "--stylesheet", "stream {}"],
             message: "error: --stylesheet needs --layout custom (got bestFit)"),
        BadInputCase(name: "custom without a stylesheet", args: ["archive", "layout", "a-1", "--layout", "custom"],
             message: "error: --layout custom needs --stylesheet or --stylesheet-file"),
        BadInputCase(name: "screenshare type without bestFit", args: ["broadcast", "layout", "b-1", "--layout", "pip", "--screenshare-type", "pip"],
             message: "error: --screenshare-type needs --layout bestFit (got pip)"),
        BadInputCase(name: "screenshare type custom", args: ["archive", "layout", "a-1", "--layout", "bestFit", "--screenshare-type", "custom"],
             message: "error: --screenshare-type: expected one of bestFit, horizontalPresentation, pip, verticalPresentation, got 'custom'"),
        BadInputCase(name: "bitrate too low", args: ["archive", "start", "--session-id", s, "--max-bitrate", "99999"],
             message: "error: --max-bitrate: expected a number from 100000 to 6000000, got 99999"),
        BadInputCase(name: "quantization parameter too high", args: ["archive", "start", "--session-id", s, "--quantization-parameter", "41"],
             message: "error: --quantization-parameter: expected a number from 15 to 40, got 41"),
        BadInputCase(name: "neither audio nor video", args: ["archive", "start", "--session-id", s, "--no-audio", "--no-video"],
             message: "error: --no-audio and --no-video together leave nothing to record"),
        BadInputCase(name: "transcription settings without transcription", args: ["archive", "start", "--session-id", s, "--transcription-language", "en-US"],
             message: "error: --transcription-language and --transcription-summary need --transcription"),
        BadInputCase(name: "bad resolution", args: ["archive", "start", "--session-id", s, "--resolution", "800x600"],
             message: "error: --resolution: expected one of 640x480, 480x640, 1280x720, 720x1280, 1920x1080, 1080x1920, got '800x600'"),
        BadInputCase(name: "missing session ID", args: ["archive", "start"],
             message: "error: missing ID for `mediactl archive start`: give --session-id, or OPENTOK_SESSION_ID, or 'session-id' in the defaults file"),
        BadInputCase(name: "missing stylesheet file", args: ["archive", "layout", "a-1", "--layout", "custom", "--stylesheet-file", "/nonexistent.css"],
             message: "error: --stylesheet-file /nonexistent.css: no such file"),
        // archive other verbs
        BadInputCase(name: "all with offset", args: ["archive", "list", "--all", "--offset", "3"], message: "error: --all cannot be combined with --offset or --count"),
        BadInputCase(name: "count too large", args: ["broadcast", "list", "--count", "1001"], message: "error: --count: expected a number from 1 to 1000, got 1001"),
        BadInputCase(name: "delete without confirmation", args: ["archive", "delete", "a-1"],
             message: "error: refusing to delete archive a-1 without confirmation: pass --yes (no terminal to ask on)"),
        BadInputCase(name: "add a stream with nothing", args: ["archive", "add-stream", "a-1", "--stream-id", "s-1", "--no-audio", "--no-video"],
             message: "error: --no-audio and --no-video together would add nothing"),
        BadInputCase(name: "an ID that would change the path", args: ["archive", "get", "../../session"],
             message: "error: the archive ID '../../session' contains '/', '?', '#' or a space"),
        // broadcast start
        BadInputCase(name: "six RTMP targets", args: ["broadcast", "start", "--session-id", s] + sixTargets,
             message: "error: --rtmp given 6 times: a broadcast can have at most 5 RTMP targets"),
        BadInputCase(name: "low latency and DVR", args: ["broadcast", "start", "--session-id", s, "--hls-low-latency", "--hls-dvr"],
             message: "error: --hls-low-latency and --hls-dvr cannot be combined"),
        BadInputCase(name: "no output", args: ["broadcast", "start", "--session-id", s], message: "error: a broadcast needs an output: give --hls and/or --rtmp [ID=]URL"),
        BadInputCase(name: "max duration too short", args: ["broadcast", "start", "--session-id", s, "--hls", "--max-duration", "59"],
             message: "error: --max-duration: expected a number from 60 to 36000, got 59"),
        BadInputCase(name: "max duration too long", args: ["broadcast", "start", "--session-id", s, "--hls", "--max-duration", "36001"],
             message: "error: --max-duration: expected a number from 60 to 36000, got 36001"),
        BadInputCase(name: "RTMP target not rtmp", args: ["broadcast", "start", "--session-id", s, "--rtmp", "https://example.com/app/key"],
             message: "error: --rtmp https://example.com/app/key: the URL must start with rtmp:// or rtmps://"),
        BadInputCase(name: "RTMP target without a stream name", args: ["broadcast", "start", "--session-id", s, "--rtmp", "rtmp://example.com"],
             message: "error: --rtmp rtmp://example.com: expected [ID=]rtmp://HOST/APP/STREAM_NAME (the last path segment is the stream name)"),
        BadInputCase(name: "RTMP IDs used twice", args: ["broadcast", "start", "--session-id", s, "--rtmp", "a=rtmp://h/app/k1", "--rtmp", "a=rtmp://h/app/k2"],
             message: "error: RTMP target id 'a' is used twice"),
        // signal, DTMF
        BadInputCase(name: "signal type too long", args: ["signal", "--session-id", s, "--type", String(repeating: "t", count: 129), "--data", "x"],
             message: "error: --type: the signal type is 129 bytes; at most 128 are allowed"),
        BadInputCase(name: "signal type with a space", args: ["signal", "--session-id", s, "--type", "chat message", "--data", "x"],
             message: "error: --type: the signal type 'chat message' may contain only letters, digits, '-', '_' and '~'"),
        BadInputCase(name: "signal data too large", args: ["signal", "--session-id", s, "--data", String(repeating: "d", count: 8193)],
             message: "error: --data: the signal data is 8193 bytes; at most 8192 (8 kB) are allowed"),
        BadInputCase(name: "signal without data", args: ["signal", "--session-id", s],
             message: "error: missing TEXT for `mediactl signal`: give --data"),
        BadInputCase(name: "DTMF letter", args: ["dtmf", "--session-id", s, "--digits", "12a"],
             message: "error: --digits: 'a' is not a DTMF digit: use 0-9, *, # and p (a 500 ms pause)"),
        // streams
        BadInputCase(name: "layout classes without =", args: ["stream", "layout-classes", "--session-id", s, "--set", "s-1"],
             message: "error: --set s-1: expected STREAM_ID=CLASS[,CLASS...] (STREAM_ID= clears the list)"),
        BadInputCase(name: "layout classes twice for a stream", args: ["stream", "layout-classes", "--session-id", s, "--set", "s-1=a", "--set", "s-1=b"],
             message: "error: --set: stream s-1 is given twice"),
        // session create
        BadInputCase(name: "archive mode always on a relayed session", args: ["session", "create", "--archive-mode", "always"],
             message: "error: --archive-mode always needs --media-mode routed"),
        BadInputCase(name: "e2ee on a relayed session", args: ["session", "create", "--e2ee"], message: "error: --e2ee needs --media-mode routed"),
        BadInputCase(name: "archive name without always", args: ["session", "create", "--media-mode", "routed", "--archive-name", "x"],
             message: "error: --archive-name needs --archive-mode always"),
        BadInputCase(name: "archive name too long", args: ["session", "create", "--media-mode", "routed", "--archive-mode", "always", "--archive-name", String(repeating: "n", count: 81)],
             message: "error: the archive name must be 1 to 80 characters, got 81"),
        BadInputCase(name: "location not IPv4", args: ["session", "create", "--location", "999.1.1.1"],
             message: "error: location '999.1.1.1' is not an IPv4 address"),
        // SIP
        BadInputCase(name: "SIP URI scheme", args: ["sip", "dial", "--session-id", s, "--uri", "tel:+15551234567"],
             message: "error: --uri: SIP URI 'tel:+15551234567' must start with sip: or sips:"),
        BadInputCase(name: "SIP header without X-", args: ["sip", "dial", "--session-id", s, "--uri", "sip:a@b", "--header", "Foo: bar"],
             message: "error: --header: SIP header name 'Foo' must start with X-"),
        BadInputCase(name: "SIP user without a password", args: ["sip", "dial", "--session-id", s, "--uri", "sip:a@b", "--auth-user", "bob"],
             message: "error: --auth-user needs a password: set OPENTOK_SIP_PASSWORD or give --sip-password-file PATH"),
        BadInputCase(name: "SIP password file without a user", args: ["sip", "dial", "--session-id", s, "--uri", "sip:a@b", "--sip-password-file", "/tmp/x"],
             message: "error: --sip-password-file needs --auth-user"),
        BadInputCase(name: "SIP session of another project", args: ["sip", "dial", "--session-id", otherProject, "--uri", "sip:a@b"],
             message: "error: --session-id: session \(otherProject) does not belong to API key 123456"),
        // token
        BadInputCase(name: "token expires in more than 30 days", args: ["token", "--session-id", s, "--expires-in", "2592001"],
             message: "error: --expires-in: expected a number from 0 to 2592000, got 2592001"),
        BadInputCase(name: "token expired", args: ["token", "--session-id", s, "--expire-time", "2000-01-01T00:00:00Z"],
             message: "error: --expire-time/--expires-in: the token's expire time 946684800 (2000-01-01T00:00:00Z) is in the past"),
        BadInputCase(name: "token too far ahead", args: ["token", "--session-id", s, "--expire-time", "4102444800"],
             message: "error: --expire-time/--expires-in: the token's expire time 4102444800 (2100-01-01T00:00:00Z) is more than 30 days ahead"),
        BadInputCase(name: "token time unreadable", args: ["token", "--session-id", s, "--expire-time", "tomorrow"],
             message: "error: --expire-time: 'tomorrow' is neither epoch seconds nor an ISO-8601 time such as 2030-01-01T00:00:00Z"),
        BadInputCase(name: "token with both expiry flags", args: ["token", "--session-id", s, "--expire-time", "1", "--expires-in", "1"],
             message: "error: --expire-time and --expires-in cannot be combined"),
        BadInputCase(name: "token connection data too long", args: ["token", "--session-id", s, "--data", String(repeating: "x", count: 1001)],
             message: "error: --data: connection data is 1001 characters; at most 1000 are allowed"),
        BadInputCase(name: "token layout class with a space", args: ["token", "--session-id", s, "--layout-class", "full screen"],
             message: "error: --layout-class: layout class 'full screen' must be one non-empty word"),
        BadInputCase(name: "token layout classes too long", args: ["token", "--session-id", s] + (1...101).flatMap { _ in ["--layout-class", "abcdefghi"] },
             message: "error: --layout-class: the initial layout class list is 1009 characters joined; at most 1000 are allowed"),
        BadInputCase(name: "token role", args: ["token", "--session-id", s, "--role", "admin"],
             message: "error: --role: expected one of subscriber, publisher, publisheronly, moderator, got 'admin'"),
        BadInputCase(name: "token for another project's session", args: ["token", "--session-id", otherProject],
             message: "error: --session-id: session \(otherProject) does not belong to API key 123456"),
        BadInputCase(name: "token for a made-up session", args: ["token", "--session-id", "hello"],
             message: "error: --session-id: 'hello' is not an OpenTok session ID"),
        // credentials and connection settings
        BadInputCase(name: "secret as a flag", args: ["archive", "list", "--api-secret", "s3cr3t-on-the-line"],
             message: "error: --api-secret is not accepted: a secret on the command line shows in ps and shell history"),
        BadInputCase(name: "no secret anywhere", args: ["archive", "list"], env: ["OPENTOK_API_SECRET": ""],
             message: "error: missing the OpenTok API secret: set OPENTOK_API_SECRET or give --api-secret-file PATH (never the secret itself as a flag)"),
        BadInputCase(name: "missing secret file", args: ["archive", "list", "--api-secret-file", "/nonexistent/secret"],
             message: "error: --api-secret-file /nonexistent/secret: no such file"),
        BadInputCase(name: "API key that is not a number", args: ["archive", "list"], env: ["OPENTOK_API_KEY": "0123456789abcdef-looks-like-a-secret"],
             message: "error: the OpenTok API key must be the project's number (digits only, as shown in the account's project list)"),
        BadInputCase(name: "API key missing", args: ["token", "--session-id", s], env: ["OPENTOK_API_KEY": ""],
             message: "error: missing KEY for `mediactl token`: give --api-key, or OPENTOK_API_KEY, or 'api-key' in the defaults file"),
        BadInputCase(name: "API URL not http", args: ["archive", "list", "--api-url", "ftp://example.com"],
             message: "error: --api-url: 'ftp://example.com' is not an http(s) URL such as https://api.opentok.com"),
        BadInputCase(name: "request timeout zero", args: ["archive", "list", "--request-timeout", "0"],
             message: "error: --request-timeout: expected a number from 0.1 to 3600.0, got 0"),
    ]

    @Test(arguments: cases)
    func badInputIsOneLineWithExitCodeAndNoRequest(c: BadInputCase) throws {
        let h = try OpenTokHarness()
        try c.check(environment: h.environment, dir: h.dir.path, requests: { h.requestCount },
                    secrets: [OpenTokHarness.apiSecret, "s3cr3t-on-the-line", "looks-like-a-secret"], oneLine: true)
    }
}
