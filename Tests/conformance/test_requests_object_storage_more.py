"""mediactl's Object Storage commands beyond put/get against oci 2.189.0's ObjectStorageClient (issue 17): namespace,
bucket list/create/get/head/update/delete, object rename/copy (and the copy's work request), pending multipart uploads, and
pre-authenticated requests. Each row is the SDK call a user would make for the same thing, with the same names."""
import datetime

import oci
import pytest

from harness import Case, compare, oci_harness

OS = "ObjectStorageClient"
M = oci.object_storage.models
BUCKET = "conformance-more"
BODY = b"rendition bytes\n" * 20
EXPIRES = "2031-01-31T12:00:00Z"


@pytest.fixture(scope="module")
def ctx(recorder, bin_dir, emulator):
    h = oci_harness(recorder, bin_dir, emulator)
    config = oci.config.from_file(str(emulator.config_file), emulator.profile)
    h.os = oci.object_storage.ObjectStorageClient(config, service_endpoint=recorder.http)
    h.namespace = h.env["MEDIACTL_NAMESPACE"]
    h.compartment = h.env["MEDIACTL_COMPARTMENT_ID"]
    h.region = config["region"]
    h.emulator_endpoint = emulator.endpoint.rstrip("/")
    try:
        h.os.create_bucket(h.namespace, M.CreateBucketDetails(name=BUCKET, compartment_id=h.compartment))
    except oci.exceptions.ServiceError as e:
        if e.status != 409:
            raise
    h.put = lambda name: h.os.put_object(h.namespace, BUCKET, name, BODY)
    return h


def _ns(h):
    return ["--namespace", h.namespace]


def _pair(prefix, placeholder, make):
    """One thing for each side (each deletes or renames its own): `make(h, name)` for `prefix`-sdk and -mediactl."""
    def prepare(h):
        for side in ("sdk", "mediactl"):
            make(h, h.name(f"{prefix}-{side}", placeholder))
    return prepare


def _two_buckets(h, name):
    h.os.create_bucket(h.namespace, M.CreateBucketDetails(name=name, compartment_id=h.compartment))


def _two_objects(h, name):
    h.put(name)
    h.name(f"{name}-new", "renamed")


def _par(h, name, object_name="fixture.txt"):
    par = h.os.create_preauthenticated_request(h.namespace, BUCKET, M.CreatePreauthenticatedRequestDetails(
        name=name, object_name=object_name, access_type="ObjectRead",
        time_expires=datetime.datetime(2031, 1, 31, 12, tzinfo=datetime.timezone.utc))).data
    return h.name(par.id, "par_id")


def _two_pars(h):
    h.put("fixture.txt")
    return {side: _par(h, f"doomed-{side}") for side in ("sdk", "mediactl")}


def _upload(h, name):
    up = h.os.create_multipart_upload(h.namespace, BUCKET, M.CreateMultipartUploadDetails(object=name)).data
    return h.name(up.upload_id, "upload_id")


def _two_uploads(h):
    return {side: (h.name(f"big-{side}.mov", "aborted_object"), _upload(h, f"big-{side}.mov")) for side in ("sdk", "mediactl")}


CASES = [
    Case(OS, "get_namespace", lambda h: h.os.get_namespace(), lambda h: ["namespace"]),
    Case(OS, "get_namespace", lambda h: h.os.get_namespace(compartment_id=h.compartment),
         lambda h: ["namespace", "--compartment-id", h.compartment]),
    Case(OS, "list_buckets", lambda h: h.os.list_buckets(h.namespace, h.compartment, limit=5),
         lambda h: ["bucket", "list", *_ns(h), "--limit", "5"]),
    Case(OS, "list_buckets", lambda h: h.os.list_buckets(h.namespace, h.compartment, fields=["tags"]),
         lambda h: ["bucket", "list", *_ns(h), "--fields", "tags"]),
    Case(OS, "create_bucket",
         lambda h: h.os.create_bucket(h.namespace, M.CreateBucketDetails(
             name=h.name("made-sdk", "new_bucket"), compartment_id=h.compartment, storage_tier="Standard",
             public_access_type="NoPublicAccess", versioning="Enabled", freeform_tags={"team": "media"},
             defined_tags={"Ops": {"CostCenter": "42"}})),
         lambda h: ["bucket", "create", h.name("made-mediactl", "new_bucket"), *_ns(h), "--storage-tier", "Standard",
                    "--public-access-type", "NoPublicAccess", "--versioning", "Enabled",
                    "--freeform-tags", '{"team": "media"}', "--defined-tags", '{"Ops": {"CostCenter": "42"}}'],
         command="mediactl bucket create"),
    Case(OS, "get_bucket", lambda h: h.os.get_bucket(h.namespace, BUCKET), lambda h: ["bucket", "get", BUCKET, *_ns(h)],
         command="mediactl bucket get"),
    Case(OS, "head_bucket", lambda h: h.os.head_bucket(h.namespace, BUCKET), lambda h: ["bucket", "head", BUCKET, *_ns(h)],
         command="mediactl bucket head"),
    Case(OS, "update_bucket",
         lambda h: h.os.update_bucket(h.namespace, BUCKET, M.UpdateBucketDetails(
             public_access_type="NoPublicAccess", versioning="Enabled", auto_tiering="InfrequentAccess",
             object_events_enabled=True, freeform_tags={"team": "media"}, defined_tags={"Ops": {"CostCenter": "42"}})),
         lambda h: ["bucket", "update", BUCKET, *_ns(h), "--public-access-type", "NoPublicAccess", "--versioning", "Enabled",
                    "--auto-tiering", "InfrequentAccess", "--object-events", "--freeform-tags", '{"team": "media"}',
                    "--defined-tags", '{"Ops": {"CostCenter": "42"}}'],
         command="mediactl bucket update"),
    Case(OS, "delete_bucket", lambda h: h.os.delete_bucket(h.namespace, "gone-sdk"),
         lambda h: ["bucket", "delete", "gone-mediactl", *_ns(h), "--yes"],
         prepare=_pair("gone", "doomed_bucket", _two_buckets), command="mediactl bucket delete"),
    Case(OS, "rename_object",
         lambda h: h.os.rename_object(h.namespace, BUCKET, M.RenameObjectDetails(source_name="mv-sdk", new_name="mv-sdk-new")),
         lambda h: ["object", "rename", "mv-mediactl", "mv-mediactl-new", "--bucket", BUCKET, *_ns(h)],
         prepare=_pair("mv", "source", _two_objects), command="mediactl object rename"),
    Case(OS, "list_multipart_uploads", lambda h: h.os.list_multipart_uploads(h.namespace, BUCKET, limit=10),
         lambda h: ["object", "multipart", "list", "--bucket", BUCKET, *_ns(h), "--limit", "10"],
         command="mediactl object multipart list"),
    Case(OS, "abort_multipart_upload",
         lambda h: h.os.abort_multipart_upload(h.namespace, BUCKET, *h.prep["sdk"]),
         lambda h: ["object", "multipart", "abort", "--bucket", BUCKET, *_ns(h), "--object", h.prep["mediactl"][0],
                    "--upload-id", h.prep["mediactl"][1], "--yes"],
         prepare=_two_uploads, command="mediactl object multipart abort"),
    Case(OS, "create_preauthenticated_request",
         lambda h: h.os.create_preauthenticated_request(h.namespace, BUCKET, M.CreatePreauthenticatedRequestDetails(
             name="share", object_name="fixture.txt", access_type="ObjectRead",
             time_expires=datetime.datetime(2031, 1, 31, 12, tzinfo=datetime.timezone.utc))),
         lambda h: ["par", "create", "--bucket", BUCKET, *_ns(h), "--object", "fixture.txt", "--name", "share",
                    "--access-type", "ObjectRead", "--expires", EXPIRES],
         prepare=lambda h: h.put("fixture.txt")),
    Case(OS, "create_preauthenticated_request",
         lambda h: h.os.create_preauthenticated_request(h.namespace, BUCKET, M.CreatePreauthenticatedRequestDetails(
             name="whole", access_type="AnyObjectRead", bucket_listing_action="ListObjects",
             time_expires=datetime.datetime(2031, 1, 31, 12, tzinfo=datetime.timezone.utc))),
         lambda h: ["par", "create", "--bucket", BUCKET, *_ns(h), "--name", "whole", "--access-type", "AnyObjectRead",
                    "--list-objects", "--expires", EXPIRES]),
    Case(OS, "get_preauthenticated_request", lambda h: h.os.get_preauthenticated_request(h.namespace, BUCKET, h.prep),
         lambda h: ["par", "get", h.prep, "--bucket", BUCKET, *_ns(h)],
         prepare=lambda h: (h.put("fixture.txt"), _par(h, "shown"))[1]),
    Case(OS, "list_preauthenticated_requests",
         lambda h: h.os.list_preauthenticated_requests(h.namespace, BUCKET, object_name_prefix="fix", limit=5),
         lambda h: ["par", "list", "--bucket", BUCKET, *_ns(h), "--object-prefix", "fix", "--limit", "5"]),
    Case(OS, "delete_preauthenticated_request",
         lambda h: h.os.delete_preauthenticated_request(h.namespace, BUCKET, h.prep["sdk"]),
         lambda h: ["par", "delete", h.prep["mediactl"], "--bucket", BUCKET, *_ns(h), "--yes"],
         prepare=_two_pars),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.operation)
def test_request_matches_the_sdk(ctx, judge, case):
    ctx.check(judge, case)


def test_copy_and_its_work_request_match_the_sdk(ctx, judge):
    """`object copy --wait`: CopyObject, then GetWorkRequest until COMPLETED, as the SDK's copy_object and wait_until."""
    ctx.put("copy-src.mp4")
    with ctx.recorder.capture() as sdk_got:
        answer = ctx.os.copy_object(ctx.namespace, BUCKET, M.CopyObjectDetails(
            source_object_name="copy-src.mp4", destination_region=ctx.region, destination_namespace=ctx.namespace,
            destination_bucket=BUCKET, destination_object_name="copy-dst.mp4"))
        ctx.name(answer.headers["opc-work-request-id"], "work_request")
        oci.wait_until(ctx.os, ctx.os.get_work_request(answer.headers["opc-work-request-id"]), "status", "COMPLETED",
                       max_wait_seconds=30)
    with ctx.recorder.capture() as m_got:
        out = ctx.mediactl(["object", "copy", "copy-src.mp4", "--bucket", BUCKET, *_ns(ctx), "--destination-bucket", BUCKET,
                            "--destination-name", "copy-dst.mp4", "--wait"])
    copies = [r for r in m_got if r.path.endswith("/actions/copyObject")]
    assert len(copies) == 1, [f"{r.method} {r.target}" for r in m_got]
    ctx.name(copies[0].response_headers["opc-work-request-id"], "work_request")
    assert '"COMPLETED"' in out.stdout
    for op, pick in (("copy_object", lambda r: r.method == "POST"), ("get_work_request", lambda r: r.method == "GET")):
        compare(judge, OS, op, "mediactl object copy", [r for r in sdk_got if pick(r)][:1], [r for r in m_got if pick(r)][:1],
                ctx.placeholders)


def test_par_create_prints_the_link_that_opens_the_object(ctx):
    """The point of `par create`: the full link on stdout, which reads the object without credentials."""
    import json
    import urllib.request
    ctx.put("fixture.txt")
    out = ctx.mediactl(["par", "create", "--bucket", BUCKET, *_ns(ctx), "--object", "fixture.txt", "--expires", "1h", "--debug"])
    link = json.loads(out.stdout)["accessUrl"]
    token = link.split("/p/", 1)[1].split("/", 1)[0]
    assert token not in out.stderr, "the link reached the --debug log"
    # mediactl printed the recorder's address (its Object Storage endpoint here); the same path on the emulator.
    assert link.startswith(ctx.recorder.http.rstrip("/") + "/p/"), link
    with urllib.request.urlopen(ctx.emulator_endpoint + link[len(ctx.recorder.http.rstrip("/")):]) as answer:
        assert answer.read() == BODY
