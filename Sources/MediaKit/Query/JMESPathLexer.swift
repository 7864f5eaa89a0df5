// JMESPath tokens. The expression is read code point by code point, as the reference lexer
// (Python's jmespath 1.0.1) reads it, so positions in errors are code-point columns and the same
// spellings are accepted and refused, including its lenient corners (a backtick literal that is not
// JSON is read as a string, as the JEP-12 deprecation period allows).

enum JMESPathFailure: Error {
    /// The expression cannot be compiled: position is the 0-based code point where it went wrong.
    case syntax(position: Int, message: String)
    /// The expression compiled but failed on this document: wrong type, arity, unknown function.
    case runtime(String)
}

enum TokenKind: String, Sendable {
    case dot, star, rbracket, comma, colon, current, lparen, rparen, lbrace, rbrace
    case flatten, filter, lbracket
    case unquotedIdentifier = "identifier", quotedIdentifier = "quoted identifier"
    case literal, number, pipe, or, and, expref
    case eq, ne, lt, lte, gt, gte, not
    case eof = "end of expression"

    /// How an error message names the token the parser wanted.
    var spelling: String {
        switch self {
        case .dot: "'.'"
        case .star: "'*'"
        case .rbracket: "']'"
        case .comma: "','"
        case .colon: "':'"
        case .current: "'@'"
        case .lparen: "'('"
        case .rparen: "')'"
        case .lbrace: "'{'"
        case .rbrace: "'}'"
        case .flatten: "'[]'"
        case .filter: "'[?'"
        case .lbracket: "'['"
        case .pipe: "'|'"
        case .or: "'||'"
        case .and: "'&&'"
        case .expref: "'&'"
        case .eq: "'=='"
        case .ne: "'!='"
        case .lt: "'<'"
        case .lte: "'<='"
        case .gt: "'>'"
        case .gte: "'>='"
        case .not: "'!'"
        default: rawValue
        }
    }

    /// Left binding power, the reference parser's table: everything below 10 stops a projection.
    var bindingPower: Int {
        switch self {
        case .eof, .unquotedIdentifier, .quotedIdentifier, .literal, .rbracket, .rparen, .comma, .rbrace,
             .number, .current, .expref, .colon: 0
        case .pipe: 1
        case .or: 2
        case .and: 3
        case .eq, .gt, .lt, .gte, .lte, .ne: 5
        case .flatten: 9
        case .star: 20
        case .filter: 21
        case .dot: 40
        case .not: 45
        case .lbrace: 50
        case .lbracket: 55
        case .lparen: 60
        }
    }
}

struct Token {
    var kind: TokenKind
    var start: Int
    var text: String = ""          // identifiers (decoded), raw text of other tokens
    var number: Int = 0
    var literal: JSONValue = .null
}

struct JMESPathLexer {
    private let chars: [Unicode.Scalar]
    private var position = 0

    init(_ expression: String) { chars = Array(expression.unicodeScalars) }

    static func tokenize(_ expression: String) throws(JMESPathFailure) -> [Token] {
        var lexer = JMESPathLexer(expression)
        guard !lexer.chars.isEmpty else { throw .syntax(position: 0, message: "the expression is empty") }
        var tokens: [Token] = []
        while let token = try lexer.next() { tokens.append(token) }
        tokens.append(Token(kind: .eof, start: lexer.chars.count))
        return tokens
    }

    private var current: Unicode.Scalar? { position < chars.count ? chars[position] : nil }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }
    private static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool { isIdentifierStart(c) || isDigit(c) }
    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private mutating func next() throws(JMESPathFailure) -> Token? {
        while let c = current {
            let start = position
            let simple: TokenKind? = switch c {
            case ".": .dot
            case "*": .star
            case "]": .rbracket
            case ",": .comma
            case ":": .colon
            case "@": .current
            case "(": .lparen
            case ")": .rparen
            case "{": .lbrace
            case "}": .rbrace
            default: nil
            }
            if let simple {
                position += 1
                return Token(kind: simple, start: start, text: String(c))
            }
            if Self.isIdentifierStart(c) {
                var name = String.UnicodeScalarView()
                while let d = current, Self.isIdentifierPart(d) { name.append(d); position += 1 }
                return Token(kind: .unquotedIdentifier, start: start, text: String(name))
            }
            switch c {
            case " ", "\t", "\n", "\r":
                position += 1
                continue
            case "[":
                position += 1
                if current == "]" { position += 1; return Token(kind: .flatten, start: start, text: "[]") }
                if current == "?" { position += 1; return Token(kind: .filter, start: start, text: "[?") }
                return Token(kind: .lbracket, start: start, text: "[")
            case "'":
                let raw = try consume(until: "'")
                return Token(kind: .literal, start: start, literal: .string(replacing(raw, escaped: "'")))
            case "|": return matchOrElse("|", .or, .pipe)
            case "&": return matchOrElse("&", .and, .expref)
            case "`": return Token(kind: .literal, start: start, literal: try backtickLiteral())
            case "<": return matchOrElse("=", .lte, .lt)
            case ">": return matchOrElse("=", .gte, .gt)
            case "!": return matchOrElse("=", .ne, .not)
            case "=":
                position += 1
                guard current == "=" else {
                    throw .syntax(position: start, message: "unknown token '=' (did you mean '=='?)")
                }
                position += 1
                return Token(kind: .eq, start: start, text: "==")
            case "-", "0"..."9":
                var digits = String(c)
                position += 1
                while let d = current, Self.isDigit(d) { digits.unicodeScalars.append(d); position += 1 }
                guard digits != "-" else { throw .syntax(position: start, message: "unknown token '-'") }
                // Indexes far beyond any array behave alike; saturate instead of overflowing.
                let value = Int(digits) ?? (digits.hasPrefix("-") ? Int.min / 4 : Int.max / 4)
                return Token(kind: .number, start: start, text: digits, number: value)
            case "\"":
                let raw = try consume(until: "\"")
                guard case let .string(name)? = try? JSONParser.parse("\"" + Self.replacingLoneSurrogates(raw) + "\"") else {
                    throw .syntax(position: start, message: "invalid quoted identifier \"\(raw)\"")
                }
                return Token(kind: .quotedIdentifier, start: start, text: name)
            default:
                throw .syntax(position: start, message: "unknown token '\(Character(c))'")
            }
        }
        return nil
    }

    private mutating func matchOrElse(_ expected: Unicode.Scalar, _ match: TokenKind, _ otherwise: TokenKind) -> Token {
        let start = position
        let first = chars[position]
        position += 1
        if current == expected {
            position += 1
            return Token(kind: match, start: start, text: String(first) + String(expected))
        }
        return Token(kind: otherwise, start: start, text: String(first))
    }

    /// The text up to an unescaped delimiter; a backslash keeps itself and the character after it.
    private mutating func consume(until delimiter: Unicode.Scalar) throws(JMESPathFailure) -> String {
        let start = position
        var out = String.UnicodeScalarView()
        position += 1
        while current != delimiter {
            if current == "\\" {
                out.append("\\")
                position += 1
            }
            guard let c = current else {
                throw .syntax(position: start, message: "unclosed \(Character(delimiter)) delimiter")
            }
            out.append(c)
            position += 1
        }
        position += 1
        return String(out)
    }

    private func replacing(_ text: String, escaped delimiter: Unicode.Scalar) -> String {
        var out = String.UnicodeScalarView()
        let s = Array(text.unicodeScalars)
        var i = 0
        while i < s.count {
            if s[i] == "\\", i + 1 < s.count, s[i + 1] == delimiter {
                out.append(delimiter)
                i += 2
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(out)
    }

    private mutating func backtickLiteral() throws(JMESPathFailure) -> JSONValue {
        let start = position
        let lexeme = replacing(try consume(until: "`"), escaped: "`")
        if let value = try? JSONParser.parse(Self.replacingLoneSurrogates(lexeme)) { return Self.pythonDict(value) }
        // Not JSON: the reference reads it as the body of a JSON string, leading whitespace dropped.
        var body = Substring.UnicodeScalarView(lexeme.unicodeScalars)
        while let first = body.first, QueryPythonSyntax.isSpace(first) { body.removeFirst() }
        if case let .string(s)? = try? JSONParser.parse("\"" + Self.replacingLoneSurrogates(String(body)) + "\"") { return .string(s) }
        throw .syntax(position: start, message: "invalid literal `\(lexeme)`")
    }

    /// Python's JSON reader accepts a `\\uD800`-style escape with no partner; Swift text cannot hold one,
    /// so such an escape reads as U+FFFD (the character UTF-8 output would have to show anyway).
    static func replacingLoneSurrogates(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        func hex4(_ at: Int) -> UInt32? {
            guard at + 6 <= s.count, s[at] == "\\", s[at + 1] == "u" else { return nil }
            return UInt32(String(String.UnicodeScalarView(s[at + 2..<at + 6])), radix: 16)
        }
        guard s.contains("\\") else { return text }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            if let v = hex4(i) {
                if (0xD800...0xDBFF).contains(v), let low = hex4(i + 6), (0xDC00...0xDFFF).contains(low) {
                    out.append(contentsOf: s[i..<i + 12])
                    i += 12
                } else if (0xD800...0xDFFF).contains(v) {
                    out.append(contentsOf: "\\ufffd".unicodeScalars)
                    i += 6
                } else {
                    out.append(contentsOf: s[i..<i + 6])
                    i += 6
                }
            } else if s[i] == "\\", i + 1 < s.count {
                out.append(s[i])
                out.append(s[i + 1])
                i += 2
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(out)
    }

    /// Python's `json.loads` keeps one member per key: the first key's place, the last key's value.
    static func pythonDict(_ value: JSONValue) -> JSONValue {
        switch value {
        case let .array(items): return .array(items.map(pythonDict))
        case let .object(members):
            var out: [(String, JSONValue)] = []
            for (key, member) in members {
                let v = pythonDict(member)
                if let i = out.firstIndex(where: { QueryText.equal($0.0, key) }) { out[i].1 = v } else { out.append((key, v)) }
            }
            return .object(out)
        default: return value
        }
    }
}

/// Python's notion of whitespace (`str.isspace`, `str.strip`), used where the reference strips text.
enum QueryPythonSyntax {
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x1C...0x1F, 0x20, 0x85, 0xA0: return true
        default: return c.value > 0x7F && c.properties.isWhitespace
        }
    }
}
