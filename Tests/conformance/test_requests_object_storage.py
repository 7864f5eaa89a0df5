"""mediactl's Object Storage requests against oci 2.189.0's ObjectStorageClient (issue 14, direction 1).

The `object` commands against the SDK calls a user would make for the same thing, with the same file, bucket and
names; a multipart upload is compared part by part with the SDK's create_multipart_upload / upload_part /
commit_multipart_upload over the same part boundaries.
"""
import os

import oci
import pytest

from harness import Case, compare, oci_harness

OS = "ObjectStorageClient"
BUCKET = "conformance"
SMALL = b"conformance small object\n" * 40
ODD = "dir/a b+c&d=é%.txt"
PART = 1024 * 1024  # --part-size 1 (MiB)
LARGE = bytes(range(256)) * (PART * 5 // 2 // 256)  # 2.5 MiB: three parts


@pytest.fixture(scope="module")
def ctx(recorder, bin_dir, emulator):
    h = oci_harness(recorder, bin_dir, emulator)
    env = h.env
    config = oci.config.from_file(str(emulator.config_file), emulator.profile)
    h.os = oci.object_storage.ObjectStorageClient(config, service_endpoint=recorder.http)
    h.namespace = env["MEDIACTL_NAMESPACE"]
    h.emulator_endpoint = emulator.endpoint
    h.compartment = env["MEDIACTL_COMPARTMENT_ID"]
    try:
        h.os.create_bucket(h.namespace, oci.object_storage.models.CreateBucketDetails(
            name=BUCKET, compartment_id=h.compartment))
    except oci.exceptions.ServiceError as e:
        if e.status != 409:  # already there from an earlier module: fine
            raise
    h.small = h.home / "small.txt"
    h.small.write_bytes(SMALL)
    h.large = h.home / "large.bin"
    h.large.write_bytes(LARGE)
    h.put = lambda name, data: h.os.put_object(h.namespace, BUCKET, name, data)
    return h


def _put_prepare(h):
    h.put("fixture.txt", SMALL)


def _two(prefix):
    """Two objects, one for each side to delete."""
    def prepare(h):
        h.put(f"{prefix}-sdk", SMALL)
        h.put(f"{prefix}-mediactl", SMALL)
        h.name(f"{prefix}-sdk", "doomed")
        h.name(f"{prefix}-mediactl", "doomed")
    return prepare


CASES = [
    # mediactl asks for the namespace when none is given, as the oci CLI does
    Case(OS, "get_namespace", lambda h: h.os.get_namespace(),
         lambda h: ["object", "ls", "--bucket", BUCKET, "--prefix", "fixture"],
         env={"MEDIACTL_NAMESPACE": ""}),
    Case(OS, "put_object",
         lambda h: h.os.put_object(h.namespace, BUCKET, "small.txt", SMALL, content_type="application/octet-stream"),
         lambda h: ["object", "put", str(h.small), "--bucket", BUCKET, "--namespace", h.namespace]),
    Case(OS, "put_object",
         lambda h: h.os.put_object(h.namespace, BUCKET, "typed.mp4", SMALL, content_type="video/mp4"),
         lambda h: ["object", "put", str(h.small), "--bucket", BUCKET, "--namespace", h.namespace, "--name",
                    "typed.mp4", "--content-type", "video/mp4"]),
    # a name with a folder, spaces and reserved characters: how each encodes it in the path
    Case(OS, "put_object",
         lambda h: h.os.put_object(h.namespace, BUCKET, ODD, SMALL, content_type="application/octet-stream"),
         lambda h: ["object", "put", str(h.small), "--bucket", BUCKET, "--namespace", h.namespace, "--name", ODD]),
    Case(OS, "head_object", lambda h: h.os.head_object(h.namespace, BUCKET, ODD),
         lambda h: ["object", "head", ODD, "--bucket", BUCKET, "--namespace", h.namespace],
         prepare=lambda h: h.put(ODD, SMALL)),
    Case(OS, "list_objects",
         lambda h: h.os.list_objects(h.namespace, BUCKET, prefix="dir/a b", fields="name,size,md5,timeCreated,etag"),
         lambda h: ["object", "ls", "--bucket", BUCKET, "--namespace", h.namespace, "--prefix", "dir/a b"]),
    Case(OS, "head_object", lambda h: h.os.head_object(h.namespace, BUCKET, "fixture.txt"),
         lambda h: ["object", "head", "fixture.txt", "--bucket", BUCKET, "--namespace", h.namespace],
         prepare=_put_prepare),
    Case(OS, "get_object", lambda h: h.os.get_object(h.namespace, BUCKET, "fixture.txt").data.content,
         lambda h: ["object", "get", "fixture.txt", "--bucket", BUCKET, "--namespace", h.namespace,
                    "--file", str(h.home / "got.txt")],
         prepare=_put_prepare),
    # `object ls` shows size, MD5, time and ETag: the SDK returns them only when asked (`fields`).
    Case(OS, "list_objects",
         lambda h: h.os.list_objects(h.namespace, BUCKET, prefix="fixture", fields="name,size,md5,timeCreated,etag"),
         lambda h: ["object", "ls", "--bucket", BUCKET, "--namespace", h.namespace, "--prefix", "fixture"],
         prepare=_put_prepare),
    Case(OS, "list_objects",
         lambda h: h.os.list_objects(h.namespace, BUCKET, prefix="f", start="fixture", limit=2,
                                     fields="name,size,md5,timeCreated,etag"),
         lambda h: ["object", "ls", "--bucket", BUCKET, "--namespace", h.namespace, "--prefix", "f", "--start",
                    "fixture", "--limit", "2"], prepare=_put_prepare),
    Case(OS, "delete_object", lambda h: h.os.delete_object(h.namespace, BUCKET, "rm-sdk"),
         lambda h: ["object", "rm", "rm-mediactl", "--bucket", BUCKET, "--namespace", h.namespace, "--yes"],
         prepare=_two("rm"), command="mediactl object rm"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.operation)
def test_request_matches_the_sdk(ctx, judge, case):
    ctx.check(judge, case)


@pytest.mark.parametrize("content_type", [None, "video/mp4"])
def test_multipart_upload_matches_the_sdk(ctx, judge, content_type):
    """`object put --part-size 1` of a 2.5 MiB file: the same three calls, part for part, as the SDK's."""
    M = oci.object_storage.models
    typed = ["--content-type", content_type] if content_type else []
    with ctx.recorder.capture() as m_got:
        ctx.mediactl(["object", "put", str(ctx.large), "--bucket", BUCKET, "--namespace", ctx.namespace,
                      "--name", "large.bin", "--part-size", "1", *typed])
    creates = [r for r in m_got if r.method == "POST" and r.path.endswith(f"/b/{BUCKET}/u")]
    assert len(creates) == 1, [f"{r.method} {r.target}" for r in m_got]
    ctx.name(creates[0].response_json()["uploadId"], "upload_id")
    with ctx.recorder.capture() as sdk_got:
        up = ctx.os.create_multipart_upload(ctx.namespace, BUCKET, M.CreateMultipartUploadDetails(
            object="large.bin", content_type=content_type)).data  # none given: neither says one (nor the oci CLI)
        ctx.name(up.upload_id, "upload_id")
        parts = []
        for n, start in enumerate(range(0, len(LARGE), PART), start=1):
            r = ctx.os.upload_part(ctx.namespace, BUCKET, "large.bin", up.upload_id, n, LARGE[start:start + PART])
            parts.append(M.CommitMultipartUploadPartDetails(part_num=n, etag=r.headers["etag"]))
        ctx.os.commit_multipart_upload(ctx.namespace, BUCKET, "large.bin", up.upload_id,
                                       M.CommitMultipartUploadDetails(parts_to_commit=parts))
    # Part ETags are random per upload (as OCI's are): each side's part N ETag is shown as {etag_N}.
    for got in (m_got, sdk_got):
        for r in got:
            if r.method == "PUT" and "etag" in r.response_headers:
                ctx.name(r.response_headers["etag"], f"etag_{dict(r.query)['uploadPartNum']}")
    by_op = {"create_multipart_upload": lambda r: r.method == "POST" and r.path.endswith("/u"),
             "upload_part": lambda r: r.method == "PUT",
             "commit_multipart_upload": lambda r: r.method == "POST" and "/u/" in r.path}
    for op, pick in by_op.items():
        compare(judge, OS, op, "mediactl object put", [r for r in sdk_got if pick(r)], [r for r in m_got if pick(r)],
                ctx.placeholders)


def _fail_next(ctx, operation):
    """One emulator fault (admin endpoint, unsigned, straight to the emulator): the next `operation` answers 500."""
    import json as _json
    import urllib.request
    req = urllib.request.Request(ctx.emulator_endpoint + "/_emulator/faults", method="POST",
                                 data=_json.dumps({"operation": operation, "status": 500, "count": 1}).encode(),
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status < 300


def _interrupted_put(ctx, name):
    """`object put` whose commit fails once (--no-retry): the upload's parts are there, its record kept for a rerun."""
    path = ctx.home / name
    path.write_bytes(LARGE)
    _fail_next(ctx, f"POST /n/{ctx.namespace}/b/{BUCKET}/u/{name}")
    ctx.mediactl(["object", "put", str(path), "--bucket", BUCKET, "--namespace", ctx.namespace, "--part-size", "1",
                  "--no-retry"], exit_code=1)
    return path


def _sdk_upload(ctx, name):
    M = oci.object_storage.models
    up = ctx.os.create_multipart_upload(ctx.namespace, BUCKET, M.CreateMultipartUploadDetails(object=name)).data
    ctx.os.upload_part(ctx.namespace, BUCKET, name, up.upload_id, 1, LARGE[:PART])
    return ctx.name(up.upload_id, "upload_id")


def test_resumed_upload_lists_parts_as_the_sdk(ctx, judge):
    """A rerun of an interrupted `object put` asks which parts the service holds: list_multipart_upload_parts."""
    path = _interrupted_put(ctx, "resume.bin")
    with ctx.recorder.capture() as m_got:
        ctx.mediactl(["object", "put", str(path), "--bucket", BUCKET, "--namespace", ctx.namespace, "--part-size", "1"])
    lists = [r for r in m_got if r.method == "GET" and "/u/resume.bin" in r.path]
    assert lists, [f"{r.method} {r.target}" for r in m_got]
    ctx.name(dict(lists[0].query)["uploadId"], "upload_id")
    upload_id = _sdk_upload(ctx, "resume-sdk.bin")
    ctx.name("resume-sdk.bin", "resumed_object")
    ctx.name("resume.bin", "resumed_object")
    with ctx.recorder.capture() as sdk_got:
        ctx.os.list_multipart_upload_parts(ctx.namespace, BUCKET, "resume-sdk.bin", upload_id)
    compare(judge, OS, "list_multipart_upload_parts", "mediactl object put", sdk_got, lists, ctx.placeholders)


def test_changed_file_aborts_the_old_upload_as_the_sdk(ctx, judge):
    """A rerun after the file changed gives up the old upload's parts: abort_multipart_upload."""
    path = _interrupted_put(ctx, "changed.bin")
    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime - 60))  # same bytes, another mtime: a different file to the record
    with ctx.recorder.capture() as m_got:
        ctx.mediactl(["object", "put", str(path), "--bucket", BUCKET, "--namespace", ctx.namespace, "--part-size", "1"])
    aborts = [r for r in m_got if r.method == "DELETE"]
    assert aborts, [f"{r.method} {r.target}" for r in m_got]
    ctx.name(dict(aborts[0].query)["uploadId"], "upload_id")
    upload_id = _sdk_upload(ctx, "changed-sdk.bin")
    ctx.name("changed-sdk.bin", "aborted_object")
    ctx.name("changed.bin", "aborted_object")
    with ctx.recorder.capture() as sdk_got:
        ctx.os.abort_multipart_upload(ctx.namespace, BUCKET, "changed-sdk.bin", upload_id)
    compare(judge, OS, "abort_multipart_upload", "mediactl object put", sdk_got, aborts, ctx.placeholders)
