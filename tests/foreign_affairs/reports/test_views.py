"""The pages of the reports area: the dashboard (who may see it, filters, figures linking to their lists,
charts with their numbers, a constant number of queries), starting an export, following it, downloading
it (its owner only), "My reports", the navigation and the read-only admin."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from approvals.summary import rebuild
from foreign_affairs.accounts.roles import Role
from foreign_affairs.reports import services
from foreign_affairs.reports.exporters import EXPORTERS
from foreign_affairs.reports.models import JobState, ReportJob
from foreign_affairs.reports.registry import REPORTS
from tests.approvals.factories import ApplicationFactory
from tests.factories import OrganizationFactory, office_user

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# Session, user and roles; whether the user has two-step sign-in (the back office and the reports ask for
# the second step); the figures of every area (on SQLite each percentile takes two queries); the latest
# exports; the unread count in the header: 22 on SQLite, 21 on PostgreSQL, whatever the data, the nine
# of overseas safety's incidents and people abroad, the six of foreign organisations (seven on SQLite),
# the seven of cooperation projects (eight on SQLite), the two of international exchanges and the two of
# training (enrolments and rates; travellers whose training lapses before departure).
MAX_DASHBOARD_QUERIES = 48


@pytest.fixture
def english(client):
    """Pages in English, so that assertions read the source strings whatever the lead translates."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def applications(organization):
    """This year's work: received, in review (one overdue), approved and departing, not approved."""
    today = timezone.localdate()
    luoyang = OrganizationFactory(ftz_area="luoyang", name_zh="洛阳乙公司")
    made = [
        ApplicationFactory(organization=organization, in_review=True),
        ApplicationFactory(organization=organization, in_review=True, due_on=today - timedelta(days=2)),
        ApplicationFactory(organization=organization, approved=True, trip__departure=today),
        ApplicationFactory(organization=luoyang, permit_issued=True, trip__departure=today),
        ApplicationFactory(organization=luoyang, rejected=True, submitted_at=timezone.now()),
    ]
    # The factories write the rows directly, past the services that keep the dashboard's daily summary.
    rebuild()
    return made


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def start(client, capture, **data):
    """Post the export form of the dashboard; the job runs when the request's transaction commits."""
    today = timezone.localdate()
    form = {
        "report": "travel_approvals",
        "format": "csv",
        "date_from": today.replace(month=1, day=1).isoformat(),
        "date_to": today.isoformat(),
        "ftz_area": "",
        **data,
    }
    with capture(execute=True):
        return client.post("/reports/export/", form)


# Who comes in ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "officer", "leader"])
def test_office_roles_see_the_dashboard_with_figures_linking_to_their_lists(
    english, request, role, applications
):
    english.force_login(request.getfixturevalue(role))
    html = page_of(english.get("/reports/"))
    for key in ("applications", "trips", "abroad", "apec"):
        assert f'data-testid="section-{key}"' in html
    # Every figure that has a list opens it: the tiles are links to the back office's filtered lists.
    tiles = re.findall(r'<a class="figure-tile[^"]*" href="([^"]+)" data-testid="figure">', html)
    assert len(tiles) >= 10
    assert all(url.startswith("/admin/") for url in tiles)
    assert any("/admin/approvals/travelapplication/?" in url for url in tiles)
    assert any("/admin/apec_cards/card/?" in url for url in tiles)
    # Received this year: all five; the overdue one is flagged in words, not colour alone.
    assert re.search(
        r'<span class="figure-value">5</span>\s*<span class="figure-label">Applications received', html
    )
    assert "tone-danger" in html and "Needs action" in html
    # Charts as accessible SVG, each with its numbers as a table.
    # (each drawn twice: wide, and narrow for phones)
    # A chart is a picture, or a group of links when its bars lead to their lists (axe: nested-interactive).
    charts = re.findall(r'<svg [^>]*role="(img|group)" aria-labelledby="chart-', html)
    assert len(charts) == 2 * html.count('data-testid="chart-numbers"') >= 4
    assert "group" in charts
    assert "Show the numbers" in html
    assert "Trips by destination" in html and "Germany" in html


def test_enterprise_users_are_refused(client, applicant, liaison):
    for user in (applicant, liaison):
        client.force_login(user)
        for url in ("/reports/", "/reports/exports/"):
            response = client.get(url)
            assert response.status_code == 403
            assert 'data-testid="problem"' in response.content.decode()
        assert client.post("/reports/export/", {"report": "overdue", "format": "csv"}).status_code == 403
    assert not ReportJob.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/reports/?preset=last_month")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/reports/")
    # The progress fragment answers htmx with a bare 401 (htmx then swaps nothing).
    job_url = "/reports/exports/00000000-0000-0000-0000-000000000000/status/"
    assert client.get(job_url, **HTMX).status_code == 401


# Filters -----------------------------------------------------------------------------------------------


def test_a_period_ending_before_it_starts_is_explained_and_nothing_is_counted(english, manager):
    english.force_login(manager)
    html = page_of(english.get("/reports/?date_from=2026-05-01&date_to=2026-04-01"))
    assert 'id="error-summary"' in html
    assert "The end of the period must be on or after its start." in html
    assert 'href="#id_date_to"' in html and 'aria-invalid="true"' in html
    assert 'data-testid="filters-invalid"' in html
    assert 'data-testid="section-' not in html and 'data-testid="export-form"' not in html
    # What was typed stays in the fields.
    assert 'value="2026-05-01"' in html and 'value="2026-04-01"' in html


def test_a_preset_fills_the_dates_and_keeps_the_area(english, manager, applications):
    english.force_login(manager)
    html = page_of(english.get("/reports/?preset=last_year&ftz_area=luoyang"))
    last_year = timezone.localdate().year - 1
    assert f'value="{last_year}-01-01"' in html and f'value="{last_year}-12-31"' in html
    assert re.search(r'class="preset-chip active" href="\?preset=last_year&amp;ftz_area=luoyang"', html)
    assert "Luoyang area" in html
    # Last year had none of this year's applications: the page says so.
    assert 'data-testid="dashboard-empty"' in html or "Nothing to show for this period." in html


def test_the_area_narrows_the_figures_and_their_links(english, manager, applications):
    english.force_login(manager)
    html = page_of(english.get("/reports/?ftz_area=luoyang"))
    assert re.search(
        r'<span class="figure-value">2</span>\s*<span class="figure-label">Applications received', html
    )
    assert "organization__ftz_area__exact=luoyang" in html


def test_the_default_is_this_year_and_an_empty_period_says_so(english, manager):
    english.force_login(manager)
    html = page_of(english.get("/reports/"))
    assert re.search(r'class="preset-chip active" href="\?preset=this_year"', html)
    assert 'data-testid="dashboard-empty"' in html
    assert "No applications or cards in this period." in html
    assert 'data-testid="chart-empty"' in html


def make_applications(total: int, organizations) -> None:
    """Applications in every state the figures count, spread over organisations and areas."""
    traits = ("in_review", "approved", "permit_issued", "rejected", "submitted")
    for index in range(total):
        ApplicationFactory(
            organization=organizations[index % len(organizations)],
            submitted_at=timezone.now(),
            trip__departure=timezone.localdate() + timedelta(days=index % 20),
            trip__members=1,
            **{traits[index % len(traits)]: True},
        )
    # The factories write the rows directly, past the services that keep the dashboard's daily summary.
    rebuild()


def test_the_dashboard_needs_the_same_queries_for_5_and_50_applications(
    client, manager, django_assert_max_num_queries
):
    organizations = [OrganizationFactory(ftz_area=area) for area in ("zhengzhou", "luoyang", "kaifeng")]
    client.force_login(manager)
    client.get("/reports/")  # the session and the like are read once warm
    counts = []
    for total in (5, 50):
        make_applications(total - sum(counts and [5]), organizations)
        with django_assert_max_num_queries(MAX_DASHBOARD_QUERIES) as queries:
            assert client.get("/reports/?ftz_area=").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# Exporting ---------------------------------------------------------------------------------------------


def test_the_export_form_lists_the_catalogue_and_carries_the_period(english, manager):
    english.force_login(manager)
    html = page_of(english.get("/reports/?date_from=2026-02-01&date_to=2026-03-31&ftz_area=kaifeng"))
    for name in ("travel_approvals", "delegations_abroad", "overdue", "apec_cards"):
        assert f'data-report="{name}"' in html
    assert "Who is abroad during the period" in html  # a description
    for value in ("pdf", "csv", "xlsx"):
        assert f'data-format="{value}"' in html
    assert '<input type="hidden" name="date_from" value="2026-02-01">' in html
    assert '<input type="hidden" name="ftz_area" value="kaifeng">' in html


def test_exporting_creates_a_job_that_is_ready_on_its_page(
    english, manager, applications, django_capture_on_commit_callbacks
):
    english.force_login(manager)
    response = start(english, django_capture_on_commit_callbacks)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/exports/{job.pk}/"
    assert (job.created_by, job.report, job.format, job.state) == (manager, "travel_approvals", "csv", "done")

    html = page_of(english.get(response["Location"]))
    assert "Travel approvals for a period" in html
    assert 'data-state="done"' in html and 'aria-valuenow="100"' in html
    assert "hx-trigger" not in html  # finished: nothing polls
    assert f'href="/reports/exports/{job.pk}/download/"' in html

    download = english.get(f"/reports/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    with translation.override(manager.preferred_language):  # the file is in the requester's language
        assert rows[0] == [str(column.label) for column in REPORTS["travel_approvals"].columns]
    assert len(rows) == 1 + 5
    assert {row[0] for row in rows[1:]} == {application.reference for application in applications}


def test_an_export_without_a_report_is_explained_and_starts_nothing(
    english, manager, django_capture_on_commit_callbacks
):
    english.force_login(manager)
    response = start(english, django_capture_on_commit_callbacks, report="", format="doc")
    html = page_of(response)
    assert 'id="error-summary"' in html and 'id="id_report_error"' in html and 'id="id_format_error"' in html
    assert not ReportJob.objects.exists()


def test_an_export_for_a_bad_period_is_refused(english, manager, django_capture_on_commit_callbacks):
    english.force_login(manager)
    html = page_of(
        start(english, django_capture_on_commit_callbacks, date_from="2026-05-01", date_to="2026-04-01")
    )
    assert "The end of the period must be on or after its start." in html
    assert not ReportJob.objects.exists()


def test_the_progress_fragment_polls_until_the_job_is_finished(
    english, manager, django_capture_on_commit_callbacks
):
    english.force_login(manager)
    with django_capture_on_commit_callbacks(execute=False):  # queued, the task not sent
        job = services.job_start(actor=manager, report="overdue", format="csv")
    page = page_of(english.get(f"/reports/exports/{job.pk}/"))
    assert 'data-state="queued"' in page and 'aria-valuenow="0"' in page
    assert f'hx-get="/reports/exports/{job.pk}/status/?seen=queued"' in page
    assert 'hx-trigger="every 1s"' in page and 'id="job-announce"' in page

    ReportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, progress=40)
    fragment = page_of(english.get(f"/reports/exports/{job.pk}/status/?seen=queued", **HTMX))
    assert "<html" not in fragment
    assert 'aria-valuenow="40"' in fragment and "width: 40%" in fragment
    assert 'hx-trigger="every 1s"' in fragment and "?seen=running" in fragment
    assert 'hx-swap-oob="innerHTML"' in fragment  # the change of state is announced once
    again = page_of(english.get(f"/reports/exports/{job.pk}/status/?seen=running", **HTMX))
    assert "hx-swap-oob" not in again

    services.job_run(job_id=job.pk)
    fragment = page_of(english.get(f"/reports/exports/{job.pk}/status/?seen=running", **HTMX))
    assert 'data-state="done"' in fragment and 'aria-valuenow="100"' in fragment
    assert "hx-trigger" not in fragment  # polling stops
    assert 'data-testid="job-download"' in fragment
    assert "The file is ready to download." in fragment


def test_a_failed_job_says_why_and_can_be_started_again(
    english, manager, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(definition, filters, out, progress):
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(EXPORTERS, "csv", broken)
    english.force_login(manager)
    response = start(english, django_capture_on_commit_callbacks, report="overdue", ftz_area="zhengzhou")
    failed = ReportJob.objects.get()
    assert failed.state == JobState.FAILED
    html = page_of(english.get(response["Location"]))
    assert 'data-testid="job-failed"' in html and "RuntimeError: the disk is full" in html
    assert 'data-testid="job-download"' not in html
    assert '<input type="hidden" name="report" value="overdue">' in html
    assert '<input type="hidden" name="ftz_area" value="zhengzhou">' in html

    monkeypatch.undo()
    retry = {"report": "overdue", "format": "csv", **failed.filters}
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post("/reports/export/", retry)
    again = ReportJob.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == again.get_absolute_url()
    assert (again.state, again.filters) == (JobState.DONE, failed.filters)


def test_only_the_owner_sees_and_downloads_a_job(client, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(actor=manager, report="overdue", format="csv")
    other = office_user(Role.MANAGER)
    client.force_login(other)
    for suffix in ("", "status/", "download/"):
        assert client.get(f"/reports/exports/{job.pk}/{suffix}").status_code == 404
    assert str(job.pk) not in client.get("/reports/exports/").content.decode()
    client.force_login(manager)
    assert client.get(f"/reports/exports/{job.pk}/download/").status_code == 200


def test_a_file_is_not_served_before_it_is_ready(client, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = services.job_start(actor=manager, report="overdue", format="csv")
    client.force_login(manager)
    assert client.get(f"/reports/exports/{job.pk}/download/").status_code == 404


# My reports --------------------------------------------------------------------------------------------


def test_my_reports_are_listed_newest_first_and_paged(english, manager, django_capture_on_commit_callbacks):
    english.force_login(manager)
    html = page_of(english.get("/reports/exports/"))
    assert 'data-testid="jobs-empty"' in html

    now = timezone.now()
    for index in range(23):
        ReportJob.objects.create(
            created_by=manager,
            report="overdue",
            format="xlsx",
            filters={"date_from": "2026-01-01", "date_to": "2026-03-31", "ftz_area": ""},
            state=JobState.FAILED,
            created_at=now - timedelta(hours=index + 1),
        )
    ReportJob.objects.create(created_by=office_user(Role.MANAGER), report="overdue", format="csv")
    with django_capture_on_commit_callbacks(execute=True):
        newest = services.job_start(actor=manager, report="travel_approvals", format="csv")
    newest.refresh_from_db()

    html = page_of(english.get("/reports/exports/"))
    rows = re.findall(r'data-testid="job-row" data-state="(\w+)" data-job="([0-9a-f-]+)"', html)
    assert len(rows) == 20
    assert rows[0] == ("done", str(newest.pk))
    assert "Travel approvals for a period" in html
    assert f'href="/reports/exports/{newest.pk}/download/"' in html
    assert newest.expires_at.astimezone(timezone.get_current_timezone()).strftime("%-d %b %Y") in html
    assert "Showing 1–20 of 24" in html

    second = page_of(english.get("/reports/exports/?page=2"))
    assert len(re.findall(r'data-testid="job-row"', second)) == 4
    assert "See why" in second


def test_my_reports_refresh_while_a_job_is_running(client, manager, django_capture_on_commit_callbacks):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=False):
        services.job_start(actor=manager, report="overdue", format="csv")
    assert 'hx-trigger="every 2s"' in page_of(client.get("/reports/exports/"))


# Navigation and admin ----------------------------------------------------------------------------------


def test_the_navigation_offers_reports_to_the_office_only(client, manager, applicant):
    client.force_login(manager)
    assert 'href="/reports/"' in client.get("/dashboard/").content.decode()
    assert 'aria-current="page"' in client.get("/reports/exports/").content.decode()
    client.force_login(applicant)
    assert 'href="/reports/"' not in client.get("/dashboard/").content.decode()


def test_superusers_read_the_exports_in_the_back_office(client, manager, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(actor=manager, report="overdue", format="csv")
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = page_of(client.get("/admin/reports/reportjob/"))
    assert str(manager) in html and "overdue" in html
    assert client.get(f"/admin/reports/reportjob/{job.pk}/change/").status_code == 200
    assert client.get("/admin/reports/reportjob/add/").status_code == 403
    response = client.post(f"/admin/reports/reportjob/{job.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403 and ReportJob.objects.filter(pk=job.pk).exists()
    client.force_login(manager)
    assert client.get("/admin/reports/reportjob/").status_code == 403


def test_figures_are_grouped_by_thousands_with_one_decimal_at_most():
    from foreign_affairs.reports.views import display_number

    assert [display_number(value) for value in (12345, 49.46, 72.0, 0, None, "n/a")] == [
        "12,345",
        "49.5",
        "72",
        "0",
        "—",
        "n/a",
    ]


def test_the_back_office_links_to_the_reports_for_those_who_use_them(client, manager, officer):
    from tests.factories import UserFactory

    for user in (manager, officer):
        client.force_login(user)
        assert 'href="/reports/"' in page_of(client.get("/admin/"))
    client.force_login(UserFactory(is_staff=True))  # staff without an office role
    assert 'href="/reports/"' not in page_of(client.get("/admin/"))
