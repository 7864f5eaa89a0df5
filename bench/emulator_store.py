"""The emulator's store under load, driven with the official `oci` SDK (bench/emulator-store.sh runs it).

  emulator_store.py populate STATE_DIR COUNT THREADS   creates COUNT resources (a mix of every kind)
  emulator_store.py pages STATE_DIR CALLS               CPU the emulator spends per list call (50-item pages)
  emulator_store.py snapshot STATE_DIR                  every resource as listed, as one JSON line (restart check)
  emulator_store.py latency STATE_DIR SECONDS [PID...]  p50/p99 of small signed calls (GET one workflow) for SECONDS,
                                                        or for as long as any PID runs
  emulator_store.py upload STATE_DIR FILE NAME          one PutObject of FILE (streamed) into media-in

The emulator's CPU comes from /proc/PID/task/*/schedstat (nanoseconds on a CPU, every thread), read before and
after the calls; a GET by id is measured the same way so the list's own share can be told from signing and HTTP.
"""
import concurrent.futures
import json
import os
import sys
import threading
import time
import uuid

import oci
from oci.media_services import MediaServicesClient, models


def client(state):
    endpoint = open(os.path.join(state, "endpoint")).read().strip()
    config = oci.config.from_file(os.path.join(state, "oci_config"), "EMULATOR")
    c = MediaServicesClient(config, service_endpoint=endpoint, retry_strategy=oci.retry.NoneRetryStrategy())
    return c, config


def pid(state):
    return int(open(os.path.join(state, "pid")).read().strip())


def cpu_ns(p):
    total = 0
    for task in os.listdir(f"/proc/{p}/task"):
        try:
            total += int(open(f"/proc/{p}/task/{task}/schedstat").read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass   # a thread that ended meanwhile
    return total


COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaemulatorcompartment"   # EmulatorIdentity.compartment


def populate(state, count, threads):
    c, _ = client(state)
    compartment = os.environ.get("MEDIACTL_COMPARTMENT_ID", COMPARTMENT)
    task = models.MediaWorkflowTask(type="getFiles", version=1, key="get", prerequisites=[],
                                    parameters={"taskParameters": [{"storageType": "objectStorage"}]})
    workflow = c.create_media_workflow(models.CreateMediaWorkflowDetails(
        display_name="bench-workflow", compartment_id=compartment, tasks=[task], parameters={})).data.id
    channel = c.create_stream_distribution_channel(models.CreateStreamDistributionChannelDetails(
        display_name="bench-channel", compartment_id=compartment)).data.id
    local = threading.local()

    def one(i):
        if not hasattr(local, "c"):
            local.c = client(state)[0]
        # A retry token on every create, as the SDK's default retry strategy sends: the emulator keeps each one 24 h.
        t = {"opc_retry_token": uuid.uuid4().hex}
        k = i % 10
        if k < 6:    # assets: the kind a CI run makes most of
            local.c.create_media_asset(models.CreateMediaAssetDetails(
                compartment_id=compartment, type="VIDEO", display_name=f"asset-{i}", bucket_name="media-in",
                namespace_name="ns", object_name=f"videos/{i}.mp4"), **t)
        elif k == 6:
            local.c.create_media_workflow_job(models.CreateMediaWorkflowJobByIdDetails(
                media_workflow_id=workflow, compartment_id=compartment,
                display_name=f"job-{i}", parameters={"video": {"srcVideo": f"{i}.mp4"}}), **t)
        elif k == 7:
            local.c.create_stream_packaging_config(models.CreateStreamPackagingConfigDetails(
                distribution_channel_id=channel, display_name=f"pkg-{i}", stream_packaging_format="HLS",
                segment_time_in_seconds=6), **t)
        elif k == 8:
            local.c.create_media_workflow(models.CreateMediaWorkflowDetails(
                display_name=f"workflow-{i}", compartment_id=compartment, tasks=[task], parameters={}), **t)
        else:
            local.c.create_stream_distribution_channel(models.CreateStreamDistributionChannelDetails(
                display_name=f"channel-{i}", compartment_id=compartment), **t)

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for f in concurrent.futures.as_completed([pool.submit(one, i) for i in range(max(0, count - 2))]):
            f.result()


def pages(state, calls):
    c, _ = client(state)
    compartment = os.environ.get("MEDIACTL_COMPARTMENT_ID", COMPARTMENT)
    p = pid(state)
    workflow = c.list_media_workflows(compartment_id=compartment, limit=1).data.items[0].id
    cases = [
        ("GET one workflow by id (reference: signing + HTTP)", lambda: c.get_media_workflow(workflow)),
        ("list assets, first 50-item page", lambda: c.list_media_assets(compartment_id=compartment, limit=50)),
        ("list assets, lifecycleState=ACTIVE, DESC", lambda: c.list_media_assets(
            compartment_id=compartment, limit=50, lifecycle_state="ACTIVE", sort_order="DESC")),
        ("list assets, displayName=asset-42 (one match)", lambda: c.list_media_assets(
            compartment_id=compartment, limit=50, display_name="asset-42")),
        ("list jobs, first 50-item page", lambda: c.list_media_workflow_jobs(compartment_id=compartment, limit=50)),
    ]
    out = []
    for name, call in cases:
        call()   # warm: connection, caches
        before = cpu_ns(p)
        start = time.monotonic()
        for _ in range(calls):
            call()
        out.append({"case": name, "cpu_ms": (cpu_ns(p) - before) / calls / 1e6,
                    "wall_ms": (time.monotonic() - start) / calls * 1e3})
    print(json.dumps(out))


def snapshot(state):
    c, _ = client(state)
    compartment = os.environ.get("MEDIACTL_COMPARTMENT_ID", COMPARTMENT)
    listed = {}
    for name, fn in [("assets", c.list_media_assets), ("jobs", c.list_media_workflow_jobs),
                     ("workflows", c.list_media_workflows), ("channels", c.list_stream_distribution_channels)]:
        items = oci.pagination.list_call_get_all_results(fn, compartment_id=compartment, limit=1000).data
        listed[name] = [(i.id, i.display_name, i.lifecycle_state) for i in items]
    print(json.dumps(listed, sort_keys=True))


def latency(state, seconds, pids):
    c, _ = client(state)
    compartment = os.environ.get("MEDIACTL_COMPARTMENT_ID", COMPARTMENT)
    workflow = c.create_media_workflow(models.CreateMediaWorkflowDetails(
        display_name="latency-probe", compartment_id=compartment, tasks=[], parameters={})).data.id
    samples = []
    end = time.monotonic() + seconds
    running = lambda: any(os.path.exists(f"/proc/{p}") for p in pids)
    while (running() if pids else time.monotonic() < end):
        start = time.monotonic()
        c.get_media_workflow(workflow)
        samples.append((time.monotonic() - start) * 1e3)
    samples.sort()
    q = lambda f: samples[min(len(samples) - 1, int(f * len(samples)))]
    print(json.dumps({"calls": len(samples), "p50_ms": q(0.50), "p99_ms": q(0.99), "max_ms": samples[-1]}))


def upload(state, path, name):
    _, config = client(state)
    endpoint = open(os.path.join(state, "endpoint")).read().strip()
    store = oci.object_storage.ObjectStorageClient(config, service_endpoint=endpoint,
                                                   retry_strategy=oci.retry.NoneRetryStrategy())
    namespace = os.environ.get("MEDIACTL_NAMESPACE", "emulator")
    start = time.monotonic()
    with open(path, "rb") as f:
        store.put_object(namespace, "media-in", name, f, content_length=os.path.getsize(path))
    print(json.dumps({"object": name, "seconds": time.monotonic() - start}))


if __name__ == "__main__":
    cmd, state = sys.argv[1], sys.argv[2]
    if cmd == "populate":
        populate(state, int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "pages":
        pages(state, int(sys.argv[3]))
    elif cmd == "snapshot":
        snapshot(state)
    elif cmd == "latency":
        latency(state, float(sys.argv[3]), [int(p) for p in sys.argv[4:]])
    elif cmd == "upload":
        upload(state, sys.argv[3], sys.argv[4])
    else:
        sys.exit(f"unknown command {cmd}")
