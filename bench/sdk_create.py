"""One signed create with the `oci` Python SDK, as a one-shot script would do it: load the profile,
make a client, create the lab's media workflow, print its id.
Usage: sdk_create.py ENDPOINT CONFIG_FILE PROFILE COMPARTMENT WORKFLOW_JSON"""
import json
import sys

import oci
from oci.media_services import MediaServicesClient, models

endpoint, config_file, profile, compartment, workflow_json = sys.argv[1:6]
with open(workflow_json) as f:
    definition = json.load(f)
client = MediaServicesClient(oci.config.from_file(config_file, profile), service_endpoint=endpoint)
tasks = [models.MediaWorkflowTask(type=t["type"], version=t["version"], key=t["key"],
                                  prerequisites=t["prerequisites"], parameters=t["parameters"]) for t in definition["tasks"]]
print(client.create_media_workflow(models.CreateMediaWorkflowDetails(
    display_name="sdk-demo", compartment_id=compartment, tasks=tasks, parameters=definition["parameters"])).data.id)
