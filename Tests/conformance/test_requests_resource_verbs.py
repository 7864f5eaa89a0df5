"""The verbs every Media Services resource kind has beyond get/list (issue 17): update, change-compartment, add-lock,
remove-lock, delete with if-match / isLockOverride / deleteMode, `--wait-for-state`, and every list filter and sort,
each compared request by request with oci 2.189.0's call for the same operation (harness.Harness.check).

Each side works on a resource of its own where the call changes it (made outside the captures by `prepare`), so
an etag read for one is still current when its update or delete is sent; both are shown as one placeholder.
"""
import json

import pytest

from harness import Case
from test_requests_media_services import MS, M, ctx, make, model  # noqa: F401 (ctx is the module's fixture)

# kind (make()'s name) -> (mediactl group, the SDK's method suffix, Update…Details model)
KINDS = {
    "workflow": ("workflow", "media_workflow", "UpdateMediaWorkflowDetails"),
    "job": ("job", "media_workflow_job", "UpdateMediaWorkflowJobDetails"),
    "channel": ("channel", "stream_distribution_channel", "UpdateStreamDistributionChannelDetails"),
    "cdn": ("cdn-config", "stream_cdn_config", "UpdateStreamCdnConfigDetails"),
    "packaging": ("packaging-config", "stream_packaging_config", "UpdateStreamPackagingConfigDetails"),
    "asset": ("asset", "media_asset", "UpdateMediaAssetDetails"),
    "configuration": ("workflow-config", "media_workflow_configuration", "UpdateMediaWorkflowConfigurationDetails"),
}
MOVABLE = {"workflow": "ChangeMediaWorkflowCompartmentDetails", "job": "ChangeMediaWorkflowJobCompartmentDetails",
           "channel": "ChangeStreamDistributionChannelCompartmentDetails", "asset": "ChangeMediaAssetCompartmentDetails",
           "configuration": "ChangeMediaWorkflowConfigurationCompartmentDetails"}

FREEFORM = {"team": "media", "env": "conformance ü"}
DEFINED = {"Operations": {"CostCenter": "42"}}


def sdk(h, kind, verb):
    return getattr(h.ms, f"{verb}_{KINDS[kind][1]}")


def group(kind):
    return KINDS[kind][0].split()


def fresh(kind, lock=None, etag=False):
    """prepare: two new resources of `kind` (the SDK's, mediactl's), shown as {fresh}; with `lock`, locked by the SDK
    first; with `etag`, each with its current etag (shown as {etag})."""
    def prepare(h):
        out = []
        for _ in range(2):
            rid = h.name(make(h, kind), "fresh")
            if lock:
                getattr(h.ms, f"add_{KINDS[kind][1]}_lock")(M.AddLockDetails(type=lock, compartment_id=h.compartment), rid)
            tag = h.name(sdk(h, kind, "get")(rid).headers["etag"], "etag") if etag else None
            out.append((rid, tag))
        return out
    return prepare


def sdk_update(kind, details, **kw):
    return lambda h: sdk(h, kind, "update")(h.prep[0][0], details(h), **({"if_match": h.prep[0][1]} if "if_match" in kw else {}),
                                             **{k: v for k, v in kw.items() if k != "if_match"})


def update_case(kind, details, options, **kw):
    """update of a fresh resource with `details` (a function of h) against `mediactl <group> update ID <options>`."""
    def argv(h):
        extra = ["--if-match", h.prep[1][1]] if "if_match" in kw else []
        return [*group(kind), "update", h.prep[1][0], *options(h), *extra]
    return Case(MS, f"update_{KINDS[kind][1]}", sdk_update(kind, details, **kw), argv, prepare=fresh(kind, etag="if_match" in kw))


def name_and_tags(kind):
    model = getattr(M, KINDS[kind][2])
    return update_case(kind, lambda h: model(display_name="renamed", freeform_tags=FREEFORM, defined_tags=DEFINED),
                       lambda h: ["--name", "renamed", "--freeform-tags", json.dumps(FREEFORM, ensure_ascii=False),
                                  "--defined-tags", json.dumps(DEFINED)])


def workflow_file(h):
    doc = {"tasks": h.template["tasks"], "parameters": {"video": {"srcBucket": "other"}}}
    f = h.home / "update-definition.json"
    f.write_text(json.dumps(doc))
    tags = h.home / "tags.json"
    tags.write_text(json.dumps(DEFINED))
    return ["-f", str(f), "--defined-tags", f"@{tags}"]


AKAMAI = dict(originAuthSignType="ForwardURL", originAuthSignEncryption="SHA256-HMAC", originAuthSecretKeyA="a-secret",
              originAuthSecretKeyNonceA="1", edgeHostname="cdn.example.com", edgePathPrefix="/media", isEdgeTokenAuth=True,
              edgeTokenKey="token-key", edgeTokenSalt="salt")


def cdn_config_file(h):
    f = h.home / "akamai.json"
    f.write_text(json.dumps(dict(AKAMAI, type="AKAMAI_MANUAL")))
    return str(f)


# Configurations have their own update verb (workflow-config update, in test_requests_media_resources.py).
UPDATES = [name_and_tags(kind) for kind in KINDS if kind != "configuration"] + [
    update_case("workflow", lambda h: model(h, {"tasks": h.template["tasks"], "parameters": {"video": {"srcBucket": "other"}},
                                                "definedTags": DEFINED}, "UpdateMediaWorkflowDetails"), workflow_file),
    update_case("workflow", lambda h: M.UpdateMediaWorkflowDetails(display_name="guarded"),
                lambda h: ["--name", "guarded", "--lock-override"], if_match=True, is_lock_override=True),
    update_case("cdn", lambda h: M.UpdateStreamCdnConfigDetails(is_enabled=False, config=M.EdgeStreamCdnConfig(type="EDGE")),
                lambda h: ["--enabled", "false", "--cdn-config", str(write(h, "edge.json", {"type": "EDGE"}))]),
    update_case("cdn", lambda h: model(h, {"config": dict(AKAMAI, type="AKAMAI_MANUAL")}, "UpdateStreamCdnConfigDetails"),
                lambda h: ["--cdn-config", cdn_config_file(h)]),
    update_case("asset", lambda h: M.UpdateMediaAssetDetails(
        display_name="asset-renamed", type="VIDEO", parent_media_asset_id=h.asset, master_media_asset_id=h.asset,
        metadata=[M.Metadata(metadata="{\"duration\": 3}"), M.Metadata(metadata="second")],
        media_asset_tags=[M.MediaAssetTag(type="USER", value="sports"), M.MediaAssetTag(type="USER", value="live")]),
                lambda h: ["--name", "asset-renamed", "--type", "VIDEO", "--parent-asset-id", h.asset, "--master-asset-id", h.asset,
                           "--metadata", "{\"duration\": 3}", "--metadata", "second", "--asset-tag", "sports", "--asset-tag", "live"]),
    # --wait-for-state: the same PUT, then GETs until the state is there (only the PUT is the SDK's call).
    update_case("channel", lambda h: M.UpdateStreamDistributionChannelDetails(display_name="waited"),
                lambda h: ["--name", "waited", "--wait-for-state", "active", "--max-wait-seconds", "30"]),
]


def write(h, name, doc):
    f = h.home / name
    f.write_text(json.dumps(doc))
    return f


def if_match(tag):
    return {"if_match": tag} if tag else {}


def if_match_flag(tag):
    return ["--if-match", tag] if tag else []


# A job's etag changes as it runs (its state is part of it): its guarded calls go without if-match.
STEADY = {"workflow", "channel", "cdn", "packaging", "asset"}


def deleting(kind, lock=None, mode=None):
    """delete of a fresh resource with if-match and isLockOverride (and an asset's deleteMode), then --wait-for-state DELETED."""
    kw = {"delete_mode": mode} if mode else {}
    return Case(MS, f"delete_{KINDS[kind][1]}",
                lambda h: sdk(h, kind, "delete")(h.prep[0][0], is_lock_override=True, **if_match(h.prep[0][1]), **kw),
                lambda h: [*group(kind), "delete", h.prep[1][0], "--yes", *if_match_flag(h.prep[1][1]), "--lock-override",
                           *(["--delete-mode", mode] if mode else []), "--wait-for-state", "DELETED"],
                prepare=fresh(kind, lock=lock, etag=kind in STEADY))


DELETES = [deleting(kind, lock="DELETE") for kind in KINDS if kind != "configuration"] + [deleting("asset", mode="DELETE_CHILDREN"),
                                                                 deleting("asset", mode="DELETE_DERIVATIONS")]


def moving(kind):
    model = getattr(M, MOVABLE[kind])
    return Case(MS, f"change_{KINDS[kind][1]}_compartment",
                lambda h: getattr(h.ms, f"change_{KINDS[kind][1]}_compartment")(
                    h.prep[0][0], model(compartment_id=h.compartment), is_lock_override=True, **if_match(h.prep[0][1])),
                lambda h: [*group(kind), "change-compartment", h.prep[1][0], "--compartment-id", h.compartment,
                           *if_match_flag(h.prep[1][1]), "--lock-override"],
                prepare=fresh(kind, etag=kind in STEADY))


def locking(kind, verb, message=None):
    """add-lock on a fresh resource, or remove-lock of the DELETE lock the SDK put on it. mediactl reads the resource
    first for the lock's compartment (AddLockDetails requires one); only the lock action is the SDK's call."""
    details = M.AddLockDetails if verb == "add" else M.RemoveLockDetails
    return Case(MS, f"{verb}_{KINDS[kind][1]}_lock",
                lambda h: getattr(h.ms, f"{verb}_{KINDS[kind][1]}_lock")(
                    details(type="DELETE", compartment_id=h.compartment, message=message), h.prep[0][0]),
                lambda h: [*group(kind), f"{verb}-lock", h.prep[1][0], "--type", "DELETE", *(["--message", message] if message else [])],
                prepare=fresh(kind, lock="DELETE" if verb == "remove" else None))


ACTIONS = [moving(kind) for kind in MOVABLE] + [locking(kind, "add", "in production") for kind in KINDS] \
    + [locking(kind, "remove") for kind in KINDS] + [
    Case(MS, "add_media_workflow_lock",
         lambda h: h.ms.add_media_workflow_lock(M.AddLockDetails(type="FULL", compartment_id=h.compartment,
                                                                 related_resource_id=h.job), h.prep[0][0], if_match=h.prep[0][1]),
         lambda h: ["workflow", "add-lock", h.prep[1][0], "--type", "FULL", "--compartment-id", h.compartment,
                    "--related-resource-id", h.job, "--if-match", h.prep[1][1]],
         prepare=fresh("workflow", etag=True)),
]

# Lists with sort, order, the id filter and (assets) every filter the SDK's list_media_assets takes.
LISTS = [
    Case(MS, "list_media_workflows", lambda h: h.ms.list_media_workflows(
        compartment_id=h.compartment, id=h.workflow, sort_by="displayName", sort_order="DESC"),
         lambda h: ["workflow", "list", "--compartment-id", h.compartment, "--id", h.workflow, "--sort-by", "displayName",
                    "--sort-order", "DESC"]),
    Case(MS, "list_media_workflow_jobs", lambda h: h.ms.list_media_workflow_jobs(
        compartment_id=h.compartment, id=h.job, lifecycle_state="IN_PROGRESS", sort_by="workflowId", sort_order="ASC"),
         lambda h: ["job", "list", "--compartment-id", h.compartment, "--id", h.job, "--state", "in_progress", "--sort-by",
                    "workflowId", "--sort-order", "ASC"]),
    Case(MS, "list_stream_distribution_channels", lambda h: h.ms.list_stream_distribution_channels(
        compartment_id=h.compartment, id=h.channel, lifecycle_state="NEEDS_ATTENTION", sort_by="timeCreated", sort_order="ASC"),
         lambda h: ["channel", "list", "--compartment-id", h.compartment, "--id", h.channel, "--state", "Needs_Attention",
                    "--sort-by", "timeCreated", "--sort-order", "ASC"]),
    Case(MS, "list_stream_cdn_configs", lambda h: h.ms.list_stream_cdn_configs(
        distribution_channel_id=h.channel, id=h.cdn, sort_by="displayName", sort_order="ASC"),
         lambda h: ["cdn-config", "list", "--channel-id", h.channel, "--id", h.cdn, "--sort-by", "displayName", "--sort-order", "ASC"]),
    Case(MS, "list_stream_packaging_configs", lambda h: h.ms.list_stream_packaging_configs(
        distribution_channel_id=h.channel, stream_packaging_config_id=h.packaging, sort_by="timeCreated", sort_order="DESC"),
         lambda h: ["packaging-config", "list", "--channel-id", h.channel, "--id", h.packaging, "--sort-by", "timeCreated",
                    "--sort-order", "DESC"]),
    Case(MS, "list_media_assets", lambda h: h.ms.list_media_assets(
        compartment_id=h.compartment, display_name="fixture", lifecycle_state="ACTIVE", distribution_channel_id=h.channel,
        parent_media_asset_id=h.asset, master_media_asset_id=h.asset, type="PLAYLIST", bucket_name="media-out",
        object_name="run1/master.m3u8", media_workflow_job_id=h.job, source_media_workflow_id=h.workflow,
        source_media_workflow_version=1, sort_by="lifecycleState", sort_order="DESC", limit=7),
         lambda h: ["asset", "list", "--compartment-id", h.compartment, "--name", "fixture", "--state", "active", "--channel-id",
                    h.channel, "--parent-asset-id", h.asset, "--master-asset-id", h.asset, "--type", "PLAYLIST", "--bucket",
                    "media-out", "--object", "run1/master.m3u8", "--job-id", h.job, "--source-workflow-id", h.workflow,
                    "--source-workflow-version", "1", "--sort-by", "lifecycleState", "--sort-order", "DESC", "--limit", "7"]),
]


def job_run_waiting(h):
    from test_requests_media_services import job_argv
    return job_argv(h) + ["--wait-for-state", "SUCCEEDED", "--timeout", "60"]


def job_run_sdk(h):
    from test_requests_media_services import job_run_sdk as lab_job
    lab_job(h)


WAITS = [Case(MS, "create_media_workflow_job", job_run_sdk, job_run_waiting)]


@pytest.mark.parametrize("case", UPDATES, ids=lambda c: c.operation)
def test_update_matches_the_sdk(ctx, judge, case):
    ctx.check(judge, case)


@pytest.mark.parametrize("case", DELETES, ids=lambda c: c.operation)
def test_guarded_delete_matches_the_sdk(ctx, judge, case):
    ctx.check(judge, case)


@pytest.mark.parametrize("case", ACTIONS, ids=lambda c: c.operation)
def test_compartment_and_lock_actions_match_the_sdk(ctx, judge, case):
    ctx.check(judge, case)


@pytest.mark.parametrize("case", LISTS, ids=lambda c: c.operation)
def test_sorted_and_filtered_list_matches_the_sdk(ctx, judge, case):
    ctx.check(judge, case)


@pytest.mark.parametrize("case", WAITS, ids=lambda c: c.operation)
def test_waiting_create_matches_the_sdk(ctx, judge, case):
    ctx.check(judge, case)
