"""The Media Services lab's Python flow, adapted only where it must be to run unattended against the
emulator: an API-key profile instead of the lab's config, the emulator's endpoint, arguments instead
of input(), the Media Stream host on http, and wait loops that end (protocols.md §8 G1).

Kept from the lab on purpose, because that is what users run today: one SDK client per step, the
six-task workflow, `run` then the channel build (channel, OCI Edge CDN config, HLS packaging config),
the ingest of the job's master playlist, and the wait loops polling GET every 0.1 s.

Usage: lab_flow.py ENDPOINT CONFIG_FILE PROFILE COMPARTMENT NAMESPACE WORKFLOW_JSON [--ingest-only]
Prints the session URL; with BENCH_POLLS_FILE set, writes the number of GETs the ingest wait made there.
"""
import json
import os
import sys
import time

import oci
from oci.media_services import MediaServicesClient, MediaStreamClient
from oci.media_services import models

TERMINAL = {"SUCCEEDED", "FAILED", "REJECTED", "CANCELED"}


def connect(config_file, profile, endpoint):
    """The lab's ConnectMediaService, with the emulator's endpoint."""
    config = oci.config.from_file(config_file, profile)
    return config, MediaServicesClient(config, service_endpoint=endpoint)


def create_media_workflow(client, compartment, definition):
    tasks = [models.MediaWorkflowTask(type=t["type"], version=t["version"], key=t["key"],
                                      prerequisites=t["prerequisites"], parameters=t["parameters"])
             for t in definition["tasks"]]
    details = models.CreateMediaWorkflowDetails(display_name="sdk-demo", compartment_id=compartment,
                                                tasks=tasks, parameters=definition["parameters"])
    return client.create_media_workflow(details).data.id


def create_workflow_job(client, compartment, namespace, workflow_id):
    details = models.CreateMediaWorkflowJobByIdDetails(
        media_workflow_id=workflow_id, compartment_id=compartment, display_name="test_Demo-Job",
        parameters={"video": {"srcBucket": "media-in", "dstBucket": "media-out", "namespace": namespace,
                              "compartmentID": compartment, "srcVideo": "clip.mp4", "outputPrefixName": "run1"}})
    return client.create_media_workflow_job(details).data.id


def wait_every_tenth_of_a_second(client, job_id):
    """The lab's loop: GET every 0.1 s. The lab stops only on SUCCEEDED; this stops on every terminal state."""
    polls = 0
    while True:
        polls += 1
        state = client.get_media_workflow_job(job_id).data.lifecycle_state
        if state in TERMINAL:
            if state != "SUCCEEDED":
                sys.exit("job %s ended %s" % (job_id, state))
            return polls
        time.sleep(0.1)


def create_distribution_channel(client, compartment):
    channel = client.create_stream_distribution_channel(models.CreateStreamDistributionChannelDetails(
        display_name="test_sdk", compartment_id=compartment)).data
    client.create_stream_cdn_config(models.CreateStreamCdnConfigDetails(
        display_name="test_sdk", distribution_channel_id=channel.id, is_enabled=True,
        config=models.EdgeStreamCdnConfig()))
    packaging = client.create_stream_packaging_config(models.CreateStreamPackagingConfigDetails(
        distribution_channel_id=channel.id, display_name="test_sdk", stream_packaging_format="HLS",
        segment_time_in_seconds=20, encryption=models.StreamPackagingConfigEncryptionNone())).data
    return channel, packaging.id


def ingest(client, compartment, namespace, channel_id):
    asset = client.create_media_asset(models.CreateMediaAssetDetails(
        compartment_id=compartment, display_name="test_sdk", type="PLAYLIST", bucket_name="media-out",
        namespace_name=namespace, object_name="sdk_test/clip.mp4/run1-master.m3u8")).data
    job_id = client.ingest_stream_distribution_channel(channel_id, models.AssetMetadataEntryDetails(
        ingest_payload_type="ASSET_METADATA_MEDIA_ASSET", media_asset_id=asset.id, compartment_id=compartment)).data.media_workflow_job_id
    polls = wait_every_tenth_of_a_second(client, job_id)
    print("Ingest completed.", file=sys.stderr)
    return asset.id, polls


def session_url(config, endpoint, domain, packaging_id, asset_id):
    """The lab's session step; the Media Stream host is http on the emulator, https in the lab."""
    scheme = endpoint.split("://", 1)[0]
    stream = MediaStreamClient(config, service_endpoint="%s://%s" % (scheme, domain))
    token = stream.generate_session_token(models.GenerateSessionTokenDetails(
        packaging_config_id=packaging_id, scopes=["PLAYLIST", "EDGE"], asset_ids=[asset_id])).data.token
    # G6: the lab concatenates without percent-encoding.
    return "%s://%s/20211101/actions/generatePlaylist?mediaAssetId=%s&streamPackagingConfigId=%s&token=%s" % (
        scheme, domain, asset_id, packaging_id, token)


def main(argv):
    endpoint, config_file, profile, compartment, namespace, workflow_json = argv[1:7]
    with open(workflow_json) as f:
        definition = json.load(f)
    config, client = connect(config_file, profile, endpoint)
    if "--ingest-only" in argv:
        channel, _ = create_distribution_channel(client, compartment)
        _, polls = ingest(client, compartment, namespace, channel.id)
    else:
        workflow_id = create_media_workflow(client, compartment, definition)
        wait_every_tenth_of_a_second(client, create_workflow_job(client, compartment, namespace, workflow_id))
        channel, packaging_id = create_distribution_channel(client, compartment)
        asset_id, polls = ingest(client, compartment, namespace, channel.id)
        print(session_url(config, endpoint, channel.domain_name, packaging_id, asset_id))
    if os.environ.get("BENCH_POLLS_FILE"):
        with open(os.environ["BENCH_POLLS_FILE"], "w") as f:
            f.write("%d\n" % polls)


if __name__ == "__main__":
    main(sys.argv)
