"""The "Live now" filter when nothing is live: an empty result, never a server error (found by the API fuzzer)."""

import pytest

pytestmark = pytest.mark.django_db


def test_live_filter_with_no_session_live_finds_nothing(api, client):
    response = api.get("/api/v1/search/", {"live": "true"})
    assert response.status_code == 200 and response.json()["results"] == []
    assert client.get("/search/", {"live": "1"}).status_code == 200
