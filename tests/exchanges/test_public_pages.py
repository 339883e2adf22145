"""The public pages of exchanges, without an account: the calendar (public, confirmed-or-later events only, its
month grid and list, month navigation, filters in the URL, the iCal link, empty states), an event's page
(public fields only, 404 for anything not public), the friendship cities (search in both languages, filters,
health badges, paging) and a city's page (agreements without documents or contacts, health reasons, public
exchanges, published projects only). Query counts do not grow with the lists."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from exchanges.services import activities, cities
from foreign_affairs.accounts.roles import Role
from tests.factories import office_user
from tests.projects.factories import project as make_project
from tests.projects.factories import published as published_project

from .factories import activity, city, run

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 15)
CALENDAR = "/exchanges/"
CITIES = "/exchanges/friendship-cities/"
BASE = "https://portal.example.gov.cn"
VENUE = "金水东路会议中心三号厅"
AGENDA = "欢迎晚宴 Welcome dinner at the Yellow River hall"
OUTCOMES_ZH = "签署物流合作备忘录"
OUTCOMES_EN = "A logistics memorandum was signed"
FOLLOW_UP = "Send the memorandum's Chinese text to Munich"
CHECKLIST = "Book the interpreters for the airport"
HENAN_CONTACT = "王芳 外事科 +86 371 6555 0101"
FOREIGN_CONTACT = "Marie Dupont, Ville de Lyon, +33 4 72 10 30 30"
CITY_NOTES = "Mayor prefers a visit in autumn"
# What an event's record holds that never leaves the office (factories.ACTIVITY: head, title, members, hosts).
PRIVATE = [
    "Dr. Anna Huber",
    "State Secretary",
    "Max Bauer",
    "Lena Vogel",
    "省外办主任",
    VENUE,
    AGENDA,
    OUTCOMES_ZH,
    OUTCOMES_EN,
    FOLLOW_UP,
    CHECKLIST,
]


@pytest.fixture(autouse=True)
def _today(settings):
    """Mid-May 2026 in Zhengzhou, so that months and "held" are the same on any day the tests run."""
    settings.PORTAL_BASE_URL = BASE
    moment = datetime.datetime(2026, 5, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=True):
        yield


def visitor(language: str | None = "en") -> Client:
    client = Client()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def pdf_file(name: str) -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def text(response) -> str:
    """The page's words without the markup, spaces collapsed."""
    return " ".join(strip_tags(response.content.decode()).split())


def on(day: datetime.date) -> int:
    """`starts_in` for an event starting on `day`."""
    return (day - TODAY).days


def confirmed(officer, leader, *, starts_on=TODAY + datetime.timedelta(days=5), length=1, **overrides):
    item = activity(officer, starts_in=on(starts_on), length=length, public=True, venue=VENUE, **overrides)
    return run(run(item, leader, "approve"), officer, "confirm")


def held(officer, leader, *, starts_on=TODAY - datetime.timedelta(days=5), **overrides):
    return run(confirmed(officer, leader, starts_on=starts_on, **overrides), officer, "hold")


def calendar(client=None, **params):
    return (client or visitor()).get(CALENDAR, params)


def month_refs(response) -> list[str]:
    return [event.reference for event in response.context["events"]]


def upcoming_refs(response) -> list[str]:
    return [event.reference for event in response.context["upcoming"]]


def with_everything_private(item, officer):
    """An event that holds every private thing the office keeps of it: agenda, checklist, outcomes,
    follow-up."""
    activities.agenda_set(
        activity=item,
        actor=officer,
        items=[{"day": item.starts_on, "starts_at": "18:30", "title_en": AGENDA, "place": VENUE}],
    )
    activities.checklist_add(activity=item, actor=officer, label=CHECKLIST)
    item = activities.activity_update(
        activity=item,
        actor=officer,
        data={"outcome_summary_zh": OUTCOMES_ZH, "outcome_summary_en": OUTCOMES_EN},
    )
    activities.follow_up_add(
        activity=item, actor=officer, data={"task": FOLLOW_UP, "owner": officer.pk, "due_on": "2026-06-30"}
    )
    return item


@pytest.fixture
def hidden(officer, leader):
    """Activities marked public (but one) that the public never sees."""
    may = datetime.date(2026, 5, 20)
    return {
        "proposed": activity(officer, starts_in=on(may), public=True, title_en="Proposed visit"),
        "approved": run(
            activity(officer, starts_in=on(may), public=True, title_en="Approved visit"), leader, "approve"
        ),
        "not public": run(
            run(activity(officer, starts_in=on(may), title_en="Private visit"), leader, "approve"),
            officer,
            "confirm",
        ),
        "cancelled": run(
            confirmed(officer, leader, starts_on=may, title_en="Cancelled visit"),
            officer,
            "cancel",
            comment="The guests cannot come.",
        ),
        "postponed": run(
            confirmed(officer, leader, starts_on=may, title_en="Postponed visit"),
            officer,
            "postpone",
            comment="Later.",
        ),
    }


# The calendar ----------------------------------------------------------------------------------------------


def test_the_calendar_shows_the_public_events_of_this_month_only(officer, leader, hidden):
    visit = confirmed(officer, leader, starts_on=datetime.date(2026, 5, 20))
    past = held(officer, leader, starts_on=datetime.date(2026, 5, 3), title_en="Luoyang forum")
    reported = run(
        with_everything_private(held(officer, leader, starts_on=datetime.date(2026, 5, 8)), officer),
        officer,
        "report",
    )
    june = confirmed(officer, leader, starts_on=datetime.date(2026, 6, 2), title_en="June visit")
    response = calendar()
    assert response.status_code == 200
    assert month_refs(response) == [past.reference, reported.reference, visit.reference]
    content = response.content.decode()
    for item in hidden.values():
        assert item.reference not in content and item.title_en not in content
    assert june.reference in upcoming_refs(response)  # coming, though not this month
    assert response.context["month"] == datetime.date(2026, 5, 1)
    for private in PRIVATE:
        assert private not in content


def test_a_visitor_needs_no_account_and_the_page_reads_in_chinese_first(officer, leader):
    confirmed(officer, leader)
    chinese = calendar(visitor(None))
    assert chinese.status_code == 200
    content = chinese.content.decode()
    assert "2026年5月" in content and "德国巴伐利亚州经济代表团访问郑州片区" in content
    english = calendar(visitor("en")).content.decode()
    assert "May 2026" in english and "Bavarian economic delegation visits the Zhengzhou area" in english
    assert "德国巴伐利亚州经济代表团" not in english
    assert 'name="description"' in english and "<title>Calendar of international exchanges" in english


def test_the_month_grid_puts_an_event_on_each_of_its_days_and_phones_get_a_list(officer, leader):
    visit = confirmed(officer, leader, starts_on=datetime.date(2026, 5, 20), length=2)
    response = calendar()
    days = {
        cell["day"]: [e.reference for e in cell["events"]]
        for week in response.context["weeks"]
        for cell in week
    }
    for day in (20, 21, 22):
        assert days[datetime.date(2026, 5, day)] == [visit.reference]
    assert days[datetime.date(2026, 5, 19)] == [] and days[datetime.date(2026, 5, 23)] == []
    # Monday first; the weeks around the month are whole.
    assert response.context["weeks"][0][0]["day"] == datetime.date(2026, 4, 27)
    content = response.content.decode()
    assert 'data-testid="month-grid"' in content and 'data-testid="month-list"' in content
    assert 'aria-current="date"' in content  # today
    event_url = reverse("exchanges:event_detail", args=[visit.reference])
    assert content.count(f'href="{event_url}"') == 3 + 1 + 1  # three days, the phone list, upcoming


def test_months_are_navigated_with_the_filters_kept(officer, leader):
    june = confirmed(officer, leader, starts_on=datetime.date(2026, 6, 10), kind="friendship_city")
    may = confirmed(officer, leader, kind="friendship_city")
    response = calendar(month="2026-06", kind="friendship_city")
    assert month_refs(response) == [june.reference]
    content = response.content.decode()
    assert "June 2026" in content
    assert 'href="?month=2026-05&amp;kind=friendship_city"' in content
    assert 'href="?month=2026-07&amp;kind=friendship_city"' in content
    assert 'href="?kind=friendship_city" data-testid="this-month"' in content
    assert month_refs(calendar(month="2026-05")) == [may.reference]
    # A year back and forth.
    assert "December 2025" in calendar(month="2025-12").content.decode()
    january = calendar(month="2027-01").content.decode()
    assert "?month=2026-12" in january and "?month=2027-02" in january
    assert 'data-testid="this-month"' not in calendar().content.decode()


@pytest.mark.parametrize(
    "month", ["2026-13", "May", "2026-5-1", "0001-01", "9999-12", "２０２６-０５", "x" * 500]
)
def test_a_month_that_names_nothing_is_an_error_beside_the_field_and_this_month_shows(officer, leader, month):
    visit = confirmed(officer, leader)
    response = calendar(month=month)
    assert response.status_code == 200
    assert month_refs(response) == [visit.reference]
    assert response.context["filters"].errors["month"]
    assert 'id="id_calendar_month_error"' in response.content.decode()


def test_the_first_and_last_months_have_no_link_beyond(officer):
    first = calendar(month="1950-01").content.decode()
    assert 'data-testid="previous-month"' not in first and "?month=1950-02" in first
    last = calendar(month="2100-12").content.decode()
    assert 'data-testid="next-month"' not in last and "?month=2100-11" in last


def test_the_filters_narrow_the_calendar_and_stay_in_the_url(officer, leader):
    zhengzhou = confirmed(officer, leader)
    luoyang = confirmed(
        officer,
        leader,
        kind="friendship_city",
        ftz_areas=["luoyang", "kaifeng"],
        country="JP",
        title_en="Nara delegation",
    )
    assert month_refs(calendar(kind="friendship_city")) == [luoyang.reference]
    assert month_refs(calendar(area="kaifeng")) == [luoyang.reference]
    assert month_refs(calendar(area="zhengzhou")) == [zhengzhou.reference]
    assert month_refs(calendar(country="DE")) == [zhengzhou.reference]
    assert month_refs(calendar(country="jp")) == [luoyang.reference]  # any case
    assert month_refs(calendar(country="FR")) == []  # a country from a link, nothing from there yet
    assert upcoming_refs(calendar(kind="friendship_city")) == [luoyang.reference]
    response = calendar(kind="friendship_city", area="luoyang", country="JP")
    content = response.content.decode()
    assert '<option value="friendship_city" selected>' in content
    assert '<option value="JP" selected>' in content
    assert 'data-testid="reset-filters"' in content and "data-active" in content
    # The iCal link takes the kind and the area (the feed has no country).
    assert f'href="{reverse("exchanges:calendar_ics")}?kind=friendship_city&amp;area=luoyang"' in content
    assert (
        "webcal://portal.example.gov.cn/exchanges/calendar.ics?kind=friendship_city&amp;area=luoyang"
        in content
    )
    # The country filter offers the countries of public events only.
    options = dict(calendar().context["filters"].fields["country"].choices)
    assert set(options) == {"", "DE", "JP"}


@pytest.mark.parametrize(
    "params",
    [{"kind": "nonsense"}, {"area": "mars"}, {"area": "outside"}, {"country": "XX"}, {"country": "<script>"}],
)
def test_bad_filter_values_are_left_out_never_an_error(officer, leader, params):
    visit = confirmed(officer, leader)
    response = calendar(**params)
    assert response.status_code == 200 and month_refs(response) == [visit.reference]
    assert "<script>" not in response.content.decode()


def test_the_calendar_links_to_the_feed_the_cities_and_the_interview_form():
    content = calendar().content.decode()
    assert f'href="{reverse("exchanges:calendar_ics")}"' in content
    assert "webcal://portal.example.gov.cn/exchanges/calendar.ics" in content
    assert f'value="{BASE}/exchanges/calendar.ics"' in content
    assert "Subscribe in your calendar app" in content
    assert f'href="{reverse("exchanges:cities")}"' in content
    assert f'href="{reverse("exchanges:media_request")}"' in content
    assert 'rel="alternate" type="text/calendar"' in content


def test_an_empty_calendar_says_what_to_do():
    content = calendar().content.decode()
    assert 'data-testid="empty-month"' in content and "No public event in May 2026." in content
    assert 'data-testid="empty-upcoming"' in content and "No coming public event is announced yet." in content
    assert 'data-testid="month-grid"' not in content


def test_an_empty_filtered_month_offers_to_remove_the_filters(officer, leader):
    confirmed(officer, leader)
    content = calendar(kind="media_interview", month="2026-06").content.decode()
    assert "No public event in June 2026 matches your filters." in content
    assert 'href="/exchanges/?month=2026-06"' in content
    assert "No coming public event matches your filters." in content


def test_upcoming_lists_what_is_under_way_and_to_come_first_day_first(officer, leader, settings):
    under_way = held(officer, leader, starts_on=datetime.date(2026, 5, 14), length=3)
    over = held(officer, leader, starts_on=datetime.date(2026, 5, 2))
    later = confirmed(officer, leader, starts_on=datetime.date(2026, 9, 1))
    sooner = confirmed(officer, leader, starts_on=datetime.date(2026, 7, 1))
    assert upcoming_refs(calendar()) == [under_way.reference, sooner.reference, later.reference]
    assert over.reference not in upcoming_refs(calendar())


def test_the_calendar_needs_no_more_queries_for_more_events(officer, leader, django_assert_max_num_queries):
    for n in range(3):
        confirmed(officer, leader, starts_on=datetime.date(2026, 5, 16 + n), country="DE")
    client = visitor()
    client.get(CALENDAR)  # the session and the language settle

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CALENDAR).status_code == 200
        return len(queries)

    few = count()
    city_pair = city(officer)
    for n in range(25):
        confirmed(
            officer,
            leader,
            starts_on=datetime.date(2026, 5, 1 + n),
            length=2,
            country=["FR", "JP", "IT"][n % 3],
            friendship_city=city_pair.pk,
        )
    with django_assert_max_num_queries(few):
        response = client.get(CALENDAR)
    assert len(response.context["events"]) == 28


# An event's page -------------------------------------------------------------------------------------------


def event_page(item, client=None):
    return (client or visitor()).get(reverse("exchanges:event_detail", args=[item.reference]))


def test_the_event_page_shows_the_public_fields_only(officer, leader):
    owner = office_user(Role.OFFICER, first_name="Xiaoqing", last_name="Ouyang")
    pair = city(officer)
    item = held(
        officer,
        leader,
        owner=owner.pk,
        friendship_city=pair.pk,
        ftz_areas=["zhengzhou", "kaifeng"],
        focus=["platforms", "connectivity"],
    )
    item = with_everything_private(item, officer)
    activities.document_add(
        activity=item, actor=officer, kind="invitation", uploaded_file=pdf_file("invitation-huber.pdf")
    )
    response = event_page(item)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Bavarian economic delegation visits the Zhengzhou area" in content
    assert "cross-border e-commerce and logistics platforms" in content
    assert "Foreign dignitary visit" in content
    assert "Germany" in content and "Bayerisches Staatsministerium für Wirtschaft" in content
    assert "Zhengzhou area, Kaifeng area" in content and "Platforms, Connectivity" in content
    assert "10 May 2026 – 11 May 2026" in text(response) and "郑州" in content
    assert item.reference in content
    for private in [*PRIVATE, "Xiaoqing", "Ouyang", "Vice-minister", "invitation-huber.pdf"]:
        assert private not in content, private
    # The friendship city, linked to its page.
    assert f'href="{pair.get_absolute_url()}"' in content and "Zhengzhou — Lyon" in content


def test_the_event_page_reads_in_chinese_first_with_the_english_folded(officer, leader):
    item = confirmed(officer, leader)
    response = event_page(item, visitor(None))
    content = response.content.decode()
    assert "<title>德国巴伐利亚州经济代表团访问郑州片区" in content
    assert "2026年5月20日 – 2026年5月21日" in text(response)
    assert 'data-testid="other-language"' in content and "Bavarian economic delegation" in content
    assert "德国" in content  # the country in Chinese
    english = event_page(item).content.decode()
    assert "Read it in Chinese" in english and 'name="description"' in english


@pytest.mark.parametrize("state", ["proposed", "approved", "not public", "cancelled", "postponed"])
def test_an_event_that_is_not_public_answers_404(hidden, state):
    assert event_page(hidden[state]).status_code == 404


def test_an_unknown_event_answers_404():
    assert visitor().get("/exchanges/events/HNEX-2026-99999/").status_code == 404
    assert visitor().get("/exchanges/events/<script>/").status_code == 404


def test_the_event_page_answers_get_only(officer, leader):
    item = confirmed(officer, leader)
    url = reverse("exchanges:event_detail", args=[item.reference])
    assert visitor().head(url).status_code == 200
    assert visitor().post(url).status_code == 405


def test_coverage_shows_once_the_event_was_held(officer, leader):
    item = confirmed(officer, leader)
    activities.coverage_add(
        actor=officer,
        activity=item,
        data={
            "url": "https://news.example.de/henan",
            "outlet": "Wirtschaftsblatt",
            "title": "Bayern in Henan",
        },
    )
    assert "Bayern in Henan" not in event_page(item).content.decode()
    past = held(officer, leader)
    activities.coverage_add(
        actor=officer,
        activity=past,
        data={
            "url": "https://news.example.de/zhengzhou",
            "outlet": "Wirtschaftsblatt",
            "title": "A week in Zhengzhou",
            "published_on": "2026-05-12",
        },
    )
    content = event_page(past).content.decode()
    assert 'href="https://news.example.de/zhengzhou"' in content and "A week in Zhengzhou" in content
    assert "Wirtschaftsblatt, 12 May 2026" in content and "Took place" in content


def test_a_friendship_city_that_is_not_public_is_not_named(officer, leader):
    pair = city(officer, public=False, foreign_name_en="Secretville")
    item = confirmed(officer, leader, friendship_city=pair.pk)
    content = event_page(item).content.decode()
    assert "Secretville" not in content and pair.slug not in content


# The friendship cities --------------------------------------------------------------------------------------


def cities_page(client=None, **params):
    return (client or visitor()).get(CITIES, params)


def slugs(response) -> list[str]:
    return [c.slug for c in response.context["page"].object_list]


@pytest.fixture
def pairs(officer):
    lyon = city(officer, henan_contact=HENAN_CONTACT, foreign_contact=FOREIGN_CONTACT, notes=CITY_NOTES)
    nara = city(
        officer,
        henan_name_zh="洛阳市",
        henan_name_en="Luoyang",
        foreign_name_zh="奈良市",
        foreign_name_en="Nara",
        country="JP",
        kind="friendly_exchange",
        established_on="2010-10-01",
    )
    secret = city(officer, foreign_name_zh="密城", foreign_name_en="Secretville", public=False)
    return {"lyon": lyon, "nara": nara, "secret": secret}


def test_the_cities_list_shows_public_pairs_with_their_health(pairs, officer, leader):
    held(officer, leader, friendship_city=pairs["lyon"].pk)
    response = cities_page()
    assert response.status_code == 200
    assert slugs(response) == [pairs["nara"].slug, pairs["lyon"].slug]  # Henan's side, then abroad
    content = response.content.decode()
    assert "Secretville" not in content
    assert "Zhengzhou — Lyon" in content and "郑州市 — 里昂" in content  # both languages
    assert 'data-health="active"' in content and 'data-health="dormant"' in content
    assert "1 Jun 2016" in content and "11 May 2026" in content  # established, last exchange
    for private in (HENAN_CONTACT, FOREIGN_CONTACT, CITY_NOTES):
        assert private not in content


@pytest.mark.parametrize(
    "term, found",
    [("里昂", "lyon"), ("lyo", "lyon"), ("洛阳", "nara"), ("NARA", "nara"), ("zheng ly", "lyon")],
)
def test_search_finds_a_pair_by_either_name_in_either_language(pairs, term, found):
    response = cities_page(q=term)
    assert slugs(response) == [pairs[found].slug]
    assert f"1 pair found for “{term}”" in response.content.decode()


def test_the_secret_pair_is_never_found(pairs):
    assert slugs(cities_page(q="Secretville")) == []


def test_the_cities_filters_narrow_the_list(pairs):
    assert slugs(cities_page(country="JP")) == [pairs["nara"].slug]
    assert slugs(cities_page(country="fr")) == [pairs["lyon"].slug]
    assert slugs(cities_page(kind="friendly_exchange")) == [pairs["nara"].slug]
    assert slugs(cities_page(henan="Zhengzhou")) == [pairs["lyon"].slug]
    assert slugs(cities_page(henan="Zhengzhou", country="JP")) == []
    form = cities_page().context["filters"]
    assert [code for code, _label in form.fields["henan"].choices] == ["", "Luoyang", "Zhengzhou"]
    assert {code for code, _label in form.fields["country"].choices} == {"", "FR", "JP"}
    content = cities_page(henan="Luoyang").content.decode()
    assert '<option value="Luoyang" selected>' in content and 'data-testid="reset-filters"' in content


@pytest.mark.parametrize("params", [{"kind": "x"}, {"henan": "Atlantis"}, {"country": "ZZ"}, {"page": "abc"}])
def test_bad_city_filters_are_left_out(pairs, params):
    response = cities_page(**params)
    assert response.status_code == 200 and len(slugs(response)) == 2


def test_the_cities_list_is_paged_by_20(officer):
    for n in range(23):
        city(officer, foreign_name_en=f"Town {n:02d}", foreign_name_zh=f"镇{n:02d}")
    first = cities_page()
    assert len(slugs(first)) == 20 and "23 friendship pairs" in first.content.decode()
    assert "?page=2" in first.content.decode()
    assert len(slugs(cities_page(page=2))) == 3
    assert len(slugs(cities_page(page=99))) == 3


def test_empty_cities_lists_say_what_to_do(pairs):
    content = cities_page(q="Atlantis").content.decode()
    assert "No friendship city matches your search and filters." in content
    assert 'data-testid="empty-state"' in content


def test_no_city_at_all_says_so():
    content = cities_page().content.decode()
    assert "No friendship city is listed yet." in content


def test_the_cities_list_needs_no_more_queries_for_more_pairs(officer, leader, django_assert_max_num_queries):
    client = visitor()
    for n in range(2):
        city(officer, foreign_name_en=f"Town {n:02d}")
    client.get(CITIES)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CITIES).status_code == 200
        return len(queries)

    few = count()
    for n in range(2, 20):
        pair = city(officer, foreign_name_en=f"Town {n:02d}", country=["FR", "JP", "DE"][n % 3])
        cities.agreement_add(
            city=pair,
            actor=officer,
            data={"title": "Agreement", "signed_on": "2020-01-01", "renew_by": "2026-08-01"},
        )
        if n % 4 == 0:
            held(officer, leader, friendship_city=pair.pk)
    with django_assert_max_num_queries(few):
        response = client.get(CITIES)
    assert len(response.context["page"].object_list) == 20


# A city's page -------------------------------------------------------------------------------------------


def city_page(pair, client=None):
    return (client or visitor()).get(reverse("exchanges:city_detail", args=[pair.slug]))


def test_the_city_page_shows_the_public_facts_only(pairs, officer, leader):
    lyon = pairs["lyon"]
    cities.city_update(
        city=lyon,
        actor=officer,
        data={
            "description_zh": "两市在航空物流领域合作密切。",
            "description_en": "The cities work together on air logistics.",
        },
    )
    cities.agreement_add(
        city=lyon,
        actor=officer,
        data={"title": "Friendship city agreement", "signed_on": "2016-06-01", "renew_by": "2026-09-01"},
        uploaded_file=pdf_file("agreement-lyon.pdf"),
    )
    visit = held(officer, leader, friendship_city=lyon.pk)
    hidden = [
        activity(officer, public=True, friendship_city=lyon.pk, title_en="Proposed visit"),
        run(activity(officer, friendship_city=lyon.pk, title_en="Private visit"), leader, "approve"),
        run(
            confirmed(officer, leader, friendship_city=lyon.pk, title_en="Cancelled visit"),
            officer,
            "cancel",
            comment="No.",
        ),
    ]
    response = city_page(lyon)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Zhengzhou — Lyon" in content and "郑州市 — 里昂" in content and "France" in content
    assert "Friendship city (formal)" in content and "1 Jun 2016" in content
    assert "The cities work together on air logistics." in content
    assert "Friendship city agreement" in content and "1 Sep 2026" in content
    assert "agreement-lyon.pdf" not in content and "/documents/" not in content
    for private in (HENAN_CONTACT, FOREIGN_CONTACT, CITY_NOTES, *PRIVATE):
        assert private not in content, private
    # Its public exchanges only.
    assert [e.reference for e in response.context["events"]] == [visit.reference]
    for item in hidden:
        assert item.reference not in content
    # The health badge with its reasons (an agreement to renew within 180 days needs attention).
    assert 'data-health="attention"' in content
    assert (
        "Last exchange: 11 May 2026" in content and "An agreement is to be renewed by 1 Sep 2026" in content
    )
    assert "1 exchange in the last three years" in content


def test_the_city_page_lists_its_published_projects_only(pairs, officer):
    lyon = pairs["lyon"]
    shown = published_project(
        officer, title_en="Lyon air cargo hub", partner_country="FR", partner_city="Lyon"
    )
    draft = make_project(officer, title_en="Draft Lyon project")
    for item in (shown, draft):
        cities.project_link(city=lyon, actor=officer, project=item)
    content = city_page(lyon).content.decode()
    assert "Lyon air cargo hub" in content and f'href="{shown.get_absolute_url()}"' in content
    assert "Draft Lyon project" not in content and draft.reference not in content
    nara = city_page(pairs["nara"]).content.decode()
    assert 'data-testid="city-no-projects"' in nara and 'data-testid="city-no-events"' in nara


def test_the_city_page_reads_in_chinese_first(pairs):
    content = city_page(pairs["nara"], visitor(None)).content.decode()
    assert "<title>洛阳市 — 奈良市" in content and "2010年10月1日" in content and "日本" in content
    assert 'lang="en"' in content and "Luoyang — Nara" in content


def test_a_city_that_is_not_public_answers_404(pairs):
    assert city_page(pairs["secret"]).status_code == 404
    assert visitor().get("/exchanges/friendship-cities/atlantis/").status_code == 404


def test_text_from_the_office_is_shown_escaped(officer, leader):
    script = "<script>alert(1)</script>"
    item = confirmed(officer, leader, title_en=f"Visit {script}", summary_en=f"Summary {script}")
    pair = city(officer, description_en=f"About {script}", foreign_name_en=f"Lyon {script}")
    for response in (calendar(), event_page(item), cities_page(), city_page(pair)):
        content = response.content.decode()
        assert script not in content and "&lt;script&gt;alert(1)&lt;/script&gt;" in content
