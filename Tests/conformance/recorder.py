"""A recording reverse proxy on 127.0.0.1 in front of a real mediactl-emulator (issue 14, direction 1).

Both the official SDKs and mediactl talk to it, get the emulator's real answers (so multi-step flows work), and
leave behind every request they sent: method, raw path, query, headers and body, with the authentication
checked on the way through:
- OCI (draft-cavage `Authorization: Signature`): the signature is verified with the emulator's public key over the
  signed headers, and the signed-header list is kept.
- OpenTok (`X-OPENTOK-AUTH`, HS256 JWT with the project secret) and Vonage (`Authorization: Bearer`, RS256 JWT with
  the application's key): the JWT is verified and its claims kept.
A second listener terminates TLS with a throw-away self-signed certificate (`ca_file`) because vonage-http-client
only builds https URLs. Absolute URLs in answers (a channel's domainName, a playback URL) are rewritten from the
emulator's address to the recorder's, so the next call of a flow comes back through the recorder too.
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import http.server
import pathlib
import re
import ssl
import tempfile
import threading
import urllib.parse
from dataclasses import dataclass, field

import jwt as pyjwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from tls_proxy import make_certificate

# Headers that belong to one hop, not to the request (RFC 9110 §7.6.1); not forwarded.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "expect"}


@dataclass
class Recorded:
    """One request as a client sent it, with what the recorder found about its authentication."""
    method: str
    target: str  # path and query exactly as sent
    headers: dict  # lower-case name -> value (a repeated header's values joined with ", ")
    body: bytes
    tls: bool
    auth_kind: str = "none"  # oci | opentok | vonage | none
    auth_error: str | None = None  # why the signature or JWT did not verify (None: it did, or there was none)
    signed_headers: list = field(default_factory=list)  # OCI: the `headers="..."` list, in order
    jwt_header: dict = field(default_factory=dict)
    jwt_claims: dict = field(default_factory=dict)
    status: int = 0  # the emulator's answer
    response_headers: dict = field(default_factory=dict)  # lower-case names
    response: bytes = b""  # its body (before the recorder's address rewriting), so a flow's new ids can be read

    def response_json(self):
        import json
        return json.loads(self.response) if self.response else None

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    @property
    def query(self) -> list:
        """(name, value) pairs, decoded, in the order sent (a multi-dict)."""
        q = self.target.split("?", 1)[1] if "?" in self.target else ""
        return urllib.parse.parse_qsl(q, keep_blank_values=True)


class Recorder:
    """Start with `Recorder(emulator).start()`; `with recorder.capture() as got:` collects what is sent meanwhile."""

    def __init__(self, emulator):
        self.emulator = emulator
        up = urllib.parse.urlsplit(emulator.endpoint)
        self.upstream = (up.hostname, up.port)
        self.upstream_netloc = up.netloc
        state = pathlib.Path(emulator.state)
        self.oci_public_key = serialization.load_pem_private_key(
            (state / "emulator_api_key.pem").read_bytes(), password=None).public_key()
        self.opentok_secret = (state / "opentok_secret").read_text().strip()
        self.vonage_public_key = serialization.load_pem_private_key(
            (state / "vonage_private.key").read_bytes(), password=None).public_key()
        self._lock = threading.Lock()
        self._captures: list[list] = []
        self.everything: list[Recorded] = []
        self._servers = []

    # ---- lifecycle

    def start(self) -> "Recorder":
        self.http = self._serve(tls=False)
        self.https = self._serve(tls=True)
        return self

    def stop(self):
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def _serve(self, tls: bool) -> str:
        recorder = self

        class Handler(_ProxyHandler):
            pass

        Handler.recorder = recorder
        Handler.tls = tls
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        if tls:
            self.ca_file = self._self_signed()
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(self.ca_file, self._key_file)
            server.socket = ctx.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._servers.append(server)
        host, port = server.server_address[:2]
        return f"{'https' if tls else 'http'}://{host}:{port}"

    def _self_signed(self) -> str:
        """A throw-away certificate for 127.0.0.1, its own CA: what the SDK's CA-bundle setting is pointed at."""
        cert, key = make_certificate(pathlib.Path(tempfile.mkdtemp(prefix="conformance-tls-")))
        self._key_file = str(key)
        return str(cert)

    # ---- capturing

    @contextlib.contextmanager
    def capture(self):
        got: list[Recorded] = []
        with self._lock:
            self._captures.append(got)
        try:
            yield got
        finally:
            with self._lock:
                self._captures.remove(got)

    def _record(self, rec: Recorded):
        with self._lock:
            self.everything.append(rec)
            for c in self._captures:
                c.append(rec)

    # ---- authentication checks

    def check_auth(self, rec: Recorded):
        h = rec.headers
        if h.get("authorization", "").startswith("Signature "):
            rec.auth_kind = "oci"
            rec.auth_error = self._verify_oci(rec)
        elif "x-opentok-auth" in h:
            rec.auth_kind = "opentok"
            rec.auth_error = self._verify_jwt(rec, h["x-opentok-auth"], self.opentok_secret, "HS256")
        elif h.get("authorization", "").startswith("Bearer "):
            rec.auth_kind = "vonage"
            rec.auth_error = self._verify_jwt(rec, h["authorization"][len("Bearer "):], self.vonage_public_key, "RS256")

    def _verify_oci(self, rec: Recorded) -> str | None:
        params = dict(re.findall(r'(\w+)="([^"]*)"', rec.headers["authorization"][len("Signature "):]))
        names = params.get("headers", "date").split(" ")
        rec.signed_headers = names
        lines = []
        for name in names:
            if name == "(request-target)":
                lines.append(f"(request-target): {rec.method.lower()} {rec.target}")
            elif name in rec.headers:
                lines.append(f"{name}: {rec.headers[name]}")
            else:
                return f"signed header {name} is not in the request"
        if params.get("algorithm") != "rsa-sha256":
            return f"algorithm {params.get('algorithm')!r}"
        if "x-content-sha256" in names:
            digest = base64.b64encode(hashlib.sha256(rec.body).digest()).decode()
            if rec.headers["x-content-sha256"] != digest:
                return "x-content-sha256 is not the body's hash"
        if "content-length" in names and int(rec.headers["content-length"]) != len(rec.body):
            return "content-length is not the body's length"
        try:
            self.oci_public_key.verify(base64.b64decode(params.get("signature", "")), "\n".join(lines).encode(),
                                       padding.PKCS1v15(), hashes.SHA256())
        except Exception as e:  # InvalidSignature or a malformed base64 value: either way, not signed by the key
            return f"signature does not verify ({type(e).__name__})"
        return None

    @staticmethod
    def _verify_jwt(rec: Recorded, token: str, key, alg: str) -> str | None:
        try:
            rec.jwt_header = pyjwt.get_unverified_header(token)
            rec.jwt_claims = pyjwt.decode(token, key, algorithms=[alg],
                                          options={"verify_aud": False, "verify_iat": False})
        except Exception as e:  # any pyjwt error means the JWT would be refused
            return f"JWT does not verify: {e}"
        return None


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDKs' connection pools expect
    recorder: Recorder
    tls: bool

    def log_message(self, *args):  # quiet: pytest shows what matters
        pass

    def _read_body(self) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("content-length") or 0)
        return self.rfile.read(n) if n else b""

    def _handle(self):
        if self.headers.get("expect", "").lower() == "100-continue":
            self.send_response_only(100)
            self.end_headers()
        body = self._read_body()
        headers = {}
        for k, v in self.headers.items():
            k = k.lower()
            headers[k] = f"{headers[k]}, {v}" if k in headers else v
        rec = Recorded(self.command, self.path, headers, body, self.tls)
        self.recorder.check_auth(rec)
        conn = http.client.HTTPConnection(*self.recorder.upstream, timeout=120)
        recorded = False
        try:
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for k, v in self.headers.items():
                if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                    conn.putheader(k, v)
            if body or self.command in ("POST", "PUT", "PATCH"):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body or None)
            resp = conn.getresponse()
            data = resp.read()
            rec.status = resp.status
            rec.response = data
            rec.response_headers = {k.lower(): v for k, v in resp.getheaders()}
            # Recorded before the client gets its answer, so a capture is complete when the client call returns.
            self.recorder._record(rec)
            recorded = True
            ours = f"127.0.0.1:{self.server.server_address[1]}"
            # Links are rewritten in documents only (JSON, playlists, text): an object's bytes pass untouched.
            ctype = (resp.getheader("content-type") or "").lower()
            if any(t in ctype for t in ("json", "mpegurl", "dash", "xml", "text")):
                data = data.replace(self.recorder.upstream_netloc.encode(), ours.encode())
                if self.tls:  # an https client follows links to the TLS side
                    data = data.replace(f"http://{ours}".encode(), f"https://{ours}".encode())
            self.send_response_only(resp.status, resp.reason)
            for k, v in resp.getheaders():
                if k.lower() in HOP_BY_HOP or k.lower() in ("content-length", "date", "server"):
                    continue
                self.send_header(k, v.replace(self.recorder.upstream_netloc, ours))
            if self.command != "HEAD" or data:
                self.send_header("Content-Length", str(len(data)))
            else:
                cl = resp.getheader("content-length")
                if cl is not None:
                    self.send_header("Content-Length", cl)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
        finally:
            conn.close()
            if not recorded:
                self.recorder._record(rec)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle
