"""The committed OpenAPI document is the API's contract: a change to it must be deliberate
(`make openapi` rewrites the snapshot)."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

SNAPSHOT = Path(__file__).with_name("openapi.json")


def test_openapi_matches_the_committed_snapshot(client):
    live = client.get(reverse("api:openapi-json")).json()
    committed = json.loads(SNAPSHOT.read_text())
    assert live == committed, "The API changed: run `make openapi` and review the diff."


def test_every_operation_has_an_explicit_id_and_documented_errors():
    document = json.loads(SNAPSHOT.read_text())
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            assert operation["operationId"].count("_") >= 1, (path, method)
            if path != "/api/reference/districts":
                assert "401" in operation["responses"], (path, method)


@pytest.mark.django_db
def test_docs_page_is_served(client):
    assert client.get("/api/docs").status_code == 200
