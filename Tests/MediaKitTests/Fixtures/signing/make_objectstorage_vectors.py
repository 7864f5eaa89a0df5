#!/usr/bin/env python3
"""Object Storage upload signing vectors, produced by the OFFICIAL `oci` Python SDK (see make_vectors.py for setup).

PutObject and UploadPart are signed by the SDK with `enforce_content_headers=False`
(object_storage_client.py), i.e. with the GET header list `date (request-target) host`
although they are PUTs. Object Storage path parameters are encoded strictly by default since
oci 2.x's should_enable_strict_url_encoding (base_client.py): `urllib.parse.quote(value, safe='')`,
so "/" is %2F, and a lone "." or ".." segment becomes %2E. Each case below is signed by the
SDK's own Signer exactly that way, with a fixed date.

    cd Tests/MediaKitTests/Fixtures/signing && /tmp/ocivenv/bin/python make_objectstorage_vectors.py
"""
import json
from urllib.parse import quote

import oci
from oci._vendor import requests

fp = json.load(open("../keys/fingerprints.json"))["test_key"]
signer = oci.signer.Signer("ocid1.tenancy.oc1..aaaaaaaatestenancyexample", "ocid1.user.oc1..aaaaaaaatestuserexample",
                           fp, "../keys/test_key.pem")
base = "https://objectstorage.us-ashburn-1.oraclecloud.com"
date = "Sun, 05 Jan 2014 21:31:40 GMT"  # a real weekday: mediactl formats the date from a clock
cases = [
    ("UploadPart", "dir/a b+ü.bin", "/n/ns1/b/media-in/u/{}?uploadId=abc-123&uploadPartNum=2", b"0123456789"),
    ("PutObject", "sdk_test/clip (1).mp4", "/n/ns1/b/media-in/o/{}", b"hello object"),
]
out = []
for op, name, template, body in cases:
    url = base + template.format(quote(name, safe=""))
    req = requests.Request("PUT", url, data=body, headers={"date": date, "opc-request-id": "R"}).prepare()
    signer(req, enforce_content_headers=False)
    out.append({"operation": op, "objectName": name, "url": url, "body": body.decode(), "date": date,
                "authorization": req.headers["authorization"], "hasContentSha256": "x-content-sha256" in req.headers})
json.dump(out, open("objectstorage_vectors.json", "w"), indent=1, ensure_ascii=False)
print(json.dumps(out, indent=1, ensure_ascii=False))
