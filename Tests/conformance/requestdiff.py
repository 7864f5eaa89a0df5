"""Comparing a request mediactl sent with the one an official SDK sent for the same operation (issue 14, direction 1).

`normalise` turns a recorded request into named fields; it is the one place that decides what is compared and
how (see RANDOM_*). `differences` lists the fields that differ, and `Exceptions` holds the reviewed list of
differences that are accepted (exceptions.toml): each names one operation and one field with both values, and an
exception that no test used fails the run, so the file cannot go stale.
"""
from __future__ import annotations

import base64
import hashlib
import json
import pathlib
import re
import tomllib
import urllib.parse

import recorder as _recorder

ABSENT = "<absent>"

# Values that are legitimately random per request: compared for presence only, never by value.
#  - headers: the OCI retry token (30 random characters, per logical call) and request id (a fresh UUID);
#  - JWT claims: iat/exp (clock), jti (a UUID) and nonce (random) — only the claim *names* are compared;
#  - JWTs inside bodies (client tokens for SIP, captions, render, Audio Connector): made per call, compared by
#    claim names too.
RANDOM_HEADERS = ("opc-retry-token", "opc-request-id")
RANDOM_JWT_CLAIMS = {"iat", "exp", "jti", "nonce"}  # where claim values are compared (client tokens), not these
#  - RFC 3339 times in bodies (a token's timeExpires = now + --expires-in): compared as "<RFC 3339 time>"; a test
#    that sends one checks the two times are close itself (rfc3339_times).
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# Headers compared by value: what the client says it accepts.
VALUE_HEADERS = ("accept",)

_JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def normalise_path(path: str) -> str:
    """RFC 3986 §6.2.2 normalisation: percent-escapes upper-case, unreserved characters decoded. `%2F` stays `%2F`."""
    def fix(m):
        ch = chr(int(m.group(1), 16))
        return ch if ch in _UNRESERVED else "%" + m.group(1).upper()
    return re.sub(r"%([0-9A-Fa-f]{2})", fix, path)


def _jwt_claim_names(token: str):
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return sorted(claims) if isinstance(claims, dict) else None
    except Exception:  # not a JWT after all: compared as the string it is
        return None


def _flatten(prefix: str, value, out: dict, placeholders: dict):
    if isinstance(value, dict) and value:
        for k, v in value.items():
            _flatten(f"{prefix}/{k}", v, out, placeholders)
    elif isinstance(value, list) and value:
        for i, v in enumerate(value):
            _flatten(f"{prefix}/{i}", v, out, placeholders)
    elif isinstance(value, str) and _JWT.match(value) and _jwt_claim_names(value) is not None:
        out[prefix] = {"jwt-claim-names": _jwt_claim_names(value)}
    elif isinstance(value, str) and RFC3339.match(value):
        out[prefix] = "<RFC 3339 time>"
    else:
        out[prefix] = substitute(value, placeholders)


def substitute(value, placeholders: dict):
    """Known per-run values (OCIDs, session ids) shown by name, so diffs and exceptions.toml read the same each run."""
    if isinstance(value, str):
        for real, name in sorted(placeholders.items(), key=lambda kv: -len(kv[0])):
            value = value.replace(real, "{" + name + "}")
    elif isinstance(value, list):
        value = [substitute(v, placeholders) for v in value]
    return value


def normalise(rec: "_recorder.Recorded", placeholders: dict | None = None) -> dict:
    """A request as named fields: what the comparison of mediactl's and the SDK's requests looks at."""
    placeholders = placeholders or {}
    f = {"method": rec.method, "path": substitute(normalise_path(rec.path), placeholders)}
    query: dict = {}
    for k, v in rec.query:
        query.setdefault(k, []).append(substitute(v, placeholders))
    for k, vs in query.items():
        f[f"query.{k}"] = sorted(vs)  # a multi-dict: order of parameters and of repeated values is not meaning
    # A content type describes a body; on a request without one (the oci SDK sets it even on GET) it says nothing.
    ctype = rec.headers.get("content-type")
    if rec.body:
        f["content-type"] = ctype or ABSENT
        if (ctype or "").split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
            form: dict = {}  # a form is a multi-dict too (OpenTok's session create)
            for k, v in urllib.parse.parse_qsl(rec.body.decode(), keep_blank_values=True):
                form.setdefault(k, []).append(substitute(v, placeholders))
            for k, vs in form.items():
                f[f"form.{k}"] = sorted(vs)
        else:
            try:  # JSON is compared as data, whatever its label says; other bodies by their bytes
                _flatten("body", json.loads(rec.body), f, placeholders)
            except ValueError:
                f["body"] = f"<{len(rec.body)} bytes, sha256 {hashlib.sha256(rec.body).hexdigest()[:16]}>"
    for h in RANDOM_HEADERS:
        f[f"header.{h}"] = "<present>" if h in rec.headers else ABSENT
    for h in VALUE_HEADERS:
        f[f"header.{h}"] = rec.headers.get(h, ABSENT)
    f["auth"] = rec.auth_kind
    if rec.auth_kind == "oci":
        f["signed-headers"] = sorted(rec.signed_headers)
    elif rec.auth_kind in ("opentok", "vonage"):
        f["jwt-alg"] = rec.jwt_header.get("alg", ABSENT)
        f["jwt-claim-names"] = sorted(rec.jwt_claims)
    return f


def rfc3339_times(rec: "_recorder.Recorded") -> dict:
    """The RFC 3339 times in a JSON body, by field, as aware datetimes (for the closeness check normalise leaves out)."""
    import datetime
    out = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}/{k}", v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(f"{prefix}/{i}", v)
        elif isinstance(value, str) and RFC3339.match(value):
            out[prefix] = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    walk("body", json.loads(rec.body))
    return out


def differences(mediactl: dict, sdk: dict) -> list:
    """[(field, mediactl's value, the SDK's value)] for every field whose values differ."""
    out = []
    for k in sorted(set(mediactl) | set(sdk)):
        a, b = mediactl.get(k, ABSENT), sdk.get(k, ABSENT)
        if a != b:
            out.append((k, a, b))
    return out


class Exceptions:
    """The reviewed differences (exceptions.toml). Each accepts exactly one field of one operation with both values,
    written as JSON text (TOML has no null): `"\"<absent>\""` is a key left out, `"null"` an explicit null."""

    REQUIRED = ("api", "operation", "field", "mediactl", "sdk", "reason", "evidence")

    def __init__(self, path: pathlib.Path):
        self.path = path
        self.entries = tomllib.loads(path.read_text()).get("exception", []) if path.exists() else []
        for i, e in enumerate(self.entries):
            missing = [k for k in self.REQUIRED if k not in e or e[k] in ("", None)]
            if missing:
                raise ValueError(f"{path.name}: exception {i + 1} lacks {', '.join(missing)}")
        self.used: set[int] = set()

    def find(self, api: str, operation: str, field: str, mediactl, sdk):
        for i, e in enumerate(self.entries):
            if (e["api"], e["operation"], e["field"]) == (api, operation, field) \
                    and json.loads(e["mediactl"]) == mediactl and json.loads(e["sdk"]) == sdk:
                return i
        return None

    def judge(self, api: str, operation: str, diffs: list):
        """Split diffs into (accepted [(index, diff)], unexplained [diff])."""
        accepted, unexplained = [], []
        for d in diffs:
            i = self.find(api, operation, *d)
            (unexplained.append(d) if i is None else accepted.append((i, d)))
        return accepted, unexplained

    def mark_used(self, indices):
        self.used.update(indices)

    def unused(self) -> list:
        return [e for i, e in enumerate(self.entries) if i not in self.used]


EXCEPTIONS = Exceptions(pathlib.Path(__file__).with_name("exceptions.toml"))
