"""`archive start` + `archive stop` with the `opentok` Python SDK (3.15), as a one-shot script:
make a client pointed at the emulator, start recording a session, stop it.
Usage: opentok_archive.py API_URL API_KEY API_SECRET SESSION_ID"""
import sys

from opentok import Client

api_url, api_key, api_secret, session_id = sys.argv[1:5]
client = Client(api_key, api_secret, api_url=api_url)
archive = client.start_archive(session_id, name="bench")
client.stop_archive(archive.id)
print(archive.id)
