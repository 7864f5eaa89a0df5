"""The request judge itself (recorder.py, requestdiff.py, harness.compare) can fail: a forged signature, a JWT made
with another key, a different body or query, and an exception for other values are all caught."""
import base64
import http.client
import json
import pathlib
import time
import urllib.parse

import jwt as pyjwt
import oci
import pytest

import requestdiff
from harness import compare


def _sdk(emulator, recorder):
    config = oci.config.from_file(str(emulator.config_file), emulator.profile)
    return oci.media_services.MediaServicesClient(config, service_endpoint=recorder.http,
                                                  retry_strategy=oci.retry.NoneRetryStrategy())


def _channel(client, compartment, name):
    return client.create_stream_distribution_channel(oci.media_services.models.CreateStreamDistributionChannelDetails(
        compartment_id=compartment, display_name=name))


class _Judge:
    def __init__(self):
        self.claims = []

    def request(self, *args, **kwargs):
        self.claims.append((args, kwargs))


def test_a_different_body_fails_the_comparison_and_claims_nothing(emulator, recorder):
    client = _sdk(emulator, recorder)
    compartment = emulator.env()["MEDIACTL_COMPARTMENT_ID"]
    with recorder.capture() as one:
        _channel(client, compartment, "one")
    with recorder.capture() as two:
        _channel(client, compartment, "two")
    judge = _Judge()
    with pytest.raises(pytest.fail.Exception, match=r"body/displayName: mediactl 'two', SDK 'one'"):
        compare(judge, "MediaServicesClient", "create_stream_distribution_channel", "x", one, two, {})
    assert judge.claims == []
    # the same request twice (but for its random retry token and request id) matches, and is claimed
    with recorder.capture() as three:
        _channel(client, compartment, "one")
    compare(judge, "MediaServicesClient", "create_stream_distribution_channel", "x", one, three, {})
    assert len(judge.claims) == 1


def test_a_query_parameter_more_fails_the_comparison(emulator, recorder):
    client = _sdk(emulator, recorder)
    compartment = emulator.env()["MEDIACTL_COMPARTMENT_ID"]
    with recorder.capture() as plain:
        client.list_media_workflows(compartment_id=compartment)
    with recorder.capture() as limited:
        client.list_media_workflows(compartment_id=compartment, limit=5)
    with pytest.raises(pytest.fail.Exception, match=r"query.limit: mediactl \['5'\], SDK '<absent>'"):
        compare(_Judge(), "MediaServicesClient", "list_media_workflows", "x", plain, limited, {})


def test_a_forged_oci_signature_is_caught(emulator, recorder):
    client = _sdk(emulator, recorder)
    with recorder.capture() as got:
        client.list_media_workflows(compartment_id=emulator.env()["MEDIACTL_COMPARTMENT_ID"])
    good = got[0]
    assert good.auth_kind == "oci" and good.auth_error is None
    assert good.signed_headers == ["date", "(request-target)", "host"]
    # The same signed headers replayed on another path: the signature no longer covers the request.
    url = urllib.parse.urlsplit(recorder.http)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    headers = {k: v for k, v in good.headers.items() if k in ("date", "host", "authorization")}
    with recorder.capture() as forged:
        conn.request("GET", good.target + "&limit=1", headers=headers)
        assert conn.getresponse().status == 401  # the emulator refuses it too
    assert forged[0].auth_error and "does not verify" in forged[0].auth_error
    with pytest.raises(AssertionError, match="does not verify"):
        compare(_Judge(), "MediaServicesClient", "list_media_workflows", "x", got, forged, {})


def test_a_jwt_made_with_another_key_is_caught(emulator, recorder):
    env = emulator.env()
    url = urllib.parse.urlsplit(recorder.http)
    now = int(time.time())
    forged = pyjwt.encode({"iss": env["OPENTOK_API_KEY"], "ist": "project", "iat": now, "exp": now + 180,
                           "jti": "x"}, "not-the-secret", algorithm="HS256")
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    with recorder.capture() as got:
        conn.request("GET", f"/v2/project/{env['OPENTOK_API_KEY']}/archive", headers={"X-OPENTOK-AUTH": forged})
        conn.getresponse().read()
    assert got[0].auth_kind == "opentok"
    assert got[0].auth_error and "Signature verification failed" in got[0].auth_error


def test_an_exception_accepts_only_its_operation_field_and_values(tmp_path):
    f = tmp_path / "exceptions.toml"
    f.write_text('[[exception]]\napi = "A"\noperation = "op"\nfield = "body/x"\nmediactl = "1"\nsdk = \'"<absent>"\'\n'
                 'reason = "r"\nevidence = "e"\n')
    ex = requestdiff.Exceptions(f)
    accepted, unexplained = ex.judge("A", "op", [("body/x", 1, "<absent>")])
    assert [i for i, _ in accepted] == [0] and unexplained == []
    for other in [("A", "op", [("body/x", 2, "<absent>")]), ("A", "op", [("body/y", 1, "<absent>")]),
                  ("A", "other", [("body/x", 1, "<absent>")]), ("B", "op", [("body/x", 1, "<absent>")])]:
        assert ex.judge(*other)[0] == []
    assert [e["field"] for e in ex.unused()] == ["body/x"]
    ex.mark_used([0])
    assert ex.unused() == []


def test_an_exception_without_its_reason_or_evidence_is_refused(tmp_path):
    f = tmp_path / "exceptions.toml"
    f.write_text('[[exception]]\napi = "A"\noperation = "op"\nfield = "body/x"\nmediactl = "1"\nsdk = "2"\n'
                 'reason = "r"\n')
    with pytest.raises(ValueError, match="lacks evidence"):
        requestdiff.Exceptions(f)


def test_the_reviewed_exceptions_name_real_operations():
    """Every exception in exceptions.toml is about an operation the SDKs have (coverage_table.apis())."""
    import coverage_table
    known = {(api, op) for api, ops in coverage_table.apis() for op in ops}
    assert requestdiff.EXCEPTIONS.entries
    for e in requestdiff.EXCEPTIONS.entries:
        assert (e["api"], e["operation"]) in known, e
        json.loads(e["mediactl"]), json.loads(e["sdk"])  # both are JSON text


def test_jwts_in_bodies_are_compared_by_claim_names():
    token = ".".join(base64.urlsafe_b64encode(json.dumps(p).encode()).decode().rstrip("=")
                     for p in ({"alg": "HS256"}, {"session_id": "s", "role": "publisher", "nonce": 1})) + ".sig"
    rec = type("R", (), {})()
    rec.method, rec.path, rec.query, rec.headers = "POST", "/dial", [], {"content-type": "application/json"}
    rec.body = json.dumps({"token": token}).encode()
    rec.auth_kind = "none"
    fields = requestdiff.normalise(rec)
    assert fields["body/token"] == {"jwt-claim-names": ["nonce", "role", "session_id"]}
    assert pathlib.Path(requestdiff.__file__).with_name("exceptions.toml").exists()
