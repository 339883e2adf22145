"""Every link a demo role can reach from its start page works (issue 11): a same-origin crawl, GET only, to
depth 3, that fails on any server error and on a 403 behind a link the page itself offered.

The pages are fetched in Chinese, the default language, and the same crawl reads their text for Chinese
typography (issue 11, item 13): no ISO date ("2026-12-02") in Chinese text, where the reader's format
("2026年12月2日") belongs, and no half-width , : ; ? ! ( ) beside a Chinese character, where Chinese takes
"，：；？！（）" (foreign_affairs.typography and {% load portal %} give them)."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import pytest
from django.test import Client

from foreign_affairs.accounts.models import User

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "applicant", "liaison", "applicant2", "officer", "leader", "manager", "admin"]
DEPTH = 3
# Links that change something even on GET in spirit (signing out), or only repeat what is crawled.
SKIPPED_PREFIXES = ("/accounts/logout/", "/admin/logout/", "/static/", "/i18n/", "/api/")


HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CHINESE = re.compile(f"[{HAN}]")
# A date written as data. Not part of a reference or a phone number: "HNFA-2026-000089" and "0371-6555 0101"
# do not have its shape, and the ASCII letters, digits and hyphens around it would make it part of a longer
# word ("ABTC-2026-01-02-x").
ISO_DATE = re.compile(r"(?<![0-9A-Za-z-])\d{4}-\d{2}-\d{2}(?![0-9A-Za-z-])")
# Half-width punctuation touching a Chinese character: "姓名:", "张伟, 2026年", "付建华 (团长)" and "(团长)".
# A pinyin name in brackets after a space ("何静 (HE JING)") is Latin text and not caught; a space between
# the digits of a reference and a Chinese word ("HNFA-2026-000089 赴波兰", "ABTC-2026-000001 · 新办") is
# not punctuation.
HALF_WIDTH = re.compile(rf"[{HAN}][,:;?!(]|[,:;?!)]\s?[{HAN}]|\(\s?[{HAN}]|[{HAN}]\s?\)")
# Text that is code, or typed into a form, rather than written by the portal for the reader.
NOT_PROSE = {"script", "style", "textarea", "pre", "code"}


class _Page(HTMLParser):
    """The links of a page and the text nodes a reader reads (attribute values are not read)."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.texts = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in NOT_PROSE:
            self._skipping += 1
        elif tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in NOT_PROSE and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and CHINESE.search(data):
            self.texts.append(" ".join(data.split()))


def typography_problems(texts) -> list[str]:
    """The Chinese text nodes that hold an ISO date or half-width punctuation beside a Chinese character."""
    return [text for text in texts if ISO_DATE.search(text) or HALF_WIDTH.search(text)]


_ID = re.compile(r"/(\d+|[0-9a-f]{8}-[0-9a-f-]{27,})(?=/)")


# Parameters that only order, page or decorate a list (the admin's "o", "p", "_facets", the pages'
# "ordering" and "page"): the same list in another order is not another page to crawl.
ORDER_AND_PAGING = {"o", "p", "_facets", "all", "ordering", "page"}
# A list narrowed by two filters or more at once is the same view as by one: each filter is its own clause
# of the query, tested in its area's tests (the back office's filter links keep the filters in use, so their
# pairs would otherwise grow with every filter an area adds: with the fourth area they were most of the
# office roles' crawls, 50 s of the officer's).
MAX_FILTERS = 1


def _shape(url: str) -> tuple:
    """Pages that differ only in an object's id, in the values of their query (a filter's choices, a page
    number) or in their order are crawled once: the path with its ids left out, and the names of the
    parameters that narrow it."""
    parts = urlsplit(url)
    names = {name for name, _value in parse_qsl(parts.query)} - ORDER_AND_PAGING
    return _ID.sub("/*", parts.path), tuple(sorted(names))


def _read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _links(page_url: str, page: _Page) -> list[str]:
    found = []
    for href in page.links:
        url, _fragment = urldefrag(urljoin(f"http://testserver{page_url}", href))
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.netloc != "testserver" or parts.path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client: Client, start: str) -> tuple[int, list[str], list[str]]:
    """Breadth-first from `start`; returns how many pages were fetched, the problems found and the
    typography problems ("shape: text") of the HTML pages that answered 200. A link to a page of a shape
    already fetched is not fetched again, but one whose shape answered 403 is still a link the page should
    not have offered."""
    status = {}  # shape → status of its fetch (None while queued)
    queue = deque([(start, 0, None)])
    status[_shape(start)] = None
    problems, typography, fetched = set(), set(), 0
    while queue:
        url, depth, offered_by = queue.popleft()
        response = client.get(url)
        fetched += 1
        status[_shape(url)] = response.status_code
        if response.status_code >= 500:
            problems.add(f"{response.status_code} {url} (linked from {offered_by})")
        elif response.status_code == 403 and offered_by is not None:
            problems.add(f"403 {url}, a link that {offered_by} offered")
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        page = _read(response.content.decode(errors="replace"))
        typography.update(f"{_shape(url)[0]}: {text}" for text in typography_problems(page.texts))
        for link in _links(url, page):
            shape = _shape(link)
            if len(shape[1]) > MAX_FILTERS:
                continue
            if shape not in status and depth < DEPTH:
                status[shape] = None
                queue.append((link, depth + 1, url))
            elif status.get(shape) == 403:
                problems.add(f"403 {link}, a link that {_shape(url)[0]} offered")
    return fetched, sorted(problems), sorted(typography)


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_role_can_reach_from_its_start_page_works(role, demo):
    client = Client()
    start = "/"
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))
        start = "/dashboard/"
    fetched, problems, typography = crawl(client, start)
    assert fetched > 5, f"{role} reached only {fetched} pages"
    assert problems == [], "\n".join(problems)
    assert typography == [], "Chinese text with an ISO date or half-width punctuation:\n" + "\n".join(
        typography
    )


@pytest.mark.parametrize(
    "text",
    [
        "新加坡已于2026-12-02答复预签准入申请",
        "张伟, 2026年12月2日",
        "申请: HNFA-2026-000089",
        "付建华 (团长), 常青 (团员)",
        "审核中 中位数: 2.8 天",
        "科科斯(基林)群岛",
        "何静 · 护照*****1235，有效期至2033-06-28",
    ],
)
def test_the_typography_check_finds_iso_dates_and_half_width_punctuation_in_chinese(text):
    assert typography_problems([text]) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "HNFA-2026-000089 赴波兰罗兹考察中欧班列终点站",
        "ABTC-2026-000001 · 新办",
        "李娜，0371-6555 0101",
        "何静 (HE JING)",
        "付建华（团长）、常青（团员）",
        "2026年12月2日 10:30 已提交",
        "预算：120,000.00 CNY",
    ],
)
def test_the_typography_check_lets_references_phone_numbers_and_latin_brackets_be(text):
    assert typography_problems([text]) == []
