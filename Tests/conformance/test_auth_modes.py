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
