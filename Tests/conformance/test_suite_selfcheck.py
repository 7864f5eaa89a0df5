"""The suite's own machinery: the coverage table only takes claims about operations the SDKs have, and a
first served claim made end to end (the oci SDK's Object Storage client against mediactl-emulator)."""
import oci
import pytest

import coverage_table


def test_table_refuses_a_claim_about_an_operation_the_sdk_does_not_have():
    with pytest.raises(ValueError, match="do not have"):
        coverage_table.render([{"kind": "served", "api": "MediaServicesClient", "operation": "no_such_call",
                                "test": "x"}])


def test_table_counts_only_what_was_claimed():
    text = coverage_table.render([{"kind": "served", "api": "MediaStreamClient", "operation": "generate_playlist",
                                   "test": "x"}])
    assert "| MediaStreamClient | 2 | 0 | 1 |" in text
    assert "| `generate_playlist` | not yet | — | yes |" in text


def test_oci_sdk_reads_the_namespace_from_the_emulator(emulator, judge):
    config = oci.config.from_file(str(emulator.config_file), emulator.profile)
    client = oci.object_storage.ObjectStorageClient(config, service_endpoint=emulator.endpoint,
                                                    retry_strategy=oci.retry.NoneRetryStrategy())
    response = client.get_namespace()
    assert response.status == 200
    assert response.data == "emulator"
    judge.served("ObjectStorageClient", "get_namespace")
