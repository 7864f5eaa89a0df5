"""mediactl's Media Services and Media Stream requests against oci 2.189.0's (issue 14, direction 1).

One row per operation mediactl performs: the SDK call a user would write and the mediactl command that does the same
thing, with the same inputs, both through the recorder in front of a real emulator (harness.Harness.check).
"""
import json

import oci
import pytest

from harness import Case, oci_harness

MS = "MediaServicesClient"
STREAM = "MediaStreamClient"
M = oci.media_services.models


@pytest.fixture(scope="module")
def ctx(recorder, bin_dir, emulator):
    h = oci_harness(recorder, bin_dir, emulator)
    env = h.env
    config = oci.config.from_file(str(emulator.config_file), emulator.profile)
    # The SDK as a user gets it: default retry strategy (so opc-retry-token on creates), pointed at the recorder.
    h.ms = oci.media_services.MediaServicesClient(config, service_endpoint=recorder.http)
    h.os = oci.object_storage.ObjectStorageClient(config, service_endpoint=recorder.http)
    h.config = config
    h.compartment = h.name(env["MEDIACTL_COMPARTMENT_ID"], "compartment")
    h.namespace = env["MEDIACTL_NAMESPACE"]
    # The lab job's source video: `job run` checks it exists (HEAD) before it creates the job.
    h.os.put_object(h.namespace, LAB_JOB["source_bucket"], LAB_JOB["video"], b"source video bytes")
    h.template = json.loads(h.mediactl(["workflow", "template"]).stdout)
    h.new = lambda kind: make(h, kind)
    h.workflow = h.name(h.new("workflow"), "workflow")
    h.job = h.name(h.new("job"), "job")
    h.channel = h.name(h.new("channel"), "channel")
    h.cdn = h.name(h.new("cdn"), "cdn")
    h.packaging = h.name(h.new("packaging"), "packaging")
    h.asset = h.name(h.new("asset"), "asset")
    return h


def model(h, data, type_name):
    """A request-details model from API JSON, as the SDK itself deserialises it (camelCase keys, nested models)."""
    return h.ms.base_client.deserialize_response_data(json.dumps(data).encode(), type_name)


def workflow_details(h, name="conformance"):
    return model(h, dict(h.template, compartmentId=h.compartment, displayName=name), "CreateMediaWorkflowDetails")


LAB_JOB = dict(source_bucket="media-in", destination_bucket="media-out", video="clip.mp4", prefix="run1")


def job_details(h, name="conformance-job"):
    params = {"video": {"srcBucket": LAB_JOB["source_bucket"], "dstBucket": LAB_JOB["destination_bucket"],
                        "namespace": h.namespace, "compartmentID": h.compartment, "srcVideo": LAB_JOB["video"],
                        "outputPrefixName": LAB_JOB["prefix"]}}
    return M.CreateMediaWorkflowJobByIdDetails(workflow_identifier_type="ID", media_workflow_id=h.workflow,
                                               compartment_id=h.compartment, display_name=name, parameters=params)


def job_run_sdk(h, name="conformance-job"):
    """What `job run` does with the lab's flags, as an SDK user writes it: head_object on the source video (it exists:
    the job would fail without it), then create_media_workflow_job."""
    h.os.head_object(h.namespace, LAB_JOB["source_bucket"], LAB_JOB["video"])
    return h.ms.create_media_workflow_job(job_details(h, name))


def job_argv(h, name="conformance-job"):
    return ["job", "run", "--workflow-id", h.workflow, "--compartment-id", h.compartment, "--name", name,
            "--source-bucket", LAB_JOB["source_bucket"], "--destination-bucket", LAB_JOB["destination_bucket"],
            "--namespace", h.namespace, "--source-video", LAB_JOB["video"], "--output-prefix", LAB_JOB["prefix"]]


def cdn_details(h, channel, name="conformance"):
    return M.CreateStreamCdnConfigDetails(display_name=name, distribution_channel_id=channel, is_enabled=True,
                                          config=M.EdgeStreamCdnConfig(type="EDGE"))


def packaging_details(h, channel, name="conformance"):
    # What `channel build` makes by default: HLS, 20 s segments, no encryption.
    return M.CreateStreamPackagingConfigDetails(distribution_channel_id=channel, display_name=name,
                                                stream_packaging_format="HLS", segment_time_in_seconds=20,
                                                encryption=M.StreamPackagingConfigEncryptionNone(algorithm="NONE"))


PLAYLIST = dict(bucket="media-out", object="run1/master.m3u8")


def asset_details(h, name="test_sdk"):
    return M.CreateMediaAssetDetails(compartment_id=h.compartment, display_name=name, type="PLAYLIST",
                                     bucket_name=PLAYLIST["bucket"], namespace_name=h.namespace,
                                     object_name=PLAYLIST["object"])


def make(h, kind):
    """A fresh resource made with the SDK (outside any capture), for get and delete to work on."""
    if kind == "workflow":
        return h.ms.create_media_workflow(workflow_details(h, "fixture")).data.id
    if kind == "job":
        return h.ms.create_media_workflow_job(job_details(h, "fixture")).data.id
    if kind == "channel":
        return h.ms.create_stream_distribution_channel(M.CreateStreamDistributionChannelDetails(
            compartment_id=h.compartment, display_name="fixture")).data.id
    if kind == "cdn":
        return h.ms.create_stream_cdn_config(cdn_details(h, h.channel, "fixture")).data.id
    if kind == "packaging":
        return h.ms.create_stream_packaging_config(packaging_details(h, h.channel, "fixture")).data.id
    if kind == "asset":
        return h.ms.create_media_asset(asset_details(h, "fixture")).data.id
    if kind == "configuration":
        return h.ms.create_media_workflow_configuration(M.CreateMediaWorkflowConfigurationDetails(
            compartment_id=h.compartment, display_name="fixture", parameters={"video": {"outputPrefixName": "fixture"}})).data.id
    raise ValueError(kind)


def deleting(kind, sdk_method, group):
    """A delete case: each side deletes a resource of its own, made for it; both are shown as {doomed}."""
    def prepare(h):
        return h.name(h.new(kind), "doomed"), h.name(h.new(kind), "doomed")

    return Case(MS, sdk_method, lambda h: getattr(h.ms, sdk_method)(h.prep[0]),
                lambda h: [*group.split(), "delete", h.prep[1], "--yes"], prepare=prepare)




CASES = [
    # workflows
    Case(MS, "create_media_workflow", lambda h: h.ms.create_media_workflow(workflow_details(h)),
         lambda h: ["workflow", "build", "--compartment-id", h.compartment, "--name", "conformance"]),
    Case(MS, "get_media_workflow", lambda h: h.ms.get_media_workflow(h.workflow),
         lambda h: ["workflow", "get", h.workflow]),
    Case(MS, "list_media_workflows", lambda h: h.ms.list_media_workflows(compartment_id=h.compartment),
         lambda h: ["workflow", "list", "--compartment-id", h.compartment]),
    deleting("workflow", "delete_media_workflow", "workflow"),
    # jobs
    Case(MS, "create_media_workflow_job", lambda h: job_run_sdk(h), lambda h: job_argv(h)),
    Case(MS, "get_media_workflow_job", lambda h: h.ms.get_media_workflow_job(h.job),
         lambda h: ["job", "get", h.job]),
    Case(MS, "list_media_workflow_jobs",
         lambda h: h.ms.list_media_workflow_jobs(compartment_id=h.compartment, media_workflow_id=h.workflow),
         lambda h: ["job", "list", "--compartment-id", h.compartment, "--workflow-id", h.workflow]),
    deleting("job", "delete_media_workflow_job", "job"),
    # channels and their configs: `channel build` makes all three
    Case(MS, "create_stream_distribution_channel",
         lambda h: h.ms.create_stream_distribution_channel(M.CreateStreamDistributionChannelDetails(
             compartment_id=h.compartment, display_name="conformance")),
         lambda h: ["channel", "build", "--compartment-id", h.compartment, "--name", "conformance"]),
    Case(MS, "create_stream_distribution_channel",
         lambda h: h.ms.create_stream_distribution_channel(M.CreateStreamDistributionChannelDetails(
             compartment_id=h.compartment, display_name="conformance", freeform_tags=TAGS["freeform"],
             defined_tags=TAGS["defined"])),
         lambda h: ["channel", "build", "--compartment-id", h.compartment, "--name", "conformance"] + TAG_ARGS),
    Case(MS, "get_stream_distribution_channel", lambda h: h.ms.get_stream_distribution_channel(h.channel),
         lambda h: ["channel", "get", h.channel]),
    Case(MS, "list_stream_distribution_channels",
         lambda h: h.ms.list_stream_distribution_channels(compartment_id=h.compartment),
         lambda h: ["channel", "list", "--compartment-id", h.compartment]),
    deleting("channel", "delete_stream_distribution_channel", "channel"),
    Case(MS, "get_stream_cdn_config", lambda h: h.ms.get_stream_cdn_config(h.cdn), lambda h: ["cdn-config", "get", h.cdn]),
    Case(MS, "list_stream_cdn_configs", lambda h: h.ms.list_stream_cdn_configs(distribution_channel_id=h.channel),
         lambda h: ["cdn-config", "list", "--channel-id", h.channel]),
    deleting("cdn", "delete_stream_cdn_config", "cdn-config"),
    Case(MS, "get_stream_packaging_config", lambda h: h.ms.get_stream_packaging_config(h.packaging),
         lambda h: ["packaging-config", "get", h.packaging]),
    Case(MS, "list_stream_packaging_configs",
         lambda h: h.ms.list_stream_packaging_configs(distribution_channel_id=h.channel),
         lambda h: ["packaging-config", "list", "--channel-id", h.channel]),
    deleting("packaging", "delete_stream_packaging_config", "packaging-config"),
    # assets
    Case(MS, "get_media_asset", lambda h: h.ms.get_media_asset(h.asset), lambda h: ["asset", "get", h.asset]),
    Case(MS, "list_media_assets", lambda h: h.ms.list_media_assets(compartment_id=h.compartment),
         lambda h: ["asset", "list", "--compartment-id", h.compartment]),
    deleting("asset", "delete_media_asset", "asset"),
]


# The lists again with every filter mediactl offers: the query parameters' names and values against the SDK's.
FILTERED = [
    Case(MS, "list_media_workflows", lambda h: h.ms.list_media_workflows(
        compartment_id=h.compartment, lifecycle_state="ACTIVE", display_name="fixture", limit=5),
         lambda h: ["workflow", "list", "--compartment-id", h.compartment, "--state", "ACTIVE", "--name", "fixture",
                    "--limit", "5"]),
    Case(MS, "list_media_workflow_jobs", lambda h: h.ms.list_media_workflow_jobs(
        compartment_id=h.compartment, media_workflow_id=h.workflow, lifecycle_state="SUCCEEDED",
        display_name="fixture", limit=5),
         lambda h: ["job", "list", "--compartment-id", h.compartment, "--workflow-id", h.workflow, "--state",
                    "SUCCEEDED", "--name", "fixture", "--limit", "5"]),
    Case(MS, "list_stream_distribution_channels", lambda h: h.ms.list_stream_distribution_channels(
        compartment_id=h.compartment, lifecycle_state="ACTIVE", display_name="fixture", limit=5),
         lambda h: ["channel", "list", "--compartment-id", h.compartment, "--state", "ACTIVE", "--name", "fixture",
                    "--limit", "5"]),
    Case(MS, "list_stream_cdn_configs", lambda h: h.ms.list_stream_cdn_configs(
        distribution_channel_id=h.channel, lifecycle_state="ACTIVE", display_name="fixture", limit=5),
         lambda h: ["cdn-config", "list", "--channel-id", h.channel, "--state", "ACTIVE", "--name", "fixture",
                    "--limit", "5"]),
    Case(MS, "list_stream_packaging_configs", lambda h: h.ms.list_stream_packaging_configs(
        distribution_channel_id=h.channel, lifecycle_state="ACTIVE", display_name="fixture", limit=5),
         lambda h: ["packaging-config", "list", "--channel-id", h.channel, "--state", "ACTIVE", "--name", "fixture",
                    "--limit", "5"]),
    Case(MS, "list_media_assets", lambda h: h.ms.list_media_assets(
        compartment_id=h.compartment, lifecycle_state="ACTIVE", display_name="fixture", limit=5),
         lambda h: ["asset", "list", "--compartment-id", h.compartment, "--state", "ACTIVE", "--name", "fixture",
                    "--limit", "5"]),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.operation)
def test_request_matches_the_sdk(ctx, judge, case):
    ctx.check(judge, case)


@pytest.mark.parametrize("case", FILTERED, ids=lambda c: c.operation)
def test_filtered_list_matches_the_sdk(ctx, judge, case):
    ctx.check(judge, case)


# `channel build --freeform-tags/--defined-tags` gives the same tags to the channel and both configs.
TAGS = {"freeform": {"team": "media"}, "defined": {"Ops": {"CostCenter": "42"}}}
TAG_ARGS = ["--freeform-tags", '{"team": "media"}', "--defined-tags", '{"Ops": {"CostCenter": "42"}}']


def tagged(details):
    def with_tags(h, channel, name="conformance"):
        d = details(h, channel, name)
        d.freeform_tags, d.defined_tags = TAGS["freeform"], TAGS["defined"]
        return d
    return with_tags


def channel_build_argv(h):
    return ["channel", "build", "--compartment-id", h.compartment, "--name", "conformance"]


KMS_KEY = "ocid1.key.oc1.iad.aaaaaaaaconformancekey"


def packaging(fmt, seconds, encryption):
    def details(h, channel, name):
        return M.CreateStreamPackagingConfigDetails(distribution_channel_id=channel, display_name=name,
                                                    stream_packaging_format=fmt, segment_time_in_seconds=seconds,
                                                    encryption=encryption)
    return details


@pytest.mark.parametrize("operation,details,options", [
    ("create_stream_cdn_config", cdn_details, []),
    ("create_stream_cdn_config", tagged(cdn_details), TAG_ARGS),
    ("create_stream_packaging_config", tagged(packaging_details), TAG_ARGS),
    ("create_stream_packaging_config", packaging_details, []),
    ("create_stream_packaging_config",
     packaging("DASH", 6, M.StreamPackagingConfigEncryptionAes128(algorithm="AES128", kms_key_id=KMS_KEY)),
     ["--format", "DASH", "--segment-seconds", "6", "--encryption", "AES128", "--kms-key-id", KMS_KEY]),
    ("create_stream_packaging_config", packaging("HLS", 10, M.StreamPackagingConfigEncryptionAes128(algorithm="AES128")),
     ["--segment-seconds", "10", "--encryption", "AES128"]),
])
def test_channel_build_configs_match_the_sdk(ctx, judge, operation, details, options):
    """`channel build` creates the channel, then its configs on it: the SDK creates its configs on the SDK's new
    channel, and both new channels are shown as one placeholder."""
    from harness import compare
    with ctx.recorder.capture() as m_got:
        ctx.mediactl(channel_build_argv(ctx) + options)
    new = [r for r in m_got if r.method == "POST" and r.path.endswith("/streamDistributionChannels")]
    assert len(new) == 1 and new[0].status < 300, [r.target for r in m_got]
    ctx.name(new[0].response_json()["id"], "new_channel")
    channel = ctx.new("channel")
    ctx.name(channel, "new_channel")
    with ctx.recorder.capture() as sdk_got:
        getattr(ctx.ms, operation)(details(ctx, channel, "conformance"))
    compare(judge, MS, operation, "mediactl channel build", sdk_got, m_got, ctx.placeholders)


def test_ingest_matches_the_sdk(ctx, judge):
    """`ingest` registers the playlist as an asset, then ingests it: create_media_asset and
    ingest_stream_distribution_channel, compared with the SDK's two calls with the same inputs."""
    from harness import compare
    with ctx.recorder.capture() as m_got:
        ctx.mediactl(["ingest", "--channel-id", ctx.channel, "--bucket", PLAYLIST["bucket"], "--object",
                      PLAYLIST["object"], "--namespace", ctx.namespace, "--compartment-id", ctx.compartment,
                      "--no-wait"])
    assets = [r for r in m_got if r.method == "POST" and r.path.endswith("/mediaAssets")]
    assert len(assets) == 1 and assets[0].status < 300, [r.target for r in m_got]
    ctx.name(assets[0].response_json()["id"], "new_asset")
    with ctx.recorder.capture() as sdk_asset:
        sdk_asset_id = ctx.ms.create_media_asset(asset_details(ctx)).data.id
    ctx.name(sdk_asset_id, "new_asset")
    with ctx.recorder.capture() as sdk_ingest:
        ctx.ms.ingest_stream_distribution_channel(ctx.channel, M.AssetMetadataEntryDetails(
            ingest_payload_type="ASSET_METADATA_MEDIA_ASSET", media_asset_id=sdk_asset_id,
            compartment_id=ctx.compartment))
    ingests = [r for r in m_got if "/actions/ingest" in r.path]
    others = [r for r in m_got if r not in ingests]
    compare(judge, MS, "create_media_asset", "mediactl ingest", sdk_asset, others, ctx.placeholders)
    compare(judge, MS, "ingest_stream_distribution_channel", "mediactl ingest", sdk_ingest, ingests,
            ctx.placeholders)


def test_playback_url_session_token_matches_the_sdk(ctx, judge):
    """`playback-url` asks the channel's Media Stream endpoint (its domainName) for a session token, as
    MediaStreamClient.generate_session_token does at the same domain."""
    from harness import compare
    with ctx.recorder.capture() as m_got:
        ctx.mediactl(["playback-url", "--asset-id", ctx.asset, "--packaging-config-id", ctx.packaging,
                      "--channel-id", ctx.channel])
    domain = ctx.ms.get_stream_distribution_channel(ctx.channel).data.domain_name
    stream = oci.media_services.MediaStreamClient(ctx.config, service_endpoint=f"http://{domain}")
    with ctx.recorder.capture() as sdk_got:
        stream.generate_session_token(M.GenerateSessionTokenDetails(
            packaging_config_id=ctx.packaging, asset_ids=[ctx.asset], scopes=["PLAYLIST", "EDGE"]))
    tokens = [r for r in m_got if r.path.endswith("/actions/generateSessionToken")]
    compare(judge, STREAM, "generate_session_token", "mediactl playback-url", sdk_got, tokens, ctx.placeholders)


def test_custom_workflow_and_job_parameters_match_the_sdk(ctx, judge):
    """`workflow build -f` and `job run --parameters-file`: a user's own definition and parameters, sent as given."""
    from harness import compare
    definition = {"tasks": [{"type": "getFiles", "version": 1, "key": "get", "prerequisites": [],
                             "parameters": {"taskParameters": [{"storageType": "objectStorage", "target": "in.mp4",
                                                                "namespaceName": "${/in/ns}", "bucketName": "b",
                                                                "objectName": "clip ü.mp4"}]}},
                            {"type": "putFiles", "version": 1, "key": "put", "prerequisites": ["get"],
                             "parameters": {"taskParameters": [{"storageType": "objectStorage", "source": "in.mp4",
                                                                "target": "out/in.mp4", "namespaceName": "${/in/ns}",
                                                                "bucketName": "b2", "objectName": "out/in.mp4"}]}}],
                  "parameters": {"in": {"ns": "emulator"}}}
    wf_file = ctx.home / "workflow.json"
    wf_file.write_text(json.dumps(definition, ensure_ascii=False))
    with ctx.recorder.capture() as m_wf:
        ctx.mediactl(["workflow", "build", "--compartment-id", ctx.compartment, "--name", "custom", "-f", str(wf_file)])
    with ctx.recorder.capture() as s_wf:
        ctx.ms.create_media_workflow(model(ctx, dict(definition, compartmentId=ctx.compartment, displayName="custom"),
                                           "CreateMediaWorkflowDetails"))
    compare(judge, MS, "create_media_workflow", "mediactl workflow build", s_wf, m_wf, ctx.placeholders)

    params = {"in": {"ns": "emulator", "count": 3, "ratio": 0.5, "flags": [True, None]}}
    p_file = ctx.home / "params.json"
    p_file.write_text(json.dumps(params))
    with ctx.recorder.capture() as m_job:
        ctx.mediactl(["job", "run", "--workflow-id", ctx.workflow, "--compartment-id", ctx.compartment, "--name", "p",
                      "--parameters-file", str(p_file)])
    with ctx.recorder.capture() as s_job:
        ctx.ms.create_media_workflow_job(M.CreateMediaWorkflowJobByIdDetails(
            workflow_identifier_type="ID", media_workflow_id=ctx.workflow, compartment_id=ctx.compartment,
            display_name="p", parameters=params))
    compare(judge, MS, "create_media_workflow_job", "mediactl job run", s_job, m_job, ctx.placeholders)


def test_playback_url_with_a_lifetime_matches_the_sdk(ctx, judge):
    """`playback-url --expires-in 3600` asks for a token expiring in an hour, as generate_session_token with
    time_expires = now + 1 h: the same body, and the two times within a minute of each other."""
    import datetime
    import requestdiff
    from harness import compare
    with ctx.recorder.capture() as m_got:
        ctx.mediactl(["playback-url", "--asset-id", ctx.asset, "--packaging-config-id", ctx.packaging,
                      "--channel-id", ctx.channel, "--expires-in", "3600"])
    domain = ctx.ms.get_stream_distribution_channel(ctx.channel).data.domain_name
    stream = oci.media_services.MediaStreamClient(ctx.config, service_endpoint=f"http://{domain}")
    with ctx.recorder.capture() as sdk_got:
        stream.generate_session_token(M.GenerateSessionTokenDetails(
            packaging_config_id=ctx.packaging, asset_ids=[ctx.asset], scopes=["PLAYLIST", "EDGE"],
            time_expires=datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=3600)))
    tokens = [r for r in m_got if r.path.endswith("/actions/generateSessionToken")]
    compare(judge, STREAM, "generate_session_token", "mediactl playback-url", sdk_got, tokens, ctx.placeholders)
    ours, theirs = requestdiff.rfc3339_times(tokens[0]), requestdiff.rfc3339_times(sdk_got[0])
    assert set(ours) == set(theirs) == {"body/timeExpires"}
    assert abs((ours["body/timeExpires"] - theirs["body/timeExpires"]).total_seconds()) < 60


def test_job_submit_creates_each_job_as_the_sdk(ctx, judge):
    """`job submit --from` (JSON lines): each line's job created with the same body as the SDK's create."""
    from harness import compare
    lines = [{"video": {"srcVideo": "a.mp4"}}, {"video": {"srcVideo": "b ü.mp4", "n": 2}}]
    f = ctx.home / "jobs.jsonl"
    f.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in lines) + "\n")
    with ctx.recorder.capture() as m_got:
        ctx.mediactl(["job", "submit", "--from", str(f), "--workflow-id", ctx.workflow, "--compartment-id",
                      ctx.compartment, "--name", "batch", "--concurrency", "1"])
    with ctx.recorder.capture() as sdk_got:
        for p in lines:
            ctx.ms.create_media_workflow_job(M.CreateMediaWorkflowJobByIdDetails(
                workflow_identifier_type="ID", media_workflow_id=ctx.workflow, compartment_id=ctx.compartment,
                display_name="batch", parameters=p))
    creates = [r for r in m_got if r.method == "POST"]
    assert len(creates) == 2
    for sdk, ours in zip(sdk_got, creates):  # --concurrency 1: in the file's order
        compare(judge, MS, "create_media_workflow_job", "mediactl job submit", [sdk], [ours], ctx.placeholders)
