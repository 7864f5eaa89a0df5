"""Many jobs from a JSON-lines file with the `oci` Python SDK and a thread pool: the script a user
would write today instead of `mediactl job submit`. One client per worker thread.
Usage: sdk_submit.py ENDPOINT CONFIG_FILE PROFILE COMPARTMENT WORKFLOW_ID FILE CONCURRENCY"""
import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import oci
from oci.media_services import MediaServicesClient, models

endpoint, config_file, profile, compartment, workflow_id, path, concurrency = sys.argv[1:8]
config = oci.config.from_file(config_file, profile)
local = threading.local()


def submit(parameters):
    if not hasattr(local, "client"):
        local.client = MediaServicesClient(config, service_endpoint=endpoint)
    return local.client.create_media_workflow_job(models.CreateMediaWorkflowJobByIdDetails(
        media_workflow_id=workflow_id, compartment_id=compartment, display_name="test_Demo-Job",
        parameters=parameters)).data.id


with open(path) as f:
    jobs = [json.loads(line) for line in f if line.strip()]
with ThreadPoolExecutor(max_workers=int(concurrency)) as pool:
    ids = list(pool.map(submit, jobs))
print("submitted %d jobs" % len(ids), file=sys.stderr)
