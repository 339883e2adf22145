"""API conventions: token auth, one error shape, pagination, throttling, OpenAPI."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


def test_token_obtain_use_and_revoke(api_client, applicant, settings):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": applicant.username, "password": settings.DEMO_PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/").json()
    assert me["username"] == applicant.username and me["roles"] == ["Applicant"]
    assert me["organization"]["id"] == applicant.organization.pk and me["is_office_staff"] is False
    assert api_client.delete("/api/v1/auth/token/").status_code == 204
    assert api_client.get("/api/v1/me/").status_code == 401


def test_errors_share_one_shape(api_client, applicant):
    wrong = api_client.post(
        "/api/v1/auth/token/", {"username": applicant.username, "password": "nope"}, format="json"
    )
    assert wrong.status_code == 400
    body = wrong.json()
    assert set(body) == {"detail", "code", "errors"} and body["code"] == "invalid"
    assert body["errors"][0]["code"] == "authorization"
    anonymous = api_client.get("/api/v1/people/")
    assert anonymous.status_code == 401
    assert anonymous.json() == {"detail": "身份认证信息未提供。", "code": "not_authenticated", "errors": []}
    api_client.force_authenticate(applicant)
    missing = api_client.get("/api/v1/people/999999/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    invalid = api_client.post("/api/v1/people/", {"full_name": ""}, format="json")
    assert invalid.status_code == 400
    assert {"field": "full_name", "code": "blank"}.items() <= invalid.json()["errors"][0].items()


def test_lists_are_paginated_with_a_capped_page_size(api_as, applicant, organization):
    PersonFactory.create_batch(30, organization=organization)
    api = api_as(applicant)
    first = api.get("/api/v1/people/").json()
    assert first["count"] == 30 and len(first["results"]) == 25 and first["next"]
    assert len(api.get("/api/v1/people/", {"page_size": 500}).json()["results"]) == 30
    assert api.get("/api/v1/people/", {"page": 99}).status_code == 404


def test_token_requests_are_throttled(api_client, applicant):
    statuses = [
        api_client.post(
            "/api/v1/auth/token/", {"username": applicant.username, "password": "guess"}, format="json"
        ).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    throttled = api_client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
    assert throttled.json()["code"] == "throttled" and "Retry-After" in throttled


def test_the_openapi_schema_is_valid_and_the_docs_are_served_locally(client, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in [
        "/api/v1/people/",
        "/api/v1/auth/token/",
        "/api/v1/documents/{id}/download/",
        "/api/v1/notifications/read_all/",
    ]:
        assert path in schema
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn.jsdelivr" not in docs and "unpkg" not in docs
