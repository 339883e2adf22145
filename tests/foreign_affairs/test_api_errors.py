"""The API's one error shape covers a concurrent change too (409, like a state that forbids the step)."""

from django_fsm import ConcurrentTransition

from foreign_affairs.api.errors import exception_handler
from foreign_affairs.reports.exporters.xlsx import sheet_name


def test_a_concurrent_transition_answers_409_in_the_conflict_shape():
    response = exception_handler(ConcurrentTransition("changed"), {})
    assert response.status_code == 409
    assert set(response.data) == {"detail", "code", "errors", "state", "available_transitions"}
    assert response.data["code"] == "conflict"


def test_a_report_title_becomes_a_sheet_name_excel_accepts():
    assert sheet_name("Travel approvals: 2026/Q1 [draft]?") == "Travel approvals  2026 Q1  draf"
    assert sheet_name("'''") == "Report"
    assert len(sheet_name("出访" * 40)) == 31


def test_a_path_under_the_api_that_matches_nothing_answers_in_the_error_shape(client, db):
    response = client.get("/api/v1/travel-applications/1.5/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
