"""The cooperation-projects part of seed_demo: about thirty projects of the four channels, the three areas,
every industry, mode, stage and publication state, the demo enterprises' own projects and leads, published
achievements with their illustrations, and visitors' interest — all through the services, so audited in
order of time.

What the demo holds is read from the shared `demo` fixture (seed_demo --size small, once per session); that
every step is accepted and that seeding again adds nothing are checked here on the demo's accounts only."""

import io
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db.models import Count
from django.utils import timezone
from PIL import Image

from foreign_affairs.accounts import demo as accounts_demo
from foreign_affairs.accounts.models import Organization, User
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.audit.selectors import verify_chain
from foreign_affairs.notifications.models import Notification
from projects import demo as projects_demo
from projects import selectors
from projects.models import (
    Achievement,
    AchievementImage,
    CooperationProject,
    Industry,
    Interest,
    InterestMessage,
    ProjectNote,
)
from projects.workflow import (
    OPEN_STAGES,
    SIGNED_STAGES,
    Channel,
    InterestState,
    Mode,
    Publication,
    Source,
    Stage,
)

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    models = (
        CooperationProject,
        Achievement,
        AchievementImage,
        Interest,
        InterestMessage,
        ProjectNote,
        AuditEvent,
    )
    return {model: model._base_manager.count() for model in models}


def _user(username: str) -> User:
    return User.objects.get(username=username)


def test_every_step_is_accepted_and_seeding_again_adds_nothing(
    django_capture_on_commit_callbacks, mailoutbox
):
    with accounts_demo.sized(accounts_demo.SMALL), django_capture_on_commit_callbacks(execute=True):
        accounts_demo.seed()
        demo = projects_demo.ProjectsDemo()
        demo.plan()
        started = time.perf_counter()
        created = demo.play()
        seconds = time.perf_counter() - started
    print(f"projects demo: {seconds:.2f} s")  # shown with -s
    assert demo.failures == []
    assert created == CooperationProject.objects.count() == len(projects_demo.PROJECTS)
    # The past's e-mails count as sent then: none now, none waiting.
    assert mailoutbox == [] and mail.outbox == []
    assert not InterestMessage.objects.filter(sent_at=None).exists()
    before = _counts()
    assert projects_demo.seed() == 0
    assert _counts() == before


def test_about_thirty_projects_of_every_channel_area_industry_and_mode(demo):
    projects = CooperationProject.objects.all()
    assert 28 <= projects.count() <= 36
    assert set(projects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(projects.values_list("ftz_area", flat=True)) == {"zhengzhou", "luoyang", "kaifeng"}
    assert set(projects.values_list("mode", flat=True)) == set(Mode.values)
    # Every industry of the zone's plan has at least one project.
    assert not Industry.objects.annotate(n=Count("projects")).filter(n=0).exists()
    assert projects.values("partner_country").distinct().count() >= 12
    assert {"LU", "HK", "MO", "KZ", "DE", "JP"} <= set(projects.values_list("partner_country", flat=True))
    assert projects.filter(amount__isnull=False).count() >= 15
    assert all(p.currency for p in projects.filter(amount__isnull=False))
    friendship = projects.filter(channel=Channel.FRIENDSHIP_CITY)
    assert friendship.count() >= 3 and all(p.friendship_city for p in friendship)


def test_every_stage_with_an_owner_and_next_steps_two_overdue(demo):
    projects = CooperationProject.objects.all()
    stages = dict(projects.values_list("stage").annotate(n=Count("pk")))
    assert set(stages) == set(Stage.values)
    assert stages[Stage.LEAD] >= 3 and stages[Stage.COMPLETED] >= 2
    officer = _user("officer")
    assert set(projects.values_list("owner", flat=True)) == {officer.pk}
    open_office = projects.filter(stage__in=OPEN_STAGES, source=Source.OFFICE)
    assert all(p.next_step and p.next_step_due for p in open_office)
    assert not projects.exclude(stage__in=OPEN_STAGES).exclude(next_step="").exists()
    assert selectors.overdue_next_steps().count() == 2
    assert all(p.signed_on for p in projects.filter(stage__in=SIGNED_STAGES))
    assert ProjectNote.objects.count() >= 5
    dropped = AuditEvent.objects.filter(action="cooperation_project.drop")
    assert dropped.count() == 2 and all(event.comment for event in dropped)


def test_most_are_published_in_both_languages_some_in_review_drafts_and_one_archived(demo):
    publication = dict(CooperationProject.objects.values_list("publication").annotate(n=Count("pk")))
    assert publication[Publication.PUBLISHED] >= 20
    assert publication[Publication.IN_REVIEW] >= 2 and publication[Publication.DRAFT] >= 3
    assert publication[Publication.ARCHIVED] == 1
    archived = CooperationProject.objects.get(publication=Publication.ARCHIVED)
    assert archived.stage == Stage.DROPPED
    for project in CooperationProject.objects.all():
        assert project.title_zh and project.title_en and project.description_zh and project.description_en
        assert project.search_text
    published = CooperationProject.objects.filter(publication=Publication.PUBLISHED)
    assert all(p.published_at and p.published_at >= p.created_at for p in published)
    assert selectors.catalogue().count() == publication[Publication.PUBLISHED]
    # The catalogue finds them by Chinese, English and partial words.
    for term in ("物流", "logistics", "logist", "郑州 冷链", "Kazakhstan"):
        assert selectors.catalogue(term=term).exists(), term
    assert selectors.catalogue(channel=Channel.HONG_KONG_MACAO, area="zhengzhou").count() >= 2


def test_the_demo_enterprises_have_their_own_drafts_and_projects_in_review(demo):
    zhengzhou = Organization.objects.get(uscc=accounts_demo.DEMO_USCC)
    own = CooperationProject.objects.filter(source=Source.ENTERPRISE, enterprises=zhengzhou)
    assert own.filter(publication=Publication.DRAFT, created_by__username="applicant").exists()
    assert own.filter(publication=Publication.IN_REVIEW, created_by__username="applicant").exists()
    assert own.filter(publication=Publication.PUBLISHED).exists()  # submitted by `liaison`, published
    # `applicant` sees the projects the enterprise is involved in, and only those.
    visible = selectors.project_list_for(_user("applicant"))
    assert visible.count() == CooperationProject.objects.filter(enterprises=zhengzhou).count() >= 6
    assert not visible.exclude(enterprises=zhengzhou).exists()
    # `applicant2`'s own project was returned to draft with the reason.
    returned = CooperationProject.objects.get(source=Source.ENTERPRISE, created_by__username="applicant2")
    assert returned.publication == Publication.DRAFT
    event = AuditEvent.objects.get(action="cooperation_project.return_to_draft", object_id=str(returned.pk))
    assert "CE" in event.comment


def test_achievements_are_published_with_an_illustration_and_tell_of_signed_projects(demo):
    achievements = Achievement.objects.all()
    assert 4 <= achievements.count() <= 6
    assert set(achievements.values_list("publication", flat=True)) == {Publication.PUBLISHED}
    assert selectors.published_achievements().count() == achievements.count()
    for achievement in selectors.published_achievements():
        assert achievement.title_zh and achievement.title_en
        assert achievement.description_zh and achievement.description_en
        assert achievement.happened_on <= timezone.localtime(achievement.published_at).date()
        assert len(achievement.images) == 1
        assert achievement.images[0].document.content_type == "image/png"
        assert achievement.public_projects
        assert all(p.stage in SIGNED_STAGES for p in achievement.public_projects)


def test_visitors_interest_some_forwarded_so_the_enterprises_see_leads(demo):
    states = dict(Interest.objects.values_list("state").annotate(n=Count("pk")))
    assert states[InterestState.RECEIVED] >= 3 and states[InterestState.FORWARDED] >= 3
    assert states[InterestState.CLOSED] == 1
    assert Interest.objects.values("country").distinct().count() >= 6
    assert all(
        i.project.publication == Publication.PUBLISHED for i in Interest.objects.select_related("project")
    )
    # Each visitor was acknowledged, and the acknowledgement counts as sent when it was written.
    assert InterestMessage.objects.count() == Interest.objects.count()
    assert not InterestMessage.objects.filter(sent_at=None).exists()
    applicant = _user("applicant")
    leads = selectors.interest_list_for(applicant)
    assert leads.count() >= 3
    assert {lead.state for lead in leads} == {InterestState.FORWARDED}
    assert all(lead.project.enterprises.filter(pk=applicant.organization.pk).exists() for lead in leads)
    assert Notification.objects.filter(recipient=applicant, key__startswith="project-interest:").exists()
    assert selectors.interest_list_for(_user("applicant2")).count() >= 1


def test_the_audit_trail_reads_in_order_of_time_and_nothing_is_in_the_future(demo):
    assert verify_chain().ok
    ours = ContentType.objects.filter(app_label="projects")
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
    assert not CooperationProject.objects.filter(created_at__gt=now).exists()
    assert not Interest.objects.filter(created_at__gt=now).exists()
    # Spread over the past months, not made today.
    first = CooperationProject.objects.order_by("created_at").first().created_at
    assert (now - first).days >= 300


def test_seeding_again_adds_nothing(demo):
    before = _counts()
    assert projects_demo.seed() == 0
    assert _counts() == before


def test_the_illustrations_are_pngs_of_each_theme():
    for theme in projects_demo.THEMES:
        image = Image.open(io.BytesIO(projects_demo.illustration(theme)))
        assert (image.format, image.size) == ("PNG", (960, 540))
        assert len(image.getcolors(maxcolors=100_000) or []) > 10  # a picture, not a blank


def test_a_database_emptied_since_migrating_gets_its_industries_again(django_capture_on_commit_callbacks):
    """`manage.py flush` (bench/run.py on PostgreSQL, transactional tests) empties the industries migration
    0002 made; the demo has the office enter them again, through the taxonomy service, before any project."""
    with accounts_demo.sized(accounts_demo.SMALL), django_capture_on_commit_callbacks(execute=True):
        accounts_demo.seed()
        Industry.objects.all().delete()
        demo = projects_demo.ProjectsDemo()
        demo._plan_industries()  # the industries only
        assert len(demo.steps) == 1
        assert demo.play() == 0
    assert demo.failures == []
    assert Industry.objects.count() == 19 and Industry.objects.filter(priority=True).count() == 5
    assert Industry.objects.get(code="logistics").name_zh == "现代物流"
    assert AuditEvent.objects.filter(action="industry.create").count() == 19
