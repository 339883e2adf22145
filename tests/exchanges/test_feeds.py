"""The public calendar of exchanges as iCalendar, read back with the icalendar library, and the area's sitemap
read as XML: only public, confirmed-or-later events, only their public fields, whole days with an exclusive
end, UIDs that never change, filters, languages, conditional answers and queries that do not grow."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date
from icalendar import Calendar

from exchanges.services import activities
from exchanges.views import feeds

from .factories import activity, city, days, run

pytestmark = pytest.mark.django_db

ICS = "/exchanges/calendar.ics"
SITEMAP = "/exchanges/sitemap.xml"
BASE = "https://portal.example.gov.cn"
HOST = "portal.example.gov.cn"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# What an event's record holds that never leaves the office (tests/exchanges/factories.ACTIVITY holds the
# head of delegation, the members and the hosts; the venue, agenda and outcomes are set below).
VENUE = "金水东路会议中心三号厅"
PRIVATE = [
    "Dr. Anna Huber",  # head of delegation
    "State Secretary",  # the head's title
    "Max Bauer",  # a member
    "Lena Vogel",
    "省外办主任",  # hosts
    VENUE,
    "欢迎晚宴",  # an agenda item
    "Welcome dinner",
    "签署物流合作备忘录",  # outcomes
    "A logistics memorandum was signed",
]


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = BASE


def confirmed(officer, leader, **overrides):
    item = activity(officer, public=True, venue=VENUE, **overrides)
    return run(run(item, leader, "approve"), officer, "confirm")


def held(officer, leader, **overrides):
    return run(confirmed(officer, leader, **overrides), officer, "hold")


@pytest.fixture
def events(officer, leader):
    """Public events the calendar shows (confirmed, held, reported), and activities it never shows."""
    visit = confirmed(officer, leader)
    activities.agenda_set(
        activity=visit,
        actor=officer,
        items=[
            {
                "day": visit.starts_on,
                "starts_at": "18:30",
                "title_zh": "欢迎晚宴",
                "title_en": "Welcome dinner",
                "place": VENUE,
                "people": "省外办主任",
            }
        ],
    )
    friendship = held(
        officer,
        leader,
        starts_in=-40,
        length=0,
        kind="friendship_city",
        ftz_areas=["luoyang"],
        title_zh="洛阳与奈良友好城市交流",
        title_en="Luoyang and Nara friendship-city exchange",
        summary_zh="双方回顾友好城市合作。",
        summary_en="The two cities review their cooperation.",
        city="洛阳",
        country="JP",
        foreign_organisation="Nara City Government",
    )
    friendship = activities.activity_update(
        activity=friendship,
        actor=officer,
        data={
            "outcome_summary_zh": "签署物流合作备忘录",
            "outcome_summary_en": "A logistics memorandum was signed",
        },
    )
    reported = run(friendship, officer, "report")
    hidden = {
        "proposed": activity(officer, public=True, title_en="Proposed visit"),
        "approved": run(activity(officer, public=True, title_en="Approved visit"), leader, "approve"),
        "not public": run(
            run(activity(officer, title_en="Private visit"), leader, "approve"), officer, "confirm"
        ),
        "cancelled": run(
            confirmed(officer, leader, title_en="Cancelled visit"),
            officer,
            "cancel",
            comment="The guests cannot come.",
        ),
        "postponed": run(
            confirmed(officer, leader, title_en="Postponed visit"), officer, "postpone", comment="Later."
        ),
        "long ago": held(officer, leader, starts_in=-400, length=2, title_en="Visit of long ago"),
    }
    return {"visit": visit, "reported": reported, "hidden": hidden}


def feed(client, **params) -> tuple:
    response = client.get(ICS, params)
    assert response.status_code == 200, response.content[:300]
    return response, Calendar.from_ical(response.content)


def by_uid(calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.events}


def uid(item) -> str:
    return f"{item.reference}@{HOST}"


# The feed ------------------------------------------------------------------------------------------------


def test_the_feed_is_an_icalendar_with_exactly_the_public_confirmed_events(client, events):
    response, calendar = feed(client)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert calendar["VERSION"] == "2.0"
    assert str(calendar["PRODID"]).startswith(
        "-//Foreign and Overseas Chinese Affairs Office of Henan Province//"
    )
    assert calendar.calendar_name and calendar["X-WR-CALNAME"] == calendar.calendar_name
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar.refresh_interval == datetime.timedelta(hours=6)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in response.content
    assert b"X-PUBLISHED-TTL:PT6H" in response.content
    # Read as TEXT or not (clients differ on X- properties), the names say the same: no comma to escape.
    assert not {",", ";", "\\"} & set(str(calendar["X-WR-CALNAME"]) + str(calendar["X-WR-CALDESC"]))
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["SOURCE"]) == f"{BASE}{ICS}?lang=zh"
    # First day first; the hidden ones are absent whatever their state.
    assert [str(event["UID"]) for event in calendar.events] == [uid(events["reported"]), uid(events["visit"])]
    text = response.content.decode()
    for item in events["hidden"].values():
        assert item.reference not in text and item.title_en not in text
    # Every line folded at 75 octets, CRLF line ends (RFC 5545 §3.1).
    lines = response.content.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)


def test_an_event_is_whole_days_ending_the_day_after_the_last_day(client, events):
    visit, reported = events["visit"], events["reported"]
    response, calendar = feed(client)
    event = by_uid(calendar)[uid(visit)]
    assert event.start == visit.starts_on and not isinstance(event.start, datetime.datetime)
    assert event.end == visit.ends_on + datetime.timedelta(days=1)
    assert event.end - event.start == datetime.timedelta(days=3)  # three days, the first to the last
    one_day = by_uid(calendar)[uid(reported)]
    assert one_day.start == reported.starts_on and one_day.end == reported.starts_on + datetime.timedelta(
        days=1
    )
    assert f"DTSTART;VALUE=DATE:{visit.starts_on:%Y%m%d}".encode() in response.content
    assert (
        f"DTEND;VALUE=DATE:{visit.ends_on + datetime.timedelta(days=1):%Y%m%d}".encode() in response.content
    )


def test_an_event_says_its_public_facts(client, events):
    visit = events["visit"]
    _response, calendar = feed(client)
    event = by_uid(calendar)[uid(visit)]
    assert event["SUMMARY"] == "德国巴伐利亚州经济代表团访问郑州片区"
    description = str(event["DESCRIPTION"])
    assert description.startswith("代表团考察自贸试验区跨境电商和物流平台。")
    assert "德国" in description and "Bayerisches Staatsministerium für Wirtschaft" in description
    assert event["LOCATION"] == "郑州"
    assert event["URL"] == f"{BASE}/exchanges/events/{visit.reference}/"
    assert event["STATUS"] == "CONFIRMED"
    assert event["TRANSP"] == "TRANSPARENT"
    assert len(event.categories) == 1
    # The moment of the last change, to the second, in UTC.
    assert event["DTSTAMP"].dt == visit.updated_at.replace(microsecond=0)
    assert event["LAST-MODIFIED"].dt == visit.updated_at.replace(microsecond=0)
    assert event["DTSTAMP"].dt.tzinfo is not None and event["DTSTAMP"].to_ical().endswith(b"Z")


def test_the_language_follows_lang_or_else_the_reader(client, events):
    visit = events["visit"]
    response, calendar = feed(client, lang="en")
    event = by_uid(calendar)[uid(visit)]
    assert event["SUMMARY"] == "Bavarian economic delegation visits the Zhengzhou area"
    description = str(event["DESCRIPTION"])
    assert description.startswith("The delegation visits the zone's cross-border e-commerce")
    assert description.split("\n\n") == [
        "The delegation visits the zone's cross-border e-commerce and logistics platforms.",
        "Foreign party: Bayerisches Staatsministerium für Wirtschaft (Germany)",
        "Free trade zone: Zhengzhou area",
        f"Details: {BASE}/exchanges/events/{visit.reference}/",
    ]
    assert [str(c) for c in event.categories] == ["Foreign dignitary visit"]
    assert calendar.calendar_name == "International exchanges of Henan"
    assert response["Content-Language"] == "en"
    # Without `lang`, the reader's language: Chinese by default, English for an English reader.
    response, calendar = feed(client)
    assert by_uid(calendar)[uid(visit)]["SUMMARY"] == visit.title_zh
    assert response["Content-Language"] == "zh-hans" and "Cookie" in response["Vary"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _response, calendar = feed(client)
    assert by_uid(calendar)[uid(visit)]["SUMMARY"] == visit.title_en
    _response, calendar = feed(client, lang="zh")
    assert by_uid(calendar)[uid(visit)]["SUMMARY"] == visit.title_zh


@pytest.mark.parametrize(
    ("lang", "title"),
    [("en-US", "title_en"), ("EN", "title_en"), ("zh-CN", "title_zh"), ("zh-Hans", "title_zh")],
)
def test_language_variants_are_understood(client, events, lang, title):
    _response, calendar = feed(client, lang=lang)
    assert by_uid(calendar)[uid(events["visit"])]["SUMMARY"] == getattr(events["visit"], title)


def test_a_title_missing_in_one_language_falls_back_to_the_other(client, officer, leader):
    item = confirmed(officer, leader, title_en="", summary_en="")
    _response, calendar = feed(client, lang="en")
    event = by_uid(calendar)[uid(item)]
    assert event["SUMMARY"] == item.title_zh and str(event["DESCRIPTION"]).startswith(item.summary_zh)


def test_the_uid_never_changes(client, officer, events):
    visit = events["visit"]
    uids = set()
    for params in ({}, {"lang": "en"}, {"kind": "dignitary_visit"}, {"area": "zhengzhou"}):
        _response, calendar = feed(client, **params)
        uids.add(str(by_uid(calendar)[uid(visit)]["UID"]))
    activities.activity_update(
        activity=visit, actor=officer, data={"title_en": "A new title", "starts_on": days(11), "city": "开封"}
    )
    _response, calendar = feed(client, lang="en")
    event = by_uid(calendar)[uid(visit)]
    assert event["SUMMARY"] == "A new title" and event["LOCATION"] == "开封"
    assert uids == {f"{visit.reference}@{HOST}"}


def test_kind_and_area_filter(client, events):
    visit, reported = events["visit"], events["reported"]

    def uids(**params):
        return set(by_uid(feed(client, **params)[1]))

    assert uids(kind="dignitary_visit") == {uid(visit)}
    assert uids(kind="friendship_city") == {uid(reported)}
    assert uids(kind="media_interview") == set()
    assert uids(area="zhengzhou") == {uid(visit)}
    assert uids(area="luoyang") == {uid(reported)}
    assert uids(area="kaifeng") == set()
    assert uids(kind="friendship_city", area="luoyang") == {uid(reported)}
    assert uids(kind="friendship_city", area="zhengzhou") == set()
    assert uids(kind="", area="") == {uid(visit), uid(reported)}
    _response, calendar = feed(client, lang="en", kind="friendship_city", area="luoyang")
    assert calendar.calendar_name == (
        "International exchanges of Henan — Friendship-city cooperation — Luoyang area"
    )
    assert str(calendar["SOURCE"]) == f"{BASE}{ICS}?lang=en&kind=friendship_city&area=luoyang"


def test_an_area_code_is_matched_whole(client, officer, leader):
    both = confirmed(officer, leader, ftz_areas=["kaifeng", "zhengzhou"])
    _response, calendar = feed(client, area="kaifeng")
    assert set(by_uid(calendar)) == {uid(both)}
    _response, calendar = feed(client, area="outside")
    assert set(by_uid(calendar)) == set()


def test_events_that_ended_more_than_a_year_ago_are_left_out(client, officer, leader):
    recent = held(officer, leader, starts_in=-362, length=2)  # ended 360 days ago
    old = held(officer, leader, starts_in=-370, length=2)  # ended 368 days ago
    _response, calendar = feed(client)
    assert uid(recent) in by_uid(calendar) and uid(old) not in by_uid(calendar)


def test_no_private_field_appears(client, events):
    bodies = [client.get(ICS, {"lang": lang}).content.decode() for lang in ("zh", "en")]
    bodies.append(client.get(SITEMAP).content.decode())
    text = "\n".join(bodies)
    for private in PRIVATE:
        assert private not in text, private


def test_text_typed_by_people_stays_text(client, officer, leader):
    item = confirmed(
        officer,
        leader,
        title_en="Trade; logistics, and more\\",
        summary_en="Line one\nLine two\x0c with a form feed\x01.",
        city="Zheng\x0bzhou",
    )
    response, calendar = feed(client, lang="en")
    event = by_uid(calendar)[uid(item)]
    assert event["SUMMARY"] == "Trade; logistics, and more\\"
    assert str(event["DESCRIPTION"]).startswith("Line one\nLine two with a form feed.")
    assert event["LOCATION"] == "Zhengzhou"
    assert b"SUMMARY:Trade\\; logistics\\, and more\\\\" in response.content


def test_an_empty_calendar_is_still_a_calendar(client, db):
    response, calendar = feed(client)
    assert calendar.events == [] and calendar["VERSION"] == "2.0"
    assert "Last-Modified" not in response and response["ETag"]


# Conditional answers and caching -------------------------------------------------------------------------


def test_a_conditional_request_answers_304_until_the_calendar_changes(client, officer, leader, events):
    response = client.get(ICS)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    newest = max(
        item.updated_at for item in [events["visit"], events["reported"], *events["hidden"].values()]
    )
    assert last_modified == http_date(newest.timestamp())
    unchanged = client.get(ICS, headers={"if-none-match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert "max-age=300" in unchanged["Cache-Control"]
    assert client.get(ICS, headers={"if-modified-since": last_modified}).status_code == 304
    # Another language or filter is another answer.
    assert client.get(ICS, {"lang": "en"}, headers={"if-none-match": etag}).status_code == 200
    assert client.get(ICS, {"kind": "other"}, headers={"if-none-match": etag}).status_code == 200
    # A proposal (never public) leaves the calendar as it was.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        activity(officer, title_en="Another proposal")
    assert client.get(ICS, headers={"if-none-match": etag}).status_code == 304
    assert client.get(ICS, headers={"if-modified-since": last_modified}).status_code == 304
    # Cancelling a public event takes it off: the calendar changes, by tag and by date.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        run(events["visit"], leader, "cancel", comment="The delegation cannot travel.")
    for headers in ({"if-none-match": etag}, {"if-modified-since": last_modified}):
        response = client.get(ICS, headers=headers)
        assert response.status_code == 200
        assert uid(events["visit"]) not in by_uid(Calendar.from_ical(response.content))
    assert response["ETag"] != etag and response["Last-Modified"] != last_modified


def test_unticking_public_takes_an_event_off_and_changes_the_tag(client, officer, events):
    etag = client.get(ICS)["ETag"]
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        activities.activity_update(activity=events["visit"], actor=officer, data={"public": False})
    response = client.get(ICS, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert set(by_uid(Calendar.from_ical(response.content))) == {uid(events["reported"])}


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "nope"},
        {"kind": "<script>alert(1)</script>"},
        {"kind": "'; drop table exchanges_activity; --"},
        {"area": "shanghai"},
        {"area": ",zhengzhou,"},
        {"lang": "xx"},
        {"lang": "fr"},
        {"lang": "<script>"},
        {"lang": "en-" + "a" * 500},
    ],
)
def test_a_bad_filter_answers_400_with_a_line_of_text(client, events, params):
    response = client.get(ICS, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert 0 < len(response.content) < 200 and b"<" not in response.content
    assert "public" not in response.get("Cache-Control", "")


def test_a_bad_filter_is_explained_in_the_readers_language(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(ICS, {"kind": "nope"}).content.decode().strip() == (
        "There is no such kind of activity: give one of the calendar's kinds."
    )
    assert client.get(ICS, {"area": "nope"}).content.decode().strip() == (
        "There is no such free trade zone area: give zhengzhou, luoyang or kaifeng."
    )
    assert client.get(ICS, {"lang": "fr"}).content.decode().strip() == "Give the language as zh or en."


def test_only_get_and_head_are_answered(client, events):
    assert client.post(ICS).status_code == 405
    head = client.head(ICS)
    assert head.status_code == 200 and head["Content-Type"] == "text/calendar; charset=utf-8"


# Sitemap ---------------------------------------------------------------------------------------------------


def locations(content: bytes) -> dict[str, str | None]:
    root = ET.fromstring(content)  # noqa: S314 (the portal's own answer)
    return {
        node.find("s:loc", SITEMAP_NS).text: getattr(node.find("s:lastmod", SITEMAP_NS), "text", None)
        for node in root.findall("s:url", SITEMAP_NS)
    }


def test_the_sitemap_lists_the_public_pages(client, officer, events):
    lyon = city(officer)
    hidden_city = city(
        officer,
        henan_name_zh="洛阳市",
        henan_name_en="Luoyang",
        foreign_name_zh="奈良",
        foreign_name_en="Nara",
        country="JP",
        public=False,
    )
    response = client.get(SITEMAP)
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    assert "public" in response["Cache-Control"]
    urls = locations(response.content)
    assert set(urls) == {
        f"{BASE}/exchanges/",
        f"{BASE}/exchanges/friendship-cities/",
        f"{BASE}/exchanges/events/{events['visit'].reference}/",
        f"{BASE}/exchanges/events/{events['reported'].reference}/",
        # Out of the calendar's window, an event of long ago keeps its public page.
        f"{BASE}/exchanges/events/{events['hidden']['long ago'].reference}/",
        f"{BASE}/exchanges/friendship-cities/{lyon.slug}/",
    }
    assert f"{BASE}/exchanges/friendship-cities/{hidden_city.slug}/" not in urls
    visit = events["visit"]
    assert (
        urls[f"{BASE}/exchanges/events/{visit.reference}/"]
        == timezone.localtime(visit.updated_at).date().isoformat()
    )
    newest = max(
        events["visit"].updated_at, events["reported"].updated_at, events["hidden"]["long ago"].updated_at
    )
    assert urls[f"{BASE}/exchanges/"] == timezone.localtime(newest).date().isoformat()
    assert (
        urls[f"{BASE}/exchanges/friendship-cities/"] == timezone.localtime(lyon.updated_at).date().isoformat()
    )
    for name, item in events["hidden"].items():
        if name != "long ago":
            assert item.reference not in response.content.decode()


def test_an_empty_sitemap_still_lists_the_two_pages(client, db):
    urls = locations(client.get(SITEMAP).content)
    assert urls == {f"{BASE}/exchanges/": None, f"{BASE}/exchanges/friendship-cities/": None}


def test_robots_txt_names_the_sitemap(client):
    assert f"Sitemap: {BASE}{SITEMAP}" in client.get("/robots.txt").content.decode().splitlines()


# Queries -------------------------------------------------------------------------------------------------


def _queries(client, path, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_events(client, officer, leader, django_assert_max_num_queries):
    pages = [(ICS, {}), (ICS, {"lang": "en", "area": "zhengzhou"}), (SITEMAP, {})]
    confirmed(officer, leader)
    city(officer)
    few = [_queries(client, path, params) for path, params in pages]
    for n in range(6):
        confirmed(officer, leader, title_en=f"Visit {n}")
        city(officer, foreign_name_en=f"City {n}", foreign_name_zh=f"城市{n}")
    for (path, params), count in zip(pages, few, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(path, params).status_code == 200
    with django_assert_max_num_queries(2):
        etag = client.get(ICS)["ETag"]
    with django_assert_max_num_queries(1):
        assert client.get(ICS, headers={"if-none-match": etag}).status_code == 304


def test_a_feed_holds_the_events_starting_last_when_there_are_too_many(client, events, monkeypatch):
    monkeypatch.setattr(feeds, "MAX_EVENTS", 1)
    _response, calendar = feed(client)
    assert list(by_uid(calendar)) == [uid(events["visit"])]  # the reported one started 40 days ago
