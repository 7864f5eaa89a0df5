// A time a thing expires at, as the user gives it: one parser for every --expires flag.
import FoundationEssentials
import MediaKit

/// `--expires` (pre-authenticated requests, session tokens): an RFC 3339 time, or a duration from now such as `3600`
/// (seconds), `7d`, `12h`, `90m`, `1d12h` (s, m, h, d, w).
enum ExpiryTime {
    static let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]

    /// Seconds in a duration such as `7d` or `1h30m`; nil when the text is not one.
    static func seconds(_ text: String) -> Double? {
        var total = 0.0
        var digits = ""
        for ch in text {
            if ch.isASCII, ch.isNumber { digits.append(ch); continue }
            guard let unit = units[ch], let n = Double(digits), !digits.isEmpty else { return nil }
            total += n * unit
            digits = ""
        }
        // Bare digits are seconds (`3600`); digits after a unit (`1h30`) are not a duration.
        if !digits.isEmpty {
            guard total == 0, let n = Double(digits) else { return nil }
            total = n
        }
        return total > 0 ? total : nil
    }

    /// The time `text` names, which must be after `now`; `what` names the thing that expires, for the message.
    static func parse(_ text: String, now: Date, flag: String, what: String = "a link") throws(MediaError) -> Date {
        let date: Date
        if let seconds = seconds(text) {
            date = now.addingTimeInterval(seconds)
        } else if let time = Date(internetDateTime: text) {
            date = time
        } else {
            throw .usage("--\(flag): expected an RFC 3339 time such as 2030-01-31T12:00:00Z or a duration such as 3600, 7d, 12h, 30m; got '\(text.prefix(80))'")
        }
        guard date > now else { throw .usage("--\(flag): \(text.prefix(80)) is in the past; \(what) must expire in the future") }
        return date
    }
}
