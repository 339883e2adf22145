"""The certificate of completion as a document: rendered once by the Celery task when the course is completed
(one landscape A4 page, Chinese first and English beneath, the shipped font, the QR code to /verify/<code>/),
and its verify page, valid and then revoked."""

import io
import logging
import re
import subprocess
from datetime import datetime, timedelta

import pytest
import time_machine
import zxingcpp
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from tests.conftest import ARTIFACTS
from tests.factories import PersonFactory, enterprise_user
from training import services
from training.models import Certificate
from training.services.attendance import code_for

from .factories import answers_for, course, session

pytestmark = pytest.mark.django_db


def squeezed(text: str) -> str:
    """The text without the spaces and line breaks a PDF's text extraction puts between glyphs."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def completed(officer, liaison, organization, django_capture_on_commit_callbacks):
    """A traveller enrolled by the liaison in a two-day course with an assessment-free register, marked
    attended by the officer: completed, the certificate issued and rendered by the (eager) task on commit."""
    person = PersonFactory(organization=organization, full_name="欧阳娜娜", pinyin_name="OUYANG NANA")
    protocol = course(
        code="PR-01",
        topic="protocol",
        title_zh="涉外礼宾礼仪",
        title_en="Diplomatic protocol and etiquette",
        duration_hours=6,
    )
    starts = timezone.make_aware(datetime(2026, 12, 3, 9, 0))
    with time_machine_at(starts - timedelta(days=10)):
        held = session(officer=officer, course_obj=protocol, starts_in=timedelta(days=10), hours=30)
        enrolment = services.enrol(session=held, actor=liaison, person=person)
    with time_machine_at(starts + timedelta(hours=2)), django_capture_on_commit_callbacks(execute=True):
        done = services.mark(enrolment=enrolment, actor=officer, attended=True)
    assert done.state == "completed"
    return Certificate.objects.select_related("course", "organization").get(enrolment=enrolment)


def read_file(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def time_machine_at(moment):
    return time_machine.travel(moment, tick=False)


def test_the_certificate_is_rendered_once_as_a_bilingual_landscape_page(completed, organization, caplog):
    certificate = completed
    assert certificate.rendered_at and certificate.sha256 and not certificate.render_error
    content = read_file(certificate.file)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4, landscape
    text = reader.pages[0].extract_text()
    flat = squeezed(text)
    for expected in (
        "结业证书",
        "Certificate of Completion",
        certificate.number,
        certificate.verification_code,
        "欧阳娜娜",
        "OUYANG NANA",
        organization.name_zh,
        "“涉外礼宾礼仪”",
        "Diplomatic protocol and etiquette",
        # Two days of the session, in each language's own form.
        "于2026年12月3日至2026年12月4日参加",
        "from 3 December 2026 to 4 December 2026",
        "共计6学时",
        "(6 hours)",
        "2026年12月3日",
        "2027年12月2日",  # valid for the course's 12 months
        "2 December 2027",
        f"/verify/{certificate.verification_code}/",
        "本证书真伪可扫描二维码或访问上述网址核验",
        "The certificate can be verified by scanning the code",
    ):
        assert squeezed(expected) in flat, expected
    # No ISO dates beside the Chinese, no assessment claimed for a course without one.
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert "考核" not in flat and "assessment" not in text
    # Drawn with the shipped font only.
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert fonts == {"Portal-Sans", "Portal-Sans-Bold"}

    # Page 1 as an image (looked at: tests/artifacts/training-certificate.png); its QR code reads the
    # verify address.
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "training-certificate.pdf"
    pdf.write_bytes(content)
    target = ARTIFACTS / "training-certificate"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", "1", "-l", "1", pdf, target], check=True
    )
    assert (ARTIFACTS / "training-certificate.png").stat().st_size > 10_000
    sharp = ARTIFACTS / "training-certificate-150"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", "-f", "1", "-l", "1", pdf, sharp], check=True
    )
    codes = zxingcpp.read_barcodes(Image.open(f"{sharp}.png"))
    assert [code.text for code in codes] == [certificate.verify_url]
    (ARTIFACTS / "training-certificate-150.png").unlink()
    pdf.unlink()

    # A second run (a redelivered task) leaves the file as it is.
    caplog.set_level(logging.INFO)
    services.certificate_render(certificate_id=certificate.pk)
    again = Certificate.objects.get(pk=certificate.pk)
    assert (again.file.name, again.sha256, again.rendered_at) == (
        certificate.file.name,
        certificate.sha256,
        certificate.rendered_at,
    )


def test_a_course_with_an_assessment_says_it_was_passed_and_names_the_holder_as_written(
    officer, organization, django_capture_on_commit_callbacks
):
    graded = course(code="PD-09", pass_mark=60, questions=2, title_en="")
    person = PersonFactory(
        organization=organization, full_name="李雷", pinyin_name="", email="lilei@example.cn"
    )
    user = enterprise_user(organization, email="lilei@example.cn")
    # 10:00 local, two days ahead: a two-hour session started at 22:00 or later would end the next day.
    now = timezone.localtime()
    ten = (now + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    held = session(officer=officer, course_obj=graded, starts_in=ten - now, hours=2)
    services.enrol_self(session=held, actor=user)
    with time_machine_at(held.starts_at + timedelta(minutes=10)):
        services.check_in(session=held, actor=user, code=code_for(held))
        enrolment = held.enrolments.get(person=person)
        with django_capture_on_commit_callbacks(execute=True):
            services.assessment_submit(enrolment=enrolment, actor=user, answers=answers_for(graded, 2))
    certificate = Certificate.objects.get(enrolment__person=person)
    content = read_file(certificate.file)
    flat = squeezed(PdfReader(io.BytesIO(content)).pages[0].extract_text())
    assert "经考核合格，准予结业" in flat and squeezed("passed its assessment") in flat
    # One day: one date. The English lines name the Chinese title when the course has no English one, and
    # the holder as written when there is no passport spelling.
    day = timezone.localtime(held.starts_at).date()
    assert f"于{day.year}年{day.month}月{day.day}日参加" in flat
    assert squeezed("This is to certify that 李雷 attended the course 出国（境）前教育") in flat
    assert squeezed("(2 hours)") in flat


def test_the_verify_page_shows_the_certificate_valid_then_revoked(client, completed, officer):
    code = completed.verification_code
    page = client.get(f"/verify/{code}/")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-status="valid"' in body
    assert completed.number in body and "欧阳娜娜" in body and "涉外礼宾礼仪" in body
    # As typed from the paper: lower case, without the dash.
    assert 'data-status="valid"' in client.get(f"/verify/{code.lower().replace('-', '')}/").content.decode()

    services.certificate_revoke(certificate=completed, actor=officer, reason="培训记录有误")
    revoked = client.get(f"/verify/{code}/").content.decode()
    assert 'data-status="revoked"' in revoked and 'data-status="valid"' not in revoked
    day = timezone.localdate()
    assert f"{day.year}年{day.month}月{day.day}日" in revoked  # the day it was revoked, in Chinese form
