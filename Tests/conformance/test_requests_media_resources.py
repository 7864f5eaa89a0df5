"""The Media Services and Media Stream operations issue 17 adds (direction 1): workflow configurations, system
workflows and task declarations, assets of any type and their channel attachments, CDN and packaging configs on an
existing channel, the signed generatePlaylist and session tokens with chosen scopes. Each row: the SDK call and the
mediactl command for the same operation, with the same inputs, both through the recorder in front of the emulator.
"""
import datetime
import json

import oci
import pytest

from harness import Case, compare
# The module's SDK client, resources and request models, shared with the first table (a fresh instance per module).
from test_requests_media_services import ctx, model, asset_details, PLAYLIST, KMS_KEY  # noqa: F401 (ctx is a fixture)

MS = "MediaServicesClient"
STREAM = "MediaStreamClient"
M = oci.media_services.models

CONFIG_PARAMETERS = {"video": {"dstBucket": "media-out", "height": 720}, "transcode": {"outputPrefix": "cfg ü/"}}


def new_configuration(h, name="fixture"):
    return h.ms.create_media_workflow_configuration(M.CreateMediaWorkflowConfigurationDetails(
        display_name=name, compartment_id=h.compartment, parameters=CONFIG_PARAMETERS)).data.id


def ingested(h, asset):
    """An attachment of `asset` to the module's channel (the emulator attaches on every ingest)."""
    h.ms.ingest_stream_distribution_channel(h.channel, M.AssetMetadataEntryDetails(
        ingest_payload_type="ASSET_METADATA_MEDIA_ASSET", media_asset_id=asset, compartment_id=h.compartment))
    return asset


@pytest.fixture(scope="module")
def rctx(ctx):  # noqa: F811 (the imported fixture)
    ctx.configuration = ctx.name(new_configuration(ctx), "configuration")
    ingested(ctx, ctx.asset)
    ctx.domain = ctx.ms.get_stream_distribution_channel(ctx.channel).data.domain_name
    ctx.stream = oci.media_services.MediaStreamClient(ctx.config, service_endpoint=f"http://{ctx.domain}")
    ctx.params_file = ctx.home / "config-params.json"
    ctx.params_file.write_text(json.dumps(CONFIG_PARAMETERS, ensure_ascii=False))
    return ctx


def prepared_pair(make_one, placeholder):
    """Each side works on a resource of its own, made before and outside both captures, both shown as {placeholder}."""
    def prepare(h):
        return h.name(make_one(h), placeholder), h.name(make_one(h), placeholder)
    return prepare


def fresh_attachment(h):
    return ingested(h, h.ms.create_media_asset(asset_details(h, "doomed")).data.id)


AKAMAI = dict(origin_auth_sign_type="ForwardURL", origin_auth_sign_encryption="SHA256-HMAC",
              origin_auth_secret_key_a="secret-a", origin_auth_secret_key_nonce_a="nonce-a",
              origin_auth_secret_key_b="secret-b", origin_auth_secret_key_nonce_b="nonce-b",
              edge_hostname="media.example.com", edge_path_prefix="/live", is_edge_token_auth=True,
              edge_token_key="token-key", edge_token_salt="salt")
AKAMAI_ARGV = ["--type", "AKAMAI_MANUAL", "--origin-auth-sign-type", "ForwardURL", "--origin-auth-sign-encryption", "SHA256-HMAC",
               "--origin-auth-secret-key-a", "secret-a", "--origin-auth-secret-key-nonce-a", "nonce-a",
               "--origin-auth-secret-key-b", "secret-b", "--origin-auth-secret-key-nonce-b", "nonce-b",
               "--edge-hostname", "media.example.com", "--edge-path-prefix", "/live", "--edge-token-auth", "true",
               "--edge-token-key", "token-key", "--edge-token-salt", "salt"]


def any_asset_details(h):
    return M.CreateMediaAssetDetails(
        compartment_id=h.compartment, display_name="clip ü", type="VIDEO", bucket_name="media-in", namespace_name=h.namespace,
        object_name="in/clip.mp4", object_etag="etag-1", parent_media_asset_id=h.asset, master_media_asset_id=h.asset,
        source_media_workflow_id=h.workflow, source_media_workflow_version=1, media_workflow_job_id=h.job,
        segment_range_start_index=0, segment_range_end_index=9,
        metadata=[M.Metadata(metadata='{"lang": "en"}')],
        media_asset_tags=[M.MediaAssetTag(type="USER", value="thumb"), M.MediaAssetTag(type="SYSTEM", value="sys")])


def any_asset_argv(h):
    return ["asset", "create", "--compartment-id", h.compartment, "--name", "clip ü", "--type", "VIDEO", "--bucket", "media-in",
            "--namespace", h.namespace, "--object", "in/clip.mp4", "--object-etag", "etag-1", "--parent-asset-id", h.asset,
            "--master-asset-id", h.asset, "--source-workflow-id", h.workflow, "--source-workflow-version", "1", "--job-id", h.job,
            "--segment-start", "0", "--segment-end", "9", "--metadata", '{"lang": "en"}', "--asset-tag", "thumb",
            "--asset-tag", "SYSTEM:sys"]


CASES = [
    # media workflow configurations
    Case(MS, "create_media_workflow_configuration",
         lambda h: h.ms.create_media_workflow_configuration(M.CreateMediaWorkflowConfigurationDetails(
             display_name="conformance", compartment_id=h.compartment, parameters=CONFIG_PARAMETERS)),
         lambda h: ["workflow-config", "create", "--compartment-id", h.compartment, "--name", "conformance",
                    "--parameters-file", str(h.params_file)]),
    Case(MS, "create_media_workflow_configuration",
         lambda h: h.ms.create_media_workflow_configuration(M.CreateMediaWorkflowConfigurationDetails(
             display_name="inline", compartment_id=h.compartment, parameters=CONFIG_PARAMETERS)),
         lambda h: ["workflow-config", "create", "--compartment-id", h.compartment, "--name", "inline",
                    "--parameter", "video.dstBucket=media-out", "--parameter", "video.height:=720",
                    "--parameter", "transcode.outputPrefix=cfg ü/"]),
    Case(MS, "get_media_workflow_configuration", lambda h: h.ms.get_media_workflow_configuration(h.configuration),
         lambda h: ["workflow-config", "get", h.configuration]),
    Case(MS, "list_media_workflow_configurations",
         lambda h: h.ms.list_media_workflow_configurations(compartment_id=h.compartment, lifecycle_state="ACTIVE",
                                                           display_name="fixture", limit=5),
         lambda h: ["workflow-config", "list", "--compartment-id", h.compartment, "--state", "ACTIVE", "--name", "fixture",
                    "--limit", "5"]),
    Case(MS, "update_media_workflow_configuration",
         lambda h: h.ms.update_media_workflow_configuration(h.configuration, M.UpdateMediaWorkflowConfigurationDetails(
             display_name="renamed", parameters=CONFIG_PARAMETERS)),
         lambda h: ["workflow-config", "update", h.configuration, "--name", "renamed", "--parameters-file", str(h.params_file)]),
    Case(MS, "delete_media_workflow_configuration", lambda h: h.ms.delete_media_workflow_configuration(h.prep[0]),
         lambda h: ["workflow-config", "delete", h.prep[1], "--yes"], prepare=prepared_pair(new_configuration, "doomed")),
    # the service's catalogues
    Case(MS, "list_system_media_workflows",
         lambda h: h.ms.list_system_media_workflows(compartment_id=h.compartment, name="emulator-transcode-hls",
                                                    sort_order="ASC", limit=5),
         lambda h: ["workflow", "list-system", "--compartment-id", h.compartment, "--name", "emulator-transcode-hls",
                    "--sort-order", "ASC", "--limit", "5"]),
    Case(MS, "list_media_workflow_task_declarations",
         lambda h: h.ms.list_media_workflow_task_declarations(compartment_id=h.compartment, name="transcode", is_current=True,
                                                              sort_by="version", sort_order="DESC", limit=5),
         lambda h: ["task-declaration", "list", "--compartment-id", h.compartment, "--name", "transcode", "--is-current", "true",
                    "--sort-by", "version", "--sort-order", "DESC", "--limit", "5"]),
    Case(MS, "list_media_workflow_task_declarations",
         lambda h: h.ms.list_media_workflow_task_declarations(compartment_id=h.compartment, name="getFiles", version=1),
         lambda h: ["task-declaration", "list", "--compartment-id", h.compartment, "--name", "getFiles", "--version", "1"]),
    # assets of any type, and their channel attachments
    Case(MS, "create_media_asset", lambda h: h.ms.create_media_asset(any_asset_details(h)), any_asset_argv),
    Case(MS, "get_media_asset_distribution_channel_attachment",
         lambda h: h.ms.get_media_asset_distribution_channel_attachment(h.asset, h.channel, version=1),
         lambda h: ["asset", "attachment", "get", h.asset, "--channel-id", h.channel, "--version", "1"]),
    Case(MS, "list_media_asset_distribution_channel_attachments",
         lambda h: h.ms.list_media_asset_distribution_channel_attachments(h.asset, distribution_channel_id=h.channel,
                                                                          sort_by="version", sort_order="DESC", limit=5),
         lambda h: ["asset", "attachment", "list", h.asset, "--channel-id", h.channel, "--sort-by", "version",
                    "--sort-order", "DESC", "--limit", "5"]),
    Case(MS, "delete_media_asset_distribution_channel_attachment",
         lambda h: h.ms.delete_media_asset_distribution_channel_attachment(h.prep[0], h.channel, version=1),
         lambda h: ["asset", "attachment", "delete", h.prep[1], "--channel-id", h.channel, "--version", "1", "--yes"],
         prepare=prepared_pair(fresh_attachment, "doomed")),
    # CDN and packaging configs on an existing channel
    Case(MS, "create_stream_cdn_config",
         lambda h: h.ms.create_stream_cdn_config(M.CreateStreamCdnConfigDetails(
             display_name="edge", distribution_channel_id=h.channel, is_enabled=True, config=M.EdgeStreamCdnConfig(type="EDGE"))),
         lambda h: ["cdn-config", "create", "--channel-id", h.channel, "--name", "edge", "--enabled", "true"]),
    Case(MS, "create_stream_cdn_config",
         lambda h: h.ms.create_stream_cdn_config(M.CreateStreamCdnConfigDetails(
             display_name="akamai", distribution_channel_id=h.channel, is_enabled=False,
             config=M.AkamaiManualStreamCdnConfig(type="AKAMAI_MANUAL", **AKAMAI))),
         lambda h: ["cdn-config", "create", "--channel-id", h.channel, "--name", "akamai", "--enabled", "false", *AKAMAI_ARGV]),
    Case(MS, "create_stream_packaging_config",
         lambda h: h.ms.create_stream_packaging_config(M.CreateStreamPackagingConfigDetails(
             distribution_channel_id=h.channel, display_name="dash", stream_packaging_format="DASH", segment_time_in_seconds=6,
             encryption=M.StreamPackagingConfigEncryptionAes128(algorithm="AES128", kms_key_id=KMS_KEY))),
         lambda h: ["packaging-config", "create", "--channel-id", h.channel, "--name", "dash", "--format", "DASH",
                    "--segment-seconds", "6", "--encryption", "AES128", "--kms-key-id", KMS_KEY]),
    Case(MS, "create_stream_packaging_config",
         lambda h: h.ms.create_stream_packaging_config(M.CreateStreamPackagingConfigDetails(
             distribution_channel_id=h.channel, display_name="hls", stream_packaging_format="HLS", segment_time_in_seconds=20,
             encryption=M.StreamPackagingConfigEncryptionNone(algorithm="NONE"))),
         lambda h: ["packaging-config", "create", "--channel-id", h.channel, "--name", "hls"]),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.operation)
def test_request_matches_the_sdk(rctx, judge, case):
    rctx.check(judge, case)


def test_workflow_with_configurations_matches_the_sdk(rctx, judge):
    """`workflow build --configuration-id` (twice): the lab's workflow naming two configurations, as the SDK creates it."""
    second = rctx.name(new_configuration(rctx, "second"), "second_configuration")
    with rctx.recorder.capture() as m_got:
        rctx.mediactl(["workflow", "build", "--compartment-id", rctx.compartment, "--name", "configured",
                       "--configuration-id", rctx.configuration, "--configuration-id", second])
    with rctx.recorder.capture() as sdk_got:
        rctx.ms.create_media_workflow(model(rctx, dict(rctx.template, compartmentId=rctx.compartment, displayName="configured",
                                                       mediaWorkflowConfigurationIds=[rctx.configuration, second]),
                                            "CreateMediaWorkflowDetails"))
    compare(judge, MS, "create_media_workflow", "mediactl workflow build", sdk_got, m_got, rctx.placeholders)


def test_ingest_of_an_existing_asset_matches_the_sdk(rctx, judge):
    """`ingest --asset-id` ingests the asset as it is (no new asset): ingest_stream_distribution_channel alone."""
    asset = rctx.name(rctx.ms.create_media_asset(asset_details(rctx, "existing")).data.id, "existing_asset")
    with rctx.recorder.capture() as m_got:
        rctx.mediactl(["ingest", "--channel-id", rctx.channel, "--asset-id", asset, "--compartment-id", rctx.compartment,
                       "--no-wait"])
    assert not [r for r in m_got if r.method == "POST" and r.path.endswith("/mediaAssets")]
    with rctx.recorder.capture() as sdk_got:
        rctx.ms.ingest_stream_distribution_channel(rctx.channel, M.AssetMetadataEntryDetails(
            ingest_payload_type="ASSET_METADATA_MEDIA_ASSET", media_asset_id=asset, compartment_id=rctx.compartment))
    compare(judge, MS, "ingest_stream_distribution_channel", "mediactl ingest", sdk_got, m_got, rctx.placeholders)


@pytest.mark.parametrize("with_channel", [True, False], ids=["channel-given", "channel-from-packaging-config"])
def test_generate_playlist_matches_the_sdk(rctx, judge, with_channel):
    """`channel generate-playlist` sends the signed GeneratePlaylist to the channel's domain (named, or the packaging
    config's channel), as MediaStreamClient.generate_playlist does there; the bytes land in --file as sent."""
    target = rctx.home / ("playlist-%s.m3u8" % with_channel)
    argv = ["channel", "generate-playlist", "--asset-id", rctx.asset, "--packaging-config-id", rctx.packaging,
            "--file", str(target)] + (["--channel-id", rctx.channel] if with_channel else [])
    with rctx.recorder.capture() as m_got:
        rctx.mediactl(argv)
    with rctx.recorder.capture() as sdk_got:
        body = rctx.stream.generate_playlist(rctx.packaging, rctx.asset).data.content
    playlists = [r for r in m_got if r.path.endswith("/actions/generatePlaylist")]
    compare(judge, STREAM, "generate_playlist", "mediactl channel generate-playlist", sdk_got, playlists, rctx.placeholders)
    # Each signed playlist carries a token issued for it: the same playlist but for that.
    import re
    untokened = lambda b: re.sub(rb"token=[^&\s\"]+", b"token=T", b)
    assert untokened(target.read_bytes()) == untokened(body) and body.startswith(b"#EXTM3U")


def test_session_token_with_scopes_assets_and_expiry_matches_the_sdk(rctx, judge):
    """`session-token create` with one scope, two assets and a fixed expiry: the SDK's generate_session_token body."""
    import requestdiff
    second = rctx.name(rctx.ms.create_media_asset(asset_details(rctx, "second")).data.id, "second_asset")
    expires = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    with rctx.recorder.capture() as m_got:
        out = rctx.mediactl(["session-token", "create", "--packaging-config-id", rctx.packaging, "--channel-id", rctx.channel,
                             "--asset-id", rctx.asset, "--asset-id", second, "--scope", "PLAYLIST",
                             "--expires", "2030-01-01T00:00:00Z"])
    with rctx.recorder.capture() as sdk_got:
        rctx.stream.generate_session_token(M.GenerateSessionTokenDetails(
            packaging_config_id=rctx.packaging, asset_ids=[rctx.asset, second], scopes=["PLAYLIST"], time_expires=expires))
    tokens = [r for r in m_got if r.path.endswith("/actions/generateSessionToken")]
    compare(judge, STREAM, "generate_session_token", "mediactl session-token create", sdk_got, tokens, rctx.placeholders)
    ours, theirs = requestdiff.rfc3339_times(tokens[0]), requestdiff.rfc3339_times(sdk_got[0])
    assert ours["body/timeExpires"] == theirs["body/timeExpires"] == expires
    assert json.loads(out.stdout)["token"]
