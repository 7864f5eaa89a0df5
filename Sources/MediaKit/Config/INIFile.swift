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

    public init(text: String, path: String) throws(ParseError) {
        self.path = path
        var current: String?
        var lastKey: String?
        var seenSections = Set<String>()
        var seenDefault = false
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = i + 1
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            let trimmed = line.trimming(.whitespaces)
            if trimmed.isEmpty { lastKey = nil; continue }
            if trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if let first = line.first, first == " " || first == "\t", let key = lastKey, let section = current {
                // An indented line continues the previous value.
                if section == Self.defaultSection { defaults[key, default: ""] += "\n" + trimmed }
                else { sections[section]?[key, default: ""] += "\n" + trimmed }
                continue
            }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
                    throw ParseError(path: path, line: lineNo, reason: "malformed section header '\(trimmed)'")
                }
                let name = String(trimmed.dropFirst().dropLast())
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
                lastKey = nil
                continue
            }
            guard let section = current else {
                throw ParseError(path: path, line: lineNo, reason: "a key outside any [section]")
            }
            guard let sep = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ParseError(path: path, line: lineNo, reason: "expected 'key = value', got '\(trimmed.prefix(40))'")
            }
            let key = line[..<sep].trimming(.whitespaces).lowercased()
            let value = line[line.index(after: sep)...].trimming(.whitespaces)
            guard !key.isEmpty else { throw ParseError(path: path, line: lineNo, reason: "empty key name") }
            if section == Self.defaultSection {
                if defaults[key] != nil { throw ParseError(path: path, line: lineNo, reason: "duplicate key '\(key)' in [\(section)]") }
                defaults[key] = value
            } else {
                if sections[section]?[key] != nil { throw ParseError(path: path, line: lineNo, reason: "duplicate key '\(key)' in [\(section)]") }
                sections[section]?[key] = value
            }
            lastKey = key
        }
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
