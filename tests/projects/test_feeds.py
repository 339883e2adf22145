"""What other sites pick up: the Atom and JSON feeds of the published projects and achievements (read back
with feedparser and checked against JSON Feed 1.1), the sitemap, robots.txt, and the office's CSV / XLSX
export. Only published items, only their public fields; queries that do not grow with the items."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import feedparser
import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.http import http_date

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.audit.models import AuditEvent
from projects.publishing import OFFICE
from projects.services import achievements
from projects.services import projects as project_services
from projects.workflow import Channel

from .factories import project, published

pytestmark = pytest.mark.django_db

ATOM = "/projects/feed.atom"
JSON = "/projects/feed.json"
SITEMAP = "/projects/sitemap.xml"
CSV = "/projects/export/published.csv"
XLSX = "/projects/export/published.xlsx"
BASE = "https://portal.example.gov.cn"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

ACHIEVEMENT = {
    "title_zh": "中德合资电驱动产线投产",
    "title_en": "Sino-German electric drive line starts production",
    "description_zh": "合资项目首条电驱动生产线在郑州片区投产。",
    "description_en": "The joint venture's first electric drive line started production in the Zhengzhou area.",
    "channel": "foreign_affairs",
    "ftz_area": "zhengzhou",
    "happened_on": datetime.date(2026, 3, 1),
}
# What never leaves the portal (tests/projects/factories.PROJECT holds the first three).
PRIVATE = [
    "Schwaben Antriebstechnik",  # partner organisation
    "wang.lei@example.cn",  # contact e-mail
    "王磊",  # contact person
    "Call the partner on Monday",  # next step
    "Confidential: the partner asked for 30 percent",  # a note
    "郑州测试贸易有限公司",  # the enterprise involved
]


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = BASE


def publish_achievement(officer, **overrides):
    item = achievements.achievement_create(actor=officer, data={**ACHIEVEMENT, **overrides})
    return achievements.achievement_publication_run(achievement=item, actor=officer, name="publish")


@pytest.fixture
def catalogue(officer, organization):
    """Two published projects (two channels), a published achievement; a draft, an in-review and an archived
    project and a draft achievement that no feed may show."""
    first = published(
        officer,
        enterprises=[organization],
        next_step="Call the partner on Monday",
        next_step_due="2026-01-05",
    )
    project_services.note_add(
        project=first, actor=officer, text="Confidential: the partner asked for 30 percent"
    )
    second = published(
        officer,
        title_zh="洛阳机器人友城技术合作",
        title_en="Luoyang robotics cooperation with a friendship city",
        description_zh="洛阳片区机器人企业与友城合作研发。",
        description_en="Luoyang robot makers and a friendship city develop together.",
        channel="friendship_city",
        ftz_area="luoyang",
        mode="technology",
        partner_country="JP",
        partner_city="Tokyo",
        industries=("robots",),
        amount=None,
        currency="",
    )
    story = publish_achievement(officer, projects=[first.pk])
    draft = project(officer, title_zh="草稿项目", title_en="Draft project")
    in_review = project_services.publication_run(
        project=project(officer, title_zh="审核中项目", title_en="Project in review"),
        actor=officer,
        name="submit_for_review",
    )
    archived = project_services.publication_run(
        project=published(officer, title_zh="已归档项目", title_en="Archived project"),
        actor=officer,
        name="archive",
    )
    draft_story = achievements.achievement_create(
        actor=officer, data={**ACHIEVEMENT, "title_zh": "未发布成果", "title_en": "Unpublished story"}
    )
    return {
        "public": [first, second, story],
        "hidden": [draft, in_review, archived, draft_story],
    }


def url_of(item) -> str:
    return f"{BASE}{item.get_absolute_url()}"


def atom(client, **params):
    response = client.get(ATOM, params)
    assert response.status_code == 200, response.content[:300]
    return response, feedparser.parse(response.content)


def json_feed(client, **params):
    response = client.get(JSON, params)
    assert response.status_code == 200, response.content[:300]
    return response, json.loads(response.content)


# Atom ----------------------------------------------------------------------------------------------------


def test_the_atom_feed_is_valid_and_holds_exactly_the_published_items(client, catalogue):
    first, second, story = catalogue["public"]
    response, feed = atom(client)
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.language == "zh-hans" and response["Content-Language"] == "zh-hans"
    assert {entry.link for entry in feed.entries} == {url_of(item) for item in catalogue["public"]}
    # Newest first: the achievement was published last.
    assert [entry.link for entry in feed.entries] == [url_of(story), url_of(second), url_of(first)]
    entry = feed.entries[2]
    assert entry.title == "中德新能源汽车零部件合资项目"
    assert entry.summary.startswith("郑州片区汽车零部件企业寻求德国合作伙伴")
    assert entry.id == f"tag:portal.example.gov.cn,{first.reference[5:9]}:project/{first.reference}/zh-hans"
    assert entry.published_parsed[:6] == first.published_at.utctimetuple()[:6]
    with translation.override("zh-hans"):
        office, channel, area = str(OFFICE), str(Channel.FOREIGN_AFFAIRS.label), str(FTZArea.ZHENGZHOU.label)
    assert entry.author == office and feed.feed.author == office
    assert {(tag.term, tag.label) for tag in entry.tags} == {
        ("foreign_affairs", channel),
        ("zhengzhou", area),
        ("automobiles", "汽车制造"),
    }
    assert {tag.scheme for tag in entry.tags} == {
        f"{BASE}/projects/?channel=",
        f"{BASE}/projects/?area=",
        f"{BASE}/projects/?industry=",
    }
    assert "德国" in entry.content[0].value and first.reference in entry.content[0].value
    assert feed.feed.links[0].href == f"{BASE}/projects/"
    assert {link.rel: link.href for link in feed.feed.links}["self"] == f"{BASE}{ATOM}"


def test_the_language_parameter_switches_the_titles(client, catalogue):
    first = catalogue["public"][0]
    response, feed = atom(client, lang="en")
    assert not feed.bozo
    assert feed.feed.language == "en" and response["Content-Language"] == "en"
    titles = {entry.link: entry.title for entry in feed.entries}
    assert titles[url_of(first)] == "Sino-German joint venture for new-energy vehicle parts"
    entry = next(e for e in feed.entries if e.link == url_of(first))
    assert entry.id.endswith(f"{first.reference}/en")
    assert {tag.term: tag.label for tag in entry.tags}["foreign_affairs"] == "Foreign affairs"
    content = entry.content[0].value
    assert content.startswith(first.description_en)
    for fact in (
        "Partner country: Germany",
        "Partner city: Stuttgart",
        "Size: 12,000,000 EUR",
        f"Reference: {first.reference}",
    ):
        assert fact in content.splitlines()
    assert entry.author == "Foreign and Overseas Chinese Affairs Office of Henan Province"
    assert feed.feed.title == "Henan Pilot Free Trade Zone: cooperation projects and development achievements"
    # The reader's cookie does not change a feed: its address does.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _response, chinese = atom(client)
    assert chinese.feed.language == "zh-hans"
    assert {entry.title for entry in chinese.entries} >= {"中德新能源汽车零部件合资项目"}


@pytest.mark.parametrize("path", [ATOM, JSON])
def test_the_channel_and_kind_parameters_filter(client, catalogue, path):
    first, second, story = catalogue["public"]

    def links(**params):
        response = client.get(path, params)
        assert response.status_code == 200
        if path == ATOM:
            return {entry.link for entry in feedparser.parse(response.content).entries}
        return {item["url"] for item in json.loads(response.content)["items"]}

    assert links(channel="friendship_city") == {url_of(second)}
    assert links(channel="foreign_affairs") == {url_of(first), url_of(story)}
    assert links(channel="hong_kong_macao") == set()
    assert links(kind="projects") == {url_of(first), url_of(second)}
    assert links(kind="achievements") == {url_of(story)}
    assert links(kind="achievements", channel="friendship_city") == set()
    assert links(channel="", kind="") == {url_of(item) for item in catalogue["public"]}


def test_the_feed_title_says_the_channel_and_the_kind(client, catalogue):
    _response, feed = atom(client, lang="en", channel="friendship_city", kind="projects")
    assert feed.feed.title == "Henan Pilot Free Trade Zone: cooperation projects — Friendship cities"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"] == f"{BASE}{ATOM}?lang=en&channel=friendship_city&kind=projects"
    assert links["alternate"] == f"{BASE}/projects/?channel=friendship_city"
    _response, feed = atom(client, kind="achievements")
    assert {link.rel: link.href for link in feed.feed.links}["alternate"] == f"{BASE}/projects/achievements/"


@pytest.mark.parametrize("path", [ATOM, JSON])
@pytest.mark.parametrize(
    "params",
    [
        {"lang": "xx"},
        {"lang": "<script>"},
        {"lang": "en-" + "a" * 500},
        {"channel": "nope"},
        {"channel": "'; drop table projects; --"},
        {"kind": "everything"},
        {"kind": "project"},
    ],
)
def test_bad_parameters_answer_404_never_500(client, officer, path, params):
    published(officer)
    assert client.get(path, params).status_code == 404


@pytest.mark.parametrize("lang", ["en-US", "EN", "zh", "zh-CN", "zh-Hans"])
def test_language_variants_are_understood(client, db, lang):
    _response, feed = atom(client, lang=lang)
    assert feed.feed.language == ("en" if lang.lower().startswith("en") else "zh-hans")


def test_only_get_is_answered(client, catalogue):
    assert client.post(ATOM).status_code == 405
    assert client.post(JSON).status_code == 405


def test_text_typed_by_people_stays_text(client, officer):
    published(officer, title_en="<b>R&D</b> line", description_en="<script>alert(1)</script> & more")
    response, feed = atom(client, lang="en")
    assert not feed.bozo
    assert b"<script>" not in response.content and b"<b>" not in response.content
    assert (
        b'<summary type="text">&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</summary>' in response.content
    )
    assert b"<title>&lt;b&gt;R&amp;D&lt;/b&gt; line</title>" in response.content
    entry = feed.entries[0]
    assert entry.summary_detail.type == "text/plain"
    _response, document = json_feed(client, lang="en")
    assert document["items"][0]["title"] == "<b>R&D</b> line"


def test_control_characters_pasted_into_a_description_do_not_break_the_feed(client, officer):
    item = published(officer, description_en="Line one\x0cpage two\x01.", partner_city="Stutt\x0bgart")
    _response, feed = atom(client, lang="en")
    assert not feed.bozo
    assert feed.entries[0].summary == "Line onepage two."
    _response, document = json_feed(client, lang="en")
    assert document["items"][0]["_henan"]["partner_city"] == "Stuttgart"
    assert document["items"][0]["url"] == url_of(item)


# JSON Feed -----------------------------------------------------------------------------------------------

# https://jsonfeed.org/version/1.1: the keys of the top-level object and of an item ("_…": extensions).
JSON_FEED_KEYS = {
    "version",
    "title",
    "home_page_url",
    "feed_url",
    "description",
    "user_comment",
    "next_url",
    "icon",
    "favicon",
    "authors",
    "language",
    "expired",
    "hubs",
    "items",
}
JSON_ITEM_KEYS = {
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "authors",
    "tags",
    "language",
    "attachments",
}


def assert_json_feed_1_1(document: dict) -> None:
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(document["title"], str) and document["title"]
    assert isinstance(document["items"], list)
    assert {key for key in document if not key.startswith("_")} <= JSON_FEED_KEYS
    for author in document.get("authors", []):
        assert author.get("name") or author.get("url")
    for item in document["items"]:
        assert {key for key in item if not key.startswith("_")} <= JSON_ITEM_KEYS
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_text") or item.get("content_html")
        for key in ("date_published", "date_modified"):
            moment = datetime.datetime.fromisoformat(item[key])  # RFC 3339
            assert moment.tzinfo is not None
        assert all(isinstance(tag, str) for tag in item.get("tags", []))
        assert all(isinstance(item[key], dict) for key in item if key.startswith("_"))


def test_the_json_feed_is_json_feed_1_1_with_the_published_items(client, catalogue):
    first, second, story = catalogue["public"]
    response, document = json_feed(client)
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    assert_json_feed_1_1(document)
    assert document["language"] == "zh-hans"
    assert document["feed_url"] == f"{BASE}{JSON}" and document["home_page_url"] == f"{BASE}/projects/"
    assert [item["url"] for item in document["items"]] == [url_of(story), url_of(second), url_of(first)]
    items = {item["url"]: item for item in document["items"]}
    item = items[url_of(first)]
    assert item["title"] == "中德新能源汽车零部件合资项目"
    assert item["summary"].startswith("郑州片区汽车零部件企业") and item["content_text"].startswith(
        "郑州片区"
    )
    assert "汽车制造" in item["tags"]
    assert datetime.datetime.fromisoformat(item["date_published"]) == first.published_at
    assert item["_henan"] == {
        "reference": first.reference,
        "kind": "project",
        "channel": "foreign_affairs",
        "ftz_area": "zhengzhou",
        "industries": ["automobiles"],
        "mode": "joint_venture",
        "partner_country": "DE",
        "partner_city": "Stuttgart",
        "size": {"amount": "12000000.00", "currency": "EUR"},
    }
    assert items[url_of(second)]["_henan"]["size"] is None
    assert items[url_of(story)]["_henan"] == {
        "reference": story.reference,
        "kind": "achievement",
        "channel": "foreign_affairs",
        "ftz_area": "zhengzhou",
        "happened_on": "2026-03-01",
        "projects": [first.reference],
    }
    # The same entries as the Atom feed, with the same ids.
    _response, feed = atom(client)
    assert [entry.id for entry in feed.entries] == [item["id"] for item in document["items"]]
    _response, english = json_feed(client, lang="en")
    assert english["language"] == "en"
    office = "Foreign and Overseas Chinese Affairs Office of Henan Province"
    assert english["authors"] == [{"name": office, "url": f"{BASE}/"}]
    assert all(item["authors"] == english["authors"] for item in english["items"])
    assert {item["title"] for item in english["items"]} >= {
        "Sino-German electric drive line starts production"
    }


def test_no_private_field_appears_in_any_feed_or_the_sitemap(client, catalogue):
    bodies = []
    for path in (ATOM, JSON):
        for lang in ("zh-hans", "en"):
            bodies.append(client.get(path, {"lang": lang}).content.decode())
    bodies.append(client.get(SITEMAP).content.decode())
    for section in ("pages", "projects", "achievements"):
        bodies.append(client.get(SITEMAP, {"section": section}).content.decode())
    text = "\n".join(bodies)
    for private in PRIVATE:
        assert private not in text
    for hidden in catalogue["hidden"]:
        assert hidden.reference not in text and hidden.title_en not in text


def test_feeds_answer_304_until_something_published_changes(client, officer, catalogue):
    response = client.get(ATOM)
    last_modified = response["Last-Modified"]
    assert "public" in response["Cache-Control"] and "max-age=600" in response["Cache-Control"]
    assert client.get(ATOM, headers={"if-modified-since": last_modified}).status_code == 304
    assert client.get(JSON, headers={"if-modified-since": last_modified}).status_code == 304
    # A change elsewhere (a draft) leaves the feeds as they were.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        project(officer, title_zh="又一个草稿")
    assert client.get(ATOM, headers={"if-modified-since": last_modified}).status_code == 304
    # Archiving a published project takes it out: the feeds change.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        project_services.publication_run(project=catalogue["public"][1], actor=officer, name="archive")
    response = client.get(ATOM, headers={"if-modified-since": last_modified})
    assert response.status_code == 200
    assert url_of(catalogue["public"][1]) not in response.content.decode()
    assert response["Last-Modified"] != last_modified


def test_an_empty_feed_is_still_valid(client, db):
    response, feed = atom(client)
    assert not feed.bozo and feed.entries == []
    assert "Last-Modified" not in response
    _response, document = json_feed(client)
    assert_json_feed_1_1(document)
    assert document["items"] == []


def test_a_feed_holds_at_most_the_configured_number_of_items(client, officer, settings):
    settings.PROJECTS_FEED_ITEMS = 2
    items = [published(officer, title_en=f"Project {n}") for n in range(2)]
    items.append(publish_achievement(officer))
    _response, feed = atom(client)
    assert [entry.link for entry in feed.entries] == [url_of(items[2]), url_of(items[1])]


# Sitemap and robots.txt ----------------------------------------------------------------------------------


def locations(content: bytes, tag: str = "url") -> dict[str, str | None]:
    root = ET.fromstring(content)  # noqa: S314 (the portal's own answer)
    return {
        node.find("s:loc", SITEMAP_NS).text: getattr(node.find("s:lastmod", SITEMAP_NS), "text", None)
        for node in root.findall(f"s:{tag}", SITEMAP_NS)
    }


def test_the_sitemap_lists_the_public_pages_and_published_items(client, catalogue):
    first, _second, story = catalogue["public"]
    response = client.get(SITEMAP)
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    index = locations(response.content, "sitemap")
    assert set(index) == {f"{BASE}{SITEMAP}?section={name}" for name in ("pages", "projects", "achievements")}
    assert all(lastmod for lastmod in index.values())
    urls = {}
    for part in index:
        query = parse_qs(urlsplit(part).query)
        part_response = client.get(SITEMAP, {"section": query["section"][0]})
        assert part_response.status_code == 200
        urls.update(locations(part_response.content))
    assert set(urls) == {f"{BASE}/projects/", f"{BASE}/projects/achievements/"} | {
        url_of(item) for item in catalogue["public"]
    }
    assert urls[url_of(first)] == timezone.localtime(first.updated_at).date().isoformat()
    assert urls[f"{BASE}/projects/achievements/"] == timezone.localtime(story.updated_at).date().isoformat()
    for hidden in catalogue["hidden"]:
        assert url_of(hidden) not in urls


def test_the_sitemap_pages_beyond_the_first_are_in_the_index(client, officer, monkeypatch):
    from projects.views import feeds

    monkeypatch.setattr(feeds.PublishedSitemap, "limit", 2)
    items = [published(officer, title_en=f"Project {n}") for n in range(3)]
    index = locations(client.get(SITEMAP).content, "sitemap")
    assert f"{BASE}{SITEMAP}?section=projects&p=2" in index
    second_page = locations(client.get(SITEMAP, {"section": "projects", "p": "2"}).content)
    assert set(second_page) == {url_of(items[0])}


@pytest.mark.parametrize(
    "params",
    [
        {"section": "nope"},
        {"section": ""},
        {"section": "projects", "p": "abc"},
        {"section": "projects", "p": "9"},
    ],
)
def test_bad_sitemap_parameters_answer_404(client, officer, params):
    published(officer)
    assert client.get(SITEMAP, params).status_code == 404


def test_robots_txt_names_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {BASE}{SITEMAP}" in body.splitlines()


# The export ----------------------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for Chinese
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[dict]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_office_exports_the_published_items_as_csv_in_both_languages(client, officer, catalogue):
    first, second, story = catalogue["public"]
    client.force_login(officer)
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert f'filename="henan-cooperation-projects-{today}.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert [row["reference"] for row in rows] == [second.reference, first.reference, story.reference]
    row = rows[1]
    assert row["kind"] == "project" and row["url"] == url_of(first)
    assert row["title_zh"] == first.title_zh and row["title_en"] == first.title_en
    assert row["description_en"] == first.description_en
    assert row["channel"] == "foreign_affairs" and row["channel_en"] == "Foreign affairs"
    assert row["ftz_area_en"] == "Zhengzhou area" and row["industries"] == "automobiles"
    assert row["industries_zh"] == "汽车制造" and row["partner_country_zh"] == "德国"
    assert row["partner_country"] == "DE" and row["partner_city"] == "Stuttgart"
    assert row["amount"] == "12000000.00" and row["currency"] == "EUR"
    assert row["published_at"].startswith(timezone.localtime(first.published_at).date().isoformat())
    assert rows[2]["kind"] == "achievement" and rows[2]["projects"] == first.reference
    assert rows[2]["happened_on"] == "2026-03-01"
    text = json.dumps(rows, ensure_ascii=False)
    for private in PRIVATE:
        assert private not in text
    event = AuditEvent.objects.get(action="cooperation_project.export")
    assert event.actor == officer and event.object_id == ""
    assert event.data == {"format": "csv", "channel": "", "kind": "", "rows": 3}


def test_the_xlsx_export_has_the_same_rows_with_numbers_and_dates(client, officer, catalogue):
    first = catalogue["public"][0]
    client.force_login(officer)
    response = client.get(XLSX, {"kind": "projects", "channel": "foreign_affairs"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert ".xlsx" in response["Content-Disposition"]
    rows = read_xlsx(response)
    assert [row["reference"] for row in rows] == [first.reference]
    assert rows[0]["amount"] == 12000000 and rows[0]["title_zh"] == first.title_zh
    assert isinstance(rows[0]["published_at"], datetime.datetime)
    event = AuditEvent.objects.get(action="cooperation_project.export")
    assert event.data == {"format": "xlsx", "channel": "foreign_affairs", "kind": "projects", "rows": 1}


@pytest.mark.parametrize("path", [CSV, XLSX])
def test_text_a_spreadsheet_would_run_is_quoted(client, officer, path):
    published(
        officer,
        title_en='=HYPERLINK("http://evil.example","click")',
        description_en="+1+2",
        partner_city="@SUM(A1)",
        description_zh="-2+3 说明",
    )
    client.force_login(officer)
    response = client.get(path)
    row = (read_csv if path == CSV else read_xlsx)(response)[0]
    assert row["title_en"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["description_en"] == "'+1+2" and row["partner_city"] == "'@SUM(A1)"
    assert row["description_zh"] == "'-2+3 说明"


@pytest.mark.parametrize("path", [CSV, XLSX])
def test_only_office_staff_export(client, applicant, leader, path, catalogue):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(applicant)
    assert client.get(path).status_code == 403
    assert not AuditEvent.objects.filter(action="cooperation_project.export").exists()
    client.force_login(leader)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("params", [{"channel": "nope"}, {"kind": "all"}])
def test_a_bad_export_filter_answers_404(client, officer, params):
    client.force_login(officer)
    assert client.get(CSV, params).status_code == 404
    assert not AuditEvent.objects.filter(action="cooperation_project.export").exists()


# Queries -------------------------------------------------------------------------------------------------

PAGES = [
    (ATOM, {}),
    (ATOM, {"lang": "en", "channel": "foreign_affairs"}),
    (JSON, {}),
    (SITEMAP, {}),
    (SITEMAP, {"section": "projects"}),
    (SITEMAP, {"section": "achievements"}),
    (SITEMAP, {"section": "pages"}),
    (CSV, {}),
    (XLSX, {}),
]


def _add(officer, n: int, start: int) -> None:
    for i in range(start, start + n):
        item = published(officer, title_en=f"Project {i}", industries=("automobiles", "robots"))
        publish_achievement(officer, title_en=f"Story {i}", projects=[item.pk])


def _queries(client, path, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured)


def test_queries_do_not_grow_with_the_items(client, officer, django_assert_max_num_queries):
    _add(officer, 3, 0)
    client.force_login(officer)
    few = [_queries(client, path, params) for path, params in PAGES]
    _add(officer, 12, 3)
    for (path, params), count in zip(PAGES, few, strict=True):
        with django_assert_max_num_queries(count):
            response = client.get(path, params)
            if response.streaming:
                b"".join(response.streaming_content)


def test_last_modified_is_the_newest_change(client, catalogue):
    newest = max(item.updated_at for item in catalogue["hidden"][2:3] + catalogue["public"])
    response = client.get(JSON)
    assert response["Last-Modified"] == http_date(newest.timestamp())
