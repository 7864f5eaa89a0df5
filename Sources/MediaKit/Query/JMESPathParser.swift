// A top-down operator precedence (Pratt) parser for JMESPath, with the reference implementation's
// binding powers and its exact acceptance: what Python's jmespath 1.0.1 compiles, this compiles, and
// to the same tree (e.g. `a[0][1:2]` is not a projection there, so not here either).

indirect enum JMESPathNode: Sendable {
    case identity
    case current
    case field(String)
    case literal(JSONValue)
    case subexpression(JMESPathNode, JMESPathNode)
    /// Children applied in turn; kept as its own kind because the parser extends it in place.
    case indexExpression([JMESPathNode])
    case index(Int)
    case slice(Int?, Int?, Int?)
    case projection(JMESPathNode, JMESPathNode)
    case valueProjection(JMESPathNode, JMESPathNode)
    case filterProjection(JMESPathNode, JMESPathNode, condition: JMESPathNode)
    case flatten(JMESPathNode)
    case multiSelectList([JMESPathNode])
    case multiSelectHash([(String, JMESPathNode)])
    case or(JMESPathNode, JMESPathNode)
    case and(JMESPathNode, JMESPathNode)
    case not(JMESPathNode)
    case comparator(TokenKind, JMESPathNode, JMESPathNode)
    case pipe(JMESPathNode, JMESPathNode)
    case function(String, [JMESPathNode])
    /// `&expression`, with its position: the grammar allows it only as a function's argument.
    case expref(JMESPathNode, position: Int)
}

struct JMESPathParser {
    /// Nesting beyond this is refused rather than recursed into (the reference hits Python's recursion limit).
    static let maxDepth = 256

    private let tokens: [Token]
    private var index = 0
    private var depth = 0

    static func parse(_ expression: String) throws(JMESPathFailure) -> JMESPathNode {
        var parser = JMESPathParser(tokens: try JMESPathLexer.tokenize(expression))
        let node = try parser.expression(0)
        guard parser.currentKind == .eof else {
            let t = parser.tokens[parser.index]
            throw .syntax(position: t.start, message: "unexpected \(describe(t)) after a complete expression")
        }
        try checkExpressionReferences(node, isArgument: false)
        return node
    }

    /// `&expr` is an expression type only a function's argument can be (JMESPath's grammar:
    /// `function-arg = expression / expression-type`). The Python reference compiles it anywhere and
    /// yields an internal object; here it is refused when compiled, at its column.
    private static func checkExpressionReferences(_ node: JMESPathNode, isArgument: Bool) throws(JMESPathFailure) {
        switch node {
        case let .expref(inner, position):
            guard isArgument else {
                throw .syntax(position: position, message: "'&' makes an expression reference, which can only be a function's argument")
            }
            try checkExpressionReferences(inner, isArgument: false)
        case let .function(_, arguments):
            for argument in arguments { try checkExpressionReferences(argument, isArgument: true) }
        case .identity, .current, .field, .literal, .index, .slice:
            return
        case let .subexpression(a, b), let .pipe(a, b), let .or(a, b), let .and(a, b), let .projection(a, b),
             let .valueProjection(a, b), let .comparator(_, a, b):
            try checkExpressionReferences(a, isArgument: false)
            try checkExpressionReferences(b, isArgument: false)
        case let .filterProjection(a, b, condition):
            for child in [a, b, condition] { try checkExpressionReferences(child, isArgument: false) }
        case let .indexExpression(children), let .multiSelectList(children):
            for child in children { try checkExpressionReferences(child, isArgument: false) }
        case let .multiSelectHash(pairs):
            for (_, child) in pairs { try checkExpressionReferences(child, isArgument: false) }
        case let .flatten(a), let .not(a):
            try checkExpressionReferences(a, isArgument: false)
        }
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    private var currentKind: TokenKind { tokens[index].kind }
    private func lookahead(_ n: Int) -> TokenKind { tokens[min(index + n, tokens.count - 1)].kind }

    private static func describe(_ t: Token) -> String {
        switch t.kind {
        case .eof: "end of expression"
        case .literal: "literal"
        case .unquotedIdentifier, .quotedIdentifier: "identifier '\(t.text)'"
        default: "'\(t.text)'"
        }
    }

    private func error(_ t: Token, _ message: String) -> JMESPathFailure {
        if t.kind == .eof { return .syntax(position: t.start, message: "incomplete expression: \(message)") }
        return .syntax(position: t.start, message: message)
    }

    private mutating func advance() { index += 1 }

    private mutating func match(_ kind: TokenKind) throws(JMESPathFailure) {
        guard currentKind == kind else {
            let t = tokens[index]
            throw error(t, "expected \(kind.spelling), found \(Self.describe(t))")
        }
        advance()
    }

    mutating func expression(_ bindingPower: Int) throws(JMESPathFailure) -> JMESPathNode {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw .syntax(position: tokens[index].start, message: "expression nested deeper than \(Self.maxDepth) levels")
        }
        let token = tokens[index]
        advance()
        var left = try nud(token)
        while bindingPower < currentKind.bindingPower {
            let t = tokens[index]
            advance()
            left = try led(t, left)
        }
        return left
    }

    // MARK: Prefix positions

    private mutating func nud(_ token: Token) throws(JMESPathFailure) -> JMESPathNode {
        switch token.kind {
        case .literal: return .literal(token.literal)
        case .unquotedIdentifier: return .field(token.text)
        case .quotedIdentifier:
            if currentKind == .lparen {
                throw .syntax(position: tokens[index].start, message: "a quoted identifier cannot name a function")
            }
            return .field(token.text)
        case .star:
            if currentKind == .rbracket { return .valueProjection(.identity, .identity) }
            return .valueProjection(.identity, try projectionRHS(TokenKind.star.bindingPower))
        case .filter:
            return try filter(.identity)
        case .lbrace:
            return try multiSelectHash()
        case .lparen:
            let inner = try expression(0)
            try match(.rparen)
            return inner
        case .flatten:
            return .projection(.flatten(.identity), try projectionRHS(TokenKind.flatten.bindingPower))
        case .not:
            return .not(try expression(TokenKind.not.bindingPower))
        case .lbracket:
            if currentKind == .number || currentKind == .colon {
                return try projectIfSlice(.identity, try indexExpression())
            }
            if currentKind == .star && lookahead(1) == .rbracket {
                advance()
                advance()
                return .projection(.identity, try projectionRHS(TokenKind.star.bindingPower))
            }
            return try multiSelectList()
        case .current:
            return .current
        case .expref:
            return .expref(try expression(TokenKind.expref.bindingPower), position: token.start)
        default:
            throw error(token, "unexpected \(Self.describe(token))")
        }
    }

    // MARK: Infix positions

    private mutating func led(_ token: Token, _ left: JMESPathNode) throws(JMESPathFailure) -> JMESPathNode {
        switch token.kind {
        case .dot:
            if currentKind != .star {
                return .subexpression(left, try dotRHS(TokenKind.dot.bindingPower))
            }
            advance()
            return .valueProjection(left, try projectionRHS(TokenKind.dot.bindingPower))
        case .pipe:
            return .pipe(left, try expression(TokenKind.pipe.bindingPower))
        case .or:
            return .or(left, try expression(TokenKind.or.bindingPower))
        case .and:
            return .and(left, try expression(TokenKind.and.bindingPower))
        case .lparen:
            guard case let .field(name) = left else {
                let nameToken = tokens[max(index - 2, 0)]
                throw .syntax(position: nameToken.start, message: "invalid function name \(Self.describe(nameToken))")
            }
            var arguments: [JMESPathNode] = []
            while currentKind != .rparen {
                let argument = try expression(0)
                if currentKind == .comma { try match(.comma) }
                arguments.append(argument)
            }
            try match(.rparen)
            return .function(name, arguments)
        case .filter:
            return try filter(left)
        case .eq, .ne, .gt, .gte, .lt, .lte:
            return .comparator(token.kind, left, try expression(token.kind.bindingPower))
        case .flatten:
            return .projection(.flatten(left), try projectionRHS(TokenKind.flatten.bindingPower))
        case .lbracket:
            if currentKind == .number || currentKind == .colon {
                let right = try indexExpression()
                if case let .indexExpression(children) = left { return .indexExpression(children + [right]) }
                return try projectIfSlice(left, right)
            }
            try match(.star)
            try match(.rbracket)
            return .projection(left, try projectionRHS(TokenKind.star.bindingPower))
        default:
            throw error(token, "unexpected \(Self.describe(token))")
        }
    }

    // MARK: Pieces

    private mutating func filter(_ left: JMESPathNode) throws(JMESPathFailure) -> JMESPathNode {
        let condition = try expression(0)
        try match(.rbracket)
        let right: JMESPathNode = currentKind == .flatten ? .identity : try projectionRHS(TokenKind.filter.bindingPower)
        return .filterProjection(left, right, condition: condition)
    }

    private mutating func indexExpression() throws(JMESPathFailure) -> JMESPathNode {
        if lookahead(0) == .colon || lookahead(1) == .colon { return try sliceExpression() }
        let value = tokens[index].number
        advance()
        try match(.rbracket)
        return .index(value)
    }

    private mutating func sliceExpression() throws(JMESPathFailure) -> JMESPathNode {
        var parts: [Int?] = [nil, nil, nil]
        var part = 0
        while currentKind != .rbracket && part < 3 {
            switch currentKind {
            case .colon:
                part += 1
                if part == 3 { throw error(tokens[index], "a slice takes at most three parts") }
                advance()
            case .number:
                parts[part] = tokens[index].number
                advance()
            default:
                throw error(tokens[index], "unexpected \(Self.describe(tokens[index])) in a slice")
            }
        }
        try match(.rbracket)
        return .slice(parts[0], parts[1], parts[2])
    }

    private mutating func projectIfSlice(_ left: JMESPathNode, _ right: JMESPathNode) throws(JMESPathFailure) -> JMESPathNode {
        let indexed = JMESPathNode.indexExpression([left, right])
        if case .slice = right { return .projection(indexed, try projectionRHS(TokenKind.star.bindingPower)) }
        return indexed
    }

    private mutating func multiSelectList() throws(JMESPathFailure) -> JMESPathNode {
        var items: [JMESPathNode] = []
        while true {
            items.append(try expression(0))
            if currentKind == .rbracket { break }
            try match(.comma)
        }
        try match(.rbracket)
        return .multiSelectList(items)
    }

    private mutating func multiSelectHash() throws(JMESPathFailure) -> JMESPathNode {
        var pairs: [(String, JMESPathNode)] = []
        while true {
            let key = tokens[index]
            guard key.kind == .quotedIdentifier || key.kind == .unquotedIdentifier else {
                throw error(key, "expected a key name in a multi-select hash, found \(Self.describe(key))")
            }
            advance()
            try match(.colon)
            pairs.append((key.text, try expression(0)))
            if currentKind == .comma {
                try match(.comma)
            } else if currentKind == .rbrace {
                try match(.rbrace)
                break
            }
        }
        return .multiSelectHash(pairs)
    }

    private mutating func projectionRHS(_ bindingPower: Int) throws(JMESPathFailure) -> JMESPathNode {
        if currentKind.bindingPower < 10 { return .identity }
        switch currentKind {
        case .lbracket, .filter:
            return try expression(bindingPower)
        case .dot:
            try match(.dot)
            return try dotRHS(bindingPower)
        default:
            throw error(tokens[index], "unexpected \(Self.describe(tokens[index])) after a projection")
        }
    }

    private mutating func dotRHS(_ bindingPower: Int) throws(JMESPathFailure) -> JMESPathNode {
        switch currentKind {
        case .quotedIdentifier, .unquotedIdentifier, .star:
            return try expression(bindingPower)
        case .lbracket:
            try match(.lbracket)
            return try multiSelectList()
        case .lbrace:
            try match(.lbrace)
            return try multiSelectHash()
        default:
            throw error(tokens[index], "expected an identifier, '[', '{' or '*' after '.', found \(Self.describe(tokens[index]))")
        }
    }
}
