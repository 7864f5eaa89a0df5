#!/usr/bin/env python3
"""Golden OCI request-signing vectors, produced by the OFFICIAL `oci` Python SDK.

Made with: oci 2.189.0 (PyPI), Python 3.11, OpenSSL 3.0 keys from ../keys/make_keys.sh.

Rerun (only needed when the keys or the cases change):

    python3 -m venv /tmp/ocivenv && /tmp/ocivenv/bin/pip install oci
    cd Tests/MediaKitTests/Fixtures/signing
    /tmp/ocivenv/bin/python make_vectors.py

The Swift tests read only vectors.json (next to this file); they never need
Python or the SDK.

How each vector is made: a request PreparedRequest (the copy of `requests`
vendored in the SDK, `oci._vendor.requests`, which is what the SDK's clients
send with) is built with a FIXED `date` header set before signing, then signed
by the SDK's own signer object:

  * `oci.signer.Signer`                       API key, keyId "{tenancy}/{user}/{md5 fp}"
  * `oci.auth.signers.SecurityTokenSigner`    keyId "ST${token}" (same test key)
  * `oci.auth.federation_client.X509FederationClient` (instance-principal token
    request; its internal AuthTokenRequestSigner signs WITHOUT host, keyId
    "{tenancy}/fed-x509/{SHA1 of the leaf cert, uppercase hex, ':'-joined}").
    Driven through the client's own `_get_security_token_from_auth_service`
    with file-based certificate retrievers and a capturing HTTP session, so no
    metadata service and no network are used.

The script asserts that the SDK kept our `date` header, rebuilds the signing
string independently from the signed request and verifies the SDK's signature
over it with ../keys/test_public.pem.

Fields of each vector:
  name, method (uppercase), url (full URL as sent; its path+query is exactly the
  (request-target) that was signed), date, body (exact body; its bytes are the
  UTF-8 encoding of this string, "" for none), keyId, signedHeaders (the
  headers="..." list), signingString (lines joined by "\\n", no trailing
  newline), authorization (the SDK's Authorization header, byte for byte).
  contentType / contentLength / xContentSha256 are the values that were SIGNED,
  or null when that header is not among the signed headers. (Note: the SDK also
  adds an unsigned `content-type: application/json` header to GET/HEAD/DELETE.)
"""

import base64
import hashlib
import json
import os
import re
import sys
import urllib.parse

import oci
from oci._vendor import requests
from oci.auth.signers import SecurityTokenSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "..", "keys")

TENANCY = "ocid1.tenancy.oc1..aaaaaaaatestenancyexample"
USER = "ocid1.user.oc1..aaaaaaaatestuserexample"
DATE = "Thu, 05 Jan 2014 21:31:40 GMT"
DATE2 = "Mon, 02 Dec 2024 08:09:10 GMT"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2ln"

MEDIA = "https://mediaservices.us-ashburn-1.oci.oraclecloud.com"
CHANNEL_HOST = "https://ab1cd2ef3gh4.channel.media.us-ashburn-1.oci.oraclecloud.com"
FEDERATION_ENDPOINT = "https://auth.us-ashburn-1.oraclecloud.com/v1/x509"

TEST_KEY = os.path.join(KEYS, "test_key.pem")
TEST_CERT = os.path.join(KEYS, "test_cert.pem")
SESSION_KEY = os.path.join(KEYS, "other_key.pem")  # stands in for the session key

JSON = "application/json"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def md5_fingerprint(public_key):
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    try:  # the SDK's own helper (used by its PKCS#11 signer)
        from oci.auth.signers.pkcs11_signer import _fingerprint_bytes
        sdk_fp = _fingerprint_bytes(der)
    except Exception:  # pragma: no cover - helper missing in other SDK versions
        sdk_fp = None
    digest = hashlib.md5(der).hexdigest()
    fp = ":".join(digest[i:i + 2] for i in range(0, 32, 2))
    if sdk_fp is not None:
        assert sdk_fp == fp, (sdk_fp, fp)
    return fp


# ---- keys and fingerprints (cross-checked against ../keys/fingerprints.json)
private_key = oci.signer.load_private_key_from_file(TEST_KEY)
public_key = serialization.load_pem_public_key(read(os.path.join(KEYS, "test_public.pem")))
with open(os.path.join(KEYS, "fingerprints.json")) as f:
    FINGERPRINTS = json.load(f)
assert md5_fingerprint(public_key) == FINGERPRINTS["test_key"]
assert md5_fingerprint(oci.signer.load_private_key_from_file(
    os.path.join(KEYS, "other_key.pem")).public_key()) == FINGERPRINTS["other_key"]
FINGERPRINT = FINGERPRINTS["test_key"]

# Every encoding of the test key must load (via the SDK loader) to the same key.
for name, pw in [("test_key_pkcs8.pem", None),
                 ("test_key_enc_pkcs1.pem", "mediactl-test-pass"),
                 ("test_key_enc_pkcs8.pem", "mediactl-test-pass")]:
    k = oci.signer.load_private_key_from_file(os.path.join(KEYS, name), pw)
    assert k.private_numbers() == private_key.private_numbers(), name

api_signer = oci.signer.Signer(TENANCY, USER, FINGERPRINT, TEST_KEY)
st_signer = SecurityTokenSigner(JWT, private_key)


# ---- helpers
AUTH_RE = re.compile(r'^Signature algorithm="rsa-sha256",headers="([^"]*)",keyId="([^"]*)",'
                     r'signature="([A-Za-z0-9+/=]+)",version="1"$')


def rebuild_signing_string(prepared, signed_headers):
    parts = urllib.parse.urlsplit(prepared.url)
    lines = []
    for h in signed_headers.split(" "):
        if h == "(request-target)":
            target = parts.path + ("?" + parts.query if parts.query else "")
            lines.append("(request-target): %s %s" % (prepared.method.lower(), target))
        elif h == "host":
            lines.append("host: %s" % parts.netloc)
        else:
            lines.append("%s: %s" % (h, prepared.headers[h]))
    return "\n".join(lines)


def body_text(prepared):
    body = prepared.body
    if body is None:
        return ""
    if isinstance(body, bytes):
        return body.decode("utf-8")
    return body


def to_vector(name, prepared, expected_date):
    assert prepared.headers["date"] == expected_date, "SDK replaced the date header"
    auth = prepared.headers["authorization"]
    m = AUTH_RE.match(auth)
    assert m, auth
    signed_headers, key_id, signature = m.groups()
    signing_string = rebuild_signing_string(prepared, signed_headers)
    # The SDK's signature must verify over our reconstruction.
    public_key.verify(base64.b64decode(signature), signing_string.encode("ascii"),
                      padding.PKCS1v15(), hashes.SHA256())
    # ... and (request-target) must be exactly path+query of the URL we record.
    assert prepared.path_url == urllib.parse.urlsplit(prepared.url).path + (
        "?" + urllib.parse.urlsplit(prepared.url).query if urllib.parse.urlsplit(prepared.url).query else "")

    body = body_text(prepared)
    signed = signed_headers.split(" ")

    def signed_value(h):
        return prepared.headers[h] if h in signed else None

    if "x-content-sha256" in signed:
        raw = body.encode("utf-8")
        assert prepared.headers["x-content-sha256"] == base64.b64encode(hashlib.sha256(raw).digest()).decode()
        assert prepared.headers["content-length"] == str(len(raw)), (name, prepared.headers["content-length"])

    return {
        "name": name,
        "method": prepared.method.upper(),
        "url": prepared.url,
        "date": prepared.headers["date"],
        "contentType": signed_value("content-type"),
        "body": body,
        "keyId": key_id,
        "signedHeaders": signed_headers,
        "signingString": signing_string,
        "contentLength": signed_value("content-length"),
        "xContentSha256": signed_value("x-content-sha256"),
        "authorization": auth,
    }


def sign(name, signer, method, url, params=None, body=None, content_type=None, date=DATE):
    headers = {"date": date}
    if content_type is not None:
        headers["content-type"] = content_type
    prepared = requests.Request(method, url, params=params, headers=headers, data=body).prepare()
    signer(prepared)
    return to_vector(name, prepared, date)


# ---- cases
CREATE_BODY = '{"compartmentId": "ocid1.compartment.oc1..aaaaaaaexample", "displayName": "test_sdk"}'
UTF8_DETAILS = {"compartmentId": "ocid1.compartment.oc1..aaaaaaaexample", "displayName": "caf\u00e9 \u65e5\u672c"}

vectors = [
    sign("get_no_query", api_signer, "GET",
         MEDIA + "/20211101/mediaAssets/ocid1.mediaasset.oc1.iad.aaaaaaaaexample"),
    # Query built the way the SDK's clients do it: a params dict, encoded by requests
    # (application/x-www-form-urlencoded style: '=' -> %3D, '/' -> %2F, ':' -> %3A, ' ' -> '+').
    sign("get_list_query_encoded", api_signer, "GET",
         MEDIA + "/20211101/streamDistributionChannels",
         params={"compartmentId": "ocid1.compartment.oc1..aaaa", "limit": 10, "page": "abc=="}),
    sign("get_list_query_reserved_chars", api_signer, "GET",
         MEDIA + "/20211101/mediaAssets",
         params={"compartmentId": "ocid1.compartment.oc1..aaaa", "displayName": "my asset/v1:\u00e9",
                 "sortOrder": "ASC"}),
    sign("get_http_nondefault_port", api_signer, "GET",
         "http://127.0.0.1:8443/20211101/streamDistributionChannels/ocid1.x.oc1..aaaa"),
    sign("get_other_date", api_signer, "GET",
         MEDIA + "/20211101/streamDistributionChannels/ocid1.streamdistributionchannel.oc1.iad.aaaa",
         date=DATE2),
    sign("post_create_distribution_channel", api_signer, "POST",
         MEDIA + "/20211101/streamDistributionChannels", body=CREATE_BODY, content_type=JSON),
    # Raw UTF-8 bytes on the wire (body passed as bytes so content-length counts bytes).
    sign("post_utf8_body", api_signer, "POST",
         MEDIA + "/20211101/streamDistributionChannels",
         body=json.dumps(UTF8_DETAILS, ensure_ascii=False).encode("utf-8"), content_type=JSON),
    # What the SDK's generated clients actually send for the same model: json.dumps()
    # with ensure_ascii=True, i.e. non-ASCII escaped as \\uXXXX.
    sign("post_non_ascii_json_escaped_like_sdk_client", api_signer, "POST",
         MEDIA + "/20211101/streamDistributionChannels",
         body=json.dumps(UTF8_DETAILS), content_type=JSON),
    # No body and no content-type given: the SDK signs content-length 0, content-type
    # application/json (its default) and the SHA-256 of the empty string.
    sign("post_empty_body", api_signer, "POST",
         MEDIA + "/20211101/mediaWorkflowJobs/ocid1.mediaworkflowjob.oc1.iad.aaaa/actions/cancel"),
    sign("put_with_body", api_signer, "PUT",
         MEDIA + "/20211101/streamDistributionChannels/ocid1.streamdistributionchannel.oc1.iad.aaaa",
         body='{"displayName": "renamed"}', content_type=JSON),
    sign("patch_with_body", api_signer, "PATCH",
         MEDIA + "/20211101/mediaAssets/ocid1.mediaasset.oc1.iad.aaaa",
         body='{"displayName": "patched"}', content_type=JSON),
    sign("delete", api_signer, "DELETE",
         MEDIA + "/20211101/streamDistributionChannels/ocid1.streamdistributionchannel.oc1.iad.aaaa"),
    sign("head", api_signer, "HEAD",
         MEDIA + "/20211101/mediaAssets/ocid1.mediaasset.oc1.iad.aaaa"),
    sign("post_generate_session_token", api_signer, "POST",
         CHANNEL_HOST + "/20211101/actions/generateSessionToken",
         body='{"packagingConfigId": "ocid1.streampackagingconfig.oc1.iad.aaaa", '
              '"scopes": ["PLAYLIST", "EDGE"]}',
         content_type=JSON),
    sign("security_token_get", st_signer, "GET",
         MEDIA + "/20211101/streamDistributionChannels",
         params={"compartmentId": "ocid1.compartment.oc1..aaaa"}),
    sign("security_token_post", st_signer, "POST",
         MEDIA + "/20211101/streamDistributionChannels", body=CREATE_BODY, content_type=JSON),
]


# ---- instance-principal federation (token request to Auth Service), via SDK code
def federation_vector():
    from oci.auth.federation_client import X509FederationClient
    from oci.auth.certificate_retriever import FileBasedCertificateRetriever

    class FixedSessionKeySupplier(oci.auth.session_key_supplier.SessionKeySupplier):
        def __init__(self):  # fixed key instead of a freshly generated one
            import threading
            self.key_size = 2048
            self.private_key = oci.signer.load_private_key_from_file(SESSION_KEY)
            self._refresh_lock = threading.Lock()

        def refresh(self):
            pass

    captured = {}

    class StopAfterSigning(Exception):
        pass

    class CapturingSession(object):
        """Stands in for requests.Session: prepares exactly like Session.post(json=...)
        (plus our fixed date header), lets the SDK's signer sign it, and stops."""
        def post(self, url, json=None, auth=None, headers=None, **kwargs):
            h = dict(headers or {})
            h["date"] = DATE
            prepared = requests.Request("POST", url, json=json, headers=h).prepare()
            auth(prepared)
            captured["prepared"] = prepared
            raise StopAfterSigning()

    leaf = FileBasedCertificateRetriever(certificate_file_path=TEST_CERT,
                                         private_key_pem_file_path=TEST_KEY)
    client = X509FederationClient(
        federation_endpoint=FEDERATION_ENDPOINT,
        tenancy_id=TENANCY,
        session_key_supplier=FixedSessionKeySupplier(),
        leaf_certificate_retriever=leaf,
        intermediate_certificate_retrievers=[FileBasedCertificateRetriever(certificate_file_path=TEST_CERT)],
        retry_strategy=oci.retry.NoneRetryStrategy(),
        circuit_breaker_strategy=oci.circuit_breaker.NoCircuitBreakerStrategy(),
    )
    client.requests_session = CapturingSession()
    try:
        client._get_security_token_from_auth_service()
    except StopAfterSigning:
        pass
    v = to_vector("instance_principal_federation_x509", captured["prepared"], DATE)
    sha1 = hashlib.sha1(leaf.get_certificate_as_certificate().public_bytes(serialization.Encoding.DER)).hexdigest().upper()
    expected_key_id = "%s/fed-x509/%s" % (TENANCY, ":".join(sha1[i:i + 2] for i in range(0, 40, 2)))
    assert v["keyId"] == expected_key_id, (v["keyId"], expected_key_id)
    assert v["signedHeaders"] == "date (request-target) content-length content-type x-content-sha256"
    return v


vectors.append(federation_vector())

# ---- sanity checks on the set
names = [v["name"] for v in vectors]
assert len(names) == len(set(names))
for v in vectors:
    assert v["method"] in ("GET", "HEAD", "DELETE", "POST", "PUT", "PATCH")
    if v["method"] in ("GET", "HEAD", "DELETE"):
        assert v["signedHeaders"] == "date (request-target) host", v["name"]
    elif not v["name"].startswith("instance_principal"):
        assert v["signedHeaders"] == "date (request-target) host content-length content-type x-content-sha256", v["name"]

out = os.path.join(HERE, "vectors.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump(vectors, f, indent=2, ensure_ascii=False)
    f.write("\n")
print("oci %s: wrote %d vectors to %s" % (oci.__version__, len(vectors), out))
for n in names:
    print("  " + n)
