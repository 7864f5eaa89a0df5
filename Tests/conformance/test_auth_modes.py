"""The auth modes of issue 19, judged by the official SDK: the SDK's signer and the mediactl binary go to the
same loopback fakes (fakes_auth.py), and the requests they send are compared — the token exchanges and the
signed service calls (signed header set, keyId form, opc-obo-token, proxymux and refresh bodies).

Run: MEDIACTL_BIN_DIR=$(swift build --show-bin-path) scripts/conformance.sh -k auth"""
import base64
import json
import os
import re
import stat
import subprocess
import tempfile

import oci
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import fakes_auth as fakes

COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaconformanceauth"


def run_mediactl(bin_dir, args, env):
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tempfile.mkdtemp(prefix="auth-home-"),
            "MEDIACTL_NO_INPUT": "1", "OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING": "True"}
    return subprocess.run([str(bin_dir / "mediactl")] + args, env={**base, **env}, capture_output=True, text=True,
                          timeout=120)


def new_key(path):
    """A fresh RSA 2048 key written to `path` (PKCS#8 PEM, mode 0600)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    open(path, "wb").write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()))
    os.chmod(path, 0o600)
    return key


def signed_headers(request):
    return fakes.signature_params(request["headers"]["authorization"])["headers"]


def key_id(request):
    return fakes.signature_params(request["headers"]["authorization"])["keyId"]


@pytest.fixture
def workdir():
    return tempfile.mkdtemp(prefix="auth-modes-")


@pytest.fixture
def metadata_env(monkeypatch):
    """The SDK reads OCI_METADATA_BASE_URL, as mediactl does."""
    identity = fakes.InstanceIdentity()
    imds, federation = fakes.MetadataService(identity), fakes.FederationService()
    monkeypatch.setenv("OCI_METADATA_BASE_URL", imds.url + "/opc/v2")
    yield identity, imds, federation
    imds.stop()
    federation.stop()


def test_instance_obo_user_sends_and_signs_the_delegation_token_as_the_sdk_does(bin_dir, workdir, metadata_env):
    identity, imds, federation = metadata_env
    delegation = fakes.session_token(ptype="user", sub="ocid1.user.oc1..aaaaaaaacloudshelluser")
    sdk_service, cli_service = fakes.RecordingService(), fakes.RecordingService()

    signer = oci.auth.signers.InstancePrincipalsDelegationTokenSigner(
        delegation_token=delegation, federation_endpoint=federation.url + "/v1/x509")
    client = oci.media_services.MediaServicesClient({"region": "us-ashburn-1"}, signer=signer,
                                                    service_endpoint=sdk_service.url)
    client.list_media_workflows(compartment_id=COMPARTMENT)
    sdk_federation = list(federation.requests)

    # Cloud Shell's environment: OCI_CLI_AUTH, its config file with delegation_token_file and region.
    token_file = os.path.join(workdir, "delegation_token")
    open(token_file, "w").write(delegation + "\n")
    config = os.path.join(workdir, "config")
    open(config, "w").write(f"[DEFAULT]\ndelegation_token_file={token_file}\nregion=us-ashburn-1\n")
    r = run_mediactl(bin_dir, ["workflow", "list", "--compartment-id", COMPARTMENT, "--output", "json"], {
        "OCI_CLI_AUTH": "instance_obo_user", "OCI_CLI_CONFIG_FILE": config, "OCI_CLI_CLOUD_SHELL": "True",
        "OCI_METADATA_BASE_URL": imds.url + "/opc/v2", "OCI_CLI_FEDERATION_ENDPOINT": federation.url,
        "MEDIACTL_ENDPOINT": cli_service.url})
    assert r.returncode == 0, r.stderr
    cli_federation = federation.requests[len(sdk_federation):]

    # The /v1/x509 exchange: same target, signed headers, keyId and body keys.
    assert len(sdk_federation) == len(cli_federation) == 1
    s, c = sdk_federation[0], cli_federation[0]
    assert (s["method"], s["target"]) == (c["method"], c["target"]) == ("POST", "/v1/x509")
    assert signed_headers(s) == signed_headers(c) == "date (request-target) content-length content-type x-content-sha256"
    assert key_id(s) == key_id(c) == f"{fakes.TENANCY}/fed-x509/{identity.fingerprint}"
    assert list(json.loads(s["body"])) == list(json.loads(c["body"])) == ["certificate", "publicKey",
                                                                          "intermediateCertificates"]
    for request in (s, c):
        assert fakes.verify(request, identity.leaf_key.public_key())

    # The service call: opc-obo-token carried and signed, keyId ST$<the token each was issued>.
    (sdk_call,), (cli_call,) = sdk_service.requests, cli_service.requests
    assert sdk_call["headers"]["opc-obo-token"] == cli_call["headers"]["opc-obo-token"] == delegation
    assert signed_headers(sdk_call) == signed_headers(cli_call) == "date (request-target) host opc-obo-token"
    for call in (sdk_call, cli_call):
        token = key_id(call)[len("ST$"):]
        assert key_id(call).startswith("ST$") and token in federation.keys
        assert fakes.verify(call, federation.keys[token])


def test_oke_workload_identity_exchanges_the_token_as_the_sdk_does(bin_dir, workdir):
    from oci.auth.rpt_path_providers import SuppliedServiceAccountTokenProvider
    from oci.auth.signers.oke_workload_identity_resource_principal_signer import OkeWorkloadIdentityResourcePrincipalSigner

    tls = fakes.TLSFiles(workdir)
    proxymux = fakes.Proxymux(tls)
    sdk_service, cli_service = fakes.RecordingService(), fakes.RecordingService()
    sa_token = fakes.jwt({"sub": "system:serviceaccount:media:lab", "exp": 4102444800})
    try:
        # The SDK's port is fixed at 12250; its class takes the port, mediactl a variable of its own.
        signer = OkeWorkloadIdentityResourcePrincipalSigner(
            sa_token_provider=SuppliedServiceAccountTokenProvider(token_string=sa_token), sa_cert_path=tls.ca_path,
            service_host="127.0.0.1", service_port=str(proxymux.port), region="us-ashburn-1")
        client = oci.media_services.MediaServicesClient({"region": "us-ashburn-1"}, signer=signer,
                                                        service_endpoint=sdk_service.url)
        client.list_media_workflows(compartment_id=COMPARTMENT)
        sdk_exchange = list(proxymux.requests)

        token_path = os.path.join(workdir, "sa-token")
        open(token_path, "w").write(sa_token)
        r = run_mediactl(bin_dir, ["workflow", "list", "--compartment-id", COMPARTMENT, "--output", "json"], {
            "OCI_CLI_AUTH": "oke_workload_identity", "KUBERNETES_SERVICE_HOST": "127.0.0.1",
            "MEDIACTL_OKE_PROXYMUX_PORT": str(proxymux.port), "OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH": token_path,
            "OCI_KUBERNETES_SERVICE_ACCOUNT_CERT_PATH": tls.ca_path, "OCI_RESOURCE_PRINCIPAL_REGION": "us-ashburn-1",
            "MEDIACTL_ENDPOINT": cli_service.url})
        assert r.returncode == 0, r.stderr
        cli_exchange = proxymux.requests[len(sdk_exchange):]
    finally:
        proxymux.stop()

    assert len(sdk_exchange) == len(cli_exchange) == 1
    s, c = sdk_exchange[0], cli_exchange[0]
    assert (s["method"], s["target"]) == (c["method"], c["target"]) == ("POST", "/resourcePrincipalSessionTokens")
    for name in ("authorization", "content-type"):
        assert s["headers"][name].lower() == c["headers"][name].lower(), name
    assert s["headers"]["authorization"] == c["headers"]["authorization"] == f"Bearer {sa_token}"
    request_id = re.compile(r"^[0-9a-f]{32}/[0-9a-f]{32}/[0-9a-f]{32}$")
    assert request_id.match(s["headers"]["opc-request-id"]) and request_id.match(c["headers"]["opc-request-id"])
    # The body, byte for byte apart from the key itself: {"podKey": "<base64 SubjectPublicKeyInfo DER>"}.
    shape = re.compile(rb'^\{"podKey": "([A-Za-z0-9+/=]+)"\}$')
    for request in (s, c):
        match = shape.match(request["body"])
        assert match, request["body"]
        key = serialization.load_der_public_key(base64.b64decode(match.group(1)))
        assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048

    (sdk_call,), (cli_call,) = sdk_service.requests, cli_service.requests
    assert signed_headers(sdk_call) == signed_headers(cli_call) == "date (request-target) host"
    for call in (sdk_call, cli_call):
        token = key_id(call)[len("ST$"):]
        assert key_id(call).startswith("ST$") and token in proxymux.keys, "keyId is ST$ and the rpst without its prefix"
        assert fakes.verify(call, proxymux.keys[token])


def test_auth_refresh_sends_what_oci_session_refresh_sends(bin_dir, workdir, monkeypatch):
    from click.testing import CliRunner
    from oci_cli import cli_root

    service = fakes.RefreshService()
    key_path = os.path.join(workdir, "session_key.pem")
    key = new_key(key_path)
    current = fakes.session_token(lifetime=900)

    def profile(name):
        token_path = os.path.join(workdir, f"{name}-token")
        open(token_path, "w").write(current)
        config = os.path.join(workdir, f"{name}-config")
        open(config, "w").write(f"[SESSION]\nkey_file={key_path}\nregion=us-ashburn-1\ntenancy={fakes.TENANCY}\n"
                                f"fingerprint=aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99\n"
                                f"security_token_file={token_path}\n")
        os.chmod(config, 0o600)
        return config, token_path

    # oci-cli's own `session refresh`, its auth endpoint (oci.regions.endpoint_for) pointed at the fake.
    sdk_config, sdk_token = profile("sdk")
    monkeypatch.setattr(oci.regions, "endpoint_for", lambda service_name, *a, **k: service.url)
    result = CliRunner().invoke(cli_root.cli, ["--config-file", sdk_config, "--profile", "SESSION", "session", "refresh"])
    assert result.exit_code == 0, result.output
    cli_config, cli_token = profile("cli")
    r = run_mediactl(bin_dir, ["auth", "refresh", "--config-file", cli_config, "--profile", "SESSION",
                               "--auth-endpoint", service.url], {})
    assert r.returncode == 0, r.stderr

    s, c = service.requests
    assert (s["method"], s["target"]) == (c["method"], c["target"]) == ("POST", "/v1/authentication/refresh")
    assert s["body"] == c["body"] == json.dumps({"currentToken": current}).encode()
    assert s["headers"]["content-type"] == c["headers"]["content-type"] == "application/json"
    assert signed_headers(s) == signed_headers(c) == "date (request-target) host content-length content-type x-content-sha256"
    assert key_id(s) == key_id(c) == "ST$" + current
    for request in (s, c):
        assert fakes.verify(request, key.public_key())
    # Both wrote the new token alone (no newline), readable by the owner only.
    assert open(sdk_token).read() == service.issued[0] and open(cli_token).read() == service.issued[1]
    assert stat.S_IMODE(os.stat(sdk_token).st_mode) == stat.S_IMODE(os.stat(cli_token).st_mode) == 0o600
    service.stop()


@pytest.mark.parametrize("version", ["2.1", "2.1.1", "2.1.2"])
def test_resource_principal_v21_fetches_and_signs_as_the_sdk_does(bin_dir, workdir, version):
    from oci.auth.signers.ephemeral_resource_principals_v21_signer import EphemeralResourcePrincipalV21Signer

    service = fakes.ResourcePrincipalTokenService()
    sdk_calls, cli_calls = fakes.RecordingService(), fakes.RecordingService()
    resource = "ocid1.datasciencejob.oc1.iad.aaaaaaaaconformancejob"
    key_path = os.path.join(workdir, "rp_key.pem")
    key = new_key(key_path)
    try:
        signer = EphemeralResourcePrincipalV21Signer(
            resource_principal_token_endpoint=service.url, resource_principal_session_token_endpoint=service.url,
            resource_id=resource, tenancy_id=fakes.TENANCY, private_key=key_path, rp_version=version,
            region="us-ashburn-1", security_context="ctx-1" if version == "2.1.2" else None)
        client = oci.media_services.MediaServicesClient({"region": "us-ashburn-1"}, signer=signer,
                                                        service_endpoint=sdk_calls.url)
        client.list_media_workflows(compartment_id=COMPARTMENT)
        sdk_exchange = list(service.requests)
        env = {"OCI_CLI_AUTH": "resource_principal", "OCI_RESOURCE_PRINCIPAL_VERSION": version,
               "OCI_RESOURCE_PRINCIPAL_RPT_ENDPOINT": service.url, "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT": service.url,
               "OCI_RESOURCE_PRINCIPAL_RESOURCE_ID": resource, "OCI_RESOURCE_PRINCIPAL_TENANCY_ID": fakes.TENANCY,
               "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM": key_path, "OCI_RESOURCE_PRINCIPAL_REGION": "us-ashburn-1",
               "MEDIACTL_ENDPOINT": cli_calls.url}
        if version == "2.1.2":
            env["OCI_RESOURCE_PRINCIPAL_SECURITY_CONTEXT"] = "ctx-1"
        r = run_mediactl(bin_dir, ["workflow", "list", "--compartment-id", COMPARTMENT, "--output", "json"], env)
        assert r.returncode == 0, r.stderr
        cli_exchange = service.requests[len(sdk_exchange):]
    finally:
        service.stop()

    assert len(sdk_exchange) == len(cli_exchange) == 2
    for s, c in zip(sdk_exchange, cli_exchange):
        assert (s["method"], s["target"]) == (c["method"], c["target"])
        assert signed_headers(s) == signed_headers(c)
        assert key_id(s) == key_id(c)
        assert fakes.verify(s, key.public_key()) and fakes.verify(c, key.public_key())
        assert s["headers"].get("security-context") == c["headers"].get("security-context")
    get, post = cli_exchange
    expected_key_id = f"resource/v2.1/{resource}" if version == "2.1" else f"resource/v{version}/{fakes.TENANCY}/{resource}"
    assert key_id(get) == expected_key_id
    assert sdk_exchange[1]["body"] == post["body"], "the exchange body byte for byte (same key, same tokens)"

    (sdk_call,), (cli_call,) = sdk_calls.requests, cli_calls.requests
    assert signed_headers(sdk_call) == signed_headers(cli_call) == "date (request-target) host"
    for call in (sdk_call, cli_call):
        assert key_id(call)[len("ST$"):] in service.keys
        assert fakes.verify(call, key.public_key())


def nested_env(service, key_path, leaf_token, parent_url):
    """Version 3.0 with a 2.2 leaf: the leaf's own token and key, then the first parent's RPT URL and RPST endpoint."""
    return {"OCI_RESOURCE_PRINCIPAL_VERSION": "3.0", "OCI_RESOURCE_PRINCIPAL_VERSION_FOR_LEAF_RESOURCE": "2.2",
            "OCI_RESOURCE_PRINCIPAL_RPST_FOR_LEAF_RESOURCE": leaf_token,
            "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_FOR_LEAF_RESOURCE": key_path,
            "OCI_RESOURCE_PRINCIPAL_REGION_FOR_LEAF_RESOURCE": "us-ashburn-1",
            "OCI_RESOURCE_PRINCIPAL_RPT_URL_FOR_PARENT_RESOURCE": parent_url,
            "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT_FOR_PARENT_RESOURCE": service.url}


@pytest.mark.parametrize("parents", [1, 2])
def test_resource_principal_v30_nests_its_parents_as_the_sdk_does(bin_dir, workdir, monkeypatch, parents):
    """The SDK's get_resource_principals_signer() for "3.0" and mediactl, with the same variables and fakes: the
    same exchanges in the same order (the SDK refreshes each child before its parent's exchange, so two parents
    mean six requests), each signed by the same principal (the leaf's token, or the n-th token the fake issued),
    the same bodies byte for byte, and the call signed with the last parent's token and the leaf's key. The RPT
    URLs have no path: oci 2.189.0's BaseClient refuses an endpoint with one (see the test after this one)."""
    from oci.auth.signers import get_resource_principals_signer

    service, grandparent = fakes.ResourcePrincipalTokenService(), fakes.ResourcePrincipalTokenService()
    sdk_calls, cli_calls = fakes.RecordingService(), fakes.RecordingService()
    key_path = os.path.join(workdir, "leaf_key.pem")
    key = new_key(key_path)
    leaf_token = fakes.session_token(res_tenant=fakes.TENANCY, ptype="resource")
    if parents == 2:
        service.parents["/"] = grandparent.url
    env = nested_env(service, key_path, leaf_token, service.url)
    try:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        signer = get_resource_principals_signer()
        client = oci.media_services.MediaServicesClient({"region": "us-ashburn-1"}, signer=signer,
                                                        service_endpoint=sdk_calls.url)
        client.list_media_workflows(compartment_id=COMPARTMENT)
        sdk_exchange, sdk_issued = list(service.requests), list(service.issued)
        sdk_grandparent = list(grandparent.requests)
        r = run_mediactl(bin_dir, ["workflow", "list", "--compartment-id", COMPARTMENT, "--output", "json"],
                         {**env, "OCI_CLI_AUTH": "resource_principal", "MEDIACTL_ENDPOINT": cli_calls.url})
        assert r.returncode == 0, r.stderr
        cli_exchange, cli_issued = service.requests[len(sdk_exchange):], service.issued[len(sdk_issued):]
        cli_grandparent = grandparent.requests[len(sdk_grandparent):]
    finally:
        service.stop()
        grandparent.stop()

    def signer_of(request, issued):
        kid = key_id(request)[len("ST$"):]
        return "leaf" if kid == leaf_token else issued.index(kid) if kid in issued else kid

    def shape(requests, issued):
        return [(q["method"], q["target"], signer_of(q, issued)) for q in requests]

    first = [("GET", "/", "leaf"), ("POST", "/v1/resourcePrincipalSessionToken", "leaf")]
    if parents == 1:
        assert shape(sdk_exchange, sdk_issued) == shape(cli_exchange, cli_issued) == first
        assert sdk_grandparent == cli_grandparent == []
    else:
        # The second parent's POST goes to the same RPST endpoint, signed by the first parent's second token.
        assert shape(sdk_exchange, sdk_issued) == shape(cli_exchange, cli_issued) == first * 2 + [
            ("POST", "/v1/resourcePrincipalSessionToken", 1)]
        assert shape(sdk_grandparent, sdk_issued) == shape(cli_grandparent, cli_issued) == [("GET", "/", 1)]
    for s, c in zip(sdk_exchange + sdk_grandparent, cli_exchange + cli_grandparent):
        assert signed_headers(s) == signed_headers(c)
        assert fakes.verify(s, key.public_key()) and fakes.verify(c, key.public_key())
        assert s["body"] == c["body"], "the same RPT, SPST and leaf key, so the same bytes"
        for name in ("accept", "content-type"):
            assert s["headers"].get(name) == c["headers"].get(name)

    (sdk_call,), (cli_call,) = sdk_calls.requests, cli_calls.requests
    assert signed_headers(sdk_call) == signed_headers(cli_call) == "date (request-target) host"
    assert key_id(sdk_call) == "ST$" + sdk_issued[-1] and key_id(cli_call) == "ST$" + cli_issued[-1]
    for call in (sdk_call, cli_call):
        assert fakes.verify(call, key.public_key())


def test_resource_principal_v30_takes_an_rpt_url_with_a_path_which_the_sdk_refuses(bin_dir, workdir, monkeypatch):
    """A disagreement: the SDK documents the parent's RPT URL as "the complete URL including API and resource",
    but oci 2.189.0's BaseClient refuses an endpoint with a path. mediactl GETs the URL as given."""
    from oci.auth.signers import get_resource_principals_signer

    service, calls = fakes.ResourcePrincipalTokenService(), fakes.RecordingService()
    key_path = os.path.join(workdir, "leaf_key.pem")
    key = new_key(key_path)
    path = "/20180711/resourcePrincipalToken/ocid1.notebooksession.oc1..aaaaaaaaparent"
    env = nested_env(service, key_path, fakes.session_token(ptype="resource"), service.url + path)
    try:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        with pytest.raises(ValueError, match="must not contain path"):
            get_resource_principals_signer()
        assert service.requests == []
        r = run_mediactl(bin_dir, ["workflow", "list", "--compartment-id", COMPARTMENT],
                         {**env, "OCI_CLI_AUTH": "resource_principal", "MEDIACTL_ENDPOINT": calls.url})
    finally:
        service.stop()
    assert r.returncode == 0, r.stderr
    assert [(q["method"], q["target"]) for q in service.requests] == [("GET", path), ("POST", "/v1/resourcePrincipalSessionToken")]
    (call,) = calls.requests
    assert key_id(call) == "ST$" + service.issued[-1] and fakes.verify(call, key.public_key())


def test_resource_principal_v30_refuses_a_parent_naming_itself_as_the_sdk_does(bin_dir, workdir, monkeypatch):
    from oci.auth.signers import get_resource_principals_signer

    service = fakes.ResourcePrincipalTokenService()
    key_path = os.path.join(workdir, "leaf_key.pem")
    new_key(key_path)
    service.parents["/"] = service.url
    env = nested_env(service, key_path, fakes.session_token(ptype="resource"), service.url)
    try:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        with pytest.raises(AttributeError, match="cycle"):
            get_resource_principals_signer()
        r = run_mediactl(bin_dir, ["workflow", "list", "--compartment-id", COMPARTMENT],
                         {**env, "OCI_CLI_AUTH": "resource_principal", "MEDIACTL_ENDPOINT": "http://127.0.0.1:9"})
    finally:
        service.stop()
    assert r.returncode == 4
    assert r.stderr == (f"error: the parent resource principal at {service.url} names itself in opc-parent-rpt-url: "
                        "the nested resource principals went over the allowed depth of 10, or form a cycle\n")


def test_resource_principal_v30_with_a_21_leaf_signs_with_the_leaf_version_where_the_sdk_fails(bin_dir, workdir, monkeypatch):
    """A disagreement, not a match: oci 2.189.0 builds a 2.1.x leaf with rp_version "3.0", which its KeyPairSigner
    refuses. mediactl builds the leaf as that version's own signer would (keyId resource/v2.1.1/…)."""
    from oci.auth.signers import get_resource_principals_signer
    from oci.exceptions import InvalidResourcePrincipalArguments

    leaf, parent = fakes.ResourcePrincipalTokenService(), fakes.ResourcePrincipalTokenService()
    calls = fakes.RecordingService()
    key_path = os.path.join(workdir, "leaf_key.pem")
    key = new_key(key_path)
    resource = "ocid1.datasciencejob.oc1.iad.aaaaaaaaconformancejob"
    env = {"OCI_RESOURCE_PRINCIPAL_VERSION": "3.0", "OCI_RESOURCE_PRINCIPAL_VERSION_FOR_LEAF_RESOURCE": "2.1.1",
           "OCI_RESOURCE_PRINCIPAL_RPT_ENDPOINT_FOR_LEAF_RESOURCE": leaf.url,
           "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT_FOR_LEAF_RESOURCE": leaf.url,
           "OCI_RESOURCE_PRINCIPAL_RESOURCE_ID_FOR_LEAF_RESOURCE": resource,
           "OCI_RESOURCE_PRINCIPAL_TENANCY_ID_FOR_LEAF_RESOURCE": fakes.TENANCY,
           "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_FOR_LEAF_RESOURCE": key_path,
           "OCI_RESOURCE_PRINCIPAL_RPT_URL_FOR_PARENT_RESOURCE": parent.url,
           "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT_FOR_PARENT_RESOURCE": parent.url}
    try:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        with pytest.raises(InvalidResourcePrincipalArguments):
            get_resource_principals_signer()
        assert leaf.requests == [] and parent.requests == []
        r = run_mediactl(bin_dir, ["workflow", "list", "--compartment-id", COMPARTMENT],
                         {**env, "OCI_CLI_AUTH": "resource_principal", "MEDIACTL_ENDPOINT": calls.url})
    finally:
        leaf.stop()
        parent.stop()
    assert r.returncode == 0, r.stderr
    # The leaf's exchange twice (its own start, then the parent's refresh of it), then the parent's.
    assert [(q["method"], q["target"]) for q in leaf.requests] == [
        ("GET", f"/20180711/resourcePrincipalTokenV2/{resource}"), ("POST", "/v1/resourcePrincipalSessionToken")] * 2
    assert {key_id(q) for q in leaf.requests} == {f"resource/v2.1.1/{fakes.TENANCY}/{resource}"}
    assert [key_id(q) for q in parent.requests] == ["ST$" + leaf.issued[-1]] * 2
    (call,) = calls.requests
    assert key_id(call) == "ST$" + parent.issued[-1]
    for q in leaf.requests + parent.requests + [call]:
        assert fakes.verify(q, key.public_key())


@pytest.mark.parametrize("region,realm_specific,dual_stack", [
    ("us-ashburn-1", False, False), ("us-ashburn-1", True, False), ("us-ashburn-1", False, True),
    ("us-ashburn-1", True, True), ("us-langley-1", True, True), ("eu-frankfurt-2", False, True)])
def test_object_storage_endpoints_are_formed_as_the_sdk_forms_them(bin_dir, workdir, region, realm_specific, dual_stack):
    """Both go through a loopback "proxy" that records the CONNECT target (the host the endpoint names) and refuses it."""
    trap = fakes.ConnectTrap()
    key_path = os.path.join(workdir, "api_key.pem")
    key = new_key(key_path)
    import hashlib
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    fingerprint = ":".join(f"{b:02x}" for b in hashlib.md5(der).digest())
    try:
        signer = oci.signer.Signer(fakes.TENANCY, "ocid1.user.oc1..aaaaaaaaconformance", fingerprint, key_path)
        config = {"region": region, "user": "ocid1.user.oc1..aaaaaaaaconformance", "tenancy": fakes.TENANCY,
                  "fingerprint": fingerprint, "key_file": key_path}
        client = oci.object_storage.ObjectStorageClient(
            config, signer=signer, client_level_realm_specific_endpoint_template_enabled=realm_specific,
            client_level_dualstack_endpoints_enabled=dual_stack)
        client.base_client.session.proxies = {"https": trap.url}
        with pytest.raises(Exception):
            client.list_objects("mynamespace", "media-in", retry_strategy=oci.retry.NoneRetryStrategy())
        sdk_targets = [r["target"] for r in trap.requests]

        env = {"OCI_CLI_USER": "ocid1.user.oc1..aaaaaaaaconformance", "OCI_CLI_TENANCY": fakes.TENANCY,
               "OCI_CLI_FINGERPRINT": fingerprint, "OCI_CLI_KEY_FILE": key_path, "OCI_CLI_REGION": region}
        args = ["object", "ls", "--namespace", "mynamespace", "--bucket", "media-in", "--proxy", trap.url, "--max-retries", "0"]
        args += ["--realm-specific-endpoint"] if realm_specific else []
        args += ["--enable-dual-stack"] if dual_stack else []
        r = run_mediactl(bin_dir, args, env)
        assert r.returncode != 0, r.stderr
        cli_targets = [r["target"] for r in trap.requests][len(sdk_targets):]
    finally:
        trap.stop()
    assert len(sdk_targets) == 1 and cli_targets == sdk_targets, (sdk_targets, cli_targets)


@pytest.mark.parametrize("dual_stack", [False, True])
def test_realm_specific_endpoints_label_every_call_naming_the_namespace_as_the_sdk_does(bin_dir, workdir, monkeypatch, dual_stack):
    """With realm-specific endpoints and no --namespace: the SDK's get_namespace goes to the bare host, and the
    list_objects naming that namespace to NAMESPACE.objectstorage…; mediactl looks the namespace up and lists
    the same way. A tunnel plays the bare host (answering the namespace) and refuses the labelled one."""
    # requests prefers these variables to the session's own `verify`.
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    ds = "ds." if dual_stack else ""
    bare = f"objectstorage.us-ashburn-1.{ds}oci.customer-oci.com"
    tls = fakes.TLSFiles(workdir, name="objectstorage", dns_names=[bare, "mynamespace." + bare])
    tunnel = fakes.AnsweringTunnel(tls, {bare: b'"mynamespace"'})
    key_path = os.path.join(workdir, "api_key.pem")
    key = new_key(key_path)
    import hashlib
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    fingerprint = ":".join(f"{b:02x}" for b in hashlib.md5(der).digest())
    user = "ocid1.user.oc1..aaaaaaaaconformance"
    try:
        config = {"region": "us-ashburn-1", "user": user, "tenancy": fakes.TENANCY, "fingerprint": fingerprint,
                  "key_file": key_path}
        client = oci.object_storage.ObjectStorageClient(
            config, signer=oci.signer.Signer(fakes.TENANCY, user, fingerprint, key_path),
            client_level_realm_specific_endpoint_template_enabled=True, client_level_dualstack_endpoints_enabled=dual_stack)
        client.base_client.session.proxies = {"https": tunnel.url}
        client.base_client.session.verify = tls.ca_path
        namespace = client.get_namespace(retry_strategy=oci.retry.NoneRetryStrategy()).data
        assert namespace == "mynamespace"
        with pytest.raises(Exception):
            client.list_objects(namespace, "media-in", retry_strategy=oci.retry.NoneRetryStrategy())
        sdk_connects, sdk_requests = list(tunnel.connects), list(tunnel.requests)

        env = {"OCI_CLI_USER": user, "OCI_CLI_TENANCY": fakes.TENANCY, "OCI_CLI_FINGERPRINT": fingerprint,
               "OCI_CLI_KEY_FILE": key_path, "OCI_CLI_REGION": "us-ashburn-1"}
        args = ["object", "ls", "--bucket", "media-in", "--realm-specific-endpoint", "--proxy", tunnel.url,
                "--ca-bundle", tls.ca_path, "--max-retries", "0"] + (["--enable-dual-stack"] if dual_stack else [])
        r = run_mediactl(bin_dir, args, env)
        cli_connects, cli_requests = tunnel.connects[len(sdk_connects):], tunnel.requests[len(sdk_requests):]
    finally:
        tunnel.stop()
    assert r.returncode != 0 and "mynamespace." + bare in r.stderr, r.stderr
    assert sdk_connects == cli_connects == [bare + ":443", "mynamespace." + bare + ":443"], (sdk_connects, cli_connects)
    (s,), (c,) = sdk_requests, cli_requests
    assert (s["method"], s["headers"]["host"]) == (c["method"], c["headers"]["host"]) == ("GET", bare)
    assert s["target"] == c["target"] == "/n"
