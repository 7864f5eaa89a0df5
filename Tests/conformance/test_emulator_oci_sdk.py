"""The oci SDK (2.189.0) against mediactl-emulator: the Media Services lab's whole flow, the Media Stream client at
the channel's domain, paging with list_call_get_all_results, retry tokens and deletes. Every answer must deserialise
into the SDK's model with every field the SDK declares as returned (sdk_models.assert_complete)."""
import json
import subprocess
import uuid

import oci
import pytest

from sdk_models import assert_complete

M = oci.media_services.models
MS = "MediaServicesClient"
STREAM = "MediaStreamClient"


@pytest.fixture(scope="module")
def config(emulator):
    return oci.config.from_file(str(emulator.config_file), emulator.profile)


@pytest.fixture(scope="module")
def ms(config, emulator):
    # The SDK's default retry strategy stays on: it is what users get, and it sends opc-retry-token on creates.
    return oci.media_services.MediaServicesClient(config, service_endpoint=emulator.endpoint)


@pytest.fixture(scope="module")
def lab(bin_dir):
    """The lab's workflow definition, as `mediactl workflow template` prints it (one definition of the lab)."""
    out = subprocess.run([str(bin_dir / "mediactl"), "workflow", "template"], check=True, capture_output=True,
                         text=True, timeout=60).stdout
    return json.loads(out)


def fresh_compartment() -> str:
    """A compartment of the test's own, so lists see only what the test made (the emulator takes any OCID)."""
    return f"ocid1.compartment.oc1..conformance{uuid.uuid4().hex}"


def task_models(lab):
    return [M.MediaWorkflowTask(type=t["type"], version=t["version"], key=t["key"], prerequisites=t["prerequisites"],
                                parameters=t["parameters"]) for t in lab["tasks"]]


def make_workflow(ms, lab, compartment, name="sdk-demo", **kw):
    details = M.CreateMediaWorkflowDetails(compartment_id=compartment, display_name=name, tasks=task_models(lab),
                                           parameters=lab["parameters"])
    return ms.create_media_workflow(details, **kw)


def job_details(workflow_id, compartment, name="test_Demo-Job"):
    return M.CreateMediaWorkflowJobByIdDetails(
        compartment_id=compartment, display_name=name, media_workflow_id=workflow_id,
        parameters={"video": {"srcBucket": "media-in", "dstBucket": "media-out", "namespace": "emulator",
                              "compartmentID": compartment, "srcVideo": "clip.mp4", "outputPrefixName": "run1"}})


def make_channel(ms, compartment, name="test_sdk", **kw):
    return ms.create_stream_distribution_channel(
        M.CreateStreamDistributionChannelDetails(compartment_id=compartment, display_name=name), **kw)


def make_packaging(ms, channel_id, name="test_sdk"):
    return ms.create_stream_packaging_config(M.CreateStreamPackagingConfigDetails(
        distribution_channel_id=channel_id, display_name=name, stream_packaging_format="HLS",
        segment_time_in_seconds=6, encryption=M.StreamPackagingConfigEncryptionNone()))


def make_asset(ms, compartment, name="test_sdk", **kw):
    return ms.create_media_asset(M.CreateMediaAssetDetails(
        compartment_id=compartment, display_name=name, type="PLAYLIST", bucket_name="media-out",
        namespace_name="emulator", object_name="sdk_test/clip.mp4/run1-master.m3u8"), **kw)


def served(judge, api, operation, response, status=200):
    """Checks one SDK answer (status, model) and claims the operation for the coverage table."""
    assert response.status == status, f"{operation}: HTTP {response.status}"
    if response.data is not None and not isinstance(response.data, (str, bytes)):
        assert_complete(response.data, operation)
    judge.served(api, operation)
    return response.data


def test_lab_workflow_and_job(ms, lab, judge):
    compartment = fresh_compartment()
    wf = served(judge, MS, "create_media_workflow", make_workflow(ms, lab, compartment))
    assert [t.key for t in wf.tasks] == [t["key"] for t in lab["tasks"]]
    assert wf.lifecycle_state == "ACTIVE"
    got = served(judge, MS, "get_media_workflow", ms.get_media_workflow(wf.id))
    assert got.id == wf.id and got.parameters == lab["parameters"]
    listed = served(judge, MS, "list_media_workflows", ms.list_media_workflows(compartment_id=compartment))
    assert [w.id for w in listed.items] == [wf.id]

    job = served(judge, MS, "create_media_workflow_job", ms.create_media_workflow_job(job_details(wf.id, compartment)))
    assert job.media_workflow_id == wf.id
    assert job.lifecycle_state in ("ACCEPTED", "IN_PROGRESS", "WAITING")
    done = oci.wait_until(ms, ms.get_media_workflow_job(job.id), "lifecycle_state", "SUCCEEDED",
                          max_interval_seconds=1, max_wait_seconds=60)
    served(judge, MS, "get_media_workflow_job", done)
    assert done.data.time_ended is not None
    jobs = served(judge, MS, "list_media_workflow_jobs",
                  ms.list_media_workflow_jobs(compartment_id=compartment, media_workflow_id=wf.id))
    assert [j.id for j in jobs.items] == [job.id] and jobs.items[0].lifecycle_state == "SUCCEEDED"


def test_channel_cdn_packaging_asset_and_ingest(ms, judge):
    compartment = fresh_compartment()
    channel = served(judge, MS, "create_stream_distribution_channel", make_channel(ms, compartment))
    assert channel.domain_name and channel.lifecycle_state == "ACTIVE"
    assert served(judge, MS, "get_stream_distribution_channel",
                  ms.get_stream_distribution_channel(channel.id)).domain_name == channel.domain_name
    channels = served(judge, MS, "list_stream_distribution_channels",
                      ms.list_stream_distribution_channels(compartment_id=compartment))
    assert [c.id for c in channels.items] == [channel.id]

    cdn = served(judge, MS, "create_stream_cdn_config", ms.create_stream_cdn_config(M.CreateStreamCdnConfigDetails(
        display_name="test_sdk", distribution_channel_id=channel.id, is_enabled=True, config=M.EdgeStreamCdnConfig())))
    assert isinstance(cdn.config, M.EdgeStreamCdnConfig) and cdn.distribution_channel_id == channel.id
    assert served(judge, MS, "get_stream_cdn_config", ms.get_stream_cdn_config(cdn.id)).is_enabled is True
    cdns = served(judge, MS, "list_stream_cdn_configs", ms.list_stream_cdn_configs(distribution_channel_id=channel.id))
    assert [c.id for c in cdns.items] == [cdn.id]

    packaging = served(judge, MS, "create_stream_packaging_config", make_packaging(ms, channel.id))
    assert packaging.stream_packaging_format == "HLS" and packaging.segment_time_in_seconds == 6
    assert isinstance(packaging.encryption, M.StreamPackagingConfigEncryptionNone)
    served(judge, MS, "get_stream_packaging_config", ms.get_stream_packaging_config(packaging.id))
    packagings = served(judge, MS, "list_stream_packaging_configs",
                        ms.list_stream_packaging_configs(distribution_channel_id=channel.id))
    assert [p.id for p in packagings.items] == [packaging.id]

    asset = served(judge, MS, "create_media_asset", make_asset(ms, compartment))
    assert asset.type == "PLAYLIST" and asset.object_name.endswith("-master.m3u8")
    served(judge, MS, "get_media_asset", ms.get_media_asset(asset.id))
    assets = served(judge, MS, "list_media_assets", ms.list_media_assets(compartment_id=compartment))
    assert [a.id for a in assets.items] == [asset.id]

    ingest = served(judge, MS, "ingest_stream_distribution_channel", ms.ingest_stream_distribution_channel(
        channel.id, M.AssetMetadataEntryDetails(
            media_asset_id=asset.id, compartment_id=compartment)))
    assert ingest.media_workflow_job_id
    ended = oci.wait_until(ms, ms.get_media_workflow_job(ingest.media_workflow_job_id), "lifecycle_state",
                           "SUCCEEDED", max_interval_seconds=1, max_wait_seconds=60)
    assert_complete(ended.data)


@pytest.fixture
def published(ms):
    """A channel with a packaging config and an asset: what the Media Stream client needs."""
    compartment = fresh_compartment()
    channel = make_channel(ms, compartment).data
    packaging = make_packaging(ms, channel.id).data
    asset = make_asset(ms, compartment).data
    return channel, packaging, asset


def stream_client(config, channel):
    """The Media Stream client at the channel's own domain, as the lab makes it (the emulator's domain is plain
    HTTP on loopback, so the scheme is http where the lab writes https)."""
    return oci.media_services.MediaStreamClient(config, service_endpoint="http://" + channel.domain_name)


def test_media_stream_client_at_the_channel_domain(ms, config, published, judge):
    channel, packaging, asset = published
    stream = stream_client(config, channel)
    token = served(judge, STREAM, "generate_session_token", stream.generate_session_token(
        M.GenerateSessionTokenDetails(packaging_config_id=packaging.id, scopes=["PLAYLIST", "EDGE"],
                                      asset_ids=[asset.id])))
    assert token.token
    playlist = stream.generate_playlist(stream_packaging_config_id=packaging.id, media_asset_id=asset.id,
                                        token=token.token)
    assert playlist.status == 200
    text = playlist.data.content.decode() if hasattr(playlist.data, "content") else str(playlist.data)
    assert text.startswith("#EXTM3U"), text[:200]
    judge.served(STREAM, "generate_playlist")


def test_generate_playlist_signed_without_token(config, published):
    """What MediaStreamClient.generate_playlist sends by default: a signed call, no token (issue 14 defect 3)."""
    channel, packaging, asset = published
    playlist = stream_client(config, channel).generate_playlist(stream_packaging_config_id=packaging.id,
                                                                media_asset_id=asset.id)
    assert playlist.status == 200
    assert playlist.data.content.decode().startswith("#EXTM3U")


def test_paging_with_list_call_get_all_results(ms, lab, judge):
    compartment = fresh_compartment()
    limit = 3
    channels = [make_channel(ms, compartment, name=f"page-{i}").data.id for i in range(2 * limit + 1)]
    workflows = [make_workflow(ms, lab, compartment, name=f"page-{i}").data.id for i in range(limit + 1)]
    assets = [make_asset(ms, compartment, name=f"page-{i}").data.id for i in range(limit + 1)]
    jobs = [ms.create_media_workflow_job(job_details(workflows[0], compartment, name=f"page-{i}")).data.id
            for i in range(limit + 1)]
    packagings = [make_packaging(ms, channels[0], name=f"page-{i}").data.id for i in range(limit + 1)]
    cdns = [ms.create_stream_cdn_config(M.CreateStreamCdnConfigDetails(
        display_name=f"page-{i}", distribution_channel_id=channels[0], config=M.EdgeStreamCdnConfig())).data.id
        for i in range(limit + 1)]

    first = ms.list_stream_distribution_channels(compartment_id=compartment, limit=limit)
    assert len(first.data.items) == limit and first.has_next_page, "the first page must say there is more"

    cases = [("list_stream_distribution_channels", ms.list_stream_distribution_channels,
              {"compartment_id": compartment}, channels),
             ("list_media_workflows", ms.list_media_workflows, {"compartment_id": compartment}, workflows),
             ("list_media_assets", ms.list_media_assets, {"compartment_id": compartment}, assets),
             ("list_media_workflow_jobs", ms.list_media_workflow_jobs, {"compartment_id": compartment}, jobs),
             ("list_stream_packaging_configs", ms.list_stream_packaging_configs,
              {"distribution_channel_id": channels[0]}, packagings),
             ("list_stream_cdn_configs", ms.list_stream_cdn_configs, {"distribution_channel_id": channels[0]}, cdns)]
    for name, call, scope, made in cases:
        everything = oci.pagination.list_call_get_all_results(call, limit=limit, **scope)
        assert everything.status == 200
        assert_complete(everything.data, name)
        assert sorted(x.id for x in everything.data) == sorted(made), name
        judge.served(MS, name)


def test_retry_token_gives_the_first_answer_back(ms, lab, judge):
    compartment = fresh_compartment()
    token = uuid.uuid4().hex
    first = make_channel(ms, compartment, opc_retry_token=token).data
    again = make_channel(ms, compartment, opc_retry_token=token).data
    assert again.id == first.id
    assert len(ms.list_stream_distribution_channels(compartment_id=compartment).data.items) == 1

    token = uuid.uuid4().hex
    wf1 = make_workflow(ms, lab, compartment, opc_retry_token=token).data
    wf2 = make_workflow(ms, lab, compartment, opc_retry_token=token).data
    assert wf1.id == wf2.id

    token = uuid.uuid4().hex
    job1 = ms.create_media_workflow_job(job_details(wf1.id, compartment), opc_retry_token=token).data
    job2 = ms.create_media_workflow_job(job_details(wf1.id, compartment), opc_retry_token=token).data
    assert job1.id == job2.id

    asset = make_asset(ms, compartment).data
    token = uuid.uuid4().hex
    ingest = M.AssetMetadataEntryDetails(media_asset_id=asset.id,
                                                                            compartment_id=compartment)
    i1 = ms.ingest_stream_distribution_channel(first.id, ingest, opc_retry_token=token).data
    i2 = ms.ingest_stream_distribution_channel(first.id, ingest, opc_retry_token=token).data
    assert i1.media_workflow_job_id == i2.media_workflow_job_id

    other = make_channel(ms, compartment, opc_retry_token=uuid.uuid4().hex).data
    assert other.id != first.id, "a new token must make a new resource"

    # The same token for a different request is refused (protocols.md §5.3); the SDK does not retry a 409 of this code.
    token = uuid.uuid4().hex
    make_channel(ms, compartment, name="one", opc_retry_token=token)
    with pytest.raises(oci.exceptions.ServiceError) as error:
        make_channel(ms, compartment, name="another", opc_retry_token=token)
    assert error.value.status == 409 and error.value.code == "InvalidatedRetryToken"


def test_updates(ms, lab, judge):
    compartment = fresh_compartment()
    wf = make_workflow(ms, lab, compartment).data
    updated = served(judge, MS, "update_media_workflow", ms.update_media_workflow(
        wf.id, M.UpdateMediaWorkflowDetails(display_name="renamed", parameters={"video": {"srcBucket": "other"}},
                                            freeform_tags={"team": "media"})))
    assert (updated.display_name, updated.version, updated.freeform_tags) == ("renamed", wf.version + 1, {"team": "media"})
    assert updated.parameters == {"video": {"srcBucket": "other"}} and len(updated.tasks) == len(wf.tasks)
    assert ms.get_media_workflow(wf.id).data.display_name == "renamed"

    job = ms.create_media_workflow_job(job_details(wf.id, compartment)).data
    assert served(judge, MS, "update_media_workflow_job", ms.update_media_workflow_job(
        job.id, M.UpdateMediaWorkflowJobDetails(display_name="job-renamed"))).display_name == "job-renamed"
    channel = make_channel(ms, compartment).data
    assert served(judge, MS, "update_stream_distribution_channel", ms.update_stream_distribution_channel(
        channel.id, M.UpdateStreamDistributionChannelDetails(display_name="ch-renamed"))).display_name == "ch-renamed"
    cdn = ms.create_stream_cdn_config(M.CreateStreamCdnConfigDetails(
        display_name="c", distribution_channel_id=channel.id, config=M.EdgeStreamCdnConfig())).data
    disabled = served(judge, MS, "update_stream_cdn_config", ms.update_stream_cdn_config(
        cdn.id, M.UpdateStreamCdnConfigDetails(is_enabled=False)))
    assert disabled.is_enabled is False and disabled.display_name == "c"
    packaging = make_packaging(ms, channel.id).data
    assert served(judge, MS, "update_stream_packaging_config", ms.update_stream_packaging_config(
        packaging.id, M.UpdateStreamPackagingConfigDetails(display_name="p-renamed"))).display_name == "p-renamed"
    asset = make_asset(ms, compartment).data
    assert served(judge, MS, "update_media_asset", ms.update_media_asset(
        asset.id, M.UpdateMediaAssetDetails(display_name="a-renamed", type="VIDEO"))).type == "VIDEO"
    with pytest.raises(oci.exceptions.ServiceError) as error:
        ms.update_media_asset("ocid1.mediaasset.oc1.iad.nosuchasset", M.UpdateMediaAssetDetails(display_name="x"))
    assert error.value.status == 404


def test_locks_and_compartment_moves(ms, lab, judge):
    compartment = fresh_compartment()
    channel = make_channel(ms, compartment).data
    wf = make_workflow(ms, lab, compartment).data
    made = {
        "media_workflow": (wf.id, ms.get_media_workflow),
        "media_workflow_job": (ms.create_media_workflow_job(job_details(wf.id, compartment)).data.id,
                               ms.get_media_workflow_job),
        "stream_distribution_channel": (channel.id, ms.get_stream_distribution_channel),
        "stream_cdn_config": (ms.create_stream_cdn_config(M.CreateStreamCdnConfigDetails(
            display_name="c", distribution_channel_id=channel.id, config=M.EdgeStreamCdnConfig())).data.id,
            ms.get_stream_cdn_config),
        "stream_packaging_config": (make_packaging(ms, channel.id).data.id, ms.get_stream_packaging_config),
        "media_asset": (make_asset(ms, compartment).data.id, ms.get_media_asset),
    }
    for noun, (resource_id, get) in made.items():
        locked = served(judge, MS, f"add_{noun}_lock", getattr(ms, f"add_{noun}_lock")(
            M.AddLockDetails(type="DELETE", compartment_id=compartment, message="keep"), resource_id))
        assert [(lock.type, lock.message) for lock in locked.locks] == [("DELETE", "keep")]
        assert get(resource_id).data.locks[0].type == "DELETE"
        with pytest.raises(oci.exceptions.ServiceError) as error:
            getattr(ms, f"delete_{noun}")(resource_id)
        assert error.value.status == 409, f"a DELETE lock must stop delete_{noun}"
        unlocked = served(judge, MS, f"remove_{noun}_lock", getattr(ms, f"remove_{noun}_lock")(
            M.RemoveLockDetails(type="DELETE", compartment_id=compartment), resource_id))
        assert unlocked.locks == []

    moved_to = fresh_compartment()
    for noun in ("media_workflow", "media_workflow_job", "stream_distribution_channel", "media_asset"):
        resource_id, get = made[noun]
        details = getattr(M, f"Change{''.join(w.capitalize() for w in noun.split('_'))}CompartmentDetails")
        response = getattr(ms, f"change_{noun}_compartment")(resource_id, details(compartment_id=moved_to))
        assert response.status in (200, 202, 204) and response.data is None
        assert get(resource_id).data.compartment_id == moved_to
        judge.served(MS, f"change_{noun}_compartment")


def gone(ms, get, resource_id):
    """After a delete the SDK's waiter accepts DELETED or a 404 (succeed_on_not_found); check both ways."""
    try:
        response = get(resource_id)
    except oci.exceptions.ServiceError as error:
        assert error.status == 404, f"{get.__name__}: HTTP {error.status} after delete"
        return True
    assert_complete(response.data)
    assert response.data.lifecycle_state == "DELETED", f"{get.__name__}: {response.data.lifecycle_state} after delete"
    return True


def test_deletes(ms, lab, judge):
    compartment = fresh_compartment()
    channel = make_channel(ms, compartment).data
    cdn = ms.create_stream_cdn_config(M.CreateStreamCdnConfigDetails(
        display_name="d", distribution_channel_id=channel.id, config=M.EdgeStreamCdnConfig())).data
    packaging = make_packaging(ms, channel.id).data
    asset = make_asset(ms, compartment).data
    wf = make_workflow(ms, lab, compartment).data
    job = ms.create_media_workflow_job(job_details(wf.id, compartment)).data
    oci.wait_until(ms, ms.get_media_workflow_job(job.id), "lifecycle_state", "SUCCEEDED",
                   max_interval_seconds=1, max_wait_seconds=60)
    for delete, get, resource_id in [
        ("delete_media_workflow_job", ms.get_media_workflow_job, job.id),
        ("delete_media_workflow", ms.get_media_workflow, wf.id),
        ("delete_media_asset", ms.get_media_asset, asset.id),
        ("delete_stream_packaging_config", ms.get_stream_packaging_config, packaging.id),
        ("delete_stream_cdn_config", ms.get_stream_cdn_config, cdn.id),
        ("delete_stream_distribution_channel", ms.get_stream_distribution_channel, channel.id),
    ]:
        before = get(resource_id)
        response = getattr(ms, delete)(resource_id)
        assert response.status in (200, 202, 204), f"{delete}: HTTP {response.status}"
        assert response.data is None
        assert gone(ms, get, resource_id)
        # The SDK's own way to wait for a delete: DELETED, or 404 with succeed_on_not_found.
        oci.wait_until(ms, before, "lifecycle_state", "DELETED", succeed_on_not_found=True,
                       max_interval_seconds=1, max_wait_seconds=30)
        judge.served(MS, delete)
    with pytest.raises(oci.exceptions.ServiceError) as error:
        ms.delete_media_asset(asset.id)
    assert error.value.status == 404


def test_ocids_have_the_types_oracle_issues(ms):
    """protocols.md §6.1a, issue 14 defect 1: the emulator mints the type segments Oracle's examples show."""
    compartment = fresh_compartment()
    channel = make_channel(ms, compartment).data
    cdn = ms.create_stream_cdn_config(M.CreateStreamCdnConfigDetails(
        display_name="t", distribution_channel_id=channel.id, config=M.EdgeStreamCdnConfig())).data
    packaging = make_packaging(ms, channel.id).data
    assert channel.id.split(".")[1] == "streamdistributionchannel"
    assert cdn.id.split(".")[1] == "streamcdnconfig"
    assert packaging.id.split(".")[1] == "streampackagingconfig"


def test_the_model_check_can_fail():
    """sdk_models must catch what it is for: a missing required field, an unknown enum value, a wrong type."""
    from sdk_models import missing_fields
    complete = M.MediaWorkflow(id="ocid1.mediaworkflow.oc1.iad.x", display_name="w", compartment_id="c", tasks=[],
                               lifecycle_state="ACTIVE", parameters={})
    assert missing_fields(complete) == []
    no_id = M.MediaWorkflow(display_name="w", compartment_id="c", tasks=[], lifecycle_state="ACTIVE")
    assert missing_fields(no_id) == ["MediaWorkflow.id (id): required by the SDK, missing"]
    unknown = M.MediaWorkflow(id="i", display_name="w", compartment_id="c", tasks=[], lifecycle_state="EXPLODED")
    assert any("UNKNOWN_ENUM_VALUE" in p for p in missing_fields(unknown))
    nested = M.MediaWorkflowCollection(items=[M.MediaWorkflowSummary(id="i")])
    assert missing_fields(nested) == ["MediaWorkflowCollection.items[0].compartment_id (compartmentId): required by the SDK, missing"]
    wrong_type = M.StreamPackagingConfig(id="i", compartment_id="c", distribution_channel_id="d", display_name="p",
                                         stream_packaging_format="HLS", segment_time_in_seconds="six")
    assert any("segment_time_in_seconds" in p and "expected int" in p for p in missing_fields(wrong_type))


# --- Issue 17: every MediaServicesClient operation served (configurations, catalogues, attachments, etags, locks) ---

def make_configuration(ms, compartment, name="cfg", parameters=None, **kw):
    return ms.create_media_workflow_configuration(M.CreateMediaWorkflowConfigurationDetails(
        compartment_id=compartment, display_name=name, parameters=parameters or {"video": {"dstBucket": "media-out"}}), **kw)


def test_workflow_configurations(ms, lab, judge):
    compartment = fresh_compartment()
    cfg = served(judge, MS, "create_media_workflow_configuration", make_configuration(ms, compartment))
    assert cfg.lifecycle_state == "ACTIVE" and cfg.parameters == {"video": {"dstBucket": "media-out"}}
    assert cfg.id.split(".")[1] == "mediaworkflowconfiguration"
    got = served(judge, MS, "get_media_workflow_configuration", ms.get_media_workflow_configuration(cfg.id))
    assert got.display_name == "cfg"
    listed = served(judge, MS, "list_media_workflow_configurations",
                    ms.list_media_workflow_configurations(compartment_id=compartment, display_name="cfg"))
    assert [c.id for c in listed.items] == [cfg.id]
    updated = served(judge, MS, "update_media_workflow_configuration", ms.update_media_workflow_configuration(
        cfg.id, M.UpdateMediaWorkflowConfigurationDetails(display_name="cfg2", parameters={"video": {"dstBucket": "b2"}})))
    assert (updated.display_name, updated.parameters) == ("cfg2", {"video": {"dstBucket": "b2"}})

    # A workflow and a job may name it; an unknown configuration is a 400/404 reference error.
    wf = make_workflow(ms, lab, compartment).data
    details = job_details(wf.id, compartment)
    details.media_workflow_configuration_ids = [cfg.id]
    job = ms.create_media_workflow_job(details).data
    assert job.media_workflow_configuration_ids == [cfg.id]
    details.media_workflow_configuration_ids = ["ocid1.mediaworkflowconfiguration.oc1.iad.nosuch"]
    with pytest.raises(oci.exceptions.ServiceError) as error:
        ms.create_media_workflow_job(details)
    assert error.value.status in (400, 404)

    locked = served(judge, MS, "add_media_workflow_configuration_lock", ms.add_media_workflow_configuration_lock(
        M.AddLockDetails(type="FULL", compartment_id=compartment, message="frozen"), cfg.id))
    assert [lock.type for lock in locked.locks] == ["FULL"]
    with pytest.raises(oci.exceptions.ServiceError) as error:
        ms.update_media_workflow_configuration(cfg.id, M.UpdateMediaWorkflowConfigurationDetails(display_name="no"))
    assert error.value.status == 409
    unlocked = served(judge, MS, "remove_media_workflow_configuration_lock", ms.remove_media_workflow_configuration_lock(
        M.RemoveLockDetails(type="FULL", compartment_id=compartment), cfg.id))
    assert unlocked.locks == []

    moved_to = fresh_compartment()
    response = ms.change_media_workflow_configuration_compartment(
        cfg.id, M.ChangeMediaWorkflowConfigurationCompartmentDetails(compartment_id=moved_to))
    assert response.status in (200, 202, 204) and response.data is None
    assert ms.get_media_workflow_configuration(cfg.id).data.compartment_id == moved_to
    judge.served(MS, "change_media_workflow_configuration_compartment")

    before = ms.get_media_workflow_configuration(cfg.id)
    response = ms.delete_media_workflow_configuration(cfg.id)
    assert response.status in (200, 202, 204) and gone(ms, ms.get_media_workflow_configuration, cfg.id)
    oci.wait_until(ms, before, "lifecycle_state", "DELETED", succeed_on_not_found=True, max_interval_seconds=1, max_wait_seconds=30)
    judge.served(MS, "delete_media_workflow_configuration")


def test_task_declarations_and_system_workflows(ms, judge):
    every = served(judge, MS, "list_media_workflow_task_declarations", ms.list_media_workflow_task_declarations())
    names = sorted(d.name for d in every.items)
    assert names == sorted(["getFiles", "transcode", "thumbnail", "putFiles", "transcribe", "visionDetection"])
    for d in every.items:
        assert d.parameters_schema["type"] == "object" and d.parameters_schema_allowing_references
    one = ms.list_media_workflow_task_declarations(name="transcode", is_current=True, version=1).data.items
    assert [(d.name, d.version) for d in one] == [("transcode", 1)]
    assert "standardTranscode" in one[0].parameters_schema["properties"]
    paged = oci.pagination.list_call_get_all_results(ms.list_media_workflow_task_declarations, limit=4, sort_by="name")
    assert [d.name for d in paged.data] == sorted(names)
    with pytest.raises(oci.exceptions.ServiceError) as error:
        ms.list_media_workflow_task_declarations(version=99, name="transcode", limit=0)
    assert error.value.status == 400

    systems = served(judge, MS, "list_system_media_workflows", ms.list_system_media_workflows())
    assert systems.items and all(s.tasks and s.name for s in systems.items)
    name = systems.items[0].name
    assert [s.name for s in ms.list_system_media_workflows(name=name).data.items] == [name]

    # Run one by name (workflowIdentifierType NAME), as `mediactl job run --workflow-name` does.
    compartment = fresh_compartment()
    job = served(judge, MS, "create_media_workflow_job", ms.create_media_workflow_job(M.CreateMediaWorkflowJobByNameDetails(
        compartment_id=compartment, display_name="by-name", media_workflow_name=name,
        parameters={"input": {"namespaceName": "emulator", "bucketName": "media-in", "objectName": "clip.mp4"}})))
    assert job.media_workflow_id and [t.key for t in job.task_lifecycle_state] == [t.key for t in systems.items[0].tasks]
    done = oci.wait_until(ms, ms.get_media_workflow_job(job.id), "lifecycle_state", "SUCCEEDED",
                          max_interval_seconds=1, max_wait_seconds=60)
    assert_complete(done.data)
    with pytest.raises(oci.exceptions.ServiceError) as error:
        ms.create_media_workflow_job(M.CreateMediaWorkflowJobByNameDetails(
            compartment_id=compartment, media_workflow_name="no-such-system-workflow"))
    assert error.value.status in (400, 404)


def test_asset_attachments_after_an_ingest(ms, judge):
    compartment = fresh_compartment()
    channel = make_channel(ms, compartment).data
    asset = make_asset(ms, compartment).data
    other = make_asset(ms, compartment, name="not-ingested").data
    ingest = ms.ingest_stream_distribution_channel(channel.id, M.AssetMetadataEntryDetails(
        media_asset_id=asset.id, compartment_id=compartment)).data
    attachments = served(judge, MS, "list_media_asset_distribution_channel_attachments",
                         ms.list_media_asset_distribution_channel_attachments(asset.id))
    assert [(a.distribution_channel_id, a.media_asset_id, a.version) for a in attachments.items] == [(channel.id, asset.id, 1)]
    one = served(judge, MS, "get_media_asset_distribution_channel_attachment",
                 ms.get_media_asset_distribution_channel_attachment(asset.id, channel.id))
    assert one.media_workflow_job_id == ingest.media_workflow_job_id and one.lifecycle_state == "ACTIVE"
    on_channel = ms.list_media_assets(compartment_id=compartment, distribution_channel_id=channel.id).data.items
    assert [a.id for a in on_channel] == [asset.id] and other.id not in [a.id for a in on_channel]
    response = ms.delete_media_asset_distribution_channel_attachment(asset.id, channel.id, version=1)
    assert response.status in (200, 202, 204)
    judge.served(MS, "delete_media_asset_distribution_channel_attachment")
    assert ms.list_media_asset_distribution_channel_attachments(asset.id).data.items == []
    with pytest.raises(oci.exceptions.ServiceError) as error:
        ms.get_media_asset_distribution_channel_attachment(asset.id, channel.id)
    assert error.value.status == 404


def test_etags_lock_override_and_asset_delete_modes(ms, lab, judge):
    compartment = fresh_compartment()
    wf = make_workflow(ms, lab, compartment)
    etag = wf.headers["etag"]
    assert etag and ms.get_media_workflow(wf.data.id).headers["etag"] == etag
    with pytest.raises(oci.exceptions.ServiceError) as error:
        ms.update_media_workflow(wf.data.id, M.UpdateMediaWorkflowDetails(display_name="x"), if_match="not-the-etag")
    assert (error.value.status, error.value.code) == (412, "NoEtagMatch")
    updated = ms.update_media_workflow(wf.data.id, M.UpdateMediaWorkflowDetails(display_name="x"), if_match=etag)
    assert updated.headers["etag"] != etag
    with pytest.raises(oci.exceptions.ServiceError) as error:
        ms.delete_media_workflow(wf.data.id, if_match=etag)
    assert error.value.status == 412

    # A FULL lock refuses update and delete; isLockOverride lets both through.
    ms.add_media_workflow_lock(M.AddLockDetails(type="FULL", compartment_id=compartment), wf.data.id)
    with pytest.raises(oci.exceptions.ServiceError) as error:
        ms.update_media_workflow(wf.data.id, M.UpdateMediaWorkflowDetails(display_name="y"))
    assert error.value.status == 409
    assert ms.update_media_workflow(wf.data.id, M.UpdateMediaWorkflowDetails(display_name="y"),
                                    is_lock_override=True).data.display_name == "y"
    assert ms.delete_media_workflow(wf.data.id, is_lock_override=True).status in (200, 202, 204)

    # Assets of other types with their fields; deleteMode takes children or derivations along.
    parent = ms.create_media_asset(M.CreateMediaAssetDetails(
        compartment_id=compartment, type="VIDEO", display_name="source", bucket_name="media-in", namespace_name="emulator",
        object_name="clip.mp4", source_media_workflow_id=wf.data.id, source_media_workflow_version=2,
        segment_range_start_index=0, segment_range_end_index=9, metadata=[M.Metadata(metadata='{"k": 1}')],
        media_asset_tags=[M.MediaAssetTag(type="USER", value="demo")])).data
    assert_complete(parent)
    assert (parent.type, parent.source_media_workflow_version, parent.media_asset_tags[0].value) == ("VIDEO", 2, "demo")
    child = ms.create_media_asset(M.CreateMediaAssetDetails(
        compartment_id=compartment, type="IMAGE", parent_media_asset_id=parent.id, object_name="thumb.jpg")).data
    derived = ms.create_media_asset(M.CreateMediaAssetDetails(
        compartment_id=compartment, type="PLAYLIST", master_media_asset_id=parent.id, object_name="m.m3u8")).data
    by_version = ms.list_media_assets(compartment_id=compartment, source_media_workflow_version=2).data.items
    assert [a.id for a in by_version] == [parent.id]
    assert [a.id for a in ms.list_media_assets(compartment_id=compartment, parent_media_asset_id=parent.id).data.items] == [child.id]
    assert [a.id for a in ms.list_media_assets(compartment_id=compartment, type="PLAYLIST").data.items] == [derived.id]
    assert ms.delete_media_asset(parent.id, delete_mode="DELETE_CHILDREN").status in (200, 202, 204)
    remaining = [a.id for a in ms.list_media_assets(compartment_id=compartment).data.items]
    assert remaining == [derived.id]
