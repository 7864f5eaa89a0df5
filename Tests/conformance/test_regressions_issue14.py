"""Regression tests for issue 14's defects that need an official SDK: the SDK against mediactl-emulator, and the
SDK and mediactl reading the same config file. (The Swift regression tests are beside similar Swift tests:
OCIDTypeTests, ContentTypeParameterTests, PlaybackFidelityTests, ConfigparserCompatibilityTests,
VonageFidelityTests.) Every server here is the emulator fixture on 127.0.0.1."""
import os
import pathlib
import subprocess
import tempfile

import oci
import opentok
import pytest
import requests


def mediactl(bin_dir, emulator, args, env=None, config_file=None):
    """The mediactl binary with the environment `mediactl emulator start` exports."""
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(emulator.state),
            "XDG_CONFIG_HOME": str(emulator.state / "xdg-config"), "XDG_STATE_HOME": str(emulator.state / "xdg-state"),
            "OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING": "True"}
    full.update(emulator.env())
    if config_file is not None:
        full["OCI_CLI_CONFIG_FILE"] = str(config_file)
    full.update(env or {})
    return subprocess.run([str(bin_dir / "mediactl")] + args, env=full, capture_output=True, text=True, timeout=120)


def oci_config(emulator, path=None):
    return oci.config.from_file(str(path or emulator.config_file), emulator.profile)


def no_retry():
    return oci.retry.NoneRetryStrategy()


@pytest.fixture(scope="module")
def stream(bin_dir, emulator):
    """A channel, its packaging config and an ingested asset, made by mediactl against the emulator."""
    built = mediactl(bin_dir, emulator, ["channel", "build", "--output", "id"])
    assert built.returncode == 0, built.stderr
    channel, _cdn, packaging = built.stdout.split()
    ingest = mediactl(bin_dir, emulator, ["ingest", "--channel-id", channel, "--bucket", "out",
                                          "--object", "sdk_test/clip.mp4/run1-master.m3u8", "--output", "id"])
    assert ingest.returncode == 0, ingest.stderr
    return {"channel": channel, "packaging": packaging, "asset": ingest.stdout.strip()}


# Defect 1: the OCIDs the SDK gets from the emulator are the service's types, and mediactl takes them.

def test_the_sdk_gets_the_services_ocid_types_and_mediactl_takes_them(bin_dir, emulator):
    client = oci.media_services.MediaServicesClient(oci_config(emulator), service_endpoint=emulator.endpoint,
                                                    retry_strategy=no_retry())
    compartment = emulator.env()["MEDIACTL_COMPARTMENT_ID"]
    channel = client.create_stream_distribution_channel(
        oci.media_services.models.CreateStreamDistributionChannelDetails(compartment_id=compartment,
                                                                         display_name="issue14")).data
    assert channel.id.split(".")[1] == "streamdistributionchannel"
    config = client.create_stream_packaging_config(
        oci.media_services.models.CreateStreamPackagingConfigDetails(
            distribution_channel_id=channel.id, display_name="hls", stream_packaging_format="HLS",
            segment_time_in_seconds=6)).data
    assert config.id.split(".")[1] == "streampackagingconfig"
    listed = mediactl(bin_dir, emulator, ["packaging-config", "list", "--output", "id"],
                      env={"MEDIACTL_CHANNEL_ID": channel.id})
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split() == [config.id]


# Defect 2: opentok-python's create_session() against the emulator (it demands exactly application/json).

def test_opentok_python_creates_sessions_on_the_emulator(emulator):
    env = emulator.env()
    client = opentok.Client(env["OPENTOK_API_KEY"], env["OPENTOK_API_SECRET"], api_url=env["OPENTOK_API_URL"])
    relayed = client.create_session()
    routed = client.create_session(media_mode=opentok.MediaModes.routed, archive_mode=opentok.ArchiveModes.always)
    assert relayed.session_id and routed.session_id and relayed.session_id != routed.session_id
    archives = client.list_archives(session_id=routed.session_id)
    assert archives.count == 0


def test_every_emulator_json_answer_is_exactly_application_json(emulator):
    env = emulator.env()
    client = opentok.Client(env["OPENTOK_API_KEY"], env["OPENTOK_API_SECRET"], api_url=env["OPENTOK_API_URL"])
    headers = client.get_headers()
    created = requests.post(env["OPENTOK_API_URL"] + "/session/create", headers=headers,
                            data={"p2p.preference": "disabled", "archiveMode": "manual", "e2ee": "false"}, timeout=10)
    assert created.status_code == 200 and created.headers["Content-Type"] == "application/json"
    listed = requests.get(f"{env['OPENTOK_API_URL']}/v2/project/{env['OPENTOK_API_KEY']}/archive",
                          headers=client.get_json_headers(), timeout=10)
    assert listed.status_code == 200 and listed.headers["Content-Type"] == "application/json", listed.text
    missing = requests.get(f"{env['OPENTOK_API_URL']}/v2/project/{env['OPENTOK_API_KEY']}/archive/nope",
                           headers=client.get_json_headers(), timeout=10)
    assert missing.status_code == 404 and missing.headers["Content-Type"] == "application/json"


# Defects 3 and 4: MediaStreamClient.generate_playlist signs and leaves the token out; the playlist plays.

def uris(text):
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def follow(endpoint, master_text):
    """Master -> every variant -> every segment, unsigned, with the token each link carries."""
    variants = uris(master_text)
    assert len(variants) == 2
    segments = 0
    for variant in variants:
        assert variant.startswith("/20211101/hls/") and "token=" in variant, variant
        playlist = requests.get(endpoint + variant, timeout=10)
        assert playlist.status_code == 200, variant
        for segment in uris(playlist.text):
            got = requests.get(endpoint + segment, timeout=10)
            assert got.status_code == 200 and got.content[:1] == b"\x47" and len(got.content) % 188 == 0
            assert requests.get(endpoint + segment.split("?")[0], timeout=10).status_code == 401
            segments += 1
    return segments


def test_generate_playlist_signed_by_the_sdk_without_a_token_plays(emulator, stream):
    client = oci.media_services.MediaStreamClient(oci_config(emulator), service_endpoint=emulator.endpoint,
                                                  retry_strategy=no_retry())
    response = client.generate_playlist(stream["packaging"], stream["asset"])
    assert response.status == 200
    text = response.data.content.decode()
    assert text.startswith("#EXTM3U\n")
    assert follow(emulator.endpoint, text) == 2


def test_generate_playlist_with_a_wrong_token_or_unsigned_without_one_is_refused(emulator, stream):
    client = oci.media_services.MediaStreamClient(oci_config(emulator), service_endpoint=emulator.endpoint,
                                                  retry_strategy=no_retry())
    with pytest.raises(oci.exceptions.ServiceError) as refused:
        client.generate_playlist(stream["packaging"], stream["asset"], token="wrong")
    assert refused.value.status == 401
    unsigned = requests.get(emulator.endpoint + "/20211101/actions/generatePlaylist",
                            params={"mediaAssetId": stream["asset"], "streamPackagingConfigId": stream["packaging"]},
                            timeout=10)
    assert unsigned.status_code == 401


def test_the_sdks_session_token_plays_unsigned(emulator, stream):
    client = oci.media_services.MediaStreamClient(oci_config(emulator), service_endpoint=emulator.endpoint,
                                                  retry_strategy=no_retry())
    token = client.generate_session_token(oci.media_services.models.GenerateSessionTokenDetails(
        packaging_config_id=stream["packaging"], scopes=["PLAYLIST"], asset_ids=[stream["asset"]])).data.token
    master = requests.get(emulator.endpoint + "/20211101/actions/generatePlaylist",
                          params={"mediaAssetId": stream["asset"], "streamPackagingConfigId": stream["packaging"],
                                  "token": token}, timeout=10)
    assert master.status_code == 200
    assert follow(emulator.endpoint, master.text) == 2


# Defect 5: a config file saved on Windows; the SDK and mediactl read the same bytes the same way.

def variants_of(text):
    crlf = text.replace("\n", "\r\n")
    indented = text.replace("\nuser=", "\n  user = ").replace("\nfingerprint=", "\n  fingerprint = ") \
        .replace("\nkey_file=", "\n  key_file = ").replace("\ntenancy=", "\n  tenancy = ").replace("\nregion=", "\n  region = ")
    return {
        "crlf": crlf.encode(),
        "cr": text.replace("\n", "\r").encode(),
        "crlf, comments, key: value": ("; edited on Windows\r\n" + crlf.replace("region=", "# a comment\r\nregion: ")).encode(),
        "indented keys": indented.encode(),
    }


@pytest.mark.parametrize("name", ["crlf", "cr", "crlf, comments, key: value", "indented keys"])
def test_the_sdk_and_mediactl_read_a_windows_config_alike(bin_dir, emulator, name):
    lf = emulator.config_file.read_text()
    data = variants_of(lf)[name]
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "config"
        path.write_bytes(data)
        os.chmod(path, 0o600)
        assert oci_config(emulator, path) == oci_config(emulator)  # the SDK reads the same profile
        listed = mediactl(bin_dir, emulator, ["channel", "list", "--output", "json"], config_file=path)
        assert listed.returncode == 0, listed.stderr  # signed with that profile; the emulator verified it


def test_a_byte_order_mark_mediactl_reads_and_the_sdk_refuses(bin_dir, emulator):
    """A documented leniency (docs: INIFile.lines): configparser keeps a BOM and finds no section header."""
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "config"
        path.write_bytes(b"\xef\xbb\xbf" + emulator.config_file.read_text().replace("\n", "\r\n").encode())
        os.chmod(path, 0o600)
        with pytest.raises(Exception):
            oci_config(emulator, path)
        listed = mediactl(bin_dir, emulator, ["channel", "list", "--output", "json"], config_file=path)
        assert listed.returncode == 0, listed.stderr
