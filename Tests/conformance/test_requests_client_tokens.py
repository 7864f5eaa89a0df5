"""The client tokens `mediactl token` makes against opentok 3.15.0's generate_token and vonage-video 1.6.1's
generate_client_token for the same inputs. Nothing is sent (a client presents the token to the service later), so
these checks claim a local match in docs/conformance.md (judge.local), not a request: the JWT header, the claim names, the claim values that are not
random (requestdiff.RANDOM_JWT_CLAIMS: iat, exp, jti and nonce only for presence), and the signature, verified
with the project's secret or the application's public key."""
import json

import jwt as pyjwt
import opentok
import pytest
from cryptography.hazmat.primitives import serialization
from vonage_video.models import token as vtoken

from harness import fresh_session, video_harness
from requestdiff import RANDOM_JWT_CLAIMS


def _decoded(token, key, alg):
    return pyjwt.get_unverified_header(token), pyjwt.decode(token, key, algorithms=[alg],
                                                             options={"verify_iat": False})


def _same(mediactl, sdk):
    (m_head, m_claims), (s_head, s_claims) = mediactl, sdk
    assert m_head == s_head
    assert sorted(m_claims) == sorted(s_claims)
    for k in sorted(set(s_claims) - RANDOM_JWT_CLAIMS):
        assert m_claims[k] == s_claims[k], k


@pytest.mark.parametrize("role,data,classes", [("publisher", None, []), ("moderator", "name=Johnny", ["focus", "x"])])
def test_opentok_client_token_matches_generate_token(recorder, bin_dir, emulator, judge, role, data, classes):
    h = video_harness(recorder, bin_dir, emulator, "opentok")
    session = fresh_session(h)
    secret = h.env["OPENTOK_API_SECRET"]
    argv = ["token", "--session-id", session, "--role", role]
    argv += ["--data", data] if data else []
    for c in classes:
        argv += ["--layout-class", c]
    token = json.loads(h.mediactl(argv).stdout)["token"]
    ot = opentok.OpenTok(h.env["OPENTOK_API_KEY"], secret, api_url=recorder.http)
    sdk = ot.generate_token(session, role=opentok.Roles(role), data=data, initial_layout_class_list=classes)
    _same(_decoded(token, secret, "HS256"), _decoded(sdk, secret, "HS256"))
    judge.local("opentok.OpenTok", "generate_token", "mediactl token")


@pytest.mark.parametrize("role,data,classes", [("publisher", None, None), ("moderator", "name=Johnny", ["focus"])])
def test_vonage_client_token_matches_generate_client_token(recorder, bin_dir, emulator, judge, role, data, classes):
    from test_requests_vonage import new_video
    h = video_harness(recorder, bin_dir, emulator, "vonage")
    session = fresh_session(h)
    argv = ["token", "--session-id", session, "--role", role]
    argv += ["--data", data] if data else []
    for c in classes or []:
        argv += ["--layout-class", c]
    token = json.loads(h.mediactl(argv).stdout)["token"]
    sdk = new_video(h).generate_client_token(vtoken.TokenOptions(
        session_id=session, role=role, connection_data=data, initial_layout_class_list=classes)).decode()
    public = serialization.load_pem_private_key(open(h.env["VONAGE_PRIVATE_KEY_PATH"], "rb").read(),
                                                password=None).public_key()
    _same(_decoded(token, public, "RS256"), _decoded(sdk, public, "RS256"))
    judge.local("vonage_video.Video", "generate_client_token", "mediactl token")
