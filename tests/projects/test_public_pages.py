"""The public pages of cooperation projects, without an account: the catalogue (published only, search in
both languages, filters, paging), a project's page (public fields only, 404 for any other state), its public
files, the expression of interest (acknowledgement, honeypot, rate limit, escaping, English first for
foreigners) and the development achievements."""

import io
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from projects.models import Interest, InterestMessage
from projects.services import achievements as achievement_services
from projects.services import projects as project_services
from projects.views.catalogue import RATE_SCOPE, english_first, size_label
from projects.workflow import Publication

from .factories import INTEREST, PROJECT, project, published

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def visitor(language: str | None = "en") -> Client:
    client = Client()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def png_bytes(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def add_file(item, officer, *, kind="image", public=True, name="site.png", content=None):
    content = content if content is not None else png_bytes()
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return project_services.document_add(
        project=item, actor=officer, kind=kind, uploaded_file=upload, public=public
    )


def interest_data(**overrides) -> dict:
    return {**INTEREST, "phone": "", "website": "", **overrides}


def references(response) -> list[str]:
    return [item.reference for item in response.context["page"].object_list]


def catalogue(client=None, **params):
    return (client or visitor()).get(reverse("projects:catalogue"), params)


# The catalogue ----------------------------------------------------------------------------------------


def test_the_catalogue_lists_only_published_projects(officer):
    shown = published(officer, title_en="Shown EV line")
    draft = project(officer, title_en="Draft EV line")
    in_review = project(officer, title_en="Reviewed EV line")
    project_services.publication_run(project=in_review, actor=officer, name="submit_for_review")
    archived = published(officer, title_en="Archived EV line")
    project_services.publication_run(project=archived, actor=officer, name="archive")

    response = catalogue()
    assert response.status_code == 200
    assert references(response) == [shown.reference]
    content = response.content.decode()
    assert "Shown EV line" in content
    for hidden in (draft, in_review, archived):
        assert hidden.reference not in content
    assert 'data-testid="result-count"' in content and "1 published project" in content


def test_a_card_shows_the_public_facts_in_the_readers_language(officer):
    item = published(officer)
    english = catalogue(visitor("en")).content.decode()
    assert PROJECT["title_en"] in english and PROJECT["title_zh"] not in english
    assert "Foreign affairs" in english and "Zhengzhou area" in english and "Joint venture" in english
    assert "Germany (Stuttgart)" in english and "Automobiles" in english
    assert "12,000,000 EUR" in english
    assert item.published_at.strftime("%b %Y").split()[0] in english  # "26 Nov 2026"
    chinese = catalogue(visitor("zh-hans")).content.decode()
    assert PROJECT["title_zh"] in chinese and "德国（Stuttgart）" in chinese and "汽车制造" in chinese
    assert f"{item.published_at.year}年" in chinese
    assert "Schwaben" not in english + chinese  # the partner organisation is not public


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("新能源", True),  # Chinese
        ("电驱动", True),  # a Chinese word of the description
        ("vehicle", True),  # English
        ("VEHIC", True),  # a part of a word, any case
        ("stuttgart", True),  # the partner city
        ("汽车 German", True),  # every word, of both languages
        ("物流", False),
        ("vehicle bakery", False),
    ],
)
def test_search_in_chinese_and_english(officer, term, found):
    item = published(officer)
    published(
        officer,
        title_zh="冷链物流中心",
        title_en="Cold-chain hub",
        description_zh="物流。",
        description_en="Logistics.",
        partner_country="FR",
        partner_city="Lyon",
        industries=("logistics",),
    )
    response = catalogue(q=term)
    assert response.status_code == 200
    assert (item.reference in references(response)) is found
    if not found and not references(response):
        assert 'data-testid="empty-state"' in response.content.decode()


def test_the_empty_search_says_what_to_do(officer):
    published(officer)
    content = catalogue(q="nothing-like-this").content.decode()
    assert 'data-testid="empty-state"' in content
    assert "No published project matches" in content and "a part of a word" in content
    assert f'href="{reverse("projects:catalogue")}"' in content
    assert "0 projects found for “nothing-like-this”" in content


def test_an_empty_catalogue_says_what_to_do():
    content = catalogue().content.decode()
    assert 'data-testid="empty-state"' in content and "No project is published yet" in content


def test_the_filters_narrow_the_list_and_stay_in_the_form(officer):
    german = published(officer)
    french = published(
        officer,
        channel="friendship_city",
        ftz_area="luoyang",
        mode="technology",
        partner_country="FR",
        partner_city="Lyon",
        industries=("robots",),
    )
    assert references(catalogue(channel="friendship_city")) == [french.reference]
    assert references(catalogue(industry="automobiles")) == [german.reference]
    assert references(catalogue(area="luoyang")) == [french.reference]
    assert references(catalogue(country="DE")) == [german.reference]
    assert references(catalogue(mode="technology")) == [french.reference]
    assert references(catalogue(country="FR", mode="joint_venture")) == []
    response = catalogue(channel="friendship_city", country="FR")
    content = response.content.decode()
    assert '<option value="friendship_city" selected>' in content
    assert "data-active" in content  # the filter box stays open on phones


def test_the_country_filter_offers_only_countries_of_published_projects(officer):
    published(officer)
    project(officer, partner_country="JP")
    content = catalogue().content.decode()
    assert '<option value="DE">' in content and '<option value="JP">' not in content
    # A country asked for in a link still filters (nothing from there yet), in any case.
    assert references(catalogue(country="JP")) == []
    assert len(references(catalogue(country="de"))) == 1


def test_priority_industries_come_first_in_the_filter(officer):
    choices = catalogue().context["filters"].fields["industry"].choices
    assert str(choices[1][0]) == "Priority industries"
    assert "smart-terminals" in [code for code, _label in choices[1][1]]
    assert "automobiles" in [code for code, _label in choices[2][1]]


@pytest.mark.parametrize(
    "params",
    [
        {"channel": "nonsense"},
        {"industry": "<script>"},
        {"country": "XX"},
        {"area": "mars"},
        {"mode": "1' or 1=1"},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"q": "x" * 5000},
        {"q": "%_\\"},
    ],
)
def test_bad_filter_values_are_ignored_never_an_error(officer, params):
    item = published(officer)
    response = catalogue(**params)
    assert response.status_code == 200
    if "q" not in params:
        assert references(response) == [item.reference]


def test_paging_keeps_the_filters_and_a_page_too_far_shows_the_last(officer, settings):
    settings.PROJECTS_PAGE_SIZE = 2
    items = [published(officer, title_en=f"EV line {n}") for n in range(5)]
    first = catalogue(channel="foreign_affairs")
    assert references(first) == [items[4].reference, items[3].reference]
    assert "channel=foreign_affairs&amp;page=2" in first.content.decode()
    assert references(catalogue(page=3)) == [items[0].reference]
    far = catalogue(page=40)
    assert far.status_code == 200 and references(far) == [items[0].reference]
    assert "5 published projects" in far.content.decode()


def test_the_catalogue_links_to_the_achievements_and_the_feeds(officer):
    content = catalogue().content.decode()
    assert f'href="{reverse("projects:achievements")}"' in content
    assert (
        f'<link rel="alternate" type="application/atom+xml" href="{reverse("projects:feed_atom")}"' in content
    )
    assert 'type="application/feed+json"' in content and reverse("projects:feed_json") in content
    assert 'data-testid="projects-subnav"' in content


def test_the_catalogue_needs_no_more_queries_for_more_projects(
    officer, django_assert_max_num_queries, settings
):
    settings.PROJECTS_PAGE_SIZE = 30
    for n in range(5):
        item = published(officer, title_en=f"EV line {n}")
        add_file(item, officer)
    client = visitor()
    client.get(reverse("projects:catalogue"))  # the session and the language settle

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("projects:catalogue"), {"q": "EV"}).status_code == 200
        return len(queries)

    few = count()
    for n in range(20):
        item = published(officer, title_en=f"EV line {n + 5}", industries=("automobiles", "robots"))
        add_file(item, officer)
    client.get(reverse("projects:catalogue"))  # the country list, cached until the next publication
    with django_assert_max_num_queries(few):
        response = client.get(reverse("projects:catalogue"), {"q": "EV"})
    assert len(response.context["page"].object_list) == 25


# One project ------------------------------------------------------------------------------------------


def test_the_project_page_shows_the_public_fields_only(officer, organization):
    item = published(
        officer, enterprises=[organization], next_step="Call Herr Krause about the price", friendship_city=""
    )
    project_services.note_add(project=item, actor=officer, text="Confidential: the partner's margin is thin.")
    add_file(item, officer, kind="agreement", public=False, name="agreement.pdf", content=pdf_bytes())
    response = visitor("en").get(item.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    for public in (
        PROJECT["title_en"],
        PROJECT["description_en"],
        "Foreign affairs",
        "Zhengzhou area",
        "Automobiles",
        "Joint venture",
        "Germany",
        "Stuttgart",
        "12,000,000 EUR",
        item.reference,
    ):
        assert public in content, public
    # The other language is there too, folded.
    assert 'data-testid="other-language"' in content and PROJECT["title_zh"] in content
    for private in (
        PROJECT["partner_organisation"],
        PROJECT["contact_name"],
        PROJECT["contact_email"],
        organization.name_zh,
        organization.name,
        "Herr Krause",
        "margin is thin",
        "agreement.pdf",
        officer.username,
        "Lead",  # the pipeline stage
    ):
        assert private not in content, private
    assert f'href="{reverse("projects:interest", args=[item.reference])}"' in content
    # The shareable link is the canonical absolute address.
    assert 'rel="canonical" href="http://testserver/projects/' in content
    assert f'value="http://testserver{item.get_absolute_url()}"' in content


def test_the_project_page_reads_in_chinese_first(officer):
    item = published(officer)
    content = visitor("zh-hans").get(item.get_absolute_url()).content.decode()
    assert content.index(PROJECT["title_zh"]) < content.index(PROJECT["title_en"])
    assert PROJECT["description_zh"] in content


@pytest.mark.parametrize("state", ["draft", "in_review", "archived"])
def test_a_project_that_is_not_published_answers_404(officer, state):
    item = project(officer)
    if state == "in_review":
        project_services.publication_run(project=item, actor=officer, name="submit_for_review")
    elif state == "archived":
        project_services.publication_run(project=item, actor=officer, name="publish")
        project_services.publication_run(project=item, actor=officer, name="archive")
    client = visitor()
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.get(reverse("projects:interest", args=[item.reference])).status_code == 404
    assert (
        client.post(reverse("projects:interest", args=[item.reference]), interest_data()).status_code == 404
    )
    assert not Interest.objects.exists()


def test_an_unknown_reference_answers_404():
    assert visitor().get(reverse("projects:detail", args=["HNCP-2026-99999"])).status_code == 404


def test_the_project_page_shows_public_images_brochures_and_related_projects(officer):
    item = published(officer)
    image = add_file(item, officer)
    brochure = add_file(item, officer, kind="brochure", name="brochure.pdf", content=pdf_bytes())
    related = published(officer, title_en="Another German project", industries=("robots",))
    unrelated = published(
        officer, title_en="A French bakery", partner_country="FR", industries=("cultural-tourism",)
    )
    content = visitor().get(item.get_absolute_url()).content.decode()
    assert f'<img src="{reverse("projects:public_file", args=[item.reference, image.pk])}"' in content
    assert reverse("projects:public_file", args=[item.reference, brochure.pk]) in content
    assert "brochure.pdf" in content
    assert "Another German project" in content and "A French bakery" not in content
    assert related.reference in content and unrelated.reference not in content


def test_a_public_image_is_served_inline_with_its_type_and_nosniff(officer):
    item = published(officer)
    image = add_file(item, officer)
    response = visitor().get(reverse("projects:public_file", args=[item.reference, image.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == png_bytes()


def test_a_public_brochure_is_downloaded(officer):
    item = published(officer)
    brochure = add_file(item, officer, kind="brochure", name="brochure.pdf", content=pdf_bytes())
    response = visitor().get(reverse("projects:public_file", args=[item.reference, brochure.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_files_that_are_not_public_are_not_served(officer):
    item = published(officer)
    private = add_file(item, officer, public=False)
    agreement = add_file(
        item, officer, kind="agreement", name="deal.pdf", content=pdf_bytes()
    )  # public, wrong kind
    draft = project(officer)
    on_draft = add_file(draft, officer)
    archived = published(officer)
    on_archived = add_file(archived, officer)
    project_services.publication_run(project=archived, actor=officer, name="archive")
    other = published(officer)
    client = visitor()
    for reference, pk in [
        (item.reference, private.pk),
        (item.reference, agreement.pk),
        (draft.reference, on_draft.pk),
        (archived.reference, on_archived.pk),
        (other.reference, add_file(item, officer).pk),  # a file of another project
        (item.reference, 999999),
    ]:
        assert client.get(reverse("projects:public_file", args=[reference, pk])).status_code == 404


# The expression of interest ---------------------------------------------------------------------------


def test_an_interest_is_stored_acknowledged_and_thanked(officer, django_capture_on_commit_callbacks):
    item = published(officer)
    client = visitor("en")
    url = reverse("projects:interest", args=[item.reference])
    form = client.get(url)
    assert form.status_code == 200 and 'data-testid="privacy-notice"' in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, interest_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:interest_sent")
    assert item.reference not in response["Location"]  # carried in the session
    interest = Interest.objects.get()
    assert interest.project == item and interest.language == "en" and interest.country.code == "IT"
    assert interest.message == INTEREST["message"]
    acknowledgements = [m for m in mail.outbox if m.to == [INTEREST["email"]]]
    assert len(acknowledgements) == 1 and item.reference in acknowledgements[0].subject
    page = client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert item.reference in content and INTEREST["email"] in content
    assert "five working days" in content or "5 working days" in content


def test_the_thank_you_page_without_an_interest_leads_to_the_catalogue():
    response = visitor().get(reverse("projects:interest_sent"))
    assert response.status_code == 302 and response["Location"] == reverse("projects:catalogue")


def test_an_interest_in_chinese_is_acknowledged_in_chinese(officer):
    item = published(officer)
    visitor("zh-hans").post(reverse("projects:interest", args=[item.reference]), interest_data())
    assert Interest.objects.get().language == "zh-hans"


def test_missing_fields_show_the_errors_and_keep_what_was_typed(officer):
    item = published(officer)
    response = visitor().post(
        reverse("projects:interest", args=[item.reference]), interest_data(name="", email="not-an-address")
    )
    assert response.status_code == 400
    assert {"name", "email"} <= set(response.context["form"].errors)
    content = response.content.decode()
    assert 'id="error-summary"' in content and "#id_interest_email" in content
    assert INTEREST["organisation"] in content and INTEREST["message"] in content
    assert not Interest.objects.exists() and not InterestMessage.objects.exists()


def test_a_message_over_3000_characters_is_a_form_error(officer):
    item = published(officer)
    response = visitor().post(
        reverse("projects:interest", args=[item.reference]), interest_data(message="x" * 3001)
    )
    assert response.status_code == 400 and "message" in response.context["form"].errors
    assert not Interest.objects.exists()


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_huge_body_gets_a_readable_400_and_nothing_is_stored(officer, encoding):
    item = published(officer)
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = interest_data(message="x" * (5 * 1024 * 1024))
    url = reverse("projects:interest", args=[item.reference])
    if encoding == "multipart":
        response = client.post(url, data)
    else:
        response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    content = response.content.decode()
    assert 'data-testid="interest-too-big"' in content and "3000" in content
    assert not Interest.objects.exists()


def test_the_interest_still_needs_its_csrf_token(officer):
    item = published(officer)
    url = reverse("projects:interest", args=[item.reference])
    client = Client(enforce_csrf_checks=True)
    assert client.post(url, interest_data()).status_code == 403
    token = client.get(url).context["csrf_token"]
    assert client.post(url, {**interest_data(), "csrfmiddlewaretoken": token}).status_code == 302
    assert Interest.objects.count() == 1


def test_a_script_in_the_message_is_shown_escaped(officer):
    item = published(officer)
    client = visitor()
    url = reverse("projects:interest", args=[item.reference])
    refused = client.post(url, interest_data(message=SCRIPT, organisation=SCRIPT, name=""))
    assert refused.status_code == 400
    assert SCRIPT not in refused.content.decode() and ESCAPED in refused.content.decode()

    email = f'"{SCRIPT}"@example.com'
    sent = client.post(url, interest_data(message=SCRIPT, organisation=SCRIPT, email=email), follow=True)
    assert sent.status_code == 200
    assert Interest.objects.get().message == SCRIPT  # stored as typed
    content = sent.content.decode()
    assert SCRIPT not in content and "&lt;script&gt;" in content


def test_a_filled_honeypot_is_thanked_and_nothing_is_stored(officer, django_capture_on_commit_callbacks):
    item = published(officer)
    client = visitor()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:interest", args=[item.reference]), interest_data(website="http://spam.example")
        )
    assert response.status_code == 302 and response["Location"] == reverse("projects:interest_sent")
    assert client.get(response["Location"]).status_code == 200
    assert not Interest.objects.exists() and not InterestMessage.objects.exists() and mail.outbox == []


def test_the_honeypot_is_hidden_from_people(officer):
    item = published(officer)
    content = visitor().get(reverse("projects:interest", args=[item.reference])).content.decode()
    assert '<div class="honeypot" aria-hidden="true">' in content
    assert 'name="website"' in content and 'tabindex="-1"' in content


def test_the_sixth_interest_in_an_hour_is_refused_with_429(officer, settings):
    settings.PROJECTS_INTEREST_PER_HOUR = 5
    item = published(officer)
    client = visitor()
    url = reverse("projects:interest", args=[item.reference])
    for _ in range(5):
        assert client.post(url, interest_data()).status_code == 302
    response = client.post(url, interest_data(organisation="Sixth S.r.l."))
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    content = response.content.decode()
    assert 'data-testid="interest-throttled"' in content and "Sixth S.r.l." in content  # kept as typed
    assert Interest.objects.count() == 5 and not Interest.objects.filter(organisation="Sixth S.r.l.").exists()
    # Another address is not held back by this one.
    assert client.post(url, interest_data(), REMOTE_ADDR="203.0.113.9").status_code == 302
    assert RATE_SCOPE == "projects-interest"  # the API's door counts in the same scope


@pytest.mark.parametrize(
    ("accept", "cookie", "english"),
    [
        ("en-US,en;q=0.9", None, True),
        ("de-DE,de;q=0.9", None, True),  # neither language: English reads better than Chinese
        ("de,zh;q=0.8,en;q=0.5", None, False),  # Chinese before English
        ("zh-CN,zh;q=0.9,en;q=0.8", None, False),
        ("", None, False),  # nothing said: the portal's default
        ("en-US,en;q=0.9", "zh-hans", False),  # a chosen language stands
    ],
)
def test_the_interest_form_is_english_first_for_foreigners(officer, accept, cookie, english):
    item = published(officer)
    client = visitor(cookie)
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get(reverse("projects:interest", args=[item.reference]), **headers)
    # (The translations follow later: the page's language shows in its lang attribute and header.)
    assert ('<html lang="en">' in response.content.decode()) is english
    assert response["Content-Language"] == ("en" if english else "zh-hans")
    assert "Accept-Language" in response["Vary"]


def test_a_foreigner_without_a_cookie_writes_in_english(officer):
    item = published(officer)
    client = visitor(None)
    response = client.post(
        reverse("projects:interest", args=[item.reference]), interest_data(), HTTP_ACCEPT_LANGUAGE="fr-FR,fr"
    )
    assert response.status_code == 302
    assert Interest.objects.get().language == "en"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fr-FR,fr").content.decode()
    assert "Thank you: your interest was received" in page


def test_english_first_decides_from_the_header_only_without_a_choice(rf):
    request = rf.get("/", HTTP_ACCEPT_LANGUAGE="ja,en;q=0.5")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert english_first(request) == "en"
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert english_first(request) is None


# Development achievements -----------------------------------------------------------------------------


def achievement(officer, *, projects=(), publish=True, image=False, **overrides):
    data = {
        "title_zh": "中德电驱动生产线投产",
        "title_en": "Sino-German electric drive line opens",
        "description_zh": "合资生产线在郑州片区投产，年产十万套。",
        "description_en": "The joint venture line opened in the Zhengzhou area: 100,000 sets a year.",
        "channel": "foreign_affairs",
        "ftz_area": "zhengzhou",
        "projects": [p.pk for p in projects],
        **overrides,
    }
    item = achievement_services.achievement_create(actor=officer, data=data)
    if image:
        upload = SimpleUploadedFile("line.png", png_bytes("blue"), content_type="image/png")
        achievement_services.image_add(achievement=item, actor=officer, uploaded_file=upload)
    if publish:
        item = achievement_services.achievement_publication_run(
            achievement=item, actor=officer, name="publish"
        )
    return item


def test_the_achievements_list_shows_published_stories_with_their_first_image(officer):
    story = achievement(officer, image=True)
    hidden = achievement(officer, publish=False, title_en="A draft story")
    response = visitor().get(reverse("projects:achievements"))
    assert response.status_code == 200
    content = response.content.decode()
    assert story.title_en in content and "A draft story" not in content and hidden.reference not in content
    image = story.attachments.get()
    assert reverse("projects:achievement_image", args=[story.reference, image.pk]) in content
    assert "Foreign affairs" in content and "Zhengzhou area" in content
    assert 'data-testid="projects-subnav"' in content


def test_the_achievements_list_needs_no_more_queries_for_more_stories(officer, django_assert_max_num_queries):
    item = published(officer)
    for _ in range(2):
        achievement(officer, projects=[item], image=True)
    client = visitor()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("projects:achievements"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("projects:achievements"))
    for _ in range(8):
        achievement(officer, projects=[item], image=True)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("projects:achievements"))
    assert len(response.context["page"].object_list) == 10


def test_an_achievement_tells_its_story_and_links_its_published_projects(officer):
    shown = published(officer, title_en="The published project")
    draft = project(officer, title_en="The draft project")
    story = achievement(officer, projects=[shown, draft], image=True)
    response = visitor().get(story.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert story.description_en in content and story.title_zh in content  # the other language, folded
    assert "The published project" in content and "The draft project" not in content
    assert draft.reference not in content
    image = story.attachments.get()
    assert reverse("projects:achievement_image", args=[story.reference, image.pk]) in content
    # ...and the project's page names the story.
    assert story.title_en in visitor().get(shown.get_absolute_url()).content.decode()


def test_an_unpublished_achievement_and_its_images_answer_404(officer):
    story = achievement(officer, publish=False, image=True)
    image = story.attachments.get()
    client = visitor()
    assert client.get(story.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("projects:achievement_image", args=[story.reference, image.pk])).status_code == 404
    )
    story = achievement_services.achievement_publication_run(achievement=story, actor=officer, name="publish")
    response = client.get(reverse("projects:achievement_image", args=[story.reference, image.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert story.publication == Publication.PUBLISHED


def test_an_achievements_page_too_far_shows_the_last_page(officer):
    achievement(officer)
    response = visitor().get(reverse("projects:achievements"), {"page": "9999"})
    assert response.status_code == 200 and len(response.context["page"].object_list) == 1


# Labels -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "label"),
    [("12000000.00", "EUR", "12,000,000 EUR"), ("2500.5", "USD", "2,500.50 USD"), (None, "CNY", "")],
)
def test_a_size_is_grouped_with_its_currency(amount, currency, label):
    assert size_label(amount, currency) == label


def test_the_chinese_pages_keep_chinese_typography(officer):
    from tests.foreign_affairs.test_crawl import _read, typography_problems

    item = published(officer)
    add_file(item, officer)
    add_file(item, officer, kind="brochure", name="brochure.pdf", content=pdf_bytes())
    published(officer, title_en="Another German project", industries=("robots",))
    story = achievement(officer, projects=[item], image=True)
    client = visitor("zh-hans")
    interest_url = reverse("projects:interest", args=[item.reference])
    pages = [
        client.get(reverse("projects:catalogue")),
        client.get(reverse("projects:catalogue"), {"q": "汽车", "country": "DE"}),
        client.get(reverse("projects:catalogue"), {"q": "没有"}),
        client.get(item.get_absolute_url()),
        client.get(interest_url),
        client.post(interest_url, interest_data(name="", email="x")),
        client.post(interest_url, interest_data(), follow=True),
        client.get(reverse("projects:achievements")),
        client.get(story.get_absolute_url()),
    ]
    for response in pages:
        assert response.status_code in (200, 400)
        assert typography_problems(_read(response.content.decode()).texts) == []
