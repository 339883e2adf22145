"""The back office of friendship cities: the registry's health badges and health filter agreeing with the
rules (health.assess) for pairs in each state, the quietest first, the other filters and the search, a pair
registered and changed through the services, agreements recorded with their document (and a hostile file
refused), cooperation projects linked by reference and unlinked, the pair's page (every reason, activities,
public link, timeline), what leaders and managers may not do, who cannot reach it at all, and a list whose
queries do not grow with its rows."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchanges import health
from exchanges.health import Health, years_before
from exchanges.models import Activity, FriendshipAgreement, FriendshipCity
from exchanges.workflow import State
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.documents.models import Document
from tests.projects.factories import project

from .factories import CITY, activity, city

pytestmark = pytest.mark.django_db

CITIES = reverse("admin:exchanges_friendshipcity_changelist")
CITY_ADD = reverse("admin:exchanges_friendshipcity_add")
CORPUS = Path(__file__).parents[1] / "foreign_affairs" / "documents" / "corpus"


def url(pair, name="change"):
    return reverse(f"admin:exchanges_friendshipcity_{name}", args=[pair.pk])


def rows(page) -> list:
    assert page.status_code == 200, (page.status_code, page.get("Location"), page.content[:300])
    return list(page.context["cl"].result_list)


def messages_of(page) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in page.context["messages"]]


def corpus_file(name: str, upload_name: str | None = None):
    return SimpleUploadedFile(
        upload_name or name, (CORPUS / name).read_bytes(), content_type="application/octet-stream"
    )


def held(officer, pair, ends_on: date, state=State.HELD) -> Activity:
    """An activity of the pair that took place on `ends_on` (dates set on the row: services refuse to plan in
    the past)."""
    item = activity(officer, kind="friendship_city", friendship_city=pair.pk)
    Activity.objects.filter(pk=item.pk).update(state=state, starts_on=ends_on, ends_on=ends_on)
    return Activity.objects.get(pk=item.pk)


def form_data(**changes) -> dict:
    data = {
        **CITY,
        "description_zh": "",
        "description_en": "",
        "henan_contact": "",
        "foreign_contact": "",
        "notes": "",
        "public": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def pairs_in_each_state(officer) -> tuple[dict, dict]:
    """Pairs of every health state, and the level each must show."""
    today = timezone.localdate()
    pairs = {
        "active": city(officer, foreign_name_zh="里昂", foreign_name_en="Lyon"),
        "two_years": city(officer, foreign_name_zh="南特", foreign_name_en="Nantes"),
        "dormant": city(officer, foreign_name_zh="里尔", foreign_name_en="Lille"),
        "projects": city(
            officer, henan_name_zh="洛阳市", henan_name_en="Luoyang", foreign_name_en="Toulouse", country="DE"
        ),
        "renewal": city(officer, foreign_name_zh="尼斯", foreign_name_en="Nice", kind="friendly_exchange"),
        "never": city(
            officer, foreign_name_en="Metz", established_on=(today - timedelta(days=60)).isoformat()
        ),
    }
    held(officer, pairs["active"], today - timedelta(days=10))
    held(officer, pairs["active"], today - timedelta(days=400), state=State.CLOSED)
    held(officer, pairs["two_years"], years_before(today, 2) - timedelta(days=30))
    held(officer, pairs["dormant"], years_before(today, 4))
    held(officer, pairs["projects"], years_before(today, 4))
    pairs["projects"].projects.add(project(officer))
    held(officer, pairs["renewal"], today - timedelta(days=100))
    FriendshipAgreement.objects.create(
        city=pairs["renewal"],
        title="Renewal",
        signed_on=date(2021, 1, 1),
        renew_by=today + timedelta(days=90),
    )
    # A cancelled activity is no exchange.
    cancelled = activity(officer, kind="friendship_city", friendship_city=pairs["dormant"].pk)
    Activity.objects.filter(pk=cancelled.pk).update(state=State.CANCELLED)
    expected = {
        "active": Health.ACTIVE,
        "two_years": Health.ATTENTION,
        "dormant": Health.DORMANT,
        "projects": Health.ATTENTION,
        "renewal": Health.ATTENTION,
        "never": Health.ACTIVE,
    }
    return pairs, expected


# The registry -----------------------------------------------------------------------------------------------


def test_the_badges_and_the_health_filter_agree_with_the_rules_for_pairs_in_each_state(client, officer):
    pairs, expected = pairs_in_each_state(officer)
    client.force_login(officer)
    page = client.get(CITIES)
    listed = rows(page)
    html = page.content.decode()
    today = timezone.localdate()
    assert {row.pk for row in listed} == {pair.pk for pair in pairs.values()}
    by_pk = {row.pk: row for row in listed}
    for name, pair in pairs.items():
        row = by_pk[pair.pk]
        assessment = health.assess_annotated(row, today)
        assert row.health == assessment.level == expected[name], name
        # The badge in the list, with its tone and its reasons on hover.
        assert f'data-health="{expected[name]}"' in html
        assert f"state-{health.HEALTH_TONES[Health(expected[name])]}" in html
        assert all(reason.replace("'", "&#x27;") in html for reason in assessment.reasons), name
    # The quietest first: dormant, then those needing attention, then the active ones.
    levels = [row.health for row in listed]
    assert levels == sorted(levels, key=[Health.DORMANT, Health.ATTENTION, Health.ACTIVE].index)
    assert listed[0].pk == pairs["dormant"].pk
    # The filter works on the same level in the database.
    for level in Health.values:
        filtered = rows(client.get(CITIES, {"health": level}))
        assert {row.pk for row in filtered} == {pairs[n].pk for n, lv in expected.items() if lv == level}, (
            level
        )
        assert all(health.assess_annotated(row, today).level == level for row in filtered)
    # The tabs count each level.
    presets = {preset["key"]: preset["count"] for preset in page.context["presets"]}
    assert presets == {"all": 6, "dormant": 1, "attention": 3, "active": 2}


def test_the_columns_show_the_figures_behind_the_badge(client, officer):
    pairs, _expected = pairs_in_each_state(officer)
    client.force_login(officer)
    listed = {row.pk: row for row in rows(client.get(CITIES))}
    today = timezone.localdate()
    active = listed[pairs["active"].pk]
    assert active.last_exchange == today - timedelta(days=10) and active.exchanges_3y == 2
    assert listed[pairs["projects"].pk].active_projects == 1
    assert listed[pairs["renewal"].pk].next_renewal == today + timedelta(days=90)
    assert listed[pairs["never"].pk].last_exchange is None
    html = client.get(CITIES).content.decode()
    assert 'data-renewal="soon"' in html


def test_the_filters_and_the_search(client, officer):
    pairs, _expected = pairs_in_each_state(officer)
    client.force_login(officer)
    assert [row.pk for row in rows(client.get(CITIES, {"kind": "friendly_exchange"}))] == [
        pairs["renewal"].pk
    ]
    assert [row.pk for row in rows(client.get(CITIES, {"country": "DE"}))] == [pairs["projects"].pk]
    assert [row.pk for row in rows(client.get(CITIES, {"henan": "Luoyang"}))] == [pairs["projects"].pk]
    assert [row.pk for row in rows(client.get(CITIES, {"q": "南特"}))] == [pairs["two_years"].pk]
    assert [row.pk for row in rows(client.get(CITIES, {"q": "nantes"}))] == [pairs["two_years"].pk]
    assert len(rows(client.get(CITIES, {"q": "fr"}))) == 5  # a country code
    empty = client.get(CITIES, {"q": "Atlantis"})
    assert rows(empty) == [] and 'data-testid="queue-empty"' in empty.content.decode()
    # Filters combine with the health filter.
    assert [row.pk for row in rows(client.get(CITIES, {"health": "attention", "country": "DE"}))] == [
        pairs["projects"].pk
    ]


# Registering and changing -----------------------------------------------------------------------------------


def test_an_officer_registers_a_pair_and_changes_it_through_the_services(client, officer):
    client.force_login(officer)
    assert client.get(CITY_ADD).status_code == 200
    # China is refused beside the field, and what was typed stays.
    page = client.post(CITY_ADD, form_data(country="CN", foreign_name_en="Xi'an"))
    assert page.status_code == 200 and "country" in page.context["form"].errors
    assert page.context["form"]["foreign_name_en"].value() == "Xi'an"
    page = client.post(CITY_ADD, form_data(), follow=True)
    pair = FriendshipCity.objects.get()
    assert messages_of(page)[0][0] == "success" and pair.slug == "zhengzhou-lyon"
    assert AuditEvent.objects.filter(action="friendship_city.create", object_id=str(pair.pk)).exists()
    # The same pair again is refused beside the foreign name.
    page = client.post(CITY_ADD, form_data())
    assert "foreign_name_en" in page.context["form"].errors and FriendshipCity.objects.count() == 1
    # A change goes through city_update and shows in the timeline with the field changed.
    assert client.get(url(pair, "edit")).status_code == 200
    page = client.post(url(pair, "edit"), form_data(notes="Mayor's visit expected in spring."), follow=True)
    pair.refresh_from_db()
    assert pair.notes == "Mayor's visit expected in spring."
    event = AuditEvent.objects.get(action="friendship_city.update")
    assert event.data["fields"] == ["notes"]
    page = client.get(url(pair))
    assert [e.action for e in page.context["events"]] == ["friendship_city.create", "friendship_city.update"]
    # A date that is no date is refused beside the field.
    page = client.post(url(pair, "edit"), form_data(established_on="31.02.2016"))
    assert "established_on" in page.context["form"].errors


def test_an_agreement_is_recorded_with_its_document_and_a_hostile_file_is_refused(client, officer):
    pair = city(officer)
    client.force_login(officer)
    page = client.post(
        url(pair, "agreement"),
        {
            "agreement-title": "Friendship-city agreement",
            "agreement-signed_on": "2016-06-01",
            "agreement-renew_by": "2026-06-01",
            "agreement-document": corpus_file("good.pdf", "agreement.pdf"),
        },
        follow=True,
    )
    assert messages_of(page)[0][0] == "success"
    agreement = FriendshipAgreement.objects.get(city=pair)
    assert agreement.document.original_name == "agreement.pdf" and agreement.renew_by == date(2026, 6, 1)
    download = reverse("admin:documents_document_download", args=[agreement.document_id])
    assert download in page.content.decode()
    answer = client.get(download)
    assert answer.status_code == 200 and b"".join(answer.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="friendship_city.agreement", object_id=str(pair.pk)).exists()
    # A PDF with JavaScript is refused with a message beside the file; nothing is recorded, the title stays.
    documents = Document.objects.count()
    page = client.post(
        url(pair, "agreement"),
        {
            "agreement-title": "Memorandum on culture",
            "agreement-signed_on": "2024-03-01",
            "agreement-document": corpus_file("pdf_openaction_javascript.pdf", "memo.pdf"),
        },
        follow=True,
    )
    assert messages_of(page)[-1][0] == "error"
    assert (
        FriendshipAgreement.objects.filter(city=pair).count() == 1 and Document.objects.count() == documents
    )
    form = page.context["agreement_form"]
    assert form["title"].value() == "Memorandum on culture" and "document" in form.errors
    # Without a title, or renewed before it is signed: refused, beside the fields.
    page = client.post(
        url(pair, "agreement"),
        {
            "agreement-title": "Renewal",
            "agreement-signed_on": "2024-03-01",
            "agreement-renew_by": "2023-01-01",
        },
        follow=True,
    )
    assert "renew_by" in page.context["agreement_form"].errors
    assert FriendshipAgreement.objects.filter(city=pair).count() == 1


def test_projects_are_linked_by_reference_and_unlinked(client, officer):
    pair = city(officer)
    item = project(officer)
    client.force_login(officer)
    page = client.post(url(pair, "project"), {"project-reference": "HNCP-1999-00001"}, follow=True)
    assert messages_of(page)[-1][0] == "error" and not pair.projects.exists()
    page = client.post(url(pair, "project"), {"project-reference": item.reference.lower()}, follow=True)
    assert messages_of(page)[-1][0] == "success" and list(pair.projects.all()) == [item]
    html = page.content.decode()
    assert f'data-project="{item.reference}"' in html
    assert reverse("admin:projects_cooperationproject_change", args=[item.pk]) in html
    assert page.context["projects"][0].stage == "lead"
    page = client.post(url(pair, "project"), {"project-reference": item.reference}, follow=True)
    assert messages_of(page)[-1][0] == "info" and pair.projects.count() == 1
    page = client.post(url(pair, "project"), {"action": "unlink", "project": item.pk}, follow=True)
    assert messages_of(page)[-1][0] == "success" and not pair.projects.exists()
    actions = AuditEvent.objects.filter(object_id=str(pair.pk), action__contains="_project")
    assert sorted(actions.values_list("action", flat=True)) == [
        "friendship_city.link_project",
        "friendship_city.unlink_project",
    ]


def test_the_page_shows_every_reason_the_activities_the_public_link_and_the_timeline(client, officer):
    pair = city(officer)
    hidden = city(officer, foreign_name_en="Nantes", public=False)
    old = held(officer, pair, years_before(timezone.localdate(), 4))
    planned = activity(officer, kind="friendship_city", friendship_city=pair.pk)
    client.force_login(officer)
    page = client.get(url(pair))
    assert page.status_code == 200
    html = page.content.decode()
    assessment = page.context["assessment"]
    assert assessment.level == Health.DORMANT
    for reason in assessment.reasons:
        assert reason.replace("'", "&#x27;") in html
    assert [a.reference for a in page.context["activities"]] == [planned.reference, old.reference]
    assert reverse("admin:exchanges_activity_change", args=[old.pk]) in html
    assert page.context["public_url"] == pair.get_absolute_url() and 'data-testid="public-link"' in html
    assert [e.action for e in page.context["events"]] == ["friendship_city.create"]
    # The audit log opens narrowed to the pair's events.
    audit = client.get(page.context["audit_url"])
    assert [event.action for event in rows(audit)] == ["friendship_city.create"]
    assert client.get(url(hidden)).context["public_url"] == ""
    missing = client.get(reverse("admin:exchanges_friendshipcity_change", args=[999999]))
    assert missing.status_code == 302


# Who may do what --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "manager"])
def test_leaders_and_managers_read_but_change_nothing(client, officer, role, request):
    reader = request.getfixturevalue(role)
    pair = city(officer)
    item = project(officer)
    client.force_login(reader)
    assert client.get(CITIES).status_code == 200 and client.get(CITIES).context["add_url"] == ""
    page = client.get(url(pair))
    assert page.status_code == 200
    assert page.context["edit_url"] == "" and page.context["agreement_form"] is None
    assert page.context["project_form"] is None
    for refused in (
        client.get(CITY_ADD),
        client.post(CITY_ADD, form_data(foreign_name_en="Nantes")),
        client.get(url(pair, "edit")),
        client.post(url(pair, "edit"), form_data(notes="x")),
        client.post(url(pair, "agreement"), {"agreement-title": "A", "agreement-signed_on": "2020-01-01"}),
        client.post(url(pair, "project"), {"project-reference": item.reference}),
    ):
        assert refused.status_code == 403
    client.post(url(pair), form_data(notes="x"))
    pair.refresh_from_db()
    assert pair.notes == "" and FriendshipCity.objects.count() == 1
    assert not pair.agreements.exists() and not pair.projects.exists()


def test_enterprise_users_cannot_reach_the_registry(client, officer, applicant):
    pair = city(officer)
    client.force_login(applicant)
    for page_url in (CITIES, url(pair), CITY_ADD, url(pair, "edit")):
        answer = client.get(page_url)
        assert answer.status_code == 302 and reverse("admin:login") in answer["Location"], page_url
    client.post(url(pair, "project"), {"project-reference": project(officer).reference})
    assert not pair.projects.exists()


# Queries ----------------------------------------------------------------------------------------------------


def _queries(client, page_url) -> int:
    client.get(page_url)  # warm caches (sessions, content types, the country names)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page_url).status_code == 200
    return len(captured)


def _some_pairs(officer, start: int, count: int) -> None:
    countries = ["DE", "FR", "JP", "KR", "IT", "US"]
    today = timezone.localdate()
    for n in range(start, start + count):
        pair = city(
            officer,
            foreign_name_zh=f"城市{n}",
            foreign_name_en=f"City {n}",
            country=countries[n % len(countries)],
            kind="formal" if n % 2 else "friendly_exchange",
        )
        held(officer, pair, today - timedelta(days=300 * (n % 5) + 5))
        FriendshipAgreement.objects.create(
            city=pair, title="Agreement", signed_on=date(2020, 1, 1), renew_by=today + timedelta(days=30 * n)
        )
        if n % 3 == 0:
            pair.projects.add(project(officer))


def test_the_list_keeps_its_queries_flat(client, officer, django_assert_max_num_queries):
    _some_pairs(officer, 0, 3)
    client.force_login(officer)
    pages = [CITIES, f"{CITIES}?health=attention", f"{CITIES}?q=City", f"{CITIES}?o=2"]
    few = {page_url: _queries(client, page_url) for page_url in pages}
    _some_pairs(officer, 3, 12)
    assert FriendshipCity.objects.count() == 15
    for page_url, count in few.items():
        with django_assert_max_num_queries(count):
            page = client.get(page_url)
        if page_url != f"{CITIES}?health=attention":
            assert len(page.context["cl"].result_list) > 3, page_url
