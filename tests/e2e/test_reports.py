"""A real browser through the reports area: a manager signs in, reads the dashboard (in Chinese, on a phone,
in English), starts a CSV export, watches its progress bar move without the page reloading, downloads the
file and finds it again under My reports.

The applications and cards are made by the factories and services first. The export task is held back
(services._enqueue is replaced) so that the page is seen waiting, then the test runs the job itself in
steps, as a worker would, while the page polls. Elements are found by id, name and data-testid.
"""

import csv
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from approvals.summary import rebuild
from foreign_affairs.accounts.models import User
from foreign_affairs.reports import services
from foreign_affairs.reports.models import JobState, ReportJob
from foreign_affairs.reports.registry import REPORTS
from tests.apec_cards.helpers import issued_card
from tests.approvals.factories import ApplicationFactory
from tests.conftest import requires_chromium
from tests.factories import OrganizationFactory

pytestmark = [
    requires_chromium,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def no_sideways_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def seed(organization, applicant, liaison, officer) -> list:
    """A year's work of three areas: applications in every state that counts, trips abroad, two cards."""
    today = timezone.localdate()
    luoyang = OrganizationFactory(ftz_area="luoyang", name_zh="洛阳示范装备制造有限公司")
    kaifeng = OrganizationFactory(ftz_area="kaifeng", name_zh="开封文化旅游发展有限公司")
    made = []
    plan = [
        (organization, {"in_review": True}),
        (organization, {"in_review": True, "due_on": today - timedelta(days=3)}),
        (organization, {"submitted": True}),
        (organization, {"approved": True, "trip__departure": today + timedelta(days=10)}),
        (organization, {"permit_issued": True, "trip__departure": today - timedelta(days=2)}),
        (luoyang, {"permit_issued": True, "trip__departure": today + timedelta(days=20)}),
        (luoyang, {"approved": True, "trip__departure": today + timedelta(days=40)}),
        (luoyang, {"rejected": True}),
        (kaifeng, {"pending_signoff": True}),
        (kaifeng, {"approved": True, "trip__departure": today + timedelta(days=70)}),
    ]
    for index, (owner, traits) in enumerate(plan):
        # Received this year, whatever the day the test runs.
        received = max(
            timezone.now() - timedelta(days=index * 9), timezone.now().replace(month=1, day=1, hour=12)
        )
        made.append(ApplicationFactory(organization=owner, submitted_at=received, **traits))
    # The factories write the rows directly, past the services that keep the dashboard's daily summary.
    rebuild()
    issued_card(applicant=applicant, liaison=liaison, officer=officer, approve=("AU", "JP"))
    issued_card(applicant=applicant, liaison=liaison, officer=officer, approve=("SG",))
    return made


def test_a_manager_reads_the_dashboard_and_exports_a_csv(
    page, live_server, manager, organization, applicant, liaison, officer, settings, screenshot, monkeypatch
):
    applications = seed(organization, applicant, liaison, officer)
    held = []
    monkeypatch.setattr(services, "_enqueue", held.append)  # the worker is this test, below

    # Sign in: straight back to the reports.
    page.goto(f"{live_server.url}/reports/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/reports/"))
    page.fill("#id_username", manager.username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.locator("form.card button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/reports/")

    # The dashboard: every area's section, tiles linking to their lists, charts with their numbers.
    for key in ("applications", "trips", "abroad", "apec"):
        expect(page.get_by_test_id(f"section-{key}")).to_be_visible()
    expect(page.locator('.preset-chip[data-preset="this_year"]')).to_have_attribute("aria-current", "true")
    received = page.get_by_test_id("section-applications").get_by_test_id("figure").first
    expect(received.locator(".figure-value")).to_have_text("10")
    assert received.get_attribute("href").startswith("/admin/approvals/travelapplication/?")
    expect(page.locator("svg.chart:visible").first).to_have_attribute("aria-labelledby", re.compile("chart-"))
    numbers = page.get_by_test_id("section-trips").get_by_test_id("chart-numbers").first
    numbers.locator("summary").click()
    expect(numbers.locator("tbody tr").first).to_be_visible()
    screenshot("reports-dashboard")

    # A phone: nothing scrolls sideways, the charts shrink to the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    assert no_sideways_scroll(page) <= 0, "the dashboard scrolls sideways at 390px"
    chart = page.locator("svg.chart:visible").first
    assert chart.bounding_box()["width"] <= 390 - 2 * 12
    assert chart.get_attribute("width") == "320"  # the narrow drawing, its text readable at this size
    screenshot("reports-dashboard-phone")
    page.set_viewport_size({"width": 360, "height": 780})
    assert no_sideways_scroll(page) <= 0, "the dashboard scrolls sideways at 360px"
    page.set_viewport_size({"width": 1280, "height": 900})

    # In English, narrowed to one area by the filter bar.
    page.locator('button[name="language"][value="en"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.select_option("#id_ftz_area", "luoyang")
    page.get_by_test_id("apply-filters").click()
    expect(page).to_have_url(re.compile(r"ftz_area=luoyang"))
    expect(received.locator(".figure-value")).to_have_text("3")
    page.select_option("#id_ftz_area", "")
    page.get_by_test_id("apply-filters").click()
    expect(received.locator(".figure-value")).to_have_text("10")
    screenshot("reports-dashboard-en")

    # A period that ends before it starts is explained, nothing is counted.
    page.fill("#id_date_from", "2026-05-01")
    page.fill("#id_date_to", "2026-04-01")
    page.get_by_test_id("apply-filters").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_test_id("filters-invalid")).to_be_visible()
    screenshot("reports-dashboard-invalid-period")
    page.locator('.preset-chip[data-preset="this_year"]').click()

    # Export the travel approvals as CSV.
    page.get_by_test_id("export-link").click()
    page.locator('[data-report="travel_approvals"]').check()
    page.locator('label[for="id_format_1"]').click()  # CSV
    expect(page.locator('[data-format="csv"]')).to_be_checked()
    screenshot("reports-export-panel")
    page.get_by_test_id("start-export").click()
    job = ReportJob.objects.get()
    expect(page).to_have_url(f"{live_server.url}/reports/exports/{job.pk}/")
    progress = page.get_by_test_id("job-progress")
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-state", "queued")
    expect(progress).to_have_attribute("aria-valuenow", "0")
    page.evaluate("window.stillTheSamePage = true")
    screenshot("reports-job-queued")

    # The worker picks it up: the bar moves, then the file is ready, all without reloading.
    assert held == [job.pk]
    ReportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, progress=40)
    expect(progress).to_have_attribute("aria-valuenow", "40")
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-state", "running")
    screenshot("reports-job-running")
    services.job_run(job_id=job.pk)
    expect(progress).to_have_attribute("aria-valuenow", "100", timeout=10_000)
    expect(page.get_by_test_id("job-download")).to_be_visible()
    expect(page.locator("#job-announce")).to_have_text(re.compile(r"ready"))
    assert page.evaluate("window.stillTheSamePage") is True
    screenshot("reports-job-done")

    with page.expect_download() as download_info:
        page.get_by_test_id("job-download").click()
    download = download_info.value
    assert download.suggested_filename == job.download_name
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    manager = User.objects.get(pk=manager.pk)  # switching to English was remembered on the account
    with translation.override(manager.preferred_language):
        assert rows[0] == [str(column.label) for column in REPORTS["travel_approvals"].columns]
    assert rows[0][0] == "Reference"
    by_reference = {row[0]: row for row in rows[1:]}
    assert set(by_reference) == {application.reference for application in applications}
    rejected = by_reference[applications[7].reference]
    assert rejected[1] == "洛阳示范装备制造有限公司" and rejected[2] == "Luoyang area"

    # The file stays under My reports.
    page.get_by_role("link", name="All my reports").click()
    expect(page).to_have_url(f"{live_server.url}/reports/exports/")
    row = page.get_by_test_id("job-row").first
    expect(row).to_have_attribute("data-state", "done")
    expect(row.get_by_test_id("job-download")).to_be_visible()
    screenshot("reports-my-reports")
    page.set_viewport_size({"width": 390, "height": 844})
    assert no_sideways_scroll(page) <= 0, "My reports scrolls sideways at 390px"
    screenshot("reports-my-reports-phone")


def test_a_pdf_export_is_offered_and_runs_when_the_exporter_is_ready(
    page, live_server, manager, organization, settings
):
    """The PDF exporter is written elsewhere; until it is, the job page shows the failure and a retry."""
    ApplicationFactory(organization=organization, in_review=True)
    page.goto(f"{live_server.url}/accounts/login/?next=/reports/")
    page.fill("#id_username", manager.username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.locator("form.card button[type=submit]").click()
    page.locator('[data-report="overdue"]').check()
    expect(page.locator('[data-format="pdf"]')).to_be_checked()  # PDF is the default
    page.get_by_test_id("start-export").click()
    job = ReportJob.objects.get()
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-state", re.compile("done|failed"))
    job.refresh_from_db()
    if job.state == JobState.FAILED and "NotImplementedError" in job.error:
        expect(page.get_by_test_id("job-error")).to_contain_text("NotImplementedError")
        expect(page.get_by_test_id("job-retry")).to_be_visible()
        pytest.skip("the PDF exporter is not written yet")
    assert job.state == JobState.DONE, job.error
    with page.expect_download() as download_info:
        page.get_by_test_id("job-download").click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
