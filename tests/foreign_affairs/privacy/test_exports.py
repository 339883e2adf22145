"""Report exports that carry personal data say so (the first rows of the CSV and XLSX, the PDF's cover and
running header, the file name) and are access records: writing the file (door "export", its requester) and
each download (page, API), the case being the report's name. Other exports are unmarked and unrecorded."""

import csv
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from foreign_affairs.privacy.models import Door, PersonalDataAccess, Seen
from foreign_affairs.reports import services
from foreign_affairs.reports.exporters.personal import NOTICE_EN, NOTICE_ZH
from foreign_affairs.reports.registry import REPORTS
from tests.apec_cards.helpers import issued_card

pytestmark = pytest.mark.django_db

PERSONAL = {
    "apec_cards",
    "delegations_abroad",
    "overdue",
    "training_enrolments",
    "training_predeparture_lapsing",
}


@pytest.fixture
def card(applicant, liaison, officer):
    return issued_card(applicant=applicant, liaison=liaison, officer=officer)


def run(actor, capture, *, report="apec_cards", format="csv", language="en"):
    actor.preferred_language = language
    actor.save()
    with capture(execute=True):
        job = services.job_start(actor=actor, report=report, format=format, filters={})
    job.refresh_from_db()
    assert job.state == "done", job.error
    return job


def test_the_reports_naming_people_are_flagged_and_the_others_not():
    flagged = {name for name, definition in REPORTS.items() if definition.personal_data}
    assert flagged == PERSONAL
    assert not REPORTS["travel_approvals"].personal_data and not REPORTS["overseas_presence"].personal_data


def test_a_csv_with_personal_data_opens_with_the_notice_in_both_languages(
    manager, card, django_capture_on_commit_callbacks
):
    job = run(manager, django_capture_on_commit_callbacks)
    rows = list(csv.reader(io.StringIO(job.file.open("rb").read().decode("utf-8-sig"))))
    assert rows[0] == [NOTICE_ZH] and rows[1] == [NOTICE_EN]
    assert rows[2][0] == "Card number" and rows[3][0] == card.number
    assert job.rows == 1


def test_an_xlsx_with_personal_data_opens_with_the_notice(manager, card, django_capture_on_commit_callbacks):
    job = run(manager, django_capture_on_commit_callbacks, format="xlsx")
    sheet = load_workbook(io.BytesIO(job.file.open("rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (rows[0][0], rows[1][0], rows[2][0], rows[3][0]) == (
        NOTICE_ZH,
        NOTICE_EN,
        "Card number",
        card.number,
    )
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref.startswith("A3:")


def test_a_pdf_with_personal_data_says_so_on_its_cover_and_in_its_header(
    manager, card, django_capture_on_commit_callbacks
):
    job = run(manager, django_capture_on_commit_callbacks, format="pdf")
    reader = PdfReader(io.BytesIO(job.file.open("rb").read()))
    cover = reader.pages[0].extract_text()
    assert "handle under PIPL" in cover
    assert "Personal information" in reader.pages[-1].extract_text()  # the list's running header
    assert NOTICE_ZH in reader.metadata["/Subject"] and NOTICE_EN in reader.metadata["/Subject"]


def test_an_export_without_personal_data_is_unmarked_and_unrecorded(
    client, manager, django_capture_on_commit_callbacks
):
    job = run(manager, django_capture_on_commit_callbacks, report="travel_approvals")
    rows = list(csv.reader(io.StringIO(job.file.open("rb").read().decode("utf-8-sig"))))
    assert rows[0][0] == "Reference"
    client.force_login(manager)
    response = client.get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200 and "personal" not in response["Content-Disposition"]
    assert not PersonalDataAccess.objects.exists()


def test_writing_the_export_is_an_access_record_of_its_requester(
    manager, card, django_capture_on_commit_callbacks
):
    run(manager, django_capture_on_commit_callbacks)
    record = PersonalDataAccess.objects.get()
    assert (record.user, record.seen, record.door, record.case, record.person) == (
        manager,
        Seen.PERSONAL_EXPORT,
        Door.EXPORT,
        "apec_cards",
        None,
    )


@pytest.mark.parametrize(
    ("language", "marker"), [("en", "-personal-data.csv"), ("zh-hans", "-含个人信息.csv")]
)
def test_the_download_is_named_and_recorded_on_the_page(
    client, manager, card, language, marker, django_capture_on_commit_callbacks
):
    job = run(manager, django_capture_on_commit_callbacks, language=language)
    PersonalDataAccess.objects.all().delete()  # the record of writing it (above)
    client.force_login(manager)
    response = client.get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200 and marker in unquote(response["Content-Disposition"])
    record = PersonalDataAccess.objects.get()
    assert (record.user, record.seen, record.door, record.case) == (
        manager,
        Seen.PERSONAL_EXPORT,
        Door.PAGE,
        "apec_cards",
    )


def test_the_download_through_the_api_is_recorded(api_as, manager, card, django_capture_on_commit_callbacks):
    job = run(manager, django_capture_on_commit_callbacks)
    PersonalDataAccess.objects.all().delete()
    response = api_as(manager).get(f"/api/v1/reports/{job.pk}/download/")
    assert response.status_code == 200 and "-personal-data.csv" in response["Content-Disposition"]
    record = PersonalDataAccess.objects.get()
    assert (record.user, record.door, record.case) == (manager, Door.API, "apec_cards")


def test_someone_elses_export_is_404_and_unrecorded(
    api_as, client, manager, officer, card, django_capture_on_commit_callbacks
):
    job = run(manager, django_capture_on_commit_callbacks)
    PersonalDataAccess.objects.all().delete()
    assert api_as(officer).get(f"/api/v1/reports/{job.pk}/download/").status_code == 404
    client.force_login(officer)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404
    assert not PersonalDataAccess.objects.exists()
