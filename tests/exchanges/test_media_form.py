"""The public interview request form of foreign journalists (/exchanges/media/): a request stored through the
service, acknowledged by e-mail and told to the officers; refusals beside the fields with what was typed
kept (China, past dates, missing fields); the honeypot, the rate limit, the size guard, CSRF and escaping;
English first; the thank-you page from the session only."""

import html
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exchanges.limits import RATE_SCOPE, RATE_WINDOW
from exchanges.models import MediaMessage, MediaRequest
from exchanges.views.media import journalist_language
from foreign_affairs.notifications.models import Notification

from .factories import MEDIA_REQUEST, days

pytestmark = pytest.mark.django_db

FORM = reverse("exchanges:media_request")
SENT = reverse("exchanges:media_request_sent")
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


def form_data(**overrides) -> dict:
    data = {name: value for name, value in MEDIA_REQUEST.items() if name != "press_card"}
    return {
        **data,
        "press_card_number": "FR-2026-11873",
        "press_card_authority": "Commission de la carte d'identité des journalistes professionnels",
        "wished_from": days(20).isoformat(),
        "wished_until": days(25).isoformat(),
        "website": "",
        **overrides,
    }


def text(response) -> str:
    return response.content.decode()


# A request sent ----------------------------------------------------------------------------------------


def test_a_request_is_stored_acknowledged_told_to_the_officers_and_thanked(
    officer, django_capture_on_commit_callbacks
):
    client = visitor("en")
    page = client.get(FORM)
    assert page.status_code == 200 and 'data-testid="media-form"' in text(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM, form_data())
    assert response.status_code == 302 and response["Location"] == SENT

    request = MediaRequest.objects.get()
    assert request.reference.startswith("HNMR-") and request.state == "requested"
    assert request.journalist_name == "Claire Martin" and request.outlet_country.code == "FR"
    assert request.press_card == (
        "FR-2026-11873, Commission de la carte d'identité des journalistes professionnels"
    )
    assert (request.wished_from, request.wished_until) == (days(20), days(25))
    assert request.people_wished == MEDIA_REQUEST["people_wished"] and request.language == "en"
    assert request.reference not in response["Location"]  # carried in the session

    acknowledgement = MediaMessage.objects.get()
    assert acknowledgement.request == request and acknowledgement.to == MEDIA_REQUEST["email"]
    assert request.reference in acknowledgement.subject
    sent = [message for message in mail.outbox if message.to == [MEDIA_REQUEST["email"]]]
    assert len(sent) == 1 and request.reference in sent[0].subject
    assert Notification.objects.filter(recipient=officer, link__contains=str(request.pk)).exists()

    thanks = client.get(SENT)
    assert thanks.status_code == 200
    content = text(thanks)
    assert 'data-testid="media-reference"' in content and request.reference in content
    assert MEDIA_REQUEST["email"] in content and "5 working days" in content
    assert "acknowledgement" in content


def test_the_thank_you_page_without_a_request_leads_to_the_form():
    response = visitor().get(SENT)
    assert response.status_code == 302 and response["Location"] == FORM


def test_the_thank_you_page_never_reads_a_reference_from_the_address():
    response = visitor().get(SENT, {"reference": "HNMR-2026-00001"})
    assert response.status_code == 302 and response["Location"] == FORM


def test_a_request_in_chinese_is_kept_in_chinese():
    assert visitor("zh-hans").post(FORM, form_data()).status_code == 302
    assert MediaRequest.objects.get().language == "zh-hans"


def test_the_privacy_notice_says_what_why_who_and_how_long():
    content = text(visitor().get(FORM))
    assert 'data-testid="privacy-notice"' in content and 'aria-describedby="media-privacy"' in content
    assert "What is kept" in content and "Why" in content and "Who sees it" in content
    assert "3 years after the request is closed" in content


# Refusals beside the fields ----------------------------------------------------------------------------


def test_missing_fields_show_the_errors_and_keep_what_was_typed():
    response = visitor().post(
        FORM, form_data(journalist_name="", email="not-an-address", press_card_number="")
    )
    assert response.status_code == 400
    assert {"journalist_name", "email", "press_card_number"} <= set(response.context["form"].errors)
    content = text(response)
    assert (
        'id="error-summary"' in content
        and "#id_media_email" in content
        and "#id_media_journalist_name" in content
    )
    assert 'id="id_media_email_error"' in content and 'aria-invalid="true"' in content
    shown = html.unescape(content)
    assert MEDIA_REQUEST["outlet"] in shown and MEDIA_REQUEST["topic"] in shown
    assert days(20).isoformat() in content and "Commission de la carte" in content
    assert not MediaRequest.objects.exists() and not MediaMessage.objects.exists()


def test_an_outlet_of_china_is_refused_by_the_service_beside_the_country():
    response = visitor().post(FORM, form_data(outlet_country="CN", outlet="Henan Daily"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["outlet_country"]
    assert "This form is for foreign media" in errors["outlet_country"][0]
    content = text(response)
    assert 'id="id_media_outlet_country_error"' in content and "Henan Daily" in content
    assert 'value="CN"' not in content  # China is not offered
    assert not MediaRequest.objects.exists()


def test_an_unknown_country_is_a_choice_from_the_list():
    response = visitor().post(FORM, form_data(outlet_country="XX"))
    assert response.status_code == 400
    assert response.context["form"].errors["outlet_country"] == [
        "Choose the country or region from the list."
    ]


def test_hong_kong_outlets_may_ask():
    assert visitor().post(FORM, form_data(outlet_country="HK")).status_code == 302
    assert MediaRequest.objects.get().outlet_country.code == "HK"


def test_past_dates_are_refused_beside_the_first_day():
    yesterday = timezone.localdate() - timedelta(days=1)
    response = visitor().post(
        FORM, form_data(wished_from=yesterday.isoformat(), wished_until=days(3).isoformat())
    )
    assert response.status_code == 400
    assert response.context["form"].errors["wished_from"] == ["Choose dates from today on."]
    assert yesterday.isoformat() in text(response)  # kept as typed
    assert not MediaRequest.objects.exists()


def test_a_last_day_before_the_first_is_refused_beside_it():
    response = visitor().post(
        FORM, form_data(wished_from=days(10).isoformat(), wished_until=days(5).isoformat())
    )
    assert response.status_code == 400
    assert response.context["form"].errors["wished_until"] == ["The last day cannot be before the first."]
    assert not MediaRequest.objects.exists()


def test_a_date_that_is_not_one_says_how_to_write_it():
    response = visitor().post(FORM, form_data(wished_from="next week"))
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.context["form"].errors["wished_from"][0]
    assert "next week" in text(response)


def test_a_press_card_too_long_for_the_record_is_refused_beside_its_authority():
    response = visitor().post(FORM, form_data(press_card_number="N" * 40, press_card_authority="A" * 70))
    assert response.status_code == 400
    assert "at most 100 characters" in response.context["form"].errors["press_card_authority"][0]
    assert not MediaRequest.objects.exists()


def test_a_topic_over_4000_characters_is_a_form_error():
    response = visitor().post(FORM, form_data(topic="x" * 4001))
    assert response.status_code == 400 and "topic" in response.context["form"].errors
    assert not MediaRequest.objects.exists()


# Abuse -------------------------------------------------------------------------------------------------


def test_a_filled_honeypot_is_thanked_and_nothing_is_stored(django_capture_on_commit_callbacks):
    client = visitor()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM, form_data(website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == SENT
    thanks = client.get(SENT)
    assert thanks.status_code == 200 and 'data-testid="media-reference"' not in text(thanks)
    assert not MediaRequest.objects.exists() and not MediaMessage.objects.exists() and mail.outbox == []
    assert not Notification.objects.exists()


def test_the_honeypot_is_hidden_from_people():
    content = text(visitor().get(FORM))
    assert '<div class="honeypot" aria-hidden="true">' in content
    assert 'name="website"' in content and 'tabindex="-1"' in content


def test_requests_over_the_hourly_limit_get_429_and_keep_what_was_typed(settings):
    settings.EXCHANGES_MEDIA_REQUESTS_PER_HOUR = 2
    client = visitor()
    for _ in range(4):
        assert client.get(FORM).status_code == 200  # reading the form is not counted
    for n in range(2):
        assert client.post(FORM, form_data(email=f"journalist{n}@example.fr")).status_code == 302
    response = client.post(FORM, form_data(outlet="Third Outlet Weekly"))
    assert response.status_code == 429 and response["Retry-After"] == str(RATE_WINDOW) == "3600"
    content = text(response)
    assert 'data-testid="media-throttled"' in content and "At most 2 interview requests an hour" in content
    assert "Third Outlet Weekly" in content  # kept as typed
    assert (
        MediaRequest.objects.count() == 2
        and not MediaRequest.objects.filter(outlet="Third Outlet Weekly").exists()
    )
    # Another address is not held back by this one.
    assert client.post(FORM, form_data(), REMOTE_ADDR="203.0.113.9").status_code == 302
    assert RATE_SCOPE == "exchanges-media-request"  # the API's door counts in the same scope


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_huge_body_gets_a_readable_400_and_nothing_is_stored(encoding):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = form_data(topic="x" * (5 * 1024 * 1024))
    if encoding == "multipart":
        response = client.post(FORM, data)
    else:
        response = client.post(FORM, urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    content = text(response)
    assert 'data-testid="media-too-big"' in content and "4000" in content
    assert not MediaRequest.objects.exists()


def test_the_request_still_needs_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert client.post(FORM, form_data()).status_code == 403
    token = client.get(FORM).context["csrf_token"]
    assert client.post(FORM, {**form_data(), "csrfmiddlewaretoken": token}).status_code == 302
    assert MediaRequest.objects.count() == 1


def test_a_script_in_the_request_is_shown_escaped():
    client = visitor()
    refused = client.post(FORM, form_data(topic=SCRIPT, outlet=SCRIPT, journalist_name=""))
    assert refused.status_code == 400
    assert SCRIPT not in text(refused) and ESCAPED in text(refused)

    email = f'"{SCRIPT}"@example.com'
    sent = client.post(FORM, form_data(topic=SCRIPT, outlet=SCRIPT, email=email), follow=True)
    assert sent.status_code == 200
    assert MediaRequest.objects.get().topic == SCRIPT  # stored as typed
    assert SCRIPT not in text(sent) and "&lt;script&gt;" in text(sent)


def test_only_get_and_post_are_answered():
    assert visitor().put(FORM).status_code == 405
    assert visitor().post(SENT).status_code == 405


# English first -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "cookie", "english"),
    [
        ("en-US,en;q=0.9", None, True),
        ("fr-FR,fr;q=0.9", None, True),  # neither language: English reads better than Chinese
        ("", None, True),  # nothing said: the form is for foreign media
        ("de,zh;q=0.8,en;q=0.5", None, False),  # Chinese before English
        ("zh-CN,zh;q=0.9,en;q=0.8", None, False),
        ("en-US,en;q=0.9", "zh-hans", False),  # Chinese chosen with the language switch
        ("zh-CN", "en", True),  # English chosen with the language switch
    ],
)
def test_the_form_is_english_first(accept, cookie, english):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = visitor(cookie).get(FORM, **headers)
    # (The translations follow later: the page's language shows in its lang attribute and header.)
    assert ('<html lang="en">' in text(response)) is english
    assert response["Content-Language"] == ("en" if english else "zh-hans")
    assert "Accept-Language" in response["Vary"]


def test_a_signed_in_user_keeps_the_language_they_prefer(client, applicant):
    applicant.preferred_language = "zh-hans"
    applicant.save(update_fields=["preferred_language"])
    client.force_login(applicant)
    response = client.get(FORM, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="zh-Hans">' in text(response)


def test_a_foreigner_without_a_cookie_writes_and_is_thanked_in_english():
    client = visitor(None)
    response = client.post(FORM, form_data(), HTTP_ACCEPT_LANGUAGE="fr-FR,fr")
    assert response.status_code == 302
    assert MediaRequest.objects.get().language == "en"
    page = text(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fr-FR,fr"))
    assert "Thank you: your interview request was received" in page and '<html lang="en">' in page


def test_a_visitor_whose_browser_asks_for_chinese_first_writes_in_chinese():
    assert visitor(None).post(FORM, form_data(), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").status_code == 302
    assert MediaRequest.objects.get().language == "zh-hans"


def test_journalist_language_decides_from_the_header_only_without_a_choice(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/", HTTP_ACCEPT_LANGUAGE="ja,zh;q=0.5")
    request.user = AnonymousUser()
    assert journalist_language(request) is None
    request = rf.get("/", HTTP_ACCEPT_LANGUAGE="*")
    request.user = AnonymousUser()
    assert journalist_language(request) == "en"
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert journalist_language(request) is None
