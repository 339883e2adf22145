"""The exchanges part of seed_demo: a year of activities of every kind in every state across the three areas,
a dozen friendship cities in the three health states, interview requests in every state and overseas-Chinese
contacts — all through the services, so audited in order of time.

What the demo holds is read from the shared `demo` fixture (seed_demo --size small, once per session); that
every step is accepted and that seeding again adds nothing are checked on the demo's accounts only, and the
year size on its own."""

import time
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db.models import Count
from django.utils import timezone, translation
from pypdf import PdfReader

from exchanges import demo as exchanges_demo
from exchanges import selectors
from exchanges.health import Health, years_before
from exchanges.models import (
    Activity,
    AgendaItem,
    Agreement,
    ChecklistItem,
    Coverage,
    FollowUp,
    FriendshipAgreement,
    FriendshipCity,
    MediaMessage,
    MediaRequest,
    OverseasContact,
)
from exchanges.workflow import HELD_STATES, PLANNED_STATES, Direction, Kind, MediaState, State
from foreign_affairs.accounts import demo as accounts_demo
from foreign_affairs.accounts.models import FTZArea, Organization, User
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.audit.selectors import verify_chain
from foreign_affairs.notifications.models import Notification
from projects.models import CooperationProject

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    models = (
        Activity,
        AgendaItem,
        ChecklistItem,
        Agreement,
        FollowUp,
        Coverage,
        FriendshipCity,
        FriendshipAgreement,
        MediaRequest,
        MediaMessage,
        OverseasContact,
        AuditEvent,
    )
    return {model: model._base_manager.count() for model in models}


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _pair(henan: str, foreign: str):
    city = FriendshipCity.objects.get(henan_name_en=henan, foreign_name_en=foreign)
    return selectors.cities_with_health(_user("officer")).get(pk=city.pk)


def test_every_step_is_accepted_and_seeding_again_adds_nothing(
    django_capture_on_commit_callbacks, mailoutbox
):
    with accounts_demo.sized(accounts_demo.SMALL), django_capture_on_commit_callbacks(execute=True):
        accounts_demo.seed()
        demo = exchanges_demo.ExchangesDemo()
        demo.plan()
        started = time.perf_counter()
        created = demo.play()
        seconds = time.perf_counter() - started
    print(f"exchanges demo: {seconds:.2f} s")  # shown with -s
    assert demo.failures == []
    assert created == Activity.objects.count() == len(exchanges_demo.ACTIVITIES) + len(exchanges_demo.EARLIER)
    # The past's e-mails count as sent then: none now, none waiting (the journalists' outbox included).
    assert mailoutbox == [] and mail.outbox == []
    assert MediaMessage.objects.exists() and not MediaMessage.objects.filter(sent_at=None).exists()
    assert not Notification.objects.filter(key__startswith="exchange", status="pending").exists()
    before = _counts()
    assert exchanges_demo.seed() == 0
    assert _counts() == before


def test_activities_of_every_kind_direction_state_and_area(demo):
    activities = Activity.objects.all()
    assert 28 <= activities.count() <= 40
    assert set(activities.values_list("kind", flat=True)) == set(Kind.values)
    assert set(activities.values_list("state", flat=True)) == set(State.values)
    assert set(activities.values_list("direction", flat=True)) == set(Direction.values)
    for area in (FTZArea.ZHENGZHOU, FTZArea.LUOYANG, FTZArea.KAIFENG):
        assert activities.filter(ftz_areas__contains=f",{area},").count() >= 6, area
    # Both ways for the friendship cities and the provincial exchanges.
    for kind in (Kind.FRIENDSHIP_CITY, Kind.PROVINCIAL_EXCHANGE):
        directions = set(activities.filter(kind=kind).values_list("direction", flat=True))
        assert {Direction.INCOMING, Direction.OUTGOING} <= directions, kind
    # A year of them: held over the last twelve months, planned for the next three.
    today = timezone.localdate()
    held = activities.filter(state__in=HELD_STATES, starts_on__gte=today - timedelta(days=366))
    assert held.count() >= 15 and held.order_by("starts_on").first().starts_on < today - timedelta(days=300)
    planned = activities.filter(state__in=PLANNED_STATES)
    assert planned.count() >= 8 and all(a.starts_on > today for a in planned)
    assert all(a.starts_on <= today for a in activities.filter(state__in=HELD_STATES))
    # Bilingual, with the zone's focus, and every one of the year on an agenda within its dates.
    for activity in activities:
        assert activity.title_zh and activity.title_en, activity.reference
        assert activity.ftz_areas and activity.country.code != "CN"
    for activity in activities.filter(starts_on__gte=today - timedelta(days=366)):
        assert activity.summary_zh and activity.summary_en and activity.focus_codes, activity.reference
        assert activity.agenda.exists(), activity.reference
    for item in AgendaItem.objects.select_related("activity"):
        assert item.activity.starts_on <= item.day <= item.activity.ends_on
    postponed = AuditEvent.objects.filter(action="exchange_activity.postpone")
    assert postponed.count() == 2 and all(event.comment for event in postponed)
    assert AuditEvent.objects.filter(action="exchange_activity.resume").count() == 1
    assert AuditEvent.objects.get(action="exchange_activity.cancel").comment


def test_past_activities_have_outcomes_agreements_follow_ups_and_coverage(demo):
    reported = Activity.objects.filter(state__in=(State.REPORTED, State.CLOSED))
    assert reported.count() >= 15
    assert all(a.outcome_summary_zh and a.outcome_summary_en and a.reported_at for a in reported)
    of_the_year = reported.filter(starts_on__gte=timezone.localdate() - timedelta(days=366))
    assert all(a.zone_presented and a.materials and a.briefing_by for a in of_the_year)
    agreements = Agreement.objects.select_related("activity", "document__document")
    assert agreements.count() >= 6
    assert all(a.signed_on <= a.activity.ends_on and a.activity.state in HELD_STATES for a in agreements)
    signed = [a for a in agreements if a.document_id]
    assert len(signed) >= 3
    with signed[0].document.document.file.open("rb") as handle:
        text = PdfReader(handle).pages[0].extract_text()
    assert "Signed on" in text
    today = timezone.localdate()
    follow_ups = FollowUp.objects.all()
    assert follow_ups.filter(done_at__isnull=False).count() >= 5
    overdue = follow_ups.filter(done_at__isnull=True, due_on__lt=today)
    assert 2 <= overdue.count() <= 4
    assert follow_ups.filter(done_at__isnull=True, due_on__gte=today).exists()
    assert set(follow_ups.values_list("owner__username", flat=True)) == {"officer", "officer2"}
    coverage = Coverage.objects.filter(activity__isnull=False)
    assert coverage.count() >= 8 and all(c.url.startswith("https://") and c.outlet for c in coverage)


def test_reception_checklists_are_assigned_and_ticked_as_far_as_the_visit_came(demo):
    visits = selectors.with_checklist_progress(
        Activity.objects.filter(
            direction=Direction.INCOMING, starts_on__gte=timezone.localdate() - timedelta(days=366)
        )
    )
    officers = {_user("officer").pk, _user("officer2").pk}
    for visit in visits:
        assert visit.checklist_total == 7, visit.reference
        if visit.state in HELD_STATES:
            assert visit.checklist_done == 7, visit.reference
        elif visit.state == State.CONFIRMED:
            assert 0 < visit.checklist_done < 7, visit.reference
    confirmed = visits.filter(state=State.CONFIRMED)
    assert confirmed.count() >= 2
    items = ChecklistItem.objects.filter(activity__in=confirmed)
    assert set(items.values_list("assignee", flat=True)) == officers
    assert all(item.done_by.username == "officer" for item in items.filter(done_at__isnull=False))
    assert visits.filter(state=State.PROPOSED).exists()
    assert not ChecklistItem.objects.filter(activity__state=State.PROPOSED).exclude(assignee=None).exists()


def test_the_public_calendar_has_events_to_come_and_past_ones(demo):
    today = timezone.localdate()
    public = selectors.public_activities()
    assert public.filter(starts_on__gt=today).count() >= 2
    assert public.filter(ends_on__lt=today).count() >= 8
    assert set(public.values_list("state", flat=True)) <= {State.CONFIRMED, *HELD_STATES}
    # Marked public but not confirmed yet: not on the calendar.
    assert not public.filter(state__in=(State.PROPOSED, State.APPROVED, State.POSTPONED, State.CANCELLED))
    year = selectors.public_activities(start=today - timedelta(days=182), end=today + timedelta(days=183))
    assert year.count() >= 8


def test_a_dozen_friendship_cities_in_every_health_state(demo):
    cities = selectors.cities_with_health(_user("officer"))
    assert cities.count() == 12
    health = dict(cities.values_list("health").annotate(n=Count("pk")))
    assert health[Health.ACTIVE] >= 4 and health[Health.ATTENTION] >= 3 and health[Health.DORMANT] >= 2
    assert cities.values("country").distinct().count() >= 9
    assert {"formal", "friendly_exchange"} == set(cities.values_list("kind", flat=True))
    today = timezone.localdate()
    # Quiet for three years, but a project of the projects demo is under way: attention, not dormant.
    okayama = _pair("Luoyang", "Okayama")
    assert okayama.health == Health.ATTENTION and okayama.active_projects == 1
    assert okayama.last_exchange <= years_before(today, 3)
    with translation.override("en"):
        reasons = selectors.city_assessment(okayama).reasons
    assert any("cooperation projects are active" in reason for reason in reasons)
    # An agreement to renew within 180 days, one past its renewal date, a pair quiet for two years.
    mie = _pair("Henan Province", "Mie Prefecture")
    assert mie.health == Health.ATTENTION and today < mie.next_renewal <= today + timedelta(days=180)
    almaty = _pair("Zhengzhou", "Almaty")
    assert almaty.health == Health.ATTENTION and almaty.next_renewal < today
    chungbuk = _pair("Henan Province", "Chungcheongbuk-do")
    assert chungbuk.health == Health.ATTENTION and chungbuk.last_exchange <= years_before(today, 2)
    for henan, foreign in (("Luoyang", "Tours"), ("Kaifeng", "Tambov")):
        dormant = _pair(henan, foreign)
        assert dormant.health == Health.DORMANT and dormant.exchanges_3y == 0, foreign
    luxembourg = _pair("Zhengzhou", "Luxembourg City")
    assert luxembourg.health == Health.ACTIVE and luxembourg.exchanges_3y >= 1
    # The friendship-city projects of area 3 came through their pairs.
    linked = CooperationProject.objects.filter(friendship_cities__isnull=False)
    assert linked.count() == 4 and all(p.channel == "friendship_city" for p in linked)
    assert cities.filter(active_projects__gt=0).count() == 4
    # The pairs' pages show their public activities.
    assert selectors.city_public_activities(luxembourg).count() >= 2


def test_interview_requests_in_every_state(demo):
    requests = MediaRequest.objects.select_related("escort", "activity")
    assert set(requests.values_list("state", flat=True)) == set(MediaState.values)
    arranged = requests.exclude(state__in=(MediaState.REQUESTED, MediaState.DECLINED))
    assert arranged.count() >= 3
    for request in arranged:
        assert request.escort.username == "officer2" and request.arranged_interviewees
        assert (
            request.activity.kind == Kind.MEDIA_INTERVIEW
            and request.arranged_on == request.activity.starts_on
        )
    assert all(r.coverage.exists() for r in requests.filter(state__in=(MediaState.HELD, MediaState.CLOSED)))
    assert requests.values("outlet_country").distinct().count() >= 5
    assert requests.filter(language="zh-hans").exists()
    # Each journalist was acknowledged, and told of the arrangement or the refusal; all sent then.
    assert MediaMessage.objects.filter(key__endswith=":received").count() == requests.count()
    assert MediaMessage.objects.filter(key__endswith=":arrange").count() == arranged.count()
    assert MediaMessage.objects.filter(key__endswith=":decline").count() == 1
    assert not MediaMessage.objects.filter(sent_at=None).exists()
    assert AuditEvent.objects.get(action="media_request.decline").comment


def test_overseas_chinese_contacts_agreed_to_be_contacted_and_took_part_in_exchanges(demo):
    contacts = OverseasContact.objects.all()
    consenting = contacts.filter(consent=True)
    assert consenting.count() >= 5 and all(c.consent_on for c in consenting)
    assert all(c.consent_recorded for c in contacts)  # dated, with how it was given
    assert contacts.filter(consent_basis="oral").exclude(consent_note="").count() == 1
    assert contacts.values("country").distinct().count() == contacts.count()
    for contact in contacts:
        kinds = set(contact.activities.values_list("kind", flat=True))
        assert kinds == {Kind.OVERSEAS_CHINESE}, contact.reference
    assert sum(c.activities.count() >= 2 for c in contacts) == contacts.count() - 1  # one met only once


def test_the_demo_enterprises_see_the_activities_that_visit_them(demo):
    today = timezone.localdate()
    zhengzhou = Organization.objects.get(uscc=accounts_demo.DEMO_USCC)
    for username in ("applicant", "liaison"):
        visits = selectors.activities_for(_user(username))
        assert visits.count() >= 5, username
        assert visits.filter(starts_on__gt=today, state=State.CONFIRMED).count() >= 2
        assert visits.filter(state__in=HELD_STATES).count() >= 3
        assert not visits.exclude(enterprises_visited=zhengzhou).exists()
        assert not visits.filter(state=State.PROPOSED).exists()
    assert selectors.activities_for(_user("applicant2")).count() >= 3
    kaifeng = Organization.objects.get(uscc=accounts_demo.KAIFENG_USCC)
    assert Activity.objects.filter(enterprises_visited=kaifeng).count() >= 3
    # The enterprise heard of the confirmation of a visit to come.
    told = Notification.objects.filter(recipient=_user("applicant"), key__startswith="exchange-activity:")
    assert told.filter(key__contains=":confirm:").exists()


def test_the_audit_trail_reads_in_order_of_time_and_nothing_is_in_the_future(demo):
    assert verify_chain().ok
    ours = ContentType.objects.filter(app_label="exchanges")
    events = (
        AuditEvent.objects.filter(content_type__in=ours)
        .order_by("id")
        .values_list("content_type", "object_id", "created_at")
    )
    previous = {}
    for content_type, object_id, moment in events.iterator():
        key = (content_type, object_id)
        assert moment >= previous.get(key, moment), key
        previous[key] = moment
    now = timezone.now()
    assert not Activity.objects.filter(created_at__gt=now).exists()
    assert not MediaRequest.objects.filter(created_at__gt=now).exists()
    for activity in Activity.objects.exclude(approved_at=None):
        assert activity.created_at <= activity.approved_at <= now
    # Spread over the past year, not made today; the registry opened fourteen months ago.
    assert (now - Activity.objects.order_by("created_at").first().created_at).days >= 365
    assert (now - FriendshipCity.objects.order_by("created_at").first().created_at).days >= 400


def test_seeding_again_adds_nothing(demo):
    before = _counts()
    assert exchanges_demo.seed() == 0
    assert _counts() == before


def test_the_year_adds_business_delegations_to_the_zones_other_enterprises(
    django_capture_on_commit_callbacks,
):
    with accounts_demo.sized(accounts_demo.YEAR), django_capture_on_commit_callbacks(execute=True):
        accounts_demo.seed()
        demo = exchanges_demo.ExchangesDemo(year=True)
        demo.plan()
        created = demo.play()
    assert demo.failures == []
    extra = len(exchanges_demo.ACTIVITIES) + len(exchanges_demo.EARLIER)
    assert created == Activity.objects.count() == extra + 18
    usernames = {row[0] for row in exchanges_demo.YEAR_ENTERPRISES}
    uscc = [o["uscc"] for o in accounts_demo.EXTRA_ORGANIZATIONS if o["username"] in usernames]
    visited = Activity.objects.filter(enterprises_visited__uscc__in=uscc)
    assert visited.count() == 18
    assert set(visited.values_list("state", flat=True)) <= set(HELD_STATES)
    assert visited.values("country").distinct().count() >= 8
