"""Loopback fakes for the auth-mode conformance tests (test_auth_modes.py): an instance metadata service, the
auth service's /v1/x509 and /v1/authentication/refresh, the OKE proxymux over TLS, and a recording service.
Each records every request (method, target, headers with lower-case names, body) so a test can put the
SDK's requests and mediactl's side by side. Everything listens on 127.0.0.1 only."""
import base64
import datetime
import http.server
import json
import ssl
import threading
import time
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
import ipaddress
import socketserver

TENANCY = "ocid1.tenancy.oc1..aaaaaaaaconformanceauth"


def jwt(claims: dict) -> str:
    def b64(d):
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
    return ".".join([b64({"alg": "RS256", "typ": "JWT", "kid": "asw"}), b64(claims),
                     base64.urlsafe_b64encode(uuid.uuid4().bytes * 2).rstrip(b"=").decode()])


def session_token(lifetime=3600, **extra) -> str:
    now = int(time.time())
    return jwt({"iat": now, "exp": now + lifetime, "jti": str(uuid.uuid4()), "tenant": TENANCY, **extra})


def signature_params(authorization: str) -> dict:
    out, rest = {}, authorization[len("Signature "):]
    for part in rest.split('",'):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k.strip(", ")] = v.strip('"')
    return out


def verify(request: dict, public_key) -> bool:
    """Checks the draft-cavage signature of a recorded request with `public_key`."""
    params = signature_params(request["headers"].get("authorization", ""))
    lines = []
    for name in params.get("headers", "").split(" "):
        if name == "(request-target)":
            lines.append(f"(request-target): {request['method'].lower()} {request['target']}")
        else:
            lines.append(f"{name}: {request['headers'].get(name, '')}")
    try:
        public_key.verify(base64.b64decode(params["signature"]), "\n".join(lines).encode(), padding.PKCS1v15(),
                          hashes.SHA256())
        return True
    except Exception:
        return False


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _cert(subject, issuer, public_key, signing_key, ca=False, san_ip=None, san_dns=()):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    names = [x509.IPAddress(ipaddress.ip_address(san_ip))] if san_ip else []
    names += [x509.DNSName(name) for name in san_dns]
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


class InstanceIdentity:
    """A leaf certificate naming the tenancy (OU=opc-tenant:…), its key, and the intermediate CA."""

    def __init__(self):
        ca_key = _key()
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PKISVC Identity Intermediate conformance")])
        self.intermediate = _cert(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
        self.leaf_key = _key()
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ocid1.instance.oc1.iad.conformance"),
                             x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "opc-certtype:instance"),
                             x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"opc-tenant:{TENANCY}")])
        self.leaf = _cert(subject, ca_name, self.leaf_key.public_key(), ca_key)
        self.fingerprint = ":".join(f"{b:02X}" for b in self.leaf.fingerprint(hashes.SHA1()))


class TLSFiles:
    """A CA and a server certificate for 127.0.0.1 (and `dns_names`) it signed, written to `directory`."""

    def __init__(self, directory, name="cluster", dns_names=()):
        ca_key = _key()
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} conformance CA")])
        ca = _cert(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
        server_key = _key()
        server = _cert(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]), ca_name,
                       server_key.public_key(), ca_key, san_ip="127.0.0.1", san_dns=dns_names)
        self.ca_path = f"{directory}/{name}-ca.pem"
        self.cert_path = f"{directory}/{name}-server.pem"
        self.key_path = f"{directory}/{name}-server.key"
        open(self.ca_path, "w").write(_pem(ca))
        open(self.cert_path, "w").write(_pem(server))
        open(self.key_path, "wb").write(server_key.private_bytes(serialization.Encoding.PEM,
                                                                 serialization.PrivateFormat.TraditionalOpenSSL,
                                                                 serialization.NoEncryption()))


class Fake:
    """A threaded HTTP server on 127.0.0.1 whose `answer(request) -> (status, headers, body)` is overridden."""

    def __init__(self, tls: TLSFiles = None):
        self.requests = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                request = {"method": self.command, "target": self.path, "body": body,
                           "headers": {k.lower(): v for k, v in self.headers.items()}}
                fake.requests.append(request)
                status, headers, out = fake.answer(request)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_POST = do_PUT = do_DELETE = do_CONNECT = _handle

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls.cert_path, tls.key_path)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.port = self.server.server_address[1]
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, request):
        return 404, {}, b"not found"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class MetadataService(Fake):
    def __init__(self, identity: InstanceIdentity, region="iad"):
        self.identity, self.region = identity, region
        super().__init__()

    def answer(self, request):
        if request["headers"].get("authorization") != "Bearer Oracle":
            return 401, {}, b"IMDS v2 needs Authorization: Bearer Oracle"
        texts = {"/opc/v2/identity/cert.pem": _pem(self.identity.leaf),
                 "/opc/v2/identity/key.pem": self.identity.leaf_key.private_bytes(
                     serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                     serialization.NoEncryption()).decode(),
                 "/opc/v2/identity/intermediate.pem": _pem(self.identity.intermediate),
                 "/opc/v2/instance/region": self.region}
        text = texts.get(request["target"])
        return (200, {"content-type": "text/plain"}, text.encode()) if text else (404, {}, b"not found")


class FederationService(Fake):
    """/v1/x509: hands out a session token for the posted publicKey and remembers which key got which token."""

    def __init__(self):
        self.keys = {}  # token -> session public key
        super().__init__()

    def answer(self, request):
        body = json.loads(request["body"])
        key = serialization.load_der_public_key(base64.b64decode(body["publicKey"]))
        token = session_token(sub="ocid1.instance.oc1.iad.conformance", ptype="instance")
        self.keys[token] = key
        return 200, {"content-type": "application/json"}, json.dumps({"token": token}).encode()


class Proxymux(Fake):
    """/resourcePrincipalSessionTokens over TLS: base64 of {"token": "ST$<rpst>"} for the posted podKey."""

    def __init__(self, tls: TLSFiles):
        self.keys = {}
        super().__init__(tls)

    def answer(self, request):
        body = json.loads(request["body"])
        key = serialization.load_der_public_key(base64.b64decode(body["podKey"]))
        token = session_token(res_tenant=TENANCY, ptype="resource")
        self.keys[token] = key
        return 200, {"content-type": "application/json"}, base64.b64encode(json.dumps({"token": "ST$" + token}).encode())


class RefreshService(Fake):
    """/v1/authentication/refresh: a new token for any request (the test checks what was sent)."""

    def __init__(self):
        self.issued = []
        super().__init__()

    def answer(self, request):
        token = session_token()
        self.issued.append(token)
        return 200, {"content-type": "application/json"}, json.dumps({"token": token}).encode()


class RecordingService(Fake):
    """Answers every call with an empty collection, as a list operation of Media Services would."""

    def answer(self, request):
        return 200, {"content-type": "application/json", "opc-request-id": "recorded"}, b'{"items": []}'


class ResourcePrincipalTokenService(Fake):
    """RP v2.1.x and 3.0: GET of any path answers an RPT and SPST (and, for a path in `parents`, the header
    opc-parent-rpt-url naming a further parent, as a nested resource principal's parent may); POST
    /v1/resourcePrincipalSessionToken answers a session token for the posted sessionPublicKey. `issued` lists
    the tokens in order, so a test can say which exchange signed a later call."""

    def __init__(self):
        self.keys = {}
        self.issued = []
        self.parents = {}
        super().__init__()

    def answer(self, request):
        if request["method"] == "GET":
            headers = {"content-type": "application/json"}
            if request["target"] in self.parents:
                headers["opc-parent-rpt-url"] = self.parents[request["target"]]
            return 200, headers, json.dumps(
                {"resourcePrincipalToken": "rpt-conformance", "servicePrincipalSessionToken": "spst-conformance"}).encode()
        body = json.loads(request["body"])
        key = serialization.load_der_public_key(base64.b64decode(body["sessionPublicKey"]))
        token = session_token(res_tenant=TENANCY, ptype="resource")
        self.keys[token] = key
        self.issued.append(token)
        return 200, {"content-type": "application/json"}, json.dumps({"token": token}).encode()


class ConnectTrap(Fake):
    """A "proxy" that records where each CONNECT was going and refuses it: nothing leaves 127.0.0.1."""

    def answer(self, request):
        return 502, {}, b"refused by the test"


class AnsweringTunnel:
    """A "proxy" that takes CONNECT to a host in `answers` and then plays that host itself over TLS (the
    certificate in `tls` must name it), answering one GET with answers[host]; any other CONNECT is refused.
    Records every CONNECT target and every tunnelled request: the hosts a client's endpoints name, on 127.0.0.1."""

    def __init__(self, tls: TLSFiles, answers: dict):
        self.connects, self.requests = [], []
        fake = self
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls.cert_path, tls.key_path)

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                # The client sends nothing after CONNECT's headers until it has the answer, so rfile's buffer
                # holds none of the TLS handshake.
                line = self.rfile.readline().decode()
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                target = line.split()[1] if len(line.split()) > 1 else ""
                fake.connects.append(target)
                host = target.rsplit(":", 1)[0]
                if host not in answers:
                    self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    return
                self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self.wfile.flush()
                conn = context.wrap_socket(self.request, server_side=True)
                reader = conn.makefile("rb")
                request_line = reader.readline().decode().split()
                headers = {}
                while True:
                    header = reader.readline()
                    if header in (b"\r\n", b"\n", b""):
                        break
                    name, value = header.decode().split(":", 1)
                    headers[name.strip().lower()] = value.strip()
                fake.requests.append({"host": host, "method": request_line[0], "target": request_line[1], "headers": headers})
                body = answers[host]
                conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n"
                             + f"content-length: {len(body)}\r\n\r\n".encode() + body)
                conn.close()

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
