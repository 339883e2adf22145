"""Every form that collects personal data shows the short privacy notice (templates/privacy/notice.html):
what is collected, why, who sees it, how long it is kept and the person's rights, in Chinese and in
English; the months are the office's retention rule for the form's kind of record where one is set and
enforced, a fixed sentence otherwise."""

import re

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from foreign_affairs.privacy.models import RetentionRule
from foreign_affairs.privacy.templatetags.privacy_notice import PURPOSES
from tests.approvals.factories import ApplicationFactory
from tests.factories import enterprise_user
from tests.foreign_offices.factories import member_of, opened_case
from tests.training.factories import session

pytestmark = pytest.mark.django_db

NOTICE = re.compile(
    r'<aside class="[^"]*privacy-notice"[^>]*data-purpose="(?P<purpose>[a-z_]+)".*?</aside>', re.S
)


def notices(response) -> dict[str, str]:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return {m["purpose"]: m[0] for m in NOTICE.finditer(response.content.decode())}


def in_language(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def render(purpose: str, language: str) -> str:
    with translation.override(language):
        return Template('{% include "privacy/notice.html" with purpose=purpose %}').render(
            Context({"purpose": purpose})
        )


# The notice itself ---------------------------------------------------------------------------------------


def test_the_notice_is_a_labelled_note_with_the_five_answers_in_english():
    RetentionRule.objects.all().delete()  # no rule set (migrate creates the defaults)
    html = render("travel", "en")
    aside = re.search(r'<aside [^>]*aria-labelledby="(?P<id>[^"]+)"', html)
    assert aside and f'id="{aside["id"]}"' in html  # the heading names the region
    assert "<h2" in html and "How personal data is used here" in html
    for heading in ("What is collected: ", "Why: ", "Who sees it: ", "How long: ", "Your rights: "):
        assert heading in html
    assert "passport details" in html and "approve the trip" in html
    assert "Foreign and Overseas Chinese Affairs Office of Henan Province" in html
    assert "erasure" in html
    # No rule set: the fixed sentence, no figure.
    assert "archive period the office sets" in html and "data-months" not in html


def test_the_notice_is_in_chinese_with_full_width_labels():
    html = render("travel", "zh-hans")
    with translation.override("zh-hans"):
        heading = gettext("How personal data is used here")
        why = gettext("Why")
    assert heading in html
    # The label suffix is the full-width colon in Chinese, never ": ".
    assert f"{why}：" in html and f"{why}: " not in html


def test_the_months_of_each_enforced_rule_are_given_and_a_disabled_rule_is_not():
    RetentionRule.objects.update_or_create(
        kind="travel_applications", defaults={"months": 60, "enabled": True}
    )
    RetentionRule.objects.update_or_create(kind="travel_scans", defaults={"months": 24, "enabled": False})
    with translation.override("en"):
        html = render("travel", "en")
    assert 'data-retention-kind="travel_applications" data-months="60"' in html
    assert "The application: kept 60 months after the case is closed, then deleted." in html
    assert "travel_scans" not in html and "archive period" not in html
    RetentionRule.objects.filter(kind="travel_scans").update(enabled=True)
    html = render("travel", "zh-hans")
    assert 'data-months="60"' in html and 'data-months="24"' in html
    assert html.index('data-months="60"') < html.index('data-months="24"')  # the purpose's order


def test_a_heading_level_can_be_given_for_a_notice_inside_a_section():
    html = Template('{% include "privacy/notice.html" with purpose="apec" level=3 %}').render(Context())
    assert "<h3" in html and "<h2" not in html


def test_an_unknown_purpose_is_a_template_error():
    with pytest.raises(TemplateSyntaxError):
        render("nothing-like-it", "en")


def test_every_purpose_has_its_texts():
    for purpose in PURPOSES.values():
        assert all(
            str(text) for text in (purpose.collected, purpose.why, purpose.who, purpose.kept_otherwise)
        )


# The form pages ------------------------------------------------------------------------------------------


@pytest.fixture
def pages(client, officer, organization, liaison):
    """(URL, purpose, user) of each form page that collects personal data."""
    organisation = opened_case(officer).organisation
    held = session(officer=officer)
    application = ApplicationFactory(organization=organization)
    self_enrolling = enterprise_user(organization, first_name="Wei", last_name="Zhang", email="zw@example.cn")
    return [
        (reverse("accounts:person_create"), "person", liaison),
        (reverse("approvals:create"), "travel", liaison),
        (reverse("apec_cards:application_create"), "apec", liaison),
        (reverse("training:session", args=[held.pk]), "enrolment", self_enrolling),
        (f"/training/delegation/{application.pk}/", "enrolment", liaison),
        ("/foreign-offices/my/changes/new/chief_representative/", "representative", member_of(organisation)),
        (reverse("overseas_safety:stationing_create"), "stationing", liaison),
        (reverse("overseas_safety:incident_report"), "incident", liaison),
        (reverse("projects:our_create"), "project_contact", liaison),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_form_page_shows_its_notice(client, pages, language):
    RetentionRule.objects.update_or_create(
        kind="travel_applications", defaults={"months": 60, "enabled": True}
    )
    RetentionRule.objects.update_or_create(kind="apec_scans", defaults={"months": 24, "enabled": True})
    with translation.override(language):
        heading = gettext("How personal data is used here")
    for url, purpose, user in pages:
        client.force_login(user)
        found = notices(in_language(client, language).get(url))
        assert list(found) == [purpose], url  # one notice, for this form
        assert heading in found[purpose], url
        if purpose == "travel":
            assert 'data-months="60"' in found[purpose]
        if purpose == "apec":
            assert 'data-months="24"' in found[purpose]
        if language == "en":
            assert "Your rights: " in found[purpose]
            if purpose not in ("travel", "apec"):
                assert "data-months" not in found[purpose]


def test_the_chief_representative_form_alone_among_changes_has_the_notice(client, officer):
    organisation = opened_case(officer).organisation
    client.force_login(member_of(organisation))
    assert notices(client.get("/foreign-offices/my/changes/new/address/")) == {}
    assert list(notices(client.get("/foreign-offices/my/changes/new/chief_representative/"))) == [
        "representative"
    ]
