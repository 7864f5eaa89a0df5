"""`--query`'s JMESPath judged by the reference the OCI CLI uses: Python's `jmespath` (requirements.txt).

A seeded generator makes documents shaped like OCI list results (items with OCIDs, lifecycle states,
display names in many scripts, sizes, int and float numbers, nested tags, nulls) and expressions from
the JMESPath grammar (fields, quoted identifiers, sub-expressions, indexes, slices with negative steps,
list/object/flatten projections, filters with comparators, pipes, multi-selects, literals, `@`, `&`,
`||`, `&&`, `!`, every built-in function with right and wrong argument types and counts), plus
mutated expressions that must fail to compile. Each case runs through `jmespath` here and through
mediactl's hidden `__query` batch command; the outcomes must agree exactly: the same value with the
same types (int vs float) and the same key order, or both a syntax error, or both a runtime error.

JMESPATH_SEED and JMESPATH_CASES change the corpus (defaults: 17 and 6000).
"""
import json
import os
import random
import re
import subprocess
import warnings

import jmespath
import pytest

SEED = int(os.environ.get("JMESPATH_SEED", "17"))
CASES = int(os.environ.get("JMESPATH_CASES", "6000"))
DOCUMENTS = 150

STATES = ["CREATING", "ACTIVE", "UPDATING", "DELETING", "DELETED", "FAILED", "NEEDS_ATTENTION"]
KINDS = ["mediaworkflow", "mediaworkflowjob", "mediaasset", "streamdistributionchannel", "streampackagingconfig"]
NAMES = ["lab-transcode", "Café ☕", "e\u0301cole", "école", "名前のワークフロー", "видео", "🎬 trailer", "",
         "mixed Case", "a", "b", "ABC", "abc", "αβγ", "דוגמה", "x" * 40, "tab\there", "quote\"d", "back\\slash",
         "12", "3.5", " 7 ", "-2", "1e3", "0x1f", "1_000", "nan", "inf", "١٢٣", "true", "null"]
TAG_KEYS = ["team", "env", "cost-center", "Owner", "名前", "emoji🎉"]
FIELDS = ["id", "displayName", "lifecycleState", "sizeInBytes", "duration", "version", "isEnabled",
          "freeformTags", "definedTags", "tasks", "parentId", "timeCreated", "score", "ratio", "labels"]


def gen_number(rng):
    r = rng.random()
    if r < 0.35:
        return rng.randint(-5, 20)
    if r < 0.55:
        return rng.randint(0, 2 ** 40)
    if r < 0.75:
        return round(rng.uniform(-100, 100), rng.randint(0, 4))
    if r < 0.85:
        return rng.choice([0.1, 0.2, 0.3, 1.0, 2.5, -0.0, 1e-7, 1.5e16, 1e22, 123456789.125, 1e-4, 9.999e15])
    return rng.uniform(-1e6, 1e6)


def gen_scalar(rng):
    r = rng.random()
    if r < 0.3:
        return gen_number(rng)
    if r < 0.6:
        return rng.choice(NAMES)
    if r < 0.75:
        return rng.choice([True, False])
    return None


def gen_tags(rng):
    return {rng.choice(TAG_KEYS): rng.choice(NAMES) for _ in range(rng.randint(0, 3))}


def gen_item(rng, n):
    item = {}
    fields = FIELDS[:]
    rng.shuffle(fields)   # key order differs between items, as it may between API versions
    for field in fields[: rng.randint(4, len(fields))]:
        if field == "id" or field == "parentId":
            item[field] = "ocid1.%s.oc1.iad.%s" % (rng.choice(KINDS), "".join(rng.choice("abcdefghij0123456789") for _ in range(12)))
        elif field == "displayName":
            item[field] = rng.choice(NAMES)
        elif field == "lifecycleState":
            item[field] = rng.choice(STATES)
        elif field in ("sizeInBytes", "version"):
            item[field] = rng.choice([rng.randint(0, 5 * 2 ** 30), rng.randint(0, 9), None])
        elif field in ("duration", "score", "ratio"):
            item[field] = rng.choice([gen_number(rng), None])
        elif field == "isEnabled":
            item[field] = rng.choice([True, False, None])
        elif field == "freeformTags":
            item[field] = gen_tags(rng)
        elif field == "definedTags":
            item[field] = {"Operations": gen_tags(rng), "Finance": {"CostCenter": rng.choice(["42", 42, 42.0])}}
        elif field == "tasks":
            item[field] = [{"key": "t%d" % k, "type": rng.choice(["transcode", "thumbnail", "getFiles"]),
                            "parameters": {"bitrate": gen_number(rng), "formats": rng.sample(["mp4", "hls", "dash"], rng.randint(0, 3))}}
                           for k in range(rng.randint(0, 3))]
        elif field == "timeCreated":
            item[field] = "2025-%02d-%02dT10:%02d:00.000Z" % (rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 59))
        elif field == "labels":
            item[field] = [gen_scalar(rng) for _ in range(rng.randint(0, 4))]
    return item


def gen_document(rng):
    r = rng.random()
    if r < 0.8:
        doc = {"data": {"items": [gen_item(rng, k) for k in range(rng.randint(0, 7))]}}
        if rng.random() < 0.5:
            doc["opc-next-page"] = rng.choice([None, "page-2", ""])
        if rng.random() < 0.3:
            doc["numbers"] = [gen_number(rng) for _ in range(rng.randint(0, 6))]
        if rng.random() < 0.3:
            doc["names"] = [rng.choice(NAMES) for _ in range(rng.randint(0, 6))]
        if rng.random() < 0.2:
            doc["nested"] = [[gen_scalar(rng) for _ in range(rng.randint(0, 3))] for _ in range(rng.randint(0, 3))]
        return doc
    if r < 0.9:
        return [gen_item(rng, k) for k in range(rng.randint(0, 5))]
    return gen_scalar(rng)


# --- expressions -------------------------------------------------------------------------------

IDENT_FIELDS = FIELDS + ["data", "items", "numbers", "names", "nested", "key", "type", "parameters", "bitrate",
                         "formats", "Operations", "Finance", "CostCenter", "team", "env", "missing", "a", "b"]
QUOTED_FIELDS = ["opc-next-page", "cost-center", "名前", "emoji🎉", "displayName", "with space", "a\\\"b", "\\u00e9cole"]
NUMBER_PATHS = ["data.items[*].sizeInBytes", "data.items[*].duration", "data.items[*].version", "numbers",
                "data.items[*].score", "data.items[*].tasks[].parameters.bitrate", "`[1, 2.5, -3, 4e2]`", "`[]`",
                "[data.items[0].version, `3`]"]
STRING_PATHS = ["data.items[*].displayName", "data.items[*].lifecycleState", "data.items[*].id", "names",
                "keys(data.items[0] || `{}`)", "`[\"b\", \"a\", \"é\", \"e\\u0301\"]`", "data.items[*].timeCreated"]
SCALAR_NUMBERS = ["data.items[0].sizeInBytes", "data.items[-1].duration", "`-3.7`", "`2`", "length(data.items)",
                  "data.items[1].score", "`1e3`", "`0.5`"]
SCALAR_STRINGS = ["data.items[0].displayName", "'ocid1'", "`\"ACTIVE\"`", "'é'", "data.items[-1].lifecycleState",
                  "'it\\'s'", "`\"\"`", "data.items[0].id"]
OBJECTS = ["data.items[0]", "data.items[0].freeformTags", "data.items[-1].definedTags", "@", "data",
           "`{\"a\": 1, \"b\": [1, 2]}`", "{x: `1`, y: 'two'}"]
ARRAYS = ["data.items", "data.items[*].tasks", "nested", "data.items[*].labels", "numbers", "names", "@",
          "data.items[*]", "`[[1, 2], [3]]`", "`[{\"a\": 1, \"b\": 2}, {\"c\": 3}]`"]
EXPREFS = ["&sizeInBytes", "&displayName", "&lifecycleState", "&duration", "&version", "&score", "&freeformTags",
           "&to_number(sizeInBytes)", "&length(displayName || '')", "&[0]", "&@"]
# Where a path into a generated document usually starts, so that most expressions select something.
ROOTS = ["data.items", "data.items[0]", "data.items[-1]", "data.items[*]", "data", "numbers", "names", "nested",
         "data.items[1].tasks", "data.items[0].freeformTags", "data.items[*].definedTags", "[0]", "[*]",
         "data.items[?lifecycleState == 'ACTIVE']", "data.items[0].labels", "\"opc-next-page\""]
FUNCTIONS = ["abs", "avg", "ceil", "contains", "ends_with", "floor", "join", "keys", "length", "map", "max",
             "max_by", "merge", "min", "min_by", "not_null", "reverse", "sort", "sort_by", "starts_with", "sum",
             "to_array", "to_number", "to_string", "type", "values"]


def json_literal(rng, depth=0):
    r = rng.random()
    if depth < 2 and r < 0.15:
        return "[" + ", ".join(json_literal(rng, depth + 1) for _ in range(rng.randint(0, 3))) + "]"
    if depth < 2 and r < 0.25:
        keys = rng.sample(["a", "b", "c", "é", "a"], rng.randint(0, 3))   # may repeat "a": last value wins
        return "{" + ", ".join('"%s": %s' % (k, json_literal(rng, depth + 1)) for k in keys) + "}"
    value = gen_scalar(rng)
    return json.dumps(value, ensure_ascii=rng.random() < 0.5).replace("`", "\\`")


class Gen:
    def __init__(self, rng):
        self.rng = rng

    def pick(self, xs):
        return self.rng.choice(xs)

    def field(self):
        if self.rng.random() < 0.15:
            return '"%s"' % self.pick(QUOTED_FIELDS)
        return self.pick(IDENT_FIELDS)

    def number(self, lo=-4, hi=6):
        return str(self.rng.randint(lo, hi))

    def literal(self):
        r = self.rng.random()
        if r < 0.5:
            return "`%s`" % json_literal(self.rng)
        if r < 0.8:
            return "'%s'" % self.pick(["abc", "ACTIVE", "", "it\\'s", "é", "名前", "a\\\\b", "ocid1"])
        return "`%s`" % self.pick(["foo", " bar", "ACTIVE"])   # legacy unquoted string literals

    def function(self, d):
        name = self.pick(FUNCTIONS)
        right = self.rng.random() < 0.75
        A = lambda kind: self.typed(kind, d) if right or self.rng.random() < 0.5 else self.expr(d - 1)
        args = {
            "abs": lambda: [A("number")], "ceil": lambda: [A("number")], "floor": lambda: [A("number")],
            "avg": lambda: [A("numbers")], "sum": lambda: [A("numbers")],
            "contains": lambda: [A(self.pick(["strings", "string", "array"])), A(self.pick(["string", "number", "any"]))],
            "ends_with": lambda: [A("string"), A("string")], "starts_with": lambda: [A("string"), A("string")],
            "join": lambda: [A("string"), A("strings")],
            "keys": lambda: [A("object")], "values": lambda: [A("object")],
            "length": lambda: [A(self.pick(["string", "array", "object"]))],
            "map": lambda: [A("expref"), A("array")],
            "max": lambda: [A(self.pick(["numbers", "strings"]))], "min": lambda: [A(self.pick(["numbers", "strings"]))],
            "sort": lambda: [A(self.pick(["numbers", "strings"]))],
            "max_by": lambda: [A("array"), A("expref")], "min_by": lambda: [A("array"), A("expref")],
            "sort_by": lambda: [A("array"), A("expref")],
            "merge": lambda: [A("object") for _ in range(self.rng.randint(1, 3))],
            "not_null": lambda: [A("any") for _ in range(self.rng.randint(1, 3))],
            "reverse": lambda: [A(self.pick(["string", "array"]))],
            "to_array": lambda: [A("any")], "to_number": lambda: [A(self.pick(["string", "any", "number"]))],
            "to_string": lambda: [A("any")], "type": lambda: [A("any")],
        }[name]()
        if self.rng.random() < 0.08:   # wrong arity
            args = args[:-1] if args and self.rng.random() < 0.5 else args + [self.typed("any", d)]
        if name in ("to_string", "to_array", "not_null"):
            # These would hand back the reference's internal expression object (not JSON): keep & out.
            args = [a if not a.startswith("&") else "@" for a in args]
        return "%s(%s)" % (name, ", ".join(args))

    def typed(self, kind, d):
        rng = self.rng
        if kind == "number":
            return self.pick(SCALAR_NUMBERS) if rng.random() < 0.8 else "`%s`" % json.dumps(gen_number(rng))
        if kind == "numbers":
            return self.pick(NUMBER_PATHS)
        if kind == "string":
            return self.pick(SCALAR_STRINGS)
        if kind == "strings":
            return self.pick(STRING_PATHS)
        if kind == "object":
            return self.pick(OBJECTS)
        if kind == "array":
            return self.pick(ARRAYS)
        if kind == "expref":
            return self.pick(EXPREFS)
        return self.expr(d - 1) if d > 0 else self.pick(SCALAR_NUMBERS + SCALAR_STRINGS + OBJECTS)

    def condition(self, d):
        op = self.pick(["==", "!=", "<", "<=", ">", ">="])
        left = self.pick(["lifecycleState", "sizeInBytes", "duration", "displayName", "version", "isEnabled", "score",
                          "length(tasks || `[]`)", "@", "freeformTags.team", "key", "type"])
        right = self.pick(["'ACTIVE'", "`5`", "`1`", "`0`", "`true`", "`null`", "`2.5`", "'a'", "version", "duration",
                           "`\"ACTIVE\"`", "`[]`", "sizeInBytes"])
        r = self.rng.random()
        if r < 0.6:
            return "%s %s %s" % (left, op, right)
        if r < 0.75:
            return "%s %s %s" % (left, op, right) + self.pick([" && ", " || "]) + self.condition(d - 1)
        if r < 0.85:
            return "!" + self.pick(["isEnabled", "(%s %s %s)" % (left, op, right), "tasks", "labels"])
        return self.expr(d - 1)

    def expr(self, d):
        rng = self.rng
        if d <= 0:
            r = rng.random()
            if r < 0.5:
                return self.pick(ROOTS)
            return self.field() if r < 0.75 else (self.literal() if r < 0.93 else "@")
        e = lambda: self.expr(d - 1)
        choices = [
            (10, lambda: self.field()),
            (8, lambda: "%s.%s" % (e(), self.field())),
            (3, lambda: "%s.%s" % (e(), self.function(d - 1))),
            (5, lambda: "%s[%s]" % (e(), self.number())),
            (5, lambda: "%s[%s]" % (e(), self.slice())),
            (6, lambda: "%s[*].%s" % (e(), self.field())),
            (3, lambda: "%s[*]" % e()),
            (3, lambda: "%s.*" % e()),
            (3, lambda: "%s.*.%s" % (e(), self.field())),
            (4, lambda: "%s[]" % e()),
            (2, lambda: "%s[].%s" % (e(), self.field())),
            (7, lambda: "%s[?%s]" % (self.pick(["data.items", "@", "items", "data.items[*].tasks[]", e()]), self.condition(d - 1))),
            (4, lambda: "%s[?%s].%s" % (self.pick(["data.items", "@"]), self.condition(d - 1), self.field())),
            (5, lambda: "%s | %s" % (e(), e())),
            (4, lambda: "[%s]" % ", ".join(e() for _ in range(rng.randint(1, 3)))),
            (3, lambda: "%s.[%s]" % (e(), ", ".join(self.field() for _ in range(rng.randint(1, 3))))),
            (4, lambda: "{%s}" % ", ".join("%s: %s" % (self.pick(["a", "b", "name", "a", '"the key"', "é"]) if rng.random() > 0.1 else '"é"', e())
                                           for _ in range(rng.randint(1, 3)))),
            (3, lambda: "%s.{n: %s, s: %s}" % (e(), self.field(), self.field())),
            (5, lambda: self.literal()),
            (2, lambda: "@"),
            (4, lambda: "%s || %s" % (e(), e())),
            (4, lambda: "%s && %s" % (e(), e())),
            (3, lambda: "!%s" % e()),
            (4, lambda: "%s %s %s" % (e(), self.pick(["==", "!=", "<", "<=", ">", ">="]), e())),
            (14, lambda: self.function(d)),
            (3, lambda: "(%s)" % e()),
            (2, lambda: "[*].%s" % self.field()),
            (2, lambda: "[%s]" % self.slice()),
            (1, lambda: "*.%s" % self.field()),
            (1, lambda: "[]"),
        ]
        total = sum(w for w, _ in choices)
        r = rng.uniform(0, total)
        for w, f in choices:
            r -= w
            if r <= 0:
                return f()
        return choices[0][1]()

    def slice(self):
        rng = self.rng
        part = lambda: self.number(-6, 6) if rng.random() < 0.6 else ""
        if rng.random() < 0.5:
            return "%s:%s" % (part(), part())
        step = self.pick(["-1", "2", "-2", "1", "3", "", "0"]) if rng.random() > 0.03 else "0"
        return "%s:%s:%s" % (part(), part(), step)


def mutate(rng, expression):
    """A slightly broken expression: most fail to compile, some still do; both sides must agree."""
    r = rng.random()
    pos = rng.randint(0, len(expression))
    if r < 0.3:
        return expression[:pos]
    if r < 0.6:
        return expression[:pos] + rng.choice(list("[]{}().,:|&!=<>*@`'\"?-1a ")) + expression[pos:]
    if r < 0.8 and expression:
        return expression[:pos] + expression[pos + 1:]
    return rng.choice(["", " ", "foo.", "foo[", "[?", "a.b[", "`unclosed", "'unclosed", "\"q", "a = b", "-", "a[1:2:3:4]",
                       "a[::0]", "foo()", "\"foo\"(@)", "(a)(@)", "{a: b c: d}", "f(a b)", "a[?b]", "a[*]*", "&", "!",
                       "a.@", "a.'x'", "a.`1`", "sort_by(@, &)", "[a,]", "{a:}", "a ==", "@[0", "a || ", "\"\\x\"",
                       "`[1,]`", "a.\"\"", "a[-]", "a[1 2:3]", "a[1:2 3]", "length(@,)", "a.[b]", "a.{b: c}"])


def build_corpus():
    rng = random.Random(SEED)
    docs = [gen_document(rng) for _ in range(DOCUMENTS)]
    gen = Gen(rng)
    cases = []
    for _ in range(CASES):
        expression = gen.expr(rng.randint(1, 4))
        if rng.random() < 0.08:
            expression = mutate(rng, expression)
        cases.append((expression, rng.randrange(DOCUMENTS)))
    return docs, cases


# --- comparing ----------------------------------------------------------------------------------

class Unrepresentable(Exception):
    pass


class Pairs(list):
    """A JSON object as mediactl wrote it: every member, in order (duplicates would show)."""


def key_text(k):
    if isinstance(k, str):
        return k
    return json.dumps(k)


def canon(v):
    """A type-strict, order-keeping form: 1 and 1.0 differ, {"a","b"} and {"b","a"} differ."""
    if v is None:
        return ("null",)
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, int):
        return ("int", v)
    if isinstance(v, float):
        return ("float", repr(v))
    if isinstance(v, str):
        if "<jmespath.visitor._Expression object" in v:
            raise Unrepresentable()
        # A lone surrogate (from a `\ud800` escape) is not Unicode text: UTF-8 output shows U+FFFD.
        return ("str", re.sub("[\ud800-\udfff]", "\ufffd", v))
    if isinstance(v, Pairs):
        return ("object", tuple((k, canon(x)) for k, x in v))
    if isinstance(v, list):
        return ("array", tuple(canon(x) for x in v))
    if isinstance(v, dict):
        return ("object", tuple((key_text(k), canon(x)) for k, x in v.items()))
    raise Unrepresentable()


def expref_outside_argument(node, parent=None):
    """`&expr` anywhere but as a function's argument: the JMESPath grammar has no such expression, yet the
    reference compiles it and yields an internal object (`!&a` is false, `[&a]` unprintable). mediactl
    refuses it when compiling, as a syntax error; the comparison expects that."""
    if node.get("type") == "expref" and (parent is None or parent.get("type") != "function_expression"):
        return True
    return any(expref_outside_argument(c, node) for c in node.get("children", []) if isinstance(c, dict))


def python_outcome(expression, document):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compiled = jmespath.compile(expression)
    except Exception:
        return ("syntax",)
    if expref_outside_argument(compiled.parsed):
        return ("syntax",)
    try:
        result = compiled.search(document)
    except Exception:
        return ("runtime",)
    try:
        return ("value", canon(result))
    except Unrepresentable:
        # A result holding the reference's internal expression object has no JSON form; mediactl refuses it.
        return ("runtime",)


def swift_outcomes(bin_dir, docs, cases):
    doc_texts = [json.dumps(d, ensure_ascii=False) for d in docs]
    lines = "".join('{"expression": %s, "document": %s}\n' % (json.dumps(e), doc_texts[k]) for e, k in cases)
    out = subprocess.run([str(bin_dir / "mediactl"), "__query"], input=lines.encode(), capture_output=True,
                         timeout=600, check=True).stdout.decode()
    answers = out.splitlines()
    assert len(answers) == len(cases), "mediactl __query answered %d of %d lines" % (len(answers), len(cases))
    outcomes = []
    for line in answers:
        answer = json.loads(line, object_pairs_hook=Pairs)
        keys = [k for k, _ in answer]
        body = dict(answer)
        if keys == ["result"]:
            outcomes.append(("value", canon(body["result"])))
        else:
            assert body.get("error") in ("syntax", "runtime"), line
            outcomes.append((body["error"], body["message"]))
    return outcomes


def test_jmespath_matches_the_reference_on_a_generated_corpus(bin_dir, capsys):
    docs, cases = build_corpus()
    swift = swift_outcomes(bin_dir, docs, cases)
    divergences = []
    tally = {"value": 0, "syntax": 0, "runtime": 0, "non-null value": 0}
    for (expression, k), theirs in zip(cases, swift):
        ours = python_outcome(expression, json.loads(json.dumps(docs[k])))
        tally[ours[0]] += 1
        if ours[0] == "value" and ours[1] != ("null",):
            tally["non-null value"] += 1
        if ours[0] != theirs[0] or (ours[0] == "value" and ours[1] != theirs[1]):
            divergences.append((expression, k, ours, theirs))
    summary = ("jmespath differential (seed %d): %d cases over %d documents; reference gave %d values "
               "(%d non-null), %d syntax errors, %d runtime errors; %d divergences"
               % (SEED, len(cases), len(docs), tally["value"], tally["non-null value"], tally["syntax"],
                  tally["runtime"], len(divergences)))
    with capsys.disabled():
        print("\n" + summary)
    detail = "\n".join("  %r on document %d: jmespath %s, mediactl %s" % (e, k, str(o)[:300], str(t)[:300])
                       for e, k, o, t in divergences[:25])
    assert not divergences, summary + "\n" + detail


def test_the_corpus_exercises_every_construct():
    """The generator is only a judge if it reaches everything: each function, each kind of outcome."""
    docs, cases = build_corpus()
    text = "\n".join(e for e, _ in cases)
    for name in FUNCTIONS:
        assert name + "(" in text, name
    for construct in ["[?", "[*]", ".*", "[]", "||", "&&", "!", "==", "<=", "|", "`", "'", "&", "@", "{", "::",
                      ":-1", "\""]:
        assert construct in text, construct
    outcomes = [python_outcome(e, docs[k]) for e, k in cases[:1500]]
    kinds = {o[0] for o in outcomes}
    assert kinds == {"value", "syntax", "runtime"}
    non_null = sum(1 for o in outcomes if o[0] == "value" and o[1] not in (("null",), ("array", ())))
    assert non_null > len(outcomes) // 4, "too few expressions select anything (%d of %d)" % (non_null, len(outcomes))
