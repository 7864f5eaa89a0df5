// INI files with Python configparser semantics (interpolation off), as the OCI config and
// defaults files use them (protocols.md §2.1).
import FoundationEssentials

public struct INIFile: Sendable, Equatable {
    public static let defaultSection = "DEFAULT"

    /// Section name → (lower-cased key → value). DEFAULT is kept apart and inherited.
    public private(set) var sections: [String: [String: String]] = [:]
    public private(set) var sectionOrder: [String] = []
    public private(set) var defaults: [String: String] = [:]
    public let path: String

    public struct ParseError: Error, Equatable, Sendable {
        public let path: String
        public let line: Int
        public let reason: String
        public var message: String { "\(path):\(line): \(reason)" }
    }

    /// Follows configparser's `_read` (Python 3.11, strict, no inline comments, empty lines in values): a line is a
    /// continuation when it is indented deeper than the line that started the current key; blank lines inside a
    /// value are kept and trailing ones dropped; a section header is `[` up to the last `]` of the stripped line.
    public init(text: String, path: String) throws(ParseError) {
        self.path = path
        var current: String?
        /// The key whose value continuation lines extend, and its lines so far.
        var open: (key: String, lines: [String])?
        var indentLevel = 0
        var seenSections = Set<String>()
        var seenDefault = false

        func close() {
            guard let (key, given) = open, let section = current else { return }
            var lines = given
            // configparser joins the lines with "\n" and strips the end (the blank lines that preceded a new key).
            while lines.count > 1, lines.last == "" { lines.removeLast() }
            let value = lines.joined(separator: "\n")
            if section == Self.defaultSection { defaults[key] = value } else { sections[section]?[key] = value }
            open = nil
        }

        for (i, line) in Self.lines(of: text).enumerated() {
            let lineNo = i + 1
            let trimmed = line.trimming(.whitespaces)
            // Full-line comments only (`#` later in a line is part of the value); they neither end nor extend a value.
            if trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.isEmpty {
                open?.lines.append("")
                continue
            }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if open != nil, indent > indentLevel {
                open?.lines.append(trimmed)
                continue
            }
            close()
            indentLevel = indent
            if trimmed.hasPrefix("["), let end = trimmed.lastIndex(of: "]"), trimmed.distance(from: trimmed.startIndex, to: end) > 1 {
                // configparser's `\[(?P<header>.+)\]` matches at the start only: text after the last `]` is ignored.
                let name = String(trimmed[trimmed.index(after: trimmed.startIndex)..<end])
                if name == Self.defaultSection {
                    if seenDefault { throw ParseError(path: path, line: lineNo, reason: "duplicate section [\(name)]") }
                    seenDefault = true
                } else {
                    if seenSections.contains(name) { throw ParseError(path: path, line: lineNo, reason: "duplicate section [\(name)]") }
                    seenSections.insert(name)
                    sections[name] = [:]
                    sectionOrder.append(name)
                }
                current = name
                continue
            }
            guard let section = current else {
                if trimmed.hasPrefix("[") { throw ParseError(path: path, line: lineNo, reason: "malformed section header '\(trimmed.prefix(40))'") }
                throw ParseError(path: path, line: lineNo, reason: "a key outside any [section]")
            }
            guard let sep = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                if trimmed.hasPrefix("[") { throw ParseError(path: path, line: lineNo, reason: "malformed section header '\(trimmed.prefix(40))'") }
                throw ParseError(path: path, line: lineNo, reason: "expected 'key = value', got '\(trimmed.prefix(40))'")
            }
            let key = trimmed[..<sep].trimming(.whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: sep)...].trimming(.whitespaces)
            guard !key.isEmpty else { throw ParseError(path: path, line: lineNo, reason: "empty key name") }
            let taken = section == Self.defaultSection ? defaults[key] != nil : sections[section]?[key] != nil
            if taken { throw ParseError(path: path, line: lineNo, reason: "duplicate key '\(key)' in [\(section)]") }
            open = (key, [value])
        }
        close()
    }

    /// The file's lines as Python reads a text file: `\r\n`, `\r` and `\n` all end a line (universal newlines; a
    /// config saved on Windows has CRLF). A leading UTF-8 byte order mark is dropped: Python keeps it and then
    /// refuses the file, but it is what Windows editors write and nothing else can be meant by it.
    static func lines(of text: String) -> [String] {
        var scalars = Substring(text).unicodeScalars
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var out: [String] = []
        var start = scalars.startIndex
        var i = start
        while i < scalars.endIndex {
            let c = scalars[i]
            if c == "\n" || c == "\r" {
                out.append(String(Substring(scalars[start..<i])))
                var next = scalars.index(after: i)
                if c == "\r", next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
                start = next
                i = next
            } else {
                i = scalars.index(after: i)
            }
        }
        if start < scalars.endIndex { out.append(String(Substring(scalars[start...]))) }
        return out
    }

    /// A profile's keys with DEFAULT's inherited; nil when the profile does not exist
    /// (DEFAULT always exists).
    public func profile(_ name: String) -> [String: String]? {
        if name == Self.defaultSection { return defaults }
        guard let own = sections[name] else { return nil }
        return defaults.merging(own) { _, mine in mine }
    }

    public var profileNames: [String] { [Self.defaultSection] + sectionOrder }
}
