// Numbers and text as the reference JMESPath (Python's `jmespath`) sees them: JSON numbers written
// with '.', 'e' or 'E' are floats, the others integers; computed floats print as Python's repr (1.0,
// 1e-05, 1e+16); strings compare, count and reverse by code point, never by grapheme or canonical
// equivalence (Swift's String `==` would call "é" and "e\u{301}" equal; Python does not).

/// A number's value the way Python holds it after `json.loads`.
enum QueryNumber {
    case int(Int)
    case float(Double)

    /// Reads the text of a `JSONValue.number`. Integers too large for `Int` are read as floats: they
    /// still compare and add sensibly, and a number only passed through keeps its text anyway.
    init(text: String) {
        if text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            self = .float(Double(text) ?? .nan)
        } else if let i = Int(text) {
            self = .int(i)
        } else {
            self = .float(Double(text) ?? .nan)
        }
    }

    /// The number of a JSON value; booleans are not numbers here (JMESPath's type model).
    init?(_ value: JSONValue) {
        guard case let .number(text) = value else { return nil }
        self.init(text: text)
    }

    var double: Double {
        switch self {
        case let .int(i): Double(i)
        case let .float(d): d
        }
    }

    var json: JSONValue {
        switch self {
        case let .int(i): .number(String(i))
        case let .float(d): .number(QueryText.floatRepr(d))
        }
    }

    /// Python's ordering of two numbers, exact between int and float; nil when a NaN makes them unordered.
    static func compare(_ a: QueryNumber, _ b: QueryNumber) -> Int? {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.float(x), .float(y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        case let (.int(x), .float(y)):
            guard let c = compareIntFloat(x, y) else { return nil }
            return c
        case let (.float(x), .int(y)):
            guard let c = compareIntFloat(y, x) else { return nil }
            return -c
        }
    }

    private static func compareIntFloat(_ i: Int, _ f: Double) -> Int? {
        if f.isNaN { return nil }
        if f >= 9_223_372_036_854_775_808.0 { return -1 }
        if f < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = f.rounded(.down)
        let w = Int(whole)
        if i != w { return i < w ? -1 : 1 }
        return f > whole ? -1 : 0
    }
}

enum QueryText {
    /// Code-point equality and ordering of strings (Python's `==` and `<` on str).
    static func equal(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }

    static func compare(_ a: String, _ b: String) -> Int {
        var i = a.unicodeScalars.makeIterator()
        var j = b.unicodeScalars.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case let (x?, y?): if x != y { return x.value < y.value ? -1 : 1 }
            }
        }
    }

    static func hasPrefix(_ s: String, _ prefix: String) -> Bool {
        s.unicodeScalars.starts(with: prefix.unicodeScalars)
    }

    static func hasSuffix(_ s: String, _ suffix: String) -> Bool {
        Array(s.unicodeScalars).reversed().starts(with: Array(suffix.unicodeScalars).reversed())
    }

    static func contains(_ s: String, _ needle: String) -> Bool {
        let h = Array(s.unicodeScalars), n = Array(needle.unicodeScalars)
        if n.isEmpty { return true }
        if n.count > h.count { return false }
        for start in 0...(h.count - n.count) where h[start] == n[0] {
            if h[start..<start + n.count].elementsEqual(n) { return true }
        }
        return false
    }

    static func reversed(_ s: String) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s.unicodeScalars.reversed())
        return String(view)
    }

    // MARK: Python's float repr

    /// `repr(float)` as `json.dumps` writes it: shortest round-trip digits, positional between 1e-4
    /// and 1e16, else `d.ddde+XX`; NaN and the infinities as `json.dumps` spells them.
    static func floatRepr(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        // Swift's description is also the shortest round-trip form; only the layout differs.
        let (negative, digits, pointPosition) = shortestDigits(d)
        let sign = negative ? "-" : ""
        if digits == "0" { return sign + "0.0" }
        let n = digits.count
        if pointPosition > 16 || pointPosition < -3 {
            let exponent = pointPosition - 1
            var mantissa = String(digits.first!)
            if n > 1 { mantissa += "." + digits.dropFirst() }
            let expDigits = String(abs(exponent))
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (expDigits.count < 2 ? "0" + expDigits : expDigits)
        }
        if pointPosition <= 0 { return sign + "0." + String(repeating: "0", count: -pointPosition) + digits }
        if pointPosition >= n { return sign + digits + String(repeating: "0", count: pointPosition - n) + ".0" }
        let cut = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<cut] + "." + digits[cut...]
    }

    /// Significant digits (no leading/trailing zeros) and where the decimal point falls: value = 0.DIGITS × 10^point.
    private static func shortestDigits(_ d: Double) -> (Bool, String, Int) {
        var text = d.description
        var negative = false
        if text.hasPrefix("-") { negative = true; text.removeFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...].filter { $0 != "+" }) ?? 0
            text = String(text[..<e])
        }
        var intPart = text, fracPart = ""
        if let dot = text.firstIndex(of: ".") {
            intPart = String(text[..<dot])
            fracPart = String(text[text.index(after: dot)...])
        }
        var all = intPart + fracPart
        var point = intPart.count + exponent
        while all.hasPrefix("0") && all.count > 1 { all.removeFirst(); point -= 1 }
        while all.hasSuffix("0") && all.count > 1 { all.removeLast() }
        if all == "0" { return (negative, "0", 1) }
        return (negative, all, point)
    }

    /// The exact integer a whole double holds, in decimal (Python's `math.ceil` gives ints of any size).
    static func integerText(_ d: Double) -> String {
        if d.magnitude < 9.0e18 { return String(Int(d)) }
        // m × 2^e with m < 2^53: double a decimal digit array e times.
        let negative = d < 0
        var m = d.magnitude.significandBitPattern | (1 << 52)
        var e = Int(d.magnitude.exponent) - 52
        while e < 0 { m >>= 1; e += 1 }   // not reached for |d| >= 2^53, kept for safety
        var digits = Array(String(m).utf8.map { Int($0 - 48) }.reversed())
        for _ in 0..<e {
            var carry = 0
            for k in digits.indices {
                let v = digits[k] * 2 + carry
                digits[k] = v % 10
                carry = v / 10
            }
            if carry > 0 { digits.append(carry) }
        }
        return (negative ? "-" : "") + String(digits.reversed().map { Character(Unicode.Scalar(UInt8($0 + 48))) })
    }
}
