// `--output table`: rows of cells laid out in aligned columns under a header, as plain text (the CLI
// prints it; this never does). Widths are terminal columns, not characters: CJK ideographs and emoji
// take two, combining marks none (a small East-Asian-width table, not the full UAX #11 data). Long
// cells are cut to a maximum width with "…"; control characters (an ESC from an API string, say) are
// shown as spaces so a cell cannot move the cursor.
//
// Hand-rolled rather than ordo-one/TextTable (in the local package mirror): that package measures
// width in Characters (CJK and emoji misalign), imports all of Foundation (mediactl links only
// FoundationEssentials, for start-up time), reflects over `Any` values and stops the process with
// fatalError on its strict truncation mode; the part we need is about a hundred lines.

public enum TableAlignment: Sendable, Equatable {
    case left, right
}

public struct TableColumn: Sendable, Equatable {
    public var header: String
    public var alignment: TableAlignment
    /// Cells wider than this (in terminal columns) are truncated with "…"; nil uses the table's default.
    public var maxWidth: Int?

    public init(_ header: String, alignment: TableAlignment = .left, maxWidth: Int? = nil) {
        self.header = header
        self.alignment = alignment
        self.maxWidth = maxWidth
    }
}

public enum TableRenderer {
    /// Lays out `rows` under `columns`: header, a rule of dashes, then one line per row; columns apart by
    /// two spaces, no trailing spaces. Missing cells are blank, extra cells ignored.
    public static func render(columns: [TableColumn], rows: [[String]], maxCellWidth: Int = 60, rule: Bool = true) -> String {
        guard !columns.isEmpty else { return "" }
        let limit = { (c: Int) in max(1, columns[c].maxWidth ?? maxCellWidth) }
        let header = columns.indices.map { truncate(clean(columns[$0].header), toWidth: limit($0)) }
        let body = rows.map { row in
            columns.indices.map { c in truncate(clean(c < row.count ? row[c] : ""), toWidth: limit(c)) }
        }
        var widths = header.map(displayWidth)
        for line in body {
            for (c, cell) in line.enumerated() { widths[c] = max(widths[c], displayWidth(cell)) }
        }
        func lay(_ cells: [String]) -> String {
            var line = ""
            for (c, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[c] - displayWidth(cell))
                let last = c == cells.count - 1
                switch columns[c].alignment {
                case .left: line += cell + (last ? "" : pad)
                case .right: line += pad + cell
                }
                if !last { line += "  " }
            }
            // Empty cells at the end of a row leave no trailing spaces.
            while line.last == " " { line.removeLast() }
            return line
        }
        var lines = [lay(header)]
        if rule { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        lines += body.map(lay)
        return lines.joined(separator: "\n")
    }

    /// A JSON result as a table: an array of objects gives one column per key (in first-seen order)
    /// and one row per object; a single object gives KEY/VALUE rows; other arrays give one VALUE column.
    /// Numbers are right-aligned; keys that hold byte counts (`size`, `sizeInBytes`, `...SizeInBytes`)
    /// are shown human-readable; nested values are compact JSON.
    public static func table(from value: JSONValue) -> (columns: [TableColumn], rows: [[String]]) {
        switch value {
        case let .array(items) where !items.isEmpty && items.allSatisfy(\.isObject):
            var keys: [String] = []
            for case let .object(members) in items {
                for (key, _) in members where !keys.contains(key) { keys.append(key) }
            }
            let rows = items.map { item in keys.map { key in cellText(item[key] ?? .null, key: key) } }
            let columns = keys.map { key in
                let numeric = items.allSatisfy { item in
                    switch item[key] ?? .null {
                    case .number, .null: true
                    default: false
                    }
                }
                return TableColumn(key, alignment: numeric ? .right : .left)
            }
            return (columns, rows)
        case let .object(members):
            return ([TableColumn("KEY"), TableColumn("VALUE")], members.map { [$0.0, cellText($0.1, key: $0.0)] })
        case let .array(items):
            let numeric = !items.isEmpty && items.allSatisfy { if case .number = $0 { return true }; return false }
            return ([TableColumn("VALUE", alignment: numeric ? .right : .left)], items.map { [cellText($0, key: nil)] })
        default:
            return ([TableColumn("VALUE")], [[cellText(value, key: nil)]])
        }
    }

    /// `render(table(from:))` in one call.
    public static func render(_ value: JSONValue, maxCellWidth: Int = 60) -> String {
        let (columns, rows) = table(from: value)
        return render(columns: columns, rows: rows, maxCellWidth: maxCellWidth)
    }

    static func isSizeKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        return lower == "size" || lower.hasSuffix("sizeinbytes") || lower.hasSuffix("size-in-bytes") || lower == "bytes"
    }

    static func cellText(_ value: JSONValue, key: String?) -> String {
        switch value {
        case .null: return ""
        case let .string(s): return s
        case let .bool(b): return b ? "true" : "false"
        case let .number(n):
            if let key, isSizeKey(key), let bytes = Int(n), bytes >= 0 { return humanSize(bytes) }
            return n
        case .array, .object: return value.compactText
        }
    }

    // MARK: Sizes

    /// Bytes in binary units: "512 B", "1.5 KiB", "1.0 MiB", "2.3 GiB" (one decimal from KiB on).
    public static func humanSize(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        if bytes < 1024 && bytes > -1024 { return "\(bytes) B" }
        var value = Double(bytes.magnitude)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        var tenths = Int((value * 10).rounded())
        if tenths >= 10240 && unit < units.count - 1 {   // 1023.96 KiB shows as 1.0 MiB, not 1024.0 KiB
            unit += 1
            tenths = Int((value / 1024 * 10).rounded())
        }
        return (bytes < 0 ? "-" : "") + "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    // MARK: Width

    /// Terminal columns a string takes.
    public static func displayWidth(_ s: String) -> Int {
        s.reduce(0) { $0 + width(of: $1) }
    }

    /// Cuts `s` to at most `width` columns, ending in "…" when anything was cut.
    public static func truncate(_ s: String, toWidth width: Int) -> String {
        guard displayWidth(s) > width else { return s }
        guard width > 1 else { return width == 1 ? "…" : "" }
        var out = ""
        var used = 0
        for c in s {
            let w = self.width(of: c)
            if used + w > width - 1 { break }
            out.append(c)
            used += w
        }
        return out + "…"
    }

    static func width(of c: Character) -> Int {
        guard let first = c.unicodeScalars.first else { return 0 }
        let v = first.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if c.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }   // emoji presentation selector
        if first.properties.isEmojiPresentation { return 2 }
        return isWide(v) ? 2 : 1
    }

    /// East Asian Wide and Fullwidth ranges (Hangul Jamo, CJK, kana, Hangul syllables, fullwidth forms).
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
        0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
        0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    private static func isWide(_ v: UInt32) -> Bool {
        guard v >= 0x1100 else { return false }
        return wideRanges.contains { $0.contains(v) }
    }

    /// Control characters (newline, tab, ESC...) become spaces: one cell, one line, no terminal escapes.
    static func clean(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }) else { return s }
        var view = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            view.append(u.value < 0x20 || (0x7F..<0xA0).contains(u.value) ? " " : u)
        }
        return String(view)
    }
}
