"""The enterprise's view of the activities that visit it (/exchanges/visits/): from approval on, upcoming first
then past, paged, an empty state that says what comes; a visit's page with what the enterprise needs (the
foreign party, its day(s) of the programme, what the office asks and whom to contact, the programme PDF once
confirmed) and nothing of the office's (checklist, outcomes, documents, members, hosts, travel applications,
the other enterprises visited); scoping (404 for others, sign-in for visitors, the back office for the
office's staff); a list whose queries do not grow with its rows."""

import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from exchanges.services import activities as services
from exchanges.views import enterprise as views
from foreign_affairs.accounts.models import OrganizationKind
from tests.factories import OrganizationFactory, UserFactory, enterprise_user

from .factories import activity, days, run

pytestmark = pytest.mark.django_db

LIST = reverse("exchanges:visits")
CHECKLIST_WORDS = ("Invitation letter for visas", "Security liaison", "Interpreters")


@pytest.fixture
def as_user(client):
    """`client` signed in as `user`, in English (assertions read the source strings)."""

    def sign_in(user, language="en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return sign_in


def png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def detail(item) -> str:
    return reverse("exchanges:visit_detail", args=[item.pk])


def text(response) -> str:
    return response.content.decode()


def visit(officer, leader, *enterprises, steps=("approve", "confirm"), starts_in=10, length=2, **overrides):
    """An activity visiting `enterprises`, taken through `steps` (approve by the leader, the others by the
    officer)."""
    item = activity(
        officer,
        starts_in=starts_in,
        length=length,
        enterprises_visited=[organization.pk for organization in enterprises],
        **overrides,
    )
    for step in steps:
        item = run(item, leader if step == "approve" else officer, step)
    return item


def past_visit(officer, leader, *enterprises, starts_in=-30, **overrides):
    return visit(
        officer, leader, *enterprises, steps=("approve", "confirm", "hold"), starts_in=starts_in, **overrides
    )


def listed(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-visit="(\d+)"', text(response))]


# The list ----------------------------------------------------------------------------------------------------


def test_the_list_shows_upcoming_visits_soonest_first_then_past_ones_latest_first(
    as_user, applicant, officer, leader, other_organization
):
    organization = applicant.organization
    later = visit(officer, leader, organization, starts_in=40, title_en="Later visit")
    sooner = visit(officer, leader, organization, starts_in=5, steps=("approve",), title_en="Sooner visit")
    long_ago = past_visit(officer, leader, organization, starts_in=-200, title_en="Long ago")
    recent = past_visit(officer, leader, organization, starts_in=-20, title_en="Recent")
    visit(officer, leader, organization, steps=(), title_en="Only proposed")  # not approved yet
    visit(officer, leader, other_organization, title_en="Another enterprise's visit")
    response = as_user(applicant).get(LIST)
    assert response.status_code == 200
    assert listed(response) == [sooner.pk, later.pk, recent.pk, long_ago.pk]
    content = text(response)
    assert content.index('data-testid="upcoming"') < content.index('data-testid="past"')
    assert "Only proposed" not in content and "Another enterprise" not in content
    assert "Germany" in content and "Bayerisches Staatsministerium" in content
    assert 'data-state="approved"' in content and 'data-state="held"' in content


def test_the_list_is_paged(as_user, applicant, officer, leader, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    organization = applicant.organization
    first = visit(officer, leader, organization, starts_in=3)
    second = visit(officer, leader, organization, starts_in=6)
    third = past_visit(officer, leader, organization)
    client = as_user(applicant)
    assert listed(client.get(LIST)) == [first.pk, second.pk]
    page_two = client.get(LIST, {"page": 2})
    assert listed(page_two) == [third.pk] and 'data-testid="upcoming"' not in text(page_two)
    assert "Showing 3–3 of 3" in text(page_two)
    assert listed(client.get(LIST, {"page": "x"})) == [first.pk, second.pk]


def test_an_empty_list_says_what_shows_here(as_user, liaison):
    response = as_user(liaison).get(LIST)
    assert response.status_code == 200
    content = text(response)
    assert 'data-testid="empty-state"' in content
    assert "Visits the office arranges to your enterprise show here" in content


def test_the_pages_read_in_chinese_too(as_user, applicant, officer, leader):
    item = visit(officer, leader, applicant.organization)
    client = as_user(applicant, "zh-hans")
    for url in (LIST, detail(item)):
        response = client.get(url)
        assert response.status_code == 200 and '<html lang="zh-Hans">' in text(response), url
    assert "德国巴伐利亚州经济代表团访问郑州片区" in text(client.get(detail(item)))


# One visit ---------------------------------------------------------------------------------------------------


def test_a_visit_shows_what_the_enterprise_needs(as_user, applicant, officer, leader):
    item = visit(officer, leader, applicant.organization, venue="Zhengzhou Airport Economy Zone, Hall B")
    response = as_user(applicant).get(detail(item))
    assert response.status_code == 200
    content = text(response)
    assert "Bavarian economic delegation visits the Zhengzhou area" in content
    assert "Foreign dignitary visit" in content and "Zhengzhou Airport Economy Zone, Hall B" in content
    assert item.starts_on.strftime("%-d %b %Y") in content and item.ends_on.strftime("%-d %b %Y") in content
    assert "Germany" in content and "Bayerisches Staatsministerium für Wirtschaft" in content
    assert "Dr. Anna Huber (State Secretary)" in content and "8 people" in content
    asks = content[content.index('data-testid="asks"') :]
    assert "Prepare to present your enterprise" in asks and "Contact the officer in charge" in asks
    owner = officer.get_full_name()
    assert owner in content and f'href="mailto:{officer.email}"' in content
    assert f'href="{reverse("exchanges:programme_pdf", args=[item.pk])}"' in content


def test_the_programme_pdf_is_offered_once_the_visit_is_confirmed(as_user, applicant, officer, leader):
    approved = visit(officer, leader, applicant.organization, steps=("approve",))
    content = text(as_user(applicant).get(detail(approved)))
    assert 'data-testid="programme-pdf"' not in content
    assert "available here once the visit is confirmed" in content
    confirmed = run(approved, officer, "confirm")
    assert 'data-testid="programme-pdf"' in text(as_user(applicant).get(detail(confirmed)))


def test_a_visit_never_shows_the_offices_own_records(as_user, applicant, officer, leader, other_organization):
    item = visit(
        officer,
        leader,
        applicant.organization,
        other_organization,
        starts_in=-3,
        steps=("approve", "confirm", "hold"),
        materials="Zone brochure, investment guide",
    )
    item = services.activity_update(
        activity=item,
        actor=officer,
        data={"outcome_summary_en": "Signed a memorandum on cold-chain logistics."},
    )
    services.document_add(
        activity=item, actor=officer, kind="invitation", uploaded_file=png("secret-invitation.png")
    )
    item = run(item, officer, "report")
    response = as_user(applicant).get(detail(item))
    assert response.status_code == 200
    content = text(response)
    for hidden in (
        *CHECKLIST_WORDS,
        "Signed a memorandum",
        "Max Bauer",  # the members
        "省外办主任",  # the hosts
        "Zone brochure",  # materials
        other_organization.name_zh,
        other_organization.name_en,
        "secret-invitation",
    ):
        assert hidden not in content, hidden
    assert 'data-testid="asks"' not in content  # it took place: nothing more asked
    assert "The visit took place" in content


def test_the_programme_shows_the_enterprises_days_and_withholds_other_enterprises(
    as_user, applicant, officer, leader, other_organization
):
    mine, other = applicant.organization, other_organization
    item = visit(officer, leader, mine, other, starts_in=10, length=2)
    short_name = mine.name_zh.removesuffix("有限公司")
    services.agenda_set(
        activity=item,
        actor=officer,
        items=[
            {"day": days(10), "starts_at": "09:00", "title_en": "Arrival and welcome", "place": "Airport"},
            {"day": days(11), "starts_at": "09:00", "ends_at": "11:00", "title_en": "Briefing on the zone"},
            {"day": days(11), "starts_at": "14:00", "title_zh": f"参观{short_name}", "title_en": "Visit"},
            {"day": days(11), "starts_at": "16:30", "title_en": "Tour", "place": other.name_zh},
            {"day": days(12), "starts_at": "10:00", "title_en": "Departure"},
        ],
    )
    content = text(as_user(applicant).get(detail(item)))
    assert "Your part of the programme" in content
    assert "Briefing on the zone" in content and "09:00–11:00" in content and "14:00" in content
    assert "Arrival and welcome" not in content and "Departure" not in content  # not their day
    assert content.count('data-testid="withheld"') == 1 and other.name_zh not in content
    assert "The delegation's visit to another enterprise" in content
    assert days(11).strftime("%-d %b %Y") in content


def test_a_programme_that_does_not_name_the_enterprise_is_shown_whole_and_says_so(
    as_user, applicant, officer, leader
):
    item = visit(officer, leader, applicant.organization)
    services.agenda_set(
        activity=item,
        actor=officer,
        items=[
            {"day": days(10), "starts_at": "09:00", "title_en": "Arrival and welcome"},
            {"day": days(12), "starts_at": "10:00", "title_en": "Departure"},
        ],
    )
    content = text(as_user(applicant).get(detail(item)))
    assert "Arrival and welcome" in content and "Departure" in content
    assert "Your enterprise is not named in the programme yet" in content


def test_a_visit_without_a_programme_says_it_comes(as_user, applicant, officer, leader):
    content = text(as_user(applicant).get(detail(visit(officer, leader, applicant.organization))))
    assert "The office has not set the programme yet" in content


def test_a_visit_postponed_after_approval_still_opens_and_says_so(as_user, applicant, officer, leader):
    item = visit(officer, leader, applicant.organization)
    item = services.activity_run(
        activity=item, actor=officer, name="postpone", comment="The minister is ill."
    )
    client = as_user(applicant)
    response = client.get(detail(item))
    assert response.status_code == 200
    content = text(response)
    assert 'data-state="postponed"' in content and "The visit was postponed" in content
    assert 'data-testid="asks"' not in content and 'data-testid="programme-pdf"' not in content
    assert item.pk in listed(client.get(LIST))


def test_a_visit_cancelled_before_approval_stays_hidden(as_user, applicant, officer, leader):
    item = visit(officer, leader, applicant.organization, steps=())
    item = services.activity_run(activity=item, actor=officer, name="cancel", comment="No longer planned.")
    assert as_user(applicant).get(detail(item)).status_code == 404


# Who sees what -----------------------------------------------------------------------------------------------


def test_another_enterprise_and_unapproved_visits_answer_404(
    as_user, applicant, other_applicant, officer, leader
):
    item = visit(officer, leader, applicant.organization)
    proposed = visit(officer, leader, applicant.organization, steps=())
    other = as_user(other_applicant)
    assert other.get(detail(item)).status_code == 404
    assert item.pk not in listed(other.get(LIST))
    mine = as_user(applicant)
    assert mine.get(detail(proposed)).status_code == 404
    assert mine.get(reverse("exchanges:visit_detail", args=[999999])).status_code == 404


def test_a_liaison_sees_the_visits_too(as_user, liaison, officer, leader):
    item = visit(officer, leader, liaison.organization)
    assert as_user(liaison).get(detail(item)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, officer, leader, organization):
    item = visit(officer, leader, organization)
    for url in (LIST, detail(item)):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url, url


def test_office_staff_are_sent_to_the_back_office(as_user, officer, leader, manager, organization):
    item = visit(officer, leader, organization)
    for user in (officer, manager):
        client = as_user(user)
        response = client.get(LIST)
        assert response.status_code == 302 and response.url == reverse("admin:exchanges_activity_changelist")
        response = client.get(detail(item))
        assert response.url == reverse("admin:exchanges_activity_change", args=[item.pk])
    assert as_user(manager).get(reverse("exchanges:visit_detail", args=[999999])).status_code == 404


def test_members_of_a_foreign_organisation_and_accounts_without_one_get_404(as_user, officer, leader):
    foreign = enterprise_user(OrganizationFactory(kind=OrganizationKind.FOREIGN))
    alone = UserFactory()
    for user in (foreign, alone):
        client = as_user(user)
        assert client.get(LIST).status_code == 404
        assert client.get(reverse("exchanges:visit_detail", args=[1])).status_code == 404


def test_only_get_is_answered(as_user, applicant):
    assert as_user(applicant).post(LIST).status_code == 405


# Queries -----------------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_queries_do_not_grow_with_its_rows(
    as_user, applicant, officer, leader, django_assert_max_num_queries
):
    organization = applicant.organization
    visit(officer, leader, organization)
    past_visit(officer, leader, organization)
    client = as_user(applicant)
    few = _queries(client, LIST)
    for n in range(4):
        visit(officer, leader, organization, starts_in=20 + n)
        past_visit(officer, leader, organization, starts_in=-40 - n)
    with django_assert_max_num_queries(few):
        response = client.get(LIST)
    assert len(listed(response)) == 10
