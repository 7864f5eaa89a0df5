"""The oci SDK's ObjectStorageClient against mediactl-emulator: the calls a media user makes (namespace, buckets,
objects, multipart uploads), each answer checked against the SDK's model (sdk_models.assert_complete)."""
import hashlib
import base64
import uuid

import oci
import pytest

from sdk_models import assert_complete

OS = "ObjectStorageClient"
NAMESPACE = "emulator"


@pytest.fixture(scope="module")
def client(emulator):
    config = oci.config.from_file(str(emulator.config_file), emulator.profile)
    return oci.object_storage.ObjectStorageClient(config, service_endpoint=emulator.endpoint)


@pytest.fixture(scope="module")
def compartment(emulator):
    return oci.config.from_file(str(emulator.config_file), emulator.profile)["tenancy"]


def served(judge, operation, response, status=200):
    assert response.status == status, f"{operation}: HTTP {response.status}"
    if response.data is not None and not isinstance(response.data, (str, bytes)) and hasattr(response.data, "swagger_types"):
        assert_complete(response.data, operation)
    judge.served(OS, operation)
    return response


@pytest.fixture
def bucket(client, compartment):
    name = f"conformance-{uuid.uuid4().hex[:12]}"
    client.create_bucket(NAMESPACE, oci.object_storage.models.CreateBucketDetails(name=name, compartment_id=compartment))
    return name


def test_namespace_and_buckets(client, compartment, judge):
    assert served(judge, "get_namespace", client.get_namespace()).data == NAMESPACE
    name = f"conformance-{uuid.uuid4().hex[:12]}"
    created = served(judge, "create_bucket", client.create_bucket(
        NAMESPACE, oci.object_storage.models.CreateBucketDetails(name=name, compartment_id=compartment))).data
    assert created.name == name and created.namespace == NAMESPACE and created.compartment_id == compartment
    got = served(judge, "get_bucket", client.get_bucket(NAMESPACE, name)).data
    assert got.name == name and got.etag == created.etag
    assert served(judge, "head_bucket", client.head_bucket(NAMESPACE, name)).headers.get("etag") == created.etag
    listed = served(judge, "list_buckets", client.list_buckets(NAMESPACE, compartment)).data
    assert name in [b.name for b in listed]
    assert_complete(listed, "list_buckets")
    with pytest.raises(oci.exceptions.ServiceError) as error:
        client.get_bucket(NAMESPACE, "no-such-bucket-" + uuid.uuid4().hex[:8])
    assert error.value.status == 404 and error.value.code == "BucketNotFound"

    moved_to = "ocid1.compartment.oc1..conformancemoved" + uuid.uuid4().hex[:8]
    updated = served(judge, "update_bucket", client.update_bucket(NAMESPACE, name, oci.object_storage.models.UpdateBucketDetails(
        compartment_id=moved_to, metadata={"purpose": "media"}, freeform_tags={"team": "video"}))).data
    assert (updated.compartment_id, updated.metadata, updated.freeform_tags) == (moved_to, {"purpose": "media"}, {"team": "video"})
    assert [b.name for b in client.list_buckets(NAMESPACE, moved_to).data] == [name]
    assert client.get_bucket(NAMESPACE, name).data.metadata == {"purpose": "media"}

    client.put_object(NAMESPACE, name, "keep.txt", b"k")
    with pytest.raises(oci.exceptions.ServiceError) as error:
        client.delete_bucket(NAMESPACE, name)
    assert error.value.status == 409 and error.value.code == "BucketNotEmpty"
    client.delete_object(NAMESPACE, name, "keep.txt")
    served(judge, "delete_bucket", client.delete_bucket(NAMESPACE, name), status=204)
    with pytest.raises(oci.exceptions.ServiceError) as error:
        client.head_bucket(NAMESPACE, name)
    assert error.value.status == 404
    assert name not in [b.name for b in client.list_buckets(NAMESPACE, moved_to).data]


def test_put_get_head_list_delete_object(client, bucket, judge):
    body = b"#EXTM3U\n#EXT-X-VERSION:3\n" * 100
    put = served(judge, "put_object", client.put_object(NAMESPACE, bucket, "dir/clip.m3u8", body,
                                                        content_type="application/x-mpegurl",
                                                        opc_meta={"origin": "conformance"}))
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    assert put.headers["opc-content-md5"] == md5 and put.headers.get("etag")

    got = served(judge, "get_object", client.get_object(NAMESPACE, bucket, "dir/clip.m3u8"))
    assert got.data.content == body
    assert got.headers["content-length"] == str(len(body))
    head = served(judge, "head_object", client.head_object(NAMESPACE, bucket, "dir/clip.m3u8"))
    assert head.headers["content-length"] == str(len(body)) and head.headers["etag"] == put.headers["etag"]
    assert head.headers.get("opc-meta-origin") == "conformance"

    for i in range(3):
        client.put_object(NAMESPACE, bucket, f"dir/seg{i}.ts", b"x" * (i + 1))
    listing = served(judge, "list_objects", client.list_objects(NAMESPACE, bucket, prefix="dir/",
                                                                fields="name,size,md5,etag,timeCreated")).data
    assert sorted(o.name for o in listing.objects) == ["dir/clip.m3u8", "dir/seg0.ts", "dir/seg1.ts", "dir/seg2.ts"]
    sizes = {o.name: o.size for o in listing.objects}
    assert sizes["dir/clip.m3u8"] == len(body) and sizes["dir/seg2.ts"] == 3
    everything = oci.pagination.list_call_get_all_results(client.list_objects, NAMESPACE, bucket, limit=2)
    assert sorted(o.name for o in everything.data.objects) == sorted(sizes)

    served(judge, "rename_object", client.rename_object(NAMESPACE, bucket, oci.object_storage.models.RenameObjectDetails(
        source_name="dir/seg0.ts", new_name="dir/renamed.ts")))
    assert client.get_object(NAMESPACE, bucket, "dir/renamed.ts").data.content == b"x"
    with pytest.raises(oci.exceptions.ServiceError) as error:
        client.head_object(NAMESPACE, bucket, "dir/seg0.ts")
    assert error.value.status == 404

    served(judge, "delete_object", client.delete_object(NAMESPACE, bucket, "dir/clip.m3u8"), status=204)
    with pytest.raises(oci.exceptions.ServiceError) as error:
        client.get_object(NAMESPACE, bucket, "dir/clip.m3u8")
    assert error.value.status == 404 and error.value.code == "ObjectNotFound"


def test_multipart_upload(client, bucket, judge):
    M = oci.object_storage.models
    upload = served(judge, "create_multipart_upload", client.create_multipart_upload(
        NAMESPACE, bucket, M.CreateMultipartUploadDetails(object="big.mp4", content_type="video/mp4"))).data
    assert upload.object == "big.mp4" and upload.upload_id
    parts = [b"a" * (1024 * 1024), b"b" * 1000]
    etags = []
    for number, data in enumerate(parts, start=1):
        response = served(judge, "upload_part", client.upload_part(NAMESPACE, bucket, "big.mp4", upload.upload_id,
                                                                   number, data))
        etags.append(response.headers["etag"])
    uploads = served(judge, "list_multipart_uploads", client.list_multipart_uploads(NAMESPACE, bucket)).data
    assert_complete(uploads, "list_multipart_uploads")
    assert [(u.object, u.upload_id) for u in uploads] == [("big.mp4", upload.upload_id)]
    listed = served(judge, "list_multipart_upload_parts", client.list_multipart_upload_parts(
        NAMESPACE, bucket, "big.mp4", upload.upload_id)).data
    assert_complete(listed, "list_multipart_upload_parts")
    assert [(p.part_number, p.etag, p.size) for p in listed] == [(1, etags[0], len(parts[0])), (2, etags[1], len(parts[1]))]
    commit = served(judge, "commit_multipart_upload", client.commit_multipart_upload(
        NAMESPACE, bucket, "big.mp4", upload.upload_id,
        M.CommitMultipartUploadDetails(parts_to_commit=[M.CommitMultipartUploadPartDetails(part_num=n, etag=e)
                                                        for n, e in enumerate(etags, start=1)])))
    assert commit.headers.get("opc-multipart-md5")
    assert client.get_object(NAMESPACE, bucket, "big.mp4").data.content == b"".join(parts)

    second = client.create_multipart_upload(NAMESPACE, bucket, M.CreateMultipartUploadDetails(object="gone.mp4")).data
    served(judge, "abort_multipart_upload", client.abort_multipart_upload(NAMESPACE, bucket, "gone.mp4",
                                                                          second.upload_id), status=204)
    with pytest.raises(oci.exceptions.ServiceError) as error:
        client.list_multipart_upload_parts(NAMESPACE, bucket, "gone.mp4", second.upload_id)
    assert error.value.status == 404


def test_upload_manager_multipart(client, bucket, tmp_path):
    """oci.object_storage.UploadManager, what SDK users upload big files with, splits into parts and commits."""
    data = bytes(range(256)) * (3 * 1024 * 16 + 7)
    path = tmp_path / "clip.mp4"
    path.write_bytes(data)
    manager = oci.object_storage.UploadManager(client, allow_parallel_uploads=False)
    response = manager.upload_file(NAMESPACE, bucket, "clip.mp4", str(path), part_size=5 * 1024 * 1024,
                                   content_type="video/mp4")
    assert response.status == 200
    assert client.get_object(NAMESPACE, bucket, "clip.mp4").data.content == data


def test_copy_object_and_its_work_request(client, bucket, compartment, judge):
    body = b"copy me " * 100
    client.put_object(NAMESPACE, bucket, "src/clip.mp4", body, content_type="video/mp4", opc_meta={"origin": "camera"})
    other = f"conformance-{uuid.uuid4().hex[:12]}"
    client.create_bucket(NAMESPACE, oci.object_storage.models.CreateBucketDetails(name=other, compartment_id=compartment))
    response = served(judge, "copy_object", client.copy_object(NAMESPACE, bucket, oci.object_storage.models.CopyObjectDetails(
        source_object_name="src/clip.mp4", destination_region="us-ashburn-1", destination_namespace=NAMESPACE,
        destination_bucket=other, destination_object_name="copies/clip.mp4")), status=202)
    work_request_id = response.headers["opc-work-request-id"]
    assert work_request_id
    # The SDK's own wait for an asynchronous copy: poll the work request until it is COMPLETED.
    work = oci.wait_until(client, client.get_work_request(work_request_id), "status", "COMPLETED", max_wait_seconds=30)
    assert_complete(work.data, "get_work_request")
    judge.served(OS, "get_work_request")
    assert work.data.operation_type == "COPY_OBJECT" and work.data.percent_complete == 100
    copied = client.get_object(NAMESPACE, other, "copies/clip.mp4")
    assert copied.data.content == body and copied.headers["content-type"] == "video/mp4"
    assert copied.headers["opc-meta-origin"] == "camera"
    with pytest.raises(oci.exceptions.ServiceError) as error:
        client.copy_object(NAMESPACE, bucket, oci.object_storage.models.CopyObjectDetails(
            source_object_name="no/such.mp4", destination_region="us-ashburn-1", destination_namespace=NAMESPACE,
            destination_bucket=other, destination_object_name="x"))
    assert error.value.status == 404


def test_pre_authenticated_requests(client, bucket, emulator, judge):
    import datetime
    import urllib.request
    import urllib.error

    client.put_object(NAMESPACE, bucket, "renditions/master.m3u8", b"#EXTM3U\n")
    expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    created = served(judge, "create_preauthenticated_request", client.create_preauthenticated_request(
        NAMESPACE, bucket, oci.object_storage.models.CreatePreauthenticatedRequestDetails(
            name="share", object_name="renditions/master.m3u8", access_type="ObjectRead", time_expires=expires))).data
    assert created.access_uri.startswith("/p/") and created.object_name == "renditions/master.m3u8"

    # Anyone holding the access URI reads the object, without a signature; nothing else is open through it.
    base = emulator.endpoint.rstrip("/")
    with urllib.request.urlopen(base + created.access_uri) as answer:
        assert answer.read() == b"#EXTM3U\n"
    for refused in (created.access_uri.replace("master.m3u8", "other.ts"), "/p/not-a-token/n/emulator/b/" + bucket + "/o/renditions/master.m3u8"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(base + refused)
        assert error.value.code == 404
    put = urllib.request.Request(base + created.access_uri, data=b"overwrite", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(put)
    assert error.value.code == 404, "an ObjectRead request must not write"

    got = served(judge, "get_preauthenticated_request", client.get_preauthenticated_request(NAMESPACE, bucket, created.id)).data
    assert got.name == "share" and got.access_type == "ObjectRead"
    listed = served(judge, "list_preauthenticated_requests", client.list_preauthenticated_requests(
        NAMESPACE, bucket, object_name_prefix="renditions/")).data
    assert [p.id for p in listed] == [created.id]
    assert_complete(listed, "list_preauthenticated_requests")
    served(judge, "delete_preauthenticated_request", client.delete_preauthenticated_request(NAMESPACE, bucket, created.id), status=204)
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(base + created.access_uri)
    assert error.value.code == 404
    with pytest.raises(oci.exceptions.ServiceError) as error:
        client.get_preauthenticated_request(NAMESPACE, bucket, created.id)
    assert error.value.status == 404
    with pytest.raises(oci.exceptions.ServiceError) as error:
        client.create_preauthenticated_request(NAMESPACE, bucket, oci.object_storage.models.CreatePreauthenticatedRequestDetails(
            name="late", object_name="x", access_type="ObjectRead",
            time_expires=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)))
    assert error.value.status == 400
