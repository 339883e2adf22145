import pytest

from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.security.models import CountryAdvisory
from foreign_affairs.security.selectors import advisory_levels

pytestmark = pytest.mark.django_db


def test_levels_default_to_low_and_come_from_the_table():
    CountryAdvisory.objects.create(country="SD", level="high")
    assert advisory_levels(["sd", "DE"]) == {"SD": "high", "DE": "low"}


def test_officers_edit_advisories_in_the_back_office_and_it_is_audited(client, officer):
    client.force_login(officer)
    response = client.post(
        "/admin/security/countryadvisory/add/", {"country": "SD", "level": "high", "summary": "武装冲突"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="advisory.update").to_state == "high"


def test_the_api_lists_advisories_with_country_names(api_as, applicant):
    CountryAdvisory.objects.create(country="SD", level="high", summary="武装冲突")
    rows = api_as(applicant).get("/api/v1/security/advisories/").json()["results"]
    assert rows[0]["country"]["code"] == "SD" and rows[0]["level"] == "high"
