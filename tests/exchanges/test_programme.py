"""The bilingual programme PDF of an activity (日程安排 / Programme): its text read back with pypdf (both
titles, the agenda in both languages, the delegation, Chinese characters that render), who may download it,
and how it is served. Page 1 is drawn into tests/artifacts/exchanges-programme.png to be looked at."""

import io
import logging
import re
import shutil
import subprocess
from datetime import date

import pytest
from django.utils import translation
from pypdf import PdfReader

from exchanges.programme import date_range_en, date_range_zh, day_heading, people, render_programme
from exchanges.services import activities
from tests.conftest import ARTIFACTS
from tests.factories import enterprise_user

from .factories import activity, days, run

pytestmark = pytest.mark.django_db

AGENDA = [
    (
        0,
        "09:00",
        "10:30",
        "省领导会见代表团",
        "Meeting with the provincial leaders",
        "省人民政府第一会议室",
        "省长、代表团全体",
    ),
    (
        0,
        "11:00",
        "12:00",
        "自贸试验区郑州片区情况介绍",
        "Briefing on the Zhengzhou area of the free trade zone",
        "郑州片区管委会",
        "片区管委会主任",
    ),
    (0, "18:30", "20:30", "欢迎晚宴", "Welcome dinner", "黄河迎宾馆", "省外办主任"),
    (
        1,
        "09:30",
        "11:30",
        "考察跨境电商企业",
        "Visit to a cross-border e-commerce enterprise",
        "郑州测试贸易有限公司",
        "企业负责人",
    ),
    (2, "10:00", "", "签署物流合作备忘录", "Signing of a logistics memorandum", "省人民政府", ""),
]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    """The text without the spaces and line breaks a PDF's text extraction puts between glyphs."""
    return re.sub(r"\s+", "", text)


def set_agenda(item, officer, rows=AGENDA):
    return activities.agenda_set(
        activity=item,
        actor=officer,
        items=[
            {
                "day": item.starts_on + (days(offset) - days(0)),
                "starts_at": start,
                "ends_at": end,
                "title_zh": zh,
                "title_en": en,
                "place": place,
                "people": who,
            }
            for offset, start, end, zh, en, place, who in rows
        ],
    )


@pytest.fixture
def visit(officer, organization):
    """An incoming visit of three days with its agenda, visiting `organization`, proposed."""
    item = activity(officer, enterprises_visited=[organization.pk])
    set_agenda(item, officer)
    return item


@pytest.fixture
def confirmed_visit(visit, officer, leader):
    return run(run(visit, leader, "approve"), officer, "confirm")


def url(item) -> str:
    return f"/exchanges/activities/{item.pk}/programme.pdf"


# What it says --------------------------------------------------------------------------------------------


def test_the_programme_holds_both_titles_the_delegation_and_the_agenda(visit):
    content = render_programme(visit)
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    flat = squeezed(text)
    for chinese in (
        "河南省人民政府外事侨务办公室",
        "日程安排",
        "德国巴伐利亚州经济代表团访问郑州片区",
        "省领导会见代表团",
        "自贸试验区郑州片区情况介绍",
        "欢迎晚宴",
        "签署物流合作备忘录",
        "黄河迎宾馆",
        "省外办主任",
        "德国",
        "团长",
    ):
        assert chinese in flat, chinese
    for english in (
        "Programme",
        "Bavarian economic delegation visits the Zhengzhou area",
        "Meeting with the provincial leaders",
        "Welcome dinner",
        "Signing of a logistics memorandum",
        "Dr. Anna Huber",
        "State Secretary",
        "Max Bauer",
        "Head of Division",
        "Lena Vogel",
        "Bayerisches Staatsministerium für Wirtschaft",
        "Germany",
        "Head of delegation",
    ):
        assert squeezed(english) in flat, english
    assert visit.reference in text
    assert "09:00–10:30" in text and "18:30–20:30" in text
    # The days, in both languages, and the dates of the whole visit.
    assert squeezed(date_range_zh(visit.starts_on, visit.ends_on)) in flat
    assert squeezed(date_range_en(visit.starts_on, visit.ends_on)) in flat
    for offset in range(3):
        zh, en = day_heading(visit.starts_on + (days(offset) - days(0)))
        assert squeezed(zh) in flat and squeezed(en) in flat


def test_items_come_by_day_and_time(visit):
    flat = squeezed(pdf_text(render_programme(visit)))
    positions = [flat.index(squeezed(row[4])) for row in AGENDA]
    assert positions == sorted(positions)


def test_the_footer_has_the_reference_and_page_numbers(officer, visit):
    # A long agenda runs over a page: each page says its number and the total.
    rows = [
        (n % 3, f"{8 + n // 3:02d}:{(n % 3) * 15:02d}", "", f"第{n}项活动", f"Item number {n}", "会议室", "")
        for n in range(45)
    ]
    set_agenda(visit, officer, rows)
    reader = PdfReader(io.BytesIO(render_programme(visit)))
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert visit.reference in text
        assert f"Page {number} of {total}" in text
        assert squeezed(f"第 {number} 页，共 {total} 页") in squeezed(text)


def test_chinese_is_drawn_with_the_shipped_font_and_no_warnings(visit, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    reader = PdfReader(io.BytesIO(render_programme(visit)))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    # The @font-face family of static/css/pdf.css (Noto Sans SC, shipped), embedded as a subset.
    assert fonts == {"Portal-Sans", "Portal-Sans-Bold"}
    # No CSS the renderer ignored, nothing it could not load.
    assert [record.getMessage() for record in caplog.records] == []


def test_an_empty_agenda_says_the_programme_is_being_prepared(officer):
    item = activity(officer)
    flat = squeezed(pdf_text(render_programme(item)))
    assert "日程正在制定中" in flat and squeezed("The programme is being prepared") in flat


def test_a_programme_not_yet_confirmed_says_so(visit, leader, officer):
    assert squeezed("Draft: not yet approved") in squeezed(pdf_text(render_programme(visit)))
    confirmed = run(run(visit, leader, "approve"), officer, "confirm")
    flat = squeezed(pdf_text(render_programme(confirmed)))
    assert "Draft" not in flat and "草案" not in flat
    cancelled = run(confirmed, officer, "cancel", comment="The delegation cannot travel.")
    assert "活动已取消" in squeezed(pdf_text(render_programme(cancelled)))


def test_missing_parts_are_left_out_not_left_empty(officer):
    item = activity(
        officer,
        title_en="",
        head_name="",
        head_title="",
        members="",
        delegation_size=None,
        hosts="",
        venue="",
        foreign_organisation="",
    )
    flat = squeezed(pdf_text(render_programme(item)))
    assert "德国巴伐利亚州经济代表团访问郑州片区" in flat
    for label in ("团长", "团员", "中方", "Headofdelegation", "Members", "Hosts"):
        assert label not in flat


def test_the_document_is_the_same_in_either_language_of_the_reader(visit):
    with translation.override("en"):
        english = squeezed(pdf_text(render_programme(visit)))
    chinese = squeezed(pdf_text(render_programme(visit)))
    assert english == chinese


def test_text_typed_by_people_stays_text(officer):
    item = activity(officer, title_en="<b>Bold</b> & <script>alert(1)</script>", members="<i>Eve</i>, spy")
    text = pdf_text(render_programme(item))
    assert squeezed("<b>Bold</b> & <script>alert(1)</script>") in squeezed(text)
    assert "<i>Eve</i>" in text


def test_members_and_dates_are_read_as_people_write_them():
    assert people("Max Bauer, Head of Division\n\n  张伟，翻译 \nLena Vogel") == [
        people("Max Bauer, Head of Division")[0],
        people("张伟，翻译")[0],
        people("Lena Vogel")[0],
    ]
    assert people("张伟，翻译")[0].title == "翻译" and people("Lena Vogel")[0].title == ""
    assert date_range_zh(date(2026, 12, 13), date(2026, 12, 15)) == "2026年12月13日至15日"
    assert date_range_zh(date(2026, 11, 30), date(2026, 12, 2)) == "2026年11月30日至12月2日"
    assert date_range_zh(date(2026, 12, 30), date(2027, 1, 2)) == "2026年12月30日至2027年1月2日"
    assert date_range_zh(date(2026, 12, 13), date(2026, 12, 13)) == "2026年12月13日"
    assert date_range_en(date(2026, 12, 13), date(2026, 12, 15)) == "13–15 December 2026"
    assert date_range_en(date(2026, 11, 30), date(2026, 12, 2)) == "30 November – 2 December 2026"
    assert date_range_en(date(2026, 12, 30), date(2027, 1, 2)) == "30 December 2026 – 2 January 2027"
    assert date_range_en(date(2026, 12, 13), date(2026, 12, 13)) == "13 December 2026"
    assert day_heading(date(2026, 12, 13)) == ("12月13日（星期日）", "Sunday 13 December")


# Who may download it -------------------------------------------------------------------------------------


def test_office_staff_download_the_programme_in_any_state(client, visit, officer, leader, manager):
    for user in (officer, leader, manager):
        client.force_login(user)
        response = client.get(url(visit))
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'inline; filename="programme-{visit.reference}.pdf"'
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "德国巴伐利亚州经济代表团访问郑州片区" in squeezed(pdf_text(response.content))


def test_an_enterprise_visited_downloads_it_once_the_activity_is_confirmed(
    client, visit, officer, leader, applicant, liaison
):
    client.force_login(applicant)
    assert client.get(url(visit)).status_code == 404  # proposed
    approved = run(visit, leader, "approve")
    assert client.get(url(approved)).status_code == 404  # approved: the plan may still change
    confirmed = run(approved, officer, "confirm")
    for user in (applicant, liaison):
        client.force_login(user)
        response = client.get(url(confirmed))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_an_enterprise_copy_holds_its_part_and_withholds_the_other_enterprises(
    client, officer, leader, organization, other_organization, applicant, other_applicant
):
    item = activity(officer, enterprises_visited=[organization.pk, other_organization.pk])
    rows = [
        *AGENDA,
        (
            1,
            "14:00",
            "16:00",
            "考察洛阳测试装备有限公司",
            "Visit to another enterprise",
            "洛阳测试装备有限公司",
            "总经理",
        ),
    ]
    set_agenda(item, officer, rows)
    item = run(run(item, leader, "approve"), officer, "confirm")
    # The office's copy: everything.
    client.force_login(officer)
    full = squeezed(pdf_text(client.get(url(item)).content))
    assert "考察洛阳测试装备有限公司" in full and "省领导会见代表团" in full and "签署物流合作备忘录" in full
    # The enterprise named on day 2 gets day 2, the other enterprise's item by its time only.
    client.force_login(applicant)
    ours = squeezed(pdf_text(client.get(url(item)).content))
    assert "考察跨境电商企业" in ours and "贵单位参与部分" in ours
    assert "洛阳测试装备" not in ours and squeezed("Visit to another enterprise") not in ours
    assert "14:00–16:00" in ours and "另有安排" in ours
    assert "省领导会见代表团" not in ours  # another day
    assert "Dr.AnnaHuber" in ours  # the delegation is the same
    # The other enterprise likewise: its day, the first one's item by its time only.
    client.force_login(other_applicant)
    theirs = squeezed(pdf_text(client.get(url(item)).content))
    assert "考察洛阳测试装备有限公司" in theirs and "贵单位参与部分" in theirs
    assert "郑州测试贸易" not in theirs and "考察跨境电商企业" not in theirs


def test_an_enterprise_visited_still_downloads_it_after_the_visit(
    client, officer, leader, organization, applicant
):
    item = activity(officer, starts_in=-3, length=1, enterprises_visited=[organization.pk])
    item = run(run(run(item, leader, "approve"), officer, "confirm"), officer, "hold")
    client.force_login(applicant)
    assert client.get(url(item)).status_code == 200


def test_a_cancelled_activity_is_no_longer_shared(client, confirmed_visit, officer, applicant):
    cancelled = run(confirmed_visit, officer, "cancel", comment="The delegation cannot travel.")
    client.force_login(applicant)
    assert client.get(url(cancelled)).status_code == 404
    client.force_login(officer)
    assert client.get(url(cancelled)).status_code == 200


def test_another_enterprise_gets_404(client, confirmed_visit, other_applicant):
    client.force_login(other_applicant)
    assert client.get(url(confirmed_visit)).status_code == 404


def test_a_user_without_an_enterprise_gets_404(client, confirmed_visit):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(url(confirmed_visit)).status_code == 404


def test_a_deactivated_member_of_the_enterprise_is_signed_out(client, confirmed_visit, organization):
    client.force_login(enterprise_user(organization, is_active=False))
    assert client.get(url(confirmed_visit)).status_code == 302


def test_anyone_signed_out_is_sent_to_sign_in(client, confirmed_visit):
    response = client.get(url(confirmed_visit))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/exchanges/activities/")


def test_an_activity_that_does_not_exist_is_404(client, officer):
    client.force_login(officer)
    assert client.get("/exchanges/activities/999999/programme.pdf").status_code == 404


def test_only_get_is_answered(client, officer, visit):
    client.force_login(officer)
    assert client.post(url(visit)).status_code == 405


# A picture to look at ------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (apt-get install poppler-utils)")
def test_page_one_is_drawn_as_an_image(confirmed_visit):
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "exchanges-programme.pdf"
    pdf.write_bytes(render_programme(confirmed_visit))
    target = ARTIFACTS / "exchanges-programme"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", "1", "-l", "1", pdf, target], check=True
    )
    assert target.with_suffix(".png").stat().st_size > 10_000
    pdf.unlink()
