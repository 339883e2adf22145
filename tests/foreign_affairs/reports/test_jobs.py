"""Export jobs: who may start them, the files they write (read back and compared with the database),
progress, failure, clean-up, and the /api/v1/reports/ endpoints."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from approvals.models import TravelApplication
from approvals.summary import rebuild
from approvals.workflow import State
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.notifications.models import Notification
from foreign_affairs.reports import services
from foreign_affairs.reports.models import JobState, ReportJob
from tests.approvals.factories import ApplicationFactory
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-30"}


@pytest.fixture
def received(organization):
    """Five applications received in the first half of 2026 (three in Zhengzhou, two in Luoyang), one after."""
    luoyang = OrganizationFactory(ftz_area="luoyang", name_zh="洛阳乙公司")
    made = []
    for index, org in enumerate([organization, organization, organization, luoyang, luoyang]):
        made.append(
            ApplicationFactory(
                organization=org,
                state=State.IN_REVIEW,
                submitted_at=datetime(2026, 1 + index, 5, 10, tzinfo=TZ),
                trip__departure=date(2026, 8, 1),
            )
        )
    ApplicationFactory(
        organization=organization, state=State.IN_REVIEW, submitted_at=datetime(2026, 7, 2, tzinfo=TZ)
    )
    # The factories write the rows directly, past the services that keep the dashboard's daily summary.
    rebuild()
    return made


def run(actor, report="travel_approvals", format="csv", filters=PERIOD, capture=None):
    with capture(execute=True):
        job = services.job_start(actor=actor, report=report, format=format, filters=filters)
    job.refresh_from_db()
    return job


def test_only_managers_and_office_staff_export(applicant, manager, officer, leader):
    with pytest.raises(PermissionDenied):
        services.job_start(actor=applicant, report="travel_approvals", format="csv")
    assert all(services.may_use_reports(user) for user in (manager, officer, leader))
    assert not services.may_use_reports(applicant)


@pytest.mark.parametrize(
    ("report", "format", "filters", "field"),
    [
        ("nothing", "csv", {}, "report"),
        ("travel_approvals", "doc", {}, "format"),
        ("travel_approvals", "csv", {"date_from": "2026-05-01", "date_to": "2026-04-01"}, "date_to"),
        ("travel_approvals", "csv", {"date_from": "yesterday"}, "date_from"),
        ("travel_approvals", "csv", {"ftz_area": "mars"}, "ftz_area"),
        ("travel_approvals", "csv", {"date_from": "2020-01-01", "date_to": "2026-01-01"}, "date_from"),
    ],
)
def test_bad_requests_are_refused_with_the_field(manager, report, format, filters, field):
    with pytest.raises(ValidationError) as refused:
        services.job_start(actor=manager, report=report, format=format, filters=filters)
    assert field in refused.value.message_dict
    assert not ReportJob.objects.exists()


def test_a_csv_export_holds_the_rows_of_the_database(manager, received, django_capture_on_commit_callbacks):
    manager.preferred_language = "en"
    manager.save()
    job = run(manager, capture=django_capture_on_commit_callbacks)
    assert (job.state, job.progress, job.rows) == (JobState.DONE, 100, 5)
    assert job.expires_at > timezone.now() + timedelta(days=6)
    text = job.file.open("rb").read().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Reference", "Organisation", "FTZ area"]
    expected = list(
        TravelApplication.objects.filter(
            submitted_at__date__gte=date(2026, 1, 1), submitted_at__date__lte=date(2026, 6, 30)
        )
        .order_by("submitted_at")
        .values_list("reference", flat=True)
    )
    assert [row[0] for row in rows[1:]] == expected == [application.reference for application in received]
    assert rows[1][6] == "2026-08-01"  # dates as ISO
    assert AuditEvent.objects.filter(action="report.export", actor=manager).count() == 1
    assert Notification.objects.filter(recipient=manager, key=f"report-job:{job.pk}:done").exists()


def test_exports_speak_the_requesters_language_and_narrow_to_an_area(
    manager, received, django_capture_on_commit_callbacks
):
    manager.preferred_language = "zh-hans"
    manager.save()
    job = run(manager, filters={**PERIOD, "ftz_area": "luoyang"}, capture=django_capture_on_commit_callbacks)
    rows = list(csv.reader(io.StringIO(job.file.open("rb").read().decode("utf-8-sig"))))
    assert rows[0][:3] == ["申请编号", "所属单位", "片区"]
    assert [row[0] for row in rows[1:]] == [received[3].reference, received[4].reference]
    assert {row[2] for row in rows[1:]} == {"洛阳片区"}


def test_an_xlsx_export_has_the_same_rows(manager, received, django_capture_on_commit_callbacks):
    manager.preferred_language = "en"
    manager.save()
    job = run(manager, format="xlsx", capture=django_capture_on_commit_callbacks)
    sheet = load_workbook(io.BytesIO(job.file.open("rb").read()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Reference"
    assert [row[0] for row in rows[1:]] == [application.reference for application in received]
    assert rows[1][6].date() == date(2026, 8, 1)  # a real date cell
    assert job.content_type.startswith("application/vnd.openxmlformats")


def test_progress_is_written_while_the_job_runs(
    manager, received, monkeypatch, django_capture_on_commit_callbacks
):
    from foreign_affairs.reports.exporters import csv as csv_exporter

    seen = []
    original = services._set_progress

    def record(job_id, percent):
        original(job_id, percent)
        seen.append(ReportJob.objects.get(pk=job_id).progress)

    monkeypatch.setattr(services, "_set_progress", record)
    monkeypatch.setattr(csv_exporter, "PROGRESS_EVERY", 1)
    job = run(manager, capture=django_capture_on_commit_callbacks)
    assert seen == [20, 40, 60, 80, 99]  # five rows; the last step waits for the file
    assert job.progress == 100


def test_a_failing_export_says_why(manager, received, monkeypatch, django_capture_on_commit_callbacks):
    from foreign_affairs.reports import exporters

    def broken(definition, filters, out, progress):
        progress(30)
        raise OSError("disk full")

    monkeypatch.setitem(services.EXPORTERS, "csv", broken)
    assert exporters.EXPORTERS is services.EXPORTERS
    job = run(manager, capture=django_capture_on_commit_callbacks)
    assert job.state == JobState.FAILED and job.error == "OSError: disk full" and not job.file
    assert Notification.objects.filter(recipient=manager, key=f"report-job:{job.pk}:failed").exists()


def test_a_finished_job_is_not_run_again(manager, received, django_capture_on_commit_callbacks):
    job = run(manager, capture=django_capture_on_commit_callbacks)
    finished = (job.finished_at, job.file.name)
    again = services.job_run(job_id=job.pk)
    assert (again.finished_at, again.file.name) == finished
    assert again.attempts == 1


def test_the_size_is_that_of_the_download_not_of_the_encrypted_file(
    manager, received, django_capture_on_commit_callbacks
):
    job = run(manager, format="xlsx", capture=django_capture_on_commit_callbacks)
    with job.file.open("rb") as handle:
        plain = handle.read()
    encrypted = job.file.storage.raw_bytes(job.file.name)
    assert job.size == len(plain) != len(encrypted)
    assert encrypted.startswith(b"gAAAAA") and plain.startswith(b"PK")  # an XLSX is a ZIP


def test_a_job_left_running_by_a_dead_worker_starts_over(manager, received):
    job = ReportJob.objects.create(created_by=manager, report="overdue", format="csv", filters=PERIOD)
    ReportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, progress=40, attempts=1)
    job = services.job_run(job_id=job.pk)
    assert (job.state, job.attempts, job.progress) == (JobState.DONE, 2, 100)


def test_cleanup_removes_expired_files_and_jobs(manager, received, django_capture_on_commit_callbacks):
    job = run(manager, capture=django_capture_on_commit_callbacks)
    path = job.file.path
    kept = run(manager, format="xlsx", capture=django_capture_on_commit_callbacks)
    ReportJob.objects.filter(pk=kept.pk).update(expires_at=timezone.now() + timedelta(days=30))
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert services.jobs_cleanup() == 1
        assert services.jobs_cleanup() == 0
    assert not ReportJob.objects.filter(pk=job.pk).exists()
    assert ReportJob.objects.filter(pk=kept.pk).exists()
    import os

    assert not os.path.exists(path)


# The API ---------------------------------------------------------------------------------------------------


def test_api_starts_follows_and_downloads_a_job(
    api_as, manager, received, django_capture_on_commit_callbacks
):
    client = api_as(manager)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/api/v1/reports/",
            {"report": "travel_approvals", "format": "csv", "filters": PERIOD},
            format="json",
        )
    assert response.status_code == 202, response.json()
    body = response.json()
    assert (body["state"], body["progress"], body["download_url"]) == ("queued", 0, None)
    url = f"/api/v1/reports/{body['id']}/"
    assert client.get(f"{url}download/").status_code == 404
    for callback in callbacks:
        callback()
    body = client.get(url).json()
    assert (body["state"], body["progress"], body["rows"]) == ("done", 100, 5)
    download = client.get(body["download_url"])
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert received[0].reference in b"".join(download.streaming_content).decode("utf-8-sig")
    assert [job["id"] for job in client.get("/api/v1/reports/").json()["results"]] == [body["id"]]


def test_api_refusals(api_as, manager, applicant, officer, received, django_capture_on_commit_callbacks):
    job = run(manager, capture=django_capture_on_commit_callbacks)
    assert api_as(applicant).get("/api/v1/reports/").status_code == 403
    assert (
        api_as(applicant).post("/api/v1/reports/", {"report": "overdue", "format": "csv"}).status_code == 403
    )
    assert api_as(officer).get(f"/api/v1/reports/{job.pk}/").status_code == 404  # someone else's job
    assert api_as(officer).get(f"/api/v1/reports/{job.pk}/download/").status_code == 404
    response = api_as(manager).post(
        "/api/v1/reports/", {"report": "travel_approvals", "format": "odt"}, format="json"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "format"
    response = api_as(manager).post(
        "/api/v1/reports/",
        {
            "report": "overdue",
            "format": "csv",
            "filters": {"date_from": "2026-05-01", "date_to": "2026-01-01"},
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "date_to"
    catalogue = api_as(manager).get("/api/v1/reports/catalogue/").json()
    assert [entry["name"] for entry in catalogue] == [
        "apec_cards",
        "cooperation_projects",
        "delegations_abroad",
        "exchange_activities",
        "exchange_agreements",
        "exchange_breakdown",
        "foreign_office_annual_reports",
        "foreign_office_cases",
        "foreign_organisations",
        "friendship_city_health",
        "overdue",
        "overseas_incidents",
        "overseas_presence",
        "project_months",
        "project_pipeline",
        "training_enrolments",
        "training_predeparture_lapsing",
        "training_rates",
        "travel_approvals",
        "zone_presentation",
    ]


def test_api_dashboard_gives_the_figures_with_their_lists(api_as, manager, applicant, received):
    client = api_as(manager)
    body = client.get("/api/v1/reports/dashboard/", {**PERIOD, "ftz_area": "luoyang"}).json()
    assert body["filters"] == {**PERIOD, "ftz_area": "luoyang"}
    sections = {section["key"]: section for section in body["sections"]}
    assert {"applications", "trips", "abroad", "apec"} <= set(sections)
    received_figure = sections["applications"]["figures"][0]
    assert received_figure["value"] == 2  # the two Luoyang applications of the half-year
    assert received_figure["url"].startswith("http://testserver/admin/approvals/travelapplication/?")
    everywhere = client.get("/api/v1/reports/dashboard/", PERIOD).json()
    assert everywhere["sections"][0]["figures"][0]["value"] == 5
    chart = sections["applications"]["charts"][0]
    assert all(len(series["values"]) == len(chart["labels"]) for series in chart["series"])

    refused = client.get("/api/v1/reports/dashboard/", {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "date_to"
    assert api_as(applicant).get("/api/v1/reports/dashboard/").status_code == 403
